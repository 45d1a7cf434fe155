package runtime

import (
	"strconv"
	"sync/atomic"
	"time"

	"gnode/internal/js/qjs"
)

// bindVM is internalBinding('vm') (bindings/vm.md): the realms behind
// node:vm and the engine figures behind node:v8.
//
// A vm context is a second QuickJS realm on the run's runtime (qjs.Context).
// vm.js makes it behave like Node's contextified sandbox; the native side
// only creates realms and evaluates code in them, with a file name for
// stack traces and an optional timeout enforced through the interrupt
// handler.
func bindVM(r *rt, obj qjs.Value) {
	// newContext() -> [global, evaluate(code, filename, timeoutMs)].
	// The evaluate function belongs to the returned global: callers keep
	// the two together (the realm lives as long as its global does). code
	// is source text or bytecode from compile().
	r.fn(obj, "newContext", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		c, g, err := vm.NewContext()
		if err != nil {
			return qjs.Undefined, err
		}
		eval := vm.Function("evaluate", 3, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if bc, ok := vm.ArrayBufferBytes(qjs.Arg(a, 0)); ok {
				b := append([]byte(nil), bc...) // the buffer may move while code runs
				return r.withTimeout(qjs.Arg(a, 2), func() (qjs.Value, error) { return c.RunBytecode(b) })
			}
			code, file := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
			return r.withTimeout(qjs.Arg(a, 2), func() (qjs.Value, error) {
				return c.Eval(code, file, qjs.Script)
			})
		})
		return vm.ArrayOf(g, eval), nil
	})
	// runInThisContext(code, filename, timeoutMs) evaluates global code (or
	// bytecode from compile()) in the main realm.
	r.fn(obj, "runInThisContext", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if bc, ok := vm.ArrayBufferBytes(qjs.Arg(a, 0)); ok {
			b := append([]byte(nil), bc...)
			return r.withTimeout(qjs.Arg(a, 2), func() (qjs.Value, error) {
				f, err := vm.ReadBytecode(b)
				if err != nil {
					return qjs.Undefined, err
				}
				return vm.EvalFunction(f)
			})
		}
		code, file := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		return r.withTimeout(qjs.Arg(a, 2), func() (qjs.Value, error) {
			return vm.Eval(code, file, qjs.Script)
		})
	})
	// compile(code, filename) -> ArrayBuffer of bytecode: new vm.Script
	// parses once, reports its SyntaxError, and runs the bytecode in any
	// realm afterwards.
	r.fn(obj, "compile", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		bc, err := vm.Compile(vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), qjs.Script)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewArrayBuffer(bc), nil
	})
	// check(code, filename) compiles without running, throwing the
	// SyntaxError of malformed code.
	r.fn(obj, "check", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		f, err := vm.Eval(vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), qjs.Script|qjs.CompileOnly)
		if err != nil {
			return qjs.Undefined, err
		}
		vm.Free(f)
		return qjs.Undefined, nil
	})
	// heapStatistics() -> the engine's memory figures (JS_ComputeMemoryUsage).
	r.fn(obj, "heapStatistics", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		mu := vm.MemoryUsage()
		o := vm.Object()
		for _, f := range []struct {
			name string
			n    int64
		}{
			{"mallocSize", mu.MallocSize}, {"mallocLimit", mu.MallocLimit}, {"memoryUsed", mu.MemoryUsed},
			{"objects", mu.Objects}, {"strings", mu.Strings}, {"atoms", mu.Atoms},
			{"functions", mu.Functions}, {"arrays", mu.Arrays}, {"binaryObjects", mu.BinaryObjects},
		} {
			vm.Set(o, f.name, qjs.Float(float64(f.n)))
		}
		return o, nil
	})
}

// withTimeout runs f, interrupting it after timeout milliseconds (a
// positive number; anything else means no limit). An interrupted run
// throws Node's ERR_SCRIPT_EXECUTION_TIMEOUT error, which script code can
// catch, unlike the engine's uncatchable interrupt.
func (r *rt) withTimeout(timeout qjs.Value, f func() (qjs.Value, error)) (qjs.Value, error) {
	vm := r.vm
	ms := vm.Float(timeout)
	if !timeout.IsNumber() || !(ms > 0) {
		return f()
	}
	var fired atomic.Bool
	done := make(chan struct{})
	t := time.AfterFunc(time.Duration(ms*float64(time.Millisecond)), func() {
		fired.Store(true)
		vm.Interrupt()
		close(done)
	})
	v, err := f()
	if !t.Stop() {
		<-done
	}
	if !fired.Load() {
		return v, err
	}
	// The interrupt flag is shared with process.exit and worker.terminate:
	// leave it set when one of them is under way.
	if !r.exiting && !r.killed.Load() {
		vm.ClearInterrupt()
	}
	if !qjs.InterruptedError(err) || r.exiting || r.killed.Load() {
		return v, err
	}
	err.(*qjs.JSError).Release()
	e := vm.NewError("Error", "Script execution timed out after "+strconv.FormatFloat(ms, 'f', -1, 64)+"ms")
	vm.Set(e, "code", vm.String("ERR_SCRIPT_EXECUTION_TIMEOUT"))
	return qjs.Undefined, vm.Throw(e)
}
