'use strict';
// node:inspector. gnode has no debugger protocol (QuickJS offers no
// inspector), so the module exists for code that probes it: url() is
// undefined as when no inspector is open,
// and open(), waitForDebugger() and Session.connect() throw
// ERR_INSPECTOR_NOT_AVAILABLE instead of pretending to work. The module's
// console writes to the inspector only, in Node too: its methods print
// nothing.

const EventEmitter = require('events');

function notAvailable() {
  const e = new Error('Inspector is not available');
  e.code = 'ERR_INSPECTOR_NOT_AVAILABLE';
  Object.defineProperty(e, 'toString', {
    value() { return `${this.name} [${this.code}]: ${this.message}`; },
    enumerable: false, writable: true, configurable: true,
  });
  return e;
}

class Session extends EventEmitter {
  connect() {
    throw notAvailable();
  }

  connectToMainThread() {
    throw notAvailable();
  }

  post() {
    throw notAvailable();
  }

  disconnect() {}
}

function open() {
  throw notAvailable();
}

function close() {}

function url() {
  return undefined;
}

function waitForDebugger() {
  throw notAvailable();
}

const Network = {
  requestWillBeSent() {},
  responseReceived() {},
  loadingFinished() {},
  loadingFailed() {},
};

const inspectorConsole = {};
for (const k of Object.keys(globalThis.console)) {
  if (typeof globalThis.console[k] === 'function') inspectorConsole[k] = function () {};
}

module.exports = {
  open,
  close,
  url,
  waitForDebugger,
  console: inspectorConsole,
  Session,
  Network,
};
