'use strict';
// The HTTP server: net.Server whose sockets run the Go-side request parser
// (tcp.setMode(id, 1)). Responses to pipelined requests are queued per
// socket and written in order; keep-alive, upgrade/CONNECT, 100-continue,
// parse errors (400/431) and the server timeouts follow Node.
// Comparisons with undefined are written `=== void 0`: the engine reads the
// identifier `undefined` as a global variable and compares through its
// slow path (~250 instructions), where `void 0` compiles to an is-undefined
// test (~45), and these modules run on every request.

const net = require('net');
const { IncomingMessage } = require('_http_incoming');
const { OutgoingMessage, kOutHeaders, emitDrain } = require('_http_outgoing');
const {
  codes: { ERR_HTTP_HEADERS_SENT, ERR_HTTP_INVALID_STATUS_CODE, ERR_INVALID_CHAR, ERR_HTTP_REQUEST_TIMEOUT },
} = require('internal/errors');
const { continueExpression, loopNow, dateLine } = require('_http_common');
const { byteLengthUtf8 } = internalBinding('buffer');
const { getFrame } = require('internal/async_context');
// nextTick(fn, arg) for lib code (process.js), bound to the current
// AsyncLocalStorage frame when there is one.
const tick1 = process._tick1 || ((fn, arg) => process.nextTick(fn, arg));

const tcp = internalBinding('tcp');
const HF_KEEP_ALIVE = 1, HF_UPGRADE = 2, HF_NO_BODY = 4, HF_EXPECT = 16, HF_V11 = 32;
const EventEmitter = require('events');
const eeEmit = EventEmitter.prototype.emit;

const STATUS_CODES = {"100":"Continue","101":"Switching Protocols","102":"Processing","103":"Early Hints","200":"OK","201":"Created","202":"Accepted","203":"Non-Authoritative Information","204":"No Content","205":"Reset Content","206":"Partial Content","207":"Multi-Status","208":"Already Reported","226":"IM Used","300":"Multiple Choices","301":"Moved Permanently","302":"Found","303":"See Other","304":"Not Modified","305":"Use Proxy","307":"Temporary Redirect","308":"Permanent Redirect","400":"Bad Request","401":"Unauthorized","402":"Payment Required","403":"Forbidden","404":"Not Found","405":"Method Not Allowed","406":"Not Acceptable","407":"Proxy Authentication Required","408":"Request Timeout","409":"Conflict","410":"Gone","411":"Length Required","412":"Precondition Failed","413":"Payload Too Large","414":"URI Too Long","415":"Unsupported Media Type","416":"Range Not Satisfiable","417":"Expectation Failed","418":"I'm a Teapot","421":"Misdirected Request","422":"Unprocessable Entity","423":"Locked","424":"Failed Dependency","425":"Too Early","426":"Upgrade Required","428":"Precondition Required","429":"Too Many Requests","431":"Request Header Fields Too Large","451":"Unavailable For Legal Reasons","500":"Internal Server Error","501":"Not Implemented","502":"Bad Gateway","503":"Service Unavailable","504":"Gateway Timeout","505":"HTTP Version Not Supported","506":"Variant Also Negotiates","507":"Insufficient Storage","508":"Loop Detected","509":"Bandwidth Limit Exceeded","510":"Not Extended","511":"Network Authentication Required"};

// ServerResponse is a constructor function like Node's (old-style
// subclasses call `ServerResponse.call(this, req)`); see OutgoingMessage
// for why it does not run EventEmitter's initialisation.
function ServerResponse(req, options) {
  this.outputData = [];
  // The other fields' defaults are on the prototype (below).
  this.req = req;
  if (req.method === 'HEAD') this._hasBody = false;
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor !== 1) this.useChunkedEncodingByDefault = false;
}
Object.setPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
Object.setPrototypeOf(ServerResponse, OutgoingMessage);

// The status lines of codes answered with their standard reason.
const statusLines = { __proto__: null };

class ServerResponseMethods {
  assignSocket(socket) {
    socket._httpMessage = this;
    this.socket = socket;
    this.emit('socket', socket);
    this._flush();
  }

  detachSocket(socket) {
    socket._httpMessage = null;
    this.socket = null;
  }

  writeContinue(cb) {
    this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'latin1', cb);
    this._sent100 = true;
  }

  writeProcessing(cb) {
    this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'latin1', cb);
  }

  writeEarlyHints(hints, cb) {
    let head = 'HTTP/1.1 103 Early Hints\r\n';
    for (const k of Object.keys(hints)) {
      const v = hints[k];
      if (Array.isArray(v)) for (const x of v) head += k + ': ' + x + '\r\n';
      else head += k + ': ' + v + '\r\n';
    }
    this._writeRaw(head + '\r\n', 'latin1', cb);
  }

  _implicitHeader() {
    this.writeHead(this.statusCode);
  }

  // end(string) or end(buffer) while nothing is sent yet, the common way
  // a handler (or Express's res.send) answers, sends head and body in one
  // write without the generic framing layers (_writeBody, _send,
  // _writeRaw) and without joining them into one Buffer first; anything
  // else, or a socket that cannot take a direct write now, takes the
  // generic path (which then finds whatever head was made here in
  // _header). It is one function, not a test and a helper, because a
  // JavaScript call costs as much as a dozen operations here.
  // (`typeof x === 'string'` costs about 110 ns under the interpreter,
  // where 'function' and 'undefined' have opcodes of their own: it is
  // asked once.)
  end(chunk, encoding, callback) {
    var socket, head;
    if (this._header === null && callback === void 0 && !this.finished &&
        (socket = this.socket) !== null && socket._httpMessage === this && this.outputData.length === 0 &&
        socket._writeHTTP !== void 0) {
      // The native endHead makes the checks below (the body's type and
      // encoding, stock writeHead and _implicitHeader), reads the stored
      // headers and makes the head in one call: the interpreter's typeof
      // and symbol-keyed reads cost more than the whole crossing.
      if (nativeEndHead !== void 0 && (head = nativeEndHead(this, chunk, encoding)) !== void 0) {
        this._header = head;
        if (socket._writeHTTP(head, this._hasBody ? chunk : void 0, finishResponse, this)) {
          this._headerSent = true;
          this.finished = true;
          if (!this._prefinished) {
            this._prefinished = true;
            var ev = this._events;
            if ((ev !== void 0 && ev.prefinish !== void 0) || this.emit !== eeEmit) this.emit('prefinish');
          }
          return this;
        }
        return OutgoingMessage.prototype.end.call(this, chunk, encoding, callback);
      }
      var str = typeof chunk === 'string';
      if (str ? encoding === void 0 || encoding === 'utf8' || encoding === 'utf-8' :
        chunk instanceof Uint8Array && typeof encoding !== 'function') {
        var len;
        var stock = this.writeHead === srWriteHead && this._implicitHeader === srImplicitHeader;
        var stored = this[kOutHeaders];
        if (stock && nativePlainHead !== void 0) {
          // The whole head in one native call (with stored headers too:
          // Express's responses), which measures the body (its byte length
          // in plainHeadOut[0]) and sets _contentLength; or undefined
          // with nothing changed.
          head = stored === null ? nativePlainHead(this, chunk) : nativePlainHead(this, chunk, objectValues(stored));
        }
        if (head !== void 0) {
          len = plainHeadOut[0];
          this._header = head;
        } else {
          len = str ? byteLengthUtf8(chunk) : chunk.byteLength;
          this._contentLength = len;
          if (stock && stored === null) head = plainHead(this, len);
          if (head !== void 0) {
            this._header = head;
          } else {
            var code = this.statusCode;
            if (stock && (code === 200 || typeof code === 'number' && (code | 0) === code && code > 200 && code <= 999 && code !== 204 && code !== 304) &&
                !this.statusMessage && !this._expect_continue) {
              // writeHead(statusCode) of _implicitHeader for headers the
              // handler set, without its generic checks: a standard
              // reason, a status that keeps the body, no Expect.
              var status = statusLines[code];
              if (status === void 0) {
                status = statusLines[code] = 'HTTP/1.1 ' + code + ' ' + (STATUS_CODES[code] || 'unknown') + '\r\n';
              }
              this.statusMessage = STATUS_CODES[code] || 'unknown';
              this._storeHeader(status, stored);
            } else {
              this._implicitHeader();
            }
            // A Transfer-Encoding the handler set needs the generic framing.
            head = this.chunkedEncoding ? undefined : this._header;
          }
        }
        if (head !== void 0 &&
            socket._writeHTTP(head, this._hasBody && len > 0 ? chunk : void 0, finishResponse, this)) {
          this._headerSent = true;
          this.finished = true;
          // _finish(), inlined: 'prefinish' now that everything is written.
          if (!this._prefinished) {
            this._prefinished = true;
            var ev = this._events;
            if ((ev !== void 0 && ev.prefinish !== void 0) || this.emit !== eeEmit) this.emit('prefinish');
          }
          return this;
        }
      }
    }
    return OutgoingMessage.prototype.end.call(this, chunk, encoding, callback);
  }

  // write's first Buffer chunk of a response whose stored headers carry a
  // Content-Length (a piped file's, as send and serve-static set it): the
  // head from the same native call as end's one-write path (what
  // _implicitHeader and _storeHeader make of those headers, which with a
  // Content-Length does not depend on the chunk) and head and chunk in one
  // write, without the generic path's five calls. Anything else, or a
  // head the native call declines, takes OutgoingMessage#write.
  write(chunk, encoding, callback) {
    var socket, stored, head;
    var omWrite = OutgoingMessage.prototype.write;
    // A replaced OutgoingMessage#write (a tracer's) sees every write.
    if (omWrite === omWriteOwn && this._header === null && encoding === void 0 && callback === void 0 && this.finished === false &&
        nativePlainHead !== void 0 && chunk instanceof Uint8Array && chunk.byteLength > 0 && this._hasBody === true &&
        (stored = this[kOutHeaders]) !== null && stored['content-length'] !== void 0 &&
        this.writeHead === srWriteHead && this._implicitHeader === srImplicitHeader &&
        (socket = this.socket) !== null && socket._httpMessage === this && this.outputData.length === 0 &&
        socket._writeHTTP !== void 0 && socket.writable && !socket.destroyed &&
        (head = nativePlainHead(this, 0, objectValues(stored))) !== void 0) {
      this._header = head;
      this._headerSent = false;
      if (socket._writeHTTP(head, chunk, noop, void 0)) {
        this._headerSent = true;
        // node's corked socket holds head and chunk until the next tick.
        if (head.length + chunk.byteLength < socket.writableHighWaterMark) return true;
        this._needDrain = true;
        socket._afterLastWrite(emitDrain, this);
        return false;
      }
    }
    return omWrite.call(this, chunk, encoding, callback);
  }

  // _emitFinish runs the server's bookkeeping before the 'finish'
  // listeners, where node has it as the first 'finish' listener.
  _emitFinish() {
    finishResponse(this, true);
  }

  writeHead(statusCode, reason, obj) {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('write');
    var originalStatusCode = statusCode;
    statusCode |= 0;
    if (statusCode < 100 || statusCode > 999) throw new ERR_HTTP_INVALID_STATUS_CODE(originalStatusCode);
    // A reason from STATUS_CODES needs no check for CR/LF below.
    var trustedReason = false;
    if (typeof reason === 'string') {
      this.statusMessage = reason;
    } else {
      if (!this.statusMessage) {
        this.statusMessage = STATUS_CODES[statusCode] || 'unknown';
        trustedReason = true;
      }
      obj = reason;
    }
    this.statusCode = statusCode;
    var headers;
    if (this[kOutHeaders]) {
      if (obj) {
        if (Array.isArray(obj)) {
          // raw pairs replace nothing: they are sent after the stored ones
          for (var i = 0; i < obj.length; i += 2) this.appendHeader(obj[i], obj[i + 1]);
        } else {
          for (var k of Object.keys(obj)) if (k) this.setHeader(k, obj[k]);
        }
      }
      headers = this[kOutHeaders];
    } else {
      headers = obj;
    }
    if (!trustedReason && /[\r\n]/.test(this.statusMessage)) throw new ERR_INVALID_CHAR('statusMessage');
    if (statusCode < 200 ? statusCode >= 100 : statusCode === 204 || statusCode === 304) this._hasBody = false;
    if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
    var firstLine;
    if (trustedReason) {
      firstLine = statusLines[statusCode];
      if (firstLine === void 0) statusLines[statusCode] = firstLine = 'HTTP/1.1 ' + statusCode + ' ' + this.statusMessage + '\r\n';
    } else {
      firstLine = 'HTTP/1.1 ' + statusCode + ' ' + this.statusMessage + '\r\n';
    }
    this._storeHeader(firstLine, headers);
    return this;
  }

  get writeHeader() { return this.writeHead; }
}
for (const k of Object.getOwnPropertyNames(ServerResponseMethods.prototype)) {
  if (k !== 'constructor') {
    Object.defineProperty(ServerResponse.prototype, k, Object.getOwnPropertyDescriptor(ServerResponseMethods.prototype, k));
  }
}
const srWriteHead = ServerResponse.prototype.writeHead;
const omWriteOwn = OutgoingMessage.prototype.write;
const srEmitFinish = ServerResponse.prototype._emitFinish;
const srImplicitHeader = ServerResponse.prototype._implicitHeader;

// plainHead is what _implicitHeader (writeHead(statusCode), then
// _storeHeader with no headers) makes of a response that has no headers
// set, a status of 200-999 other than 204/304 without a custom reason, no
// Expect and no removed default header, with a body of len bytes: the
// state most res.end(string) calls see. It sets what those would set and
// returns the head, or returns undefined having changed nothing. The last
// head is reused while its parts (status line, Date line, connection
// lines, length) are the same, so a server answering alike builds no
// string per response. Writing the head in one expression, under an
// interpreter, also skips the generic path's checks of each header.
let lastHead = '', lastStatus = '', lastDate = '', lastConn = '', lastLen = -2;
let lastDateLine = '', dateFrom = 0, dateUntil = -1;
function plainHead(res, len) {
  const code = res.statusCode;
  // 200, the usual code, is told by an integer compare (no typeof).
  if (code !== 200 && (typeof code !== 'number' || (code | 0) !== code) || code < 200 || code > 999 || code === 204 || code === 304 ||
      res.statusMessage || res._expect_continue || res._removedConnection || res._removedContLen) {
    return undefined;
  }
  let status = statusLines[code];
  if (status === void 0) {
    status = statusLines[code] = 'HTTP/1.1 ' + code + ' ' + (STATUS_CODES[code] || 'unknown') + '\r\n';
  }
  res.statusMessage = STATUS_CODES[code] || 'unknown';
  const useChunked = res.useChunkedEncodingByDefault;
  let conn;
  if (res.shouldKeepAlive && (useChunked || res.agent)) {
    if (res.maxRequestsOnConnectionReached) {
      conn = 'Connection: close\r\n';
    } else {
      const ka = res._keepAliveTimeout;
      conn = !ka || !res._defaultKeepAlive ? 'Connection: keep-alive\r\n' :
        ~~res._maxRequestsPerSocket > 0 ? 'Connection: keep-alive\r\nKeep-Alive: timeout=' + Math.floor(ka / 1000) +
          ', max=' + res._maxRequestsPerSocket + '\r\n' :
        ka === 5000 ? 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n' :
          'Connection: keep-alive\r\nKeep-Alive: timeout=' + Math.floor(ka / 1000) + '\r\n';
    }
  } else {
    res._last = true;
    conn = 'Connection: close\r\n';
  }
  // dateLine(), inlined while the second it was made for lasts (one call
  // less per response).
  let date = '';
  if (res.sendDate) {
    const now = loopClock[0];
    if (now < dateUntil && now >= dateFrom) {
      date = lastDateLine;
    } else {
      date = lastDateLine = dateLine();
      dateFrom = now - (now % 1000);
      dateUntil = dateFrom + 1000;
    }
  }
  // -1: no Content-Length (no body, or HTTP/1.0 framing by close).
  let cl = len;
  if (!res._hasBody) {
    if (res.chunkedEncoding) res.chunkedEncoding = false;
    cl = -1;
  } else if (!useChunked) {
    res._last = true;
    cl = -1;
  }
  if (cl === lastLen && status === lastStatus && date === lastDate && conn === lastConn) return lastHead;
  const head = status + date + conn + (cl < 0 ? '\r\n' : 'Content-Length: ' + cl + '\r\n\r\n');
  lastHead = head;
  lastStatus = status;
  lastDate = date;
  lastConn = conn;
  lastLen = cl;
  return head;
}

// plainHead's native twin (runtime/bind_httpjs_plainhead.go; absent under
// the libtest shim): the same head and field changes in one call, or
// undefined (nothing changed) for anything unusual.
const bufferBinding = internalBinding('buffer');
// Given the body (a string or a Uint8Array) instead of its length, it
// writes the length into plainHeadOut[0] and sets _contentLength.
const plainHeadOut = new Float64Array(1);
const objectValues = Object.values;
const nativePlainHead = bufferBinding.httpPlainHead !== void 0 ?
  bufferBinding.httpPlainHead(STATUS_CODES, plainHeadOut, kOutHeaders, srWriteHead, srImplicitHeader, objectValues) : undefined;
// endHead(res, chunk, encoding): end's checks and head in one call
// (bind_httpjs_plainhead.go).
const nativeEndHead = nativePlainHead !== void 0 ? nativePlainHead.endHead : undefined;

for (const [k, v] of Object.entries({
  statusCode: 200,
  statusMessage: undefined,
  _conn: null,
  sendDate: true,
  _sent100: false,
  _expect_continue: false,
})) {
  Object.defineProperty(ServerResponse.prototype, k, { value: v, writable: true, enumerable: true, configurable: true });
}

// Requests and responses of a server with the stock classes are made from
// templates by tcp.cloneShaped (bind_http.go): one engine allocation with
// every field an own property, instead of a constructor and a dozen
// property additions each (an addition costs several times a write under
// the interpreter). A template's first fields are the ones onHead passes,
// in that order; the rest are the defaults the prototypes hold, copied so
// that later writes change a property instead of adding one.
const cloneShaped = tcp.cloneShaped;
const clonePair = tcp.clonePair;
function makeTemplate(first, protos) {
  const t = Object.create(protos[0]);
  for (const k of first) t[k] = null;
  for (const proto of protos) {
    for (const k of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, k);
      if (!Object.prototype.hasOwnProperty.call(t, k) && 'value' in d && typeof d.value !== 'function') t[k] = d.value;
    }
  }
  return t;
}
const requestTemplate = makeTemplate(['socket', 'rawHeaders', 'method', 'url', 'httpVersionMajor', 'httpVersionMinor',
  'httpVersion', 'complete', '_lazyEnded'], [IncomingMessage.prototype]);
const responseTemplate = makeTemplate(['outputData', 'req', '_keepAliveTimeout', '_conn', 'socket'],
  [ServerResponse.prototype, OutgoingMessage.prototype]);
// EventEmitter's fields too (undefined until the first listener, as on
// EventEmitter.prototype): the response's hot path asks `_events !==
// undefined` four times, each a walk of four prototypes otherwise.
responseTemplate._events = undefined;
responseTemplate._eventsCount = 0;

// The loop's clock (see _http_common.loopNow), read here without a call.
const loopClock = new Float64Array(internalBinding('ticks').buffer, 8, 1);

// connection state of one server socket
class ServerConn {
  constructor(server, socket) {
    this.server = server;
    this.socket = socket;
    this.incoming = null; // request whose body is being received
    this.outgoing = []; // responses not yet finished, in request order
    this.eof = false;
    this.requests = 0;
    // HTTP/1.1 requests counted against server.maxRequestsPerSocket (node's
    // state.requestsCount: only while a limit is set).
    this.limitCount = 0;
    this.idle = true;
    // waitingSince: when the connection began waiting for its next request
    // (accepted, or its last response finished); the request timeouts count
    // from here. The Go parser hands over whole heads, so the arrival of a
    // request's first byte is not seen.
    this.waitingSince = loopNow();
    this.reqStart = 0; // waitingSince of the request whose body is arriving
    // timedOut: the request timeouts fired for the request in progress; as
    // node drops an expired connection from its checked list until its
    // next request begins, it is not checked (nor reported) again.
    this.timedOut = false;
    // errored: the first error went through socketOnError, which swaps its
    // 'error' listener for a no-op (node's "ignore further errors").
    this.errored = false;
    // The AsyncLocalStorage frame of the connection listener (the
    // server's): requests run in it, as node's parser does (net.js).
    const frame = getFrame();
    if (frame !== null) this._frame = frame;
  }

  // onHead runs for every request: the code below counts each call and
  // property access (QuickJS interprets it). Its locals, and those of end
  // and finishResponse, are var: a let or const costs an operation more
  // when the function is entered and a checked read each time.
  onHead(method, url, major, minor, raw, flags, head) {
    var server = this.server;
    var socket = this.socket;
    var outgoing = this.outgoing;
    var first = outgoing.length === 0;
    // The parser flags HTTP/1.1.
    var v11 = (flags & HF_V11) !== 0;
    var version = v11 ? '1.1' : major + '.' + minor;
    var req, res;
    // initServer notes whether the server has the stock classes.
    if (server._stockMessages) {
      if ((flags & HF_UPGRADE) === 0 && clonePair !== void 0) {
        // The request and its response in one native call. The first
        // response of the connection gets the socket at once (assignSocket
        // for a response nothing has written to yet).
        res = clonePair(requestTemplate, responseTemplate, 9, socket, raw, method, url, major, minor, version, false, false,
          server.keepAliveTimeout, this, first ? socket : null);
        if (res !== void 0) {
          req = res.req;
          if (method === 'HEAD') res._hasBody = false;
          if (!v11) res.useChunkedEncodingByDefault = false;
        }
      } else {
        req = cloneShaped(requestTemplate, socket, raw, method, url, major, minor, version, false, false);
      }
    }
    if (req === void 0) {
      req = new server._IncomingMessage(socket, raw);
      req.method = method;
      req.url = url;
      req.httpVersionMajor = major;
      req.httpVersionMinor = minor;
      req.httpVersion = version;
      if (req.rawHeaders !== raw) req.rawHeaders = raw;
    }
    if (server.joinDuplicateHeaders) req.joinDuplicateHeaders = true;
    this.requests++;
    this.idle = false;
    this.timedOut = false;
    if (server.timeout === 0 && socket._timeoutMs) socket.setTimeout(0);
    if (flags & HF_UPGRADE) {
      var event = method === 'CONNECT' ? 'connect' : 'upgrade';
      req.upgrade = true;
      req.complete = true;
      req.push(null);
      if (server.listenerCount(event) > 0) {
        socket._httpParser = null;
        socket._httpConn = null;
        socket.removeListener('error', socketOnError);
        socket.removeListener('close', socketOnClose);
        socket.setTimeout(0);
        server.emit(event, req, socket, Buffer.from(head.buffer, head.byteOffset, head.byteLength));
      } else {
        socket.destroy();
      }
      return;
    }
    if (res === void 0) {
      res = new server._ServerResponse(req);
      res._keepAliveTimeout = server.keepAliveTimeout;
      res._conn = this;
      if (first && res.socket !== socket) res.socket = socket;
    }
    // shouldKeepAlive defaults to true (OutgoingMessage), as in node.
    if ((flags & HF_KEEP_ALIVE) === 0) res.shouldKeepAlive = false;
    // server.maxRequestsPerSocket as node reads it per request: copied to
    // the response (Keep-Alive's max=), but an HTTP/1.1 request is counted
    // against it only while it is a positive number, so a limit set or
    // lowered on an open connection counts from the next request on.
    var maxRequests = server.maxRequestsPerSocket;
    var drop = false;
    if (maxRequests !== 0) {
      res._maxRequestsPerSocket = maxRequests;
      if (v11 && typeof maxRequests === 'number' && maxRequests > 0) {
        var counted = ++this.limitCount;
        res.maxRequestsOnConnectionReached = maxRequests <= counted;
        drop = maxRequests < counted;
      }
    }
    // A request without a body completes (its end pushed, lazily while
    // nobody made it a stream: see _http_incoming.js) once the handler
    // has seen it, as node's parser completes the message after emitting
    // 'request': a handler reads req.complete false.
    if ((flags & HF_NO_BODY) === 0) {
      this.incoming = req;
      this.reqStart = this.waitingSince;
    }
    if (first) {
      // assignSocket for a response nothing has written to yet (res.socket
      // is set). An index store costs a fraction of push() under the
      // interpreter.
      outgoing[0] = res;
      socket._httpMessage = res;
      if (res._events !== void 0 || res.emit !== eeEmit) res.emit('socket', socket);
    } else {
      outgoing.push(res);
    }
    if (drop) {
      // Past the limit: node answers 503 without the 'request' event (the
      // connection stays open: the header says close), before it looks at
      // an Expect header.
      server.emit('dropRequest', req, socket);
      res.writeHead(503);
      res.end();
      if (flags & HF_NO_BODY) completeBodiless(req);
      return;
    }
    // The parser flags a request carrying Expect; only then is the raw
    // list searched.
    var expect;
    if (flags & HF_EXPECT) {
      for (var i = 0; i < raw.length; i += 2) {
        if (raw[i].length === 6 && raw[i].toLowerCase() === 'expect') { expect = raw[i + 1]; break; }
      }
    }
    if (expect !== void 0 && v11) {
      if (continueExpression.test(expect)) {
        res._expect_continue = true;
        if (server.listenerCount('checkContinue') > 0) {
          server.emit('checkContinue', req, res);
          if (flags & HF_NO_BODY) completeBodiless(req);
          return;
        }
        res.writeContinue();
      } else if (server.listenerCount('checkExpectation') > 0) {
        server.emit('checkExpectation', req, res);
        if (flags & HF_NO_BODY) completeBodiless(req);
        return;
      } else {
        res.writeHead(417);
        res.end();
        if (flags & HF_NO_BODY) completeBodiless(req);
        return;
      }
    }
    // emit('request') without EventEmitter's rest array and apply when a
    // single listener is registered on a stock emitter that does not
    // capture rejections (the listener's result is then ignored anyway).
    var events = server._events;
    if (events !== void 0 && server.emit === eeEmit && !server._captureRejections) {
      var listener = events.request;
      if (typeof listener === 'function') {
        listener.call(server, req, res);
        if ((flags & HF_NO_BODY) !== 0 && !req.complete) {
          req.complete = true;
          if (req._stateMade) req.push(null);
          else req._lazyEnded = true;
        }
        return;
      }
    }
    server.emit('request', req, res);
    if (flags & HF_NO_BODY) completeBodiless(req);
  }

  onBody(chunk) {
    if (this.incoming) this.incoming._pushBody(chunk);
  }

  onBodyEnd(trailers) {
    const req = this.incoming;
    this.incoming = null;
    if (!req) return;
    req.rawTrailers = trailers;
    req.complete = true;
    if (!req._dumped) req.push(null);
  }

  onEOF() {
    this.eof = true;
    if (this.incoming) {
      const req = this.incoming;
      this.incoming = null;
      req.aborted = true;
      req.emit('aborted');
      req.destroy();
    }
    if (this.outgoing.length === 0) this.socket.destroy();
  }

  onParseError(message, code) {
    const socket = this.socket;
    // A connection ended inside a head is node's parser.finish() error:
    // the message has no reason appended; every parse error has .reason.
    const err = new Error(code === 'HPE_INVALID_EOF_STATE' ? 'Parse Error' : 'Parse Error: ' + message);
    err.code = code;
    err.reason = message;
    err.bytesParsed = 0;
    err.rawPacket = undefined;
    socket._httpParser = null;
    ignoreFurtherErrors(this);
    if (this.server.listenerCount('clientError') > 0) {
      this.server.emit('clientError', err, socket);
      return;
    }
    if (socket.writable && this.outgoing.length === 0) {
      const status = code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end('HTTP/1.1 ' + status + '\r\nConnection: close\r\n\r\n');
      socket.destroySoon();
    } else {
      socket.destroy(err);
    }
  }

  onSocketError(err) {
    socketOnError.call(this.socket, err);
  }
}

// completeBodiless completes a request without a body after its handler
// ran (node's parser completes the message after emitting 'request').
function completeBodiless(req) {
  if (!req.complete) {
    req.complete = true;
    if (req._stateMade) req.push(null);
    else req._lazyEnded = true;
  }
}

// finishResponse is the completion of a response's last write: its
// _emitFinish, run here for the stock ServerResponse (a call less per
// request), with the server's bookkeeping written in: the request's
// unread body is drained, the next pipelined response gets the socket, or
// the connection waits for its next request, or closes. Then 'finish'.
function finishResponse(res, fromMethod) {
  if (!fromMethod && res._emitFinish !== srEmitFinish) {
    res._emitFinish();
    return;
  }
  if (res._writableFinished) return;
  res._writableFinished = true;
  // 'finish' goes to the listeners there are now: node's bookkeeping is
  // itself the first 'finish' listener, and emit calls the listeners it
  // found when it started.
  var quiet = res._events === void 0 && res.emit === eeEmit;
  var conn = res._conn;
  if (conn !== null) {
    var req = res.req;
    var socket = conn.socket;
    // An unread body is drained so the connection can carry on; a complete
    // request nobody listens to needs no draining.
    if (!req._stateMade) {
      // Nothing touched the request as a stream; only an unfinished body
      // needs draining.
      if (!req.complete) req._dump();
    } else if (!req._consuming && !req.readableEnded &&
        (!req.complete || req.listenerCount('end') > 0 || req.listenerCount('data') > 0)) {
      req._dump();
    }
    socket._httpMessage = null;
    res.socket = null;
    var outgoing = conn.outgoing;
    if (outgoing[0] === res) {
      if (outgoing.length === 1) outgoing.length = 0;
      else outgoing.shift();
    } else {
      var i = outgoing.indexOf(res);
      if (i >= 0) outgoing.splice(i, 1);
    }
    // 'close' follows on the next tick; with nobody to see it (no
    // listener, no emit override, a request nobody streamed) there is
    // nothing to defer. The tick reads the request from res.req.
    if (!quiet || res._events !== void 0 || req._stateMade) {
      tick1(emitCloseNT, res);
    } else {
      req._lazyDestroyed = true;
    }
    if (res._last || !res.shouldKeepAlive) {
      if (socket.writable) socket.destroySoon();
      else socket.destroy();
    } else if (outgoing.length > 0) {
      outgoing[0].assignSocket(socket);
    } else if (conn.eof) {
      socket.destroy();
    } else {
      conn.idle = true;
      conn.idleSince = conn.waitingSince = loopClock[0];
      if (conn.server._sweeper === null) conn.server._sweepIdle();
    }
  }
  if (!quiet) res.emit('finish');
}

function emitCloseNT(res) {
  // Only a listener of 'close' (or an overridden emit) sees it: emitting
  // to nobody costs a call and a rest array under the interpreter.
  var ev = res._events;
  if ((ev !== void 0 && ev.close !== void 0) || res.emit !== eeEmit) res.emit('close');
  res.req._destroyQuiet();
}

const requestTimeoutResponse = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

// checkTimeouts enforces headersTimeout and requestTimeout, as node does
// every connectionsCheckingInterval: a connection still waiting for a
// request head after headersTimeout, or for the rest of a request body
// after requestTimeout, gets 'clientError' (ERR_HTTP_REQUEST_TIMEOUT) or,
// without a listener, a 408 and is closed. An idle keep-alive connection is
// left to keepAliveTimeout when that is set.
function checkTimeouts(server) {
  const now = Date.now();
  const ht = server.headersTimeout, rt = server.requestTimeout;
  for (const conn of server._conns) {
    let expired = false;
    if (conn.incoming !== null) {
      expired = rt > 0 && now - conn.reqStart >= rt;
    } else if (conn.outgoing.length === 0 && !(conn.requests > 0 && server.keepAliveTimeout > 0)) {
      const limit = rt > 0 && (ht <= 0 || rt < ht) ? rt : ht;
      expired = limit > 0 && now - conn.waitingSince >= limit;
    }
    if (expired && !conn.timedOut) onRequestTimeout(conn);
  }
}

function onRequestTimeout(conn) {
  const socket = conn.socket;
  const err = new ERR_HTTP_REQUEST_TIMEOUT();
  conn.timedOut = true;
  ignoreFurtherErrors(conn);
  if (conn.server.listenerCount('clientError') > 0) {
    conn.server.emit('clientError', err, socket);
    return;
  }
  if (socket.writable && socket.bytesWritten === 0) socket.write(requestTimeoutResponse);
  socket.destroy(err);
}

function noop() {}

// ignoreFurtherErrors is the start of node's socketOnError: after a
// connection's first error (a parse error, a timeout, a socket error) its
// later 'error' events (a 'clientError' listener's write after end, say)
// go to a no-op listener; errors the server itself detects later (the
// connection ending inside a head) are still reported.
function ignoreFurtherErrors(conn) {
  if (conn.errored) return;
  conn.errored = true;
  conn.socket.removeListener('error', socketOnError);
  conn.socket.on('error', noop);
}

function socketOnError(err) {
  const conn = this._httpConn;
  if (conn) ignoreFurtherErrors(conn);
  if (conn && conn.server.listenerCount('clientError') > 0) {
    conn.server.emit('clientError', err, this);
    return;
  }
  this.destroy();
}

function socketOnClose() {
  const conn = this._httpConn;
  if (!conn) return;
  const server = conn.server;
  server._conns.delete(conn);
  if (conn.incoming) {
    const req = conn.incoming;
    conn.incoming = null;
    req.aborted = true;
    req.emit('aborted');
    req.destroy();
  }
  for (const res of conn.outgoing) {
    res.destroyed = true;
    res._closed = true;
    process.nextTick(() => {
      res.emit('close');
      if (!res.req.destroyed) res.req.destroy();
    });
  }
  conn.outgoing = [];
}

function socketOnTimeout() {
  const conn = this._httpConn;
  const server = conn && conn.server;
  const res = conn && conn.outgoing[0];
  let handled = false;
  if (conn && conn.incoming && conn.incoming.listenerCount('timeout')) { conn.incoming.emit('timeout', this); handled = true; }
  if (res && res.listenerCount('timeout')) { res.emit('timeout', this); handled = true; }
  if (server && server.listenerCount('timeout')) { server.emit('timeout', this); handled = true; }
  if (!handled) this.destroy();
}

function connectionListener(socket) {
  const conn = new ServerConn(this, socket);
  socket._httpConn = conn;
  socket._httpParser = conn;
  socket._httpMessage = null;
  this._conns.add(conn);
  socket.on('error', socketOnError);
  socket.on('close', socketOnClose);
  socket.on('timeout', socketOnTimeout);
  if (this.timeout) socket.setTimeout(this.timeout);
  if (this._timeoutChecker === null && (this.headersTimeout > 0 || this.requestTimeout > 0) &&
      this.connectionsCheckingInterval > 0) {
    const server = this;
    this._timeoutChecker = setInterval(() => checkTimeouts(server), this.connectionsCheckingInterval);
    this._timeoutChecker.unref();
  }
  tcp.setMode(socket._handle, 1, false);
  socket._reading = true;
  tcp.readStart(socket._handle);
}

// initServer sets up the HTTP state of a net or tls server (https reuses it).
function initServer(server, options, requestListener) {
  if (requestListener) server.on('request', requestListener);
  server.httpAllowHalfOpen = false;
  server.timeout = 0;
  server.maxHeadersCount = null;
  // node 20 takes maxRequestsPerSocket only as a property, not as an
  // option of createServer.
  server.maxRequestsPerSocket = 0;
  server.headersTimeout = options.headersTimeout !== void 0 ? options.headersTimeout : 60000;
  server.keepAliveTimeout = options.keepAliveTimeout !== void 0 ? options.keepAliveTimeout : 5000;
  server.requestTimeout = options.requestTimeout !== void 0 ? options.requestTimeout : 300000;
  server.joinDuplicateHeaders = !!options.joinDuplicateHeaders;
  server.rejectNonStandardBodyWrites = !!options.rejectNonStandardBodyWrites;
  server.connectionsCheckingInterval = options.connectionsCheckingInterval !== void 0 ? options.connectionsCheckingInterval : 30000;
  server._timeoutChecker = null;
  server._sweeper = null;
  // The classes a subclassing app passes (createServer({ IncomingMessage, ServerResponse })).
  server._IncomingMessage = options.IncomingMessage || IncomingMessage;
  server._ServerResponse = options.ServerResponse || ServerResponse;
  server._stockMessages = server._IncomingMessage === IncomingMessage && server._ServerResponse === ServerResponse;
  server._conns = new Set();
  // An emitter's capture of rejections is fixed when it is made (events.js).
  server._captureRejections = !!EventEmitter.captureRejections;
}

class Server extends net.Server {
  constructor(options, requestListener) {
    if (typeof options === 'function') {
      requestListener = options;
      options = {};
    } else if (options == null) {
      options = {};
    }
    super({ allowHalfOpen: true, noDelay: options.noDelay !== false, keepAlive: options.keepAlive, keepAliveInitialDelay: options.keepAliveInitialDelay });
    initServer(this, options, requestListener);
    this.on('connection', connectionListener);
  }

  setTimeout(msecs, callback) {
    this.timeout = msecs;
    if (callback) this.on('timeout', callback);
    return this;
  }

  // _sweepIdle closes keep-alive connections idle for keepAliveTimeout: one
  // unref'd interval per server instead of a timer per response.
  _sweepIdle() {
    if (this._sweeper || !(this.keepAliveTimeout > 0)) return;
    this._sweeper = setInterval(() => {
      if (this._conns.size === 0 && !this.listening) {
        clearInterval(this._sweeper);
        this._sweeper = null;
        return;
      }
      const now = Date.now();
      for (const conn of this._conns) {
        if (conn.idle && conn.outgoing.length === 0 && conn.incoming === null &&
            now - conn.idleSince >= this.keepAliveTimeout) {
          conn.socket.destroy();
        }
      }
    }, Math.min(1000, this.keepAliveTimeout));
    this._sweeper.unref();
  }

  close(cb) {
    // The sweeper outlives close() while connections remain: one busy now
    // (a request body still arriving) goes idle later and must time out
    // after keepAliveTimeout, as node's does; it stops itself once the
    // last connection is gone.
    if (this._sweeper && this._conns.size === 0) {
      clearInterval(this._sweeper);
      this._sweeper = null;
    }
    if (this._timeoutChecker) {
      clearInterval(this._timeoutChecker);
      this._timeoutChecker = null;
    }
    this.closeIdleConnections();
    return super.close(cb);
  }

  closeAllConnections() {
    for (const conn of this._conns) conn.socket.destroy();
  }

  closeIdleConnections() {
    for (const conn of this._conns) {
      if (conn.idle && conn.outgoing.length === 0 && conn.incoming === null) conn.socket.destroy();
    }
  }
}

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

module.exports = {
  STATUS_CODES,
  Server,
  ServerResponse,
  createServer,
  _connectionListener: connectionListener,
  initServer,
  kConnectionsCheckingInterval: Symbol('http.server.connectionsCheckingInterval'),
};
