// An uncaught exception prints to stderr and exits 1 after 'exit'.
process.on('exit', (c) => console.log('exit', c));
console.log('start');
setTimeout(() => {
  throw new Error('boom');
}, 1);
