package qjs

import (
	"errors"
	"strings"
	"testing"
)

// Go functions are objects of gnode's own class (call hook callGo); they
// must look to JavaScript like the engine's native functions did.
func TestGoFunctionObject(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	g := vm.Global()
	vm.SetFunc(g, "add", 2, func(vm *VM, this Value, args []Value) (Value, error) {
		return Int(int32(vm.Int(Arg(args, 0)) + vm.Int(Arg(args, 1)))), nil
	})
	vm.SetFunc(g, "self", 0, func(vm *VM, this Value, args []Value) (Value, error) {
		return vm.Dup(this), nil
	})
	vm.SetFunc(g, "count", 0, func(vm *VM, this Value, args []Value) (Value, error) {
		return Int(int32(len(args))), nil
	})
	vm.SetFunc(g, "fail", 0, func(vm *VM, this Value, args []Value) (Value, error) {
		return Undefined, errors.New("failed here")
	})
	vm.Free(g)
	for _, tc := range []struct{ src, want string }{
		{"typeof add", "function"},
		{"add.name + '/' + add.length", "add/2"},
		{"Object.getOwnPropertyNames(add).join()", "length,name"},
		{"JSON.stringify(Object.getOwnPropertyDescriptor(add, 'length'))", `{"value":2,"writable":false,"enumerable":false,"configurable":true}`},
		{"JSON.stringify(Object.getOwnPropertyDescriptor(add, 'name'))", `{"value":"add","writable":false,"enumerable":false,"configurable":true}`},
		{"Object.getPrototypeOf(add) === Function.prototype", "true"},
		{"add instanceof Function", "true"},
		{"Object.prototype.toString.call(add)", "[object Function]"},
		{"String(add)", "function add() {\n    [native code]\n}"},
		{"add(2, 3)", "5"},
		{"add.call(null, 4, 5)", "9"},
		{"add.apply(null, [6, 7])", "13"},
		{"add.bind(null, 1)(1)", "2"},
		{"count() + ',' + count(1) + ',' + count(1, 2, 3, 4, 5)", "0,1,5"},
		{"const o = { self }; o.self() === o", "true"},
		{"try { new add(1, 2); 'constructed' } catch (e) { e.constructor.name + ': ' + e.message }", "TypeError: add is not a constructor"},
		{"try { fail(); 'no' } catch (e) { e.message }", "failed here"},
		{"Array.prototype.map.call([1, 2], (x) => add(x, 10)).join()", "11,12"},
		{"delete add.name; add.name", ""},
	} {
		if got := evalString(t, vm, tc.src); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// A collected Go function returns its handle for reuse.
func TestGoFunctionHandleReuse(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	before := len(vm.funcs)
	for i := 0; i < 1000; i++ {
		f := vm.Function("tmp", 0, func(vm *VM, this Value, args []Value) (Value, error) { return Undefined, nil })
		vm.Free(f)
	}
	vm.RunGC()
	if grown := len(vm.funcs) - before; grown > 2 {
		t.Errorf("function table grew by %d for 1000 functions freed one at a time", grown)
	}
}

// EnqueueCall's jobs share the FIFO of promise jobs, and a throwing job is
// returned by RunJob without stopping the others.
func TestEnqueueCall(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	g := vm.Global()
	vm.SetFunc(g, "enqueue", 1, func(vm *VM, this Value, args []Value) (Value, error) {
		return Undefined, vm.EnqueueCall(args[0])
	})
	vm.Free(g)
	v, err := vm.Eval(`
globalThis.log = [];
Promise.resolve().then(() => log.push('p1'));
enqueue(() => { log.push('c1'); enqueue(() => log.push('c-nested')); Promise.resolve().then(() => log.push('p-nested')); });
Promise.resolve().then(() => log.push('p2'));
enqueue(() => { log.push('thrower'); throw new Error('boom'); });
enqueue(function () { log.push('this:' + (this === undefined ? 'undefined' : typeof this)); });
log.push('sync');
`, "enq.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	vm.Free(v)
	var thrown []string
	for {
		ran, err := vm.RunJob()
		if err != nil {
			var je *JSError
			if !errors.As(err, &je) {
				t.Fatalf("job error %v is not a JSError", err)
			}
			thrown = append(thrown, je.Message)
			je.Release()
			continue
		}
		if !ran {
			break
		}
	}
	want := "sync,p1,c1,p2,thrower,this:object,c-nested,p-nested"
	if got := evalString(t, vm, "log.join()"); got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	if strings.Join(thrown, ",") != "boom" {
		t.Errorf("thrown %q, want [boom]", thrown)
	}
}
