'use strict';
// write()'s return value, writableLength right after, and when 'drain'
// and the write callback run (against nextTick and setImmediate), for a
// net.Socket, an http ServerResponse and an http ClientRequest, for
// chunks below, at and above the 16 KiB high-water mark; then a 1 MiB
// file piped into a response, counting the source's pauses and resumes.
const net = require('net');
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SIZES = [1024, 16383, 16384, 65536, 1 << 20];

// One write and what follows it: returns a promise of the log line.
// The order of events is only logged for chunks the kernel takes at once
// on loopback (below 1 MiB); for 1 MiB, whether 'drain' came before the
// callback.
function probe(label, w, size, lenOf) {
  return new Promise((resolve) => {
    const ev = [];
    let drained = false, called = false, imm = false;
    const done = () => {
      if (!called || !imm) return;
      if (ret === false && !drained) return;
      w.removeListener('drain', onDrain);
      const order = size >= (1 << 20) ? (drained ? (ev.indexOf('drain') < ev.indexOf('cb') ? 'drain<cb' : 'cb<drain') : 'no-drain') : ev.join(',');
      resolve(`${label} ${size}: ret=${ret} len=${lenOf(size)} ${order}`);
    };
    const onDrain = () => { ev.push('drain'); drained = true; done(); };
    w.on('drain', onDrain);
    const ret = w.write(Buffer.alloc(size, 97), () => { ev.push('cb'); called = true; done(); });
    const wl = w.writableLength;
    lenOf = ((n) => (wl === 0 ? '0' : wl === n ? 'chunk' : wl > n ? 'chunk+' + (wl - n) : String(wl)));
    process.nextTick(() => ev.push('tick'));
    setImmediate(() => { ev.push('immediate'); imm = true; done(); });
  });
}

async function seq(label, w) {
  for (const size of SIZES) console.log(await probe(label, w, size));
}

function netCase() {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => { s.resume(); s.on('end', () => s.end()); });
    srv.listen(0, '127.0.0.1', () => {
      const c = net.connect(srv.address().port, '127.0.0.1', async () => {
        console.log('net hwm', c.writableHighWaterMark);
        await seq('net', c);
        c.end();
        c.on('close', () => srv.close(resolve));
        c.resume();
      });
    });
  });
}

function resCase() {
  return new Promise((resolve) => {
    const srv = http.createServer(async (req, res) => {
      res.sendDate = false;
      await seq('res', res);
      res.end();
    });
    srv.listen(0, '127.0.0.1', () => {
      http.get({ port: srv.address().port, host: '127.0.0.1', agent: false }, (res) => {
        let n = 0;
        res.on('data', (d) => { n += d.length; });
        res.on('end', () => { console.log('res body', n); srv.close(resolve); });
      });
    });
  });
}

function reqCase() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      let n = 0;
      req.on('data', (d) => { n += d.length; });
      req.on('end', () => { res.end(String(n)); });
    });
    srv.listen(0, '127.0.0.1', () => {
      const req = http.request({ port: srv.address().port, host: '127.0.0.1', method: 'POST', agent: false }, (res) => {
        let b = '';
        res.on('data', (d) => { b += d; });
        res.on('end', () => { console.log('req body', b); srv.close(resolve); });
      });
      req.on('socket', (s) => s.on('connect', async () => {
        await seq('req', req);
        req.end();
      }));
    });
  });
}

// Two 10 KiB writes in one tick: the second one passes the mark.
function sameTickCase() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      res.sendDate = false;
      const a = res.write(Buffer.alloc(10240, 99));
      const la = res.writableLength;
      const b = res.write(Buffer.alloc(10240, 99));
      const lb = res.writableLength;
      const ev = [];
      res.once('drain', () => { ev.push('drain'); });
      process.nextTick(() => ev.push('tick'));
      setImmediate(() => {
        console.log('same tick', a, la, b, lb, res.writableNeedDrain, ev.join(','));
        res.end();
      });
    });
    srv.listen(0, '127.0.0.1', () => {
      http.get({ port: srv.address().port, host: '127.0.0.1', agent: false }, (res) => {
        let n = 0;
        res.on('data', (d) => { n += d.length; });
        res.on('end', () => { console.log('same tick body', n); srv.close(resolve); });
      });
    });
  });
}

function pipeCase(withLength) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drain-')), 'big.bin');
  fs.writeFileSync(file, Buffer.alloc(1 << 20, 98));
  return new Promise((resolve) => {
    // A keep-alive client, so that it does not close the connection as
    // soon as it has the whole body, before the server's 'finish'.
    const agent = new http.Agent({ keepAlive: true });
    const lines = [];
    const both = (line) => {
      lines.push(line);
      if (lines.length < 2) return;
      lines.sort();
      for (const l of lines) console.log(l);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      agent.destroy();
      srv.close(resolve);
    };
    const srv = http.createServer((req, res) => {
      if (withLength) res.setHeader('Content-Length', 1 << 20);
      const src = fs.createReadStream(file);
      let pauses = 0, resumes = 0, chunks = 0, falses = 0;
      src.on('pause', () => pauses++);
      src.on('resume', () => resumes++);
      src.on('data', () => chunks++);
      const write = res.write;
      res.write = function (...args) { const r = write.apply(this, args); if (!r) falses++; return r; };
      // The server's 'finish' and the client's 'end' may come in either
      // order: both are printed once both happened.
      res.on('finish', () => both('pipe ' + (withLength ? 'length' : 'chunked') + ' chunks ' + chunks + ' false returns ' + falses + ' pauses ' + pauses + ' resumes ' + resumes));
      src.pipe(res);
    });
    srv.listen(0, '127.0.0.1', () => {
      http.get({ port: srv.address().port, host: '127.0.0.1', agent }, (res) => {
        let n = 0;
        res.on('data', (d) => { n += d.length; });
        res.on('end', () => both('pipe body ' + n));
      });
    });
  });
}

(async () => {
  await netCase();
  await resCase();
  await reqCase();
  await sameTickCase();
  await pipeCase(false);
  await pipeCase(true);
})();
