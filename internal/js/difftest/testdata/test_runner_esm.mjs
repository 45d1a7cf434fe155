// node:test imported as an ES module (default and named exports, and
// node:test/reporters), as packages' own .mjs suites do.
let pending = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  pending += String(chunk);
  const lines = pending.split('\n');
  pending = lines.pop();
  const out = lines.map((l) => l.replace(/duration_ms:? [\d.e+-]+/, 'duration_ms *') + '\n').join('');
  return out ? write(out, ...rest) : true;
};

const { default: test, describe, it, mock } = await import('node:test');
const reporters = await import('node:test/reporters');
const assert = (await import('node:assert')).default;

console.log(typeof test, typeof test.test, typeof reporters.tap, typeof reporters.spec, typeof reporters.dot);
describe('esm suite', () => {
  it('has mock', () => assert.strictEqual(typeof mock.fn, 'function'));
  it('awaits', async () => assert.strictEqual(await Promise.resolve(3), 3));
});
test('top level', () => {});
