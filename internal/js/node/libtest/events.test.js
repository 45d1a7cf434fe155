'use strict';
// events: EventEmitter scenarios run on gnode's and Node's modules; each
// returns a log of what happened, compared entry for entry.
const t = require('./t.js');

function withWarnings(fn) {
  const warnings = [];
  const orig = process.emitWarning;
  process.emitWarning = (w, ...rest) => {
    warnings.push(typeof w === 'string' ? [w, ...rest] : [w.name, w.message, w.type, w.count, Object.keys(w)]);
  };
  try {
    return [fn(), warnings];
  } finally {
    process.emitWarning = orig;
  }
}

const scenarios = {
  basic(E) {
    const e = new E();
    const log = [];
    e.on('a', (...args) => log.push(['a1', args]));
    e.on('a', function () { log.push(['a2', this === e, arguments.length]); });
    log.push(e.emit('a', 1, 2), e.emit('b'), e.listenerCount('a'), e.eventNames());
    return log;
  },
  onceAndPrepend(E) {
    const e = new E();
    const log = [];
    const f = (x) => log.push(['once', x]);
    e.once('x', f);
    e.prependListener('x', () => log.push('pre'));
    e.prependOnceListener('x', () => log.push('preonce'));
    log.push(e.listeners('x').map((l) => l === f), e.rawListeners('x').map((l) => l === f));
    e.emit('x', 1);
    e.emit('x', 2);
    log.push(e.listenerCount('x'), e.listenerCount('x', f));
    return log;
  },
  removeDuringEmit(E) {
    const e = new E();
    const log = [];
    const b = () => log.push('b');
    e.on('x', () => { log.push('a'); e.removeListener('x', b); });
    e.on('x', b);
    e.emit('x');
    e.emit('x');
    return log;
  },
  newListenerAndRemoveListener(E) {
    const e = new E();
    const log = [];
    e.on('newListener', (ev, l) => log.push(['new', String(ev), typeof l]));
    e.on('removeListener', (ev) => log.push(['removed', String(ev)]));
    const f = () => {};
    e.on('a', f);
    e.once('b', f);
    e.off('a', f);
    e.emit('b');
    e.on('c', f);
    e.on('c', () => {});
    e.removeAllListeners('c');
    e.on('d', f);
    e.removeAllListeners();
    log.push(e.eventNames(), e._eventsCount);
    return log;
  },
  errors(E) {
    const log = [];
    const e = new E();
    for (const v of [new Error('boom'), 'str', 42, { a: 1 }, undefined, null, [1, 2]]) {
      try {
        e.emit('error', v);
      } catch (err) {
        log.push([err === v, err.code, err.message, err.context === v]);
      }
    }
    e.on(E.errorMonitor, (err) => log.push(['monitor', err.message]));
    try {
      e.emit('error', new Error('monitored'));
    } catch (err) {
      log.push(['thrown', err.message]);
    }
    e.on('error', (err) => log.push(['handled', err.message]));
    log.push(e.emit('error', new Error('h')));
    return log;
  },
  maxListeners(E) {
    return withWarnings(() => {
      const e = new E();
      const log = [e.getMaxListeners(), E.defaultMaxListeners];
      e.setMaxListeners(2);
      for (let i = 0; i < 4; i++) e.on('x', () => {});
      e.setMaxListeners(1);
      e.on(Symbol('sym'), () => {});
      e.on(Symbol('sym'), () => {});
      log.push(e.getMaxListeners());
      for (const bad of [-1, NaN, 'x']) {
        try {
          e.setMaxListeners(bad);
        } catch (err) {
          log.push([err.code, err.message]);
        }
        try {
          E.defaultMaxListeners = bad;
        } catch (err) {
          log.push([err.code, err.message]);
        }
      }
      const zero = new E();
      zero.setMaxListeners(0);
      for (let i = 0; i < 20; i++) zero.on('y', () => {});
      return log;
    });
  },
  defaultMax(E) {
    return withWarnings(() => {
      const e = new E();
      for (let i = 0; i < 11; i++) e.on('many', () => {});
      return e.listenerCount('many');
    });
  },
  badListener(E) {
    const e = new E();
    const log = [];
    for (const m of ['on', 'once', 'prependListener', 'prependOnceListener', 'removeListener', 'off']) {
      try {
        e[m]('x', 'notfn');
      } catch (err) {
        log.push([m, err.code, err.message]);
      }
    }
    return log;
  },
  inheritance(E) {
    function Legacy() { E.call(this); }
    Object.setPrototypeOf(Legacy.prototype, E.prototype);
    const l = new Legacy();
    const log = [];
    l.on('x', (v) => log.push(v));
    l.emit('x', 'legacy');
    class Modern extends E {}
    const m = new Modern();
    m.once('y', (v) => log.push(v));
    m.emit('y', 'modern');
    log.push(E.listenerCount(m, 'y'), m instanceof E, E.EventEmitter === E, E.usingDomains);
    return log;
  },
  shape(E) {
    const e = new E();
    e.on('a', () => {});
    e.on('a', () => {});
    e.on('b', () => {});
    return [Object.keys(e), typeof e._events.a, Array.isArray(e._events.a), e._eventsCount,
      Object.getPrototypeOf(e._events), e._maxListeners, String(E.errorMonitor),
      String(E.captureRejectionSymbol), E.captureRejections];
  },
  listenersCopy(E) {
    const e = new E();
    const f = () => {};
    e.on('x', f);
    const l = e.listeners('x');
    l.push(1);
    return [e.listeners('x').length, e.rawListeners('missing'), e.listeners('missing')];
  },
  symbols(E) {
    const e = new E();
    const s = Symbol('s');
    const log = [];
    e.on(s, () => log.push('sym'));
    e.emit(s);
    log.push(e.eventNames().map(String));
    return log;
  },
  getEventListeners(E) {
    const e = new E();
    const f = () => {};
    e.on('x', f);
    const out = [E.getEventListeners(e, 'x').length, E.getEventListeners(e, 'y').length, E.getMaxListeners(e)];
    const ET = t.gnode || E === t.ref('events') ? globalThis.EventTarget : t.lib('internal/event_target').EventTarget;
    const et = new ET();
    et.addEventListener('foo', f);
    out.push(E.getEventListeners(et, 'foo').length);
    try {
      E.getEventListeners({}, 'x');
    } catch (err) {
      out.push(err.code);
    }
    E.setMaxListeners(3, e);
    out.push(e.getMaxListeners());
    for (const bad of [-1, 'x']) {
      try {
        E.setMaxListeners(bad, e);
      } catch (err) {
        out.push(err.message);
      }
    }
    return out;
  },
  onceRemoveByOriginal(E) {
    const e = new E();
    const log = [];
    const f = () => log.push('f');
    e.once('x', f);
    e.removeListener('x', f);
    log.push(e.emit('x'), e.listenerCount('x'));
    e.once('y', f);
    e.on('y', f);
    e.off('y', f);
    log.push(e.rawListeners('y').map((l) => l === f), e.emit('y'));
    return log;
  },
  onceReentrant(E) {
    const e = new E();
    const log = [];
    e.once('x', (n) => {
      log.push(['once', n]);
      e.emit('x', n + 1);
    });
    e.on('x', (n) => log.push(['on', n]));
    e.emit('x', 0);
    return log;
  },
  addDuringEmit(E) {
    const e = new E();
    const log = [];
    e.on('x', () => {
      log.push('first');
      e.on('x', () => log.push('added'));
    });
    e.emit('x');
    e.emit('x');
    return log;
  },
  removeAllInsideRemoveListener(E) {
    const e = new E();
    const log = [];
    e.on('removeListener', (ev, l) => log.push(['rm', String(ev), typeof l]));
    e.on('a', () => {});
    e.on('a', () => {});
    e.once('b', () => {});
    e.on(Symbol.for('s'), () => {});
    e.removeAllListeners();
    log.push(e.eventNames(), e._eventsCount, e.listenerCount('removeListener'));
    return log;
  },
  emitArgs(E) {
    const e = new E();
    const log = [];
    e.on('x', function (...args) { log.push([args.length, args, this === e]); });
    e.emit('x');
    e.emit('x', undefined);
    e.emit('x', 1, 2, 3, 4, 5, 6, 7);
    return log;
  },
  errorSubclassAndContext(E) {
    const e = new E();
    class MyErr extends Error {}
    const log = [];
    try { e.emit('error', new MyErr('sub')); } catch (err) { log.push([err instanceof MyErr, err.message]); }
    try { e.emit('error'); } catch (err) { log.push([err.code, err.message, 'context' in err, err.context]); }
    try { e.emit('error', { toString() { return 'custom'; } }); } catch (err) { log.push([err.message]); }
    return log;
  },
  captureRejectionsFlag(E) {
    const log = [];
    for (const opt of [undefined, {}, { captureRejections: false }, { captureRejections: 'yes' }]) {
      try {
        const e = new E(opt);
        log.push(e[Object.getOwnPropertySymbols(e).find((s) => String(s) === 'Symbol(kCapture)')]);
      } catch (err) {
        log.push([err.code, err.message]);
      }
    }
    try {
      E.captureRejections = 1;
    } catch (err) {
      log.push([err.code, err.message]);
    }
    return log;
  },
  listenerCountStatic(E) {
    const e = new E();
    e.on('x', () => {});
    return [E.listenerCount(e, 'x'), E.listenerCount(e, 'none'), e.listenerCount('x', () => {})];
  },
  prependWithNewListener(E) {
    const e = new E();
    const log = [];
    let injected = false;
    e.on('newListener', (ev) => {
      if (ev === 'x' && !injected) {
        injected = true;
        e.prependListener('x', () => log.push('injected'));
      }
    });
    e.on('x', () => log.push('original'));
    e.emit('x');
    return log;
  },
  inheritedEvents(E) {
    // An object whose prototype already carries _events (Node's "shape mode").
    const proto = new E();
    proto.on('shared', () => {});
    const child = Object.create(proto);
    E.call(child);
    return [child._events === proto._events, child.listenerCount('shared')];
  },
};

for (const [name, fn] of Object.entries(scenarios)) {
  t.diff(`events ${name}`, 'events', fn);
}

(async () => {
  await t.diffAsync('events.once resolves', 'events', async (E) => {
    const e = new E();
    setTimeout(() => e.emit('ready', 1, 2), 1);
    return [await E.once(e, 'ready'), e.listenerCount('error'), e.listenerCount('ready')];
  });
  await t.diffAsync('events.once rejects on error', 'events', async (E) => {
    const e = new E();
    setTimeout(() => e.emit('error', new Error('bad')), 1);
    try {
      await E.once(e, 'ready');
    } catch (err) {
      return [err.message, e.listenerCount('ready'), e.listenerCount('error')];
    }
  });
  await t.diffAsync('events.once abort', 'events', async (E) => {
    const e = new E();
    const ac = new AbortController();
    setTimeout(() => ac.abort('why'), 1);
    try {
      await E.once(e, 'never', { signal: ac.signal });
    } catch (err) {
      return [err.name, err.code, err.message, err.cause, e.listenerCount('never')];
    }
  });
  await t.diffAsync('events.once already aborted', 'events', async (E) => {
    try {
      await E.once(new E(), 'x', { signal: AbortSignal.abort() });
    } catch (err) {
      return [err.name, err.code];
    }
  });
  await t.diffAsync('events.once EventTarget', 'events', async (E) => {
    const et = new EventTarget();
    setTimeout(() => et.dispatchEvent(new Event('ping')), 1);
    const [ev] = await E.once(et, 'ping');
    return ev.type;
  });
  await t.diffAsync('events.once bad options', 'events', async (E) => {
    try {
      await E.once(new E(), 'x', 'bad');
    } catch (err) {
      return [err.code, err.message];
    }
  });
  await t.diffAsync('events.on iterate', 'events', async (E) => {
    const e = new E();
    const out = [];
    setTimeout(() => {
      e.emit('data', 1);
      e.emit('data', 2, 'b');
      e.emit('data', 3);
    }, 1);
    for await (const args of E.on(e, 'data')) {
      out.push(args);
      if (args[0] === 3) break;
    }
    out.push(e.listenerCount('data'), e.listenerCount('error'));
    return out;
  });
  await t.diffAsync('events.on error', 'events', async (E) => {
    const e = new E();
    const out = [];
    setTimeout(() => {
      e.emit('data', 1);
      e.emit('error', new Error('stop'));
    }, 1);
    try {
      for await (const args of E.on(e, 'data')) out.push(args);
    } catch (err) {
      out.push(err.message);
    }
    out.push(e.listenerCount('data'));
    return out;
  });
  await t.diffAsync('events.on abort', 'events', async (E) => {
    const e = new E();
    const ac = new AbortController();
    const out = [];
    setTimeout(() => {
      e.emit('d', 1);
      ac.abort();
    }, 1);
    try {
      for await (const args of E.on(e, 'd', { signal: ac.signal })) out.push(args);
    } catch (err) {
      out.push(err.name);
    }
    return out;
  });
  await t.diffAsync('captureRejections', 'events', async (E) => {
    const e = new E({ captureRejections: true });
    const out = [];
    e.on('error', (err) => out.push(['error', err.message]));
    e.on('x', async () => {
      throw new Error('async fail');
    });
    e.emit('x');
    await new Promise((r) => setTimeout(r, 5));
    const e2 = new E({ captureRejections: true });
    e2[E.captureRejectionSymbol] = (err, type, ...args) => out.push(['rejection', err.message, type, args]);
    e2.on('y', async () => {
      throw new Error('custom');
    });
    e2.emit('y', 1, 2);
    await new Promise((r) => setTimeout(r, 5));
    return out;
  });
})();
