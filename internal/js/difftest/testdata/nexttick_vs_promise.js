// nextTick queue drains before promise jobs, at every level.
async function f() {
  console.log('f start');
  await null;
  console.log('after await 1');
  await new Promise((r) => setTimeout(r, 1));
  console.log('after timer await');
  process.nextTick(() => console.log('tick in async'));
  await null;
  console.log('after await 3');
}
f().then(() => console.log('f done'));
process.nextTick(() => console.log('tick A'));
Promise.resolve().then(() => console.log('promise A'));
process.nextTick(() => console.log('tick B'));
console.log('sync end');
