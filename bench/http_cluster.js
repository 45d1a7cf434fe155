'use strict';
// node's cluster module serving bench/http_hello.js from WORKERS processes
// (default 2): the comparison point for `gnode run --workers N`.
const cluster = require('cluster');
if (cluster.isPrimary) {
  const n = +process.env.WORKERS || 2;
  for (let i = 0; i < n; i++) cluster.fork();
} else {
  require('./http_hello.js');
}
