package qjs

import "testing"

func TestObjectKeysTable(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	cases := []struct{ name, src, want string }{
		{"small", `({a:1,b:2,c:3,d:4,e:5})`, `["a","b","c","d","e"]`},
		{"empty", `({})`, `[]`},
		{"integers first ascending", `({b:1,2:1,a:1,1:1,0:1})`, `["0","1","2","b","a"]`},
		{"index edge cases", `({'4294967295':1,'4294967294':1,'2147483648':1,'2147483647':1,'-0':1,'01':1,'1e3':1,'7':1})`,
			`["7","2147483647","2147483648","4294967294","4294967295","-0","01","1e3"]`},
		{"symbols skipped", `({[Symbol('s')]:1,x:1,[Symbol.iterator]:1,y:2})`, `["x","y"]`},
		{"non-enumerable skipped", `(()=>{const o={a:1,b:2};Object.defineProperty(o,'c',{value:1,enumerable:false});Object.defineProperty(o,'d',{value:1,enumerable:true});return o})()`, `["a","b","d"]`},
		{"deleted", `(()=>{const o={a:1,b:2,c:3};delete o.b;o.b=4;return o})()`, `["a","c","b"]`},
		{"getter not called", `(()=>{let n=0;const o={get g(){n++;return 1},x:1};const k=Object.keys(o);return n===0?o:null})()`, `["g","x"]`},
		{"null prototype", `(()=>{const o=Object.create(null);o.z=1;o[3]=1;return o})()`, `["3","z"]`},
		{"inherited skipped", `(()=>{const o=Object.create({p:1});o.q=1;return o})()`, `["q"]`},
		{"frozen", `Object.freeze({a:1,1:2})`, `["1","a"]`},
		{"sealed", `Object.seal({b:1,a:2})`, `["b","a"]`},
		{"many keys", `(()=>{const o={};for(let i=0;i<200;i++)o['k'+i]=i;delete o.k5;return Object.keys(o).length===199&&Object.keys(o)[5]==='k6'?{ok:1}:{}})()`, `["ok"]`},
		{"unicode keys", `({'é':1,'日本':2,'\ud800':3})`, `["é","日本","\ud800"]`},
		{"array declines", `[1,,3]`, `["0","2"]`},
		{"typed array declines", `new Uint8Array(3)`, `["0","1","2"]`},
		{"string object declines", `new String('ab')`, `["0","1"]`},
		{"string primitive", `'ab'`, `["0","1"]`},
		{"number primitive", `5`, `[]`},
		{"arguments declines", `(function(){return arguments})(1,2)`, `["0","1"]`},
		{"proxy declines", `new Proxy({a:1},{ownKeys(){return ['b','a']},getOwnPropertyDescriptor(t,k){return {value:1,enumerable:true,configurable:true}}})`, `["b","a"]`},
		{"function declines", `Object.assign(function(){}, {x:1})`, `["x"]`},
		{"class instance", `new (class{constructor(){this.b=1;this.a=2}})`, `["b","a"]`},
		{"private fields skipped", `new (class{#p=1;q=2})`, `["q"]`},
	}
	for _, c := range []struct{ src, want string }{
		{`Object.values({b:1,2:'x',a:null})`, `["x",1,null]`},
		{`Object.entries({b:1,2:'x',a:null})`, `[["2","x"],["b",1],["a",null]]`},
		{`Object.entries(Object.defineProperty({a:1},'h',{value:2}))`, `[["a",1]]`},
		{`Object.values({})`, `[]`},
		{`Object.entries({get a(){return 3}})`, `[["a",3]]`},
	} {
		if got := evalString(t, vm, `JSON.stringify(`+c.src+`)`); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := evalString(t, vm, `JSON.stringify(Object.keys(`+c.src+`))`)
			if got != c.want {
				t.Errorf("Object.keys(%s) = %s, want %s", c.src, got, c.want)
			}
		})
	}
	for _, src := range []string{`Object.keys()`, `Object.keys(null)`, `Object.keys(undefined)`} {
		got := evalString(t, vm, `try { `+src+`; 'no error' } catch (e) { e instanceof TypeError ? 'TypeError' : String(e) }`)
		if got != "TypeError" {
			t.Errorf("%s: %s, want a TypeError", src, got)
		}
	}
	for _, name := range []string{"keys", "values", "entries"} {
		if got := evalString(t, vm, `const d`+name+`=Object.getOwnPropertyDescriptor(Object,'`+name+`');[Object.`+name+`.name,Object.`+name+`.length,d`+name+`.enumerable,d`+name+`.writable,d`+name+`.configurable,typeof Object.`+name+`].join()`); got != name+",1,false,true,true,function" {
			t.Errorf("Object.%s descriptor: %s", name, got)
		}
	}
}

// TestObjectKeysDifferential compares the fast Object.keys with the
// engine's own over thousands of generated objects.
func TestObjectKeysDifferential(t *testing.T) {
	objectKeysFastOn = false
	vm, err := New(Options{})
	objectKeysFastOn = true
	if err != nil {
		t.Fatal(err)
	}
	defer closeVM(t, vm)
	if got := evalString(t, vm, `globalThis.origKeys = Object.keys; globalThis.origValues = Object.values; globalThis.origEntries = Object.entries; 'ok'`); got != "ok" {
		t.Fatal(got)
	}
	vm.replaceObjectKeys()
	if got := evalString(t, vm, `String(Object.keys === origKeys || Object.values === origValues || Object.entries === origEntries)`); got != "false" {
		t.Fatal("fast Object.keys not installed")
	}
	const gen = `
let seed = 12345;
function rnd(n) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 8) % n; }
const names = ['a','b','c','length','__proto__x','toString','0','1','2','10','01','-0','-1','4294967295','4294967294','2147483647','2147483648','1e3','1.5',' 1','9007199254740993','é','\u0100x','\ud83d\ude00','constructor','999999999999'];
const syms = [Symbol('x'), Symbol.for('y'), Symbol.iterator];
function key() {
  switch (rnd(4)) {
  case 0: return names[rnd(names.length)];
  case 1: return String(rnd(3000000000));
  case 2: return 'k' + rnd(300);
  default: return rnd(50);
  }
}
function makeObject(i) {
  let o;
  switch (rnd(14)) {
  case 0: o = Object.create(null); break;
  case 1: o = Object.create({inherited: 1, 5: 1}); break;
  case 2: o = []; for (let j = rnd(10); j > 0; j--) o[rnd(20)] = j; break;
  case 3: o = new Uint8Array(rnd(5)); break;
  case 4: o = new String('x'.repeat(rnd(4))); break;
  case 5: o = (function(){ return arguments })(1, 2, 3); break;
  case 6: {
    const t = {a: 1, b: 2};
    const mode = rnd(4);
    o = new Proxy(t, {
      ownKeys() {
        if (mode === 0) throw new Error('ownKeys trap');
        if (mode === 1) return ['b', 'a', 'z'];
        if (mode === 2) return ['a', 'a'];
        return Reflect.ownKeys(t);
      },
      getOwnPropertyDescriptor(t, k) {
        if (mode === 1 && k === 'z') return undefined;
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
    });
    break;
  }
  case 7: o = function f() {}; break;
  case 8: o = new Map([[1, 2]]); break;
  default: o = {};
  }
  const n = rnd(8) === 0 ? 130 + rnd(100) : rnd(12);
  for (let j = 0; j < n; j++) {
    let k = rnd(10) === 0 ? syms[rnd(syms.length)] : key();
    try {
      switch (rnd(8)) {
      case 0: Object.defineProperty(o, k, {value: j, enumerable: false, configurable: true, writable: true}); break;
      case 1: Object.defineProperty(o, k, {get() { throw new Error('getter called') }, enumerable: rnd(2) === 0, configurable: true}); break;
      case 2: delete o[k]; break;
      default: o[k] = j;
      }
    } catch (e) {}
  }
  if (rnd(10) === 0) { try { for (const k of origKeys(o).slice(0, 3)) delete o[k] } catch (e) {} }
  try {
    switch (rnd(12)) {
    case 0: Object.freeze(o); break;
    case 1: Object.seal(o); break;
    case 2: Object.preventExtensions(o); break;
    }
  } catch (e) {}
  return o;
}
function show(f, o) {
  try { const r = f(o); return (Array.isArray(r) ? 'array ' : 'not array ') + JSON.stringify(r) }
  catch (e) { return 'throws ' + e.constructor.name + ': ' + e.message }
}
const bad = [];
for (let i = 0; i < 5000 && bad.length < 5; i++) {
  const o = makeObject(i);
  for (const [f, g] of [[Object.keys, origKeys], [Object.values, origValues], [Object.entries, origEntries]]) {
    const a = show(f, o), b = show(g, o);
    if (a !== b) bad.push(i + ' ' + f.name + ': fast ' + a + ' engine ' + b);
    const c = show(f, o);
    if (c !== a) bad.push(i + ' ' + f.name + ': second call ' + c);
  }
}
for (const p of [undefined, null, 1, 'str', true, 1n, Symbol('s')]) {
  for (const [f, g] of [[Object.keys, origKeys], [Object.values, origValues], [Object.entries, origEntries]]) {
    const a = show(f, p), b = show(g, p);
    if (a !== b) bad.push(String(p) + ' ' + f.name + ': fast ' + a + ' engine ' + b);
  }
}
bad.join('\n')
`
	if got := evalString(t, vm, gen); got != "" {
		t.Errorf("fast Object.keys differs from the engine's:\n%s", got)
	}
	// Values are the same references, and getters run as the engine runs them.
	if got := evalString(t, vm, `const x={}; const o={b:x,1:2}; const v=Object.values(o), e=Object.entries(o); [v[1]===x, e[1][1]===x, e[0][0], JSON.stringify(Object.entries({get g(){return 7},h:1}))].join()`); got != `true,true,1,[["g",7],["h",1]]` {
		t.Errorf("values/entries: %s", got)
	}
}

// BenchmarkObjectKeys measures Object.keys of a five-key literal.
func BenchmarkObjectKeys(b *testing.B) {
	vm := newVM(b)
	defer closeVM(b, vm)
	f, err := vm.Eval(`(n) => { const o = {a:1,b:2,c:3,d:4,e:5}; let s = 0; for (let i = 0; i < n; i++) s += Object.keys(o).length; return s }`, "bench.js", Script)
	if err != nil {
		b.Fatal(err)
	}
	defer vm.Free(f)
	b.ResetTimer()
	r, err := vm.Call(f, Undefined, vm.Number(float64(b.N)))
	if err != nil {
		b.Fatal(err)
	}
	vm.Free(r)
}
