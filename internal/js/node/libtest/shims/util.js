'use strict';
// Shim of internalBinding('util') over real Node (see lib/bindings/util.md).
// Node keeps these helpers in its own internal binding; the test driver runs
// node with --expose-internals so the shim can reach them.

let native = null;
try {
  // eslint-disable-next-line node/no-missing-require
  native = require('internal/test/binding').internalBinding('util');
} catch {
  native = null;
}
const nodeUtil = require('util');

const kPending = 0;
const kFulfilled = 1;
const kRejected = 2;

function getPromiseState(promise) {
  if (native) {
    const details = native.getPromiseDetails(promise);
    if (details === undefined) return undefined; // not a promise
    const [state, result] = details;
    // V8: 0 pending, 1 fulfilled, 2 rejected — the same numbering as ours.
    return state === kPending ? [kPending, undefined] : [state, result];
  }
  if (!nodeUtil.types.isPromise(promise)) return undefined;
  // Without internals, read the state off Node's inspect (no value).
  const s = nodeUtil.inspect(promise, { depth: 0 });
  if (s.includes('<pending>')) return [kPending, undefined];
  if (s.includes('<rejected>')) return [kRejected, undefined];
  return [kFulfilled, undefined];
}

function getProxyDetails(value) {
  if (native) {
    const d = native.getProxyDetails(value, true);
    return d === undefined ? undefined : [d[0], d[1]];
  }
  return nodeUtil.types.isProxy(value) ? [undefined, undefined] : undefined;
}

function previewEntries(value, isIterator) {
  if (!native) return undefined;
  if (isIterator) {
    const r = native.previewEntries(value, true);
    return r === undefined ? undefined : [r[0], r[1]];
  }
  return native.previewEntries(value);
}

// getConstructorName: the engine's class name of obj (V8's
// GetConstructorName; QuickJS: the class id's name).
function getConstructorName(obj) {
  if (native) return native.getConstructorName(obj);
  return Object.prototype.toString.call(obj).slice(8, -1);
}

module.exports = {
  getConstructorName,
  kPending,
  kFulfilled,
  kRejected,
  getPromiseState,
  getProxyDetails,
  previewEntries,
};
