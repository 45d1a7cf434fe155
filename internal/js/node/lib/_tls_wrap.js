'use strict';
// _tls_wrap: Node's legacy module id for the TLS socket and server. They
// are tls.js's (Go's crypto/tls under a net.Socket).

const { TLSSocket, Server, createServer, connect } = require('tls');

module.exports = {
  TLSSocket,
  Server,
  createServer,
  connect,
};
