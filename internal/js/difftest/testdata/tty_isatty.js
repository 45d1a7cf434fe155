// tty.isatty on piped stdio; process streams report isTTY false.
const tty = require('tty');
console.log(tty.isatty(0), tty.isatty(1), tty.isatty(2), tty.isatty(99), typeof tty.WriteStream);
console.log(process.stdout.isTTY === true, process.stderr.isTTY === true);
