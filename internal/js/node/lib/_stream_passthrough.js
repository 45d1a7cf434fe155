'use strict';
// _stream_passthrough: the legacy id of stream.PassThrough, kept because old packages
// (readable-stream users, through2) still require it directly.

module.exports = require('stream').PassThrough;
