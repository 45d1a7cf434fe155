'use strict';
// tls over Go's crypto/tls: TLS sockets are tcp-binding sockets whose
// net.Conn is a *tls.Conn (bindings/tcp.md, "TLS"), so TLSSocket is a
// net.Socket. Clients finish the handshake before 'connect'/'secureConnect';
// servers hand over sockets at accept and Go completes the handshake on
// the first read or write. Secure contexts take PEM key/cert/ca.

const net = require('net');
const binding = net._binding;

const DEFAULT_MIN_VERSION = 'TLSv1.2';
const DEFAULT_MAX_VERSION = 'TLSv1.3';

function toList(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function pemOpts(options) {
  const o = options || {};
  const one = (v) => (v === undefined || v === null ? undefined : (Array.isArray(v) ? String(v[0]) : String(v)));
  return {
    cert: one(o.cert),
    key: one(o.key && o.key.pem !== undefined ? o.key.pem : o.key),
    ca: toList(o.ca),
    ALPNProtocols: toList(o.ALPNProtocols).map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString())),
    requestCert: !!o.requestCert,
    rejectUnauthorized: o.rejectUnauthorized !== false,
    servername: o.servername,
  };
}

class SecureContext {
  constructor(options) { this.options = options; this.context = {}; }
}

function createSecureContext(options) {
  return new SecureContext(options);
}

class TLSSocket extends net.Socket {
  constructor(socket, options) {
    super(socket instanceof net.Socket ? undefined : socket);
    this._tlsOptions = options || {};
    this.encrypted = true;
    this.authorized = false;
    this.authorizationError = null;
    this.alpnProtocol = false;
    this.servername = undefined;
    if (socket instanceof net.Socket) {
      throw new Error('gnode: wrapping an existing net.Socket in TLS is not supported yet');
    }
  }

  _info() {
    return this._handle !== null ? binding.tlsInfo(this._handle) : undefined;
  }

  getProtocol() { const i = this._info(); return i ? i[0] : null; }
  getCipher() { const i = this._info(); return i ? { name: i[2], standardName: i[2], version: i[0] } : undefined; }
  getPeerCertificate() { return {}; }
  getCertificate() { return {}; }
  getSession() { return undefined; }
  isSessionReused() { return false; }
  setServername(name) { this.servername = name; }
  setMaxSendFragment() { return true; }
  exportKeyingMaterial() { throw new Error('gnode: exportKeyingMaterial is not supported'); }
}

function connect(...args) {
  let [options, cb] = net._normalizeArgs(args);
  if (args[0] !== null && typeof args[0] === 'object') options = { ...args[0] };
  if (typeof args[1] === 'object' && args[1] !== null) Object.assign(options, args[1]);
  const socket = new TLSSocket(undefined, options);
  const host = options.host || 'localhost';
  const servername = options.servername !== undefined ? options.servername : (net.isIP(host) ? '' : host);
  const opts = pemOpts({ ...options, servername });
  if (options.secureContext && options.secureContext.options) Object.assign(opts, pemOpts({ ...options.secureContext.options, servername, rejectUnauthorized: options.rejectUnauthorized }));
  socket._connectImpl = (network, address) => binding.connectTLS(network, address, opts);
  socket.once('connect', () => {
    const info = socket._info();
    socket.authorized = opts.rejectUnauthorized;
    if (!opts.rejectUnauthorized) socket.authorizationError = null;
    socket.alpnProtocol = info && info[1] ? info[1] : false;
    socket.servername = servername || undefined;
    socket.emit('secureConnect');
  });
  if (cb) socket.once('secureConnect', cb);
  return socket.connect(options);
}

class Server extends net.Server {
  constructor(options, listener) {
    if (typeof options === 'function') {
      listener = options;
      options = {};
    }
    super(options);
    this._tlsOpts = pemOpts(options);
    if (options && options.rejectUnauthorized === undefined) this._tlsOpts.rejectUnauthorized = false;
    this._socketClass = TLSSocket;
    if (listener) this.on('secureConnection', listener);
  }

  _listenImpl(network, address) {
    return binding.listenTLS(network, address, this._tlsOpts);
  }

  _onConnection(socket) {
    socket.server = this;
    this.emit('connection', socket);
    this.emit('secureConnection', socket);
  }

  setSecureContext(options) { this._tlsOpts = pemOpts(options); }
  addContext() {}
}

function createServer(options, listener) {
  return new Server(options, listener);
}

module.exports = {
  CLIENT_RENEG_LIMIT: 3,
  CLIENT_RENEG_WINDOW: 600,
  DEFAULT_CIPHERS: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
  DEFAULT_ECDH_CURVE: 'auto',
  DEFAULT_MIN_VERSION,
  DEFAULT_MAX_VERSION,
  getCiphers: () => ['tls_aes_128_gcm_sha256', 'tls_aes_256_gcm_sha384', 'tls_chacha20_poly1305_sha256'],
  rootCertificates: [],
  checkServerIdentity: () => undefined,
  createSecureContext,
  SecureContext,
  TLSSocket,
  Server,
  createServer,
  connect,
};
