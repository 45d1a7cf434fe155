'use strict';
// Deep equality as assert.deepEqual (loose) and assert.deepStrictEqual /
// util.isDeepStrictEqual (strict) define it: same prototype and tag (strict),
// own enumerable keys, Map/Set contents regardless of order, typed array
// bytes, boxed primitive values, Date times, RegExp source/flags/lastIndex,
// Error name/message, and cycles (two values are equal when their cycles
// line up).

const types = require('internal/util/types');

const kNoIterator = 0;
const kIsArray = 1;
const kIsSet = 2;
const kIsMap = 3;

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isEnumerable = (o, k) => Object.prototype.propertyIsEnumerable.call(o, k);
const numberRegExp = /^(0|[1-9][0-9]*)$/;

// nonIndexKeys: own enumerable keys that are not array indices (symbols
// only in strict mode).
function nonIndexKeys(obj, strict) {
  const max = types.isTypedArray(obj) ? obj.length : 2 ** 32 - 1;
  const isIndex = (key) => typeof key === 'string' && numberRegExp.test(key) && Number(key) < max;
  const keys = Reflect.ownKeys(obj);
  // Index keys come first, ascending: bisect to where they end.
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isIndex(keys[mid])) lo = mid + 1;
    else hi = mid;
  }
  const out = [];
  for (let i = lo; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'symbol' && !strict) continue;
    if (isEnumerable(obj, key)) out.push(key);
  }
  return out;
}

function areSimilarRegExps(a, b) {
  return a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function equalBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function areSimilarFloatArrays(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  for (let offset = 0; offset < a.length; offset++) {
    if (a[offset] !== b[offset]) return false;
  }
  return true;
}

function areSimilarTypedArrays(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  return equalBytes(bytesOf(a), bytesOf(b));
}

function areEqualArrayBuffers(buf1, buf2) {
  return buf1.byteLength === buf2.byteLength &&
    equalBytes(new Uint8Array(buf1), new Uint8Array(buf2));
}

function isEqualBoxedPrimitive(val1, val2) {
  if (types.isNumberObject(val1)) {
    return types.isNumberObject(val2) &&
      Object.is(Number.prototype.valueOf.call(val1), Number.prototype.valueOf.call(val2));
  }
  if (types.isStringObject(val1)) {
    return types.isStringObject(val2) &&
      String.prototype.valueOf.call(val1) === String.prototype.valueOf.call(val2);
  }
  if (types.isBooleanObject(val1)) {
    return types.isBooleanObject(val2) &&
      Boolean.prototype.valueOf.call(val1) === Boolean.prototype.valueOf.call(val2);
  }
  if (types.isBigIntObject(val1)) {
    return types.isBigIntObject(val2) &&
      BigInt.prototype.valueOf.call(val1) === BigInt.prototype.valueOf.call(val2);
  }
  if (types.isSymbolObject(val1)) {
    return types.isSymbolObject(val2) &&
      Symbol.prototype.valueOf.call(val1) === Symbol.prototype.valueOf.call(val2);
  }
  return false;
}

function isErrorLike(v) {
  return types.isNativeError(v) || v instanceof Error;
}

let urlModule;
function isURLInstance(v) {
  urlModule ??= require('internal/url');
  return urlModule.isURLInstance(v);
}

function innerDeepEqual(val1, val2, strict, memos) {
  // All identical values are equivalent, as determined by ===.
  if (val1 === val2) {
    if (val1 !== 0) return true;
    return strict ? Object.is(val1, val2) : true;
  }
  if (strict) {
    if (typeof val1 !== 'object') {
      return typeof val1 === 'number' && Number.isNaN(val1) && Number.isNaN(val2);
    }
    if (typeof val2 !== 'object' || val1 === null || val2 === null) return false;
    if (Object.getPrototypeOf(val1) !== Object.getPrototypeOf(val2)) return false;
  } else {
    if (val1 === null || typeof val1 !== 'object') {
      if (val2 === null || typeof val2 !== 'object') {
        // eslint-disable-next-line eqeqeq
        return val1 == val2 || (Number.isNaN(val1) && Number.isNaN(val2));
      }
      return false;
    }
    if (val2 === null || typeof val2 !== 'object') return false;
  }
  const val1Tag = Object.prototype.toString.call(val1);
  const val2Tag = Object.prototype.toString.call(val2);
  if (val1Tag !== val2Tag) return false;

  if (Array.isArray(val1)) {
    if (!Array.isArray(val2) || val1.length !== val2.length) return false;
    const keys1 = nonIndexKeys(val1, strict);
    const keys2 = nonIndexKeys(val2, strict);
    if (keys1.length !== keys2.length) return false;
    return keyCheck(val1, val2, strict, memos, kIsArray, keys1);
  } else if (val1Tag === '[object Object]') {
    return keyCheck(val1, val2, strict, memos, kNoIterator);
  } else if (types.isDate(val1)) {
    if (!types.isDate(val2) ||
      Date.prototype.getTime.call(val1) !== Date.prototype.getTime.call(val2)) {
      return false;
    }
  } else if (types.isRegExp(val1)) {
    if (!types.isRegExp(val2) || !areSimilarRegExps(val1, val2)) return false;
  } else if (val1Tag === '[object URL]' && isURLInstance(val1)) {
    // A URL keeps its state in a private field, out of reach of the key
    // comparison below: equal URLs are those with the same href.
    if (!isURLInstance(val2) || val1.href !== val2.href) return false;
  } else if (isErrorLike(val1)) {
    // The stack is not compared: it differs between otherwise equal errors.
    // message and name are, and so are a non-enumerable cause (own or
    // absent on both) and AggregateError's errors; enumerable ones are
    // compared with the other keys below.
    if (!isErrorLike(val2) || val1.message !== val2.message || val1.name !== val2.name) {
      return false;
    }
    const messageEnumerable = isEnumerable(val1, 'message');
    const nameEnumerable = isEnumerable(val1, 'name');
    const causeEnumerable = isEnumerable(val1, 'cause');
    const errorsEnumerable = isEnumerable(val1, 'errors');
    if (messageEnumerable !== isEnumerable(val2, 'message') ||
      nameEnumerable !== isEnumerable(val2, 'name') ||
      causeEnumerable !== isEnumerable(val2, 'cause') ||
      (!causeEnumerable && (hasOwn(val1, 'cause') !== hasOwn(val2, 'cause') ||
        !innerDeepEqual(val1.cause, val2.cause, strict, memos))) ||
      errorsEnumerable !== isEnumerable(val2, 'errors') ||
      (!errorsEnumerable && !innerDeepEqual(val1.errors, val2.errors, strict, memos))) {
      return false;
    }
  } else if (types.isArrayBufferView(val1)) {
    if (!strict && (types.isFloat32Array(val1) || types.isFloat64Array(val1))) {
      if (!areSimilarFloatArrays(val1, val2)) return false;
    } else if (!areSimilarTypedArrays(val1, val2)) {
      return false;
    }
    const keys1 = nonIndexKeys(val1, strict);
    const keys2 = nonIndexKeys(val2, strict);
    if (keys1.length !== keys2.length) return false;
    return keyCheck(val1, val2, strict, memos, kNoIterator, keys1);
  } else if (types.isSet(val1)) {
    if (!types.isSet(val2) || val1.size !== val2.size) return false;
    return keyCheck(val1, val2, strict, memos, kIsSet);
  } else if (types.isMap(val1)) {
    if (!types.isMap(val2) || val1.size !== val2.size) return false;
    return keyCheck(val1, val2, strict, memos, kIsMap);
  } else if (types.isAnyArrayBuffer(val1)) {
    if (!types.isAnyArrayBuffer(val2) || !areEqualArrayBuffers(val1, val2)) return false;
  } else if (types.isBoxedPrimitive(val1)) {
    if (!isEqualBoxedPrimitive(val1, val2)) return false;
  } else if (Array.isArray(val2) || types.isArrayBufferView(val2) || types.isSet(val2) ||
    types.isMap(val2) || types.isDate(val2) || types.isRegExp(val2) ||
    types.isAnyArrayBuffer(val2) || types.isBoxedPrimitive(val2) || isErrorLike(val2)) {
    return false;
  }
  return keyCheck(val1, val2, strict, memos, kNoIterator);
}

function getEnumerables(val, keys) {
  return keys.filter((k) => isEnumerable(val, k));
}

function keyCheck(val1, val2, strict, memos, iterationType, aKeys) {
  const ownKeys = aKeys === undefined;
  if (ownKeys) {
    aKeys = Object.keys(val1);
    const bKeys = Object.keys(val2);
    if (aKeys.length !== bKeys.length) return false;
  }
  // Cheap key test.
  for (let i = 0; i < aKeys.length; i++) {
    if (!isEnumerable(val2, aKeys[i])) return false;
  }
  if (strict && ownKeys) {
    // The enumerable symbol keys must match too.
    const symbolKeysA = Object.getOwnPropertySymbols(val1);
    if (symbolKeysA.length !== 0) {
      let count = 0;
      for (const key of symbolKeysA) {
        if (isEnumerable(val1, key)) {
          if (!isEnumerable(val2, key)) return false;
          aKeys.push(key);
          count++;
        } else if (isEnumerable(val2, key)) {
          return false;
        }
      }
      const symbolKeysB = Object.getOwnPropertySymbols(val2);
      if (symbolKeysA.length !== symbolKeysB.length &&
        getEnumerables(val2, symbolKeysB).length !== count) {
        return false;
      }
    } else {
      const symbolKeysB = Object.getOwnPropertySymbols(val2);
      if (symbolKeysB.length !== 0 && getEnumerables(val2, symbolKeysB).length !== 0) {
        return false;
      }
    }
  }
  if (aKeys.length === 0 &&
    (iterationType === kNoIterator ||
      (iterationType === kIsArray && val1.length === 0) || val1.size === 0)) {
    return true;
  }
  // Cycles: when both values are already being compared further up (each on
  // its own side), the structures repeat from here on: treat them as equal,
  // as Node does.
  if (memos === undefined) {
    memos = { val1: new Map(), val2: new Map() };
  } else if (memos.val1.has(val1) && memos.val2.has(val2)) {
    return true;
  }
  memos.val1.set(val1, (memos.val1.get(val1) || 0) + 1);
  memos.val2.set(val2, (memos.val2.get(val2) || 0) + 1);
  const areEq = objEquiv(val1, val2, strict, aKeys, memos, iterationType);
  release(memos.val1, val1);
  release(memos.val2, val2);
  return areEq;
}

function release(map, key) {
  const n = map.get(key);
  if (n <= 1) map.delete(key);
  else map.set(key, n - 1);
}

function setHasEqualElement(set, val1, strict, memo) {
  for (const val2 of set) {
    if (innerDeepEqual(val1, val2, strict, memo)) {
      set.delete(val2);
      return true;
    }
  }
  return false;
}

// findLooseMatchingPrimitives: for loose equality, the primitive another
// primitive may == match, or a boolean verdict when none can.
function findLooseMatchingPrimitives(prim) {
  switch (typeof prim) {
    case 'undefined':
      return null;
    case 'object': // Only null reaches here.
      return undefined;
    case 'symbol':
      return false;
    case 'string':
      prim = +prim;
    // falls through
    case 'number':
      if (Number.isNaN(prim)) return false;
  }
  return true;
}

function setMightHaveLoosePrim(a, b, prim) {
  const altValue = findLooseMatchingPrimitives(prim);
  if (altValue != null) return altValue;
  return b.has(altValue) && !a.has(altValue);
}

function mapMightHaveLoosePrim(a, b, prim, item, memo) {
  const altValue = findLooseMatchingPrimitives(prim);
  if (altValue != null) return altValue;
  const curB = b.get(altValue);
  if ((curB === undefined && !b.has(altValue)) || !innerDeepEqual(item, curB, false, memo)) {
    return false;
  }
  return !a.has(altValue) && innerDeepEqual(item, curB, false, memo);
}

function setEquiv(a, b, strict, memo) {
  let set = null;
  for (const val of a) {
    if (typeof val === 'object' && val !== null) {
      if (set === null) set = new Set();
      set.add(val);
    } else if (!b.has(val)) {
      if (strict) return false;
      if (!setMightHaveLoosePrim(a, b, val)) return false;
      if (set === null) set = new Set();
      set.add(val);
    }
  }
  if (set !== null) {
    for (const val of b) {
      if (typeof val === 'object' && val !== null) {
        if (!setHasEqualElement(set, val, strict, memo)) return false;
      } else if (!strict && !a.has(val) && !setHasEqualElement(set, val, strict, memo)) {
        return false;
      }
    }
    return set.size === 0;
  }
  return true;
}

function mapHasEqualEntry(set, map, key1, item1, strict, memo) {
  for (const key2 of set) {
    if (innerDeepEqual(key1, key2, strict, memo) &&
      innerDeepEqual(item1, map.get(key2), strict, memo)) {
      set.delete(key2);
      return true;
    }
  }
  return false;
}

function mapEquiv(a, b, strict, memo) {
  let set = null;
  for (const { 0: key, 1: item1 } of a) {
    if (typeof key === 'object' && key !== null) {
      if (set === null) set = new Set();
      set.add(key);
    } else {
      const item2 = b.get(key);
      if ((item2 === undefined && !b.has(key)) || !innerDeepEqual(item1, item2, strict, memo)) {
        if (strict) return false;
        if (!mapMightHaveLoosePrim(a, b, key, item1, memo)) return false;
        if (set === null) set = new Set();
        set.add(key);
      }
    }
  }
  if (set !== null) {
    for (const { 0: key, 1: item } of b) {
      if (typeof key === 'object' && key !== null) {
        if (!mapHasEqualEntry(set, a, key, item, strict, memo)) return false;
      } else if (!strict && (!a.has(key) || !innerDeepEqual(a.get(key), item, false, memo)) &&
        !mapHasEqualEntry(set, a, key, item, false, memo)) {
        return false;
      }
    }
    return set.size === 0;
  }
  return true;
}

function objEquiv(a, b, strict, keys, memos, iterationType) {
  let i = 0;
  if (iterationType === kIsSet) {
    if (!setEquiv(a, b, strict, memos)) return false;
  } else if (iterationType === kIsMap) {
    if (!mapEquiv(a, b, strict, memos)) return false;
  } else if (iterationType === kIsArray) {
    for (; i < a.length; i++) {
      if (hasOwn(a, i)) {
        if (!hasOwn(b, i) || !innerDeepEqual(a[i], b[i], strict, memos)) return false;
      } else if (hasOwn(b, i)) {
        return false;
      } else {
        // The array is sparse: compare the remaining keys.
        const keysA = Object.keys(a);
        for (; i < keysA.length; i++) {
          const key = keysA[i];
          if (!hasOwn(b, key) || !innerDeepEqual(a[key], b[key], strict, memos)) return false;
        }
        if (keysA.length !== Object.keys(b).length) return false;
        return true;
      }
    }
  }
  for (i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!innerDeepEqual(a[key], b[key], strict, memos)) return false;
  }
  return true;
}

function isDeepEqual(val1, val2) {
  return innerDeepEqual(val1, val2, false);
}

function isDeepStrictEqual(val1, val2) {
  return innerDeepEqual(val1, val2, true);
}

module.exports = { isDeepEqual, isDeepStrictEqual };
