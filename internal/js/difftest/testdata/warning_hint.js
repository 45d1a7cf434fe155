// The hint under the first warning names --trace-deprecation when that
// warning is a DeprecationWarning and --trace-warnings otherwise; it is
// printed once per process.
const cases = [
  'process.emitWarning("old", "DeprecationWarning", "DEP0001"); process.emitWarning("plain")',
  'process.emitWarning("plain"); process.emitWarning("old", "DeprecationWarning", "DEP0002")',
  'process.emitWarning("exp", "ExperimentalWarning")',
];
for (const code of cases) {
  const r = require('child_process').spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  console.log(r.stderr.replace(/\(node:\d+\)/g, '(node:PID)').trimEnd());
  console.log('--');
}
