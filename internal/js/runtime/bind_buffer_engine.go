package runtime

import (
	"gnode/internal/js/qjs"
)

// The buffer binding's access to engine memory, through qjs's zero-copy
// accessors (qjs/views.go): a Uint8Array's bytes read in place, strings
// built in the engine's own memory.

// typedBytes is a zero-copy view of a typed array's bytes (any element
// type), a DataView's or an ArrayBuffer's; nil for anything else. The view
// aliases engine memory: use it before any JavaScript runs.
func typedBytes(vm *qjs.VM, v qjs.Value) []byte {
	b, _ := vm.ViewBytes(v)
	return b
}

// newLatin1 allocates an 8-bit engine string of n characters and returns it
// with its character memory for the caller to fill completely before any
// JavaScript runs. ok is false when it cannot (n out of range, out of
// memory): the caller builds the string another way.
func newLatin1(vm *qjs.VM, n int) (s qjs.Value, chars []byte, ok bool) {
	return vm.NewLatin1(n)
}

// latin1String makes a string whose code units are the bytes of b.
func latin1String(vm *qjs.VM, b []byte) qjs.Value {
	if len(b) == 0 {
		return vm.String("")
	}
	if s, mem, ok := vm.NewLatin1(len(b)); ok {
		copy(mem, b)
		return s
	}
	return vm.Latin1String(b)
}

// utf8String makes a string from UTF-8 bytes that are already valid (the
// engine would replace invalid sequences its own way). b may alias engine
// memory (a Buffer's bytes): the engine reads it in place.
func utf8String(vm *qjs.VM, b []byte) qjs.Value { return vm.UTF8String(b) }

// uint8ArrayBytes is typedBytes for a Uint8Array (or Buffer) only: ok is
// false for any other value, other typed arrays included (Node's
// isUint8Array).
func uint8ArrayBytes(vm *qjs.VM, v qjs.Value) ([]byte, bool) { return vm.Uint8ArrayBytes(v) }
