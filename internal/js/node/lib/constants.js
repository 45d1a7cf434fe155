'use strict';
// constants: the deprecated flat merge of os.constants (dlopen, errno,
// priority, signals), fs.constants and crypto.constants. Later sources win
// on a name clash, in that order, as in Node.

const os = require('os');
const fs = require('fs');

let cryptoConstants = {};
try {
  // crypto may be partial in gnode; a missing crypto must not break
  // packages that only want errno or signal numbers.
  cryptoConstants = require('crypto').constants || {};
} catch {
  cryptoConstants = {};
}

const oc = os.constants || {};
module.exports = Object.freeze(Object.assign({}, oc.dlopen, oc.errno, oc.priority, oc.signals,
  fs.constants, cryptoConstants));
