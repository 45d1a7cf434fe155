// node-fetch (v2) against a local server (BASE_URL).
const fetch = require('node-fetch');
const base = process.env.BASE_URL;
(async () => {
  let r = await fetch(base + '/json?a=1&b=x%20y', { headers: { 'X-Client': 'node-fetch' } });
  console.log(r.status, r.headers.get('content-type'), JSON.stringify(await r.json()));
  r = await fetch(base + '/echo', { method: 'POST', body: JSON.stringify({ name: 'gnode' }), headers: { 'Content-Type': 'application/json' } });
  console.log(r.status, JSON.stringify(await r.json()));
  r = await fetch(base + '/redirect');
  console.log(r.status, r.redirected, r.url.replace(base, ''), await r.text());
  r = await fetch(base + '/missing');
  console.log(r.status, r.ok, await r.text());
  r = await fetch(base + '/big');
  const buf = await r.buffer();
  console.log('big', buf.length);
  r = await fetch(base + '/gzip');
  console.log('gzip', r.status, await r.text());
})().catch((e) => { console.log('error ' + e.message); process.exit(1); });
