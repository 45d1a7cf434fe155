'use strict';
// AsyncLocalStorage stores through net and http events: a socket's events
// (connect, data, end, close, write callbacks) run in the store that was
// current when it connected, a server's connections and requests in the
// store current at listen(), an http client's response events in the
// store around http.request/get. Each step runs after the previous one
// ended; within a step the lines are sorted (which side's event comes
// first is not the point) and each kind is logged once (chunking differs).
const { AsyncLocalStorage } = require('async_hooks');
const net = require('net');
const http = require('http');

const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();
let lines = new Set();
const log = (k) => lines.add(`${k}: ${String(als.getStore())}/${String(other.getStore())}`);
function flush(title) {
  console.log(`-- ${title}`);
  for (const l of [...lines].sort()) console.log(l);
  lines = new Set();
}

// Each step starts from an immediate queued outside both stores (an
// immediate runs in the store it was queued in).
const steps = [];
function next() {
  als.exit(() => other.exit(() => setImmediate(() => {
    const step = steps.shift();
    if (step) step();
  })));
}

// A net server listening outside any store, a client inside one.
steps.push(() => {
  let waiting = 2;
  const done = () => { if (--waiting === 0) srv.close(() => { flush('net client in a store'); next(); }); };
  const srv = net.createServer((s) => {
    log('server connection');
    s.on('data', (d) => { log('server data'); s.end(d.toString().toUpperCase()); });
    s.on('end', () => log('server end'));
    s.on('close', () => { log('server close'); done(); });
  });
  srv.listen(0, '127.0.0.1', () => {
    als.run('client', () => {
      const c = net.connect(srv.address().port, '127.0.0.1', () => {
        log('client connect');
        c.write('hello', () => log('client write cb'));
      });
      c.on('data', () => log('client data'));
      c.on('end', () => log('client end'));
      c.on('close', () => { log('client close'); done(); });
    });
  });
});

// A net server listening inside a store (nested in a second one), a
// client outside both.
steps.push(() => {
  let waiting = 2;
  const serverDone = () => { if (--waiting === 0) { flush('net server in a store'); next(); } };
  als.run('server', () => other.run('inner', () => {
    const srv = net.createServer((s) => {
      log('server connection');
      s.on('data', () => { log('server data'); s.end('bye'); });
      s.on('close', () => {
        log('server close');
        process.nextTick(() => log('server tick'));
        setImmediate(() => { log('server immediate'); serverDone(); });
      });
    });
    srv.listen(0, '127.0.0.1', () => {
      log('server listening');
      const port = srv.address().port;
      als.exit(() => other.exit(() => {
        const c = net.connect(port, '127.0.0.1', () => { log('client connect'); c.write('x'); });
        c.on('data', () => log('client data'));
        c.on('close', () => { log('client close'); srv.close(serverDone); });
      }));
    });
  }));
});

// An http server listening inside a store, an http client inside another:
// the handler, the request body's events and the response's 'finish' see
// the server's; the response callback and its body's events see the
// client's.
steps.push(() => {
  als.run('srv', () => {
    const srv = http.createServer((req, res) => {
      log('request ' + req.method);
      req.on('data', () => log('request data'));
      req.on('end', () => {
        log('request end');
        setTimeout(() => { log('handler timeout'); res.end('ok ' + req.url); }, 1);
      });
      res.on('finish', () => log('response finish'));
      res.on('close', () => log('response close'));
    });
    srv.listen(0, '127.0.0.1', () => {
      const port = srv.address().port;
      als.run('cli', () => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/p', agent: false }, (res) => {
          log('response ' + res.statusCode);
          res.setEncoding('utf8');
          res.on('data', () => log('response data'));
          res.on('end', () => {
            log('response end');
            als.exit(() => srv.close(() => { flush('http'); next(); }));
          });
        });
        req.on('finish', () => log('client request finish'));
        req.on('socket', () => log('client request socket'));
        req.end('body');
      });
    });
  });
});

// http.get and a keep-alive agent: each request's callbacks see the store
// it was made in, also when the second one reuses the first's socket.
steps.push(() => {
  const srv = http.createServer((req, res) => { log('handler ' + req.url); res.end('x'); });
  srv.listen(0, '127.0.0.1', () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const port = srv.address().port;
    als.run('first', () => {
      http.get({ port, host: '127.0.0.1', path: '/1', agent }, (res) => {
        log('get /1 response');
        res.resume();
        res.on('end', () => {
          log('get /1 end');
          als.run('second', () => {
            http.get({ port, host: '127.0.0.1', path: '/2', agent }, (res2) => {
              log('get /2 response');
              res2.resume();
              res2.on('end', () => {
                agent.destroy();
                srv.close(() => { flush('http.get'); next(); });
              });
            });
          });
        });
      });
    });
  });
});

// Without any store: undefined everywhere.
steps.push(() => {
  const srv = http.createServer((req, res) => { log('handler'); res.end('x'); });
  srv.listen(0, '127.0.0.1', () => {
    http.get({ port: srv.address().port, host: '127.0.0.1', agent: false }, (res) => {
      log('response');
      res.resume();
      res.on('end', () => srv.close(() => { flush('no store'); next(); }));
    });
  });
});

next();
