'use strict';
// Readable streams: Node's buffering, flowing/paused modes, 'readable' and
// 'data' semantics, read(n), setEncoding, pipe/unpipe, async iteration and
// destroy, with the same event ordering (nextTick scheduling) as Node.

module.exports = Readable;
Readable.ReadableState = ReadableState;

const EE = require('events');
const { Stream, prependListener } = require('internal/streams/legacy');
const { Buffer } = require('buffer');
const destroyImpl = require('internal/streams/destroy');
const { getHighWaterMark, getDefaultHighWaterMark } = require('internal/streams/state');
const eos = require('internal/streams/end-of-stream');
const {
  AbortError,
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_METHOD_NOT_IMPLEMENTED,
    ERR_OUT_OF_RANGE,
    ERR_STREAM_PUSH_AFTER_EOF,
    ERR_STREAM_UNSHIFT_AFTER_END_EVENT,
  },
} = require('internal/errors');
const { aggregateTwoErrors } = destroyImpl;
const { tick1, tickTail, protoDefaults, EEemit } = require('internal/streams/utils');

const kPaused = Symbol('kPaused');
let StringDecoder;
let from;

Object.setPrototypeOf(Readable.prototype, Stream.prototype);
Object.setPrototypeOf(Readable, Stream);
const nop = () => {};
const { errorOrDestroy } = destroyImpl;

// The queue of chunks (Buffers or strings) is node 20's: state.buffer, a
// plain array, and state.bufferIndex, the index of its first unread chunk.
// Read slots hold null; the array is emptied when read to its end and
// spliced once more than 1,024 chunks were read from its front. (Packages
// such as stream-shift read the array directly.)
function bufShift(state) {
  const b = state.buffer;
  let i = state.bufferIndex;
  const v = b[i];
  b[i++] = null;
  if (i === b.length) {
    b.length = 0;
    i = 0;
  } else if (i > 1024) {
    b.splice(0, i);
    i = 0;
  }
  state.bufferIndex = i;
  return v;
}

function bufUnshift(state, v) {
  if (state.bufferIndex > 0) state.buffer[--state.bufferIndex] = v;
  else state.buffer.unshift(v);
}

function bufClear(state) {
  state.buffer.length = 0;
  state.bufferIndex = 0;
}

function bufJoin(state) {
  const b = state.buffer;
  let ret = '';
  for (let i = state.bufferIndex; i < b.length; i++) ret += b[i];
  return ret;
}

function bufConcat(state, n) {
  const b = state.buffer;
  if (b.length - state.bufferIndex === 0) return Buffer.alloc(0);
  const ret = Buffer.allocUnsafe(n >>> 0);
  let off = 0;
  for (let i = state.bufferIndex; i < b.length; i++) {
    ret.set(b[i], off);
    off += b[i].length;
  }
  return ret;
}

// bufConsume takes n bytes or characters from the front (n is less than
// state.length).
function bufConsume(state, n, hasStrings) {
  const first = state.buffer[state.bufferIndex];
  if (n < first.length) {
    state.buffer[state.bufferIndex] = first.slice(n);
    return first.slice(0, n);
  }
  if (n === first.length) return bufShift(state);
  return hasStrings ? bufGetString(state, n) : bufGetBuffer(state, n);
}

function bufGetString(state, n) {
  let ret = '';
  while (n > 0 && state.buffer.length - state.bufferIndex > 0) {
    const str = state.buffer[state.bufferIndex];
    if (n >= str.length) {
      ret += str;
      n -= str.length;
      bufShift(state);
    } else {
      ret += str.slice(0, n);
      state.buffer[state.bufferIndex] = str.slice(n);
      n = 0;
    }
  }
  return ret;
}

function bufGetBuffer(state, n) {
  const ret = Buffer.allocUnsafe(n);
  let off = 0;
  while (n > 0 && state.buffer.length - state.bufferIndex > 0) {
    const buf = state.buffer[state.bufferIndex];
    if (n >= buf.length) {
      ret.set(buf, off);
      off += buf.length;
      n -= buf.length;
      bufShift(state);
    } else {
      ret.set(new Uint8Array(buf.buffer, buf.byteOffset, n), off);
      state.buffer[state.bufferIndex] = buf.slice(n);
      n = 0;
    }
  }
  return ret;
}

function ReadableState(options, stream, isDuplex) {
  if (typeof isDuplex !== 'boolean') isDuplex = stream instanceof Stream.Duplex;
  // Only the fields node 20 keeps as own properties are set here; the
  // flags and settings start as ReadableState.prototype's defaults below
  // (node 20 keeps them in a bitfield behind prototype accessors), so a
  // state costs 5 property additions instead of 29 in the interpreter.
  if (options) {
    if (options.objectMode || (isDuplex && options.readableObjectMode)) this.objectMode = true;
    this.highWaterMark = getHighWaterMark(this, options, 'readableHighWaterMark', isDuplex);
  } else {
    this.highWaterMark = getDefaultHighWaterMark(false);
  }
  this.buffer = [];
  this.bufferIndex = 0;
  this.length = 0;
  this.pipes = [];
  this.awaitDrainWriters = null;
  if (options) {
    if (options.emitClose === false) this.emitClose = false;
    if (options.autoDestroy === false) this.autoDestroy = false;
    if (options.defaultEncoding) this.defaultEncoding = options.defaultEncoding;
    if (options.encoding) {
      if (!StringDecoder) StringDecoder = require('string_decoder').StringDecoder;
      this.decoder = new StringDecoder(options.encoding);
      this.encoding = options.encoding;
    }
  }
}

// The defaults every state starts from; an assignment makes an own
// property only on the state it changes. Not enumerable, like node 20's
// prototype accessors, so for...in lists the same keys.
const stateDefaults = {
  objectMode: false,
  flowing: null,
  ended: false,
  endEmitted: false,
  reading: false,
  constructed: true,
  sync: true,
  needReadable: false,
  emittedReadable: false,
  readableListening: false,
  resumeScheduled: false,
  [kPaused]: null,
  errorEmitted: false,
  emitClose: true,
  autoDestroy: true,
  destroyed: false,
  errored: null,
  closed: false,
  closeEmitted: false,
  defaultEncoding: 'utf8',
  multiAwaitDrain: false,
  readingMore: false,
  dataEmitted: false,
  decoder: null,
  encoding: null,
};
protoDefaults(ReadableState.prototype, stateDefaults);

// The states readableInit makes are cloned from a template by the fs
// binding's cloneShaped (one engine allocation): the template has node
// 20's five own fields, then every field above as a non-enumerable own
// property with its default. A stream's state changes a dozen of those
// fields in its life; under the interpreter each first write of a
// prototype default adds a property (a shape transition, often a
// reallocation), several times the cost of a write. The fields stay
// non-enumerable, so Object.keys, for...in and util.inspect list the same
// keys as before the first write (and as node 20, whose flags are
// accessors). undefined: not built yet; null: cloning unavailable.
let stateTemplate;
const kObjectModeTrue = { objectMode: true };
const kObjectModeFalse = { objectMode: false };

function makeStateTemplate() {
  const fsBinding = internalBinding('fs');
  const clone = fsBinding && fsBinding.cloneShaped;
  if (typeof clone !== 'function') return null;
  const t = Object.create(ReadableState.prototype);
  t.highWaterMark = 0;
  t.buffer = null;
  t.bufferIndex = 0;
  t.length = 0;
  t.pipes = null;
  t.awaitDrainWriters = null;
  for (const key of Reflect.ownKeys(stateDefaults)) {
    Object.defineProperty(t, key, { value: stateDefaults[key], writable: true, enumerable: false, configurable: true });
  }
  if (clone(t) === void 0) return null;
  cloneShaped = clone;
  return t;
}
let cloneShaped;

// new ReadableState(options, stream, isDuplex), cloned when it can be.
function newReadableState(options, stream, isDuplex) {
  var t = stateTemplate;
  if (t === void 0) t = stateTemplate = makeStateTemplate();
  if (t === null) return new ReadableState(options, stream, isDuplex);
  // ReadableState's steps, in its order (options' getters see the same
  // reads).
  var objectMode = false;
  var hwm;
  if (options) {
    if (options.objectMode || (isDuplex && options.readableObjectMode)) objectMode = true;
    hwm = getHighWaterMark(objectMode ? kObjectModeTrue : kObjectModeFalse, options, 'readableHighWaterMark', isDuplex);
  } else {
    hwm = getDefaultHighWaterMark(false);
  }
  var state = cloneShaped(t, hwm, [], 0, 0, [], null, objectMode);
  if (options) {
    if (options.emitClose === false) state.emitClose = false;
    if (options.autoDestroy === false) state.autoDestroy = false;
    if (options.defaultEncoding) state.defaultEncoding = options.defaultEncoding;
    if (options.encoding) {
      if (!StringDecoder) StringDecoder = require('string_decoder').StringDecoder;
      state.decoder = new StringDecoder(options.encoding);
      state.encoding = options.encoding;
    }
  }
  return state;
}

Object.defineProperty(ReadableState.prototype, 'pipesCount', {
  get() { return this.pipes.length; },
});
Object.defineProperty(ReadableState.prototype, 'paused', {
  get() { return this[kPaused] !== false; },
  set(value) { this[kPaused] = !!value; },
});

function Readable(options) {
  // `new Readable()` made this from Readable.prototype: neither instanceof
  // can tell anything (each costs a native call in the interpreter).
  let isDuplex = false;
  if (new.target !== Readable) {
    if (!(this instanceof Readable)) return new Readable(options);
    isDuplex = this instanceof Stream.Duplex;
  }
  readableInit(this, options, isDuplex);
}

// The constructor's work once `this` is known to be a Readable (isDuplex:
// a Duplex); fs.ReadStream calls it directly (internal/streams/utils'
// readableInit) instead of Readable.call with its two instanceof checks.
function readableInit(stream, options, isDuplex) {
  stream._readableState = newReadableState(options, stream, isDuplex);
  if (options) {
    if (typeof options.read === 'function') stream._read = options.read;
    if (typeof options.destroy === 'function') stream._destroy = options.destroy;
    if (typeof options.construct === 'function') stream._construct = options.construct;
    if (options.signal && !isDuplex) addAbortSignal(options.signal, stream);
  }
  // Stream.call(stream, options) is EE.call, which is EventEmitter.init:
  // called directly, two JS calls and two native ones fewer.
  EE.init.call(stream, options);
  destroyImpl.construct(stream, readableConstructed);
}
require('internal/streams/utils').readableInit = readableInit;

// For fs.ReadStream's cloned construction (fs.js): the state readableInit
// would make from { highWaterMark, encoding, emitClose, autoDestroy } (no
// objectMode, no defaultEncoding, not a Duplex), or undefined when states
// are not cloned; and the construct step readableInit ends with.
function readableStateFor(hwm, encoding, emitClose, autoDestroy) {
  var t = stateTemplate;
  if (t === void 0) t = stateTemplate = makeStateTemplate();
  if (t === null) return undefined;
  // getHighWaterMark's checks; a number that is a non-negative integer
  // (what n % 1 === 0 tells for a number) needs neither of its calls.
  if (hwm === null || hwm === void 0) hwm = getDefaultHighWaterMark(false);
  else if (!(typeof hwm === 'number' && hwm % 1 === 0 && hwm >= 0)) hwm = getHighWaterMark(kObjectModeFalse, { highWaterMark: hwm }, 'readableHighWaterMark', false);
  var state = cloneShaped(t, hwm, [], 0, 0, [], null, false);
  if (!emitClose) state.emitClose = false;
  if (autoDestroy === false) state.autoDestroy = false;
  if (encoding) {
    if (!StringDecoder) StringDecoder = require('string_decoder').StringDecoder;
    state.decoder = new StringDecoder(encoding);
    state.encoding = encoding;
  }
  return state;
}
function readableConstruct(stream) {
  destroyImpl.construct(stream, readableConstructed);
}
require('internal/streams/utils').readableStateFor = readableStateFor;
require('internal/streams/utils').readableConstruct = readableConstruct;

// Called with the stream as `this` once _construct is done (one function
// for every stream rather than a closure each).
// tail: called as the last step of a tick (emitConstructNT's single
// callback), so maybeReadMore's tick may run at once (tickTail).
function readableConstructed(tail) {
  const state = this._readableState;
  if (state.needReadable && !state.readingMore && state.constructed) {
    state.readingMore = true;
    if (tail === true) tickTail(maybeReadMore_, this);
    else tick1(maybeReadMore_, this);
  }
}

function addAbortSignal(signal, stream) {
  require('internal/streams/add-abort-signal').addAbortSignalNoValidate(signal, stream);
}

Readable.prototype.destroy = destroyImpl.destroy;
Readable.prototype._undestroy = destroyImpl.undestroy;
Readable.prototype._destroy = function (err, cb) {
  cb(err);
};
Readable.prototype[EE.captureRejectionSymbol || Symbol.for('nodejs.rejection')] = function (err) {
  this.destroy(err);
};

Readable.prototype.push = function (chunk, encoding) {
  if (chunk === null) {
    // The end: readableAddChunk's first case, without its call.
    const state = this._readableState;
    state.reading = false;
    onEofChunk(this, state);
    return false;
  }
  return readableAddChunk(this, chunk, encoding, false);
};

Readable.prototype.unshift = function (chunk, encoding) {
  return readableAddChunk(this, chunk, encoding, true);
};

function isUint8Array(v) {
  return v instanceof Uint8Array;
}

function readableAddChunk(stream, chunk, encoding, addToFront) {
  const state = stream._readableState;
  if (chunk === null) {
    // The end, from push(null) or unshift(null): none of the chunk checks
    // below apply (each instanceof is a native call here).
    state.reading = false;
    onEofChunk(stream, state);
    return false;
  }
  let err;
  if (!state.objectMode) {
    if (typeof chunk === 'string') {
      encoding = encoding || state.defaultEncoding;
      if (state.encoding !== encoding) {
        if (addToFront && state.encoding) {
          chunk = Buffer.from(chunk, encoding).toString(state.encoding);
        } else {
          chunk = Buffer.from(chunk, encoding);
          encoding = '';
        }
      }
    } else if (chunk instanceof Buffer) {
      encoding = '';
    } else if (isUint8Array(chunk)) {
      chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      encoding = '';
    } else if (chunk !== null && chunk !== void 0) {
      err = new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
    }
  }
  if (err) {
    errorOrDestroy(stream, err);
  } else if (state.objectMode || (chunk && chunk.length > 0)) {
    if (addToFront) {
      if (state.endEmitted) errorOrDestroy(stream, new ERR_STREAM_UNSHIFT_AFTER_END_EVENT());
      else if (state.destroyed || state.errored) return false;
      else addChunk(stream, state, chunk, true);
    } else if (state.ended) {
      errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
    } else if (state.destroyed || state.errored) {
      return false;
    } else {
      state.reading = false;
      if (state.decoder && !encoding) {
        chunk = state.decoder.write(chunk);
        if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
        else maybeReadMore(stream, state);
      } else {
        addChunk(stream, state, chunk, false);
      }
    }
  } else if (!addToFront) {
    state.reading = false;
    maybeReadMore(stream, state);
  }
  return !state.ended && (state.length < state.highWaterMark || state.length === 0);
}

function addChunk(stream, state, chunk, addToFront) {
  if (state.flowing && state.length === 0 && !state.sync && stream.listenerCount('data') > 0) {
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
    state.dataEmitted = true;
    stream.emit('data', chunk);
  } else {
    state.length += state.objectMode ? 1 : chunk.length;
    if (addToFront) bufUnshift(state, chunk);
    else state.buffer.push(chunk);
    if (state.needReadable) emitReadable(stream);
  }
  maybeReadMore(stream, state);
}

Readable.prototype.isPaused = function () {
  const state = this._readableState;
  return state[kPaused] === true || state.flowing === false;
};

Readable.prototype.setEncoding = function (enc) {
  if (!StringDecoder) StringDecoder = require('string_decoder').StringDecoder;
  const decoder = new StringDecoder(enc);
  this._readableState.decoder = decoder;
  this._readableState.encoding = decoder.encoding;
  const state = this._readableState;
  const buffer = state.buffer;
  let content = '';
  for (let i = state.bufferIndex; i < buffer.length; i++) content += decoder.write(buffer[i]);
  bufClear(state);
  if (content !== '') buffer.push(content);
  this._readableState.length = content.length;
  return this;
};

const MAX_HWM = 0x40000000;
function computeNewHighWaterMark(n) {
  if (n > MAX_HWM) throw new ERR_OUT_OF_RANGE('size', '<= 1GiB', n);
  n--;
  n |= n >>> 1;
  n |= n >>> 2;
  n |= n >>> 4;
  n |= n >>> 8;
  n |= n >>> 16;
  n++;
  return n;
}

function howMuchToRead(n, state) {
  if (n <= 0 || (state.length === 0 && state.ended)) return 0;
  if (state.objectMode) return 1;
  if (n !== n) { // NaN: read() without a size (a native call less per chunk)
    if (state.flowing && state.length) return state.buffer[state.bufferIndex].length;
    return state.length;
  }
  if (n <= state.length) return n;
  return state.ended ? state.length : 0;
}

// A named function so flow() can tell it from an override; nameless, as
// node's is (util.inspect shows the name).
Readable.prototype.read = readableRead;
Object.defineProperty(readableRead, 'name', { value: '' });
function readableRead(n) {
  const state = this._readableState;
  if ((n === 0 || n === void 0) && state.length === 0 && !state.ended) {
    // Nothing buffered and no end yet, from the machinery's read(0) and
    // flow's read(): the general path below reduced to what it does then
    // (nothing to hand out, so at most a _read and the needReadable mark).
    if (n === void 0) state.emittedReadable = false;
    if (!state.reading && !state.destroyed && !state.errored && state.constructed) {
      state.reading = true;
      state.sync = true;
      state.needReadable = true;
      try {
        this._read(state.highWaterMark);
      } catch (err) {
        errorOrDestroy(this, err);
      }
      state.sync = false;
      // Data pushed synchronously can be handed out by read(), not read(0).
      if (n === void 0 && state.length !== 0) return readSlow(this, state, NaN, true);
    }
    state.needReadable = state.length <= state.highWaterMark;
    if (state.length === 0 && !state.ended) state.needReadable = true;
    else if (n === void 0 && state.length === 0 && state.ended) endReadable(this);
    return null;
  }
  // read() and read(0) are the stream machinery's own calls: no native
  // Number.isInteger call for them.
  if (n === void 0) n = NaN;
  else if (n !== 0 && !Number.isInteger(n)) n = Number.parseInt(n, 10);
  return readSlow(this, state, n, false);
}

// The general read(n); afterRead: a _read already ran (the fast path
// above), so only the hand-out part is left.
function readSlow(stream, state, n, afterRead) {
  const nOrig = n;
  if (afterRead) {
    // What the general path computes after its _read (before it, with
    // nothing buffered, howMuchToRead(NaN) is 1 in object mode, else 0).
    n = state.reading ? (state.objectMode ? 1 : 0) : howMuchToRead(nOrig, state);
  } else {
    if (n === 0) {
      // read(0) takes nothing: it only starts a _read, or 'readable' or
      // 'end' (howMuchToRead(0) is 0, so no call for it).
      if (state.needReadable &&
          ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) || state.ended)) {
        if (state.length === 0 && state.ended) endReadable(stream);
        else emitReadable(stream);
        return null;
      }
      if (state.ended) {
        if (state.length === 0) endReadable(stream);
        return null;
      }
    } else {
      if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
      state.emittedReadable = false;
      n = howMuchToRead(n, state);
      if (n === 0 && state.ended) {
        if (state.length === 0) endReadable(stream);
        return null;
      }
    }
    // _read when below the mark (or asked to), unless the stream cannot
    // read now; node's doRead, in one condition.
    if (!state.ended && !state.reading && !state.destroyed && !state.errored && state.constructed &&
        (state.needReadable || state.length === 0 || state.length - n < state.highWaterMark)) {
      state.reading = true;
      state.sync = true;
      if (state.length === 0) state.needReadable = true;
      try {
        stream._read(state.highWaterMark);
      } catch (err) {
        errorOrDestroy(stream, err);
      }
      state.sync = false;
      if (!state.reading) n = howMuchToRead(nOrig, state);
    }
  }
  const ret = n > 0 ? fromList(n, state) : null;
  if (ret === null) {
    state.needReadable = state.length <= state.highWaterMark;
    n = 0;
  } else {
    state.length -= n;
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
  }
  if (state.length === 0) {
    if (!state.ended) state.needReadable = true;
    if (nOrig !== n && state.ended) endReadable(stream);
  }
  if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
    state.dataEmitted = true;
    stream.emit('data', ret);
  }
  return ret;
}

function onEofChunk(stream, state) {
  if (state.ended) return;
  if (state.decoder) {
    const chunk = state.decoder.end();
    if (chunk && chunk.length) {
      state.buffer.push(chunk);
      state.length += state.objectMode ? 1 : chunk.length;
    }
  }
  state.ended = true;
  if (state.sync) {
    emitReadable(stream);
  } else {
    state.needReadable = false;
    state.emittedReadable = true;
    emitReadable_(stream);
  }
}

function emitReadable(stream) {
  const state = stream._readableState;
  state.needReadable = false;
  if (!state.emittedReadable) {
    state.emittedReadable = true;
    tick1(emitReadable_, stream);
  }
}

function emitReadable_(stream) {
  const state = stream._readableState;
  if (!state.destroyed && !state.errored && (state.length || state.ended)) {
    const ev = stream._events; // see EEemit in internal/streams/utils
    if (stream.emit !== EEemit || (ev !== void 0 && ev.readable !== void 0)) stream.emit('readable');
    state.emittedReadable = false;
  }
  state.needReadable = !state.flowing && !state.ended && state.length <= state.highWaterMark;
  flow(stream);
}

function maybeReadMore(stream, state) {
  if (!state.readingMore && state.constructed) {
    state.readingMore = true;
    tick1(maybeReadMore_, stream);
  }
}

// The ticks below take the stream alone (its state is
// stream._readableState, what node passes as a second argument): tick1
// carries one argument without an array, and each tick's body is written
// out in it (one JS call fewer per tick).
function maybeReadMore_(stream) {
  const state = stream._readableState;
  while (!state.reading && !state.ended &&
      (state.length < state.highWaterMark || (state.flowing && state.length === 0))) {
    const len = state.length;
    stream.read(0);
    if (len === state.length) break;
  }
  state.readingMore = false;
}

Readable.prototype._read = function (n) {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_read()');
};

// pipe()'s bookkeeping lives in one PipeState per pipe, and each listener
// is a small closure over it: node's pipe keeps it in nine closures over
// some twenty variables, and under QuickJS every captured variable is a
// record of its own (a closure, its variable array and its records are each
// an allocation, all left to the cycle collector since the closures refer
// to one another). The listeners keep node's names, order and behaviour.
function PipeState(src, dest, state) {
  this.src = src;
  this.dest = dest;
  this.state = state;
  this.endFn = null;
  this.ondrain = null;
  // Which of pipe's own once/error listeners may still be attached: a
  // once listener that fired took itself off, and removing a listener
  // that is not there does nothing observable, so cleanup skips those
  // calls (node's makes all eight; five are no-ops on the usual path,
  // about 60 bytecode ops each here). kCleanedUp: cleanup ran.
  this.flags = kOnCloseOn | kOnFinishOn | kOnErrorOn;
  this.ondata = null;
  this.onunpipe = null;
  this.onerror = null;
  this.onclose = null;
  this.onfinish = null;
  // The once wrappers of endFn, onclose and onfinish (see pipeOnce).
  this.endWrap = null;
  this.closeWrap = null;
  this.finishWrap = null;
}
// Cloned from a template made by the constructor (the fs binding's
// cloneShaped; see newReadableState): eleven property additions each cost
// a shape transition, often a reallocation. undefined: not built yet;
// null: constructed.
let pipeTemplate;
function newPipeState(src, dest, state) {
  var t = pipeTemplate;
  if (t === void 0) {
    t = pipeTemplate = null;
    const fsBinding = internalBinding('fs');
    const clone = fsBinding && fsBinding.cloneShaped;
    if (typeof clone === 'function') {
      const tpl = new PipeState(null, null, null);
      if (clone(tpl) !== void 0) {
        t = pipeTemplate = tpl;
        pipeClone = clone;
      }
    }
  }
  if (t === null) return new PipeState(src, dest, state);
  return pipeClone(t, src, dest, state);
}
let pipeClone;
const kOnCloseOn = 1;
const kOnFinishOn = 2;
const kOnErrorOn = 4;
const kCleanedUp = 8;
const kEndFired = 16;
const kCloseFired = 32;
const kFinishFired = 64;

// pipe()'s three once listeners are wrapped here rather than by
// EventEmitter#once when the emitter's once is EventEmitter's own: the
// same wrapper as events.js's _onceWrap (named 'bound onceWrapper', its
// .listener the listener, taking itself off before calling the listener
// once with the emitter as this), made as a closure over the pipe's state
// alone: once's calls and five captured variables per wrapper saved. The
// wrapped functions (onend or unpipe, onclose, onfinish) are pipe's own
// and read neither arguments nor this, so a wrapper passes none: no rest
// array per event (the wrapper's length is 0 either way).
const EEonce = EE.prototype.once;

Readable.prototype.pipe = function (dest, pipeOpts) {
  var src = this;
  var state = this._readableState;
  if (state.pipes.length === 1) {
    if (!state.multiAwaitDrain) {
      state.multiAwaitDrain = true;
      state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
    }
  }
  state.pipes.push(dest);
  var isStdio = typeof process === 'object' && process && (dest === process.stdout || dest === process.stderr);
  var doEnd = (!pipeOpts || pipeOpts.end !== false) && !isStdio;
  var p = newPipeState(src, dest, state);
  var endFn = p.endFn = doEnd ? function onend() {
    p.dest.end();
  } : function unpipe() {
    p.src.unpipe(p.dest);
  };
  if (state.endEmitted) {
    process.nextTick(endFn);
  } else if (src.once === EEonce) {
    var endWrap = p.endWrap = { 'bound onceWrapper'() {
      if (p.flags & kEndFired) return undefined;
      p.src.removeListener('end', p.endWrap);
      p.flags |= kEndFired;
      return p.endFn.call(p.src);
    } }['bound onceWrapper'];
    endWrap.listener = endFn;
    src.on('end', endWrap);
  } else {
    src.once('end', endFn);
  }
  dest.on('unpipe', p.onunpipe = function onunpipe(readable, unpipeInfo) {
    if (readable === p.src) {
      if (unpipeInfo && unpipeInfo.hasUnpiped === false) {
        unpipeInfo.hasUnpiped = true;
        pipeCleanup(p);
      }
    }
  });
  src.on('data', p.ondata = function ondata(chunk) {
    var ret = p.dest.write(chunk);
    if (ret === false) pipePause(p);
  });
  prependListener(dest, 'error', p.onerror = function onerror(er) {
    var dest = p.dest;
    p.src.unpipe(dest);
    if (p.flags & kOnErrorOn) {
      p.flags &= ~kOnErrorOn;
      dest.removeListener('error', onerror);
    }
    if (dest.listenerCount('error') === 0) {
      var s = dest._writableState || dest._readableState;
      if (s && !s.errorEmitted) errorOrDestroy(dest, er);
      else dest.emit('error', er);
    }
  });
  var destOwnOnce = dest.once === EEonce;
  var onclose = p.onclose = function onclose() {
    p.flags &= ~kOnCloseOn;
    if (p.flags & kOnFinishOn) {
      p.flags &= ~kOnFinishOn;
      p.dest.removeListener('finish', p.onfinish);
    }
    p.src.unpipe(p.dest);
  };
  if (destOwnOnce) {
    var closeWrap = p.closeWrap = { 'bound onceWrapper'() {
      if (p.flags & (kCloseFired | kCleanedUp)) return undefined;
      p.dest.removeListener('close', p.closeWrap);
      p.flags |= kCloseFired;
      return p.onclose.call(p.dest);
    } }['bound onceWrapper'];
    closeWrap.listener = onclose;
    dest.on('close', closeWrap);
  } else {
    dest.once('close', onclose);
  }
  var onfinish = p.onfinish = function onfinish() {
    p.flags &= ~kOnFinishOn;
    if (p.flags & kOnCloseOn) {
      p.flags &= ~kOnCloseOn;
      p.dest.removeListener('close', p.onclose);
    }
    p.src.unpipe(p.dest);
  };
  if (destOwnOnce) {
    var finishWrap = p.finishWrap = { 'bound onceWrapper'() {
      if (p.flags & (kFinishFired | kCleanedUp)) return undefined;
      p.dest.removeListener('finish', p.finishWrap);
      p.flags |= kFinishFired;
      return p.onfinish.call(p.dest);
    } }['bound onceWrapper'];
    finishWrap.listener = onfinish;
    dest.on('finish', finishWrap);
  } else {
    dest.once('finish', onfinish);
  }
  var destEvents = dest._events; // see EEemit in internal/streams/utils
  if (dest.emit !== EEemit || (destEvents !== void 0 && destEvents.pipe !== void 0)) dest.emit('pipe', src);
  if (dest.writableNeedDrain === true) pipePause(p);
  else if (!state.flowing) src.resume();
  return dest;
};

// The flags are read afresh at each step: a 'removeListener' listener may
// run any of pipe's listeners in between.
function pipeCleanup(p) {
  var dest = p.dest;
  var src = p.src;
  if (p.flags & kOnCloseOn) {
    p.flags &= ~kOnCloseOn;
    dest.removeListener('close', p.onclose);
  }
  if (p.flags & kOnFinishOn) {
    p.flags &= ~kOnFinishOn;
    dest.removeListener('finish', p.onfinish);
  }
  if (p.ondrain) dest.removeListener('drain', p.ondrain);
  if (p.flags & kOnErrorOn) {
    p.flags &= ~kOnErrorOn;
    dest.removeListener('error', p.onerror);
  }
  if (p.onunpipe !== null) dest.removeListener('unpipe', p.onunpipe);
  // The 'end' listener is a once listener: gone once 'end' was emitted
  // (an emit calls the listeners it started with, so one removed by
  // this cleanup during that emit still runs, as it would in node).
  var endEmitted = p.state.endEmitted;
  if (!endEmitted && p.endFn !== null) src.removeListener('end', p.endFn);
  if (p.ondata !== null) src.removeListener('data', p.ondata);
  p.flags |= kCleanedUp;
  // The state and its listeners refer to one another (each listener is a
  // closure over the state), a cycle that would keep both streams, and
  // whatever hangs on them, for the cycle collector. The references only
  // the removals above needed are dropped, so reference counting frees
  // it all once the listeners are gone: a listener still called by an
  // emit that started before this cleanup needs none of them (the once
  // wrappers of 'close' and 'finish' do nothing once cleaned up, as
  // node's would find nothing left to remove or unpipe). The 'end' ones
  // go only once their wrapper ran (an 'end' emit may still call it);
  // the 'drain' one stays (a late 'data' checks it, as node's ondrain
  // variable).
  p.ondata = null;
  p.onunpipe = null;
  p.onerror = null;
  p.onclose = null;
  p.closeWrap = null;
  p.onfinish = null;
  p.finishWrap = null;
  if (p.flags & kEndFired) {
    p.endFn = null;
    p.endWrap = null;
  }
  var ondrain = p.ondrain;
  if (ondrain && p.state.awaitDrainWriters && (!dest._writableState || dest._writableState.needDrain)) ondrain();
}

function pipePause(p) {
  var src = p.src;
  var dest = p.dest;
  var state = p.state;
  if (!(p.flags & kCleanedUp)) {
    if (state.pipes.length === 1 && state.pipes[0] === dest) {
      state.awaitDrainWriters = dest;
      state.multiAwaitDrain = false;
    } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
      state.awaitDrainWriters.add(dest);
    }
    src.pause();
  }
  if (!p.ondrain) {
    p.ondrain = pipeOnDrain(src, dest);
    dest.on('drain', p.ondrain);
  }
}

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
    else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && src.listenerCount('data')) {
      src.resume();
    }
  };
}

Readable.prototype.unpipe = function (dest) {
  const state = this._readableState;
  const unpipeInfo = { hasUnpiped: false };
  if (state.pipes.length === 0) return this;
  if (!dest) {
    const dests = state.pipes;
    state.pipes = [];
    this.pause();
    for (let i = 0; i < dests.length; i++) dests[i].emit('unpipe', this, { hasUnpiped: false });
    return this;
  }
  const pipes = state.pipes;
  if (pipes.length === 1 && pipes[0] === dest) {
    pipes.length = 0; // splice(0, 1) without the two native calls
  } else {
    const index = pipes.indexOf(dest);
    if (index === -1) return this;
    pipes.splice(index, 1);
  }
  if (pipes.length === 0) this.pause();
  dest.emit('unpipe', this, unpipeInfo);
  return this;
};

// Readable's on and removeListener are Stream.prototype's (EventEmitter's)
// plus the bookkeeping of 'data' and 'readable'.
const StreamProto = Stream.prototype;

Readable.prototype.on = function (ev, fn) {
  const res = StreamProto.on.call(this, ev, fn);
  if (ev === 'data') {
    const state = this._readableState;
    state.readableListening = this.listenerCount('readable') > 0;
    if (state.flowing !== false) this.resume();
  } else if (ev === 'readable') {
    const state = this._readableState;
    if (!state.endEmitted && !state.readableListening) {
      state.readableListening = state.needReadable = true;
      state.flowing = false;
      state.emittedReadable = false;
      if (state.length) emitReadable(this);
      else if (!state.reading) process.nextTick(nReadingNextTick, this);
    }
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function (ev, fn) {
  const res = StreamProto.removeListener.call(this, ev, fn);
  if (ev === 'readable') process.nextTick(updateReadableListening, this);
  return res;
};
Readable.prototype.off = Readable.prototype.removeListener;

Readable.prototype.removeAllListeners = function (ev) {
  const res = Stream.prototype.removeAllListeners.apply(this, arguments);
  if (ev === 'readable' || ev === void 0) process.nextTick(updateReadableListening, this);
  return res;
};

function updateReadableListening(self) {
  const state = self._readableState;
  state.readableListening = self.listenerCount('readable') > 0;
  if (state.resumeScheduled && state[kPaused] === false) state.flowing = true;
  else if (self.listenerCount('data') > 0) self.resume();
  else if (!state.readableListening) state.flowing = null;
}

function nReadingNextTick(self) {
  self.read(0);
}

Readable.prototype.resume = function () {
  const state = this._readableState;
  if (!state.flowing) {
    state.flowing = !state.readableListening;
    resume(this, state);
  }
  state[kPaused] = false;
  return this;
};

function resume(stream, state) {
  if (!state.resumeScheduled) {
    state.resumeScheduled = true;
    tick1(resume_, stream);
  }
}

function resume_(stream) {
  const state = stream._readableState;
  // While _construct has not finished (a file stream still opening), with
  // nothing buffered and no end, this class's read(0) and read() can only
  // set needReadable (read() also clears emittedReadable): their three
  // calls here are written out for it.
  const opening = !state.constructed && stream.read === readableRead;
  if (!state.reading) {
    if (opening && state.length === 0 && !state.ended) state.needReadable = true;
    else stream.read(0);
  }
  state.resumeScheduled = false;
  const ev = stream._events; // see EEemit in internal/streams/utils
  if (stream.emit !== EEemit || (ev !== void 0 && ev.resume !== void 0)) stream.emit('resume');
  if (opening && state.flowing && !state.constructed && state.length === 0 && !state.ended) {
    // flow()'s first read() returns null; the read(0) after it marks
    // needReadable again.
    state.emittedReadable = false;
    state.needReadable = true;
    return;
  }
  flow(stream);
  if (state.flowing && !state.reading) stream.read(0);
}

Readable.prototype.pause = function () {
  if (this._readableState.flowing !== false) {
    this._readableState.flowing = false;
    const ev = this._events; // see EEemit in internal/streams/utils
    if (this.emit !== EEemit || (ev !== void 0 && ev.pause !== void 0)) this.emit('pause');
  }
  this._readableState[kPaused] = true;
  return this;
};

function flow(stream) {
  const state = stream._readableState;
  while (state.flowing) {
    const endedBefore = state.ended;
    if (stream.read() === null) break;
    // A read() that took the last chunk of a stream already ended has
    // queued the 'end' tick; the read() node makes next would only queue
    // a second one, which finds 'end' emitted (about 150 bytecode ops and
    // a tick per stream). Only for this read(): an override sees every call.
    if (endedBefore && state.length === 0 && stream.read === readableRead) break;
  }
}

// wrap() turns an old-style stream (data/end events) into a Readable.
Readable.prototype.wrap = function (stream) {
  let paused = false;
  stream.on('data', (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on('end', () => this.push(null));
  stream.on('error', (err) => errorOrDestroy(this, err));
  stream.on('close', () => this.destroy());
  stream.on('destroy', () => this.destroy());
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  const streamKeys = Object.keys(stream);
  for (let j = 1; j < streamKeys.length; j++) {
    const i = streamKeys[j];
    if (this[i] === void 0 && typeof stream[i] === 'function') this[i] = stream[i].bind(stream);
  }
  return this;
};

Readable.prototype[Symbol.asyncIterator] = function () {
  return streamToAsyncIterator(this);
};

Readable.prototype.iterator = function (options) {
  if (options !== void 0 && (options === null || typeof options !== 'object')) {
    throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  return streamToAsyncIterator(this, options);
};

function streamToAsyncIterator(stream, options) {
  if (typeof stream.read !== 'function') stream = Readable.wrap(stream, { objectMode: true });
  const iter = createAsyncIterator(stream, options);
  iter.stream = stream;
  return iter;
}

async function* createAsyncIterator(stream, options) {
  let callback = nop;
  function next(resolve) {
    if (this === stream) {
      callback();
      callback = nop;
    } else {
      callback = resolve;
    }
  }
  stream.on('readable', next);
  let error;
  const cleanup = eos(stream, { writable: false }, (err) => {
    error = err ? aggregateTwoErrors(error, err) : null;
    callback();
    callback = nop;
  });
  try {
    while (true) {
      const chunk = stream.destroyed ? null : stream.read();
      if (chunk !== null) yield chunk;
      else if (error) throw error;
      else if (error === null) return;
      else await new Promise(next);
    }
  } catch (err) {
    error = aggregateTwoErrors(error, err);
    throw error;
  } finally {
    if ((error || (options && options.destroyOnReturn) !== false) &&
        (error === void 0 || stream._readableState.autoDestroy)) {
      destroyImpl.destroyer(stream, null);
    } else {
      stream.off('readable', next);
      cleanup();
    }
  }
}

const getters = {
  readable: {
    get() {
      const r = this._readableState;
      return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
    },
    set(val) {
      if (this._readableState) this._readableState.readable = !!val;
    },
  },
  readableDidRead: { enumerable: false, get() { return this._readableState.dataEmitted; } },
  readableAborted: {
    enumerable: false,
    get() {
      return !!(this._readableState.readable !== false &&
        (this._readableState.destroyed || this._readableState.errored) && !this._readableState.endEmitted);
    },
  },
  readableHighWaterMark: { enumerable: false, get() { return this._readableState.highWaterMark; } },
  readableBuffer: { enumerable: false, get() { return this._readableState && this._readableState.buffer; } },
  readableFlowing: {
    enumerable: false,
    get() { return this._readableState.flowing; },
    set(state) { if (this._readableState) this._readableState.flowing = state; },
  },
  readableLength: { enumerable: false, get() { return this._readableState.length; } },
  readableObjectMode: { enumerable: false, get() { return this._readableState ? this._readableState.objectMode : false; } },
  readableEncoding: { enumerable: false, get() { return this._readableState ? this._readableState.encoding : null; } },
  errored: { enumerable: false, get() { return this._readableState ? this._readableState.errored : null; } },
  closed: { get() { return this._readableState ? this._readableState.closed : false; } },
  destroyed: {
    enumerable: false,
    get() { return this._readableState ? this._readableState.destroyed : false; },
    set(value) { if (this._readableState) this._readableState.destroyed = value; },
  },
  readableEnded: { enumerable: false, get() { return this._readableState ? this._readableState.endEmitted : false; } },
};
Object.defineProperties(Readable.prototype, getters);

function fromList(n, state) {
  if (state.length === 0) return null;
  let ret;
  if (state.objectMode) ret = bufShift(state);
  else if (!n || n >= state.length) {
    // Everything buffered (the usual single chunk without a call).
    const b = state.buffer;
    if (state.decoder) ret = bufJoin(state);
    else if (b.length - state.bufferIndex === 1) ret = b[state.bufferIndex];
    else ret = bufConcat(state, state.length);
    b.length = 0;
    state.bufferIndex = 0;
  } else {
    ret = bufConsume(state, n, state.decoder);
  }
  return ret;
}

function endReadable(stream) {
  const state = stream._readableState;
  if (!state.endEmitted) {
    state.ended = true;
    tick1(endReadableNT, stream);
  }
}

function endReadableNT(stream) {
  const state = stream._readableState;
  if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
    state.endEmitted = true;
    stream.emit('end');
    if (stream.writable && stream.allowHalfOpen === false) {
      process.nextTick(endWritableNT, stream);
    } else if (state.autoDestroy) {
      const wState = stream._writableState;
      const autoDestroy = !wState || (wState.autoDestroy && (wState.finished || wState.writable === false));
      if (autoDestroy) stream.destroy();
    }
  }
}

function endWritableNT(stream) {
  const writable = stream.writable && !stream.writableEnded && !stream.destroyed;
  if (writable) stream.end();
}

Readable.from = function (iterable, opts) {
  if (!from) from = require('internal/streams/from');
  return from(Readable, iterable, opts);
};

Readable.fromWeb = function (readableStream, options) {
  return require('internal/webstreams/adapters').newStreamReadableFromReadableStream(readableStream, options);
};

Readable.toWeb = function (streamReadable, options) {
  return require('internal/webstreams/adapters').newReadableStreamFromStreamReadable(streamReadable, options);
};

Readable.wrap = function (src, options) {
  return new Readable({
    objectMode: src.readableObjectMode != null ? src.readableObjectMode : (src.objectMode != null ? src.objectMode : true),
    ...options,
    destroy(err, callback) {
      destroyImpl.destroyer(src, err);
      callback(err);
    },
  }).wrap(src);
};

// Iterator-helper style operators (experimental in Node 20).
const operators = require('internal/streams/operators');
for (const key of Object.keys(operators.streamReturningOperators)) {
  const op = operators.streamReturningOperators[key];
  Readable.prototype[key] = function (...args) {
    return Readable.from(op.apply(this, args));
  };
}
for (const key of Object.keys(operators.promiseReturningOperators)) {
  const op = operators.promiseReturningOperators[key];
  Readable.prototype[key] = function (...args) {
    return op.apply(this, args);
  };
}

void AbortError;
