// Without a handler an unhandled rejection is fatal (exit 1).
process.on('exit', (c) => console.log('exit', c));
console.log('start');
Promise.reject(new Error('fatal rejection'));
setTimeout(() => console.log('never'), 10);
