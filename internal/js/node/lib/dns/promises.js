'use strict';
// dns/promises is the object dns.promises returns (the same one, as in Node).

module.exports = require('dns').promises;
