'use strict';
// WritableStream, its default writer and controller, following the
// Streams spec's algorithms (in-flight write/close, erroring state,
// backpressure through writer.ready).

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_THIS, ERR_ILLEGAL_CONSTRUCTOR },
} = require('internal/errors');
const {
  createDeferred, setHandled, extractHighWaterMark, extractSizeAlgorithm, promiseCall, resetQueue,
  enqueueValueWithSize, dequeueValue, invalidState, invalidArgRange,
} = require('internal/webstreams/readablestream');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kState = Symbol('kState');
const kType = Symbol('kType');
const kCloseSentinel = Symbol('close');
const kIsClosedPromise = Symbol.for('nodejs.webstream.isClosedPromise');
const kControllerErrorFunction = Symbol.for('nodejs.webstream.controllerErrorFunction');

class WritableStream {
  constructor(sink = {}, strategy = {}) {
    if (sink === null || (typeof sink !== 'object' && typeof sink !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('sink', 'Object', sink);
    }
    if (sink.type !== undefined) throw invalidArgRange('type', sink.type);
    this[kType] = 'WritableStream';
    this[kState] = {
      state: 'writable',
      storedError: undefined,
      writer: undefined,
      controller: undefined,
      inFlightWriteRequest: undefined,
      closeRequest: undefined,
      inFlightCloseRequest: undefined,
      pendingAbortRequest: undefined,
      writeRequests: [],
      backpressure: false,
    };
    this[kIsClosedPromise] = createDeferred();
    setHandled(this[kIsClosedPromise].promise);
    const hwm = extractHighWaterMark(strategy, 1);
    const size = extractSizeAlgorithm(strategy);
    setupController(this, sink, hwm, size);
  }

  get locked() {
    checkWS(this);
    return this[kState].writer !== undefined;
  }

  abort(reason = undefined) {
    if (!isWS(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStream'));
    if (this[kState].writer !== undefined) return Promise.reject(invalidState('WritableStream is locked'));
    return writableStreamAbort(this, reason);
  }

  close() {
    if (!isWS(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStream'));
    if (this[kState].writer !== undefined) return Promise.reject(invalidState('WritableStream is locked'));
    if (closeQueuedOrInFlight(this)) return Promise.reject(invalidState('Failure closing WritableStream'));
    return writableStreamClose(this);
  }

  getWriter() {
    checkWS(this);
    return new WritableStreamDefaultWriter(this);
  }

  [customInspect](depth, options) {
    return `WritableStream ${require('util').inspect({ locked: this.locked, state: this[kState].state }, options)}`;
  }
}
Object.defineProperty(WritableStream.prototype, Symbol.toStringTag, { value: 'WritableStream', configurable: true });

function isWS(v) {
  return v != null && typeof v === 'object' && v[kType] === 'WritableStream';
}

function checkWS(v) {
  if (!isWS(v)) throw new ERR_INVALID_THIS('WritableStream');
}

function closeQueuedOrInFlight(stream) {
  const s = stream[kState];
  return s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function writableStreamAbort(stream, reason) {
  const s = stream[kState];
  if (s.state === 'closed' || s.state === 'errored') return Promise.resolve();
  s.controller.abortController.abort(reason);
  if (s.state === 'closed' || s.state === 'errored') return Promise.resolve();
  if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.deferred.promise;
  let wasAlreadyErroring = false;
  if (s.state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const deferred = createDeferred();
  s.pendingAbortRequest = { deferred, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) writableStreamStartErroring(stream, reason);
  return deferred.promise;
}

function writableStreamClose(stream) {
  const s = stream[kState];
  if (s.state === 'closed' || s.state === 'errored') {
    return Promise.reject(invalidState('WritableStream is closed'));
  }
  const deferred = createDeferred();
  s.closeRequest = deferred;
  const writer = s.writer;
  if (writer !== undefined && s.backpressure && s.state === 'writable') writer[kState].ready.resolve();
  controllerCloseWS(s.controller);
  return deferred.promise;
}

function writableStreamAddWriteRequest(stream) {
  const deferred = createDeferred();
  stream[kState].writeRequests.push(deferred);
  return deferred.promise;
}

function writableStreamDealWithRejection(stream, error) {
  const s = stream[kState];
  if (s.state === 'writable') {
    writableStreamStartErroring(stream, error);
    return;
  }
  writableStreamFinishErroring(stream);
}

function writableStreamStartErroring(stream, reason) {
  const s = stream[kState];
  const controller = s.controller;
  s.state = 'erroring';
  s.storedError = reason;
  const writer = s.writer;
  if (writer !== undefined) writerEnsureReadyPromiseRejected(writer, reason);
  if (!hasOperationMarkedInFlight(stream) && controller.started) writableStreamFinishErroring(stream);
}

function writableStreamFinishErroring(stream) {
  const s = stream[kState];
  s.state = 'errored';
  s.controller.errorSteps();
  const storedError = s.storedError;
  for (const req of s.writeRequests) req.reject(storedError);
  s.writeRequests = [];
  stream[kIsClosedPromise].reject(storedError);
  if (s.pendingAbortRequest === undefined) {
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const abortRequest = s.pendingAbortRequest;
  s.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.deferred.reject(storedError);
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const p = s.controller.abortSteps(abortRequest.reason);
  p.then(() => {
    abortRequest.deferred.resolve();
    rejectCloseAndClosedPromiseIfNeeded(stream);
  }, (reason) => {
    abortRequest.deferred.reject(reason);
    rejectCloseAndClosedPromiseIfNeeded(stream);
  });
}

function finishInFlightWrite(stream) {
  stream[kState].inFlightWriteRequest.resolve();
  stream[kState].inFlightWriteRequest = undefined;
}

function finishInFlightWriteWithError(stream, error) {
  stream[kState].inFlightWriteRequest.reject(error);
  stream[kState].inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(stream, error);
}

function finishInFlightClose(stream) {
  const s = stream[kState];
  s.inFlightCloseRequest.resolve();
  s.inFlightCloseRequest = undefined;
  if (s.state === 'erroring') {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== undefined) {
      s.pendingAbortRequest.deferred.resolve();
      s.pendingAbortRequest = undefined;
    }
  }
  s.state = 'closed';
  stream[kIsClosedPromise].resolve();
  const writer = s.writer;
  if (writer !== undefined) writer[kState].closed.resolve();
}

function finishInFlightCloseWithError(stream, error) {
  const s = stream[kState];
  s.inFlightCloseRequest.reject(error);
  s.inFlightCloseRequest = undefined;
  if (s.pendingAbortRequest !== undefined) {
    s.pendingAbortRequest.deferred.reject(error);
    s.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(stream, error);
}

function hasOperationMarkedInFlight(stream) {
  const s = stream[kState];
  return s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function rejectCloseAndClosedPromiseIfNeeded(stream) {
  const s = stream[kState];
  if (s.closeRequest !== undefined) {
    s.closeRequest.reject(s.storedError);
    s.closeRequest = undefined;
  }
  const writer = s.writer;
  if (writer !== undefined) {
    writer[kState].closed.reject(s.storedError);
    setHandled(writer[kState].closed.promise);
  }
}

function updateBackpressure(stream, backpressure) {
  const s = stream[kState];
  const writer = s.writer;
  if (writer !== undefined && backpressure !== s.backpressure) {
    if (backpressure) writer[kState].ready = createDeferred();
    else writer[kState].ready.resolve();
  }
  s.backpressure = backpressure;
}

// ---- controller

class WritableStreamDefaultController {
  constructor() {
    throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get signal() {
    return this.abortController.signal;
  }

  error(e = undefined) {
    if (this.stream[kState].state !== 'writable') return;
    controllerErrorWS(this, e);
  }
}
Object.defineProperty(WritableStreamDefaultController.prototype, Symbol.toStringTag, {
  value: 'WritableStreamDefaultController', configurable: true,
});

function setupController(stream, sink, hwm, sizeAlgorithm) {
  const c = Object.create(WritableStreamDefaultController.prototype);
  c.stream = stream;
  resetQueue(c);
  c.abortController = new (require('internal/abort_controller').AbortController)();
  c.started = false;
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = hwm;
  c.writeAlgorithm = (chunk) => promiseCall(sink.write, sink, chunk, c);
  c.closeAlgorithm = () => promiseCall(sink.close, sink);
  c.abortAlgorithm = (reason) => promiseCall(sink.abort, sink, reason);
  c.abortSteps = (reason) => {
    const r = c.abortAlgorithm(reason);
    clearAlgorithms(c);
    return r;
  };
  c.errorSteps = () => resetQueue(c);
  stream[kState].controller = c;
  stream[kControllerErrorFunction] = (e) => controllerErrorIfNeeded(c, e);
  updateBackpressure(stream, getBackpressure(c));
  let startResult;
  if (typeof sink.start === 'function') startResult = sink.start.call(sink, c);
  Promise.resolve(startResult).then(() => {
    c.started = true;
    advanceQueueIfNeeded(c);
  }, (r) => {
    c.started = true;
    writableStreamDealWithRejection(stream, r);
  });
}

function clearAlgorithms(c) {
  c.writeAlgorithm = undefined;
  c.closeAlgorithm = undefined;
  c.abortAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function controllerCloseWS(c) {
  enqueueValueWithSize(c, kCloseSentinel, 0);
  advanceQueueIfNeeded(c);
}

function getChunkSize(c, chunk) {
  try {
    return c.strategySizeAlgorithm(chunk);
  } catch (e) {
    controllerErrorIfNeeded(c, e);
    return 1;
  }
}

function getDesiredSize(c) {
  return c.strategyHWM - c.queueTotalSize;
}

function controllerWrite(c, chunk, size) {
  try {
    enqueueValueWithSize(c, chunk, size);
  } catch (e) {
    controllerErrorIfNeeded(c, e);
    return;
  }
  const stream = c.stream;
  if (!closeQueuedOrInFlight(stream) && stream[kState].state === 'writable') {
    updateBackpressure(stream, getBackpressure(c));
  }
  advanceQueueIfNeeded(c);
}

function advanceQueueIfNeeded(c) {
  const stream = c.stream;
  const s = stream[kState];
  if (!c.started) return;
  if (s.inFlightWriteRequest !== undefined) return;
  if (s.state === 'erroring') {
    writableStreamFinishErroring(stream);
    return;
  }
  if (c.queue.length === 0) return;
  const value = c.queue[0].value;
  if (value === kCloseSentinel) processClose(c);
  else processWrite(c, value);
}

function controllerErrorIfNeeded(c, error) {
  if (c.stream[kState].state === 'writable') controllerErrorWS(c, error);
}

function processClose(c) {
  const stream = c.stream;
  const s = stream[kState];
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = undefined;
  dequeueValue(c);
  const p = c.closeAlgorithm();
  clearAlgorithms(c);
  p.then(() => finishInFlightClose(stream), (reason) => finishInFlightCloseWithError(stream, reason));
}

function processWrite(c, chunk) {
  const stream = c.stream;
  const s = stream[kState];
  s.inFlightWriteRequest = s.writeRequests.shift();
  c.writeAlgorithm(chunk).then(() => {
    finishInFlightWrite(stream);
    dequeueValue(c);
    if (!closeQueuedOrInFlight(stream) && s.state === 'writable') {
      updateBackpressure(stream, getBackpressure(c));
    }
    advanceQueueIfNeeded(c);
  }, (reason) => {
    if (s.state === 'writable') clearAlgorithms(c);
    finishInFlightWriteWithError(stream, reason);
  });
}

function getBackpressure(c) {
  return getDesiredSize(c) <= 0;
}

function controllerErrorWS(c, error) {
  clearAlgorithms(c);
  writableStreamStartErroring(c.stream, error);
}

// ---- writer

class WritableStreamDefaultWriter {
  constructor(stream) {
    if (!isWS(stream)) throw new ERR_INVALID_ARG_TYPE('stream', 'WritableStream', stream);
    if (stream[kState].writer !== undefined) throw invalidState('WritableStream is locked');
    this[kType] = 'WritableStreamDefaultWriter';
    const ws = { stream, ready: createDeferred(), closed: createDeferred() };
    this[kState] = ws;
    const s = stream[kState];
    s.writer = this;
    if (s.state === 'writable') {
      if (!closeQueuedOrInFlight(stream) && s.backpressure) {
        // ready stays pending
      } else {
        ws.ready.resolve();
      }
    } else if (s.state === 'erroring') {
      ws.ready.reject(s.storedError);
      setHandled(ws.ready.promise);
    } else if (s.state === 'closed') {
      ws.ready.resolve();
      ws.closed.resolve();
    } else {
      ws.ready.reject(s.storedError);
      setHandled(ws.ready.promise);
      ws.closed.reject(s.storedError);
      setHandled(ws.closed.promise);
    }
  }

  get closed() {
    if (!isWriter(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    return this[kState].closed.promise;
  }

  get desiredSize() {
    if (!isWriter(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultWriter');
    const stream = this[kState].stream;
    if (stream === undefined) throw invalidState('Writer is not bound to a WritableStream');
    const state = stream[kState].state;
    if (state === 'errored' || state === 'erroring') return null;
    if (state === 'closed') return 0;
    return getDesiredSize(stream[kState].controller);
  }

  get ready() {
    if (!isWriter(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    return this[kState].ready.promise;
  }

  abort(reason = undefined) {
    if (!isWriter(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const stream = this[kState].stream;
    if (stream === undefined) return Promise.reject(invalidState('Writer is not bound to a WritableStream'));
    return writableStreamAbort(stream, reason);
  }

  close() {
    if (!isWriter(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const stream = this[kState].stream;
    if (stream === undefined) return Promise.reject(invalidState('Writer is not bound to a WritableStream'));
    if (closeQueuedOrInFlight(stream)) return Promise.reject(invalidState('Failure to close WritableStream'));
    return writableStreamClose(stream);
  }

  releaseLock() {
    if (!isWriter(this)) throw new ERR_INVALID_THIS('WritableStreamDefaultWriter');
    const stream = this[kState].stream;
    if (stream === undefined) return;
    const releasedError = invalidState('Writer has been released');
    writerEnsureReadyPromiseRejected(this, releasedError);
    writerEnsureClosedPromiseRejected(this, releasedError);
    stream[kState].writer = undefined;
    this[kState].stream = undefined;
  }

  write(chunk = undefined) {
    if (!isWriter(this)) return Promise.reject(new ERR_INVALID_THIS('WritableStreamDefaultWriter'));
    const stream = this[kState].stream;
    if (stream === undefined) return Promise.reject(invalidState('Writer is not bound to a WritableStream'));
    const c = stream[kState].controller;
    const chunkSize = getChunkSize(c, chunk);
    if (stream !== this[kState].stream) return Promise.reject(invalidState('Writer released'));
    const s = stream[kState];
    if (s.state === 'errored') return Promise.reject(s.storedError);
    if (closeQueuedOrInFlight(stream) || s.state === 'closed') {
      return Promise.reject(invalidState('WritableStream is closed'));
    }
    if (s.state === 'erroring') return Promise.reject(s.storedError);
    const promise = writableStreamAddWriteRequest(stream);
    controllerWrite(c, chunk, chunkSize);
    return promise;
  }

  [customInspect](depth, options) {
    return `WritableStreamDefaultWriter ${require('util').inspect({ stream: this[kState].stream }, options)}`;
  }
}
Object.defineProperty(WritableStreamDefaultWriter.prototype, Symbol.toStringTag, {
  value: 'WritableStreamDefaultWriter', configurable: true,
});

function isWriter(v) {
  return v != null && typeof v === 'object' && v[kType] === 'WritableStreamDefaultWriter';
}

function writerEnsureReadyPromiseRejected(writer, error) {
  const ws = writer[kState];
  // A pending ready promise is rejected; a settled one is replaced.
  if (ws.ready.settled) ws.ready = createDeferred();
  ws.ready.reject(error);
  ws.ready.settled = true;
  setHandled(ws.ready.promise);
}

function writerEnsureClosedPromiseRejected(writer, error) {
  const ws = writer[kState];
  if (ws.closed.settled) ws.closed = createDeferred();
  ws.closed.reject(error);
  ws.closed.settled = true;
  setHandled(ws.closed.promise);
}

const writerInternals = {
  state: (stream) => stream[kState].state,
  abort: writableStreamAbort,
  isWritableAndNotClosing: (stream) => stream[kState].state === 'writable' && !closeQueuedOrInFlight(stream),
  isClosingOrClosed: (stream) => closeQueuedOrInFlight(stream) || stream[kState].state === 'closed',
  closeWithErrorPropagation(writer) {
    const stream = writer[kState].stream;
    const s = stream[kState];
    if (closeQueuedOrInFlight(stream) || s.state === 'closed') return Promise.resolve();
    if (s.state === 'errored') return Promise.reject(s.storedError);
    return writableStreamClose(stream);
  },
};

module.exports = {
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  isWritableStream: isWS,
  writerInternals,
  writableStreamAbort,
  writableStreamClose,
  kState,
};
