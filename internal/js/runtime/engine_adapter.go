package runtime

import (
	"reflect"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
)

// The runtime's private adapter to engine internals that package qjs does
// not offer, shared by the url/querystring bindings (null-prototype
// objects, strings read in place, objects from a cached shape) and the
// HTTP server's cloneShaped. It relies on QuickJS's layout as
// modernc.org/libquickjs v0.14.0 transpiles it: qjs.Value is a
// lib.TJSValue, qjs.VM keeps the engine's *libc.TLS and context in fields
// named tls and ctx (found by reflection), a JSObject's property is 16
// bytes and a shape property 8. When any of that changes, engineOK is
// false and the bindings decline to their JavaScript paths;
// TestCloneShaped checks the adapter is active.
var engineTLSOff, engineCtxOff uintptr
var engineOK = func() bool {
	if unsafe.Sizeof(qjs.Value{}) != unsafe.Sizeof(lib.TJSValue{}) || unsafe.Sizeof(lib.TJSProperty{}) != 16 ||
		unsafe.Sizeof(lib.TJSShapeProperty{}) != 8 {
		return false
	}
	t := reflect.TypeOf(qjs.VM{})
	f1, ok1 := t.FieldByName("tls")
	f2, ok2 := t.FieldByName("ctx")
	if !ok1 || !ok2 || f1.Type != reflect.TypeOf((*libc.TLS)(nil)) || f2.Type.Kind() != reflect.Uintptr {
		return false
	}
	engineTLSOff, engineCtxOff = f1.Offset, f2.Offset
	return true
}()

// engineOf returns vm's engine TLS and context; ok is false when the
// adapter is off.
func engineOf(vm *qjs.VM) (*libc.TLS, uintptr, bool) {
	if !engineOK {
		return nil, 0, false
	}
	p := unsafe.Pointer(vm)
	return *(**libc.TLS)(unsafe.Add(p, engineTLSOff)), *(*uintptr)(unsafe.Add(p, engineCtxOff)), true
}

// enginePtr turns an address of engine memory (C heap, never moved or
// collected by Go) into a pointer.
func enginePtr(p uintptr) unsafe.Pointer { return unsafe.Add(nil, p) }

// engineNewObjectFromShape is QuickJS's JS_NewObjectFromShape (qjs's
// jsonparse_engine.go reaches the same function): it consumes a reference
// to sh and moves sh.prop_count values from props into a new object of
// class classID.
//
//go:linkname engineNewObjectFromShape modernc.org/libquickjs._JS_NewObjectFromShape
func engineNewObjectFromShape(tls *libc.TLS, ctx, sh uintptr, classID lib.TJSClassID, props uintptr) lib.TJSValue

//go:linkname engineDupShape modernc.org/libquickjs._js_dup_shape
func engineDupShape(tls *libc.TLS, sh uintptr) uintptr

//go:linkname engineShapeProps modernc.org/libquickjs._get_shape_prop
func engineShapeProps(tls *libc.TLS, sh uintptr) uintptr
