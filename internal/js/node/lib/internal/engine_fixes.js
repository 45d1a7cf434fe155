'use strict';
// QuickJS refuses a call with more than 65,534 arguments ("too many
// arguments in function call"), where V8 takes hundreds of thousands.
// Packages hit that limit through a handful of spread idioms over big
// arrays: String.fromCharCode.apply(String, codes) (buffer, bl),
// Math.max.apply(null, list), Array.prototype.push.apply(a, b). Each of
// those functions gets its own `apply` that splits a big argument list
// into chunks with the same result; the native functions themselves stay
// untouched, so ordinary calls cost nothing extra.

const kMaxArgs = 65534;
const kChunk = 32768;
const origApply = Function.prototype.apply;

function ownApply(fn, big) {
  Object.defineProperty(fn, 'apply', {
    value: {
      apply(thisArg, args) {
        if (args != null && typeof args === 'object' && args.length > kMaxArgs) {
          return big(thisArg, args);
        }
        return origApply.call(fn, thisArg, args);
      },
    }.apply,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function joinChunks(fn) {
  return (thisArg, args) => {
    let s = '';
    for (let i = 0; i < args.length; i += kChunk) {
      s += origApply.call(fn, thisArg, Array.prototype.slice.call(args, i, i + kChunk));
    }
    return s;
  };
}

ownApply(String.fromCharCode, joinChunks(String.fromCharCode));
ownApply(String.fromCodePoint, joinChunks(String.fromCodePoint));

for (const [fn, pick] of [[Math.max, (a, b) => Math.max(a, b)], [Math.min, (a, b) => Math.min(a, b)]]) {
  ownApply(fn, (thisArg, args) => {
    let r = origApply.call(fn, thisArg, Array.prototype.slice.call(args, 0, kChunk));
    for (let i = kChunk; i < args.length; i += kChunk) {
      r = pick(r, origApply.call(fn, thisArg, Array.prototype.slice.call(args, i, i + kChunk)));
    }
    return r;
  });
}

const push = Array.prototype.push;
ownApply(push, (thisArg, args) => {
  let n;
  for (let i = 0; i < args.length; i += kChunk) {
    n = origApply.call(push, thisArg, Array.prototype.slice.call(args, i, i + kChunk));
  }
  return n;
});
const unshift = Array.prototype.unshift;
ownApply(unshift, (thisArg, args) => {
  let n;
  for (let i = args.length - (args.length % kChunk || kChunk); i >= 0; i -= kChunk) {
    n = origApply.call(unshift, thisArg, Array.prototype.slice.call(args, i, i + kChunk));
  }
  return n;
});

// Array.prototype.sort with a comparator that is not a consistent order
// (`() => -1`, the boolean `(a, b) => a > b`) gives whatever order the
// engine's algorithm happens to produce, and programs and test suites
// depend on V8's (json-stable-stringify's own tests reverse keys with
// `() => -1`). V8 sorts with TimSort; below 64 elements that is one run:
// the leading ascending or strictly descending run (reversed), extended by
// binary insertion, which is reproduced here call for call. Longer arrays
// keep the native sort: both sorts are stable, so every consistent
// comparator gets the same result from either.
const nativeSort = Array.prototype.sort;
const kSmallSort = 64;

// v8SmallSort sorts work (no holes, no undefined) in place. Only
// `order < 0` is ever asked of a comparator result, which is V8's
// ToNumber-then-compare with NaN counting as equal.
function v8SmallSort(work, cmp) {
  const n = work.length;
  // The leading run.
  let run = 2;
  const descending = cmp(work[1], work[0]) < 0;
  let prev = work[1];
  for (let i = 2; i < n; i++) {
    const cur = work[i];
    if (descending ? !(cmp(cur, prev) < 0) : cmp(cur, prev) < 0) break;
    prev = cur;
    run++;
  }
  if (descending) {
    for (let lo = 0, hi = run - 1; lo < hi; lo++, hi--) {
      const t = work[lo];
      work[lo] = work[hi];
      work[hi] = t;
    }
  }
  // Binary insertion of the rest.
  for (let start = run; start < n; start++) {
    const pivot = work[start];
    let left = 0;
    let right = start;
    while (left < right) {
      const mid = (left + right) >> 1;
      if (cmp(pivot, work[mid]) < 0) right = mid;
      else left = mid + 1;
    }
    for (let p = start; p > left; p--) work[p] = work[p - 1];
    work[left] = pivot;
  }
}

// sortSmall sorts arr in place as V8 does (holes and undefined go last,
// unseen by the comparator), or returns false to leave it to the engine.
function sortSmall(arr, cmp) {
  if (typeof cmp !== 'function' || !Array.isArray(arr)) return false;
  const len = arr.length;
  if (len >= kSmallSort) return false;
  if (len < 2) return true; // V8 returns before touching the elements
  let i = 0;
  for (; i < len; i++) {
    if (arr[i] === undefined) break;
  }
  if (i === len) {
    // Dense, no undefined: the common case sorts the array itself.
    v8SmallSort(arr, cmp);
    return true;
  }
  const work = [];
  let undefs = 0;
  let holes = 0;
  for (i = 0; i < len; i++) {
    if (!(i in arr)) {
      holes++;
      continue;
    }
    const v = arr[i];
    if (v === undefined) undefs++;
    else work.push(v);
  }
  if (work.length > 1) v8SmallSort(work, cmp);
  for (i = 0; i < work.length; i++) arr[i] = work[i];
  for (let u = 0; u < undefs; u++) arr[i++] = undefined;
  for (; holes > 0; holes--) delete arr[i++];
  return true;
}

Object.defineProperty(Array.prototype, 'sort', {
  value: {
    sort(comparefn) {
      if (sortSmall(this, comparefn)) return this;
      return nativeSort.call(this, comparefn);
    },
  }.sort,
  writable: true,
  configurable: true,
  enumerable: false,
});

if (typeof Array.prototype.toSorted === 'function') {
  const nativeToSorted = Array.prototype.toSorted;
  Object.defineProperty(Array.prototype, 'toSorted', {
    value: {
      toSorted(comparefn) {
        if (typeof comparefn === 'function' && Array.isArray(this) && this.length < kSmallSort) {
          // toSorted reads holes as undefined.
          const copy = Array.from(this);
          sortSmall(copy, comparefn);
          return copy;
        }
        return nativeToSorted.call(this, comparefn);
      },
    }.toSorted,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
