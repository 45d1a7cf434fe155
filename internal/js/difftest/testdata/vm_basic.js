// node:vm: contexts, sandbox globals both ways, Script, timeouts, compileFunction.
const vm=require('vm');
console.log(vm.runInNewContext('typeof console'), vm.runInNewContext('typeof setTimeout'), vm.runInNewContext('this.constructor.name'));
const sb={a:1}; vm.createContext(sb); vm.runInContext('var b=a+1; c=3; function f(){return 1}; this.d=4; let e=5; Object.x=1', sb); console.log(Object.keys(sb).sort(), sb.b, sb.c, sb.d, typeof sb.f, sb.e);
console.log(vm.runInContext('typeof e', sb), vm.isContext(sb), vm.isContext({}));
const s=new vm.Script('a*2',{filename:'my.js'}); console.log(s.runInContext(sb));
sb.a = 10; console.log(s.runInContext(sb), vm.runInContext('b = a + 1; b', sb), sb.b);
try { vm.runInNewContext('\nthrow new Error("x")', {}, {filename:'foo.js'}) } catch(e){ console.log(e instanceof Error, e.message, /foo\.js:2/.test(e.stack)) }
console.log(vm.runInNewContext('Object', {Object: 7}));
try{vm.runInNewContext('while(true){}',{}, {timeout:50})}catch(e){console.log(e.code,e.message, String(e))}
try{vm.runInThisContext('for(;;){}', {timeout:20})}catch(e){console.log(e.code,e.message)}
console.log(Object.keys(vm));
globalThis.gx = 5; console.log(vm.runInThisContext('var rv = gx * 2; rv'), typeof rv);
const fn = vm.compileFunction('return a + b + (typeof c)', ['a','b'], {contextExtensions: [{c: 1}]}); console.log(fn(1,2), fn.length);
const ctx2 = vm.createContext({n: 3}); const f2 = vm.compileFunction('return n * k', ['k'], {parsingContext: ctx2}); console.log(f2(2));
try { new vm.Script('let let = ;', {filename: 'bad.js'}) } catch (e) { console.log(e.name) }
const r = vm.runInNewContext('[1,2,3]'); console.log(r instanceof Array, Array.isArray(r), r.length);
const later = vm.createContext({out: []}); vm.runInContext('setTimeoutLike = function(){ out.push(1); z = 9 }', later); later.setTimeoutLike(); console.log(later.out);
try { vm.runInContext('1', {}) } catch (e) { console.log(e.code) }
const c3 = vm.createContext(); vm.runInContext('globalThis.q = 1; var w = 2', c3); console.log(c3.q, c3.w);
console.log(vm.runInNewContext('x + y', {x: 1, y: 2}), vm.runInNewContext('typeof undefinedThing'));
try { vm.runInNewContext('undefinedThing') } catch (e) { console.log(e.name) }
try { vm.runInNewContext('"use strict"; undeclared = 1', {}) } catch (e) { console.log(e.name) }
