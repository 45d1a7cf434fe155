'use strict';
// diagnostics_channel against Node's: the same scenario scripts run against
// both modules, logging every publish, subscriber call, store run and
// return value; the logs must be equal. Channel names carry a per-module
// prefix because both modules would otherwise share nothing anyway, but a
// scenario must not see channels of the previous one.
const t = require('../t.js');

let n = 0;
function scenario(label, body) {
  const prefix = `s${n++}:`;
  return t.diffAsync(label, 'diagnostics_channel', async (dc) => {
    const log = [];
    const fmt = (x) => {
      if (x instanceof Error) return `${x.name}:${x.code || ''}:${x.message}`;
      if (typeof x === 'symbol') return x.toString();
      if (typeof x === 'function') return `fn ${x.name}`;
      if (typeof x === 'object' && x !== null) {
        return JSON.stringify(x, (k, v) => (v instanceof Error ? `Error:${v.message}` : v));
      }
      return String(x);
    };
    const L = (...a) => log.push(a.map(fmt).join(' '));
    try {
      await body(dc, L, (s) => prefix + s);
    } catch (e) {
      L('threw', e);
    }
    await new Promise((resolve) => setImmediate(resolve));
    return log;
  });
}

// store is a minimal AsyncLocalStorage stand-in: runStores only needs run().
function makeStore(L, name) {
  const s = {
    value: undefined,
    run(v, fn) {
      L(name, 'run', v);
      const prev = s.value;
      s.value = v;
      try {
        return fn();
      } finally {
        s.value = prev;
      }
    },
  };
  return s;
}

const S = [];
const add = (label, body) => S.push([label, body]);

add('exports', (dc, L) => {
  L(Object.keys(dc).sort());
  L(Object.getOwnPropertyNames(dc.Channel.prototype));
  L(Object.getOwnPropertyNames(Object.getPrototypeOf(dc.tracingChannel('x'))));
});
add('channel identity and name', (dc, L, N) => {
  const a = dc.channel(N('a'));
  L(a === dc.channel(N('a')), a.name, a instanceof dc.Channel, a.hasSubscribers, Object.keys(a));
  const sym = Symbol('s');
  L(dc.channel(sym).name === sym);
});
add('invalid channel names', (dc, L) => {
  for (const v of [1, null, undefined, {}, true, 1n]) {
    try {
      dc.channel(v);
      L('ok', typeof v);
    } catch (e) {
      L(e);
    }
  }
});
add('subscribe publish unsubscribe', (dc, L, N) => {
  const ch = dc.channel(N('p'));
  ch.publish('nobody');
  const f = (m, name) => L('f', m, name);
  const g = (m) => L('g', m);
  L(dc.hasSubscribers(N('p')), dc.hasSubscribers(N('never')));
  ch.subscribe(f);
  dc.subscribe(N('p'), g);
  L(ch.hasSubscribers, dc.hasSubscribers(N('p')), ch instanceof dc.Channel, Object.keys(ch));
  ch.publish({ x: 1 });
  L(ch.unsubscribe(f), ch.unsubscribe(f), dc.unsubscribe(N('p'), g), dc.unsubscribe(N('p'), g));
  L(ch.hasSubscribers, ch instanceof dc.Channel);
  ch.publish('again');
  L(dc.unsubscribe(N('fresh'), f));
});
add('unsubscribe during publish', (dc, L, N) => {
  const ch = dc.channel(N('u'));
  const a = () => { L('a'); ch.unsubscribe(a); ch.unsubscribe(b); };
  const b = () => L('b');
  ch.subscribe(a);
  ch.subscribe(b);
  ch.publish(1);
  ch.publish(2);
  L(ch.hasSubscribers);
});
add('same subscriber twice', (dc, L, N) => {
  const ch = dc.channel(N('twice'));
  const f = (m) => L('f', m);
  ch.subscribe(f);
  ch.subscribe(f);
  ch.publish(1);
  L(ch.unsubscribe(f));
  ch.publish(2);
  L(ch.unsubscribe(f), ch.hasSubscribers);
});
add('subscribe validates', (dc, L, N) => {
  const ch = dc.channel(N('v'));
  for (const v of [1, 'x', null, {}]) {
    try {
      ch.subscribe(v);
    } catch (e) {
      L(e);
    }
  }
  L(ch.hasSubscribers);
});
add('bindStore and runStores', (dc, L, N) => {
  const ch = dc.channel(N('st'));
  L('inactive', ch.runStores({ a: 1 }, function (x, y) { L('fn', x, y, this); return 7; }, { t: 1 }, 2, 3));
  const s1 = makeStore(L, 's1');
  const s2 = makeStore(L, 's2');
  ch.bindStore(s1);
  ch.bindStore(s2, (d) => ({ wrapped: d }));
  L(ch.hasSubscribers);
  ch.subscribe((m) => L('sub', m, s1.value, s2.value));
  L('ret', ch.runStores({ a: 2 }, (x) => { L('in', x, s1.value, s2.value); return x * 2; }, null, 21));
  ch.bindStore(s1, (d) => 'replaced');
  ch.runStores(3, () => L('in2', s1.value));
  L(ch.unbindStore(s1), ch.unbindStore(s1), ch.unbindStore(s2));
  L(ch.hasSubscribers);
});
add('runStores with throwing fn', (dc, L, N) => {
  const ch = dc.channel(N('thr'));
  ch.bindStore(makeStore(L, 's'));
  try {
    ch.runStores(1, () => { throw new Error('boom'); });
  } catch (e) {
    L('caught', e);
  }
});
add('tracingChannel names and validation', (dc, L, N) => {
  const tc = dc.tracingChannel(N('tc'));
  for (const ev of ['start', 'end', 'asyncStart', 'asyncEnd', 'error']) L(ev, tc[ev].name, tc[ev] instanceof dc.Channel);
  L(Object.keys(tc), tc.hasSubscribers);
  const chans = {};
  for (const ev of ['start', 'end', 'asyncStart', 'asyncEnd', 'error']) chans[ev] = dc.channel(N('c' + ev));
  const tc2 = dc.tracingChannel(chans);
  L(tc2.start === chans.start);
  for (const v of [1, null, { start: 1 }, { ...chans, error: {} }]) {
    try {
      dc.tracingChannel(v);
      L('ok');
    } catch (e) {
      L(e);
    }
  }
});
function handlers(L) {
  return {
    start: (c) => L('start', c),
    end: (c) => L('end', c),
    asyncStart: (c) => L('asyncStart', c),
    asyncEnd: (c) => L('asyncEnd', c),
    error: (c) => L('error', c),
  };
}
add('traceSync', (dc, L, N) => {
  const tc = dc.tracingChannel(N('sync'));
  const c0 = {};
  L('no subscribers', tc.traceSync((a) => a + 1, c0, null, 1), c0);
  const h = handlers(L);
  tc.subscribe(h);
  L(tc.hasSubscribers);
  const c1 = { id: 1 };
  L('ret', tc.traceSync(function (a, b) { L('this', this); return a + b; }, c1, { me: 1 }, 2, 3), c1);
  try {
    tc.traceSync(() => { throw new Error('bad'); }, { id: 2 });
  } catch (e) {
    L('caught', e);
  }
  L('default ctx', tc.traceSync(() => 5));
  L(tc.unsubscribe(h), tc.unsubscribe(h), tc.hasSubscribers);
  L(tc.unsubscribe({ start: h.start }));
});
add('tracePromise', async (dc, L, N) => {
  const tc = dc.tracingChannel(N('prom'));
  L('no subscribers', await tc.tracePromise(async (x) => x, {}, null, 4));
  tc.subscribe(handlers(L));
  const c1 = { id: 1 };
  const p = tc.tracePromise(async (x) => { L('body'); return x * 3; }, c1, null, 5);
  L('returned', p instanceof Promise);
  L('value', await p, c1);
  try {
    await tc.tracePromise(async () => { throw new Error('rej'); }, { id: 2 });
  } catch (e) {
    L('rejected', e);
  }
  L('non-promise', await tc.tracePromise(() => 9, { id: 3 }));
  try {
    tc.tracePromise(() => { throw new Error('sync'); }, { id: 4 });
  } catch (e) {
    L('sync throw', e);
  }
});
add('traceCallback', async (dc, L, N) => {
  const tc = dc.tracingChannel(N('cb'));
  L('no subscribers', tc.traceCallback((x, cb) => { cb(null, x); return 'r'; }, -1, {}, null, 1, (e, r) => L('cb0', e, r)));
  tc.subscribe(handlers(L));
  const c1 = { id: 1 };
  L('ret', tc.traceCallback((x, cb) => { cb(null, x + 1); return 'r1'; }, -1, c1, null, 1, function (e, r) { L('cb1', e, r); }));
  L(c1);
  await new Promise((resolve) => {
    tc.traceCallback((cb, x) => setImmediate(() => cb(new Error('late'), x)), 0, { id: 2 }, null,
      (e, r) => { L('cb2', e, r); resolve(); }, 7);
  });
  try {
    tc.traceCallback(() => {}, -1, { id: 3 }, null, 'not a function');
  } catch (e) {
    L('validate', e);
  }
  try {
    tc.traceCallback(() => { throw new Error('fnthrow'); }, -1, { id: 4 }, null, () => L('never'));
  } catch (e) {
    L('caught', e);
  }
});
add('tracing with stores', (dc, L, N) => {
  const tc = dc.tracingChannel(N('ts'));
  const s = makeStore(L, 'store');
  tc.start.bindStore(s, (c) => ({ from: c.id }));
  L(tc.hasSubscribers);
  L('ret', tc.traceSync(() => s.value, { id: 9 }));
  tc.asyncStart.bindStore(s);
  tc.traceCallback((cb) => cb(null, 1), -1, { id: 10 }, null, () => L('cb store', s.value));
});

(async () => {
  for (const [label, body] of S) await scenario(label, body);
})();
