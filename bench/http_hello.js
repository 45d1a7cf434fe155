'use strict';
// Hello world server for bench/http.sh: PORT from the environment.
const http = require('http');
const server = http.createServer((req, res) => {
  res.end('hello world');
});
// The idle case holds connections open longer than the default 5 s.
if (process.env.KEEPALIVE_MS) server.keepAliveTimeout = +process.env.KEEPALIVE_MS;
server.listen(+process.env.PORT, '127.0.0.1');
