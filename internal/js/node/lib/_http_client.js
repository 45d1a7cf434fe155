'use strict';
// ClientRequest: writes the request with OutgoingMessage and reads the
// response through the socket's Go-side response parser (tcp.setMode(id,
// 2, isHead), set before the request is written).

const { OutgoingMessage } = require('_http_outgoing');
const { IncomingMessage } = require('_http_incoming');
const { checkIsHttpToken } = require('_http_common');
const { getFrame } = require('internal/async_context');
const { Agent, globalAgent } = require('_http_agent');
const agentModule = require('_http_agent');
const { URL, urlToHttpOptions } = require('url');
const { Buffer } = require('buffer');
const {
  codes: { ERR_INVALID_HTTP_TOKEN, ERR_INVALID_ARG_TYPE, ERR_UNESCAPED_CHARACTERS, ERR_INVALID_PROTOCOL },
} = require('internal/errors');

const tcp = internalBinding('tcp');
const HF_KEEP_ALIVE = 1, HF_UPGRADE = 2, HF_NO_BODY = 4, HF_INFO = 8;
const INVALID_PATH_REGEX = /[^\u0021-\u00ff]/;

function connResetException(msg) {
  const err = new Error(msg);
  err.code = 'ECONNRESET';
  return err;
}

class ClientRequest extends OutgoingMessage {
  constructor(input, options, cb) {
    super();
    if (typeof input === 'string') {
      input = urlToHttpOptions(new URL(input));
    } else if (input instanceof URL) {
      input = urlToHttpOptions(input);
    } else {
      cb = options;
      options = input;
      input = null;
    }
    if (typeof options === 'function') {
      cb = options;
      options = input || {};
    } else {
      options = Object.assign(input || {}, options);
    }
    let agent = options.agent;
    const defaultAgent = options._defaultAgent || agentModule.globalAgent;
    if (agent === false) {
      agent = new defaultAgent.constructor();
    } else if (agent === null || agent === undefined) {
      if (typeof options.createConnection !== 'function') agent = defaultAgent;
    }
    this.agent = agent;
    const protocol = options.protocol || defaultAgent.protocol;
    let expectedProtocol = defaultAgent.protocol;
    if (this.agent && this.agent.protocol) expectedProtocol = this.agent.protocol;
    if (protocol !== expectedProtocol) throw new ERR_INVALID_PROTOCOL(protocol, expectedProtocol);
    const defaultPort = options.defaultPort || (this.agent && this.agent.defaultPort) || 80;
    const port = options.port = options.port || defaultPort;
    const host = options.host = options.hostname || options.host || 'localhost';
    this.timeout = options.timeout;
    const path = options.path || '/';
    if (INVALID_PATH_REGEX.test(path)) throw new ERR_UNESCAPED_CHARACTERS('Request path');
    let method = options.method;
    if (method != null && typeof method !== 'string') throw new ERR_INVALID_ARG_TYPE('options.method', 'string', method);
    method = this.method = (method || 'GET').toUpperCase();
    if (!checkIsHttpToken(method)) throw new ERR_INVALID_HTTP_TOKEN('Method', method);
    this.path = path;
    this.host = host;
    this.protocol = protocol;
    this.maxHeadersCount = null;
    this.reusedSocket = false;
    this.res = null;
    this.aborted = false;
    this._ended = false;
    this.joinDuplicateHeaders = options.joinDuplicateHeaders;
    if (cb) this.once('response', cb);
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS' ||
        method === 'TRACE' || method === 'CONNECT') {
      this.useChunkedEncodingByDefault = false;
    } else {
      this.useChunkedEncodingByDefault = true;
    }
    if (method === 'HEAD') this._hasBody = true;
    const headersArray = Array.isArray(options.headers);
    if (!headersArray) {
      if (options.headers) {
        for (const k of Object.keys(options.headers)) this.setHeader(k, options.headers[k]);
      }
      if (host && !this.getHeader('host') && options.setHost !== false) {
        let hostHeader = host;
        if (hostHeader.includes(':') && !hostHeader.startsWith('[')) hostHeader = '[' + hostHeader + ']';
        if (+port !== +defaultPort) hostHeader += ':' + port;
        this.setHeader('Host', hostHeader);
      }
      if (options.auth && !this.getHeader('Authorization')) {
        this.setHeader('Authorization', 'Basic ' + Buffer.from(options.auth).toString('base64'));
      }
    }
    this._firstLine = method + ' ' + path + ' HTTP/1.1\r\n';
    this._rawHeadersOption = headersArray ? options.headers : null;
    if (this.agent) {
      if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
        this._last = true;
        this.shouldKeepAlive = false;
      } else {
        this._last = false;
        this.shouldKeepAlive = true;
      }
    } else {
      this.shouldKeepAlive = false;
    }
    if (options.signal) {
      const signal = options.signal;
      if (signal.aborted) process.nextTick(() => this.destroy(abortError(signal)));
      else signal.addEventListener('abort', () => this.destroy(abortError(signal)), { once: true });
    }
    const optsWithoutSignal = { __proto__: null, ...options };
    delete optsWithoutSignal.signal;
    if (this.agent) {
      this.agent.addRequest(this, optsWithoutSignal);
    } else if (typeof options.createConnection === 'function') {
      let called = false;
      const oncreate = (err, socket) => {
        if (called) return;
        called = true;
        if (err) process.nextTick(() => this.emit('error', err));
        else this.onSocket(socket);
      };
      const s = options.createConnection(optsWithoutSignal, oncreate);
      if (s) oncreate(null, s);
    } else {
      this.onSocket(require('net').createConnection(optsWithoutSignal));
    }
  }

  _implicitHeader() {
    if (this._header) throw new (require('internal/errors').codes.ERR_HTTP_HEADERS_SENT)('render');
    this._storeHeader(this._firstLine, this._rawHeadersOption || this[require('_http_outgoing').kOutHeaders]);
  }

  abort() {
    if (this.aborted) return;
    this.aborted = true;
    process.nextTick(() => this.emit('abort'));
    this.destroy();
  }

  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.res) this.res._dump();
    this[kError] = err;
    if (this.socket) this.socket.destroy(err);
    else process.nextTick(() => this._emitDestroyed(err));
    return this;
  }

  _emitDestroyed(err) {
    if (this._closeEmitted) return;
    if (err && !this._errorEmitted) {
      this._errorEmitted = true;
      this.emit('error', err);
    }
    this._closeEmitted = true;
    this.emit('close');
  }

  onSocket(socket, err) {
    process.nextTick(() => this._onSocketNT(socket, err));
  }

  _onSocketNT(socket, err) {
    if (err || !socket) {
      this._emitDestroyed(err);
      return;
    }
    if (this.destroyed) {
      socket.destroy();
      this._emitDestroyed(this[kError]);
      return;
    }
    this.socket = socket;
    socket._httpMessage = this;
    const parser = new ClientParser(this, socket);
    socket._httpParser = parser;
    socket.on('error', socketErrorListener);
    socket.on('close', socketCloseListener);
    socket.on('timeout', socketTimeoutListener);
    socket.on('end', socketEndListener);
    const start = () => {
      if (socket._handle === null) return;
      tcp.setMode(socket._handle, 2, this.method === 'HEAD');
      socket._reading = true;
      tcp.readStart(socket._handle);
    };
    if (socket.connecting) socket.once('connect', start);
    else start();
    this.emit('socket', socket);
    this._flush();
  }

  setTimeout(msecs, callback) {
    if (callback) this.once('timeout', callback);
    this.timeout = msecs;
    if (this.socket) this.socket.setTimeout(msecs);
    else this.once('socket', (s) => s.setTimeout(msecs));
    return this;
  }

  setNoDelay(v) { if (this.socket) this.socket.setNoDelay(v); else this.once('socket', (s) => s.setNoDelay(v)); }
  setSocketKeepAlive(e, d) { if (this.socket) this.socket.setKeepAlive(e, d); else this.once('socket', (s) => s.setKeepAlive(e, d)); }
  clearTimeout(cb) { this.setTimeout(0, cb); }
}

const kError = Symbol('kError');

function abortError(signal) {
  const { AbortError } = require('internal/errors');
  return new AbortError(undefined, { cause: signal.reason });
}

class ClientParser {
  constructor(req, socket) {
    this.req = req;
    this.socket = socket;
    this.res = null;
    // The response's events run in the request's AsyncLocalStorage frame
    // (net.js), also on a reused keep-alive socket.
    const frame = getFrame();
    if (frame !== null) this._frame = frame;
  }

  onHead(status, statusMessage, major, minor, raw, flags, head) {
    const req = this.req;
    const socket = this.socket;
    const res = new IncomingMessage(socket);
    res.statusCode = status;
    res.statusMessage = statusMessage;
    res.httpVersionMajor = major;
    res.httpVersionMinor = minor;
    res.httpVersion = major + '.' + minor;
    res.rawHeaders = raw;
    res.joinDuplicateHeaders = req.joinDuplicateHeaders;
    res.req = req;
    if (flags & HF_INFO) {
      if (status === 100) req.emit('continue');
      req.emit('information', {
        statusCode: status, statusMessage, httpVersion: res.httpVersion,
        httpVersionMajor: major, httpVersionMinor: minor, headers: res.headers, rawHeaders: raw,
      });
      return;
    }
    if (flags & HF_UPGRADE) {
      socket._httpParser = null;
      socket.removeListener('error', socketErrorListener);
      socket.removeListener('close', socketCloseListener);
      socket.removeListener('timeout', socketTimeoutListener);
      socket.removeListener('end', socketEndListener);
      req.upgradeOrConnect = true;
      const ev = req.method === 'CONNECT' ? 'connect' : 'upgrade';
      res.upgrade = true;
      if (req.listenerCount(ev) > 0) {
        socket._httpMessage = null;
        if (req.agent) socket.emit('agentRemove');
        req.res = res;
        req.emit(ev, res, socket, Buffer.from(head.buffer, head.byteOffset, head.byteLength));
        req._closeEmitted = true;
        req.emit('close');
      } else {
        socket.destroy();
      }
      return;
    }
    this.res = res;
    req.res = res;
    if (!(flags & HF_KEEP_ALIVE)) req.shouldKeepAlive = false;
    if (req.aborted) return;
    res.on('end', () => this._responseEnd());
    const handled = req.emit('response', res);
    if (!handled) res._dump();
    if (flags & HF_NO_BODY) {
      res.complete = true;
      res.push(null);
      if (!handled) res.read(0);
    }
  }

  onBody(chunk) {
    if (this.res) this.res._pushBody(chunk);
  }

  onBodyEnd(trailers) {
    const res = this.res;
    if (!res) return;
    res.rawTrailers = trailers;
    res.complete = true;
    res.push(null);
  }

  onEOF() {
    this.socket.push(null);
    this.socket.read(0);
  }

  onParseError(message, code) {
    const err = new Error('Parse Error: ' + message);
    err.code = code;
    this.socket._httpParser = null;
    this.req._errorEmitted = true;
    this.req.emit('error', err);
    this.socket.destroy();
  }

  _responseEnd() {
    const req = this.req;
    const socket = this.socket;
    const finishReq = () => {
      if (socket._httpParser !== this) return;
      if (req.shouldKeepAlive && req.agent && !socket.destroyed) {
        socket._httpParser = null;
        socket.removeListener('error', socketErrorListener);
        socket.removeListener('close', socketCloseListener);
        socket.removeListener('timeout', socketTimeoutListener);
        socket.removeListener('end', socketEndListener);
        socket.setTimeout(0);
        if (socket._reading && socket._handle !== null) {
          // Leave the socket reading raw: a server that closes an idle
          // connection must be noticed.
        }
        req.agent.emit('free', socket, req._agentOptions);
        if (!req._closeEmitted) {
          req._closeEmitted = true;
          process.nextTick(() => { req.emit('close'); });
        }
        this.res.emit('close');
      } else {
        socket.destroySoon();
      }
    };
    if (req.finished && req._writableFinished) finishReq();
    else req.once('finish', finishReq);
  }
}

function socketErrorListener(err) {
  const req = this._httpMessage;
  if (req && !req._errorEmitted && !req.res) {
    req._errorEmitted = true;
    req.emit('error', err);
  }
  this.destroy();
}

function socketCloseListener() {
  const req = this._httpMessage;
  if (!req) return;
  const res = req.res;
  if (res) {
    if (!res.complete) {
      res.aborted = true;
      res.emit('aborted');
      res.destroy(connResetException('aborted'));
    }
    if (!req._closeEmitted) {
      req._closeEmitted = true;
      req.emit('close');
    }
    if (!res.destroyed) process.nextTick(() => res.destroy());
    res.emit('close');
  } else {
    if (!req._errorEmitted) {
      req._errorEmitted = true;
      req.emit('error', req[kError] || connResetException('socket hang up'));
    }
    if (!req._closeEmitted) {
      req._closeEmitted = true;
      req.emit('close');
    }
  }
}

function socketTimeoutListener() {
  const req = this._httpMessage;
  if (req) req.emit('timeout');
}

function socketEndListener() {
  const req = this._httpMessage;
  if (req && !req.res) this.destroy();
}

module.exports = { ClientRequest };
