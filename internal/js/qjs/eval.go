package qjs

import (
	"errors"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// EvalFlags select how source is evaluated.
type EvalFlags int32

const (
	// Script evaluates global code.
	Script EvalFlags = lib.MJS_EVAL_TYPE_GLOBAL
	// Module evaluates an ES module; the result is a promise.
	Module EvalFlags = lib.MJS_EVAL_TYPE_MODULE
	// Strict forces strict mode for a script.
	Strict EvalFlags = lib.MJS_EVAL_FLAG_STRICT
	// CompileOnly returns the compiled function or module without running it.
	CompileOnly EvalFlags = lib.MJS_EVAL_FLAG_COMPILE_ONLY
)

// Eval evaluates source named filename (which appears in stack traces).
// The result is owned.
func (vm *VM) Eval(source, filename string, flags EvalFlags) (Value, error) {
	src := cmalloc(vm.tls, source)
	if src == 0 {
		return Undefined, errors.New("qjs: out of memory")
	}
	fn, n := vm.cstring(filename)
	r := lib.XJS_Eval(vm.tls, vm.ctx, src, libc.Tsize_t(len(source)), fn, int32(flags))
	vm.tls.Free(n)
	libc.Xfree(vm.tls, src)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// EvalFunction runs a function or module compiled with CompileOnly or read
// with ReadBytecode, taking ownership of fn.
func (vm *VM) EvalFunction(fn Value) (Value, error) {
	r := lib.XJS_EvalFunction(vm.tls, vm.ctx, fn.v)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// Compile compiles source to bytecode for a cache.
func (vm *VM) Compile(source, filename string, flags EvalFlags) ([]byte, error) {
	f, err := vm.Eval(source, filename, flags|CompileOnly)
	if err != nil {
		return nil, err
	}
	defer vm.Free(f)
	return vm.WriteBytecode(f)
}

// WriteBytecode serializes a compiled function or module (borrowed).
func (vm *VM) WriteBytecode(f Value) ([]byte, error) {
	ps := vm.tls.Alloc(8)
	defer vm.tls.Free(8)
	p := lib.XJS_WriteObject(vm.tls, vm.ctx, ps, f.v, lib.MJS_WRITE_OBJ_BYTECODE)
	if p == 0 {
		return nil, vm.exception()
	}
	n := *(*libc.Tsize_t)(unsafe.Pointer(ps))
	b := make([]byte, n)
	copy(b, unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
	lib.Xjs_free(vm.tls, vm.ctx, p)
	return b, nil
}

// ReadBytecode deserializes bytecode written by WriteBytecode into a
// function or module value (owned) to pass to EvalFunction.
func (vm *VM) ReadBytecode(b []byte) (Value, error) {
	if len(b) == 0 {
		return Undefined, errors.New("qjs: empty bytecode")
	}
	p := libc.Xmalloc(vm.tls, libc.Tsize_t(len(b)))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)), b)
	r := lib.XJS_ReadObject(vm.tls, vm.ctx, p, libc.Tsize_t(len(b)), lib.MJS_READ_OBJ_BYTECODE)
	libc.Xfree(vm.tls, p)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// ResolveModule links a module value read from bytecode.
func (vm *VM) ResolveModule(m Value) error {
	if lib.XJS_ResolveModule(vm.tls, vm.ctx, m.v) < 0 {
		return vm.exception()
	}
	return nil
}

// JobPending reports whether promise jobs are queued.
func (vm *VM) JobPending() bool { return lib.XJS_IsJobPending(vm.tls, vm.rt) != 0 }

// RunJob runs one pending promise job. It reports whether a job ran; an
// exception thrown by the job is returned.
func (vm *VM) RunJob() (bool, error) {
	p := vm.tls.Alloc(8)
	defer vm.tls.Free(8)
	r := lib.XJS_ExecutePendingJob(vm.tls, vm.rt, p)
	if r < 0 {
		return true, vm.exception()
	}
	return r > 0, nil
}

// RunJobs drains the promise job queue, stopping at the first exception.
func (vm *VM) RunJobs() error {
	for {
		ran, err := vm.RunJob()
		if err != nil {
			return err
		}
		if !ran {
			return nil
		}
	}
}

// OnPromiseRejection registers the host promise rejection tracker: called
// with handled=false when a promise is rejected without a handler and with
// handled=true when a handler is added later. Values are borrowed.
func (vm *VM) OnPromiseRejection(f func(promise, reason Value, handled bool)) { vm.rejTrack = f }

func rejectionTracker(tls *libc.TLS, ctx uintptr, promise, reason lib.TJSValue, handled int32, opaque uintptr) {
	vm := lookupVM(ctx)
	if vm.rejTrack != nil {
		vm.rejTrack(Value{promise}, Value{reason}, handled != 0)
	}
}
