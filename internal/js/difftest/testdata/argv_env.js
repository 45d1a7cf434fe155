// process.argv, env, cwd and friends.
const path = require('path');
console.log(process.argv.length, path.basename(process.argv[1]), process.argv.slice(2).join(','));
console.log(process.env.DIFFTEST, typeof process.env.PATH);
process.env.FOO = 42;
console.log(typeof process.env.FOO, process.env.FOO);
delete process.env.FOO;
console.log(process.env.FOO);
console.log(path.basename(process.cwd()).length > 0, process.platform, typeof process.pid);
console.log(Array.isArray(process.hrtime()), typeof process.hrtime.bigint(), process.uptime() >= 0);
console.log(typeof process.memoryUsage().heapUsed, typeof process.version, process.version.startsWith('v'));
process.chdir('..');
console.log(process.cwd() === path.dirname(process.argv[1]) || true);
