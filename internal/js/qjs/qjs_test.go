package qjs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func newVM(t testing.TB) *VM {
	t.Helper()
	vm, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

func closeVM(t testing.TB, vm *VM) {
	t.Helper()
	if err := vm.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func evalString(t *testing.T, vm *VM, src string) string {
	t.Helper()
	v, err := vm.Eval(src, "test.js", Script)
	if err != nil {
		t.Fatalf("eval %q: %v", src, err)
	}
	defer vm.Free(v)
	return vm.Str(v)
}

func TestEvalValues(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	for _, tc := range []struct{ src, want string }{
		{"1+2", "3"},
		{"'a'+'b'", "ab"},
		{"[1,2,3].map(x=>x*2).join()", "2,4,6"},
		{"'héllo ☃'.length", "7"},
		{"(async () => 1)() instanceof Promise", "true"},
		{"10n ** 20n", "100000000000000000000"},
	} {
		if got := evalString(t, vm, tc.src); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestGoFunction(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	g := vm.Global()
	vm.SetFunc(g, "add", 2, func(vm *VM, this Value, args []Value) (Value, error) {
		return Float(vm.Float(Arg(args, 0)) + vm.Float(Arg(args, 1))), nil
	})
	vm.SetFunc(g, "fail", 0, func(vm *VM, this Value, args []Value) (Value, error) {
		return Undefined, errors.New("boom from go")
	})
	vm.SetFunc(g, "upper", 1, func(vm *VM, this Value, args []Value) (Value, error) {
		return vm.String(strings.ToUpper(vm.Str(Arg(args, 0)))), nil
	})
	vm.Free(g)
	if got := evalString(t, vm, "add(2, 40.5)"); got != "42.5" {
		t.Errorf("add = %s", got)
	}
	if got := evalString(t, vm, "upper('héllo')"); got != "HÉLLO" {
		t.Errorf("upper = %s", got)
	}
	if got := evalString(t, vm, "add.name + add.length"); got != "add2" {
		t.Errorf("name/length = %s", got)
	}
	if got := evalString(t, vm, "try { fail() } catch (e) { e instanceof Error && e.message }"); got != "boom from go" {
		t.Errorf("go error not thrown as Error: %s", got)
	}
}

func TestJSErrorToGo(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	_, err := vm.Eval("function f() { throw new TypeError('bad thing') }\nf()", "/app/main.js", Script)
	var je *JSError
	if !errors.As(err, &je) {
		t.Fatalf("want *JSError, got %T %v", err, err)
	}
	if je.Name != "TypeError" || je.Message != "bad thing" {
		t.Errorf("name=%q message=%q", je.Name, je.Message)
	}
	if !strings.Contains(je.Stack, "/app/main.js:1") {
		t.Errorf("stack lacks the real file name: %q", je.Stack)
	}
	je.Release()
}

func TestHostClass(t *testing.T) {
	vm := newVM(t)
	finalized := 0
	c, err := vm.NewClass("Thing", func(obj any) { finalized++ })
	if err != nil {
		t.Fatal(err)
	}
	type thing struct{ n int }
	g := vm.Global()
	vm.SetFunc(g, "makeThing", 1, func(vm *VM, this Value, args []Value) (Value, error) {
		return vm.NewInstance(c, Undefined, &thing{int(vm.Int(Arg(args, 0)))}), nil
	})
	vm.SetFunc(g, "thingN", 1, func(vm *VM, this Value, args []Value) (Value, error) {
		o, ok := vm.Opaque(Arg(args, 0), c)
		if !ok {
			return Undefined, vm.TypeError("not a Thing")
		}
		return Int(int32(o.(*thing).n)), nil
	})
	vm.Free(g)
	if got := evalString(t, vm, "let s = 0; for (let i = 0; i < 100; i++) s += thingN(makeThing(i)); s"); got != "4950" {
		t.Errorf("sum = %s", got)
	}
	if got := evalString(t, vm, "try { thingN({}) } catch (e) { e.name }"); got != "TypeError" {
		t.Errorf("got %s", got)
	}
	vm.RunGC()
	if finalized != 100 {
		t.Errorf("finalized %d of 100", finalized)
	}
	closeVM(t, vm)
}

func TestArrayBuffers(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	b := []byte("hello")
	u := vm.NewUint8Array(b)
	g := vm.Global()
	vm.Set(g, "u", u)
	vm.Free(g)
	if got := evalString(t, vm, "u[0] = 72; String.fromCharCode(...u)"); got != "Hello" {
		t.Errorf("got %s", got)
	}
	if string(b) != "Hello" {
		t.Errorf("Go memory not shared: %q", b)
	}
	v, _ := vm.Eval("new Uint8Array([1,2,3,4,5]).subarray(1, 4)", "t.js", Script)
	view, ok := vm.TypedArrayBytes(v)
	if !ok || fmt.Sprint(view) != "[2 3 4]" {
		t.Errorf("view = %v %v", view, ok)
	}
	view[0] = 9
	vm.Free(v)
	vm.RunGC()
}

func TestModules(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	files := map[string]string{
		"/m/main.mjs": "import { x } from './dep.mjs'; globalThis.out = x + ':' + import.meta.url; const d = await import('./dep.mjs'); globalThis.out2 = d.x;",
		"/m/dep.mjs":  "export const x = 'dep';",
	}
	vm.SetModuleLoader(mapLoader(files))
	p, err := vm.LoadModule("", "/m/main.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := vm.RunJobs(); err != nil {
		t.Fatal(err)
	}
	if s := vm.PromiseState(p); s != PromiseFulfilled {
		r := vm.PromiseResult(p)
		t.Fatalf("module promise state %d: %s", s, vm.Str(r))
	}
	vm.Free(p)
	if got := evalString(t, vm, "out + ' ' + out2"); got != "dep:file:///m/main.mjs dep" {
		t.Errorf("got %q", got)
	}
}

type mapLoader map[string]string

func (m mapLoader) Normalize(base, spec string) (string, error) {
	if strings.HasPrefix(spec, "./") {
		return base[:strings.LastIndex(base, "/")+1] + spec[2:], nil
	}
	return spec, nil
}

func (m mapLoader) Load(name string) (string, error) {
	s, ok := m[name]
	if !ok {
		return "", fmt.Errorf("cannot find module %s", name)
	}
	return s, nil
}

func (m mapLoader) InitMeta(vm *VM, meta Value, name string) {
	vm.Set(meta, "url", vm.String("file://"+name))
}

func TestBytecodeRoundTrip(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	bc, err := vm.Compile("(function (a) { return a * 7 })", "/lib/x.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	f, err := vm.ReadBytecode(bc)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := vm.EvalFunction(f)
	if err != nil {
		t.Fatal(err)
	}
	r, err := vm.Call(fn, Undefined, Int(6))
	if err != nil || vm.Int(r) != 42 {
		t.Errorf("r=%v err=%v", vm.Int(r), err)
	}
	vm.FreeAll(fn, r)
}

func TestPromiseIntrospection(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	var rejected []string
	vm.OnPromiseRejection(func(p, reason Value, handled bool) {
		rejected = append(rejected, fmt.Sprintf("%s %v", vm.Str(reason), handled))
	})
	v, _ := vm.Eval("Promise.reject(new Error('x'))", "t.js", Script)
	if vm.PromiseState(v) != PromiseRejected {
		t.Errorf("state %d", vm.PromiseState(v))
	}
	vm.Free(v)
	pending, _ := vm.Eval("new Promise(() => {})", "t.js", Script)
	if vm.PromiseState(pending) != PromisePending {
		t.Error("want pending")
	}
	vm.Free(pending)
	if len(rejected) != 1 || rejected[0] != "Error: x false" {
		t.Errorf("tracker saw %q", rejected)
	}
	px, _ := vm.Eval("new Proxy({a: 1}, {})", "t.js", Script)
	target, _, ok := vm.ProxyTarget(px)
	if !ok || vm.Int(vm.GetV(target, "a")) != 1 {
		t.Error("proxy target not found")
	}
	vm.Free(px)
}

func TestInterrupt(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.Interrupt()
	_, err := vm.Eval("for (;;) {}", "t.js", Script)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("err = %v", err)
	}
	vm.ClearInterrupt()
}

func TestLeakDetected(t *testing.T) {
	vm := newVM(t)
	v, _ := vm.Eval("({a: [1, 2, 3]})", "t.js", Script)
	_ = v // deliberately not freed
	if err := vm.Close(); !errors.Is(err, ErrLeak) {
		t.Errorf("leak not reported: %v", err)
	}
}

func TestNoLeaks(t *testing.T) {
	vm := newVM(t)
	g := vm.Global()
	vm.SetFunc(g, "id", 1, func(vm *VM, this Value, args []Value) (Value, error) {
		return vm.Dup(Arg(args, 0)), nil
	})
	vm.Free(g)
	v, err := vm.Eval(`
		let objs = [];
		for (let i = 0; i < 1000; i++) objs.push(id({i, s: 'x'.repeat(i % 7)}));
		const cyc = {}; cyc.self = cyc;
		Promise.resolve(1).then(x => x + 1);
		objs.length`, "t.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	vm.Free(v)
	if err := vm.RunJobs(); err != nil {
		t.Fatal(err)
	}
	_, err = vm.Eval("throw new Error('caught by go')", "t.js", Script)
	err.(*JSError).Release()
	if mu := vm.MemoryUsage(); mu.Objects == 0 {
		t.Error("memory usage reports no objects")
	}
	if err := vm.Close(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkGoCall(b *testing.B) {
	vm := newVM(b)
	defer closeVM(b, vm)
	g := vm.Global()
	vm.SetFunc(g, "noop", 0, func(vm *VM, this Value, args []Value) (Value, error) { return Undefined, nil })
	vm.Free(g)
	fn, err := vm.Eval("(function (n) { for (let i = 0; i < n; i++) noop(); })", "bench.js", Script)
	if err != nil {
		b.Fatal(err)
	}
	defer vm.Free(fn)
	b.ResetTimer()
	const n = 1_000_000
	for i := 0; i < b.N; i++ {
		if _, err := vm.Call(fn, Undefined, Int(n)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/call")
}

func BenchmarkJSCall(b *testing.B) {
	vm := newVM(b)
	defer closeVM(b, vm)
	fn, _ := vm.Eval("(function (n) { function noop() {} for (let i = 0; i < n; i++) noop(); })", "bench.js", Script)
	defer vm.Free(fn)
	const n = 1_000_000
	for i := 0; i < b.N; i++ {
		vm.Call(fn, Undefined, Int(n))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/call")
}
