package qjs

import (
	"io"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// ModuleCache is optionally implemented by a ModuleLoader to keep the
// compiled bytecode of ES modules between runs, so a warm start reads
// modules instead of parsing them. The engine asks for a key for each
// module's source text (the text it would otherwise compile, after any
// transform), looks the key up, and on a miss compiles the text and hands
// the module's bytecode to StoreModule.
type ModuleCache interface {
	// ModuleCacheKey returns the cache key of the module named name whose
	// source is src (only valid during the call); "" keeps this module
	// out of the cache.
	ModuleCacheKey(name string, src []byte) string
	// CachedModule returns the bytecode stored under key, to be read in
	// place until done is called. ok is false on a miss; a damaged entry
	// must be reported as a miss (QuickJS does not verify bytecode).
	CachedModule(key string) (bc []byte, done func(), ok bool)
	// StoreModule stores under key the bytecode that write produces.
	StoreModule(key string, write func(io.Writer) error)
}

// readCachedModule reads a module definition from the cache entry key.
// ok is false on a miss or when the entry cannot be read as a module;
// the caller then compiles the source (and the entry is rewritten).
func (vm *VM) readCachedModule(tls *libc.TLS, ctx uintptr, mc ModuleCache, key, name string) (lib.TJSValue, bool) {
	bc, done, ok := mc.CachedModule(key)
	if !ok {
		return lib.TJSValue{}, false
	}
	defer done()
	if len(bc) == 0 {
		return lib.TJSValue{}, false
	}
	v := lib.XJS_ReadObject(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(bc))), libc.Tsize_t(len(bc)), lib.MJS_READ_OBJ_BYTECODE)
	if v.Ftag == tagException {
		lib.XFreeValue(tls, ctx, lib.XJS_GetException(tls, ctx))
		return lib.TJSValue{}, false
	}
	if v.Ftag != tagModule {
		lib.XFreeValue(tls, ctx, v)
		return lib.TJSValue{}, false
	}
	return v, true
}

// storeModule writes the bytecode of the compiled module v (borrowed)
// through mc under key. A module that cannot be written is not cached.
func (vm *VM) storeModule(tls *libc.TLS, ctx uintptr, mc ModuleCache, key string, v lib.TJSValue) {
	mc.StoreModule(key, func(w io.Writer) error {
		ps := tls.Alloc(8)
		defer tls.Free(8)
		p := lib.XJS_WriteObject(tls, ctx, ps, v, lib.MJS_WRITE_OBJ_BYTECODE)
		if p == 0 {
			lib.XFreeValue(tls, ctx, lib.XJS_GetException(tls, ctx))
			return errWriteModule
		}
		defer lib.Xjs_free(tls, ctx, p)
		n := *(*libc.Tsize_t)(unsafe.Pointer(ps))
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
		return err
	})
}

type writeModuleError struct{}

func (writeModuleError) Error() string { return "qjs: cannot serialize the compiled module" }

var errWriteModule error = writeModuleError{}
