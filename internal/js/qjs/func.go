package qjs

import (
	"errors"
	"fmt"
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

// tokenClassID is the class of the small object stored in a Go function's
// data slot; its finalizer returns the function's handle to the free list.
var tokenClassID uint32

func (vm *VM) initTokenClass() error {
	if tokenClassID == 0 {
		p := libc.Xmalloc(vm.tls, 4)
		lib.XJS_NewClassID(vm.tls, p)
		tokenClassID = *(*uint32)(unsafe.Pointer(p))
		libc.Xfree(vm.tls, p)
	}
	return vm.newClassDef(tokenClassID, "GoFunctionHandle", fp(tokenFinalizer), 0)
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

func tokenFinalizer(tls *libc.TLS, rt uintptr, val lib.TJSValue) {
	h := int32(lib.XJS_GetOpaque(tls, val, tokenClassID))
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
	tok := lib.XJS_NewObjectClass(vm.tls, vm.ctx, int32(tokenClassID))
	lib.XJS_SetOpaque(vm.tls, tok, uintptr(h))
	data := vm.tls.Alloc(32)
	*(*lib.TJSValue)(unsafe.Pointer(data)) = mkval(tagInt, h)
	*(*lib.TJSValue)(unsafe.Pointer(data + 16)) = tok
	f := lib.XJS_NewCFunctionData(vm.tls, vm.ctx, fp(callGo), int32(length), 0, 2, data)
	vm.tls.Free(32)
	lib.XFreeValue(vm.tls, vm.ctx, tok) // the function holds its own reference
	if name != "" && f.Ftag == tagObject {
		// Function.prototype.name is configurable and not writable.
		lib.XJS_DefinePropertyValue(vm.tls, vm.ctx, f, vm.atom("name"), vm.String(name).v, lib.MJS_PROP_CONFIGURABLE)
	}
	return Value{f}
}

// SetFunc defines obj[name] as a Go function (non-enumerable, like a
// built-in method).
func (vm *VM) SetFunc(obj Value, name string, length int, fn Func) {
	vm.Define(obj, name, vm.Function(name, length, fn), true)
}

// callGo is the JSCFunctionData trampoline for every Go function.
func callGo(tls *libc.TLS, ctx uintptr, this lib.TJSValue, argc int32, argv uintptr, magic int32, data uintptr) (r lib.TJSValue) {
	vm := lookupVM(ctx)
	h := int32(*(*uint64)(unsafe.Pointer(data)))
	e := vm.funcs[h]
	var args []Value
	if argc > 0 {
		args = unsafe.Slice((*Value)(unsafe.Pointer(argv)), argc)
	}
	defer func() {
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
