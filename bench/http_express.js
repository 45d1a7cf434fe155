'use strict';
// Express 4 server for bench/http.sh: a JSON route (/json) and a static
// file (/static/page.html, express.static). PORT from the environment;
// express is resolved from the directory bench/http.sh installed it into.
const path = require('path');
const express = require(require.resolve('express', { paths: [process.env.BENCH_DEPS || process.cwd()] }));
const app = express();
const payload = { message: 'hello world', items: [1, 2, 3], nested: { ok: true, at: '2026-01-01T00:00:00Z' } };
app.get('/json', (req, res) => {
  res.json(payload);
});
app.use('/static', express.static(process.env.STATIC_DIR || path.join(__dirname, 'fixtures')));
app.listen(+process.env.PORT, '127.0.0.1');
