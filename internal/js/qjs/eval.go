package qjs

import (
	"errors"
	"io"
	"runtime"
	"unicode/utf8"
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
// function or module value (owned) to pass to EvalFunction. b is read in
// place (Go heap or a file mapping) and not retained: QuickJS copies what
// it keeps.
func (vm *VM) ReadBytecode(b []byte) (Value, error) {
	if len(b) == 0 {
		return Undefined, errors.New("qjs: empty bytecode")
	}
	r := lib.XJS_ReadObject(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b))), libc.Tsize_t(len(b)), lib.MJS_READ_OBJ_BYTECODE)
	runtime.KeepAlive(b)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// WriteBytecodeTo serializes a compiled function or module (borrowed)
// straight from engine memory to w, without a Go copy of the bytecode.
func (vm *VM) WriteBytecodeTo(f Value, w io.Writer) error {
	ps := vm.tls.Alloc(8)
	defer vm.tls.Free(8)
	p := lib.XJS_WriteObject(vm.tls, vm.ctx, ps, f.v, lib.MJS_WRITE_OBJ_BYTECODE)
	if p == 0 {
		return vm.exception()
	}
	defer lib.Xjs_free(vm.tls, vm.ctx, p)
	n := *(*libc.Tsize_t)(unsafe.Pointer(ps))
	_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
	return err
}

// EvalWrapped evaluates prefix + body + suffix named filename, where body
// is a JavaScript string (borrowed): the source is assembled in C memory
// straight from the string's characters, so a multi-megabyte module body
// never passes through the Go heap. ok is false when body is not a string
// (nothing is evaluated then).
func (vm *VM) EvalWrapped(prefix string, body Value, suffix, filename string, flags EvalFlags) (v Value, ok bool, err error) {
	latin1, wide, flat, ok := vm.StringData(body)
	if !ok {
		return Undefined, false, nil
	}
	defer vm.Free(flat)
	n := len(prefix) + len(suffix)
	for _, c := range latin1 {
		n += 1 + int(c>>7)
	}
	for i := 0; i < len(wide); i++ {
		if r, w := wideRune(wide, i); w == 2 {
			n += 4
			i++
		} else {
			n += utf8.RuneLen(r)
		}
	}
	p := libc.Xmalloc(vm.tls, libc.Tsize_t(n+1))
	if p == 0 {
		return Undefined, true, errors.New("qjs: out of memory")
	}
	defer libc.Xfree(vm.tls, p)
	dst := unsafe.Slice((*byte)(unsafe.Pointer(p)), n+1)
	k := copy(dst, prefix)
	for _, c := range latin1 {
		if c < 0x80 {
			dst[k] = c
			k++
		} else {
			k += utf8.EncodeRune(dst[k:], rune(c))
		}
	}
	for i := 0; i < len(wide); i++ {
		r, w := wideRune(wide, i)
		k += utf8.EncodeRune(dst[k:], r)
		i += w - 1
	}
	k += copy(dst[k:], suffix)
	dst[k] = 0
	fn, fnLen := vm.cstring(filename)
	r := lib.XJS_Eval(vm.tls, vm.ctx, p, libc.Tsize_t(k), fn, int32(flags))
	vm.tls.Free(fnLen)
	if r.Ftag == tagException {
		return Undefined, true, vm.exception()
	}
	return Value{r}, true, nil
}

// wideRune decodes the UTF-16 code point at s[i] and how many units it
// takes; a lone surrogate is U+FFFD, as String conversion gives it.
func wideRune(s []uint16, i int) (rune, int) {
	c := rune(s[i])
	switch {
	case c < 0xD800 || c > 0xDFFF:
		return c, 1
	case c <= 0xDBFF && i+1 < len(s) && s[i+1] >= 0xDC00 && s[i+1] <= 0xDFFF:
		return 0x10000 + (c-0xD800)<<10 + rune(s[i+1]-0xDC00), 2
	}
	return utf8.RuneError, 1
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

// EnqueueCall queues a job that calls fn() (this undefined, no arguments)
// on the engine's own job queue, behind the promise jobs already queued
// and in the same FIFO: what queueMicrotask needs, without a promise
// reaction (a derived promise, its resolving functions and a closure per
// call). An exception from fn fails that job: RunJob returns it. fn is
// borrowed (the job holds its own reference).
func (vm *VM) EnqueueCall(fn Value) error {
	p := vm.tls.Alloc(16)
	*(*lib.TJSValue)(unsafe.Pointer(p)) = fn.v
	r := lib.XJS_EnqueueJob(vm.tls, vm.ctx, fp(callJob), 1, p)
	vm.tls.Free(16)
	if r < 0 {
		return vm.exception()
	}
	return nil
}

// callJob is the job function EnqueueCall queues: argv[0] is the function.
func callJob(tls *libc.TLS, ctx uintptr, argc int32, argv uintptr) lib.TJSValue {
	return lib.XJS_Call(tls, ctx, *(*lib.TJSValue)(unsafe.Pointer(argv)), mkval(tagUndefined, 0), 0, 0)
}
