'use strict';
// A response's 'prefinish', 'finish' and 'close' reach the listeners there
// are when each is emitted, whatever other events have listeners: a
// listener of another event only, one added by an earlier event's
// listener, one added after end(), an overridden emit, for a one-write
// end(body) and for write()+end().
const http = require('http');

const cases = [
  ['other event only', (res, log) => { res.on('foo', () => log.push('foo')); }],
  ['close added by finish', (res, log) => {
    res.on('finish', () => { log.push('finish'); res.on('close', () => log.push('close (late)')); });
  }],
  ['prefinish added by a pipe-like listener', (res, log) => {
    res.on('unrelated', () => {});
    res.once('prefinish', () => { log.push('prefinish'); res.on('finish', () => log.push('finish (late)')); });
  }],
  ['close only', (res, log) => { res.on('close', () => log.push('close')); }],
  ['removed again', (res, log) => {
    const f = () => log.push('never');
    res.on('close', f);
    res.on('prefinish', f);
    res.removeListener('close', f);
    res.removeListener('prefinish', f);
  }],
  ['emit overridden', (res, log) => {
    const orig = res.emit;
    res.emit = function (ev, ...a) {
      if (typeof ev === 'string' && ev !== 'socket') log.push('emit ' + ev);
      return orig.call(this, ev, ...a);
    };
  }],
];

const log = [];
let current = null;
const server = http.createServer((req, res) => {
  const [name, setup] = cases[+req.url.slice(2)];
  current = name;
  setup(res, log);
  const late = req.url[1] === 'l';
  if (req.url[1] === 'w') {
    res.setHeader('Content-Length', 5);
    res.write('he');
    res.end('llo');
  } else {
    res.end('hello');
  }
  if (late) res.on('close', () => log.push('close added after end'));
});

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  for (let i = 0; i < cases.length; i++) {
    for (const mode of ['e', 'w', 'l']) {
      log.length = 0;
      await new Promise((resolve) => {
        http.get({ port, host: '127.0.0.1', path: `/${mode}${i}`, agent: false }, (r) => {
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (c) => { body += c; });
          r.on('end', () => setTimeout(() => {
            console.log(current, mode, body, JSON.stringify(log));
            resolve();
          }, 20));
        });
      });
    }
  }
  server.close();
});
