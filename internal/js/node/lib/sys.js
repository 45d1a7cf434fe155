'use strict';
// sys: the long-deprecated alias of util; some old packages still load it.
// Node warns once (DEP0025) when it is first loaded.

process.emitWarning('sys is deprecated. Use util instead.', 'DeprecationWarning', 'DEP0025');

module.exports = require('util');
