package runtime

import (
	"reflect"
	goruntime "runtime"
	"unsafe"
	_ "unsafe" // go:linkname

	"modernc.org/libc"
	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
)

// The buffer binding's private adapter to engine internals that package qjs
// does not export yet: it lets Buffer's conversions read a Uint8Array's
// bytes and build a string with no Go-side copy. Everything here has a
// plain qjs fallback, taken when the adapter cannot find what it needs
// (engineOK false), so a change in qjs degrades speed, never behaviour;
// bind_buffer_engine_test.go checks the adapter is active.
//
// What it relies on, all of it QuickJS's own layout as modernc.org/libquickjs
// v0.14.0 transpiles it:
//   - qjs.Value is exactly a lib.TJSValue (qjs documents that []Value
//     aliases engine memory);
//   - qjs.VM keeps the engine's *libc.TLS and context in fields named tls and
//     ctx (found by reflection, never by a hard-coded offset);
//   - a typed array object keeps its element pointer and count in
//     JSObject.u.array (what the engine's own fast indexed access reads; a
//     detached or out-of-bounds array has count 0);
//   - an 8-bit string is a 12-byte header followed by its bytes and a NUL.

// jsAllocString is QuickJS's js_alloc_string: a string of n code units
// (8-bit unless wide), contents uninitialized; 0 when out of memory.
//
//go:linkname jsAllocString modernc.org/libquickjs._js_alloc_string
func jsAllocString(tls *libc.TLS, ctx uintptr, n, wide int32) uintptr

const engineStrHeader = 12 // JSString's header before the characters

var engineTLSOff, engineCtxOff uintptr
var engineOK = func() bool {
	if unsafe.Sizeof(qjs.Value{}) != unsafe.Sizeof(lib.TJSValue{}) {
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

func engineOf(vm *qjs.VM) (*libc.TLS, uintptr) {
	p := unsafe.Pointer(vm)
	return *(**libc.TLS)(unsafe.Add(p, engineTLSOff)), *(*uintptr)(unsafe.Add(p, engineCtxOff))
}

func rawValue(v qjs.Value) lib.TJSValue { return *(*lib.TJSValue)(unsafe.Pointer(&v)) }
func fromRaw(v lib.TJSValue) qjs.Value  { return *(*qjs.Value)(unsafe.Pointer(&v)) }

// typedBytes is a zero-copy view of a typed array's bytes (any element
// type, DataView and ArrayBuffer through qjs). The view aliases engine
// memory: use it before any JavaScript runs.
func typedBytes(vm *qjs.VM, v qjs.Value) []byte {
	r := rawValue(v)
	if !engineOK || r.Ftag != lib.EJS_TAG_OBJECT {
		b, _ := vm.TypedArrayBytes(v)
		return b
	}
	obj := (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&r.Fu)))
	id := int32(obj.Fclass_id)
	var shift uint
	switch id {
	case lib.EJS_CLASS_UINT8_ARRAY, lib.EJS_CLASS_UINT8C_ARRAY, lib.EJS_CLASS_INT8_ARRAY:
	case lib.EJS_CLASS_UINT16_ARRAY, lib.EJS_CLASS_INT16_ARRAY, lib.EJS_CLASS_FLOAT16_ARRAY:
		shift = 1
	case lib.EJS_CLASS_UINT32_ARRAY, lib.EJS_CLASS_INT32_ARRAY, lib.EJS_CLASS_FLOAT32_ARRAY:
		shift = 2
	case lib.EJS_CLASS_BIG_UINT64_ARRAY, lib.EJS_CLASS_BIG_INT64_ARRAY, lib.EJS_CLASS_FLOAT64_ARRAY:
		shift = 3
	default:
		b, _ := vm.TypedArrayBytes(v)
		return b
	}
	// JSObject.u.array: {u1 (8 bytes), u.ptr (8 bytes), count uint32}.
	u := unsafe.Pointer(&obj.Fu)
	data := *(*unsafe.Pointer)(unsafe.Add(u, 8))
	n := int(*(*uint32)(unsafe.Add(u, 16))) << shift
	if n == 0 || data == nil {
		return []byte{}
	}
	return unsafe.Slice((*byte)(data), n)
}

// newLatin1 allocates an 8-bit engine string of n characters and returns it
// with its character memory for the caller to fill completely before any
// JavaScript runs. ok is false when the adapter is off (use the qjs path).
func newLatin1(vm *qjs.VM, n int) (s qjs.Value, chars []byte, ok bool) {
	if !engineOK || n <= 0 || n > 1<<30 {
		return qjs.Undefined, nil, false
	}
	tls, ctx := engineOf(vm)
	p := jsAllocString(tls, ctx, int32(n), 0)
	if p == 0 {
		return qjs.Undefined, nil, false
	}
	// p is engine memory (not Go's heap), so the uintptr arithmetic is
	// safe: nothing moves or frees it before the string is released.
	mem := unsafe.Slice((*byte)(unsafe.Pointer(p+engineStrHeader)), n+1)
	mem[n] = 0 // 8-bit strings keep a terminating NUL
	var r lib.TJSValue
	*(*uintptr)(unsafe.Pointer(&r.Fu)) = p
	r.Ftag = lib.EJS_TAG_STRING
	return fromRaw(r), mem[:n], true
}

// latin1String makes a string whose code units are the bytes of b.
func latin1String(vm *qjs.VM, b []byte) qjs.Value {
	if len(b) == 0 {
		return vm.String("")
	}
	if s, mem, ok := newLatin1(vm, len(b)); ok {
		copy(mem, b)
		return s
	}
	return vm.Latin1String(b)
}

// utf8String makes a string from UTF-8 bytes that are already valid (the
// engine would replace invalid sequences its own way). b may alias engine
// memory (a Buffer's bytes): the engine reads it in place.
func utf8String(vm *qjs.VM, b []byte) qjs.Value {
	if len(b) == 0 {
		return vm.String("")
	}
	if !engineOK {
		return vm.String(string(b))
	}
	tls, ctx := engineOf(vm)
	r := lib.XJS_NewStringLen(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b))), libc.Tsize_t(len(b)))
	goruntime.KeepAlive(b) // b may be Go memory, passed as an address
	return fromRaw(r)
}

// uint8ArrayBytes is typedBytes for a Uint8Array (or Buffer) only: ok is
// false for any other value, other typed arrays included (Node's
// isUint8Array).
func uint8ArrayBytes(vm *qjs.VM, v qjs.Value) ([]byte, bool) {
	r := rawValue(v)
	if r.Ftag != lib.EJS_TAG_OBJECT {
		return nil, false
	}
	if !engineOK {
		if vm.ClassID(v) != lib.EJS_CLASS_UINT8_ARRAY {
			return nil, false
		}
		b, ok := vm.TypedArrayBytes(v)
		return b, ok
	}
	obj := (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&r.Fu)))
	if int32(obj.Fclass_id) != lib.EJS_CLASS_UINT8_ARRAY {
		return nil, false
	}
	return typedBytes(vm, v), true
}
