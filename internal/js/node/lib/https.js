'use strict';
// https: the http server and client over tls (Go's crypto/tls). An
// https.Server is a tls.Server running the http connection handling on
// 'secureConnection'; the client is http's ClientRequest with an Agent
// whose connections are tls.connect sockets.

const tls = require('tls');
const http = require('http');
const { Agent: HttpAgent } = require('_http_agent');
const { ClientRequest } = require('_http_client');
const { Server: HttpServer, _connectionListener, initServer } = require('_http_server');
const { URL, urlToHttpOptions } = require('url');

class Server extends tls.Server {
  constructor(options, requestListener) {
    if (typeof options === 'function') {
      requestListener = options;
      options = {};
    } else if (options == null) {
      options = {};
    }
    super({ ALPNProtocols: ['http/1.1'], ...options, allowHalfOpen: true });
    initServer(this, options, requestListener);
    this.on('secureConnection', _connectionListener);
  }
}
for (const name of ['setTimeout', 'close', 'closeAllConnections', 'closeIdleConnections', '_sweepIdle']) {
  Server.prototype[name] = HttpServer.prototype[name];
}
Server.prototype._netClose = require('net').Server.prototype.close;

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

class Agent extends HttpAgent {
  constructor(options) {
    super(options);
    this.defaultPort = 443;
    this.protocol = 'https:';
  }

  createConnection(options) {
    return tls.connect(options);
  }

  getName(options = {}) {
    let name = super.getName(options);
    name += ':';
    if (options.ca) name += options.ca;
    name += ':';
    if (options.rejectUnauthorized !== undefined) name += options.rejectUnauthorized;
    name += ':';
    if (options.servername && options.servername !== options.host) name += options.servername;
    return name;
  }
}

const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

function request(...args) {
  let options = {};
  if (typeof args[0] === 'string') {
    options = urlToHttpOptions(new URL(args.shift()));
  } else if (args[0] instanceof URL) {
    options = urlToHttpOptions(args.shift());
  }
  if (args[0] && typeof args[0] !== 'function') Object.assign(options, args.shift());
  options._defaultAgent = module.exports.globalAgent;
  return new ClientRequest(options, args[0]);
}

function get(...args) {
  const req = request(...args);
  req.end();
  return req;
}

module.exports = {
  Agent,
  globalAgent,
  Server,
  createServer,
  get,
  request,
};
void http;
