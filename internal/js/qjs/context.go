package qjs

import (
	"errors"
	"runtime"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Context is an additional realm on the VM's runtime: its own global object
// and its own intrinsics (Object, Array, Error ...), as node:vm's contexts
// are. Values cross freely between the contexts of one runtime (they share
// the heap, the job queue and the garbage collector); an object keeps the
// realm it was created in, so an array made inside is not instanceof the
// main context's Array, exactly as in Node.
//
// Lifetime: the Go side holds no reference count on the realm. The realm
// lives as long as its global object does: NewContext anchors the realm to
// its global through a non-configurable property holding one of the realm's
// own functions (every function references its realm). The cycle collector
// frees a context, its global and everything inside once the global is
// unreachable, so a VM that created contexts still closes without leaks.
// Callers must therefore keep the global (returned by NewContext) reachable
// while they may still call Eval on the Context.
type Context struct {
	vm  *VM
	ctx uintptr
}

// NewContext creates a realm with the standard intrinsics and returns it
// with its global object (owned).
func (vm *VM) NewContext() (*Context, Value, error) {
	ctx := lib.XJS_NewContext(vm.tls, vm.rt)
	if ctx == 0 {
		return nil, Undefined, errors.New("qjs: cannot create a context: out of memory")
	}
	// Go functions find their VM through the context they are called with.
	lib.XJS_SetContextOpaque(vm.tls, ctx, uintptr(vm.id))
	g := lib.XJS_GetGlobalObject(vm.tls, ctx)
	// The anchor: global[Symbol(realm)] = the realm's Function, which holds
	// a counted reference on the realm.
	get := func(name string) lib.TJSValue {
		p, n := vm.cstring(name)
		defer vm.tls.Free(n)
		return lib.XJS_GetPropertyStr(vm.tls, ctx, g, p)
	}
	fn := get("Function")
	symFn := Value{get("Symbol")}
	desc := vm.String("gnode.vm.realm")
	symVal, err := vm.Call(symFn, Undefined, desc)
	vm.FreeAll(symFn, desc)
	if err != nil {
		lib.XFreeValue(vm.tls, ctx, fn)
		lib.XFreeValue(vm.tls, ctx, g)
		lib.XJS_FreeContext(vm.tls, ctx)
		return nil, Undefined, err
	}
	key := lib.XJS_ValueToAtom(vm.tls, ctx, symVal.v)
	vm.Free(symVal)
	lib.XJS_DefinePropertyValue(vm.tls, ctx, g, key, fn, 0)
	lib.XJS_FreeAtom(vm.tls, ctx, key)
	// Drop the creation reference: from now on the realm is owned by the
	// objects that belong to it.
	lib.XJS_FreeContext(vm.tls, ctx)
	return &Context{vm: vm, ctx: ctx}, Value{g}, nil
}

// Eval evaluates source named filename (as in stack traces) as global code
// of the context. The result is owned.
func (c *Context) Eval(source, filename string, flags EvalFlags) (Value, error) {
	vm := c.vm
	src := cmalloc(vm.tls, source)
	if src == 0 {
		return Undefined, errors.New("qjs: out of memory")
	}
	fn, n := vm.cstring(filename)
	r := lib.XJS_Eval(vm.tls, c.ctx, src, libc.Tsize_t(len(source)), fn, int32(flags))
	vm.tls.Free(n)
	libc.Xfree(vm.tls, src)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// RunBytecode reads bytecode written by VM.Compile or VM.WriteBytecode into
// the context (functions it creates belong to this realm) and runs it. The
// result is owned.
func (c *Context) RunBytecode(b []byte) (Value, error) {
	vm := c.vm
	if len(b) == 0 {
		return Undefined, errors.New("qjs: empty bytecode")
	}
	// Read in place, as VM.ReadBytecode does.
	f := lib.XJS_ReadObject(vm.tls, c.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b))), libc.Tsize_t(len(b)), lib.MJS_READ_OBJ_BYTECODE)
	runtime.KeepAlive(b)
	if f.Ftag == tagException {
		return Undefined, vm.exception()
	}
	r := lib.XJS_EvalFunction(vm.tls, c.ctx, f)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// InterruptedError reports whether err is the uncatchable error QuickJS
// throws when Interrupt stopped running JavaScript (an InternalError, which
// the runtime's bootstrap may present under another name).
func InterruptedError(err error) bool {
	var je *JSError
	return errors.As(err, &je) && je.Message == "interrupted"
}
