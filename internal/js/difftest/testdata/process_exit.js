// process.exit stops at once; finally blocks do not run.
process.on('exit', (c) => console.log('exiting with', c));
setTimeout(() => console.log('timer never runs'), 0);
try {
  console.log('before');
  process.exit(5);
} finally {
  console.log('finally must not run');
}
console.log('after exit must not run');
