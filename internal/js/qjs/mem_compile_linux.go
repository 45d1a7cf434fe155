package qjs

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// CompileIsolated compiles a script (or, with o.Module, an ES module)
// in a runtime of its own and hands
// its bytecode (in the format ReadBytecode reads) to emit, then frees the
// runtime and all its memory. src is the script's UTF-8 text followed by
// one zero byte (not part of the script); it is read in place and may be
// a file mapping. The parser's peak (a definition of every function of
// the script at once, see pageHeap) then never adds to any VM's heap:
// a VM that reads the bytecode allocates only the finished functions,
// packed, and the compile's memory goes back to the OS as it is freed.
//
// A script that does not compile returns an error (its message, for
// diagnostics only: the caller compiles again in its VM to get the
// exception a program sees). A fault reading src (a mapped file cut
// short) returns an error too; that runtime is then abandoned, not freed.
func CompileIsolated(src []byte, filename string, o IsolatedOptions, emit func(bytecode []byte) error) error {
	if len(src) == 0 || src[len(src)-1] != 0 {
		return errors.New("qjs: isolated compile: source must end with a zero byte")
	}
	h := newPageHeap()
	if h == nil {
		return errors.New("qjs: isolated compile: cannot reserve memory")
	}
	h.setProgress(o.Progress)
	tls := libc.NewTLS()
	rt := lib.XJS_NewRuntime2(tls, uintptr(unsafe.Pointer(&pageHeapFuncs)), uintptr(unsafe.Pointer(h)))
	if rt == 0 {
		tls.Close()
		h.destroy()
		return errors.New("qjs: isolated compile: out of memory")
	}
	slots := o.MaxStackSlots
	if slots == 0 {
		slots = lib.MaxStackSlots
	}
	lib.XJS_SetMaxStackSize(tls, rt, libc.Tsize_t(slots))
	if o.StripSource {
		lib.XJS_SetStripInfo(tls, rt, lib.MJS_STRIP_SOURCE)
	}
	// The compiler needs no globals, but a syntax error builds an error
	// object from the context's prototypes.
	ctx := lib.XJS_NewContext(tls, rt)
	if ctx == 0 {
		lib.XJS_FreeRuntime(tls, rt)
		tls.Close()
		h.destroy()
		return errors.New("qjs: isolated compile: out of memory")
	}
	f, ok := evalGuarded(tls, ctx, src, filename, o.Module)
	if !ok {
		return fmt.Errorf("qjs: isolated compile of %s: fault reading the source", filename)
	}
	var err error
	if f.Ftag == tagException {
		err = fmt.Errorf("qjs: isolated compile of %s: %s", filename, isolatedException(tls, ctx))
	} else {
		ps := tls.Alloc(8)
		p := lib.XJS_WriteObject(tls, ctx, ps, f, lib.MJS_WRITE_OBJ_BYTECODE)
		// The functions are written: free them before the bytecode is used
		// (a module's definition stays in the context until it is freed).
		lib.XFreeValue(tls, ctx, f)
		if p == 0 {
			err = fmt.Errorf("qjs: isolated compile of %s: writing bytecode: %s", filename, isolatedException(tls, ctx))
		} else {
			err = emit(unsafe.Slice((*byte)(unsafe.Pointer(p)), *(*libc.Tsize_t)(unsafe.Pointer(ps))))
			lib.Xjs_free(tls, ctx, p)
		}
		tls.Free(8)
	}
	lib.XJS_FreeContext(tls, ctx)
	lib.XJS_FreeRuntime(tls, rt)
	tls.Close()
	h.destroy()
	return err
}

// evalGuarded compiles src; ok is false when reading it faulted.
func evalGuarded(tls *libc.TLS, ctx uintptr, src []byte, filename string, module bool) (f lib.TJSValue, ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if e := recover(); e != nil {
			if _, fault := e.(interface{ Addr() uintptr }); !fault {
				panic(e)
			}
			ok = false
		}
	}()
	fn := tls.Alloc(len(filename) + 1)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(fn)), len(filename)), filename)
	*(*byte)(unsafe.Pointer(fn + uintptr(len(filename)))) = 0
	flags := Script | CompileOnly
	if module {
		flags = Module | CompileOnly
	}
	f = lib.XJS_Eval(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(src))), libc.Tsize_t(len(src)-1), fn, int32(flags))
	tls.Free(len(filename) + 1)
	runtime.KeepAlive(src)
	return f, true
}

// IsolatedOptions configure CompileIsolated.
type IsolatedOptions struct {
	// MaxStackSlots is the parser's depth limit, as Options.MaxStackSlots.
	MaxStackSlots int
	// StripSource keeps no function source text (see VM.SetStripSource).
	StripSource bool
	// Module compiles src as an ES module named filename (its imports
	// are resolved when a VM links the module read from the bytecode).
	Module bool
	// Progress, when set, is called on the compiling goroutine every
	// megabyte the compiler allocates (for example to drop the pages of
	// a mapped source it has read). It must not use the compiling
	// runtime.
	Progress func()
}

// isolatedException takes the pending exception of ctx as a string.
func isolatedException(tls *libc.TLS, ctx uintptr) string {
	ex := lib.XJS_GetException(tls, ctx)
	defer lib.XFreeValue(tls, ctx, ex)
	s := lib.XJS_ToCStringLen2(tls, ctx, 0, ex, 0)
	if s == 0 {
		return "exception"
	}
	defer lib.XJS_FreeCString(tls, ctx, s)
	return libc.GoString(s)
}
