'use strict';
// Argument validators shared by several core modules (node's
// internal/validators keeps the same names).

const { codes: { ERR_SOCKET_BAD_PORT } } = require('internal/errors');

// validatePort returns port (a number, or a string of one) as an integer in
// 0..65535 (1..65535 without allowZero), or throws ERR_SOCKET_BAD_PORT.
function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) {
    throw new ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return port | 0;
}

module.exports = { validatePort };
