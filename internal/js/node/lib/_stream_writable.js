'use strict';
// _stream_writable: the legacy id of stream.Writable, kept because old packages
// (readable-stream users, through2) still require it directly.

module.exports = require('stream').Writable;
