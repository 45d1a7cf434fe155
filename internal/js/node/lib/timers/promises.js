'use strict';
// node:timers/promises.

const timers = require('timers');

function abortError(signal) {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  e.code = 'ABORT_ERR';
  if (signal && signal.reason !== undefined) e.cause = signal.reason;
  return e;
}

function validateOptions(options) {
  if (options === null || typeof options !== 'object') {
    const e = new TypeError('The "options" argument must be of type object.');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
}

function setTimeout(after, value, options = {}) {
  validateOptions(options);
  const { signal, ref = true } = options;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const t = timers.setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    }, after);
    if (!ref) t.unref();
    function onAbort() {
      timers.clearTimeout(t);
      reject(abortError(signal));
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

function setImmediate(value, options = {}) {
  validateOptions(options);
  const { signal, ref = true } = options;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const im = timers.setImmediate(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) im.unref();
    function onAbort() {
      timers.clearImmediate(im);
      reject(abortError(signal));
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function* setInterval(after, value, options = {}) {
  validateOptions(options);
  const { signal, ref = true } = options;
  if (signal && signal.aborted) throw abortError(signal);
  let pending = 0;
  let wake = null;
  const t = timers.setInterval(() => {
    pending++;
    if (wake) { const w = wake; wake = null; w(); }
  }, after);
  if (!ref) t.unref();
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    if (wake) { const w = wake; wake = null; w(); }
  };
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (pending === 0) await new Promise((r) => { wake = r; });
      if (aborted) throw abortError(signal);
      while (pending > 0) {
        pending--;
        yield value;
      }
    }
  } finally {
    timers.clearInterval(t);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

const scheduler = {
  wait(delay, options) { return setTimeout(delay, undefined, options); },
  yield() { return setImmediate(); },
};

module.exports = { setTimeout, setImmediate, setInterval, scheduler };
