'use strict';
// Duplex: a Readable that is also a Writable (Writable's methods mixed in),
// with allowHalfOpen and the readable/writable options.

module.exports = Duplex;

const Readable = require('internal/streams/readable');
const Writable = require('internal/streams/writable');

Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);

for (const method of Object.keys(Writable.prototype)) {
  if (!Duplex.prototype[method]) Duplex.prototype[method] = Writable.prototype[method];
}
for (const method of ['write', 'cork', 'uncork', 'setDefaultEncoding', 'end', '_write']) {
  if (!Object.prototype.hasOwnProperty.call(Duplex.prototype, method)) Duplex.prototype[method] = Writable.prototype[method];
}
Duplex.prototype._writev = null;

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  Readable.call(this, options);
  Writable.call(this, options);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
  } else {
    this.allowHalfOpen = true;
  }
}

function desc(obj, name) {
  return Object.getOwnPropertyDescriptor(obj, name);
}

Object.defineProperties(Duplex.prototype, {
  writable: { __proto__: null, ...desc(Writable.prototype, 'writable') },
  writableHighWaterMark: { __proto__: null, ...desc(Writable.prototype, 'writableHighWaterMark') },
  writableObjectMode: { __proto__: null, ...desc(Writable.prototype, 'writableObjectMode') },
  writableBuffer: { __proto__: null, ...desc(Writable.prototype, 'writableBuffer') },
  writableLength: { __proto__: null, ...desc(Writable.prototype, 'writableLength') },
  writableFinished: { __proto__: null, ...desc(Writable.prototype, 'writableFinished') },
  writableCorked: { __proto__: null, ...desc(Writable.prototype, 'writableCorked') },
  writableEnded: { __proto__: null, ...desc(Writable.prototype, 'writableEnded') },
  writableNeedDrain: { __proto__: null, ...desc(Writable.prototype, 'writableNeedDrain') },
  destroyed: {
    get() {
      if (this._readableState === void 0 || this._writableState === void 0) return false;
      return this._readableState.destroyed && this._writableState.destroyed;
    },
    set(value) {
      if (this._readableState && this._writableState) {
        this._readableState.destroyed = value;
        this._writableState.destroyed = value;
      }
    },
  },
});

Duplex.prototype.destroy = Writable.prototype.destroy;

let duplexify;
Duplex.from = function (body) {
  if (!duplexify) duplexify = require('internal/streams/duplexify');
  return duplexify(body, 'body');
};

Duplex.fromWeb = function (pair, options) {
  return require('internal/webstreams/adapters').newStreamDuplexFromReadableWritablePair(pair, options);
};

Duplex.toWeb = function (duplex) {
  return require('internal/webstreams/adapters').newReadableWritablePairFromDuplex(duplex);
};
