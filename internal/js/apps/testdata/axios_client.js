// axios against a local server (BASE_URL): GET JSON, POST JSON, headers, 404, redirect, timeout-free query params.
const axios = require('axios');
const base = process.env.BASE_URL;
const show = (r) => JSON.stringify({ status: r.status, type: r.headers['content-type'], data: r.data });
(async () => {
  const c = axios.create({ baseURL: base, headers: { 'X-Client': 'axios' } });
  console.log(show(await c.get('/json', { params: { a: 1, b: 'x y' } })));
  console.log(show(await c.post('/echo', { name: 'gnode', list: [1, 2] })));
  console.log(show(await c.get('/redirect')));
  try { await c.get('/missing'); } catch (e) { console.log('error ' + e.response.status + ' ' + JSON.stringify(e.response.data)); }
  const t = await c.get('/text', { responseType: 'text' });
  console.log(show(t));
  const big = await c.get('/big', { responseType: 'arraybuffer' });
  console.log('big ' + big.data.length + ' ' + (big.data instanceof Buffer));
})().catch((e) => { console.log('error ' + e.message); process.exit(1); });
