'use strict';
// _stream_transform: the legacy id of stream.Transform, kept because old packages
// (readable-stream users, through2) still require it directly.

module.exports = require('stream').Transform;
