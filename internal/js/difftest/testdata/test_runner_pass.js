// node:test: an all-passing file (exit code 0) using ES-module-like
// patterns of package test suites: describe/it with async hooks.
let pending = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  pending += String(chunk);
  const lines = pending.split('\n');
  pending = lines.pop();
  const out = lines.map((l) => l.replace(/duration_ms:? [\d.e+-]+/, 'duration_ms *') + '\n').join('');
  return out ? write(out, ...rest) : true;
};

const { describe, it, before, afterEach } = require('node:test');
const assert = require('node:assert/strict');

describe('math', () => {
  let base;
  before(async () => { base = await Promise.resolve(10); });
  afterEach(() => {});
  it('adds', () => assert.equal(base + 1, 11));
  it('multiplies', async () => assert.equal(base * 2, 20));
  describe('division', () => {
    it('divides', () => assert.equal(base / 2, 5));
    it('by zero', () => assert.equal(base / 0, Infinity));
  });
});
it('top-level it', () => {});
