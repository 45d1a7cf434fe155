'use strict';
// WHATWG Streams, the parts servers use: ReadableStream with the default
// controller and reader (a 'bytes' stream is accepted and behaves as a
// default stream of Uint8Array chunks, without BYOB readers), tee, pipeTo,
// pipeThrough, async iteration, ReadableStream.from; WritableStream with
// its writer; TransformStream; the two queuing strategies. The algorithms
// follow the spec's structure (https://streams.spec.whatwg.org/) so promise
// settlement order matches.

const {
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_INVALID_STATE,
    ERR_INVALID_THIS,
    ERR_ILLEGAL_CONSTRUCTOR,
  },
} = require('internal/errors');
const DOMException = require('internal/dom_exception');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kState = Symbol('kState');
const kType = Symbol('kType');
const kIsClosedPromise = Symbol.for('nodejs.webstream.isClosedPromise');
const kControllerErrorFunction = Symbol.for('nodejs.webstream.controllerErrorFunction');

// Node throws the TypeError flavour of ERR_INVALID_STATE from web streams.
function invalidState(msg) {
  return typeError(`Invalid state: ${msg}`, 'ERR_INVALID_STATE');
}

function invalidArgRange(name, value) {
  const e = new RangeError(`The argument '${name}' is invalid. Received ${value}`);
  e.code = 'ERR_INVALID_ARG_VALUE';
  return e;
}

function typeError(msg, code) {
  const e = new TypeError(msg);
  if (code) e.code = code;
  return e;
}

function createDeferred() {
  const d = { promise: undefined, resolve: undefined, reject: undefined, settled: false };
  d.promise = new Promise((a, b) => {
    d.resolve = (v) => {
      d.settled = true;
      a(v);
    };
    d.reject = (e) => {
      d.settled = true;
      b(e);
    };
  });
  return d;
}

function setHandled(p) {
  p.then(undefined, () => {});
  return p;
}

function extractHighWaterMark(strategy, defaultHWM) {
  if (strategy === undefined || strategy.highWaterMark === undefined) return defaultHWM;
  const hwm = Number(strategy.highWaterMark);
  if (Number.isNaN(hwm) || hwm < 0) throw invalidArgRange('strategy.highWaterMark', hwm);
  return hwm;
}

function extractSizeAlgorithm(strategy) {
  if (strategy === undefined || strategy.size === undefined) return () => 1;
  if (typeof strategy.size !== 'function') throw new ERR_INVALID_ARG_TYPE('strategy.size', 'Function', strategy.size);
  const size = strategy.size;
  return (chunk) => size(chunk);
}

function promiseCall(fn, thisArg, ...args) {
  try {
    return Promise.resolve(fn === undefined ? undefined : fn.apply(thisArg, args));
  } catch (e) {
    return Promise.reject(e);
  }
}

// ---- queue with sizes

function resetQueue(c) {
  c.queue = [];
  c.queueTotalSize = 0;
}

function enqueueValueWithSize(c, value, size) {
  size = Number(size);
  if (Number.isNaN(size) || size < 0 || size === Infinity) {
    throw new RangeError('Invalid size');
  }
  c.queue.push({ value, size });
  c.queueTotalSize += size;
}

function dequeueValue(c) {
  const { value, size } = c.queue.shift();
  c.queueTotalSize -= size;
  if (c.queueTotalSize < 0) c.queueTotalSize = 0;
  return value;
}

// ---- ReadableStream

class ReadableStream {
  constructor(source = {}, strategy = {}) {
    if (source === null || (typeof source !== 'object' && typeof source !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('source', 'Object', source);
    }
    this[kType] = 'ReadableStream';
    this[kState] = {
      state: 'readable',
      reader: undefined,
      storedError: undefined,
      disturbed: false,
      controller: undefined,
    };
    this[kIsClosedPromise] = createDeferred();
    setHandled(this[kIsClosedPromise].promise);
    const type = source.type;
    if (type !== undefined && `${type}` !== 'bytes') throw new ERR_INVALID_ARG_VALUE('source.type', type);
    const isBytes = `${type}` === 'bytes';
    const hwm = extractHighWaterMark(strategy, isBytes ? 0 : 1);
    const size = isBytes ? (chunk) => chunk.byteLength : extractSizeAlgorithm(strategy);
    const controller = Object.create(ReadableStreamDefaultController.prototype);
    controller[kType] = isBytes ? 'ReadableByteStreamController' : 'ReadableStreamDefaultController';
    setupReadableStreamDefaultController(this, controller, source, hwm, size, isBytes);
  }

  get locked() {
    checkRS(this);
    return this[kState].reader !== undefined;
  }

  cancel(reason = undefined) {
    if (!isRS(this)) return Promise.reject(new ERR_INVALID_THIS('ReadableStream'));
    if (this[kState].reader !== undefined) {
      return Promise.reject(invalidState('ReadableStream is locked'));
    }
    return readableStreamCancel(this, reason);
  }

  getReader(options = {}) {
    checkRS(this);
    if (options !== null && typeof options === 'object' && options.mode !== undefined) {
      if (`${options.mode}` !== 'byob') throw new ERR_INVALID_ARG_VALUE('options.mode', options.mode);
      throw invalidState('BYOB readers are not supported by gnode');
    }
    return new ReadableStreamDefaultReader(this);
  }

  pipeThrough(transform, options = {}) {
    checkRS(this);
    const { readable, writable } = transform || {};
    if (!isRS(readable)) throw new ERR_INVALID_ARG_TYPE('transform.readable', 'ReadableStream', readable);
    if (!isWS(writable)) throw new ERR_INVALID_ARG_TYPE('transform.writable', 'WritableStream', writable);
    if (this.locked) throw invalidState('The ReadableStream is locked');
    if (writable.locked) throw invalidState('The WritableStream is locked');
    const p = readableStreamPipeTo(this, writable, options);
    setHandled(p);
    return readable;
  }

  pipeTo(destination, options = {}) {
    try {
      checkRS(this);
      if (!isWS(destination)) throw new ERR_INVALID_ARG_TYPE('transform.writable', 'WritableStream', destination);
      if (this.locked) throw invalidState('The ReadableStream is locked');
      if (destination.locked) throw invalidState('The WritableStream is locked');
    } catch (e) {
      return Promise.reject(e);
    }
    return readableStreamPipeTo(this, destination, options);
  }

  tee() {
    checkRS(this);
    return readableStreamTee(this);
  }

  values(options = {}) {
    checkRS(this);
    const preventCancel = !!(options && options.preventCancel);
    const reader = new ReadableStreamDefaultReader(this);
    let done = false;
    let current = Promise.resolve();
    const iterProto = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
    const it = Object.create(iterProto);
    const nextSteps = async () => {
      if (done) return { value: undefined, done: true };
      const r = await reader.read().catch((e) => {
        done = true;
        reader.releaseLock();
        throw e;
      });
      if (r.done) {
        done = true;
        reader.releaseLock();
        return { value: undefined, done: true };
      }
      return { value: r.value, done: false };
    };
    const returnSteps = async (value) => {
      if (done) return { value, done: true };
      done = true;
      if (!preventCancel) {
        const p = reader.cancel(value);
        reader.releaseLock();
        await p;
      } else {
        reader.releaseLock();
      }
      return { value, done: true };
    };
    it.next = function next() {
      current = current.then(nextSteps, nextSteps);
      return current;
    };
    it.return = function (value) {
      current = current.then(() => returnSteps(value), () => returnSteps(value));
      return current;
    };
    it[Symbol.toStringTag] = 'ReadableStreamAsyncIterator';
    return it;
  }

  [customInspect](depth, options) {
    const s = this[kState];
    return `ReadableStream ${require('util').inspect({
      locked: this.locked, state: s.state, supportsBYOB: false,
    }, options)}`;
  }

  static from(iterable) {
    if (isRS(iterable)) return iterable;
    let iterator;
    if (iterable != null && typeof iterable[Symbol.asyncIterator] === 'function') {
      iterator = iterable[Symbol.asyncIterator]();
    } else if (iterable != null && typeof iterable[Symbol.iterator] === 'function') {
      const sync = iterable[Symbol.iterator]();
      iterator = {
        async next() { const r = sync.next(); return { value: await r.value, done: r.done }; },
        async return(v) { return typeof sync.return === 'function' ? sync.return(v) : { value: v, done: true }; },
      };
    } else {
      throw new ERR_INVALID_ARG_TYPE('iterable', ['Iterable', 'AsyncIterable'], iterable);
    }
    return new ReadableStream({
      async pull(controller) {
        const r = await iterator.next();
        if (r === null || typeof r !== 'object') {
          throw invalidState('The promise returned by the iterator.next() method must fulfill with an object');
        }
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      async cancel(reason) {
        if (typeof iterator.return === 'function') {
          const r = await iterator.return(reason);
          if (r === null || typeof r !== 'object') throw typeError('The promise returned by the iterator.return() method must fulfill with an object');
        }
      },
    }, { highWaterMark: 0 });
  }
}

ReadableStream.prototype[Symbol.asyncIterator] = ReadableStream.prototype.values;
Object.defineProperty(ReadableStream.prototype, Symbol.toStringTag, { value: 'ReadableStream', configurable: true });

function isWS(v) {
  return require('internal/webstreams/writablestream').isWritableStream(v);
}

function isRS(v) {
  return v != null && typeof v === 'object' && v[kType] === 'ReadableStream';
}

function checkRS(v) {
  if (!isRS(v)) throw new ERR_INVALID_THIS('ReadableStream');
}

function isReadableStreamLocked(stream) {
  return stream[kState].reader !== undefined;
}

function readableStreamCancel(stream, reason) {
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') return Promise.resolve();
  if (s.state === 'errored') return Promise.reject(s.storedError);
  readableStreamClose(stream);
  const p = s.controller.cancelSteps(reason);
  return p.then(() => undefined);
}

function readableStreamClose(stream) {
  const s = stream[kState];
  s.state = 'closed';
  stream[kIsClosedPromise].resolve();
  const reader = s.reader;
  if (reader === undefined) return;
  const rs = reader[kState];
  rs.closed.resolve();
  const requests = rs.readRequests;
  rs.readRequests = [];
  for (const req of requests) req.close();
}

function readableStreamError(stream, e) {
  const s = stream[kState];
  s.state = 'errored';
  s.storedError = e;
  stream[kIsClosedPromise].reject(e);
  const reader = s.reader;
  if (reader === undefined) return;
  const rs = reader[kState];
  rs.closed.reject(e);
  setHandled(rs.closed.promise);
  const requests = rs.readRequests;
  rs.readRequests = [];
  for (const req of requests) req.error(e);
}

function readableStreamAddReadRequest(stream, req) {
  stream[kState].reader[kState].readRequests.push(req);
}

function readableStreamFulfillReadRequest(stream, chunk, done) {
  const req = stream[kState].reader[kState].readRequests.shift();
  if (done) req.close();
  else req.chunk(chunk);
}

function readableStreamGetNumReadRequests(stream) {
  const r = stream[kState].reader;
  return r === undefined ? 0 : r[kState].readRequests.length;
}

// ---- default controller

class ReadableStreamDefaultController {
  constructor() {
    throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get desiredSize() {
    return controllerGetDesiredSize(this);
  }

  close() {
    if (!controllerCanCloseOrEnqueue(this)) throw invalidState('Controller is already closed');
    controllerClose(this);
  }

  enqueue(chunk = undefined) {
    if (!controllerCanCloseOrEnqueue(this)) throw invalidState('Controller is already closed');
    if (this[kType] === 'ReadableByteStreamController') {
      if (!ArrayBuffer.isView(chunk)) throw new ERR_INVALID_ARG_TYPE('chunk', ['ArrayBufferView'], chunk);
      chunk = new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
    }
    controllerEnqueue(this, chunk);
  }

  error(error = undefined) {
    controllerError(this, error);
  }

  get byobRequest() {
    return null;
  }
}
Object.defineProperty(ReadableStreamDefaultController.prototype, Symbol.toStringTag, {
  value: 'ReadableStreamDefaultController', configurable: true,
});

function setupReadableStreamDefaultController(stream, c, source, hwm, sizeAlgorithm, isBytes) {
  c.stream = stream;
  resetQueue(c);
  c.started = false;
  c.closeRequested = false;
  c.pullAgain = false;
  c.pulling = false;
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = hwm;
  const pull = source.pull;
  const cancel = source.cancel;
  c.pullAlgorithm = () => promiseCall(pull, source, c);
  c.cancelAlgorithm = (reason) => promiseCall(cancel, source, reason);
  c.cancelSteps = (reason) => {
    resetQueue(c);
    const r = c.cancelAlgorithm(reason);
    clearAlgorithms(c);
    return r;
  };
  c.pullSteps = (req) => {
    const s = stream[kState];
    if (c.queue.length > 0) {
      const chunk = dequeueValue(c);
      if (c.closeRequested && c.queue.length === 0) {
        clearAlgorithms(c);
        readableStreamClose(stream);
      } else {
        callPullIfNeeded(c);
      }
      req.chunk(chunk);
    } else {
      readableStreamAddReadRequest(stream, req);
      callPullIfNeeded(c);
    }
    void s;
  };
  c.isBytes = isBytes;
  stream[kState].controller = c;
  stream[kControllerErrorFunction] = (e) => controllerError(c, e);
  let startResult;
  if (typeof source.start === 'function') {
    startResult = source.start.call(source, c);
  }
  Promise.resolve(startResult).then(() => {
    c.started = true;
    callPullIfNeeded(c);
  }, (r) => {
    controllerError(c, r);
  });
}

function clearAlgorithms(c) {
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function callPullIfNeeded(c) {
  if (!shouldCallPull(c)) return;
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  c.pullAlgorithm().then(() => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      callPullIfNeeded(c);
    }
  }, (e) => {
    controllerError(c, e);
  });
}

function shouldCallPull(c) {
  const stream = c.stream;
  if (!controllerCanCloseOrEnqueue(c)) return false;
  if (!c.started) return false;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
  return controllerGetDesiredSize(c) > 0;
}

function controllerCanCloseOrEnqueue(c) {
  return !c.closeRequested && c.stream[kState].state === 'readable';
}

function controllerGetDesiredSize(c) {
  const state = c.stream[kState].state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return c.strategyHWM - c.queueTotalSize;
}

function controllerClose(c) {
  if (!controllerCanCloseOrEnqueue(c)) return;
  c.closeRequested = true;
  if (c.queue.length === 0) {
    clearAlgorithms(c);
    readableStreamClose(c.stream);
  }
}

function controllerEnqueue(c, chunk) {
  if (!controllerCanCloseOrEnqueue(c)) return;
  const stream = c.stream;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) {
    readableStreamFulfillReadRequest(stream, chunk, false);
  } else {
    let size;
    try {
      size = c.strategySizeAlgorithm(chunk);
    } catch (e) {
      controllerError(c, e);
      throw e;
    }
    try {
      enqueueValueWithSize(c, chunk, size);
    } catch (e) {
      controllerError(c, e);
      throw e;
    }
  }
  callPullIfNeeded(c);
}

function controllerError(c, e) {
  const stream = c.stream;
  if (stream[kState].state !== 'readable') return;
  resetQueue(c);
  clearAlgorithms(c);
  readableStreamError(stream, e);
}

// ---- default reader

class ReadableStreamDefaultReader {
  constructor(stream) {
    if (!isRS(stream)) throw new ERR_INVALID_ARG_TYPE('stream', 'ReadableStream', stream);
    if (isReadableStreamLocked(stream)) throw invalidState('ReadableStream is locked');
    this[kType] = 'ReadableStreamDefaultReader';
    this[kState] = { stream, readRequests: [], closed: createDeferred() };
    stream[kState].reader = this;
    const s = stream[kState];
    if (s.state === 'closed') this[kState].closed.resolve();
    else if (s.state === 'errored') {
      this[kState].closed.reject(s.storedError);
      setHandled(this[kState].closed.promise);
    }
  }

  read() {
    if (!isReader(this)) return Promise.reject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    const stream = this[kState].stream;
    if (stream === undefined) return Promise.reject(invalidState('The reader is not attached to a stream'));
    const d = createDeferred();
    readerRead(this, {
      chunk: (value) => d.resolve({ value, done: false }),
      close: () => d.resolve({ value: undefined, done: true }),
      error: (e) => d.reject(e),
    });
    return d.promise;
  }

  releaseLock() {
    if (!isReader(this)) throw new ERR_INVALID_THIS('ReadableStreamDefaultReader');
    const stream = this[kState].stream;
    if (stream === undefined) return;
    const e = typeError('Reader was released', 'ERR_INVALID_STATE');
    const rs = this[kState];
    if (stream[kState].state === 'readable') rs.closed.reject(e);
    else {
      rs.closed = createDeferred();
      rs.closed.reject(e);
    }
    setHandled(rs.closed.promise);
    stream[kState].reader = undefined;
    rs.stream = undefined;
    const requests = rs.readRequests;
    rs.readRequests = [];
    for (const req of requests) req.error(e);
  }

  get closed() {
    if (!isReader(this)) return Promise.reject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    return this[kState].closed.promise;
  }

  cancel(reason = undefined) {
    if (!isReader(this)) return Promise.reject(new ERR_INVALID_THIS('ReadableStreamDefaultReader'));
    const stream = this[kState].stream;
    if (stream === undefined) return Promise.reject(invalidState('The reader is not attached to a stream'));
    return readableStreamCancel(stream, reason);
  }
}
Object.defineProperty(ReadableStreamDefaultReader.prototype, Symbol.toStringTag, {
  value: 'ReadableStreamDefaultReader', configurable: true,
});

function readerRead(reader, req) {
  const stream = reader[kState].stream;
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') req.close();
  else if (s.state === 'errored') req.error(s.storedError);
  else s.controller.pullSteps(req);
}

function isReader(v) {
  return v != null && typeof v === 'object' && v[kType] === 'ReadableStreamDefaultReader';
}

// ---- tee and pipeTo

function readableStreamTee(stream) {
  const reader = new ReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = createDeferred();
  function pullAlgorithm() {
    if (reading) {
      readAgain = true;
      return Promise.resolve();
    }
    reading = true;
    const req = {
      chunk: (chunk) => {
        Promise.resolve().then(() => {
          readAgain = false;
          if (!canceled1) controllerEnqueue(branch1[kState].controller, chunk);
          if (!canceled2) controllerEnqueue(branch2[kState].controller, chunk);
          reading = false;
          if (readAgain) pullAlgorithm();
        });
      },
      close: () => {
        reading = false;
        if (!canceled1) controllerClose(branch1[kState].controller);
        if (!canceled2) controllerClose(branch2[kState].controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve();
      },
      error: () => {
        reading = false;
      },
    };
    const s = stream[kState];
    if (s.state === 'closed') req.close();
    else if (s.state === 'errored') req.error(s.storedError);
    else s.controller.pullSteps(req);
    return Promise.resolve();
  }
  function cancel1(reason) {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }
  function cancel2(reason) {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  }
  branch1 = new ReadableStream({ pull: pullAlgorithm, cancel: cancel1 });
  branch2 = new ReadableStream({ pull: pullAlgorithm, cancel: cancel2 });
  reader[kState].closed.promise.then(undefined, (r) => {
    controllerError(branch1[kState].controller, r);
    controllerError(branch2[kState].controller, r);
    if (!canceled1 || !canceled2) cancelPromise.resolve();
  });
  return [branch1, branch2];
}

function readableStreamPipeTo(source, dest, options) {
  const preventClose = !!(options && options.preventClose);
  const preventAbort = !!(options && options.preventAbort);
  const preventCancel = !!(options && options.preventCancel);
  const signal = options && options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    return Promise.reject(new ERR_INVALID_ARG_TYPE('options.signal', 'AbortSignal', signal));
  }
  const { WritableStreamDefaultWriter, writerInternals } = require('internal/webstreams/writablestream');
  const reader = new ReadableStreamDefaultReader(source);
  const writer = new WritableStreamDefaultWriter(dest);
  source[kState].disturbed = true;
  let shuttingDown = false;
  const result = createDeferred();
  let currentWrite = Promise.resolve();

  function finalize(isError, error) {
    writer.releaseLock();
    reader.releaseLock();
    if (signal) signal.removeEventListener('abort', abortAlgorithm);
    if (isError) result.reject(error);
    else result.resolve();
  }

  function shutdownWithAction(action, originalIsError, originalError) {
    if (shuttingDown) return;
    shuttingDown = true;
    const waitForWrites = writerInternals.isWritableAndNotClosing(dest) ? currentWrite.then(() => {}, () => {}) : Promise.resolve();
    waitForWrites.then(() => action()).then(
      () => finalize(originalIsError, originalError),
      (e) => finalize(true, e),
    );
  }

  function shutdown(isError, error) {
    if (shuttingDown) return;
    shuttingDown = true;
    const waitForWrites = writerInternals.isWritableAndNotClosing(dest) ? currentWrite.then(() => {}, () => {}) : Promise.resolve();
    waitForWrites.then(() => finalize(isError, error));
  }

  function abortAlgorithm() {
    const error = signal.reason !== undefined ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
    const actions = [];
    if (!preventAbort) {
      actions.push(() => (writerInternals.state(dest) === 'writable' ? writerInternals.abort(dest, error) : Promise.resolve()));
    }
    if (!preventCancel) {
      actions.push(() => (source[kState].state === 'readable' ? readableStreamCancel(source, error) : Promise.resolve()));
    }
    shutdownWithAction(() => Promise.all(actions.map((a) => a())), true, error);
  }

  if (signal) {
    if (signal.aborted) {
      abortAlgorithm();
      return result.promise;
    }
    signal.addEventListener('abort', abortAlgorithm, { once: true });
  }

  // Errors and closes propagate forward and backward.
  reader[kState].closed.promise.then(() => {
    if (!preventClose) shutdownWithAction(() => writerInternals.closeWithErrorPropagation(writer));
    else shutdown();
  }, (storedError) => {
    if (!preventAbort) shutdownWithAction(() => writerInternals.abort(dest, storedError), true, storedError);
    else shutdown(true, storedError);
  });
  writer.closed.then(undefined, (storedError) => {
    if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, storedError), true, storedError);
    else shutdown(true, storedError);
  });

  // The write is issued from the read request's chunk steps, before the
  // reader's closed promise reacts, so a close waits for the last write.
  function pipeStep() {
    if (shuttingDown) return Promise.resolve(true);
    return writer.ready.then(() => new Promise((resolve, reject) => {
      readerRead(reader, {
        chunk: (value) => {
          currentWrite = writer.write(value);
          setHandled(currentWrite);
          resolve(false);
        },
        close: () => resolve(true),
        error: reject,
      });
    }));
  }

  function pipeLoop() {
    return pipeStep().then((done) => {
      if (!done && !shuttingDown) return pipeLoop();
      return undefined;
    }, () => {});
  }
  Promise.resolve().then(() => {
    if (writerInternals.isClosingOrClosed(dest) && source[kState].state !== 'closed') {
      const destClosed = typeError('The destination writable stream closed before all data could be piped to it.', 'ERR_INVALID_STATE');
      if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, destClosed), true, destClosed);
      else shutdown(true, destClosed);
      return;
    }
    pipeLoop();
  });
  return result.promise;
}

module.exports = {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamDefaultController,
  isReadableStream: isRS,
  readableStreamCancel,
  controllerEnqueue,
  controllerClose,
  controllerError,
  kState,
  createDeferred,
  setHandled,
  extractHighWaterMark,
  extractSizeAlgorithm,
  promiseCall,
  resetQueue,
  enqueueValueWithSize,
  dequeueValue,
  invalidState,
  invalidArgRange,
  kType,
};
