package qjs

import (
	"strings"
	"testing"
)

func TestContextRealm(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	c, g, err := vm.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	mainG := vm.Global()
	vm.Set(mainG, "inner", g) // takes g
	vm.Free(mainG)
	for _, tc := range []struct{ name, src, want string }{
		{"own global", "inner === globalThis", "false"},
		{"own intrinsics", "inner.Array === Array", "false"},
		{"cross-realm instanceof", "inner.eval('[1, 2]') instanceof Array", "false"},
		{"isArray across realms", "Array.isArray(inner.eval('[1, 2]'))", "true"},
		{"vars land on the inner global", "inner.eval('var v = 7'); [typeof v, inner.v].join()", "undefined,7"},
		{"main values usable inside", "inner.shared = {n: 2}; inner.eval('shared.n * 21')", "42"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := evalString(t, vm, tc.src); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
			}
		})
	}
	v, err := c.Eval("typeof v + ':' + v", "inner.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	if s := vm.Str(v); s != "number:7" {
		t.Errorf("Context.Eval sees %q, want number:7", s)
	}
	vm.Free(v)
	_, err = c.Eval("\n\nthrow new Error('boom')", "named.js", Script)
	je, ok := err.(*JSError)
	if !ok {
		t.Fatalf("want a JSError, got %v", err)
	}
	if !strings.Contains(je.Stack, "named.js:3") {
		t.Errorf("stack %q does not name named.js:3", je.Stack)
	}
	je.Release()
}

// TestContextCollected checks that unreachable contexts are freed by the
// cycle collector: the VM closes without leaked objects.
func TestContextCollected(t *testing.T) {
	vm := newVM(t)
	for i := 0; i < 50; i++ {
		c, g, err := vm.NewContext()
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.Eval("var a = [function(){}, {}]; a.self = a; globalThis.me = globalThis; a.length", "x.js", Script)
		if err != nil {
			t.Fatal(err)
		}
		if vm.Int(v) != 2 {
			t.Fatalf("got %d", vm.Int(v))
		}
		vm.FreeAll(v, g)
	}
	vm.RunGC()
	before := vm.MemoryUsage().Objects
	c, g, _ := vm.NewContext()
	_ = c
	vm.Free(g)
	vm.RunGC()
	if after := vm.MemoryUsage().Objects; after > before {
		t.Errorf("a dropped context kept %d objects alive", after-before)
	}
	if err := vm.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func TestContextInterrupt(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	c, g, _ := vm.NewContext()
	defer vm.Free(g)
	vm.Interrupt()
	_, err := c.Eval("for (;;) {}", "loop.js", Script)
	vm.ClearInterrupt()
	if !InterruptedError(err) {
		t.Fatalf("want the interrupted error, got %v", err)
	}
	err.(*JSError).Release()
	v, err := c.Eval("1 + 1", "after.js", Script)
	if err != nil || vm.Int(v) != 2 {
		t.Fatalf("context unusable after an interrupt: %v", err)
	}
}

func TestContextRunBytecode(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	bc, err := vm.Compile("var fromBytecode = [1, 2]; fromBytecode.length", "bc.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	c, g, _ := vm.NewContext()
	defer vm.Free(g)
	for i := 0; i < 2; i++ { // bytecode is reusable
		v, err := c.RunBytecode(bc)
		if err != nil {
			t.Fatal(err)
		}
		if vm.Int(v) != 2 {
			t.Fatalf("run %d gave %d", i, vm.Int(v))
		}
		vm.Free(v)
	}
	// The array was made in the context's realm, not the main one.
	v, err := c.Eval("fromBytecode instanceof Array", "check.js", Script)
	if err != nil || !vm.Truthy(v) {
		t.Fatalf("array not of the context's realm: %v", err)
	}
	mainArr := evalString(t, vm, "typeof fromBytecode")
	if mainArr != "undefined" {
		t.Errorf("bytecode run in a context leaked a global into the main realm: %s", mainArr)
	}
	if _, err := c.RunBytecode([]byte{1, 2, 3}); err == nil {
		t.Error("garbage bytecode did not fail")
	} else if je, ok := err.(*JSError); ok {
		je.Release()
	}
}
