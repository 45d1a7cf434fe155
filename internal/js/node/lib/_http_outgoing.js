'use strict';
// OutgoingMessage: the common half of ServerResponse and ClientRequest. It
// builds the head text in JavaScript and frames the body (Content-Length or
// chunked); everything is written to the socket as strings or Buffers in as
// few writes as possible (the head goes out with the first body chunk).
// Comparisons with undefined are written `=== void 0`: the engine reads the
// identifier `undefined` as a global variable and compares through its
// slow path (~250 instructions), where `void 0` compiles to an is-undefined
// test (~45), and these modules run on every request.

const { Stream } = require('internal/streams/legacy');
const { Buffer } = require('buffer');
const {
  codes: {
    ERR_HTTP_HEADERS_SENT, ERR_INVALID_ARG_TYPE, ERR_STREAM_WRITE_AFTER_END,
    ERR_METHOD_NOT_IMPLEMENTED, ERR_STREAM_DESTROYED, ERR_HTTP_TRAILER_INVALID,
    ERR_STREAM_ALREADY_FINISHED, ERR_STREAM_NULL_VALUES,
  },
} = require('internal/errors');
const {
  validateHeaderName, validateHeaderValue, headerKey, headerKeys, lowerKey, validValues, dateLine, chunkExpression,
} = require('_http_common');

const kOutHeaders = Symbol('kOutHeaders');
// nextTick(fn, arg) for lib code, bound to the current AsyncLocalStorage
// frame when there is one (process.js; the stream internals' version
// where that is missing).
const tick1 = process._tick1 || require('internal/streams/utils').tick1;
function noop() {}
function emitFinishNT(msg) {
  msg._emitFinish();
}
const eeEmit = require('events').prototype.emit;
const kEmpty = Buffer.alloc(0);

function byteLength(chunk, encoding) {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;
}

// OutgoingMessage is a plain constructor function, as in Node (so
// `OutgoingMessage.call(this)` in old-style subclasses works), and it skips
// EventEmitter's initialisation: an emitter's `_events` defaults to
// undefined on EventEmitter.prototype and is created by the first
// listener, and most responses get none. Only per-instance objects are set
// here; the scalar defaults live on the prototype (below) and become own
// properties when first assigned: under an interpreter each property set
// in the constructor is a cost every response pays.
function OutgoingMessage() {
  this.outputData = [];
}
Object.setPrototypeOf(OutgoingMessage.prototype, Stream.prototype);
Object.setPrototypeOf(OutgoingMessage, Stream);

// The loop's clock (_http_common.loopNow) and _storeHeader's copy of the
// Date line for the second it was made in.
const loopClock = new Float64Array(internalBinding('ticks').buffer, 8, 1);
let lastDateLine = '', dateFrom = 0, dateUntil = -1;

// The native header block (absent under the libtest shim) and its side
// results: [0] the kSaw flags, [1] the Content-Length.
const bufferBinding = internalBinding('buffer');
const headerBlock = bufferBinding.httpHeaderBlock;
const headerOut = new Float64Array(2);
if (headerBlock !== void 0) bufferBinding.httpHeaderOut(headerOut);
const objectValues = Object.values;

// What _storeHeader saw among the headers (set by headerLines).
const kSawConnection = 1, kSawContLen = 2, kSawTE = 4, kSawDate = 8, kSawExpect = 16;
let seen = 0;

// headerLines returns the head lines of one header (one per value of an
// array), noting in `seen` the headers _storeHeader acts on. key is the
// lower-cased name when the caller has it.
function headerLines(msg, name, value, key) {
  if (typeof value !== 'string') {
    if (Array.isArray(value)) {
      let lines = '';
      for (let i = 0; i < value.length; i++) lines += headerLines(msg, name, value[i], key);
      return lines;
    }
    value = String(value);
  }
  const len = name.length;
  if (len === 10 || len === 14 || len === 17 || len === 4 || len === 6 || len === 7) {
    const k = key !== void 0 ? key : lowerKey(name);
    if (k === 'connection') {
      seen |= kSawConnection;
      if (/(?:^|\W)close(?:$|\W)/i.test(value)) msg._last = true;
      else msg.shouldKeepAlive = true;
    } else if (k === 'content-length') {
      seen |= kSawContLen;
      msg._contentLength = +value;
    } else if (k === 'transfer-encoding') {
      seen |= kSawTE;
      if (chunkExpression.test(value)) msg.chunkedEncoding = true;
    } else if (k === 'date') {
      seen |= kSawDate;
    } else if (k === 'expect') {
      seen |= kSawExpect;
    } else if (k === 'trailer') {
      msg._trailerHeader = true;
    }
  }
  return name + ': ' + value + '\r\n';
}

class OutgoingMessageMethods {
  // node's: everything handed to the socket and written out (true right
  // after an end() whose write completed at once, before 'finish').
  get writableFinished() {
    return this.finished && this.outputSize === 0 && (this.socket === null || !this.socket || this.socket.writableLength === 0);
  }
  get writableObjectMode() { return false; }
  get writableLength() { return this.outputSize + this._tickLen + (this.socket ? this.socket.writableLength : 0); }
  get writableHighWaterMark() { return this.socket ? this.socket.writableHighWaterMark : 16384; }
  get writableCorked() { return this._corked; }
  get writableEnded() { return this.finished; }
  get writableNeedDrain() { return !this.destroyed && !this.finished && !!this._needDrain; }
  get connection() { return this.socket; }
  set connection(v) { this.socket = v; }
  get headersSent() { return !!this._header; }

  cork() { this._corked++; if (this.socket) this.socket.cork(); }
  uncork() { if (this._corked) this._corked--; if (this.socket) this.socket.uncork(); }

  setTimeout(msecs, callback) {
    if (callback) this.on('timeout', callback);
    if (!this.socket) this.once('socket', (s) => s.setTimeout(msecs));
    else this.socket.setTimeout(msecs);
    return this;
  }

  destroy(error) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.errored = error;
    if (this.socket) this.socket.destroy(error);
    else this.once('socket', (s) => s.destroy(error));
    return this;
  }

  // --- headers ---
  // setHeader and getHeader take a name seen before from headerKeys and a
  // string value seen before from validValues without calling
  // headerKey/validateHeaderValue/lowerKey (a JavaScript call costs more
  // than the lookup under the interpreter; Express calls these about a
  // dozen times per response).
  setHeader(name, value) {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
    let key;
    if (typeof name === 'string') key = headerKeys[name];
    if (key === void 0) key = headerKey(name);
    if (typeof value === 'string' ? !validValues.has(value) : typeof value !== 'number') validateHeaderValue(name, value);
    let headers = this[kOutHeaders];
    if (headers === null) this[kOutHeaders] = headers = { __proto__: null };
    headers[key] = [name, value];
    return this;
  }

  appendHeader(name, value) {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('append');
    const k = headerKey(name);
    validateHeaderValue(name, value);
    let headers = this[kOutHeaders];
    if (headers === null) this[kOutHeaders] = headers = { __proto__: null };
    const cur = headers[k];
    if (cur === void 0) headers[k] = [name, value];
    else {
      const prev = Array.isArray(cur[1]) ? cur[1] : [cur[1]];
      headers[k] = [cur[0], prev.concat(value)];
    }
    return this;
  }

  setHeaders(headers) {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
    if (!headers || Array.isArray(headers) || typeof headers.keys !== 'function' || typeof headers.get !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('headers', ['Headers', 'Map'], headers);
    }
    for (const key of headers.keys()) this.setHeader(key, headers.get(key));
    return this;
  }

  getHeader(name) {
    if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
    const headers = this[kOutHeaders];
    if (headers === null) return undefined;
    let k = headerKeys[name];
    if (k === void 0) k = name.toLowerCase();
    const e = headers[k];
    return e === void 0 ? undefined : e[1];
  }

  getHeaderNames() {
    return this[kOutHeaders] !== null ? Object.keys(this[kOutHeaders]) : [];
  }

  getRawHeaderNames() {
    const headers = this[kOutHeaders];
    if (headers === null) return [];
    return Object.values(headers).map((e) => e[0]);
  }

  getHeaders() {
    const headers = this[kOutHeaders];
    const ret = { __proto__: null };
    if (headers) for (const k of Object.keys(headers)) ret[k] = headers[k][1];
    return ret;
  }

  hasHeader(name) {
    if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
    return this[kOutHeaders] !== null && !!this[kOutHeaders][lowerKey(name)];
  }

  removeHeader(name) {
    if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('remove');
    const key = name.toLowerCase();
    switch (key) {
      case 'connection': this._removedConnection = true; break;
      case 'content-length': this._removedContLen = true; break;
      case 'transfer-encoding': this._removedTE = true; break;
      case 'date': this.sendDate = false; break;
    }
    if (this[kOutHeaders] !== null) delete this[kOutHeaders][key];
  }

  _implicitHeader() {
    throw new ERR_METHOD_NOT_IMPLEMENTED('_implicitHeader()');
  }

  // _storeHeader builds the head text from firstLine and the headers
  // (the stored ones, or an explicit object/array from writeHead). It is
  // on every response's path, so it avoids a closure per call and reads
  // each field once: under an interpreter every operation counts. (The
  // per-response methods here declare their locals with var: a let or
  // const costs an operation more when the function is entered.)
  _storeHeader(firstLine, headers) {
    var head = firstLine;
    seen = 0;
    if (headers) {
      if (Array.isArray(headers)) {
        if (headers.length && Array.isArray(headers[0])) {
          for (var i = 0; i < headers.length; i++) head += headerLines(this, headers[i][0], headers[i][1]);
        } else {
          for (var i = 0; i < headers.length; i += 2) head += headerLines(this, headers[i], headers[i + 1]);
        }
      } else if (headers === this[kOutHeaders]) {
        // The stored headers' lines from one native call when it can make
        // them all (runtime/bind_httpjs_headers.go), the loop otherwise.
        var block = headerBlock !== void 0 ? headerBlock(objectValues(headers)) : undefined;
        if (block !== void 0) {
          head += block;
          seen = headerOut[0];
          if ((seen & kSawContLen) !== 0) this._contentLength = headerOut[1];
        } else for (var k in headers) {
          var e = headers[k];
          var name = e[0], value = e[1];
          // headerLines inlined for a string or number value (one line;
          // a number's text is what String() gives): no call per header.
          var t = typeof value;
          if (t !== 'string' && t !== 'number') {
            head += headerLines(this, name, value, k);
            continue;
          }
          var len = name.length;
          if (len === 14 || len === 4 || len === 10 || len === 17 || len === 6 || len === 7) {
            if (k === 'content-length') {
              seen |= kSawContLen;
              this._contentLength = +value;
            } else if (k === 'date') {
              seen |= kSawDate;
            } else if (k === 'connection' || k === 'transfer-encoding' || k === 'expect' || k === 'trailer') {
              head += headerLines(this, name, value, k);
              continue;
            }
          }
          head += name + ': ' + value + '\r\n';
        }
      } else {
        var keys = Object.keys(headers);
        for (var i = 0; i < keys.length; i++) head += headerLines(this, keys[i], headers[keys[i]]);
      }
    }
    var saw = seen;
    if ((saw & kSawDate) === 0 && this.sendDate) {
      // dateLine(), without the call while its second lasts.
      var now = loopClock[0];
      if (now >= dateUntil || now < dateFrom) {
        lastDateLine = dateLine();
        dateFrom = now - (now % 1000);
        dateUntil = dateFrom + 1000;
      }
      head += lastDateLine;
    }
    if (this.chunkedEncoding && (this.statusCode === 204 || this.statusCode === 304)) this.chunkedEncoding = false;
    if ((saw & kSawConnection) === 0 && !this._removedConnection) {
      var shouldSendKeepAlive = this.shouldKeepAlive &&
        ((saw & kSawContLen) !== 0 || this.useChunkedEncodingByDefault || this.agent);
      if (shouldSendKeepAlive && this.maxRequestsOnConnectionReached) {
        // As node: the header says close but the connection stays (a
        // pipelined request past the limit still gets its 503).
        head += 'Connection: close\r\n';
      } else if (shouldSendKeepAlive) {
        var ka = this._keepAliveTimeout;
        if (ka && this._defaultKeepAlive) {
          head += ~~this._maxRequestsPerSocket > 0 ? 'Connection: keep-alive\r\nKeep-Alive: timeout=' + Math.floor(ka / 1000) +
            ', max=' + this._maxRequestsPerSocket + '\r\n' :
            ka === 5000 ? 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n' :
              'Connection: keep-alive\r\nKeep-Alive: timeout=' + Math.floor(ka / 1000) + '\r\n';
        } else {
          head += 'Connection: keep-alive\r\n';
        }
      } else {
        this._last = true;
        head += 'Connection: close\r\n';
      }
    }
    if ((saw & (kSawContLen | kSawTE)) === 0) {
      if (!this._hasBody) {
        this.chunkedEncoding = false;
      } else if (!this.useChunkedEncodingByDefault) {
        this._last = true;
      } else if (!this._removedContLen && typeof this._contentLength === 'number') {
        head += 'Content-Length: ' + this._contentLength + '\r\n';
      } else if (!this._removedTE) {
        head += 'Transfer-Encoding: chunked\r\n';
        this.chunkedEncoding = true;
      } else {
        this._last = true;
      }
    }
    this._header = head + '\r\n';
    this._headerSent = false;
    if (saw & kSawExpect) this._send('');
  }

  // _send queues data (head first) for the socket.
  _send(data, encoding, callback) {
    if (!this._headerSent && this._header !== null) {
      var h = this._header;
      // The head and a first Buffer chunk (a piped file's, Express's
      // res.send body) go out in one Go call, without joining them into a
      // new Buffer here. A write callback keeps the generic path, where it
      // gets the write's error.
      if (typeof data !== 'string' && data.length > 0 && callback === void 0 && this.outputData.length === 0) {
        var conn = this.socket;
        if (conn !== null && conn._httpMessage === this && conn.writable && !conn.destroyed &&
            conn._writeHTTP !== void 0 && conn._writeHTTP(h, data, noop, undefined)) {
          this._headerSent = true;
          return true;
        }
      }
      if (typeof data === 'string' && (encoding === void 0 || encoding === 'utf8' || encoding === 'utf-8' || encoding === 'latin1')) {
        data = h + data;
      } else if (data.length === 0) {
        data = h;
      } else {
        data = Buffer.concat([Buffer.from(h, 'latin1'), typeof data === 'string' ? Buffer.from(data, encoding) : data]);
      }
      if (typeof data !== 'string') encoding = undefined;
      else if (/[^\x00-\x7f]/.test(h)) encoding = 'latin1';
      else encoding = encoding || 'utf8';
      this._headerSent = true;
    }
    return this._writeRaw(data, encoding, callback);
  }

  _writeRaw(data, encoding, callback) {
    const conn = this.socket;
    if (conn && conn.destroyed) {
      if (typeof callback === 'function') process.nextTick(callback, new ERR_STREAM_DESTROYED('write'));
      return false;
    }
    if (conn && conn._httpMessage === this && conn.writable) {
      if (this.outputData.length) this._flushOutput(conn);
      return conn._writeFast(data, encoding, callback);
    }
    this.outputData.push({ data, encoding, callback });
    this.outputSize += data.length;
    this._needDrain = this.outputSize >= 16384;
    return !this._needDrain;
  }

  _flushOutput(socket) {
    const out = this.outputData;
    if (!out.length) return true;
    this.outputData = [];
    this.outputSize = 0;
    let ret = true;
    for (let i = 0; i < out.length; i++) {
      const { data, encoding, callback } = out[i];
      ret = socket._writeFast(data, encoding, callback);
    }
    return ret;
  }

  _flush() {
    const socket = this.socket;
    if (socket && socket.writable) {
      const ret = this._flushOutput(socket);
      if (this.finished) this._finish();
      else if (ret && this._needDrain) {
        this._needDrain = false;
        this.emit('drain');
      }
    }
  }

  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    // node corks the socket for the rest of the tick on a write(), so what
    // this tick's writes handed to the socket counts against its
    // high-water mark (and in writableLength) even when the kernel took it
    // at once: _tickLen, reset on the next tick.
    var conn = this.socket;
    var d0 = conn ? conn._bytesDispatched : undefined;
    var ret = this._writeBody(chunk, encoding, callback, false);
    if (d0 !== void 0 && conn === this.socket && conn._afterLastWrite !== void 0) {
      var n = conn._bytesDispatched - d0;
      if (n > 0) {
        if (this._tickLen === 0) process.nextTick(resetTickLen, this);
        this._tickLen += n;
        if (this._tickLen >= conn.writableHighWaterMark) {
          if (!this.finished) {
            this._needDrain = true;
            conn._afterLastWrite(emitDrain, this);
          }
          return false;
        }
      }
    }
    if (!ret) this._needDrain = true;
    return ret;
  }

  _writeBody(chunk, encoding, callback, fromEnd) {
    if (this.finished && !fromEnd) {
      var err = new ERR_STREAM_WRITE_AFTER_END();
      process.nextTick(() => {
        if (this.listenerCount('error') > 0 || !this.socket) this.emit('error', err);
        if (typeof callback === 'function') callback(err);
      });
      return true;
    }
    if (chunk === null) throw new ERR_STREAM_NULL_VALUES();
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
    }
    if (!this._header) {
      if (fromEnd) this._contentLength = byteLength(chunk, encoding);
      this._implicitHeader();
    }
    if (!this._hasBody) {
      if (fromEnd && !this._headerSent) return this._send('', 'utf8', callback);
      if (typeof callback === 'function') process.nextTick(callback);
      return true;
    }
    var len = byteLength(chunk, encoding);
    var tail = fromEnd && this.chunkedEncoding ? '0\r\n' + this._trailer + '\r\n' : '';
    if (len === 0) {
      if (tail) return this._send(tail, 'utf8', callback);
      if (fromEnd && (!this._headerSent || this.outputData.length)) return this._send('', 'utf8', callback);
      if (typeof callback === 'function') process.nextTick(callback);
      return true;
    }
    if (this.chunkedEncoding) {
      if (typeof chunk === 'string' && (encoding == null || encoding === 'utf8' || encoding === 'utf-8')) {
        return this._send(len.toString(16) + '\r\n' + chunk + '\r\n' + tail, 'utf8', callback);
      }
      var body = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      return this._send(Buffer.concat([Buffer.from(len.toString(16) + '\r\n', 'latin1'), body, Buffer.from('\r\n' + tail, 'latin1')]), undefined, callback);
    }
    return this._send(chunk, encoding || undefined, callback);
  }

  addTrailers(headers) {
    this._trailer = '';
    const keys = Object.keys(headers);
    for (let i = 0; i < keys.length; i++) {
      const k = Array.isArray(headers) ? headers[keys[i]][0] : keys[i];
      const v = Array.isArray(headers) ? headers[keys[i]][1] : headers[k];
      validateHeaderName(k, 'Trailer name');
      validateHeaderValue(k, v);
      this._trailer += k + ': ' + v + '\r\n';
    }
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    if (this.finished) {
      if (chunk) {
        var err = new ERR_STREAM_WRITE_AFTER_END();
        process.nextTick(() => { if (typeof callback === 'function') callback(err); });
      } else if (typeof callback === 'function') {
        if (!this._writableFinished) this.once('finish', callback);
        else process.nextTick(callback, new ERR_STREAM_ALREADY_FINISHED('end'));
      }
      return this;
    }
    if (typeof callback === 'function') this.once('finish', callback);
    if (chunk) {
      this._writeBody(chunk, encoding, () => this._emitFinish(), true);
    } else {
      if (!this._header) {
        this._contentLength = 0;
        this._implicitHeader();
      }
      if (this._hasBody && this.chunkedEncoding) {
        this._send('0\r\n' + this._trailer + '\r\n', 'utf8', () => this._emitFinish());
      } else if (!this._headerSent || this.outputData.length) {
        this._send('', 'utf8', () => this._emitFinish());
      } else {
        // Everything was written already (a piped body's end): 'finish'
        // on the next tick, without a closure.
        tick1(emitFinishNT, this);
      }
    }
    this.finished = true;
    var socket = this.socket;
    if (this.outputData.length === 0 && socket !== null && socket._httpMessage === this) this._finish();
    return this;
  }

  // _finish emits 'prefinish' once everything is handed to the socket (at
  // end(), or when a queued message gets its socket), as node does;
  // 'finish' follows when the last write completed (_emitFinish).
  _finish() {
    if (this._prefinished || !this.finished) return;
    this._prefinished = true;
    // Emitting to no listeners still costs a call under an interpreter
    // (a listener of another event does not make one needed); an
    // overridden emit always gets the event.
    var ev = this._events;
    if ((ev !== void 0 && ev.prefinish !== void 0) || this.emit !== eeEmit) this.emit('prefinish');
  }

  _emitFinish() {
    if (this._writableFinished) return;
    this._writableFinished = true;
    this.emit('finish');
  }

  flushHeaders() {
    if (!this._header) this._implicitHeader();
    this._send('');
  }

  pipe() {
    this.emit('error', new (require('internal/errors').codes.ERR_STREAM_CANNOT_PIPE)());
  }
}

for (const k of Object.getOwnPropertyNames(OutgoingMessageMethods.prototype)) {
  if (k !== 'constructor') {
    Object.defineProperty(OutgoingMessage.prototype, k, Object.getOwnPropertyDescriptor(OutgoingMessageMethods.prototype, k));
  }
}

// Native setHeader and getHeader (runtime/bind_httpjs_headers.go): Express
// calls them about a dozen times per response, and each JavaScript call
// costs dozens of interpreted operations; the native ones store and read
// the same [name, value] entries and call the JavaScript above for
// anything unusual (errors included).
if (bufferBinding.httpHeaderMethods !== void 0) {
  const proto = OutgoingMessage.prototype;
  const fast = bufferBinding.httpHeaderMethods({ setHeader: proto.setHeader, getHeader: proto.getHeader }, kOutHeaders);
  for (const k of ['setHeader', 'getHeader']) {
    if (fast[k] !== void 0) Object.defineProperty(proto, k, { value: fast[k], writable: true, enumerable: false, configurable: true });
  }
}

// The defaults of every OutgoingMessage field (see the constructor).
Object.assign(OutgoingMessage.prototype, {
  outputSize: 0,
  writable: true,
  destroyed: false,
  _last: false,
  chunkedEncoding: false,
  shouldKeepAlive: true,
  maxRequestsOnConnectionReached: false,
  _maxRequestsPerSocket: 0,
  _defaultKeepAlive: true,
  useChunkedEncodingByDefault: true,
  sendDate: false,
  _removedConnection: false,
  _removedContLen: false,
  _removedTE: false,
  strictContentLength: false,
  _contentLength: null,
  _hasBody: true,
  _trailer: '',
  finished: false,
  _headerSent: false,
  _header: null,
  [kOutHeaders]: null,
  _keepAliveTimeout: 0,
  _onPendingData: null,
  socket: null,
  _corked: 0,
  _tickLen: 0,
  _writableFinished: false,
  _prefinished: false,
});

function resetTickLen(msg) { msg._tickLen = 0; }

// 'drain' once the socket took what a write() that returned false handed
// it (node: the socket's 'drain').
function emitDrain(msg) {
  if (!msg.finished && msg._needDrain) {
    msg._needDrain = false;
    msg.emit('drain');
  }
}

module.exports = { OutgoingMessage, emitDrain, kOutHeaders, validateHeaderName, validateHeaderValue, kEmpty };
