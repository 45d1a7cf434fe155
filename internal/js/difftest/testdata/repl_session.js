// node:repl: sessions over streams: prompts, multi-line input, _, errors,
// top-level await, commands, custom eval and ignoreUndefined.
const repl = require('repl');
const { PassThrough } = require('stream');
function session(lines, opts = {}) {
  return new Promise((resolve) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d) => { out += d; });
    const r = repl.start({ input, output, prompt: '> ', ...opts });
    r.on('exit', () => resolve(out));
    for (const l of lines) input.write(l + '\n');
    input.end();
  });
}
(async () => {
  console.log(JSON.stringify(await session(['1 + 1', 'const x = {a: [1, 2]}', 'x', '_', 'function f() {', 'return 42 }', 'f()',
    'throw new Error("boom")', '"str"', 'undefined', '{a: 1}', '[1, 2,', '3]', 'await Promise.resolve(7)', '_ * 2', '.exit'])));
  console.log(JSON.stringify(await session(['let y = 5', 'y * 2', 'throw 5', 'null', '.nope', '`multi', 'line`'])));
  console.log(JSON.stringify(await session(['undefined', '1'], { ignoreUndefined: true, prompt: '$ ' })));
  const r = await session(['Math.max(1, 2)'], { eval: (cmd, ctx, file, cb) => cb(null, 'custom:' + cmd.trim()) });
  console.log(JSON.stringify(r));
  console.log(typeof repl.REPLServer, typeof repl.start, typeof repl.writer, repl.builtinModules.includes('fs'));
})();
