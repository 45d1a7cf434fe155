'use strict';
// IncomingMessage: a server request or a client response, a Readable fed
// by the socket's Go-side parser (chunks arrive de-chunked).

const { Readable } = require('stream');
const { headersFromRaw } = require('_http_common');

const tcp = internalBinding('tcp');

class IncomingMessage extends Readable {
  constructor(socket) {
    super({ autoDestroy: false });
    this.socket = socket;
    this.httpVersionMajor = null;
    this.httpVersionMinor = null;
    this.httpVersion = null;
    this.complete = false;
    this.rawHeaders = [];
    this.rawTrailers = [];
    this.joinDuplicateHeaders = false;
    this.aborted = false;
    this.upgrade = null;
    this.url = '';
    this.method = null;
    this.statusCode = null;
    this.statusMessage = null;
    this._headers = null;
    this._trailers = null;
    this._consuming = false;
    this._dumped = false;
    this._paused = false;
  }

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

module.exports = { IncomingMessage, readStart: tcp.readStart };
