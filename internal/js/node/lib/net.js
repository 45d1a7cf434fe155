'use strict';
// net: TCP and Unix-domain sockets over internalBinding('tcp') (Go
// net.Conn / net.Listener, see bindings/tcp.md). A Socket is a Duplex: the
// binding's reader goroutine delivers chunks (readStart/readStop give
// backpressure), writes go to the socket's writer goroutine and complete
// through the loop, so write callbacks and 'drain' behave as in Node.
// Comparisons with undefined are written `=== void 0`: the engine reads the
// identifier `undefined` as a global variable and compares through its
// slow path (~250 instructions), where `void 0` compiles to an is-undefined
// test (~45), and these modules run on every request.

const EventEmitter = require('events');
const { Duplex } = require('stream');
const { Buffer } = require('buffer');
const { validatePort } = require('internal/validators');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_SERVER_ALREADY_LISTEN, ERR_SERVER_NOT_RUNNING,
    ERR_SOCKET_CLOSED, ERR_INVALID_ARG_VALUE,
  },
  ExceptionWithHostPort, UVExceptionWithHostPort, DNSException, errnoByCode,
} = require('internal/errors');

const binding = internalBinding('tcp');

// Event kinds, as bind_net.go.
const EV_CONNECTION = 1, EV_CONNECT = 2, EV_DATA = 3, EV_EOF = 4, EV_ERROR = 5,
  EV_WRITTEN = 6, EV_HEAD = 7, EV_BODY = 8, EV_BODY_END = 9, EV_PARSE_ERROR = 10,
  EV_LISTEN_ERROR = 11;

const setHandle = binding.setHandle;
const writeHTTP = binding.writeHTTP;
// AsyncLocalStorage: once a frame was first entered (async_context tells
// through onFirstEnter), every event runs in a frame, as node's async
// resources do: a connecting socket's events, a server's and a child
// process's in the frame current when the handle was made (connect,
// listen, spawn); an accepted socket's in none (node makes its handle
// before entering the server's callback); HTTP parser events (heads,
// bodies) in the frame the parser was made in (parser._frame: the
// connection listener's for a server, the request's for a client, so a
// request on a reused keep-alive socket keeps its own). Programs that
// never enter a frame pay one comparison per event.
const asyncContext = require('internal/async_context');
const frames = new Map();
let framesOn = false;
asyncContext.onFirstEnter(() => { framesOn = true; });
function addHandle(id, h) {
  setHandle(id, h);
  if (framesOn) {
    const frame = asyncContext.getFrame();
    if (frame !== null) frames.set(id, frame);
  }
}
function removeHandle(id) {
  setHandle(id);
  if (framesOn) frames.delete(id);
}
function dispatchFramed(h, id, kind, a, b, c, d, e, f, g) {
  let frame;
  const p = h._httpParser;
  if (p && (kind === EV_HEAD || kind === EV_BODY || kind === EV_BODY_END || kind === EV_PARSE_ERROR || kind === EV_EOF) &&
      p._frame !== void 0) {
    frame = p._frame;
  } else {
    frame = frames.get(id);
    if (frame === void 0) frame = null;
  }
  asyncContext.runInFrame(frame, dispatchEvent, undefined, [h, kind, a, b, c, d, e, f, g]);
}
function dispatchEvent(h, kind, a, b, c, d, e, f, g) {
  if (kind === EV_HEAD && h._httpParser) {
    if (h._timer !== null) h._timer.refresh();
    h._httpParser.onHead(a, b, c, d, e, f, g);
    return;
  }
  h._onEvent(kind, a, b, c, d, e, f, g);
}
// Go passes each event's handle object (registered by setHandle), so a
// request costs no Map lookup here.
binding.setDispatch(function dispatch(h, id, kind, a, b, c, d, e, f, g) {
  if (framesOn) {
    dispatchFramed(h, id, kind, a, b, c, d, e, f, g);
    return;
  }
  // An HTTP request head, the event a busy server sees most, skips the
  // generic switch.
  if (kind === EV_HEAD) {
    var p = h._httpParser;
    if (p) {
      if (h._timer !== null) h._timer.refresh();
      p.onHead(a, b, c, d, e, f, g);
      return;
    }
  }
  h._onEvent(kind, a, b, c, d, e, f, g);
});

const kHandle = Symbol('kHandle');
function noop() {}
const nextTick1 = process._nextTick1;

function fastWriteTick1(info) { process.nextTick(fastWriteTick2, info); }
function fastWriteTick2(info) {
  if (info.pre !== null) info.pre(info.arg);
  info.cb(null);
}
function afterWriteTick1(fn, arg) { process.nextTick(fn, arg); }

function toBuffer(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function sysError(errno, code, syscall, address, port) {
  if (!errno && code) {
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEOUT') return DNSException(code, 'getaddrinfo', address);
    errno = errnoByCode(code);
  }
  return ExceptionWithHostPort(errno, syscall, address, port);
}

// --- IP helpers ----------------------------------------------------------------

const v4Seg = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const v4Str = `(?:${v4Seg}\\.){3}${v4Seg}`;
const IPv4Reg = new RegExp(`^${v4Str}$`);
const v6Seg = '(?:[0-9a-fA-F]{1,4})';
const IPv6Reg = new RegExp('^(?:' +
  `(?:${v6Seg}:){7}(?:${v6Seg}|:)|` +
  `(?:${v6Seg}:){6}(?:${v4Str}|:${v6Seg}|:)|` +
  `(?:${v6Seg}:){5}(?::${v4Str}|(?::${v6Seg}){1,2}|:)|` +
  `(?:${v6Seg}:){4}(?:(?::${v6Seg}){0,1}:${v4Str}|(?::${v6Seg}){1,3}|:)|` +
  `(?:${v6Seg}:){3}(?:(?::${v6Seg}){0,2}:${v4Str}|(?::${v6Seg}){1,4}|:)|` +
  `(?:${v6Seg}:){2}(?:(?::${v6Seg}){0,3}:${v4Str}|(?::${v6Seg}){1,5}|:)|` +
  `(?:${v6Seg}:){1}(?:(?::${v6Seg}){0,4}:${v4Str}|(?::${v6Seg}){1,6}|:)|` +
  `(?::(?:(?::${v6Seg}){0,5}:${v4Str}|(?::${v6Seg}){1,7}|:))` +
')(?:%[0-9a-zA-Z-.:]{1,})?$');

function isIPv4(s) { return IPv4Reg.test(String(s)); }
function isIPv6(s) { return IPv6Reg.test(String(s)); }
function isIP(s) {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 6;
  return 0;
}

function joinHostPort(host, port) {
  return (host.includes(':') ? `[${host}]` : host) + ':' + port;
}

// --- Socket --------------------------------------------------------------------

class Socket extends Duplex {
  constructor(options) {
    if (typeof options === 'number') options = { fd: options };
    options = { ...options };
    const allowHalfOpen = !!options.allowHalfOpen;
    super({
      allowHalfOpen,
      decodeStrings: false,
      emitClose: false,
      autoDestroy: true,
      highWaterMark: options.highWaterMark,
      readable: options.readable,
      writable: options.writable,
      signal: options.signal,
    });
    this.allowHalfOpen = allowHalfOpen;
    this.connecting = false;
    this._handle = null;
    this._host = null;
    this._pendingWrite = null;
    this._pendingFinal = null;
    this._writeCbs = new Map();
    this._writeSeq = 0;
    this._lastSyncWrite = null;
    this._timeoutMs = 0;
    this._timer = null;
    this._peer = null;
    this._sockname = null;
    this._refed = true;
    this._readingWanted = false;
    this._httpParser = null;
    this.bytesRead = 0;
    this._bytesDispatched = 0;
    this.server = null;
    this._server = null;
    if (options[kHandle] !== void 0) {
      this._attach(options[kHandle]);
    }
    if (options.timeout) this.setTimeout(options.timeout);
  }

  _attach(id) {
    this._handle = id;
    addHandle(id, this);
    if (!this._refed) binding.ref(id, false);
  }

  get _handleId() { return this._handle; }

  connect(...args) {
    const [options, cb] = normalizeConnectArgs(args);
    if (cb) this.once('connect', cb);
    if (this.destroyed) {
      this._readableState.destroyed = this._writableState.destroyed = false;
      this._readableState.ended = this._readableState.endEmitted = false;
      this._writableState.ended = this._writableState.finished = false;
    }
    let network, address, host, port;
    if (options.path) {
      network = 'unix';
      address = host = options.path;
    } else {
      host = options.host || 'localhost';
      port = options.port;
      if (port === void 0) throw new ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port);
      port = validatePort(port);
      network = options.family === 6 ? 'tcp6' : options.family === 4 ? 'tcp4' : 'tcp';
      if (host === 'localhost' && network === 'tcp') network = 'tcp';
      address = joinHostPort(host, port);
    }
    if (options.timeout) this.setTimeout(options.timeout);
    this.connecting = true;
    this._host = host;
    this._connectPort = port;
    const id = this._connectImpl ? this._connectImpl(network, address, options) : binding.connect(network, address);
    this._attach(id);
    return this;
  }

  _onEvent(kind, a, b, c, d, e, f, g) {
    switch (kind) {
      case EV_DATA: {
        this._touch();
        this.bytesRead += a.byteLength;
        if (!this.push(toBuffer(a))) this._stopReading();
        return;
      }
      case EV_EOF:
        this._touch();
        if (this._httpParser) { this._httpParser.onEOF(); return; }
        this.push(null);
        this.read(0);
        return;
      case EV_WRITTEN: {
        const cb = this._writeCbs.get(a);
        this._writeCbs.delete(a);
        this._touch();
        if (cb) cb(b ? sysError(b, c, 'write') : null);
        return;
      }
      case EV_CONNECT:
        this._onConnect(a, b, c);
        return;
      case EV_ERROR:
        if (this._httpParser && this._httpParser.onSocketError) {
          this._httpParser.onSocketError(sysError(a, b, 'read'));
          return;
        }
        this.destroy(sysError(a, b, 'read'));
        return;
      case EV_HEAD:
        this._touch();
        if (this._httpParser) this._httpParser.onHead(a, b, c, d, e, f, g);
        return;
      case EV_BODY:
        this._touch();
        this.bytesRead += a.byteLength;
        if (this._httpParser) this._httpParser.onBody(toBuffer(a));
        return;
      case EV_BODY_END:
        if (this._httpParser) this._httpParser.onBodyEnd(a);
        return;
      case EV_PARSE_ERROR:
        if (this._httpParser) this._httpParser.onParseError(a, b);
        else this.destroy(new Error(a));
        return;
    }
  }

  _onConnect(errno, code, message) {
    if (this.destroyed) return;
    this.connecting = false;
    if (errno || code) {
      removeHandle(this._handle);
      this._handle = null;
      let err;
      if (message !== void 0) {
        // A TLS handshake failure: OpenSSL-style code, Go's message.
        err = new Error(message);
        err.code = code;
      } else {
        err = sysError(errno, code, 'connect', this._host, this._connectPort);
      }
      this.destroy(err);
      return;
    }
    this.emit('connect');
    this.emit('ready');
    const pw = this._pendingWrite;
    if (pw) {
      this._pendingWrite = null;
      this._write(pw[0], pw[1], pw[2]);
    }
    const pf = this._pendingFinal;
    if (pf) {
      this._pendingFinal = null;
      this._final(pf);
    }
    if (this._readingWanted || !this.isPaused()) this._startReading();
  }

  _startReading() {
    if (this._handle !== null && !this.connecting) {
      this._reading = true;
      binding.readStart(this._handle);
    }
  }

  _stopReading() {
    if (this._handle !== null && this._reading) {
      this._reading = false;
      binding.readStop(this._handle);
    }
  }

  _read() {
    if (this.connecting || this._handle === null) {
      this._readingWanted = true;
      return;
    }
    this._startReading();
  }

  pause() {
    // A paused socket stops reading from the kernel, as Node's does.
    if (!this.connecting && this._handle !== null && !this._httpParser) this._stopReading();
    return super.pause();
  }

  resume() {
    if (!this.connecting && this._handle !== null && !this._httpParser) this._startReading();
    return super.resume();
  }

  _write(chunk, encoding, cb) {
    if (this.connecting) {
      this._pendingWrite = [chunk, encoding, cb];
      return;
    }
    if (this._handle === null) {
      cb(new ERR_SOCKET_CLOSED());
      return;
    }
    if (typeof chunk === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' && encoding !== 'buffer') {
      chunk = Buffer.from(chunk, encoding);
    }
    const id = ++this._writeSeq;
    this._bytesDispatched += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    // 2: the kernel took it all at once (no completion event follows);
    // the Writable defers its own after-write work, as with libuv's
    // synchronous writes.
    if (binding.write(this._handle, chunk, id) === 2) {
      this._touch();
      cb(null);
      return;
    }
    this._writeCbs.set(id, cb);
  }

  // _writeFast is the HTTP modules' write: straight to the binding when
  // nothing is buffered in the Writable (the common case), skipping the
  // stream machinery that costs more than the write under an interpreter.
  _writeFast(data, encoding, cb) {
    const ws = this._writableState;
    if (this._handle === null || this.connecting || ws.length !== 0 || ws.corked || ws.ending || this.destroyed ||
        (typeof data === 'string' && encoding !== void 0 && encoding !== 'utf8' && encoding !== 'utf-8')) {
      return this.write(data, encoding, cb);
    }
    const id = ++this._writeSeq;
    this._bytesDispatched += typeof data === 'string' ? data.length : data.byteLength;
    if (binding.write(this._handle, data, id) === 2) {
      // Written at once: the callback runs two ticks later, where node's
      // runs after the response's corked socket is flushed on the next
      // tick (so after a nextTick queued right after write()).
      this._touch();
      if (typeof cb === 'function') {
        const info = { cb, id, pre: null, arg: undefined };
        this._lastSyncWrite = info;
        process.nextTick(fastWriteTick1, info);
      }
      return true;
    }
    this._writeCbs.set(id, typeof cb === 'function' ? cb : noop);
    return true;
  }

  // _afterLastWrite runs fn(arg) once the last write handed to the socket
  // completed without error, before that write's callback, and never
  // synchronously: the HTTP modules' 'drain' after a write() that returned
  // false.
  _afterLastWrite(fn, arg) {
    const ws = this._writableState;
    if (ws.length !== 0) {
      // Data waits in the Writable: its 'drain' comes once it is written.
      ws.needDrain = true;
      this.once('drain', () => fn(arg));
      return;
    }
    const id = this._writeSeq;
    const cbs = this._writeCbs;
    const prev = cbs.get(id);
    if (prev !== void 0) {
      cbs.set(id, (err) => { if (!err) fn(arg); prev(err); });
      return;
    }
    const info = this._lastSyncWrite;
    if (info !== null && info.id === id && info.pre === null) {
      info.pre = fn;
      info.arg = arg;
      return;
    }
    process.nextTick(afterWriteTick1, fn, arg);
  }

  // _writeHTTP writes an HTTP head (sent as latin1) and its body (a UTF-8
  // string, a Uint8Array or undefined) in one write, for the HTTP modules;
  // cb(arg) runs once the write completed, never synchronously. It returns
  // false, having written nothing, when the socket cannot take a direct
  // write now (the caller then takes the stream path).
  _writeHTTP(head, body, cb, arg) {
    // Locals are var (a const costs an operation on entry and a checked
    // read) and the binding's function is called without a property read:
    // this runs for every response.
    var ws = this._writableState;
    var handle = this._handle;
    if (handle === null || this.connecting || ws.length !== 0 || ws.corked || ws.ending || ws.destroyed) {
      return false;
    }
    var id = ++this._writeSeq;
    this._bytesDispatched += head.length + (body === void 0 ? 0 : body.length); // a string's or a Uint8Array's
    if (writeHTTP(handle, head, body, id) === 2) {
      if (this._timer !== null) this._timer.refresh();
      // nextTick1 carries no AsyncLocalStorage frame; process.nextTick does.
      if (framesOn && asyncContext.getFrame() !== null) process.nextTick(cb, arg);
      else nextTick1(cb, arg);
      return true;
    }
    this._writeCbs.set(id, () => cb(arg));
    return true;
  }

  _final(cb) {
    if (this.connecting) {
      this._pendingFinal = cb;
      return;
    }
    if (this._handle === null) { cb(); return; }
    const id = ++this._writeSeq;
    this._writeCbs.set(id, (err) => cb(err && err.code === 'ENOTCONN' ? null : err));
    binding.shutdown(this._handle, id);
  }

  _destroy(err, cb) {
    this.connecting = false;
    this._clearTimer();
    if (this._handle !== null) {
      binding.close(this._handle);
      removeHandle(this._handle);
      this._handle = null;
    }
    const cbs = this._writeCbs;
    this._writeCbs = new Map();
    for (const wcb of cbs.values()) wcb(new ERR_SOCKET_CLOSED());
    cb(err);
    const server = this._server;
    process.nextTick(() => {
      this.emit('close', !!err);
      if (server) {
        server._connections--;
        server._emitCloseIfDrained();
      }
    });
  }

  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', this.destroy);
  }

  resetAndDestroy() {
    return this.destroy();
  }

  // --- timeouts ---
  setTimeout(ms, cb) {
    ms = +ms || 0;
    this._timeoutMs = ms;
    this._clearTimer();
    if (ms > 0) {
      this._timer = setTimeout(() => this._onTimeout(), ms);
      if (this._timer.unref) this._timer.unref();
    }
    if (cb) {
      if (ms === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    return this;
  }

  get timeout() { return this._timeoutMs; }

  _onTimeout() {
    this._timer = null;
    if (this.destroyed) return;
    this.emit('timeout');
    if (this._timeoutMs > 0 && !this._timer && !this.destroyed) {
      this._timer = setTimeout(() => this._onTimeout(), this._timeoutMs);
      if (this._timer.unref) this._timer.unref();
    }
  }

  _touch() {
    if (this._timer !== null) this._timer.refresh();
  }

  _clearTimer() {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  setNoDelay(on = true) {
    if (this._handle !== null && !this.connecting) binding.setNoDelay(this._handle, !!on);
    else this.once('connect', () => this.setNoDelay(on));
    return this;
  }

  setKeepAlive(on = false, delay = 0) {
    if (this._handle !== null && !this.connecting) binding.setKeepAlive(this._handle, !!on, ~~delay);
    else this.once('connect', () => this.setKeepAlive(on, delay));
    return this;
  }

  ref() {
    this._refed = true;
    if (this._handle !== null) binding.ref(this._handle, true);
    return this;
  }

  unref() {
    this._refed = false;
    if (this._handle !== null) binding.ref(this._handle, false);
    return this;
  }

  address() {
    if (this._sockname === null && this._handle !== null && !this.connecting) {
      const a = binding.address(this._handle, false);
      if (a) this._sockname = a;
    }
    const a = this._sockname;
    if (!a) return {};
    if (a[2] === 'unix') return a[0];
    return { address: a[0], family: a[2], port: a[1] };
  }

  _getpeer() {
    if (this._peer === null && this._handle !== null && !this.connecting) {
      const a = binding.address(this._handle, true);
      if (a) this._peer = a;
    }
    return this._peer;
  }

  get remoteAddress() { const p = this._getpeer(); return p ? p[0] : undefined; }
  get remotePort() { const p = this._getpeer(); return p && p[2] !== 'unix' ? p[1] : undefined; }
  get remoteFamily() { const p = this._getpeer(); return p ? p[2] : undefined; }
  get localAddress() { this.address(); return this._sockname ? this._sockname[0] : undefined; }
  get localPort() { this.address(); return this._sockname ? this._sockname[1] : undefined; }
  get localFamily() { this.address(); return this._sockname ? this._sockname[2] : undefined; }

  get bytesWritten() { return this._bytesDispatched; }
  get bufferSize() { return this.writableLength; }
  get pending() { return this._handle === null || this.connecting; }

  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }
}

function normalizeConnectArgs(args) {
  if (args.length === 0) return [{}, null];
  const a0 = args[0];
  let options = {};
  if (Array.isArray(a0) && a0.length > 0) return normalizeConnectArgs(a0);
  if (a0 !== null && typeof a0 === 'object') options = { ...a0 };
  else if (typeof a0 === 'string' && Number.isNaN(+a0)) options.path = a0;
  else {
    options.port = a0;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  return [options, typeof cb === 'function' ? cb : null];
}

function connect(...args) {
  const [options, cb] = normalizeConnectArgs(args);
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(options, cb);
}

// --- Server --------------------------------------------------------------------

class Server extends EventEmitter {
  constructor(options, connectionListener) {
    super();
    if (typeof options === 'function') {
      connectionListener = options;
      options = {};
    } else if (options == null || typeof options === 'object') {
      options = { ...options };
    } else {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    if (typeof connectionListener === 'function') this.on('connection', connectionListener);
    this._handle = null;
    this._connections = 0;
    this._refed = true;
    this._addr = null;
    this.allowHalfOpen = !!options.allowHalfOpen;
    this.pauseOnConnect = !!options.pauseOnConnect;
    this.noDelay = !!options.noDelay;
    this.keepAlive = !!options.keepAlive;
    this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
    this.maxConnections = undefined;
  }

  get listening() { return this._handle !== null; }

  listen(...args) {
    let cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    let options = {};
    const a0 = args[0];
    if (a0 !== null && typeof a0 === 'object' && !(a0 instanceof Number)) {
      options = { ...a0 };
    } else if (typeof a0 === 'string' && Number.isNaN(+a0)) {
      options.path = a0;
    } else {
      options.port = a0;
      if (typeof args[1] === 'string') options.host = args[1];
      else if (typeof args[1] === 'number' && args.length > 1) options.backlog = args[1];
    }
    if (this._handle !== null) throw new ERR_SERVER_ALREADY_LISTEN();
    if (cb) this.once('listening', cb);
    let network, address, port = 0, host;
    if (options.path) {
      network = 'unix';
      address = host = options.path;
    } else {
      if (options.port !== void 0 && options.port !== null) {
        if (typeof options.port !== 'number' && typeof options.port !== 'string') {
          throw new ERR_INVALID_ARG_VALUE('options', options, 'is invalid');
        }
        port = validatePort(options.port, 'options.port');
      }
      host = options.host;
      if (host === void 0 || host === null || host === '') {
        network = 'tcp';
        address = ':' + port;
        host = '::';
      } else {
        network = options.ipv6Only ? 'tcp6' : 'tcp';
        address = joinHostPort(host, port);
      }
    }
    const res = this._listenImpl ? this._listenImpl(network, address) : binding.listen(network, address);
    if (res[0] === 0 && res[3] !== void 0) {
      const err = new Error(res[3]);
      err.code = res[2];
      process.nextTick(() => this.emit('error', err));
      return this;
    }
    if (res[0] === 0) {
      const errno = res[1] || errnoByCode(res[2]);
      const err = options.path ?
        UVExceptionWithHostPort(errno, 'listen', options.path, -1) :
        UVExceptionWithHostPort(errno, 'listen', host, port);
      process.nextTick(() => this.emit('error', err));
      return this;
    }
    this._handle = res[0];
    this._addr = res[3] === 'unix' ? options.path : { address: res[1], family: res[3], port: res[2] };
    addHandle(this._handle, this);
    if (!this._refed) binding.ref(this._handle, false);
    process.nextTick(() => {
      if (this._handle !== null) this.emit('listening');
    });
    return this;
  }

  _onEvent(kind, a, b, c, d) {
    if (kind === EV_LISTEN_ERROR) {
      this.emit('error', sysError(a, b, 'accept'));
      return;
    }
    if (kind !== EV_CONNECTION) return;
    if (this.maxConnections !== void 0 && this._connections >= this.maxConnections) {
      binding.close(a);
      return;
    }
    const socket = new (this._socketClass || Socket)({ [kHandle]: a, allowHalfOpen: this.allowHalfOpen });
    // An accepted socket's own events run in no frame (see addHandle).
    if (framesOn) frames.delete(a);
    socket._peer = [b, c, d];
    socket.server = this;
    socket._server = this;
    this._connections++;
    if (this.noDelay) socket.setNoDelay(true);
    if (this.keepAlive) socket.setKeepAlive(true, this.keepAliveInitialDelay * 1000);
    this._onConnection(socket);
  }

  _onConnection(socket) {
    if (this.pauseOnConnect) socket.pause();
    this.emit('connection', socket);
    // As in node, an accepted socket reads from the start (into its buffer,
    // up to the high-water mark) even with no 'data' listener, so the
    // peer's FIN is seen and an ended socket closes.
    if (socket._handle !== null && !socket.destroyed && !socket.isPaused() && !socket._reading) socket.read(0);
  }

  address() {
    if (this._handle === null) return null;
    return this._addr;
  }

  close(cb) {
    if (typeof cb === 'function') {
      if (this._handle === null) {
        this.once('close', () => cb(new ERR_SERVER_NOT_RUNNING()));
      } else {
        this.once('close', cb);
      }
    }
    if (this._handle !== null) {
      binding.close(this._handle);
      removeHandle(this._handle);
      this._handle = null;
    }
    this._closing = true;
    this._emitCloseIfDrained();
    return this;
  }

  _emitCloseIfDrained() {
    if (this._handle !== null || this._connections > 0 || !this._closing) return;
    this._closing = false;
    process.nextTick(() => this.emit('close'));
  }

  getConnections(cb) {
    process.nextTick(cb, null, this._connections);
    return this;
  }

  ref() {
    this._refed = true;
    if (this._handle !== null) binding.ref(this._handle, true);
    return this;
  }

  unref() {
    this._refed = false;
    if (this._handle !== null) binding.ref(this._handle, false);
    return this;
  }

  [Symbol.asyncDispose]() {
    return new Promise((resolve) => this.close(() => resolve()));
  }
}

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;

module.exports = {
  Socket,
  Stream: Socket,
  Server,
  createServer,
  connect,
  createConnection: connect,
  isIP,
  isIPv4,
  isIPv6,
  getDefaultAutoSelectFamily: () => autoSelectFamily,
  setDefaultAutoSelectFamily: (v) => { autoSelectFamily = !!v; },
  getDefaultAutoSelectFamilyAttemptTimeout: () => autoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout: (v) => { autoSelectFamilyAttemptTimeout = v; },
  _normalizeArgs: normalizeConnectArgs,
};
Object.defineProperty(module.exports, '_binding', { value: binding, enumerable: false });
Object.defineProperty(module.exports, '_kHandle', { value: kHandle, enumerable: false });
// child_process registers its process handles with the same dispatcher.
Object.defineProperty(module.exports, '_registerHandle', { value: addHandle, enumerable: false });
Object.defineProperty(module.exports, '_unregisterHandle', { value: removeHandle, enumerable: false });
