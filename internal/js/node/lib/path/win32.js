'use strict';
// path/win32: the win32 flavour of path.
module.exports = require('path').win32;
