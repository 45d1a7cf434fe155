package qjs

import (
	_ "unsafe" // go:linkname

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Unexported libquickjs functions the JSON parser builds values with.
// libquickjs is QuickJS transpiled to Go, so its static C functions are
// package-level Go functions (named with a leading underscore) that a
// linkname can reach; the linker's linkname restriction covers only the
// standard library. The signatures below mirror the transpiled ones in
// modernc.org/libquickjs v0.14.0 (the same on every GOOS/GOARCH it
// ships); TestJSONParseEngineFuncs exercises each of them.

// jsNewObjectFromShape is JS_NewObjectFromShape: it consumes one reference
// to sh, allocates an object of class classID and, when props is not 0,
// moves sh.prop_count property values from props into it (freeing them
// and the shape itself when the allocation fails).
//
//go:linkname jsNewObjectFromShape modernc.org/libquickjs._JS_NewObjectFromShape
func jsNewObjectFromShape(tls *libc.TLS, ctx, sh uintptr, classID lib.TJSClassID, props uintptr) lib.TJSValue

// jsDupShape adds a reference to a shape and returns it.
//
//go:linkname jsDupShape modernc.org/libquickjs._js_dup_shape
func jsDupShape(tls *libc.TLS, sh uintptr) uintptr

// jsFreeShape drops a reference to a shape.
//
//go:linkname jsFreeShape modernc.org/libquickjs._js_free_shape
func jsFreeShape(tls *libc.TLS, rt, sh uintptr)

// jsCreateArrayFree returns a fast array of the n values at tab, taking
// ownership of them (they are freed when the allocation fails).
//
//go:linkname jsCreateArrayFree modernc.org/libquickjs._js_create_array_free
func jsCreateArrayFree(tls *libc.TLS, ctx uintptr, n int32, tab uintptr) lib.TJSValue

// jsNewString8 copies n Latin-1 bytes from buf into a new string.
//
//go:linkname jsNewString8 modernc.org/libquickjs._js_new_string8_len
func jsNewString8(tls *libc.TLS, ctx, buf uintptr, n int32) lib.TJSValue

// jsAllocString allocates a string of n code units (8-bit, or 16-bit when
// wide is 1) with its contents uninitialized; 0 when out of memory (an
// exception is then pending).
//
//go:linkname jsAllocString modernc.org/libquickjs._js_alloc_string
func jsAllocString(tls *libc.TLS, ctx uintptr, n, wide int32) uintptr

// jsNewString16 copies n UTF-16 code units from buf into a new wide string.
//
//go:linkname jsNewString16 modernc.org/libquickjs._js_new_string16_len
func jsNewString16(tls *libc.TLS, ctx, buf uintptr, n int32) lib.TJSValue
