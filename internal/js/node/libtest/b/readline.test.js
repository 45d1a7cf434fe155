'use strict';
// Differential test of lib/readline.js and readline/promises against node's:
// line splitting over random chunkings (\n, \r\n, \r, split CRLF, multibyte
// characters across chunks), question/prompt output, pause/resume/close
// events, async iteration, cursor helpers.
const t = require('../t.js');
const { rng } = require('./rand.js');
const { PassThrough, Writable } = require('stream');
const rand = rng(31337);

function sink(out) {
  return new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 2));

async function feed(input, chunks) {
  for (const c of chunks) {
    input.write(c);
    await new Promise((resolve) => setImmediate(resolve));
  }
  input.end();
}

const pieces = ['a', 'bc', '\n', '\r\n', '\r', 'é', '😀', ' ', 'line', '\n\n', '\r\r\n'];
// crlfDelay: Infinity keeps a \r\n split across chunks one line ending
// whatever the scheduling delay (the default 100 ms window is timing).
const cases = [];
for (let i = 0; i < 300; i++) {
  const text = Array.from({ length: 1 + rand.int(10) }, () => rand.pick(pieces)).join('');
  const bytes = Buffer.from(text);
  const chunks = [];
  for (let p = 0; p < bytes.length;) {
    const n = 1 + rand.int(5);
    chunks.push(bytes.subarray(p, p + n));
    p += n;
  }
  cases.push(() => t.diffAsync(`lines ${JSON.stringify(text)} in ${chunks.length} chunks`, 'readline', async (rl) => {
    const input = new PassThrough();
    const log = [];
    const r = rl.createInterface({ input, crlfDelay: Infinity });
    r.on('line', (l) => log.push('line:' + JSON.stringify(l)));
    r.on('close', () => log.push('close'));
    r.on('pause', () => log.push('pause'));
    r.on('resume', () => log.push('resume'));
    await feed(input, chunks);
    await settle();
    return log;
  }));
}

cases.push(() => t.diffAsync('question and prompt', 'readline', async (rl) => {
  const input = new PassThrough();
  const out = [];
  const r = rl.createInterface({ input, output: sink(out), prompt: '$ ' });
  const log = [];
  r.question('name? ', (a) => {
    log.push('answer:' + a);
    r.prompt();
  });
  r.on('line', (l) => log.push('line:' + l));
  input.write('bob\n');
  input.write('next\n');
  await settle();
  log.push('prompt:' + r.getPrompt());
  r.setPrompt('# ');
  r.prompt();
  r.close();
  try { r.question('x', () => {}); } catch (e) { log.push(e.code); }
  r.close();
  await settle();
  return [log, out];
}));

cases.push(() => t.diffAsync('write() as input', 'readline', async (rl) => {
  const input = new PassThrough();
  const r = rl.createInterface({ input });
  const log = [];
  r.on('line', (l) => log.push(l));
  r.write('typed\nmore');
  r.write(' text\n');
  r.close();
  try { r.write('late\n'); } catch (e) { log.push(e.code); }
  return log;
}));

cases.push(() => t.diffAsync('async iterator', 'readline', async (rl) => {
  const input = new PassThrough();
  const r = rl.createInterface({ input, crlfDelay: Infinity });
  setImmediate(() => {
    input.write('one\r');
    setImmediate(() => { input.end('\ntwo\nthree'); });
  });
  const lines = [];
  for await (const l of r) lines.push(l);
  return lines;
}));

cases.push(() => t.diffAsync('async iterator break', 'readline', async (rl) => {
  const input = new PassThrough();
  const r = rl.createInterface({ input });
  const log = [];
  r.on('close', () => log.push('close'));
  // Lines are written after the loop starts: lines emitted before the
  // iterator exists are not queued (same in node).
  setImmediate(() => input.write('a\nb\nc\n'));
  for await (const l of r) {
    log.push(l);
    if (l === 'b') break;
  }
  await settle();
  return log;
}));

cases.push(() => t.diffAsync('promises question', 'readline/promises', async (rlp) => {
  const input = new PassThrough();
  const out = [];
  const r = rlp.createInterface({ input, output: sink(out) });
  const p = r.question('q? ');
  input.write('yes\n');
  const a = await p;
  const ac = new AbortController();
  const p2 = r.question('q2? ', { signal: ac.signal });
  ac.abort();
  let err;
  try { await p2; } catch (e) { err = e.name + ':' + e.code; }
  r.close();
  await settle();
  return [a, err, out];
}));

cases.push(() => t.diffAsync('promises Readline', 'readline/promises', async (rlp) => {
  const out = [];
  const w = sink(out);
  const rl = new rlp.Readline(w);
  rl.cursorTo(3).cursorTo(1, 2).moveCursor(-1, 2).moveCursor(4, -3).clearLine(0).clearLine(-1).clearLine(1).clearScreenDown();
  await rl.commit();
  rl.cursorTo(9);
  rl.rollback();
  await rl.commit();
  return out;
}));

cases.push(() => t.diffAsync('cursor helpers', 'readline', async (rl) => {
  const out = [];
  const w = sink(out);
  const r = [rl.cursorTo(w, 2), rl.cursorTo(w, 2, 5), rl.moveCursor(w, -2, 3), rl.moveCursor(w, 0, 0),
    rl.clearLine(w, -1), rl.clearLine(w, 0), rl.clearLine(w, 1), rl.clearScreenDown(w), rl.cursorTo(null, 1)];
  await settle();
  return [r, out];
}));

cases.push(() => t.diffAsync('input end with partial line and pause/resume', 'readline', async (rl) => {
  const input = new PassThrough();
  const r = rl.createInterface({ input });
  const log = [];
  for (const ev of ['line', 'pause', 'resume', 'close']) r.on(ev, (x) => log.push(ev + (x !== undefined ? ':' + x : '')));
  r.pause();
  r.resume();
  input.end('tail without newline');
  await settle();
  return [log, r.closed, r.terminal, r.line];
}));

cases.push(() => t.diffAsync('exports', 'readline', async (rl) => [Object.keys(rl).sort(), typeof rl.promises.createInterface]));

let ran = 0;
process.on('beforeExit', () => {
  if (ran !== cases.length) t.fail('scenarios', new Error(`only ${ran} of ${cases.length} scenarios finished (one never settled)`));
});
(async () => {
  for (const c of cases) {
    await c();
    ran++;
  }
})();
