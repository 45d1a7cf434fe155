'use strict';
// BroadcastChannel (HTML's cross-context messaging) across the main thread
// and the worker_threads of one process, over internalBinding('broadcast')
// (bindings/broadcast.md); messages are structured clones made by
// worker_threads' serializer. MessageEvent lives here too: the event
// BroadcastChannel and WebSocket dispatch.
//
// As in Node, an open channel holds the event loop until close() or
// unref(), whether or not it has listeners.

const { EventTarget, Event } = require('internal/event_target');
const { codes: { ERR_MISSING_ARGS, ERR_INVALID_THIS } } = require('internal/errors');

const customInspect = Symbol.for('nodejs.util.inspect.custom');
const kData = Symbol('kData');

class MessageEvent extends Event {
  constructor(type, options = undefined) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('type');
    super(type, options);
    const o = options == null ? {} : options;
    this[kData] = {
      data: o.data === undefined ? null : o.data,
      origin: o.origin === undefined ? '' : `${o.origin}`,
      lastEventId: o.lastEventId === undefined ? '' : `${o.lastEventId}`,
      source: o.source === undefined ? null : o.source,
      ports: o.ports === undefined ? [] : [...o.ports],
    };
  }

  get data() { return data(this).data; }
  get origin() { return data(this).origin; }
  get lastEventId() { return data(this).lastEventId; }
  get source() { return data(this).source; }
  get ports() { return data(this).ports; }
}

function data(ev) {
  if (ev === null || typeof ev !== 'object' || ev[kData] === undefined) throw new ERR_INVALID_THIS('MessageEvent');
  return ev[kData];
}

for (const k of ['data', 'origin', 'lastEventId', 'source', 'ports']) {
  Object.defineProperty(MessageEvent.prototype, k, { enumerable: true });
}
Object.defineProperty(MessageEvent.prototype, Symbol.toStringTag, { value: 'MessageEvent', configurable: true });

// ---- BroadcastChannel ----------------------------------------------------------

let binding = null;
const channels = new Map(); // id → BroadcastChannel

function native() {
  if (binding !== null) return binding;
  binding = internalBinding('broadcast');
  binding.setDispatch((id, payload) => {
    const bc = channels.get(id);
    if (bc === undefined) return;
    const wt = require('worker_threads');
    let value;
    try {
      value = wt._deserialize(payload);
    } catch {
      bc.dispatchEvent(new MessageEvent('messageerror', {}));
      return;
    }
    bc.dispatchEvent(new MessageEvent('message', { data: value }));
  });
  // Leave every channel at exit so other threads stop queueing onto this
  // one.
  process.once('exit', () => binding.closeAll());
  return binding;
}

const kName = Symbol('kName');
const kId = Symbol('kId');
const kHandlers = Symbol('kHandlers');

function closedError() {
  return new DOMException('BroadcastChannel is closed.', 'InvalidStateError');
}

class BroadcastChannel extends EventTarget {
  constructor(name) {
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('name');
    super();
    this[kName] = `${name}`;
    this[kHandlers] = { message: null, messageerror: null };
    const b = native();
    this[kId] = b.open(this[kName]);
    channels.set(this[kId], this);
    b.ref(this[kId], true);
  }

  get name() {
    if (!(this instanceof BroadcastChannel) || this[kName] === undefined) throw new ERR_INVALID_THIS('BroadcastChannel');
    return this[kName];
  }

  postMessage(message) {
    if (!(this instanceof BroadcastChannel) || this[kName] === undefined) throw new ERR_INVALID_THIS('BroadcastChannel');
    if (arguments.length === 0) throw new ERR_MISSING_ARGS('message');
    if (this[kId] === 0) throw closedError();
    const wire = require('worker_threads')._serialize(message);
    native().post(this[kId], wire);
  }

  close() {
    if (this[kId] === 0) return;
    native().close(this[kId]);
    channels.delete(this[kId]);
    this[kId] = 0;
  }

  ref() {
    if (this[kId] !== 0) native().ref(this[kId], true);
    return this;
  }

  unref() {
    if (this[kId] !== 0) native().ref(this[kId], false);
    return this;
  }

  [customInspect](depth, options, inspect) {
    if (depth < 0) return 'BroadcastChannel';
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `BroadcastChannel ${inspect({ name: this[kName], active: this[kId] !== 0 }, opts)}`;
  }
}

// onmessage / onmessageerror: one handler each, as an event listener.
for (const type of ['message', 'messageerror']) {
  Object.defineProperty(BroadcastChannel.prototype, 'on' + type, {
    enumerable: true,
    configurable: true,
    get() { return this[kHandlers][type] ? this[kHandlers][type].fn : null; },
    set(fn) {
      const h = this[kHandlers];
      if (h[type]) this.removeEventListener(type, h[type].wrapper);
      h[type] = null;
      if (typeof fn === 'function') {
        const wrapper = (ev) => fn.call(this, ev);
        h[type] = { fn, wrapper };
        this.addEventListener(type, wrapper);
      }
    },
  });
}

module.exports = { BroadcastChannel, MessageEvent };
