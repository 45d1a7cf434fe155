const os = require('os');
console.log(os.EOL === '\n', os.platform(), os.type(), typeof os.cpus().length, os.endianness());
console.log(typeof os.totalmem(), typeof os.freemem(), typeof os.hostname(), os.tmpdir().length > 0);
console.log(os.constants.signals.SIGTERM, os.constants.errno.ENOENT, typeof os.userInfo().username);
