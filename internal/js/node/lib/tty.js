'use strict';
// node:tty: isatty and the ReadStream/WriteStream classes process.stdin,
// stdout and stderr are instances of when attached to a terminal. gnode's
// stdio streams are built in process.js; these classes exist for
// `instanceof` checks and for packages (debug, chalk, supports-color) that
// only ask whether a descriptor is a terminal.

const binding = internalBinding('process');

function isatty(fd) {
  return Number.isInteger(fd) && fd >= 0 && fd <= 2 && binding.isatty(fd);
}

function ReadStream(fd) {
  if (!(this instanceof ReadStream)) return new ReadStream(fd);
  this.fd = fd;
  this.isRaw = false;
  this.isTTY = true;
}
ReadStream.prototype.setRawMode = function setRawMode(flag) {
  this.isRaw = !!flag;
  return this;
};

function WriteStream(fd) {
  if (!(this instanceof WriteStream)) return new WriteStream(fd);
  this.fd = fd;
  this.isTTY = true;
  const size = binding.termSize(fd);
  this.columns = size ? size[0] : 80;
  this.rows = size ? size[1] : 24;
}
WriteStream.prototype.getWindowSize = function getWindowSize() {
  return binding.termSize(this.fd) || [this.columns, this.rows];
};
WriteStream.prototype.getColorDepth = function getColorDepth(env = process.env) {
  return process.stdout.getColorDepth.call(this, env);
};
WriteStream.prototype.hasColors = function hasColors(count, env) {
  return process.stdout.hasColors.call(this, count, env);
};

module.exports = { isatty, ReadStream, WriteStream };
