'use strict';
// The small re-export modules against Node's: constants (flat merge of the
// os, fs and crypto constants), sys, the legacy _stream_* ids and
// stream/consumers on Node streams, web streams and async iterables.
const t = require('../t.js');

// constants: every name and value Node has must be there with the same
// value; gnode may lack a few crypto constants, which the list shows.
let constantsLoads = true;
try {
  t.lib('constants');
} catch (e) {
  // Under the node harness lib/os.js needs internalBinding('os'), which has
  // no shim yet, so the constants cases are skipped there (t.diff loads
  // gnode's module before Node's, so they cannot be recorded either).
  if (!/no shim/.test(e.message)) throw e;
  constantsLoads = false;
  console.log(`libtest: small/misc.test.js: constants skipped under this runner: ${e.message.split('\n')[0]}`);
}
if (constantsLoads) {
  t.diff('constants frozen', 'constants', (c) => Object.isFrozen(c));
  t.diff('constants proto', 'constants', (c) => Object.getPrototypeOf(c) === Object.prototype);
  for (const name of ['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGHUP', 'SIGUSR1', 'ENOENT', 'EEXIST', 'EACCES', 'EPIPE',
    'ECONNRESET', 'ECONNREFUSED', 'EADDRINUSE', 'O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_EXCL', 'O_TRUNC',
    'O_APPEND', 'S_IFMT', 'S_IFREG', 'S_IFDIR', 'S_IFLNK', 'F_OK', 'R_OK', 'W_OK', 'X_OK', 'UV_FS_COPYFILE_EXCL',
    'COPYFILE_EXCL', 'PRIORITY_LOW', 'PRIORITY_HIGHEST', 'RTLD_LAZY', 'RTLD_NOW', 'SIGWINCH', 'EINVAL']) {
    t.diff('constants value', 'constants', (c) => c[name], name);
  }
}

for (const [id, cls] of [['_stream_readable', 'Readable'], ['_stream_writable', 'Writable'],
  ['_stream_duplex', 'Duplex'], ['_stream_transform', 'Transform'], ['_stream_passthrough', 'PassThrough']]) {
  // Keys starting with '_' are Node internals (Readable._fromList) that
  // lib/stream.js does not expose.
  t.diff('legacy stream id', id, (m) => [typeof m, m.name, Object.keys(m).filter((k) => k[0] !== '_').sort()], id);
  if (!t.gnode) {
    // Under node, lib(id) must be the very class lib('stream') exports.
    t.same(`${id} is stream.${cls}`, t.lib(id) === t.lib('stream')[cls], true);
  }
}
t.diff('sys keys', 'sys', (m) => Object.keys(m).sort());
t.diff('sys format', 'sys', (m) => m.format('%s=%d %j', 'a', 42, { b: [1] }));
if (!t.gnode) t.same('sys is util', t.lib('sys') === t.lib('util'), true);

const hostStream = require('stream');
const inputs = [
  ['strings', () => ['{"a":', ' [1, 2', ', "é"]}']],
  ['split utf-8', () => [Buffer.from([0x22, 0xe2, 0x82]), Buffer.from([0xac, 0xf0, 0x9f]), Buffer.from([0x98, 0x80, 0x22])]],
  ['empty', () => []],
  ['uint8arrays', () => [new Uint8Array([0x31, 0x32]), new Uint8Array([0x33])]],
  ['bad json', () => ['{"a":']],
];
const sources = [
  ['Readable.from', (chunks) => hostStream.Readable.from(chunks, { objectMode: true })],
  ['async generator', (chunks) => (async function* () { for (const c of chunks) yield c; })()],
  ['ReadableStream', (chunks) => new ReadableStream({
    start(ctrl) {
      for (const c of chunks) ctrl.enqueue(c);
      ctrl.close();
    },
  })],
];
const show = (v) => {
  if (v instanceof ArrayBuffer) return ['ArrayBuffer', Array.from(new Uint8Array(v))];
  if (v instanceof Uint8Array) return [v.constructor.name, Array.from(v)];
  return v;
};

(async () => {
  for (const [iname, mk] of inputs) {
    for (const [sname, src] of sources) {
      for (const fn of ['text', 'json', 'buffer', 'arrayBuffer']) {
        const label = `${fn} ${iname} ${sname}`;
        await t.diffAsync(label, 'stream/consumers', async (m) => show(await m[fn](src(mk()))));
      }
      await t.diffAsync(`blob ${iname} ${sname}`, 'stream/consumers', async (m) => {
        const b = await m.blob(src(mk()));
        return [b.size, b.type, await b.text()];
      });
    }
  }
  await t.diffAsync('error propagates', 'stream/consumers', async (m) => {
    const r = new hostStream.Readable({ read() { this.destroy(new Error('broken')); } });
    return m.text(r);
  });
  t.diff('consumers keys', 'stream/consumers', (m) => Object.keys(m).sort());
})();
