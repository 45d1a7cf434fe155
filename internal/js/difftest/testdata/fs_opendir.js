// fs.opendir / opendirSync / promises.opendir.
const fs = require('fs');
const path = require('path');
const os = require('os');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'od-'));
for (const n of ['b', 'a', 'c']) fs.writeFileSync(path.join(dir, n), n);
fs.mkdirSync(path.join(dir, 'sub'));
const d = fs.opendirSync(dir);
const names = [];
let e;
while ((e = d.readSync()) !== null) names.push(`${e.name}:${e.isDirectory()}`);
d.closeSync();
console.log(names.sort().join(','));
(async () => {
  const seen = [];
  for await (const ent of await fs.promises.opendir(dir)) seen.push(ent.name);
  console.log(seen.sort().join(','));
  fs.opendir(dir, (err, d2) => {
    console.log(err, typeof d2.read);
    d2.close(() => fs.rmSync(dir, { recursive: true }));
  });
})();
