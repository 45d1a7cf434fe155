package qjs

import (
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// ArrayBufferBytes returns a zero-copy view of an ArrayBuffer's memory. The
// slice is valid while the buffer is alive and not detached or resized.
func (vm *VM) ArrayBufferBytes(v Value) ([]byte, bool) {
	ps := vm.tls.Alloc(8)
	p := lib.XJS_GetArrayBuffer(vm.tls, vm.ctx, ps, v.v)
	n := *(*libc.Tsize_t)(unsafe.Pointer(ps))
	vm.tls.Free(8)
	if p == 0 {
		if n == 0 && vm.ClassID(v) == lib.EJS_CLASS_ARRAY_BUFFER {
			vm.clearException()
			return []byte{}, true
		}
		vm.clearException()
		return nil, false
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), n), true
}

// TypedArrayBytes returns a zero-copy view of the bytes of a typed array or
// DataView (e.g. a Uint8Array or Buffer).
func (vm *VM) TypedArrayBytes(v Value) ([]byte, bool) {
	if !v.IsObject() {
		return nil, false
	}
	id := vm.ClassID(v)
	if id == lib.EJS_CLASS_ARRAY_BUFFER || id == lib.EJS_CLASS_SHARED_ARRAY_BUFFER {
		return vm.ArrayBufferBytes(v)
	}
	if id < lib.EJS_CLASS_UINT8C_ARRAY || id > lib.EJS_CLASS_DATAVIEW {
		return nil, false
	}
	p := vm.tls.Alloc(24)
	defer vm.tls.Free(24)
	ab := lib.XJS_GetTypedArrayBuffer(vm.tls, vm.ctx, v.v, p, p+8, p+16)
	if ab.Ftag == tagException {
		vm.clearException()
		if id == lib.EJS_CLASS_DATAVIEW {
			return vm.dataViewBytes(v)
		}
		return nil, false
	}
	off := *(*libc.Tsize_t)(unsafe.Pointer(p))
	n := *(*libc.Tsize_t)(unsafe.Pointer(p + 8))
	b, ok := vm.ArrayBufferBytes(Value{ab})
	lib.XFreeValue(vm.tls, vm.ctx, ab)
	if !ok || int(off+n) > len(b) {
		return nil, false
	}
	return b[off : off+n : off+n], true
}

func (vm *VM) dataViewBytes(v Value) ([]byte, bool) {
	buf := vm.GetV(v, "buffer")
	defer vm.Free(buf)
	b, ok := vm.ArrayBufferBytes(buf)
	if !ok {
		return nil, false
	}
	off := vm.Int(vm.GetV(v, "byteOffset"))
	n := vm.Int(vm.GetV(v, "byteLength"))
	return b[off : off+n], true
}

// NewArrayBuffer creates an ArrayBuffer over b without copying. b must not
// be used by Go after the call except through the JavaScript object; the
// VM keeps it alive until the buffer is collected.
func (vm *VM) NewArrayBuffer(b []byte) Value {
	if len(b) == 0 {
		return vm.NewArrayBufferCopy(nil)
	}
	var h int32
	if n := len(vm.freeBufs); n > 0 {
		h = vm.freeBufs[n-1]
		vm.freeBufs = vm.freeBufs[:n-1]
		vm.buffers[h] = b
	} else {
		h = int32(len(vm.buffers))
		vm.buffers = append(vm.buffers, b)
	}
	return Value{lib.XJS_NewArrayBuffer(vm.tls, vm.ctx, uintptr(unsafe.Pointer(&b[0])), libc.Tsize_t(len(b)), fp(freeGoBuffer), uintptr(h), 0)}
}

func freeGoBuffer(tls *libc.TLS, rt, opaque, ptr uintptr) {
	vm := vmByID(lib.XJS_GetRuntimeOpaque(tls, rt))
	if vm == nil || vm.buffers == nil {
		return
	}
	h := int32(opaque)
	vm.buffers[h] = nil
	vm.freeBufs = append(vm.freeBufs, h)
}

// NewArrayBufferCopy creates an ArrayBuffer holding a copy of b.
func (vm *VM) NewArrayBufferCopy(b []byte) Value {
	if len(b) == 0 {
		p := vm.tls.Alloc(8)
		defer vm.tls.Free(8)
		return Value{lib.XJS_NewArrayBufferCopy(vm.tls, vm.ctx, p, 0)}
	}
	p := libc.Xmalloc(vm.tls, libc.Tsize_t(len(b)))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)), b)
	r := lib.XJS_NewArrayBufferCopy(vm.tls, vm.ctx, p, libc.Tsize_t(len(b)))
	libc.Xfree(vm.tls, p)
	return Value{r}
}

// NewUint8Array creates a Uint8Array over an ArrayBuffer made from b
// without copying (see NewArrayBuffer).
func (vm *VM) NewUint8Array(b []byte) Value {
	ab := vm.NewArrayBuffer(b)
	defer vm.Free(ab)
	return vm.TypedArray(ab, lib.EJS_TYPED_ARRAY_UINT8)
}

// TypedArray creates a typed array of the given kind over an ArrayBuffer
// (borrowed).
func (vm *VM) TypedArray(ab Value, kind int) Value {
	// The constructor reads offset and length slots even when argc is 1.
	argv, n := vm.cargs([]Value{ab, Undefined, Undefined})
	r := lib.XJS_NewTypedArray(vm.tls, vm.ctx, 3, argv, int32(kind))
	vm.tls.Free(n)
	return Value{r}
}

// Typed array kinds for TypedArray.
const (
	Uint8Array   = lib.EJS_TYPED_ARRAY_UINT8
	Int32Array   = lib.EJS_TYPED_ARRAY_INT32
	Float64Array = lib.EJS_TYPED_ARRAY_FLOAT64
)
