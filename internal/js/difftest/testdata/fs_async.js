// Callback and promise fs APIs.
const fs = require('fs');
const fsp = require('fs/promises');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gnode-fsa-'));
const f = path.join(dir, 'a.txt');
fs.writeFile(f, 'callback data', (err) => {
  console.log('writeFile', err);
  fs.readFile(f, 'utf8', (err, s) => {
    console.log('readFile', err, s);
    fs.stat(f, (err, st) => {
      console.log('stat', err, st.size);
      fs.readFile(path.join(dir, 'nope'), (err) => {
        console.log('missing', err.code, err.syscall);
        promises().then(() => console.log('all done'));
      });
    });
  });
});
async function promises() {
  await fsp.writeFile(path.join(dir, 'p.txt'), 'promise data');
  console.log(await fsp.readFile(path.join(dir, 'p.txt'), 'utf8'));
  const h = await fsp.open(path.join(dir, 'p.txt'), 'r');
  const { bytesRead } = await h.read(new Uint8Array(7), 0, 7, 0);
  console.log('filehandle read', bytesRead, typeof h.fd);
  await h.close();
  console.log((await fsp.readdir(dir)).sort().join(','));
  await fsp.mkdir(path.join(dir, 'm/n'), { recursive: true });
  console.log((await fsp.stat(path.join(dir, 'm/n'))).isDirectory());
  try {
    await fsp.access(path.join(dir, 'zzz'));
  } catch (e) {
    console.log('access', e.code);
  }
  await fsp.rm(dir, { recursive: true });
}
