'use strict';
// cluster over child_process.fork, speaking Node's own cluster messages
// ({cmd: 'NODE_CLUSTER', act, seq/ack} on the IPC channel), so a gnode
// primary runs node workers and the other way round.
//
// Scheduling: gnode shares each listening socket the way Node does with
// SCHED_NONE: a worker's listen asks the primary ('queryServer'), the
// primary listens once per address and passes the socket to every worker
// that asks (SCM_RIGHTS, see runtime/bind_cluster.go), and the kernel
// hands each connection to one of the workers accepting on it. Port 0 gives
// every worker the same port, as in Node. Node's default on Linux,
// round-robin through the primary, is not implemented: schedulingPolicy
// reports SCHED_NONE.

const EventEmitter = require('events');
const childProcess = require('child_process');
const binding = internalBinding('process_wrap');

const SCHED_NONE = 1;
const SCHED_RR = 2;

// ---- Worker (both sides) ------------------------------------------------------

class Worker extends EventEmitter {
  constructor(options) {
    super();
    if (options === null || typeof options !== 'object') options = {};
    this.exitedAfterDisconnect = undefined;
    this.state = options.state || 'none';
    this.id = options.id | 0;
    if (options.process) {
      this.process = options.process;
      this.process.on('error', (code, signal) => this.emit('error', code, signal));
      this.process.on('message', (message, handle) => this.emit('message', message, handle));
    }
  }

  kill(...args) { return this.destroy(...args); }
  send(...args) { return this.process.send(...args); }
  isDead() { return this.process.exitCode != null || this.process.signalCode != null; }
  isConnected() { return this.process.connected === true; }
}

const cluster = new EventEmitter();
cluster.Worker = Worker;
cluster.SCHED_NONE = SCHED_NONE;
cluster.SCHED_RR = SCHED_RR;
cluster.schedulingPolicy = SCHED_NONE;

// sendHelper sends an internal cluster message; cb runs with the answer
// that acknowledges it.
const callbacks = new Map();
let seq = 0;
function sendHelper(proc, message, handle, cb) {
  if (!proc.connected) return false;
  message = { cmd: 'NODE_CLUSTER', ...message, seq };
  if (typeof cb === 'function') callbacks.set(seq, cb);
  seq += 1;
  return proc._send(message, handle, true);
}

// internal wraps an internal-message handler: answers go to their callback.
function internal(worker, cb) {
  return function onInternalMessage(message, handle) {
    if (message.cmd !== 'NODE_CLUSTER') return;
    let fn = cb;
    if (message.ack !== undefined) {
      const callback = callbacks.get(message.ack);
      if (callback !== undefined) {
        fn = callback;
        callbacks.delete(message.ack);
      }
    }
    fn.call(worker, message, handle);
  };
}

if (process.env.NODE_UNIQUE_ID !== undefined) setupWorkerSide();
else setupPrimarySide();

// ---- primary ------------------------------------------------------------------

function setupPrimarySide() {
  cluster.isWorker = false;
  cluster.isMaster = true;
  cluster.isPrimary = true;
  cluster.Worker = Worker;
  cluster.workers = {};
  cluster.settings = {};

  const intercom = new EventEmitter();
  const handles = new Map(); // key → { id, workers: Set, data }
  let ids = 0;
  let initialized = false;

  cluster.setupPrimary = function setupPrimary(options) {
    const settings = {
      args: process.argv.slice(2),
      exec: process.argv[1],
      execArgv: process.execArgv,
      silent: false,
      ...cluster.settings,
      ...options,
    };
    cluster.settings = settings;
    initialized = true;
    process.nextTick(() => cluster.emit('setup', settings));
  };
  cluster.setupMaster = cluster.setupPrimary;

  function removeWorkerFromHandles(worker) {
    for (const [key, h] of handles) {
      h.workers.delete(worker.id);
      if (h.workers.size === 0) {
        net()._binding.close(h.id);
        handles.delete(key);
      }
    }
  }

  // removeWorker runs at disconnect() and again at the worker's
  // 'disconnect' and 'exit'; each time the last one goes, cluster.disconnect
  // callbacks registered meanwhile run, as in Node.
  function removeWorker(worker) {
    delete cluster.workers[worker.id];
    if (Object.keys(cluster.workers).length === 0) intercom.emit('disconnect');
  }

  function onmessage(message, handle) {
    const worker = this;
    switch (message.act) {
      case 'online':
        worker.state = 'online';
        worker.emit('online');
        cluster.emit('online', worker);
        break;
      case 'queryServer':
        queryServer(worker, message);
        break;
      case 'listening': {
        const info = {
          addressType: message.addressType,
          address: message.address,
          port: message.port,
          fd: message.fd,
        };
        worker.state = 'listening';
        worker.emit('listening', info);
        cluster.emit('listening', worker, info);
        break;
      }
      case 'exitedAfterDisconnect':
        worker.exitedAfterDisconnect = true;
        sendHelper(worker.process, { ack: message.seq });
        break;
      case 'close': {
        const h = handles.get(message.key);
        if (h) {
          h.workers.delete(worker.id);
          if (h.workers.size === 0) {
            net()._binding.close(h.id);
            handles.delete(message.key);
          }
        }
        break;
      }
    }
  }

  function queryServer(worker, message) {
    if (worker.exitedAfterDisconnect) return;
    const key = `${message.address}:${message.port}:${message.addressType}:${message.fd}:${message.index}`;
    let h = handles.get(key);
    let errno = 0;
    if (h === undefined) {
      const port = message.port | 0;
      let network, address;
      if (message.addressType === -1 || message.addressType === 'udp4' || message.addressType === 'udp6') {
        if (message.addressType !== -1) errno = -97; // EAFNOSUPPORT: no dgram
        network = 'unix';
        address = message.address;
      } else if (message.address === null || message.address === undefined) {
        network = 'tcp';
        address = ':' + port;
      } else {
        network = message.addressType === 6 ? 'tcp6' : 'tcp';
        address = String(message.address).includes(':') ? `[${message.address}]:${port}` : `${message.address}:${port}`;
      }
      if (errno === 0) {
        const res = binding.clusterListen(network, address);
        if (res[0] === 0) errno = res[1] || -5;
        else {
          h = { id: res[0], workers: new Set(), data: message.data };
          handles.set(key, h);
        }
      }
    }
    if (h) h.workers.add(worker.id);
    const reply = { errno, key, ack: message.seq, data: h ? h.data : null };
    sendHelper(worker.process, reply, errno === 0 && h ? h.id : undefined);
  }

  cluster.fork = function fork(env) {
    if (!initialized) cluster.setupPrimary();
    const id = ++ids;
    const s = cluster.settings;
    const workerEnv = { ...process.env, ...env, NODE_UNIQUE_ID: `${id}` };
    const workerProcess = childProcess.fork(s.exec, s.args, {
      cwd: s.cwd,
      env: workerEnv,
      serialization: s.serialization,
      silent: s.silent,
      windowsHide: s.windowsHide,
      execArgv: s.execArgv,
      stdio: s.stdio,
      gid: s.gid,
      uid: s.uid,
    });
    const worker = new Worker({ id, process: workerProcess });
    worker.on('message', function onMessage(message, handle) {
      cluster.emit('message', this, message, handle);
    });
    worker.process.once('exit', (exitCode, signalCode) => {
      // An unexpected exit (no disconnect first) still frees what the
      // worker held.
      if (worker.state !== 'disconnected') removeWorkerFromHandles(worker);
      removeWorker(worker);
      worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
      worker.state = 'dead';
      worker.emit('exit', exitCode, signalCode);
      cluster.emit('exit', worker, exitCode, signalCode);
    });
    worker.process.once('disconnect', () => {
      removeWorkerFromHandles(worker);
      removeWorker(worker);
      worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
      worker.state = 'disconnected';
      worker.emit('disconnect');
      cluster.emit('disconnect', worker);
    });
    worker.process.on('internalMessage', internal(worker, onmessage));
    process.nextTick(() => cluster.emit('fork', worker));
    cluster.workers[worker.id] = worker;
    return worker;
  };

  cluster.disconnect = function disconnect(cb) {
    const workers = Object.values(cluster.workers);
    if (workers.length === 0) {
      process.nextTick(() => intercom.emit('disconnect'));
    } else {
      for (const worker of workers) if (worker.isConnected()) worker.disconnect();
    }
    if (typeof cb === 'function') intercom.once('disconnect', cb);
  };

  Worker.prototype.disconnect = function disconnect() {
    this.exitedAfterDisconnect = true;
    sendHelper(this.process, { act: 'disconnect' });
    removeWorkerFromHandles(this);
    removeWorker(this);
    return this;
  };

  Worker.prototype.destroy = function destroy(signo) {
    const proc = this.process;
    const signal = signo || 'SIGTERM';
    if (this.isConnected()) {
      // The channel, not the worker, is disconnected: exitedAfterDisconnect
      // stays false, as in Node.
      this.once('disconnect', () => proc.kill(signal));
      proc.disconnect();
      return;
    }
    proc.kill(signal);
  };
}

// ---- worker -------------------------------------------------------------------

function setupWorkerSide() {
  cluster.isWorker = true;
  cluster.isMaster = false;
  cluster.isPrimary = false;
  cluster.worker = null;
  cluster.Worker = Worker;

  // _setupWorker runs at bootstrap (internal/child_process_ipc.js) once
  // the channel exists.
  cluster._setupWorker = function _setupWorker(channelId) {
    const worker = new Worker({ id: +process.env.NODE_UNIQUE_ID | 0, process, state: 'none' });
    cluster.worker = worker;
    binding.setClusterWorker(channelId);
    const servers = new Set();

    // Listening goes through the primary in the Go listen path; here the
    // primary is told once a server listens, and the servers are tracked
    // so a disconnect can close them.
    const { Server } = net();
    const listen = Server.prototype.listen;
    Server.prototype.listen = function clusterListen(...args) {
      const ret = listen.apply(this, args);
      const q = binding.takeClusterQuery();
      if (q !== undefined && this._handle !== null) {
        const query = JSON.parse(q);
        servers.add(this);
        this.once('close', () => servers.delete(this));
        this.once('listening', () => {
          // A server closed before 'listening' (a short-lived one) is not
          // reported, as in Node.
          if (this._handle === null) return;
          worker.state = 'listening';
          const a = this.address();
          sendHelper(process, {
            ...query,
            act: 'listening',
            port: (a && a.port) || query.port,
          });
        });
      }
      return ret;
    };

    process.once('disconnect', () => {
      worker.emit('disconnect');
      if (!worker.exitedAfterDisconnect) {
        // The primary went away or cut the channel: leave at once.
        process.exit(0);
      }
    });

    process.on('internalMessage', internal(worker, function onmessage(message) {
      if (message.act === 'disconnect') disconnectWorker.call(worker, true);
    }));

    function disconnectWorker(primaryInitiated) {
      this.exitedAfterDisconnect = true;
      let waiting = 1;
      const check = () => {
        if (--waiting !== 0) return;
        if (primaryInitiated) process.disconnect();
        else sendHelper(process, { act: 'exitedAfterDisconnect' }, undefined, () => process.disconnect());
      };
      for (const server of servers) {
        waiting++;
        server.close(check);
      }
      servers.clear();
      check();
    }

    worker.disconnect = function disconnect() {
      if (this.state !== 'disconnecting' && this.state !== 'destroying') {
        this.state = 'disconnecting';
        disconnectWorker.call(this, false);
      }
      return this;
    };

    worker.destroy = function destroy() {
      if (this.state === 'destroying') return;
      this.exitedAfterDisconnect = true;
      if (!this.isConnected()) {
        process.exit(0);
      } else {
        this.state = 'destroying';
        sendHelper(process, { act: 'exitedAfterDisconnect' }, undefined, () => process.disconnect());
        process.once('disconnect', () => process.exit(0));
      }
    };

    sendHelper(process, { act: 'online' });
  };
}

function net() { return require('net'); }

module.exports = cluster;
