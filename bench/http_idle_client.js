'use strict';
// http_idle_client.js PORT COUNT: opens COUNT keep-alive connections to
// 127.0.0.1:PORT, sends one GET on each and reads its response, then prints
// "ready N" (N connections answered) and holds them open until killed.
// bench/http.sh measures the server's RSS while they sit idle.
const net = require('net');
const port = +process.argv[2];
const count = +process.argv[3] || 10000;
const socks = [];
let answered = 0, failed = 0, started = 0;
function open() {
  // At most 500 connections in flight, so the listen backlog never overflows.
  while (started < count && started - answered - failed < 500) {
    started++;
    const s = net.connect(port, '127.0.0.1');
    let got = false;
    s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    s.on('data', () => {
      if (got) return;
      got = true;
      answered++;
      done();
    });
    s.on('error', () => { if (!got) { got = true; failed++; done(); } });
    socks.push(s);
  }
}
function done() {
  if (answered + failed === count) {
    console.log(`ready ${answered} ${failed}`);
    return;
  }
  open();
}
open();
