// BroadcastChannel: delivery to every other channel of the same name in
// this thread and in worker threads (never to the sender), structured
// clones, MessageEvent fields, close(), errors, and that an open channel
// holds the process until it is closed. Messages from one sender arrive in
// order; lines are printed by the main thread only, collected and sorted
// where two senders race.
const { Worker, isMainThread, workerData } = require('worker_threads');

if (isMainThread) {
  const a = new BroadcastChannel('room');
  const b = new BroadcastChannel('room');
  const other = new BroadcastChannel('other');
  console.log(a.name, typeof a.onmessage, a.onmessage, require('util').inspect(a));
  console.log(Object.prototype.toString.call(a), a instanceof EventTarget);
  other.onmessage = () => console.log('other got a message: wrong');
  const got = [];
  a.onmessage = (ev) => {
    if (ev.data === 'self') console.log('a got its own message: wrong');
  };
  let workersDone = 0;
  b.addEventListener('message', (ev) => {
    if (typeof ev.data === 'string' && ev.data.startsWith('done ')) {
      if (++workersDone === 2) {
        console.log('b got', got.sort().join(' | '));
        a.postMessage('finish');
        a.close();
        b.close();
        other.close();
        try { a.postMessage('late'); } catch (e) { console.log('closed', e.name, e.message, e.code); }
      }
      return;
    }
    if (ev.data && ev.data.first) {
      console.log('event', ev.constructor.name, ev.type, ev.origin === '', ev.lastEventId, ev.source, ev.ports, ev.target === b,
        ev.data.first, ev.data.map instanceof Map, ev.data.date instanceof Date);
      return;
    }
    got.push(JSON.stringify(ev.data));
  });
  a.postMessage('self');
  a.postMessage({ first: true, map: new Map([[1, 2]]), date: new Date(0) });
  try { a.postMessage(); } catch (e) { console.log(e.code, e.message); }
  try { new BroadcastChannel(); } catch (e) { console.log(e.code, e.message); }
  try { a.postMessage(() => {}); } catch (e) { console.log('clone', e.name); }
  for (const n of [1, 2]) {
    const w = new Worker(__filename, { workerData: n });
    w.on('exit', (code) => got.push('exit ' + n + ' ' + code));
  }
} else {
  const c = new BroadcastChannel('room');
  c.onmessage = (ev) => {
    if (ev.data === 'finish') c.close();
  };
  for (let i = 0; i < 3; i++) c.postMessage({ from: workerData, i });
  c.postMessage('done ' + workerData);
}
