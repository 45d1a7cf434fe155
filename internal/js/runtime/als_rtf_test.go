package runtime

// Differential tests of AsyncLocalStorage: the same programs under node
// and gnode. Cases where gnode knowingly differs (await of a non-promise,
// microtask interleaving once async_hooks is in use) are described in
// lib/internal/async_context.js and not asserted here.

import (
	"os/exec"
	"testing"
)

var alsPrograms = []struct{ name, src string }{
	{"callbacks", `const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const als = new AsyncLocalStorage();
const log = [];
const p = (...a) => console.log(...a);
p('outside', als.getStore());
als.run({ id: 1 }, () => {
  p('sync', als.getStore());
  setTimeout(() => p('timeout', als.getStore()), 400);
  setImmediate(() => p('immediate', als.getStore()));
  process.nextTick(() => p('tick', als.getStore()));
  queueMicrotask(() => p('microtask', als.getStore()));
  Promise.resolve(1).then(() => p('then', als.getStore()));
  Promise.reject(new Error('x')).catch(() => p('catch', als.getStore())).finally(() => p('finally', als.getStore()));
  als.exit(() => p('exit', als.getStore()));
  als.run({ id: 2 }, () => p('nested', als.getStore()));
  p('after nested', als.getStore());
});
p('outside again', als.getStore());
als.run('A', async () => {
  await new Promise((r) => setTimeout(r, 50));
  p('after await timer', als.getStore());
  await Promise.resolve();
  p('after await resolved', als.getStore());
  const v = await (async () => { await 0; return als.getStore(); })();
  p('inner async', v, als.getStore());
  setTimeout(() => {
    p('timer in async', als.getStore());
  }, 1);
});
const fn = als.run('bound', () => AsyncLocalStorage.bind(() => als.getStore()));
p('bind', fn());
const snap = als.run('snap', () => AsyncLocalStorage.snapshot());
p('snapshot', snap(() => als.getStore()));
const res = als.run('res', () => new AsyncResource('X'));
p('resource', res.runInAsyncScope(() => als.getStore()));
p('resource bind', res.bind(() => als.getStore())());
const als2 = new AsyncLocalStorage();
als2.enterWith('entered');
p('enterWith', als2.getStore());
setTimeout(() => { p('enterWith timer', als2.getStore()); als2.disable(); p('disabled', als2.getStore()); }, 700);
p(typeof Promise, Promise.name, Promise.resolve(1) instanceof Promise, Promise.resolve(1).constructor === Promise);
`},
	{"async", `const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function work(name, ms) {
  await sleep(ms);
  const a = als.getStore();
  await sleep(ms);
  const b = als.getStore();
  await Promise.resolve();
  return [name, a, b, als.getStore()];
}
(async () => {
  const r = await Promise.all([als.run('one', () => work('one', 5)), als.run('two', () => work('two', 12))]);
  console.log(JSON.stringify(r));
  const r3 = await Promise.all([als.run('p', async () => { await Promise.resolve(); return als.getStore(); }), als.run('q', async () => { await Promise.resolve(); return als.getStore(); })]);
  console.log(JSON.stringify(r3));
  const { EventEmitter } = require('events');
  const e = new EventEmitter();
  als.run('em', () => e.on('x', () => console.log('listener', als.getStore())));
  als.run('emitter', () => e.emit('x'));
  const ear = als.run('ear', () => new EventEmitter.EventEmitterAsyncResource('T'));
  ear.on('y', () => console.log('ear', als.getStore()));
  ear.emit('y');
  console.log(als.run(5, (a, b) => a + b + als.getStore(), 1, 2));
  try { als.run('err', () => { throw new Error('boom'); }); } catch (err) { console.log(err.message, als.getStore()); }
  const a2 = new AsyncLocalStorage();
  await als.run('outer', () => a2.run('inner', async () => {
    await sleep(1);
    console.log('two stores', als.getStore(), a2.getStore());
    await als.exit(async () => { await sleep(1); console.log('exit async', als.getStore(), a2.getStore()); });
  }));
  const rej = als.run('rej', async () => { await sleep(1); throw new Error('r'); });
  try { await rej; } catch (err) { console.log('caught', err.message); }
  await als.run('chain', () => sleep(1).then(() => als.getStore()).then((v) => console.log('chain', v, als.getStore())));
  const timers = require('timers/promises');
  await als.run('tp', async () => { await timers.setTimeout(2); console.log('timers/promises', als.getStore()); });
  const iv = als.run('iv', () => { let n = 0; const h = setInterval(() => { console.log('interval', als.getStore()); if (++n === 2) clearInterval(h); }, 1); return h; });
})();
`},
	{"fetch", `if (typeof Response === 'undefined' && process._requireLib) process._requireLib('internal/fetch').install(globalThis);
const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
const BASE = process.argv[2];
(async () => {
  const rs = await Promise.all(['a', 'b', 'c'].map((id) => als.run(id, async () => {
    const r = await fetch(BASE + '/json');
    const before = als.getStore();
    const j = await r.json();
    return [id, before, als.getStore(), j.hello];
  })));
  console.log(JSON.stringify(rs));
})();
`},
}

func TestAsyncLocalStorageDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: differential AsyncLocalStorage tests need it")
	}
	srv := fetchServer(t)
	for _, p := range alsPrograms {
		t.Run(p.name, func(t *testing.T) {
			runDiff(t, node, p.src, srv.URL)
		})
	}
}
