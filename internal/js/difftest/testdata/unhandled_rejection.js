// Unhandled rejections: the handler, and late handling.
process.on('unhandledRejection', (reason, p) => {
  console.log('unhandled', reason instanceof Error ? reason.message : reason, p instanceof Promise);
});
Promise.reject(new Error('nobody catches'));
const p = Promise.reject('handled later');
p.catch((r) => console.log('caught', r));
(async () => { throw new Error('async throw'); })();
