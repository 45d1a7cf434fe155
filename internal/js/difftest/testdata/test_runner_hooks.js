// node:test: hook order across nested suites and test contexts, skipped
// suites, a failing before hook, and errors thrown asynchronously or
// rejections left unhandled while a test runs (they fail that test), and
// describe bodies that declare tests after an await.
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

const { test, describe, it, before, after, beforeEach, afterEach } = require('node:test');
const log = [];
test('async throw', (t, done) => { setTimeout(() => { throw new Error('late'); }, 1); setTimeout(done, 20); });
test('unhandled rejection', async () => { Promise.reject(new Error('rej')); await new Promise((r) => setTimeout(r, 20)); });
test('next', () => {});
describe.skip('skipped suite', () => { log.push('never'); it('inner', () => {}); });
describe('hooks order', () => {
  before(() => log.push('before'));
  beforeEach(() => log.push('bE outer'));
  afterEach(() => log.push('aE outer'));
  after(() => log.push('after'));
  describe('inner', () => {
    before(() => log.push('inner before'));
    beforeEach(() => log.push('bE inner'));
    afterEach(() => log.push('aE inner'));
    after(() => log.push('inner after'));
    it('x', () => log.push('x'));
    it('y', () => log.push('y'));
  });
  it('z', () => log.push('z'));
});
test('context hooks', async (t) => {
  t.beforeEach((t) => log.push('bE ' + t.name));
  t.afterEach(() => log.push('aE'));
  t.after(() => log.push('t.after'));
  await t.test('a', () => log.push('a'));
  await t.test('b', () => log.push('b'));
});
test('returns a value', () => 5);
test(function namedFunction() {});
describe('suite with failing before', () => {
  before(() => { throw new Error('before broke'); });
  it('a1', () => {});
  it('a2', () => {});
});
describe.only('only suite', () => { it('o', () => {}); });
describe('async body', async () => {
  const v = await Promise.resolve(3);
  it('declared after an await', () => { if (v !== 3) throw new Error('v'); });
  describe('nested async', async () => {
    await null;
    it('deep after await', () => {});
  });
});
test('after the async suite', () => {});
process.on('exit', (code) => {
  console.log(log.join(','));
  console.log('exit code', code);
});
