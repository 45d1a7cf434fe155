'use strict';
// diagnostics_channel: named pub/sub channels that libraries (undici,
// Express 5, Fastify) publish tracing events on. A channel switches
// between an inactive and an active prototype so publish() costs nothing
// while nobody listens; `instanceof Channel` holds for both.

const { codes: { ERR_INVALID_ARG_TYPE } } = require('internal/errors');

function validateFunction(value, name) {
  if (typeof value !== 'function') throw new ERR_INVALID_ARG_TYPE(name, 'Function', value);
}

// reportLater rethrows a subscriber's error as an uncaught exception on the
// next tick so one bad subscriber neither stops the others nor the
// publisher.
function reportLater(err) {
  process.nextTick(() => {
    throw err;
  });
}

const channels = new Map();

function defaultTransform(data) {
  return data;
}

function wrapStoreRun(store, data, next, transform) {
  return () => {
    let value;
    try {
      value = transform(data);
    } catch (err) {
      reportLater(err);
      return next();
    }
    return store.run(value, next);
  };
}

class ActiveChannel {
  subscribe(subscription) {
    validateFunction(subscription, 'subscription');
    this._subscribers = [...this._subscribers, subscription];
  }

  unsubscribe(subscription) {
    const i = this._subscribers.indexOf(subscription);
    if (i === -1) return false;
    const next = this._subscribers.slice();
    next.splice(i, 1);
    this._subscribers = next;
    maybeMarkInactive(this);
    return true;
  }

  bindStore(store, transform) {
    this._stores.set(store, transform === undefined ? defaultTransform : transform);
  }

  unbindStore(store) {
    if (!this._stores.has(store)) return false;
    this._stores.delete(store);
    maybeMarkInactive(this);
    return true;
  }

  get hasSubscribers() {
    return true;
  }

  publish(data) {
    // The array is replaced, never mutated, so unsubscribing during a
    // publish does not skip anyone.
    for (const onMessage of this._subscribers) {
      try {
        onMessage(data, this.name);
      } catch (err) {
        reportLater(err);
      }
    }
  }

  runStores(data, fn, thisArg, ...args) {
    let run = () => {
      this.publish(data);
      return Reflect.apply(fn, thisArg, args);
    };
    for (const [store, transform] of this._stores) {
      run = wrapStoreRun(store, data, run, transform);
    }
    return run();
  }
}

function maybeMarkInactive(ch) {
  if (ch._subscribers.length === 0 && ch._stores.size === 0) {
    Object.setPrototypeOf(ch, Channel.prototype);
    ch._subscribers = undefined;
    ch._stores = undefined;
  }
}

function markActive(ch) {
  Object.setPrototypeOf(ch, ActiveChannel.prototype);
  ch._subscribers = [];
  ch._stores = new Map();
}

class Channel {
  constructor(name) {
    this._subscribers = undefined;
    this._stores = undefined;
    this.name = name;
    channels.set(name, this);
  }

  static [Symbol.hasInstance](instance) {
    const proto = instance === null || (typeof instance !== 'object' && typeof instance !== 'function')
      ? null : Object.getPrototypeOf(instance);
    return proto === Channel.prototype || proto === ActiveChannel.prototype;
  }

  subscribe(subscription) {
    markActive(this);
    this.subscribe(subscription);
  }

  unsubscribe() {
    return false;
  }

  bindStore(store, transform) {
    markActive(this);
    this.bindStore(store, transform);
  }

  unbindStore() {
    return false;
  }

  get hasSubscribers() {
    return false;
  }

  publish() {}

  runStores(data, fn, thisArg, ...args) {
    return Reflect.apply(fn, thisArg, args);
  }
}

function channel(name) {
  const existing = channels.get(name);
  if (existing) return existing;
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw new ERR_INVALID_ARG_TYPE('channel', ['string', 'symbol'], name);
  }
  return new Channel(name);
}

function subscribe(name, subscription) {
  channel(name).subscribe(subscription);
}

function unsubscribe(name, subscription) {
  return channel(name).unsubscribe(subscription);
}

function hasSubscribers(name) {
  const ch = channels.get(name);
  return ch ? ch.hasSubscribers : false;
}

const traceEvents = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

class TracingChannel {
  constructor(nameOrChannels) {
    if (typeof nameOrChannels === 'string') {
      for (const ev of traceEvents) {
        Object.defineProperty(this, ev, { __proto__: null, value: channel(`tracing:${nameOrChannels}:${ev}`) });
      }
    } else if (typeof nameOrChannels === 'object' && nameOrChannels !== null) {
      for (const ev of traceEvents) {
        const ch = nameOrChannels[ev];
        if (!(ch instanceof Channel)) throw new ERR_INVALID_ARG_TYPE(`nameOrChannels.${ev}`, ['Channel'], ch);
        Object.defineProperty(this, ev, { __proto__: null, value: ch });
      }
    } else {
      throw new ERR_INVALID_ARG_TYPE('nameOrChannels', ['string', 'object', 'TracingChannel'], nameOrChannels);
    }
  }

  get hasSubscribers() {
    return this.start.hasSubscribers || this.end.hasSubscribers || this.asyncStart.hasSubscribers ||
      this.asyncEnd.hasSubscribers || this.error.hasSubscribers;
  }

  subscribe(handlers) {
    for (const ev of traceEvents) {
      if (handlers[ev]) this[ev].subscribe(handlers[ev]);
    }
  }

  unsubscribe(handlers) {
    let done = true;
    for (const ev of traceEvents) {
      if (handlers[ev] && !this[ev].unsubscribe(handlers[ev])) done = false;
    }
    return done;
  }

  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    const { start, end, error } = this;
    return start.runStores(context, () => {
      try {
        const result = Reflect.apply(fn, thisArg, args);
        context.result = result;
        return result;
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }

  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    function reject(err) {
      context.error = err;
      error.publish(context);
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return Promise.reject(err);
    }
    function resolve(result) {
      context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return result;
    }
    return start.runStores(context, () => {
      try {
        let promise = Reflect.apply(fn, thisArg, args);
        if (!(promise instanceof Promise)) promise = Promise.resolve(promise);
        return promise.then(resolve, reject);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }

  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    const callback = args.at(position);
    validateFunction(callback, 'callback');
    function wrappedCallback(err, res) {
      if (err) {
        context.error = err;
        error.publish(context);
      } else {
        context.result = res;
      }
      return asyncStart.runStores(context, () => {
        try {
          return Reflect.apply(callback, this, arguments);
        } finally {
          asyncEnd.publish(context);
        }
      });
    }
    args.splice(position, 1, wrappedCallback);
    return start.runStores(context, () => {
      try {
        return Reflect.apply(fn, thisArg, args);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }
}

function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}

module.exports = {
  channel,
  hasSubscribers,
  subscribe,
  tracingChannel,
  unsubscribe,
  Channel,
};
