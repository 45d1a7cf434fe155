// An exception thrown by the uncaughtException handler ends with code 7.
process.on('exit', (c) => console.log('exit', c));
process.on('uncaughtException', () => {
  console.log('handler runs');
  throw new Error('handler failed');
});
setTimeout(() => { throw new Error('first'); }, 1);
