'use strict';
// _stream_readable: the legacy id of stream.Readable, kept because old packages
// (readable-stream users, through2) still require it directly.

module.exports = require('stream').Readable;
