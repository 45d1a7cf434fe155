'use strict';
// TransformStream and its controller (Streams spec), plus the queuing
// strategies and TextEncoderStream/TextDecoderStream.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_THIS, ERR_ILLEGAL_CONSTRUCTOR },
} = require('internal/errors');
const rs = require('internal/webstreams/readablestream');
const ws = require('internal/webstreams/writablestream');

const {
  ReadableStream, createDeferred, setHandled, extractHighWaterMark, extractSizeAlgorithm, promiseCall,
  controllerEnqueue, controllerClose, controllerError, readableStreamCancel, invalidArgRange,
} = rs;
const { WritableStream } = ws;
const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kState = Symbol('kState');
const kType = Symbol('kType');

class TransformStream {
  constructor(transformer = {}, writableStrategy = {}, readableStrategy = {}) {
    if (transformer === null || (typeof transformer !== 'object' && typeof transformer !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('transformer', 'Object', transformer);
    }
    if (transformer.readableType !== undefined) throw invalidArgRange('transformer.readableType', transformer.readableType);
    if (transformer.writableType !== undefined) throw invalidArgRange('transformer.writableType', transformer.writableType);
    const readableHWM = extractHighWaterMark(readableStrategy, 0);
    const readableSize = extractSizeAlgorithm(readableStrategy);
    const writableHWM = extractHighWaterMark(writableStrategy, 1);
    const writableSize = extractSizeAlgorithm(writableStrategy);
    this[kType] = 'TransformStream';
    const startPromise = createDeferred();
    const st = {
      backpressure: undefined,
      backpressureChange: undefined,
      controller: undefined,
      readable: undefined,
      writable: undefined,
    };
    this[kState] = st;
    let readableController;
    st.writable = new WritableStream({
      start() {
        return startPromise.promise;
      },
      write: (chunk) => sinkWrite(this, chunk),
      abort: (reason) => sinkAbort(this, reason),
      close: () => sinkClose(this),
    }, { highWaterMark: writableHWM, size: writableSize });
    st.readable = new ReadableStream({
      start(c) {
        readableController = c;
        return startPromise.promise;
      },
      pull: () => sourcePull(this),
      cancel: (reason) => sourceCancel(this, reason),
    }, { highWaterMark: readableHWM, size: readableSize });
    st.readableController = readableController;
    st.backpressure = undefined;
    setBackpressure(this, true);
    const c = Object.create(TransformStreamDefaultController.prototype);
    c[kType] = 'TransformStreamDefaultController';
    c.stream = this;
    const transform = transformer.transform;
    const flush = transformer.flush;
    const cancel = transformer.cancel;
    c.transformAlgorithm = typeof transform === 'function'
      ? (chunk) => promiseCall(transform, transformer, chunk, c)
      : (chunk) => {
        try {
          controllerEnqueueTS(c, chunk);
          return Promise.resolve();
        } catch (e) {
          return Promise.reject(e);
        }
      };
    c.flushAlgorithm = () => promiseCall(flush, transformer, c);
    c.cancelAlgorithm = (reason) => promiseCall(cancel, transformer, reason);
    c.finishPromise = undefined;
    st.controller = c;
    let startResult;
    if (typeof transformer.start === 'function') startResult = transformer.start.call(transformer, c);
    startPromise.resolve(startResult);
  }

  get readable() {
    if (!isTS(this)) throw new ERR_INVALID_THIS('TransformStream');
    return this[kState].readable;
  }

  get writable() {
    if (!isTS(this)) throw new ERR_INVALID_THIS('TransformStream');
    return this[kState].writable;
  }

  [customInspect](depth, options) {
    return `TransformStream ${require('util').inspect({ readable: this.readable, writable: this.writable, backpressure: this[kState].backpressure }, options)}`;
  }
}
Object.defineProperty(TransformStream.prototype, Symbol.toStringTag, { value: 'TransformStream', configurable: true });

function isTS(v) {
  return v != null && typeof v === 'object' && v[kType] === 'TransformStream';
}

class TransformStreamDefaultController {
  constructor() {
    throw new ERR_ILLEGAL_CONSTRUCTOR();
  }

  get desiredSize() {
    const rc = this.stream[kState].readableController;
    return rc.desiredSize;
  }

  enqueue(chunk = undefined) {
    controllerEnqueueTS(this, chunk);
  }

  error(reason = undefined) {
    errorTS(this.stream, reason);
  }

  terminate() {
    const stream = this.stream;
    controllerClose(stream[kState].readableController);
    errorWritableAndUnblockWrite(stream, rs.invalidState('TransformStream has been terminated'));
  }
}
Object.defineProperty(TransformStreamDefaultController.prototype, Symbol.toStringTag, {
  value: 'TransformStreamDefaultController', configurable: true,
});

function controllerEnqueueTS(c, chunk) {
  const stream = c.stream;
  const rc = stream[kState].readableController;
  if (rc.closeRequested || stream[kState].readable[rs.kState].state !== 'readable') {
    throw rs.invalidState('Unable to enqueue');
  }
  try {
    controllerEnqueue(rc, chunk);
  } catch (e) {
    errorWritableAndUnblockWrite(stream, e);
    throw stream[kState].readable[rs.kState].storedError;
  }
  const backpressure = !(rc.strategyHWM - rc.queueTotalSize > 0);
  if (backpressure !== stream[kState].backpressure) setBackpressure(stream, true);
}

function errorTS(stream, e) {
  controllerError(stream[kState].readableController, e);
  errorWritableAndUnblockWrite(stream, e);
}

function errorWritableAndUnblockWrite(stream, e) {
  clearAlgorithms(stream[kState].controller);
  const wsc = stream[kState].writable[ws.kState].controller;
  if (stream[kState].writable[ws.kState].state === 'writable') wsc.error(e);
  if (stream[kState].backpressure) setBackpressure(stream, false);
}

function clearAlgorithms(c) {
  c.transformAlgorithm = undefined;
  c.flushAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
}

function setBackpressure(stream, backpressure) {
  const st = stream[kState];
  if (st.backpressureChange !== undefined) st.backpressureChange.resolve();
  st.backpressureChange = createDeferred();
  st.backpressure = backpressure;
}

function performTransform(c, chunk) {
  return c.transformAlgorithm(chunk).then(undefined, (r) => {
    errorTS(c.stream, r);
    throw r;
  });
}

function sinkWrite(stream, chunk) {
  const st = stream[kState];
  const c = st.controller;
  if (st.backpressure) {
    return st.backpressureChange.promise.then(() => {
      const w = st.writable[ws.kState];
      if (w.state === 'erroring') throw w.storedError;
      return performTransform(c, chunk);
    });
  }
  return performTransform(c, chunk);
}

function sinkAbort(stream, reason) {
  const st = stream[kState];
  const c = st.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = st.readable;
  c.finishPromise = createDeferred();
  const p = c.cancelAlgorithm(reason);
  clearAlgorithms(c);
  p.then(() => {
    if (readable[rs.kState].state === 'errored') c.finishPromise.reject(readable[rs.kState].storedError);
    else {
      controllerError(st.readableController, reason);
      c.finishPromise.resolve();
    }
  }, (r) => {
    controllerError(st.readableController, r);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

function sinkClose(stream) {
  const st = stream[kState];
  const c = st.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = st.readable;
  c.finishPromise = createDeferred();
  const p = c.flushAlgorithm();
  clearAlgorithms(c);
  p.then(() => {
    if (readable[rs.kState].state === 'errored') {
      c.finishPromise.reject(readable[rs.kState].storedError);
    } else {
      controllerClose(st.readableController);
      c.finishPromise.resolve();
    }
  }, (r) => {
    controllerError(st.readableController, r);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

function sourcePull(stream) {
  setBackpressure(stream, false);
  return stream[kState].backpressureChange.promise;
}

function sourceCancel(stream, reason) {
  const st = stream[kState];
  const c = st.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const writable = st.writable;
  c.finishPromise = createDeferred();
  const p = c.cancelAlgorithm(reason);
  clearAlgorithms(c);
  p.then(() => {
    if (writable[ws.kState].state === 'errored') c.finishPromise.reject(writable[ws.kState].storedError);
    else {
      const wsc = writable[ws.kState].controller;
      if (writable[ws.kState].state === 'writable') wsc.error(reason);
      if (st.backpressure) setBackpressure(stream, false);
      c.finishPromise.resolve();
    }
  }, (r) => {
    const wsc = writable[ws.kState].controller;
    if (writable[ws.kState].state === 'writable') wsc.error(r);
    if (st.backpressure) setBackpressure(stream, false);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

// ---- queuing strategies

const kHWM = Symbol('highWaterMark');

function strategyInit(self, init, name) {
  if (init === null || typeof init !== 'object') throw new ERR_INVALID_ARG_TYPE('init', 'Object', init);
  if (init.highWaterMark === undefined) {
    const { codes } = require('internal/errors');
    throw new codes.ERR_MISSING_OPTION('init.highWaterMark');
  }
  self[kHWM] = +init.highWaterMark;
  self[kType] = name;
}

const byteSize = function size(chunk) {
  return chunk.byteLength;
};
const countSize = function size() {
  return 1;
};

class ByteLengthQueuingStrategy {
  constructor(init) {
    strategyInit(this, init, 'ByteLengthQueuingStrategy');
  }

  get highWaterMark() {
    return this[kHWM];
  }

  get size() {
    return byteSize;
  }
}
Object.defineProperty(ByteLengthQueuingStrategy.prototype, Symbol.toStringTag, {
  value: 'ByteLengthQueuingStrategy', configurable: true,
});

class CountQueuingStrategy {
  constructor(init) {
    strategyInit(this, init, 'CountQueuingStrategy');
  }

  get highWaterMark() {
    return this[kHWM];
  }

  get size() {
    return countSize;
  }
}
Object.defineProperty(CountQueuingStrategy.prototype, Symbol.toStringTag, {
  value: 'CountQueuingStrategy', configurable: true,
});

// ---- text streams

class TextEncoderStream {
  constructor() {
    const { TextEncoder } = require('internal/encoding');
    const encoder = new TextEncoder();
    let pending = '';
    this[kState] = new TransformStream({
      transform(chunk, controller) {
        let s = pending + `${chunk}`;
        pending = '';
        const last = s.charCodeAt(s.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = s[s.length - 1];
          s = s.slice(0, -1);
        }
        if (s.length) controller.enqueue(encoder.encode(s));
      },
      flush(controller) {
        if (pending) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
      },
    });
  }

  get encoding() {
    return 'utf-8';
  }

  get readable() {
    return this[kState].readable;
  }

  get writable() {
    return this[kState].writable;
  }
}

class TextDecoderStream {
  constructor(encoding = 'utf-8', options = {}) {
    const { TextDecoder } = require('internal/encoding');
    const decoder = new TextDecoder(encoding, options);
    this[kType] = decoder;
    this[kState] = new TransformStream({
      transform(chunk, controller) {
        const value = decoder.decode(chunk, { stream: true });
        if (value) controller.enqueue(value);
      },
      flush(controller) {
        const value = decoder.decode();
        if (value) controller.enqueue(value);
      },
    });
  }

  get encoding() {
    return this[kType].encoding;
  }

  get fatal() {
    return this[kType].fatal;
  }

  get ignoreBOM() {
    return this[kType].ignoreBOM;
  }

  get readable() {
    return this[kState].readable;
  }

  get writable() {
    return this[kState].writable;
  }
}

void setHandled;
void readableStreamCancel;
module.exports = {
  TransformStream,
  TransformStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
};
