'use strict';
// dgram over internalBinding('udp') (Go's UDPConn, one reader goroutine per
// bound socket; see bindings/udp.md). The state machine follows Node's
// lib/dgram.js: a socket binds lazily (send/connect bind it to port 0),
// sends and connects made while binding wait in a queue, addresses go
// through dns.lookup (or options.lookup) first, and errors carry Node's
// codes and messages ("bind EADDRINUSE 127.0.0.1:41234").

const EventEmitter = require('events');
const { Buffer } = require('buffer');
const { validatePort } = require('internal/validators');
const dns = require('dns');
const { validateAbortSignal } = require('internal/abort_controller');
const {
  codes: {
    ERR_BUFFER_OUT_OF_BOUNDS, ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS, ERR_OUT_OF_RANGE, ERR_SOCKET_ALREADY_BOUND,
    ERR_SOCKET_BAD_BUFFER_SIZE, ERR_SOCKET_BAD_TYPE, ERR_SOCKET_BUFFER_SIZE,
    ERR_SOCKET_DGRAM_IS_CONNECTED, ERR_SOCKET_DGRAM_NOT_CONNECTED, ERR_SOCKET_DGRAM_NOT_RUNNING,
  },
  ErrnoException, ExceptionWithHostPort, uvErrmapGet,
} = require('internal/errors');

const binding = internalBinding('udp');

const BIND_STATE_UNBOUND = 0, BIND_STATE_BINDING = 1, BIND_STATE_BOUND = 2;
const CONNECT_STATE_DISCONNECTED = 0, CONNECT_STATE_CONNECTING = 1, CONNECT_STATE_CONNECTED = 2;
const OPT_BROADCAST = 1, OPT_TTL = 2, OPT_MCAST_TTL = 3, OPT_MCAST_LOOP = 4, OPT_RCVBUF = 5, OPT_SNDBUF = 6;
const kStateSymbol = Symbol('state symbol');

const sockets = new Map(); // binding id → Socket
binding.setDispatch((id, kind, a, b, c, d) => {
  const self = sockets.get(id);
  if (!self) return;
  if (kind === 1) {
    const buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    self.emit('message', buf, { address: b, family: d === 6 ? 'IPv6' : 'IPv4', port: c, size: buf.length });
  } else if (kind === 2) {
    self.emit('error', new ErrnoException(a, 'recvmsg'));
  }
});

function validateString(v, name) {
  if (typeof v !== 'string') throw new ERR_INVALID_ARG_TYPE(name, 'string', v);
}

function validateNumber(v, name) {
  if (typeof v !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', v);
}

// Handle is the JavaScript side of one socket: the binding id once bound.
class Handle {
  constructor(type, lookup) {
    this.v6 = type === 'udp6';
    this.id = 0;
    this.refed = true;
    const family = this.v6 ? 6 : 4;
    const fallback = this.v6 ? '::1' : '127.0.0.1';
    const fn = lookup || dns.lookup;
    this.lookup = (address, cb) => fn(address || fallback, family, cb);
  }
}

function newHandle(type, lookup) {
  if (lookup !== undefined && typeof lookup !== 'function') {
    throw new ERR_INVALID_ARG_TYPE('lookup', 'Function', lookup);
  }
  if (type !== 'udp4' && type !== 'udp6') throw new ERR_SOCKET_BAD_TYPE();
  return new Handle(type, lookup);
}

function Socket(type, listener) {
  if (!(this instanceof Socket)) return new Socket(type, listener);
  EventEmitter.call(this);
  let lookup;
  let recvBufferSize;
  let sendBufferSize;
  let options;
  if (type !== null && typeof type === 'object') {
    options = type;
    type = options.type;
    lookup = options.lookup;
    if (options.recvBufferSize) recvBufferSize = validateUint32(options.recvBufferSize, 'options.recvBufferSize');
    if (options.sendBufferSize) sendBufferSize = validateUint32(options.sendBufferSize, 'options.sendBufferSize');
  }
  const handle = newHandle(type, lookup);
  this.type = type;
  if (typeof listener === 'function') this.on('message', listener);
  this[kStateSymbol] = {
    handle,
    receiving: false,
    bindState: BIND_STATE_UNBOUND,
    connectState: CONNECT_STATE_DISCONNECTED,
    queue: undefined,
    reuseAddr: options && options.reuseAddr,
    ipv6Only: options && options.ipv6Only,
    recvBufferSize,
    sendBufferSize,
  };
  if (options && options.signal !== undefined) {
    const { signal } = options;
    validateAbortSignal(signal, 'options.signal');
    const onAborted = () => {
      if (this[kStateSymbol].handle) this.close();
    };
    if (signal.aborted) {
      onAborted();
    } else {
      signal.addEventListener('abort', onAborted);
      this.once('close', () => signal.removeEventListener('abort', onAborted));
    }
  }
}
Object.setPrototypeOf(Socket.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Socket, EventEmitter);

function validateUint32(value, name) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < 0 || value > 4294967295) throw new ERR_OUT_OF_RANGE(name, '>= 0 && <= 4294967295', value);
  return value;
}

function createSocket(type, listener) {
  return new Socket(type, listener);
}

function healthCheck(socket) {
  if (!socket[kStateSymbol].handle) throw new ERR_SOCKET_DGRAM_NOT_RUNNING();
}

function startListening(socket, id) {
  const state = socket[kStateSymbol];
  state.handle.id = id;
  sockets.set(id, socket);
  if (!state.handle.refed) binding.ref(id, false);
  state.receiving = true;
  state.bindState = BIND_STATE_BOUND;
  socket.emit('listening');
}

function replaceQueue(socket) {
  const state = socket[kStateSymbol];
  const queue = state.queue;
  state.queue = undefined;
  return queue;
}

function onListenSuccess() {
  this.removeListener(EventEmitter.errorMonitor, onListenError);
  const queue = replaceQueue(this);
  for (const fn of queue) fn();
}

function onListenError() {
  this.removeListener('listening', onListenSuccess);
  this[kStateSymbol].queue = undefined;
}

function enqueue(self, fn) {
  const state = self[kStateSymbol];
  if (state.queue === undefined) {
    state.queue = [];
    self.once(EventEmitter.errorMonitor, onListenError);
    self.once('listening', onListenSuccess);
  }
  state.queue.push(fn);
}

Socket.prototype.bind = function bind(port_, address_ /* , callback */) {
  let port = port_;
  healthCheck(this);
  const state = this[kStateSymbol];
  if (state.bindState !== BIND_STATE_UNBOUND) throw new ERR_SOCKET_ALREADY_BOUND();
  state.bindState = BIND_STATE_BINDING;
  const cb = arguments.length && arguments[arguments.length - 1];
  if (typeof cb === 'function') {
    function removeListeners() {
      this.removeListener('error', removeListeners);
      this.removeListener('listening', onListening);
    }
    function onListening() {
      removeListeners.call(this);
      cb.call(this);
    }
    this.on('error', removeListeners);
    this.on('listening', onListening);
  }
  if (port !== null && typeof port === 'object' && Number.isInteger(port.fd) && port.fd > 0) {
    throw new ERR_INVALID_ARG_TYPE('options.fd', 'a UDP socket descriptor gnode can adopt (unsupported)', port.fd);
  }
  let address;
  if (port !== null && typeof port === 'object') {
    address = port.address || '';
    port = port.port;
  } else {
    address = typeof address_ === 'function' ? '' : address_;
  }
  if (!address) address = this.type === 'udp4' ? '0.0.0.0' : '::';
  state.handle.lookup(address, (err, ip) => {
    if (!state.handle) return; // closed meanwhile
    if (err) {
      state.bindState = BIND_STATE_UNBOUND;
      this.emit('error', err);
      return;
    }
    let r;
    try {
      r = binding.bind(state.handle.v6, ip, port || 0, !!state.reuseAddr, !!state.ipv6Only,
        state.recvBufferSize || 0, state.sendBufferSize || 0);
    } catch (e) { // gnode's --allow-net denied it
      state.bindState = BIND_STATE_UNBOUND;
      this.emit('error', e);
      return;
    }
    if (r < 0) {
      const ex = new ExceptionWithHostPort(r, 'bind', ip, port);
      state.bindState = BIND_STATE_UNBOUND;
      this.emit('error', ex);
      return;
    }
    startListening(this, r);
  });
  return this;
};

Socket.prototype.connect = function connect(port, address, callback) {
  port = validatePort(port, 'Port', false);
  if (typeof address === 'function') {
    callback = address;
    address = '';
  } else if (address === undefined) {
    address = '';
  }
  validateString(address, 'address');
  const state = this[kStateSymbol];
  if (state.connectState !== CONNECT_STATE_DISCONNECTED) throw new ERR_SOCKET_DGRAM_IS_CONNECTED();
  state.connectState = CONNECT_STATE_CONNECTING;
  if (state.bindState === BIND_STATE_UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (state.bindState !== BIND_STATE_BOUND) {
    enqueue(this, _connect.bind(this, port, address, callback));
    return;
  }
  _connect.call(this, port, address, callback);
};

function _connect(port, address, callback) {
  const state = this[kStateSymbol];
  if (callback) this.once('connect', callback);
  state.handle.lookup(address, (ex, ip) => doConnect(ex, this, ip, address, port, callback));
}

function doConnect(ex, self, ip, address, port, callback) {
  const state = self[kStateSymbol];
  if (!state.handle) return;
  if (!ex) {
    try {
      const err = binding.connect(state.handle.id, ip, port);
      if (err) ex = new ExceptionWithHostPort(err, 'connect', address, port);
    } catch (e) { // gnode's --allow-net denied it
      ex = e;
    }
  }
  if (ex) {
    state.connectState = CONNECT_STATE_DISCONNECTED;
    process.nextTick(() => {
      if (callback) {
        self.removeListener('connect', callback);
        callback(ex);
      } else {
        self.emit('error', ex);
      }
    });
    return;
  }
  state.connectState = CONNECT_STATE_CONNECTED;
  process.nextTick(() => self.emit('connect'));
}

Socket.prototype.disconnect = function disconnect() {
  const state = this[kStateSymbol];
  if (state.connectState !== CONNECT_STATE_CONNECTED) throw new ERR_SOCKET_DGRAM_NOT_CONNECTED();
  const err = binding.disconnect(state.handle.id);
  if (err) throw new ErrnoException(err, 'connect');
  state.connectState = CONNECT_STATE_DISCONNECTED;
};

function sliceBuffer(buffer, offset, length) {
  if (typeof buffer === 'string') {
    buffer = Buffer.from(buffer);
  } else if (!ArrayBuffer.isView(buffer)) {
    throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
  }
  offset >>>= 0;
  length >>>= 0;
  if (offset > buffer.byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('offset');
  if (offset + length > buffer.byteLength) throw new ERR_BUFFER_OUT_OF_BOUNDS('length');
  return Buffer.from(buffer.buffer, buffer.byteOffset + offset, length);
}

function toBytes(b) {
  if (typeof b === 'string') return Buffer.from(b);
  if (!ArrayBuffer.isView(b)) return null;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

// Kept for compatibility with node < 4.
Socket.prototype.sendto = function sendto(buffer, offset, length, port, address, callback) {
  validateNumber(offset, 'offset');
  validateNumber(length, 'length');
  validateNumber(port, 'port');
  validateString(address, 'address');
  this.send(buffer, offset, length, port, address, callback);
};

Socket.prototype.send = function send(buffer, offset, length, port, address, callback) {
  let list;
  const state = this[kStateSymbol];
  const connected = state.connectState === CONNECT_STATE_CONNECTED;
  if (!connected) {
    if (address || (port && typeof port !== 'function')) {
      buffer = sliceBuffer(buffer, offset, length);
    } else {
      callback = port;
      port = offset;
      address = length;
    }
  } else {
    if (typeof length === 'number') {
      buffer = sliceBuffer(buffer, offset, length);
      if (typeof port === 'function') {
        callback = port;
        port = null;
      }
    } else {
      callback = offset;
    }
    if (port || address) throw new ERR_SOCKET_DGRAM_IS_CONNECTED();
  }
  if (!Array.isArray(buffer)) {
    if (typeof buffer === 'string') {
      list = [Buffer.from(buffer)];
    } else if (!ArrayBuffer.isView(buffer)) {
      throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
    } else {
      list = [buffer];
    }
  } else {
    list = buffer.map(toBytes);
    if (list.some((b) => b === null)) {
      throw new ERR_INVALID_ARG_TYPE('buffer list arguments', ['Buffer', 'TypedArray', 'DataView', 'string'], buffer);
    }
  }
  if (!connected) port = validatePort(port, 'Port', false);
  if (typeof callback !== 'function') callback = undefined;
  if (typeof address === 'function') {
    callback = address;
    address = undefined;
  } else if (address != null) {
    validateString(address, 'address');
  }
  healthCheck(this);
  if (state.bindState === BIND_STATE_UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (list.length === 0) list.push(Buffer.alloc(0));
  if (state.bindState !== BIND_STATE_BOUND) {
    enqueue(this, this.send.bind(this, list, port, address, callback));
    return;
  }
  const afterDns = (ex, ip) => doSend(ex, this, ip, list, address, port, callback);
  if (!connected) state.handle.lookup(address, afterDns);
  else afterDns(null, null);
};

function doSend(ex, self, ip, list, address, port, callback) {
  const state = self[kStateSymbol];
  if (ex) {
    if (typeof callback === 'function') {
      process.nextTick(callback, ex);
      return;
    }
    process.nextTick(() => self.emit('error', ex));
    return;
  } else if (!state.handle) {
    return;
  }
  const data = list.length === 1 ? list[0] : Buffer.concat(list.map((b) => toBytes(b)));
  const bytes = data instanceof Uint8Array ? data : toBytes(data);
  let r;
  try {
    r = binding.send(state.handle.id, bytes, port || 0, port ? ip : '');
  } catch (e) { // gnode's --allow-net denied it
    if (callback) process.nextTick(callback, e);
    else process.nextTick(() => self.emit('error', e));
    return;
  }
  if (r >= 0) {
    if (callback) process.nextTick(callback, null, r);
    return;
  }
  // As in Node, a failed send without a callback is dropped silently.
  if (callback) process.nextTick(callback, new ExceptionWithHostPort(r, 'send', address, port));
}

function socketCloseNT(self) {
  self.emit('close');
}

Socket.prototype.close = function close(callback) {
  const state = this[kStateSymbol];
  const queue = state.queue;
  if (typeof callback === 'function') this.on('close', callback);
  if (queue !== undefined) {
    queue.push(this.close.bind(this));
    return this;
  }
  healthCheck(this);
  stopReceiving(this);
  if (state.handle.id) {
    sockets.delete(state.handle.id);
    binding.close(state.handle.id);
  }
  state.handle = null;
  process.nextTick(socketCloseNT, this);
  return this;
};

if (typeof Symbol.asyncDispose === 'symbol') {
  Socket.prototype[Symbol.asyncDispose] = async function () {
    if (!this[kStateSymbol].handle) return;
    await new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
  };
}

function addrObject(r, syscall) {
  if (typeof r === 'number') throw new ErrnoException(r, syscall);
  return { address: r[0], family: r[2], port: r[1] };
}

const EBADF = -9;

Socket.prototype.address = function address() {
  healthCheck(this);
  const { id } = this[kStateSymbol].handle;
  return addrObject(id ? binding.address(id) : EBADF, 'getsockname');
};

Socket.prototype.remoteAddress = function remoteAddress() {
  healthCheck(this);
  const state = this[kStateSymbol];
  if (state.connectState !== CONNECT_STATE_CONNECTED) throw new ERR_SOCKET_DGRAM_NOT_CONNECTED();
  return addrObject(binding.remoteAddress(state.handle.id), 'getpeername');
};

function setOpt(self, opt, value, syscall) {
  const { id } = self[kStateSymbol].handle;
  const err = id ? binding.setOpt(id, opt, value) : EBADF;
  if (err) throw new ErrnoException(err, syscall);
}

Socket.prototype.setBroadcast = function setBroadcast(arg) {
  healthCheck(this);
  setOpt(this, OPT_BROADCAST, arg ? 1 : 0, 'setBroadcast');
};

Socket.prototype.setTTL = function setTTL(ttl) {
  validateNumber(ttl, 'ttl');
  healthCheck(this);
  setOpt(this, OPT_TTL, ttl, 'setTTL');
  return ttl;
};

Socket.prototype.setMulticastTTL = function setMulticastTTL(ttl) {
  validateNumber(ttl, 'ttl');
  healthCheck(this);
  setOpt(this, OPT_MCAST_TTL, ttl, 'setMulticastTTL');
  return ttl;
};

Socket.prototype.setMulticastLoopback = function setMulticastLoopback(arg) {
  healthCheck(this);
  setOpt(this, OPT_MCAST_LOOP, arg ? 1 : 0, 'setMulticastLoopback');
  return arg;
};

Socket.prototype.setMulticastInterface = function setMulticastInterface(interfaceAddress) {
  healthCheck(this);
  validateString(interfaceAddress, 'interfaceAddress');
  const { id } = this[kStateSymbol].handle;
  const err = id ? binding.setMulticastInterface(id, interfaceAddress) : EBADF;
  if (err) throw new ErrnoException(err, 'setMulticastInterface');
};

function membership(self, multicastAddress, interfaceAddress, add) {
  healthCheck(self);
  if (!multicastAddress) throw new ERR_MISSING_ARGS('multicastAddress');
  const { id } = self[kStateSymbol].handle;
  const err = id ? binding.membership(id, String(multicastAddress), interfaceAddress ? String(interfaceAddress) : '', add) : EBADF;
  if (err) throw new ErrnoException(err, add ? 'addMembership' : 'dropMembership');
}

Socket.prototype.addMembership = function addMembership(multicastAddress, interfaceAddress) {
  membership(this, multicastAddress, interfaceAddress, true);
};

Socket.prototype.dropMembership = function dropMembership(multicastAddress, interfaceAddress) {
  membership(this, multicastAddress, interfaceAddress, false);
};

// Source-specific multicast needs IP_ADD_SOURCE_MEMBERSHIP, which Go's
// syscall package does not offer: these fail with ENOSYS after Node's
// argument checks.
function sourceMembership(self, sourceAddress, groupAddress, add) {
  healthCheck(self);
  validateString(sourceAddress, 'sourceAddress');
  validateString(groupAddress, 'groupAddress');
  throw new ErrnoException(-38, add ? 'addSourceSpecificMembership' : 'dropSourceSpecificMembership');
}

Socket.prototype.addSourceSpecificMembership = function addSourceSpecificMembership(sourceAddress, groupAddress) {
  sourceMembership(this, sourceAddress, groupAddress, true);
};

Socket.prototype.dropSourceSpecificMembership = function dropSourceSpecificMembership(sourceAddress, groupAddress) {
  sourceMembership(this, sourceAddress, groupAddress, false);
};

Socket.prototype.ref = function ref() {
  const handle = this[kStateSymbol].handle;
  if (handle) {
    handle.refed = true;
    if (handle.id) binding.ref(handle.id, true);
  }
  return this;
};

Socket.prototype.unref = function unref() {
  const handle = this[kStateSymbol].handle;
  if (handle) {
    handle.refed = false;
    if (handle.id) binding.ref(handle.id, false);
  }
  return this;
};

function bufferSize(self, size, opt) {
  if (size >>> 0 !== size) throw new ERR_SOCKET_BAD_BUFFER_SIZE();
  const syscall = opt === OPT_RCVBUF ? 'uv_recv_buffer_size' : 'uv_send_buffer_size';
  const { handle } = self[kStateSymbol];
  let r = EBADF;
  if (handle && handle.id) r = size ? binding.setOpt(handle.id, opt, size) : binding.getOpt(handle.id, opt);
  if (r < 0) {
    const [code, message] = uvErrmapGet(r) || ['UNKNOWN', 'unknown error'];
    throw new ERR_SOCKET_BUFFER_SIZE({ errno: r, code, message, syscall });
  }
  return r;
}

Socket.prototype.setRecvBufferSize = function setRecvBufferSize(size) {
  bufferSize(this, size, OPT_RCVBUF);
};

Socket.prototype.setSendBufferSize = function setSendBufferSize(size) {
  bufferSize(this, size, OPT_SNDBUF);
};

Socket.prototype.getRecvBufferSize = function getRecvBufferSize() {
  return bufferSize(this, 0, OPT_RCVBUF);
};

Socket.prototype.getSendBufferSize = function getSendBufferSize() {
  return bufferSize(this, 0, OPT_SNDBUF);
};

Socket.prototype.getSendQueueSize = function getSendQueueSize() {
  return 0;
};

Socket.prototype.getSendQueueCount = function getSendQueueCount() {
  return 0;
};

function stopReceiving(socket) {
  socket[kStateSymbol].receiving = false;
}

// Legacy accessors Node keeps (deprecated there), each over a field of the
// socket's state.
for (const [key, field] of [['_handle', 'handle'], ['_receiving', 'receiving'], ['_bindState', 'bindState'],
  ['_queue', 'queue'], ['_reuseAddr', 'reuseAddr']]) {
  Object.defineProperty(Socket.prototype, key, {
    get() { return this[kStateSymbol][field]; },
    set(v) { this[kStateSymbol][field] = v; },
    configurable: true,
  });
}
Socket.prototype._healthCheck = function () { healthCheck(this); };
Socket.prototype._stopReceiving = function () { stopReceiving(this); };

function _createSocketHandle(address, port, addressType) {
  const handle = newHandle(addressType);
  handle.address = address;
  handle.port = port;
  return handle;
}

module.exports = {
  _createSocketHandle,
  createSocket,
  Socket,
};
