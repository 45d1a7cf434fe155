package qjs

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Func is a Go function callable from JavaScript. this and args are
// borrowed for the duration of the call. The returned Value is owned by the
// engine afterwards. A non-nil error is thrown as a JavaScript exception
// (see VM.ErrorValue and VM.Throw).
type Func func(vm *VM, this Value, args []Value) (Value, error)

type funcEntry struct {
	fn   Func
	name string
}

// goFuncClassID is the class of every Go function object. The class's call
// hook is callGo itself and the object's opaque slot holds the function's
// handle, so a call from JavaScript goes JS_CallInternal → callGo with
// nothing between: a JS_NewCFunctionData function went through the engine's
// js_c_function_data_call (an alloca region entered and left, a deferred
// exit, JS_GetOpaque with its own deferred free) and kept its handle in a
// second, token object. Objects of the class have Function.prototype as
// their prototype, so typeof is "function" (the engine asks the class for a
// call hook) and call/apply/bind/toString work as for a native function;
// they are not constructors, as JS_NewCFunctionData's were not.
var (
	goFuncClassID   uint32
	goFuncClassOnce sync.Once
)

// objOpaqueOffset is where a host object keeps its opaque word.
const objOpaqueOffset = unsafe.Offsetof(lib.TJSObject{}.Fu)

func (vm *VM) initFuncClass() error {
	goFuncClassOnce.Do(func() { goFuncClassID = classIDFor(vm, "\x00gnode Go function") })
	return vm.newClassDef(goFuncClassID, "Function", fp(goFuncFinalizer), fp(callGo))
}

func (vm *VM) newClassDef(id uint32, name string, finalizer, call uintptr) error {
	cname := cmalloc(vm.tls, name) // the class keeps the name as an atom
	def := libc.Xcalloc(vm.tls, 1, libc.Tsize_t(unsafe.Sizeof(lib.TJSClassDef{})))
	*(*lib.TJSClassDef)(unsafe.Pointer(def)) = lib.TJSClassDef{Fclass_name: cname, Ffinalizer: finalizer, Fcall: call}
	r := lib.XJS_NewClass(vm.tls, vm.rt, id, def)
	libc.Xfree(vm.tls, def)
	libc.Xfree(vm.tls, cname)
	if r < 0 {
		return fmt.Errorf("qjs: cannot register class %s", name)
	}
	return nil
}

func goFuncFinalizer(tls *libc.TLS, rt uintptr, val lib.TJSValue) {
	h := funcHandle(val)
	id := int32(lib.XJS_GetRuntimeOpaque(tls, rt))
	t := *vms.Load()
	if int(id) >= len(t) || t[id] == nil || h <= 0 {
		return
	}
	vm := t[id]
	if int(h) < len(vm.funcs) {
		vm.funcs[h] = funcEntry{}
		vm.freeFuncs = append(vm.freeFuncs, h)
	}
}

// funcHandle is the handle in a Go function object's opaque slot (only
// called with objects of goFuncClassID).
func funcHandle(f lib.TJSValue) int32 {
	p := *(*uintptr)(unsafe.Pointer(&f))
	return int32(*(*uintptr)(unsafe.Pointer(p + objOpaqueOffset)))
}

// Function wraps fn as a JavaScript function named name with the given
// length. The Go side is released when the function object is collected.
func (vm *VM) Function(name string, length int, fn Func) Value {
	var h int32
	if n := len(vm.freeFuncs); n > 0 {
		h = vm.freeFuncs[n-1]
		vm.freeFuncs = vm.freeFuncs[:n-1]
		vm.funcs[h] = funcEntry{fn, name}
	} else {
		h = int32(len(vm.funcs))
		vm.funcs = append(vm.funcs, funcEntry{fn, name})
	}
	proto := (*lib.TJSContext)(unsafe.Pointer(vm.ctx)).Ffunction_proto
	f := lib.XJS_NewObjectProtoClass(vm.tls, vm.ctx, proto, goFuncClassID)
	if f.Ftag != tagObject {
		vm.funcs[h] = funcEntry{}
		vm.freeFuncs = append(vm.freeFuncs, h)
		return Value{f}
	}
	lib.XJS_SetOpaque(vm.tls, f, uintptr(h))
	// length then name, both configurable and neither writable nor
	// enumerable, in the order the engine gives its own native functions.
	lib.XJS_DefinePropertyValue(vm.tls, vm.ctx, f, vm.atom("length"), mkval(tagInt, int32(length)), lib.MJS_PROP_CONFIGURABLE)
	lib.XJS_DefinePropertyValue(vm.tls, vm.ctx, f, vm.atom("name"), vm.String(name).v, lib.MJS_PROP_CONFIGURABLE)
	return Value{f}
}

// SetFunc defines obj[name] as a Go function (non-enumerable, like a
// built-in method).
func (vm *VM) SetFunc(obj Value, name string, length int, fn Func) {
	vm.Define(obj, name, vm.Function(name, length, fn), true)
}

// callGo is the call hook of goFuncClassID: the engine calls it with the
// function object itself, whose opaque slot is the handle.
func callGo(tls *libc.TLS, ctx uintptr, funcObj, this lib.TJSValue, argc int32, argv uintptr, flags int32) (r lib.TJSValue) {
	vm := lookupVM(ctx)
	e := vm.funcs[funcHandle(funcObj)]
	var args []Value
	if argc > 0 {
		args = unsafe.Slice((*Value)(unsafe.Pointer(argv)), argc)
	}
	prof, depth := vm.prof, 0
	if prof != nil {
		depth = prof.enterGo(e.name) // profile.go
	}
	defer func() {
		if prof != nil {
			prof.leaveGo(depth)
		}
		if p := recover(); p != nil {
			r = vm.throwGo(fmt.Errorf("go panic in %s: %v", e.name, p))
		}
	}()
	v, err := e.fn(vm, Value{this}, args)
	if err != nil {
		vm.Free(v)
		r := vm.throwGo(err)
		if errors.Is(err, ErrTerminate) {
			lib.XJS_SetUncatchableException(tls, ctx, 1)
		}
		return r
	}
	return v.v
}

// Arg returns args[i] or undefined.
func Arg(args []Value, i int) Value {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

// ErrTerminate, returned from a Func, throws an exception that no catch or
// finally block can intercept: the JavaScript stack unwinds to the Go code
// that called it (process.exit).
var ErrTerminate = errors.New("terminated")
