'use strict';
// node:stream/web: the WHATWG streams classes.

const rs = require('internal/webstreams/readablestream');
const ws = require('internal/webstreams/writablestream');
const ts = require('internal/webstreams/transformstream');

function notSupported(name) {
  return class {
    constructor() {
      throw new Error(`${name} is not supported by gnode`);
    }
  };
}

module.exports = {
  ReadableStream: rs.ReadableStream,
  ReadableStreamDefaultReader: rs.ReadableStreamDefaultReader,
  ReadableStreamBYOBReader: notSupported('ReadableStreamBYOBReader'),
  ReadableStreamBYOBRequest: notSupported('ReadableStreamBYOBRequest'),
  ReadableByteStreamController: notSupported('ReadableByteStreamController'),
  ReadableStreamDefaultController: rs.ReadableStreamDefaultController,
  TransformStream: ts.TransformStream,
  TransformStreamDefaultController: ts.TransformStreamDefaultController,
  WritableStream: ws.WritableStream,
  WritableStreamDefaultWriter: ws.WritableStreamDefaultWriter,
  WritableStreamDefaultController: ws.WritableStreamDefaultController,
  ByteLengthQueuingStrategy: ts.ByteLengthQueuingStrategy,
  CountQueuingStrategy: ts.CountQueuingStrategy,
  TextEncoderStream: ts.TextEncoderStream,
  TextDecoderStream: ts.TextDecoderStream,
  CompressionStream: notSupported('CompressionStream'),
  DecompressionStream: notSupported('DecompressionStream'),
};
