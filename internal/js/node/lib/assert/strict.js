'use strict';
// assert/strict: assert in strict mode (equal is strictEqual, ...).
module.exports = require('assert').strict;
