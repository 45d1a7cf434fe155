package qjs

import (
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// ModuleLoader resolves and loads ES modules for import statements and
// dynamic import().
type ModuleLoader interface {
	// Normalize turns specifier, imported from the module named base,
	// into a module name (usually an absolute path or "node:fs").
	Normalize(base, specifier string) (string, error)
	// Load returns the source of the module named name.
	Load(name string) (source string, err error)
	// InitMeta fills import.meta (borrowed) for the module named name.
	InitMeta(vm *VM, meta Value, name string)
}

// MappedLoader is optionally implemented by a ModuleLoader to hand over a
// module's source without copies: src must be followed by a readable zero
// byte (src[:len(src)+1] valid, as a mapping one byte longer than the file
// gives) and stay valid until done is called, right after the module is
// compiled. ok false falls back to Load.
type MappedLoader interface {
	LoadMapped(name string) (src []byte, done func(), ok bool)
}

// SetModuleLoader installs the loader.
func (vm *VM) SetModuleLoader(l ModuleLoader) {
	vm.loader = l
	if l == nil {
		lib.XJS_SetModuleLoaderFunc2(vm.tls, vm.rt, 0, 0, 0, 0)
		return
	}
	lib.XJS_SetModuleLoaderFunc2(vm.tls, vm.rt, fp(moduleNormalize), fp(moduleLoad), 0, uintptr(vm.id))
}

func vmByID(id uintptr) *VM {
	t := *vms.Load()
	if int(id) < len(t) {
		return t[id]
	}
	return nil
}

func moduleNormalize(tls *libc.TLS, ctx, base, name, opaque uintptr) uintptr {
	vm := vmByID(opaque)
	if vm == nil || vm.loader == nil {
		return 0
	}
	b := ""
	if base != 0 {
		b = libc.GoString(base)
	}
	r, err := vm.loader.Normalize(b, libc.GoString(name))
	if err != nil {
		vm.throwGo(err)
		return 0
	}
	p := cmalloc(tls, r)
	s := lib.Xjs_strdup(tls, ctx, p)
	libc.Xfree(tls, p)
	return s
}

func moduleLoad(tls *libc.TLS, ctx, name, opaque uintptr, attrs lib.TJSValue) uintptr {
	vm := vmByID(opaque)
	if vm == nil || vm.loader == nil {
		return 0
	}
	n := libc.GoString(name)
	v, ok := vm.compileModule(tls, ctx, name, n)
	if !ok {
		return 0
	}
	if v.Ftag == tagException {
		return 0
	}
	m := Value{v}.ptr()
	meta := lib.XJS_GetImportMeta(tls, ctx, m)
	if meta.Ftag == tagException {
		lib.XFreeValue(tls, ctx, v)
		return 0
	}
	vm.loader.InitMeta(vm, Value{meta}, n)
	lib.XFreeValue(tls, ctx, meta)
	// The module definition stays alive in the runtime's module list; the
	// compile result's reference is dropped as modernc.org/quickjs does.
	lib.XFreeValue(tls, ctx, v)
	return m
}

// compileModule compiles the module named n (name is the same, as a C
// string) from the source the loader gives, or reads it from the
// loader's ModuleCache when that holds bytecode for the same source.
// ok is false when the loader failed; the exception is then pending.
func (vm *VM) compileModule(tls *libc.TLS, ctx, name uintptr, n string) (v lib.TJSValue, ok bool) {
	if ml, ok := vm.loader.(MappedLoader); ok {
		if src, done, ok := ml.LoadMapped(n); ok {
			defer done()
			return vm.compileModuleSource(tls, ctx, name, n, src), true
		}
	}
	src, err := vm.loader.Load(n)
	if err != nil {
		vm.throwGo(err)
		return v, false
	}
	p := cmalloc(tls, src)
	defer libc.Xfree(tls, p)
	// cmalloc's copy ends in a zero byte, as JS_Eval needs.
	return vm.compileModuleSource(tls, ctx, name, n, unsafe.Slice((*byte)(unsafe.Pointer(p)), len(src))), true
}

// compileModuleSource compiles src (followed by a readable zero byte) as
// the module n, going through the loader's ModuleCache when it has one.
func (vm *VM) compileModuleSource(tls *libc.TLS, ctx, name uintptr, n string, src []byte) lib.TJSValue {
	const flags = lib.MJS_EVAL_TYPE_MODULE | lib.MJS_EVAL_FLAG_COMPILE_ONLY
	mc, _ := vm.loader.(ModuleCache)
	key := ""
	if mc != nil {
		key = mc.ModuleCacheKey(n, src)
	}
	if key != "" {
		if v, ok := vm.readCachedModule(tls, ctx, mc, key, n); ok {
			return v
		}
	}
	v := lib.XJS_Eval(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(src))), libc.Tsize_t(len(src)), name, flags)
	if key != "" && v.Ftag == tagModule {
		vm.storeModule(tls, ctx, mc, key, v)
	}
	return v
}

// ModuleNamespace returns the namespace object of a compiled module value
// (borrowed module; owned result).
func (vm *VM) ModuleNamespace(mod Value) (Value, error) {
	r := lib.XJS_GetModuleNamespace(vm.tls, vm.ctx, mod.ptr())
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// ImportMeta returns import.meta of a compiled module value (owned).
func (vm *VM) ImportMeta(mod Value) Value {
	return Value{lib.XJS_GetImportMeta(vm.tls, vm.ctx, mod.ptr())}
}

// LoadModule loads, links and evaluates the module filename through the
// installed loader, returning the evaluation promise (owned).
func (vm *VM) LoadModule(base, filename string) (Value, error) {
	b, n1 := vm.cstring(base)
	f, n2 := vm.cstring(filename)
	r := lib.XJS_LoadModule(vm.tls, vm.ctx, b, f)
	vm.tls.Free(n2)
	vm.tls.Free(n1)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

var _ = unsafe.Pointer(nil)
