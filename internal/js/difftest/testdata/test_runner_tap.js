// node:test with the default reporter on a pipe (TAP): results, nesting,
// skip/todo, hooks, failures' YAML, summary counts and the exit code.
// Durations and stack frames legitimately differ: they are masked.
let pending = '';
const write = process.stdout.write.bind(process.stdout);
let stackIndent = -1;
process.stdout.write = (chunk, ...rest) => {
  pending += String(chunk);
  const lines = pending.split('\n');
  pending = lines.pop();
  let out = '';
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (stackIndent >= 0 && indent > stackIndent) continue;
    stackIndent = -1;
    if (/^\s*stack: \|-$/.test(line)) { stackIndent = indent; continue; }
    out += line.replace(/duration_ms:? [\d.e+-]+/, 'duration_ms *') + '\n';
  }
  return out ? write(out, ...rest) : true;
};

const test = require('node:test');
const { describe, it, before, after, beforeEach, afterEach, mock } = test;
const assert = require('assert');
const log = [];

test('sync pass', () => { assert.strictEqual(1, 1); });
test('async pass', async () => { await new Promise((r) => setTimeout(r, 5)); });
test('fails', () => { assert.strictEqual(1, 2); });
test('skipped', { skip: true }, () => {});
test('skip reason', { skip: 'not now' }, () => {});
test('todo', { todo: true }, () => {});
test('todo that fails', { todo: 'later' }, () => { throw new Error('x'); });
test('with subtests', async (t) => {
  await t.test('sub 1', () => {});
  await t.test('sub 2', (t) => { t.skip('meh'); });
  await t.test('sub #3 \\ escaped', () => {});
  t.diagnostic('a note');
});
describe('suite', () => {
  before(() => log.push('before'));
  beforeEach((t) => log.push('beforeEach ' + t.name));
  afterEach(() => log.push('afterEach'));
  after(() => log.push('after'));
  it('one', () => {});
  it('two', () => { throw new TypeError('boom'); });
  it.skip('three', () => {});
  it.todo('four');
  describe('nested', () => { it('deep', () => {}); });
});
test('callback style', (t, done) => { setTimeout(done, 1); });
test('callback error', (t, done) => { setTimeout(() => done(new Error('cb failed')), 1); });
test('done and promise', async (t, done) => { done(); });
test('throws a string', () => { throw 'just a string'; });
test('deep equal', () => { assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }); });
test('rejects', async () => { throw new RangeError('async bad'); });
test('hook fails', async (t) => {
  t.beforeEach(() => { throw new Error('hook!'); });
  await t.test('inner', () => {});
});
test('unawaited subtests are cancelled', (t) => {
  t.test('child', async () => { await new Promise((r) => setTimeout(r, 10)); });
});
test('timeout', { timeout: 20 }, async () => { await new Promise((r) => setTimeout(r, 200)); });
test('plan', (t) => { t.plan(2); t.assert.ok(true); t.assert.strictEqual(1, 1); });
test('mock.fn', () => {
  const f = mock.fn((a) => a * 2);
  f(2); f(3);
  assert.strictEqual(f.mock.callCount(), 2);
  assert.deepStrictEqual(f.mock.calls[1].arguments, [3]);
  assert.strictEqual(f.mock.calls[0].result, 4);
});
test('mock.method', (t) => {
  const obj = { add(a, b) { return a + b; } };
  t.mock.method(obj, 'add', () => 42);
  assert.strictEqual(obj.add(1, 2), 42);
  assert.strictEqual(obj.add.mock.calls.length, 1);
});
test('context', (t) => {
  assert.strictEqual(t.name, 'context');
  assert.ok(t.signal instanceof AbortSignal);
});
process.on('exit', (code) => {
  console.log(log.join('\n'));
  console.log('exit code', code);
});
