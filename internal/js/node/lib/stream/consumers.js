'use strict';
// stream/consumers: read a whole stream (Node stream, web ReadableStream
// or any async iterable) into one value.

const { Buffer, Blob } = require('buffer');

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function blob(stream) {
  return new Blob(await collect(stream));
}

async function arrayBuffer(stream) {
  const b = await blob(stream);
  return b.arrayBuffer();
}

async function buffer(stream) {
  return Buffer.from(await arrayBuffer(stream));
}

async function text(stream) {
  // Decode incrementally so a multi-byte character split across chunks
  // comes out whole; string chunks (setEncoding) pass through.
  const dec = new TextDecoder();
  let out = '';
  for await (const chunk of stream) {
    out += typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
  }
  return out + dec.decode();
}

async function json(stream) {
  return JSON.parse(await text(stream));
}

module.exports = { arrayBuffer, blob, buffer, text, json };
