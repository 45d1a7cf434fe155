'use strict';
// _stream_duplex: the legacy id of stream.Duplex, kept because old packages
// (readable-stream users, through2) still require it directly.

module.exports = require('stream').Duplex;
