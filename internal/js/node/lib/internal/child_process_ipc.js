'use strict';
// The IPC channel of child_process.fork (or spawn with 'ipc' in stdio), on
// both ends, in either of Node's serializations: 'json', one JSON text per
// line, or 'advanced', each message a 4-byte big-endian length and the V8
// serializer's output (header and value; ArrayBufferViews as host objects
// under a 0 tag, see AdvancedSerializer), over the socket the child finds
// at NODE_CHANNEL_FD (internalBinding
// ('process_wrap'), see bindings/process_wrap.md). Messages whose cmd
// starts with NODE_ are internal ('internalMessage'), which is how cluster
// talks; a NODE_HANDLE message wraps one that came with a handle: a
// net.Socket or net.Server sent with send(message, handle) (its descriptor
// travels with SCM_RIGHTS, as libuv sends it).
//
// A child's channel holds its event loop only while process has 'message'
// or 'disconnect' listeners (or after process.channel.ref()); a parent's
// holds it until the channel closes, as in Node.

const binding = internalBinding('process_wrap');
const net = require('net');
const {
  codes: {
    ERR_IPC_CHANNEL_CLOSED, ERR_IPC_DISCONNECTED, ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE, ERR_INVALID_HANDLE_TYPE,
  },
  errnoByCode, ErrnoException,
} = require('internal/errors');

const EV_IPC_MESSAGE = 30, EV_IPC_END = 31, EV_IPC_WRITTEN = 32;

// The 'advanced' wire form, learnt from node's bytes: v8's default host
// object encoding of an ArrayBufferView (type index, length, bytes) after
// a leading uint32 0, the kind of host object (node reserves other kinds
// for its own transferable objects, which gnode does not send).
let advancedCodec;
function advanced() {
  if (advancedCodec !== undefined) return advancedCodec;
  const v8 = require('v8');
  class AdvancedSerializer extends v8.DefaultSerializer {
    _writeHostObject(object) {
      if (!ArrayBuffer.isView(object)) return super._writeHostObject(object);
      this.writeUint32(0);
      return super._writeHostObject(object);
    }
  }
  class AdvancedDeserializer extends v8.DefaultDeserializer {
    _readHostObject() {
      const kind = this.readUint32();
      if (kind !== 0) throw new Error(`unsupported host object kind ${kind} in an IPC message`);
      return super._readHostObject();
    }
  }
  advancedCodec = {
    encode(message) {
      const ser = new AdvancedSerializer();
      ser.writeHeader();
      ser.writeValue(message);
      const body = ser.releaseBuffer();
      const frame = new Uint8Array(4 + body.length);
      new DataView(frame.buffer).setUint32(0, body.length, false);
      frame.set(body, 4);
      return frame;
    },
    decode(arrayBuffer) {
      const der = new AdvancedDeserializer(new Uint8Array(arrayBuffer));
      der.readHeader();
      return der.readValue();
    },
  };
  return advancedCodec;
}

function isInternal(message) {
  return message !== null && typeof message === 'object' && typeof message.cmd === 'string' &&
    message.cmd.length > 5 && message.cmd.startsWith('NODE_');
}

// Control is target.channel: ref()/unref() as on Node's channel object,
// plus the listener-driven reference count.
class Control {
  constructor(id, refd) {
    this._id = id;
    this._refs = 0;
    this._explicit = false;
    this._refd = false;
    this._set(refd);
  }

  _set(on) {
    if (this._id === 0 || on === this._refd) return;
    this._refd = on;
    binding.ipcRef(this._id, on);
  }

  ref() { this._explicit = true; this._set(true); }
  unref() { this._explicit = true; this._set(false); }
  refCounted() { if (++this._refs === 1 && !this._explicit) this._set(true); }
  unrefCounted() { if (--this._refs === 0 && !this._explicit) this._set(false); }
  get fd() { return undefined; }
}

// setupChannel gives target (a ChildProcess, or process in a child)
// send/disconnect/connected/channel over channel id. onClose runs when
// the other end closed the channel: the parent counts that for 'close'
// (after its own disconnect() Node never emits 'close'; neither does gnode).
function setupChannel(target, id, { child = false, onClose, serialization = 'json' } = {}) {
  const codec = serialization === 'advanced' ? advanced() : null;
  binding.ipcStart(id, codec !== null);
  const control = new Control(id, !child);
  const writeCallbacks = new Map();
  let nextReq = 1;
  let closed = false;

  target.channel = control;
  target.connected = true;

  let remoteEnd = false;
  const closeChannel = () => {
    if (closed) return;
    closed = true;
    // Writes still queued report their completion after the close (the
    // Go side flushes them first): stay registered until they have.
    if (writeCallbacks.size === 0) net._unregisterHandle(id);
    net._binding.close(id);
    control._id = 0;
    if (remoteEnd && onClose) onClose();
  };

  const deliver = (message, internal, handle) => {
    process.nextTick(() => {
      if (internal) target.emit('internalMessage', message, handle);
      else target.emit('message', message, handle);
    });
  };

  net._registerHandle(id, {
    _onEvent(kind, a, b, c) {
      if (kind === EV_IPC_MESSAGE) {
        const handle = b ? adoptHandle(b, c) : undefined;
        let message;
        try {
          message = codec !== null ? codec.decode(a) : JSON.parse(a);
        } catch {
          if (handle) handle.destroy ? handle.destroy() : handle.close();
          return;
        }
        if (isInternal(message)) {
          if (message.cmd === 'NODE_HANDLE') {
            // Acknowledged as Node does: a node sender waits for it.
            target._send({ cmd: 'NODE_HANDLE_ACK' }, null, true);
            const inner = message.msg;
            if (isInternal(inner)) {
              // Cluster's round-robin connections are not taken by gnode.
              if (handle) handle.destroy ? handle.destroy() : handle.close();
              deliver(inner, true, undefined);
            } else {
              deliver(inner, false, handle);
            }
            return;
          }
          if (handle) handle.destroy ? handle.destroy() : handle.close();
          if (message.cmd === 'NODE_HANDLE_ACK' || message.cmd === 'NODE_HANDLE_NACK') return;
          deliver(message, true);
          return;
        }
        deliver(message, false);
      } else if (kind === EV_IPC_END) {
        remoteEnd = true;
        if (target.connected) target._disconnect();
        else closeChannel();
      } else if (kind === EV_IPC_WRITTEN) {
        const cb = writeCallbacks.get(a);
        writeCallbacks.delete(a);
        if (closed && writeCallbacks.size === 0) net._unregisterHandle(id);
        if (cb) cb(b === 0 ? null : b, c);
      }
    },
  });

  target.send = function send(message, handle, options, callback) {
    if (typeof handle === 'function') {
      callback = handle;
      handle = undefined;
      options = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    } else if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    options = { swallowErrors: false, ...options };
    if (this.connected) return this._send(message, handle, false, callback, options);
    const ex = new ERR_IPC_CHANNEL_CLOSED();
    if (typeof callback === 'function') process.nextTick(callback, ex);
    else process.nextTick(() => this.emit('error', ex));
    return false;
  };

  // _send(message, handle, internal, callback): handle is a cluster
  // shared-socket handle id (internal use) or nothing.
  target._send = function _send(message, handle, internal, callback, options) {
    if (message === undefined) throw new ERR_MISSING_ARGS('message');
    if (typeof message !== 'string' && typeof message !== 'object' &&
        typeof message !== 'number' && typeof message !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], message);
    }
    let handleId = 0;
    let sentSocket = null;
    if (handle !== undefined && handle !== null) {
      let type;
      if (internal && typeof handle === 'number') {
        handleId = handle;
        type = 'net.Native';
      } else if (handle instanceof net.Server) {
        handleId = handle._handle || 0;
        type = 'net.Server';
      } else if (handle instanceof net.Socket) {
        handleId = handle._handle || 0;
        type = 'net.Socket';
        if (!(options && options.keepOpen)) sentSocket = handle;
      } else {
        throw new ERR_INVALID_HANDLE_TYPE();
      }
      message = { cmd: 'NODE_HANDLE', type, msg: message };
    }
    if (closed) return false;
    const req = nextReq++;
    const swallow = options && options.swallowErrors;
    writeCallbacks.set(req, (errno, code) => {
      // The receiver holds its own copy of a sent socket; this one goes,
      // as in Node (unless keepOpen).
      if (sentSocket !== null) sentSocket.destroy();
      if (errno === null) {
        if (typeof callback === 'function') callback(null);
        return;
      }
      const ex = new ErrnoException(errno || errnoByCode(code) || -32, 'write');
      if (typeof callback === 'function') callback(ex);
      else if (!swallow && !internal) this.emit('error', ex);
    });
    let data;
    try {
      data = codec !== null ? codec.encode(message) : JSON.stringify(message) + '\n';
    } catch (err) {
      writeCallbacks.delete(req);
      throw err;
    }
    const sent = binding.ipcSend(id, data, handleId, req);
    if (sent === -1) {
      writeCallbacks.delete(req);
      throw new ERR_INVALID_HANDLE_TYPE();
    }
    if (sent === 2) {
      writeCallbacks.delete(req);
      if (sentSocket !== null) sentSocket.destroy();
      if (typeof callback === 'function') process.nextTick(callback, null);
    } else if (!sent) {
      writeCallbacks.delete(req);
      return false;
    }
    return true;
  };

  target.disconnect = function disconnect() {
    if (!this.connected) {
      this.emit('error', new ERR_IPC_DISCONNECTED());
      return;
    }
    this._disconnect();
  };

  target._disconnect = function _disconnect() {
    this.connected = false;
    // Queued writes still go out before the socket closes (Go side).
    closeChannel();
    process.nextTick(() => {
      target.channel = null;
      target.emit('disconnect');
    });
  };

  return control;
}

// adoptHandle wraps a received descriptor (already a tcp-binding handle)
// as Node's receiver does: a net.Socket, or a listening net.Server.
function adoptHandle(id, kind) {
  if (kind === 1) {
    const socket = new net.Socket({ [net._kHandle]: id, readable: true, writable: true });
    // Node starts the flow of data into the buffer for a socket made
    // from a handle, so the peer's FIN is seen even without a reader.
    socket.read(0);
    return socket;
  }
  const server = new net.Server();
  const a = net._binding.address(id, false);
  server._handle = id;
  server._addr = !a ? null : a[2] === 'unix' ? a[0] : { address: a[0], family: a[2], port: a[1] };
  net._registerHandle(id, server);
  process.nextTick(() => server.emit('listening'));
  return server;
}

// setupChild runs at bootstrap in a process started with NODE_CHANNEL_FD.
// Worker threads (and the extra copies of gnode run --workers) see the
// same environment but not the channel: only the first run takes it.
function setupChild() {
  const fd = Number.parseInt(process.env.NODE_CHANNEL_FD, 10);
  const mode = process.env.NODE_CHANNEL_SERIALIZATION_MODE;
  delete process.env.NODE_CHANNEL_FD;
  delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;
  if (!(fd >= 0)) return;
  if (!internalBinding('worker').info.isMainThread) return;
  const copy = process.env.GNODE_WORKER_INDEX;
  if (copy !== undefined && copy !== '0') return;
  const id = binding.openChannel(fd);
  if (!id) return;
  const control = setupChannel(process, id, { child: true, serialization: mode === 'advanced' ? 'advanced' : 'json' });
  process.on('newListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.refCounted();
  });
  process.on('removeListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.unrefCounted();
  });
  if (process.env.NODE_UNIQUE_ID !== undefined) {
    require('cluster')._setupWorker(id);
    delete process.env.NODE_UNIQUE_ID;
  }
}

module.exports = { setupChannel, setupChild, isInternal };
