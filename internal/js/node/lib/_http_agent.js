'use strict';
// Agent: pools client sockets per host:port[:localAddress][:family].
// Sockets that finish a keep-alive exchange are kept (unref'd) in
// freeSockets and reused, newest first ('lifo') by default.

const net = require('net');
const EventEmitter = require('events');

class Agent extends EventEmitter {
  constructor(options) {
    super();
    this.defaultPort = 80;
    this.protocol = 'http:';
    this.options = { __proto__: null, ...options };
    if (this.options.noDelay === undefined) this.options.noDelay = true;
    this.options.path = null;
    this.requests = { __proto__: null };
    this.sockets = { __proto__: null };
    this.freeSockets = { __proto__: null };
    this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
    this.keepAlive = this.options.keepAlive || false;
    this.maxSockets = this.options.maxSockets || Agent.defaultMaxSockets;
    this.maxFreeSockets = this.options.maxFreeSockets || 256;
    this.scheduling = this.options.scheduling || 'lifo';
    this.maxTotalSockets = this.options.maxTotalSockets || Infinity;
    this.totalSocketCount = 0;
    this.on('free', (socket, options) => this._onFree(socket, options));
  }

  _onFree(socket, options) {
    const name = this.getName(options);
    if (socket.destroyed) return;
    const queue = this.requests[name];
    if (queue && queue.length) {
      const req = queue.shift();
      if (!queue.length) delete this.requests[name];
      this._setRequestSocket(req, socket);
      return;
    }
    const req = socket._httpMessage;
    if (!req || !req.shouldKeepAlive || !this.keepAlive) {
      socket.destroy();
      return;
    }
    const free = this.freeSockets[name] || (this.freeSockets[name] = []);
    if (free.length >= this.maxFreeSockets) {
      socket.destroy();
      return;
    }
    if (!this.keepSocketAlive(socket)) {
      socket.destroy();
      return;
    }
    this._removeFrom(this.sockets, name, socket);
    socket._httpMessage = null;
    free.push(socket);
  }

  _removeFrom(map, name, socket) {
    const list = map[name];
    if (!list) return;
    const i = list.indexOf(socket);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) delete map[name];
  }

  keepSocketAlive(socket) {
    socket.setKeepAlive(true, this.keepAliveMsecs);
    socket.unref();
    let t = this.options.timeout;
    if (socket._agentTimeout !== undefined) t = socket._agentTimeout;
    if (t && t > 0 && socket.timeout !== t) socket.setTimeout(t);
    return true;
  }

  reuseSocket(socket, req) {
    req.reusedSocket = true;
    socket.ref();
  }

  getName(options = {}) {
    let name = options.host || 'localhost';
    name += ':';
    if (options.port) name += options.port;
    name += ':';
    if (options.localAddress) name += options.localAddress;
    if (options.family === 4 || options.family === 6) name += ':' + options.family;
    if (options.socketPath) name += ':' + options.socketPath;
    return name;
  }

  addRequest(req, options, port, localAddress) {
    if (typeof options === 'string') options = { host: options, port, localAddress };
    options = { __proto__: null, ...options, ...this.options };
    if (options.socketPath) options.path = options.socketPath;
    const name = this.getName(options);
    req._agentOptions = options;
    const free = this.freeSockets[name];
    while (free && free.length) {
      const socket = this.scheduling === 'fifo' ? free.shift() : free.pop();
      if (!free.length) delete this.freeSockets[name];
      if (socket.destroyed) continue;
      this.reuseSocket(socket, req);
      (this.sockets[name] || (this.sockets[name] = [])).push(socket);
      this._setRequestSocket(req, socket);
      return;
    }
    const count = (this.sockets[name] ? this.sockets[name].length : 0);
    if (count < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
      this.createSocket(req, options, (err, socket) => {
        if (err) req.onSocket(null, err);
        else this._setRequestSocket(req, socket);
      });
    } else {
      (this.requests[name] || (this.requests[name] = [])).push(req);
    }
  }

  _setRequestSocket(req, socket) {
    req.onSocket(socket);
    const t = req.timeout !== undefined ? req.timeout : this.options.timeout;
    if (t !== undefined) socket.setTimeout(t);
  }

  createSocket(req, options, cb) {
    options = { __proto__: null, ...options, ...this.options };
    if (options.socketPath) options.path = options.socketPath;
    options.servername = options.host;
    const name = this.getName(options);
    options._agentKey = name;
    let called = false;
    const oncreate = (err, s) => {
      if (called) return;
      called = true;
      if (err) return cb(err);
      (this.sockets[name] || (this.sockets[name] = [])).push(s);
      this.totalSocketCount++;
      const onClose = () => {
        this.totalSocketCount--;
        this._removeFrom(this.sockets, name, s);
        this._removeFrom(this.freeSockets, name, s);
        const queue = this.requests[name];
        if (queue && queue.length) {
          const next = queue.shift();
          if (!queue.length) delete this.requests[name];
          this.addRequest(next, options);
        }
      };
      s.once('close', onClose);
      s.on('timeout', () => {
        if (this.freeSockets[name] && this.freeSockets[name].includes(s)) s.destroy();
      });
      s.on('agentRemove', () => {
        this._removeFrom(this.sockets, name, s);
        this._removeFrom(this.freeSockets, name, s);
      });
      s.on('error', () => {});
      cb(null, s);
    };
    const s = this.createConnection(options, oncreate);
    if (s) oncreate(null, s);
  }

  createConnection(options, cb) {
    return net.createConnection(options);
  }

  removeSocket(s, options) {
    const name = this.getName(options);
    this._removeFrom(this.sockets, name, s);
    this._removeFrom(this.freeSockets, name, s);
  }

  destroy() {
    for (const map of [this.freeSockets, this.sockets]) {
      for (const name of Object.keys(map)) for (const s of map[name].slice()) s.destroy();
    }
  }
}
Agent.defaultMaxSockets = Infinity;

module.exports = {
  Agent,
  globalAgent: new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }),
};
