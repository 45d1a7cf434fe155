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
