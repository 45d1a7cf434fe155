'use strict';
// The WHATWG WebSocket client (RFC 6455) written over net/tls: the opening
// handshake is written and its answer parsed here (not through the http
// client), frames are masked and parsed here. No extension is offered, so
// permessage-deflate is never used. TLS follows Node's switches through
// tls.connect (NODE_TLS_REJECT_UNAUTHORIZED, NODE_EXTRA_CA_CERTS where the
// tls module honours them).

const { Buffer } = require('buffer');
const { EventTarget, Event } = require('internal/event_target');
const { MessageEvent } = require('internal/broadcast_channel');
const { codes: { ERR_MISSING_ARGS, ERR_INVALID_THIS } } = require('internal/errors');

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const customInspect = Symbol.for('nodejs.util.inspect.custom');

class CloseEvent extends Event {
  #wasClean;
  #code;
  #reason;
  constructor(type, init = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    super(type, init);
    const o = init == null ? {} : init;
    this.#wasClean = !!o.wasClean;
    this.#code = o.code === undefined ? 0 : o.code & 0xffff;
    this.#reason = o.reason === undefined ? '' : `${o.reason}`;
  }

  get wasClean() { return this.#wasClean; }
  get code() { return this.#code; }
  get reason() { return this.#reason; }
}

class ErrorEvent extends Event {
  #message;
  #error;
  constructor(type, init = undefined) {
    super(type, init);
    const o = init == null ? {} : init;
    this.#message = o.message === undefined ? '' : `${o.message}`;
    this.#error = o.error;
  }

  get message() { return this.#message; }
  get error() { return this.#error; }
}

function syntaxError(msg) { return new DOMException(msg, 'SyntaxError'); }

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

class WebSocket extends EventTarget {
  #url;
  #state = CONNECTING;
  #protocol = '';
  #extensions = '';
  #binaryType = 'blob';
  #buffered = 0;
  #socket = null;
  #key = '';
  #protocols;
  #head = null; // bytes of the handshake answer so far (null once open)
  #chunks = []; // unparsed frame bytes
  #chunksLen = 0;
  #fragments = null; // { opcode, parts: [] } while a message is fragmented
  #sentClose = false;
  #gotClose = null; // { code, reason } once the server's close frame came
  #closed = false;
  #queue = []; // sends waiting for a Blob's bytes, in order
  #failed = false;

  constructor(url, protocols = []) {
    super();
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('url');
    let headers;
    if (protocols !== null && typeof protocols === 'object' && !Array.isArray(protocols) &&
        typeof protocols[Symbol.iterator] !== 'function') {
      // Node's extension: new WebSocket(url, { protocols, headers }).
      headers = protocols.headers;
      protocols = protocols.protocols === undefined ? [] : protocols.protocols;
    }
    let u;
    try {
      u = new URL(url);
    } catch (e) {
      throw syntaxError(e.message);
    }
    if (u.protocol === 'http:') u.protocol = 'ws:';
    else if (u.protocol === 'https:') u.protocol = 'wss:';
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
      throw syntaxError(`Expected a ws: or wss: protocol, got ${u.protocol}`);
    }
    if (u.hash !== '' || u.href.endsWith('#')) throw syntaxError('Got fragment');
    if (typeof protocols === 'string') protocols = [protocols];
    protocols = [...protocols].map((p) => `${p}`);
    if (protocols.length !== new Set(protocols.map((p) => p.toLowerCase())).size) {
      throw syntaxError('Invalid Sec-WebSocket-Protocol value');
    }
    if (protocols.length > 0 && !protocols.every((p) => tokenRe.test(p))) {
      throw syntaxError('Invalid Sec-WebSocket-Protocol value');
    }
    this.#url = u;
    this.#protocols = protocols;
    this.#connect(headers);
  }

  get url() { return this.#url.href; }
  get readyState() { return this.#state; }
  get bufferedAmount() { return this.#buffered; }
  get extensions() { return this.#extensions; }
  get protocol() { return this.#protocol; }
  get binaryType() { return this.#binaryType; }
  set binaryType(t) {
    // As undici (Node's client) does: anything else means 'blob'.
    this.#binaryType = t === 'arraybuffer' ? 'arraybuffer' : 'blob';
  }

  // ---- opening handshake ----------------------------------------------------

  #connect(headers) {
    const u = this.#url;
    const secure = u.protocol === 'wss:';
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const port = u.port ? +u.port : (secure ? 443 : 80);
    this.#key = require('crypto').randomBytes(16).toString('base64');
    const lines = [
      `GET ${u.pathname || '/'}${u.search} HTTP/1.1`,
      `Host: ${u.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${this.#key}`,
      'Sec-WebSocket-Version: 13',
    ];
    if (this.#protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${this.#protocols.join(', ')}`);
    if (u.username || u.password) {
      const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
      lines.push(`Authorization: Basic ${Buffer.from(cred).toString('base64')}`);
    }
    if (headers) {
      const entries = typeof headers.entries === 'function' && !Array.isArray(headers) ? headers.entries() :
        Array.isArray(headers) ? headers : Object.entries(headers);
      for (const [k, v] of entries) lines.push(`${k}: ${v}`);
    }
    const request = lines.join('\r\n') + '\r\n\r\n';
    const opts = { host, port };
    let socket;
    if (secure) {
      opts.servername = require('net').isIP(host) ? undefined : host;
      opts.ALPNProtocols = ['http/1.1'];
      if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') opts.rejectUnauthorized = false;
      socket = require('tls').connect(opts);
      socket.once('secureConnect', () => socket.write(request));
    } else {
      socket = require('net').connect(opts);
      socket.once('connect', () => socket.write(request));
    }
    this.#socket = socket;
    this.#head = Buffer.alloc(0);
    socket.setNoDelay?.(true);
    socket.on('data', (d) => this.#onData(d));
    socket.on('error', (err) => this.#fail(err.message, err));
    socket.on('close', () => this.#onSocketClose());
  }

  #onHandshake(buf) {
    const head = Buffer.concat([this.#head, buf]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 64 * 1024) this.#fail('Received network error or non-101 status code.');
      else this.#head = head;
      return;
    }
    this.#head = null;
    const lines = head.subarray(0, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    const h = new Map();
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      h.set(k, h.has(k) ? h.get(k) + ', ' + v : v);
    }
    const expected = require('crypto').createHash('sha1').update(this.#key + GUID).digest('base64');
    let problem = null;
    if (!status || status[1] !== '101') problem = 'Received network error or non-101 status code.';
    else if ((h.get('upgrade') || '').toLowerCase() !== 'websocket') problem = 'Server did not set Upgrade header to "websocket".';
    else if (!(h.get('connection') || '').toLowerCase().split(/\s*,\s*/).includes('upgrade')) problem = 'Server did not set Connection header to "upgrade".';
    else if (h.get('sec-websocket-accept') !== expected) problem = 'Incorrect hash received in Sec-WebSocket-Accept header.';
    else if (h.has('sec-websocket-extensions')) problem = 'Received unexpected extensions.';
    else if (h.has('sec-websocket-protocol') && !this.#protocols.includes(h.get('sec-websocket-protocol'))) {
      problem = 'Protocol was not set in the opening handshake.';
    }
    if (problem !== null) {
      this.#fail(problem);
      return;
    }
    this.#protocol = h.get('sec-websocket-protocol') || '';
    this.#state = OPEN;
    this.dispatchEvent(new Event('open'));
    const rest = head.subarray(end + 4);
    if (rest.length > 0 && this.#state === OPEN) this.#onFrames(rest);
  }

  #onData(buf) {
    if (this.#closed) return;
    if (this.#head !== null) this.#onHandshake(buf);
    else this.#onFrames(buf);
  }

  // ---- frames -----------------------------------------------------------------

  #onFrames(buf) {
    this.#chunks.push(buf);
    this.#chunksLen += buf.length;
    let data = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks, this.#chunksLen);
    let off = 0;
    while (!this.#failed && data.length - off >= 2) {
      const b0 = data[off], b1 = data[off + 1];
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      let len = b1 & 0x7f;
      let p = off + 2;
      if (b0 & 0x70) return this.#protocolError('RSV1, RSV2, RSV3 must be clear');
      if (b1 & 0x80) return this.#protocolError('Received a masked frame');
      if (len === 126) {
        if (data.length - p < 2) break;
        len = data.readUInt16BE(p);
        p += 2;
      } else if (len === 127) {
        if (data.length - p < 8) break;
        const hi = data.readUInt32BE(p);
        if (hi > 0x1fffff) return this.#protocolError('Payload too large');
        len = hi * 0x100000000 + data.readUInt32BE(p + 4);
        p += 8;
      }
      if (data.length - p < len) break;
      const payload = data.subarray(p, p + len);
      off = p + len;
      this.#onFrame(fin, opcode, payload);
      if (this.#closed) return;
    }
    const rest = data.subarray(off);
    this.#chunks = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.#chunksLen = rest.length;
  }

  #onFrame(fin, opcode, payload) {
    if (opcode >= 8) {
      if (!fin || payload.length > 125) return this.#protocolError('Invalid control frame');
      if (opcode === 0x8) return this.#onCloseFrame(payload);
      if (opcode === 0x9) {
        if (!this.#sentClose) this.#writeFrame(0xa, payload);
        return;
      }
      if (opcode === 0xa) return;
      return this.#protocolError('Invalid opcode ' + opcode);
    }
    if (this.#gotClose !== null) return;
    if (opcode === 0) {
      if (this.#fragments === null) return this.#protocolError('Unexpected continuation frame');
      this.#fragments.parts.push(Buffer.from(payload));
      if (!fin) return;
      const { opcode: op, parts } = this.#fragments;
      this.#fragments = null;
      return this.#onMessage(op, Buffer.concat(parts));
    }
    if (opcode !== 1 && opcode !== 2) return this.#protocolError('Invalid opcode ' + opcode);
    if (this.#fragments !== null) return this.#protocolError('Expected a continuation frame');
    if (!fin) {
      this.#fragments = { opcode, parts: [Buffer.from(payload)] };
      return;
    }
    this.#onMessage(opcode, payload);
  }

  #onMessage(opcode, payload) {
    if (this.#state !== OPEN) return;
    let data;
    if (opcode === 1) {
      try {
        data = new TextDecoder('utf-8', { fatal: true }).decode(payload);
      } catch {
        return this.#protocolError('Invalid UTF-8 in a text frame', 1007);
      }
    } else if (this.#binaryType === 'arraybuffer') {
      data = payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length);
    } else {
      data = new Blob([payload]);
    }
    this.dispatchEvent(new MessageEvent('message', { data, origin: this.#url.origin }));
  }

  #onCloseFrame(payload) {
    if (this.#gotClose !== null) return;
    let code = 1005, reason = '';
    if (payload.length === 1) return this.#protocolError('Invalid close frame');
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      try {
        reason = new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(2));
      } catch {
        return this.#protocolError('Invalid UTF-8 in a close frame', 1007);
      }
    }
    this.#gotClose = { code, reason };
    if (!this.#sentClose) {
      this.#sentClose = true;
      this.#writeFrame(0x8, payload.length >= 2 ? payload.subarray(0, 2) : Buffer.alloc(0));
    }
    this.#state = CLOSING;
    // The server closes the TCP connection after the close handshake.
    this.#socket.end();
  }

  #protocolError(message, code = 1002) {
    if (!this.#sentClose && this.#state === OPEN) {
      this.#sentClose = true;
      const p = Buffer.alloc(2);
      p.writeUInt16BE(code, 0);
      this.#writeFrame(0x8, p);
    }
    this.#fail(message);
  }

  // #fail is "fail the WebSocket connection": error event, then the
  // socket closes and 'close' follows (code 1006 unless a close frame came).
  #fail(message, error) {
    if (this.#failed || this.#closed) return;
    this.#failed = true;
    // The spec closes the connection first: CLOSED during 'error'.
    this.#state = CLOSED;
    this.dispatchEvent(new ErrorEvent('error', { message, error: error || new TypeError(message) }));
    if (this.#socket !== null) this.#socket.destroy();
  }

  #onSocketClose() {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = CLOSED;
    const wasClean = this.#sentClose && this.#gotClose !== null && !this.#failed;
    let code = 1006, reason = '';
    if (this.#gotClose !== null && !this.#failed) ({ code, reason } = this.#gotClose);
    this.dispatchEvent(new CloseEvent('close', { wasClean, code, reason }));
  }

  #writeFrame(opcode, payload, onDone) {
    const len = payload.length;
    const hlen = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(hlen + 4 + len);
    frame[0] = 0x80 | opcode;
    if (len < 126) {
      frame[1] = 0x80 | len;
    } else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(Math.floor(len / 0x100000000), 2);
      frame.writeUInt32BE(len >>> 0, 6);
    }
    const mask = require('crypto').randomBytes(4);
    mask.copy(frame, hlen);
    const body = hlen + 4;
    for (let i = 0; i < len; i++) frame[body + i] = payload[i] ^ mask[i & 3];
    if (this.#socket === null || this.#socket.destroyed) return;
    this.#socket.write(frame, onDone);
  }

  // ---- API ----------------------------------------------------------------------

  send(data) {
    if (!(this instanceof WebSocket)) throw new ERR_INVALID_THIS('WebSocket');
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('data');
    if (this.#state === CONNECTING) throw new DOMException('Sent before connected.', 'InvalidStateError');
    let item;
    if (typeof data === 'string') {
      item = { opcode: 1, bytes: Buffer.from(data, 'utf8') };
    } else if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && data instanceof SharedArrayBuffer)) {
      item = { opcode: 2, bytes: Buffer.from(new Uint8Array(data).slice()) };
    } else if (ArrayBuffer.isView(data)) {
      item = { opcode: 2, bytes: Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()) };
    } else if (data instanceof Blob) {
      item = { opcode: 2, bytes: null, size: data.size };
      data.arrayBuffer().then((ab) => {
        item.bytes = Buffer.from(ab);
        this.#flush();
      });
    } else {
      item = { opcode: 1, bytes: Buffer.from(`${data}`, 'utf8') };
    }
    const size = item.bytes ? item.bytes.length : item.size;
    this.#buffered += size;
    if (this.#state !== OPEN || this.#sentClose) {
      // Per spec the data is dropped but still counts in bufferedAmount.
      return;
    }
    this.#queue.push(item);
    this.#flush();
  }

  #flush() {
    while (this.#queue.length > 0 && this.#queue[0].bytes !== null) {
      const { opcode, bytes } = this.#queue.shift();
      if (this.#sentClose) continue;
      this.#writeFrame(opcode, bytes, () => { this.#buffered -= bytes.length; });
    }
  }

  close(code = undefined, reason = undefined) {
    if (!(this instanceof WebSocket)) throw new ERR_INVALID_THIS('WebSocket');
    if (code !== undefined) {
      code = Number(code) & 0xffff;
      if (code !== 1000 && (code < 3000 || code > 4999)) {
        throw new DOMException('invalid code', 'InvalidAccessError');
      }
    }
    let reasonBytes = Buffer.alloc(0);
    if (reason !== undefined) {
      reasonBytes = Buffer.from(`${reason}`, 'utf8');
      if (reasonBytes.length > 123) {
        throw syntaxError(`Reason must be less than 123 bytes; received ${reasonBytes.length}`);
      }
    }
    if (this.#state === CLOSING || this.#state === CLOSED) return;
    if (this.#state === CONNECTING) {
      this.#fail('WebSocket was closed before the connection was established');
      return;
    }
    this.#state = CLOSING;
    this.#sentClose = true;
    this.#queue.length = 0;
    let payload = Buffer.alloc(0);
    if (code !== undefined) {
      payload = Buffer.alloc(2 + reasonBytes.length);
      payload.writeUInt16BE(code, 0);
      reasonBytes.copy(payload, 2);
    } else if (reasonBytes.length > 0) {
      payload = Buffer.alloc(2 + reasonBytes.length);
      payload.writeUInt16BE(1000, 0);
      reasonBytes.copy(payload, 2);
    }
    this.#writeFrame(0x8, payload);
  }

  [customInspect](depth, options, inspect) {
    if (depth < 0) return 'WebSocket';
    return `WebSocket ${inspect({ url: this.url, readyState: this.#state }, options)}`;
  }
}

for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
  Object.defineProperty(WebSocket, name, { value, enumerable: true });
  Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
}

// onopen / onmessage / onerror / onclose: one handler each.
for (const type of ['open', 'message', 'error', 'close']) {
  const handlers = new WeakMap();
  Object.defineProperty(WebSocket.prototype, 'on' + type, {
    enumerable: true,
    configurable: true,
    get() { const h = handlers.get(this); return h ? h.fn : null; },
    set(fn) {
      const h = handlers.get(this);
      if (h) this.removeEventListener(type, h.wrapper);
      handlers.delete(this);
      if (typeof fn === 'function') {
        const wrapper = (ev) => fn.call(this, ev);
        handlers.set(this, { fn, wrapper });
        this.addEventListener(type, wrapper);
      }
    },
  });
}

Object.defineProperty(WebSocket.prototype, Symbol.toStringTag, { value: 'WebSocket', configurable: true });
Object.defineProperty(CloseEvent.prototype, Symbol.toStringTag, { value: 'CloseEvent', configurable: true });

module.exports = { WebSocket, CloseEvent, ErrorEvent, MessageEvent };
