'use strict';
// http: see _http_server.js (server), _http_client.js and _http_agent.js
// (client). Messages are parsed in Go (bindings/tcp.md) and written in
// JavaScript (_http_outgoing.js).

const { METHODS, validateHeaderName, validateHeaderValue } = require('_http_common');
const { IncomingMessage } = require('_http_incoming');
const { OutgoingMessage } = require('_http_outgoing');
const { STATUS_CODES, Server, ServerResponse, createServer, _connectionListener } = require('_http_server');
const agent = require('_http_agent');
const { ClientRequest } = require('_http_client');

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

module.exports = {
  _connectionListener,
  METHODS: METHODS.slice().sort(),
  STATUS_CODES,
  Agent: agent.Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers() {},
  maxHeaderSize: 16384,
};
Object.defineProperty(module.exports, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get() { return agent.globalAgent; },
  set(v) { agent.globalAgent = v; },
});
