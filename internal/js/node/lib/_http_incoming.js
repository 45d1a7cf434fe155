'use strict';
// IncomingMessage: a server request or a client response, a Readable fed
// by the socket's Go-side parser (chunks arrive de-chunked).
// Comparisons with undefined are written `=== void 0`: the engine reads the
// identifier `undefined` as a global variable and compares through its
// slow path (~250 instructions), where `void 0` compiles to an is-undefined
// test (~45), and these modules run on every request.

const EE = require('events');
const { Readable } = require('stream');
const { ReadableState } = Readable;
const { headersFromRaw } = require('_http_common');

const tcp = internalBinding('tcp');

// IncomingMessage is a Readable whose stream state is built only when
// something uses the stream: most requests have no body and nobody reads
// it, and under an interpreter the Readable constructor, push(null) and
// destroy() cost more than the rest of a small request's JavaScript. Until
// then the message only records that its body ended or that it was
// destroyed, and replays that when the state is built (any Readable method,
// on(), or a property such as readableEnded builds it).
function IncomingMessage(socket, rawHeaders) {
  // EventEmitter's initialisation is skipped: `_events` defaults to
  // undefined on EventEmitter.prototype and the first listener creates it.
  // Only the socket and the raw headers are set here (the HTTP modules
  // pass the parser's list as a second argument, saving an array); the
  // other fields' defaults live on the prototype (below) and become own
  // properties when first assigned, rawTrailers included (an empty array
  // made when first read).
  this.socket = socket;
  this.rawHeaders = rawHeaders === void 0 ? [] : rawHeaders;
}
Object.setPrototypeOf(IncomingMessage.prototype, Readable.prototype);
Object.setPrototypeOf(IncomingMessage, Readable);

for (const [k, v] of Object.entries({
  _stateMade: false,
  _lazyEnded: false,
  _lazyDestroyed: false,
  httpVersionMajor: null,
  httpVersionMinor: null,
  httpVersion: null,
  complete: false,
  joinDuplicateHeaders: false,
  aborted: false,
  upgrade: null,
  url: '',
  method: null,
  statusCode: null,
  statusMessage: null,
  _headers: null,
  _trailers: null,
  _consuming: false,
  _dumped: false,
  _paused: false,
})) {
  Object.defineProperty(IncomingMessage.prototype, k, { value: v, writable: true, enumerable: true, configurable: true });
}

function makeState(msg) {
  const st = new ReadableState({ autoDestroy: false }, msg, false);
  Object.defineProperty(msg, '_readableState', { value: st, writable: true, configurable: true, enumerable: true });
  msg._stateMade = true;
  if (msg._lazyDestroyed) {
    // Destroyed while nobody listened: nothing is left to emit.
    st.ended = msg._lazyEnded;
    st.destroyed = true;
    st.closed = true;
    st.closeEmitted = true;
  } else if (msg._lazyEnded) {
    Readable.prototype.push.call(msg, null);
  }
  return st;
}

Object.defineProperty(IncomingMessage.prototype, '_readableState', {
  configurable: true,
  get() { return makeState(this); },
  set(v) {
    Object.defineProperty(this, '_readableState', { value: v, writable: true, configurable: true, enumerable: true });
    this._stateMade = true;
  },
});

function ownRawTrailers(msg, v) {
  Object.defineProperty(msg, 'rawTrailers', { value: v, writable: true, configurable: true, enumerable: true });
}
Object.defineProperty(IncomingMessage.prototype, 'rawTrailers', {
  configurable: true,
  get() { const v = []; ownRawTrailers(this, v); return v; },
  set(v) { ownRawTrailers(this, v); },
});

Object.defineProperty(IncomingMessage.prototype, 'constructor', {
  value: IncomingMessage, writable: true, configurable: true,
});

IncomingMessage.prototype.push = function push(chunk, encoding) {
  if (chunk === null && !this._stateMade) {
    this._lazyEnded = true;
    return false;
  }
  return Readable.prototype.push.call(this, chunk, encoding);
};

// _destroyQuiet destroys the message after its response: when the stream
// state was never built nobody can observe it, so only a flag is set.
IncomingMessage.prototype._destroyQuiet = function _destroyQuiet() {
  if (!this._stateMade) {
    this._lazyDestroyed = true;
    return;
  }
  if (!this.destroyed) this.destroy();
};

class IncomingMessageMethods {
  get connection() { return this.socket; }
  set connection(v) { this.socket = v; }

  get headers() {
    if (this._headers === null) this._headers = headersFromRaw(this.rawHeaders, this.joinDuplicateHeaders);
    return this._headers;
  }
  set headers(v) { this._headers = v; }

  get headersDistinct() {
    const h = {};
    for (let i = 0; i < this.rawHeaders.length; i += 2) {
      const k = this.rawHeaders[i].toLowerCase();
      (h[k] || (h[k] = [])).push(this.rawHeaders[i + 1]);
    }
    return h;
  }

  get trailers() {
    if (this._trailers === null) this._trailers = headersFromRaw(this.rawTrailers, false);
    return this._trailers;
  }
  set trailers(v) { this._trailers = v; }

  setTimeout(msecs, callback) {
    if (callback) this.on('timeout', callback);
    if (this.socket) this.socket.setTimeout(msecs);
    return this;
  }

  // _pushBody is called by the parser for each body chunk.
  _pushBody(chunk) {
    if (this._dumped) return;
    if (!this.push(chunk) && this.socket && this.socket._handle !== null) {
      this._paused = true;
      tcp.readStop(this.socket._handle);
    }
  }

  _read() {
    this._consuming = true;
    if (this._paused && this.socket && this.socket._handle !== null) {
      this._paused = false;
      tcp.readStart(this.socket._handle);
    }
  }

  // _dump discards an unread body so the connection can carry on.
  _dump() {
    if (!this._dumped) {
      this._dumped = true;
      this.removeAllListeners('data');
      this.resume();
      if (this._paused) this._read();
    }
  }

  _destroy(err, cb) {
    if ((!this.readableEnded || !this.complete) && !this.aborted) {
      this.aborted = true;
      this.emit('aborted');
    }
    // As in node, a destroyed message emits 'error' only when someone
    // listens for it: an unread response whose connection closes (node-fetch
    // leaves a redirect's body unread) must not crash the program.
    cb(this.listenerCount('error') === 0 ? null : err);
  }
}

for (const k of Object.getOwnPropertyNames(IncomingMessageMethods.prototype)) {
  if (k !== 'constructor') {
    Object.defineProperty(IncomingMessage.prototype, k, Object.getOwnPropertyDescriptor(IncomingMessageMethods.prototype, k));
  }
}

module.exports = { IncomingMessage, readStart: tcp.readStart };
