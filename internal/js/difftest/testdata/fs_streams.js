// fs.createReadStream / createWriteStream over lib/stream.js.
const fs = require('fs');
const path = require('path');
const os = require('os');
const { pipeline } = require('stream/promises');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-'));
const f = path.join(dir, 'out.txt');
const ws = fs.createWriteStream(f);
for (let i = 0; i < 1000; i++) ws.write(`line ${i}\n`);
ws.end('last\n', async () => {
  console.log('written', fs.statSync(f).size, ws.bytesWritten);
  const read = new Promise((resolve) => {
    let n = 0;
    fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 1024 })
      .on('data', (d) => { n += d.length; })
      .on('end', () => console.log('read', n))
      .on('close', resolve);
  });
  await read;
  console.log('closed');
  await pipeline(fs.createReadStream(f, { start: 0, end: 9 }), fs.createWriteStream(f + '.copy'));
  console.log('piped', JSON.stringify(fs.readFileSync(f + '.copy', 'utf8')));
  fs.rmSync(dir, { recursive: true });
});
