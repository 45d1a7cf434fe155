'use strict';
// percall.js runs per-call benchmark cases and prints "name<TAB>µs" (CPU
// time per call, user + system) for each case named on the command line,
// or for all of them; bench/runtime/ab.py drives files that use it.
// A case is { n, fn } for a synchronous call, or { n, run(done) } for one
// that finishes through done(err).

function cpu() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function measure(c) {
  if (c.fn) {
    const fn = c.fn;
    for (let i = 0; i < c.n / 10; i++) fn(); // warm-up
    const t0 = cpu();
    for (let i = 0; i < c.n; i++) fn();
    return (cpu() - t0) / c.n;
  }
  const one = () => new Promise((resolve, reject) => c.run((err) => (err ? reject(err) : resolve())));
  for (let i = 0; i < c.n / 10; i++) await one();
  const t0 = cpu();
  for (let i = 0; i < c.n; i++) await one();
  return (cpu() - t0) / c.n;
}

module.exports = async function runCases(cases, argv = process.argv.slice(2)) {
  const names = argv.length > 0 ? argv : Object.keys(cases);
  for (const name of names) {
    if (!cases[name]) throw new Error(`no case ${name}`);
    console.log(`${name}\t${(await measure(cases[name])).toFixed(3)}`);
  }
};
