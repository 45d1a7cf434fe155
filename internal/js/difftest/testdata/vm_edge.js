// node:vm: sandbox edge cases: the global is not the sandbox, Object.keys of the
// global, delete, inherited getters, arrays made inside, no Node globals inside.
const vm = require('vm');
const sb = { a: 1 };
console.log(vm.runInNewContext('this', sb) === sb);
console.log(vm.runInNewContext('Object.keys(globalThis)', { a: 1, b: 2 }));
console.log(vm.runInNewContext('"a" in globalThis && typeof b', { a: 1 }));
const ctx = vm.createContext({ n: 1 });
vm.runInContext('delete n', ctx);
console.log('n' in ctx, Object.keys(ctx));
class Sand { constructor() { this.own = 1; } get g() { return 'getter'; } }
console.log(vm.runInNewContext('own + g', new Sand()));
const c2 = vm.createContext({});
vm.runInContext('var arr = [1,2]; arr.push(3)', c2);
console.log(c2.arr.length, Array.isArray(c2.arr));
console.log(vm.runInNewContext('typeof require + typeof process + typeof Buffer'));
const c3 = vm.createContext({ x: 1 });
vm.runInContext('x = 2; y = 3;', c3);
console.log(JSON.stringify(c3));
