// node:vm: what a sandbox object looks like after code ran in its context.
const vm = require('vm');
const sb = { a: 1 };
vm.createContext(sb);
vm.runInContext('var b = a + 1; c = 3; function f() { return 1 } this.d = 4; let e = 5;', sb);
console.log(sb);
console.log(Object.keys(sb));
vm.runInContext('a = 100; b = 200', sb);
console.log(sb.a, sb.b);
sb.g = 'from outside';
console.log(vm.runInContext('g + "!"', sb));
const counter = vm.createContext({ n: 0 });
const inc = vm.runInContext('(function () { n++; return n })', counter);
inc(); inc();
console.log(counter.n);
const s = new vm.Script('count = (typeof count === "number" ? count : 0) + 1');
const ctx = vm.createContext({});
for (let i = 0; i < 3; i++) s.runInContext(ctx);
console.log(ctx.count);
console.log(vm.runInNewContext('JSON.stringify({x: [1, 2]})'));
console.log(vm.runInNewContext('Math.max(a, b)', { a: 3, b: 9 }));
const p = vm.runInNewContext('Promise.resolve(42)');
p.then((v) => console.log('promise from context', v));
const d = vm.runInNewContext('new Date(0)');
console.log(d instanceof Date, typeof d.getTime());
try {
  vm.runInNewContext('throw new TypeError("inner")');
} catch (e) {
  console.log(e instanceof TypeError, e.name, e.message);
}
