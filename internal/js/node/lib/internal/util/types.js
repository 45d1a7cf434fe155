'use strict';
// util.types: brand checks written over standard built-ins (a getter or
// method that throws on the wrong receiver), so they need no engine hooks.
// Only promises and proxies need the util binding (see bindings/util.md).

let binding = null;
function utilBinding() {
  if (binding === null) {
    try {
      binding = internalBinding('util');
    } catch {
      binding = {};
    }
  }
  return binding;
}

const toStr = Object.prototype.toString;
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sabByteLength = typeof SharedArrayBuffer === 'function'
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : null;
const dvByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
const regexpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get;

function brand(fn, value, ...args) {
  try {
    fn.call(value, ...args);
    return true;
  } catch {
    return false;
  }
}

function isObjectLike(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// builtinTag reads Object.prototype.toString's tag when no Symbol.toStringTag
// can disguise it.
function builtinTag(v) {
  return toStr.call(v);
}

function isTypedArray(v) {
  return typedArrayTag.call(v) !== undefined;
}
function typedArrayIs(name) {
  return (v) => typedArrayTag.call(v) === name;
}

function isArrayBuffer(v) {
  return isObjectLike(v) && brand(abByteLength, v);
}
function isSharedArrayBuffer(v) {
  return sabByteLength !== null && isObjectLike(v) && brand(sabByteLength, v);
}
function isAnyArrayBuffer(v) {
  return isArrayBuffer(v) || isSharedArrayBuffer(v);
}
function isDataView(v) {
  return isObjectLike(v) && brand(dvByteLength, v);
}
function isArrayBufferView(v) {
  return ArrayBuffer.isView(v);
}
function isMap(v) {
  return isObjectLike(v) && brand(mapSize, v);
}
function isSet(v) {
  return isObjectLike(v) && brand(setSize, v);
}
function isWeakMap(v) {
  return isObjectLike(v) && brand(WeakMap.prototype.has, v, {});
}
function isWeakSet(v) {
  return isObjectLike(v) && brand(WeakSet.prototype.has, v, {});
}
function isDate(v) {
  return isObjectLike(v) && brand(Date.prototype.getTime, v);
}
function isRegExp(v) {
  // RegExp.prototype's own source getter answers "(?:)" for the prototype
  // itself, which is not a RegExp.
  return isObjectLike(v) && v !== RegExp.prototype && brand(regexpSource, v);
}
function isNumberObject(v) {
  return typeof v === 'object' && v !== null && brand(Number.prototype.valueOf, v);
}
function isStringObject(v) {
  return typeof v === 'object' && v !== null && brand(String.prototype.valueOf, v);
}
function isBooleanObject(v) {
  return typeof v === 'object' && v !== null && brand(Boolean.prototype.valueOf, v);
}
function isBigIntObject(v) {
  return typeof v === 'object' && v !== null && brand(BigInt.prototype.valueOf, v);
}
function isSymbolObject(v) {
  return typeof v === 'object' && v !== null && brand(Symbol.prototype.valueOf, v);
}
function isBoxedPrimitive(v) {
  return isNumberObject(v) || isStringObject(v) || isBooleanObject(v) ||
    isBigIntObject(v) || isSymbolObject(v);
}

function isPromise(v) {
  if (!isObjectLike(v)) return false;
  const b = utilBinding();
  if (typeof b.getPromiseState === 'function') return b.getPromiseState(v) !== undefined;
  return v instanceof Promise && builtinTag(v) === '[object Promise]';
}

function isProxy(v) {
  if (!isObjectLike(v)) return false;
  const b = utilBinding();
  return typeof b.getProxyDetails === 'function' && b.getProxyDetails(v) !== undefined;
}

function hasOwnTag(v) {
  try {
    return Object.prototype.hasOwnProperty.call(v, Symbol.toStringTag);
  } catch {
    return true;
  }
}

function isNativeError(v) {
  if (!isObjectLike(v) || hasOwnTag(v)) return false;
  return builtinTag(v) === '[object Error]';
}

const AsyncFunctionProto = Object.getPrototypeOf(async function () {});
const GeneratorFunctionProto = Object.getPrototypeOf(function* () {});
const AsyncGeneratorFunctionProto = Object.getPrototypeOf(async function* () {});
const fnToString = Function.prototype.toString;

// Function kinds: the prototype chain identifies the built-in kind; the
// source text is the fallback when a user re-pointed the prototype.
function fnKind(v) {
  if (typeof v !== 'function') return '';
  const proto = Object.getPrototypeOf(v);
  if (proto === AsyncFunctionProto) return 'async';
  if (proto === GeneratorFunctionProto) return 'generator';
  if (proto === AsyncGeneratorFunctionProto) return 'asyncgenerator';
  let src;
  try {
    src = fnToString.call(v);
  } catch {
    return '';
  }
  if (/^async\s+function\s*\*/.test(src)) return 'asyncgenerator';
  if (/^async\b/.test(src)) return 'async';
  if (/^function\s*\*/.test(src)) return 'generator';
  return '';
}

function isAsyncFunction(v) {
  const k = fnKind(v);
  return k === 'async' || k === 'asyncgenerator';
}
function isGeneratorFunction(v) {
  const k = fnKind(v);
  return k === 'generator' || k === 'asyncgenerator';
}
function isGeneratorObject(v) {
  if (!isObjectLike(v)) return false;
  const t = builtinTag(v);
  return t === '[object Generator]' || t === '[object AsyncGenerator]';
}
function isMapIterator(v) {
  return isObjectLike(v) && builtinTag(v) === '[object Map Iterator]';
}
function isSetIterator(v) {
  return isObjectLike(v) && builtinTag(v) === '[object Set Iterator]';
}
function isArgumentsObject(v) {
  return isObjectLike(v) && !hasOwnTag(v) && builtinTag(v) === '[object Arguments]';
}
function isModuleNamespaceObject(v) {
  return isObjectLike(v) && Object.getPrototypeOf(v) === null &&
    v[Symbol.toStringTag] === 'Module' && !Object.isExtensible(v) &&
    Object.getOwnPropertyDescriptor(v, Symbol.toStringTag) !== undefined;
}
function isExternal() {
  return false;
}
function isWeakRef(v) {
  return typeof WeakRef === 'function' && isObjectLike(v) && brand(WeakRef.prototype.deref, v);
}
function isKeyObject(v) {
  return isObjectLike(v) && builtinTag(v) === '[object KeyObject]';
}
function isCryptoKey(v) {
  return isObjectLike(v) && builtinTag(v) === '[object CryptoKey]';
}

module.exports = {
  isExternal,
  isDate,
  isArgumentsObject,
  isBigIntObject,
  isBooleanObject,
  isNumberObject,
  isStringObject,
  isSymbolObject,
  isNativeError,
  isRegExp,
  isAsyncFunction,
  isGeneratorFunction,
  isGeneratorObject,
  isPromise,
  isMap,
  isSet,
  isMapIterator,
  isSetIterator,
  isWeakMap,
  isWeakSet,
  isArrayBuffer,
  isDataView,
  isSharedArrayBuffer,
  isProxy,
  isModuleNamespaceObject,
  isAnyArrayBuffer,
  isBoxedPrimitive,
  isArrayBufferView,
  isTypedArray,
  isUint8Array: typedArrayIs('Uint8Array'),
  isUint8ClampedArray: typedArrayIs('Uint8ClampedArray'),
  isUint16Array: typedArrayIs('Uint16Array'),
  isUint32Array: typedArrayIs('Uint32Array'),
  isInt8Array: typedArrayIs('Int8Array'),
  isInt16Array: typedArrayIs('Int16Array'),
  isInt32Array: typedArrayIs('Int32Array'),
  isFloat32Array: typedArrayIs('Float32Array'),
  isFloat64Array: typedArrayIs('Float64Array'),
  isBigInt64Array: typedArrayIs('BigInt64Array'),
  isBigUint64Array: typedArrayIs('BigUint64Array'),
  isKeyObject,
  isCryptoKey,
  // Not part of util.types, used by inspect.
  typedArrayTag: (v) => typedArrayTag.call(v),
  isWeakRef,
};
