package qjs

import (
	"unsafe"

	lib "modernc.org/libquickjs"
)

// QuickJS lays a flat string out as a 32-bit word holding the length (low
// 31 bits) and the wide-character flag (top bit), two more words of atom
// bookkeeping, then the characters: bytes (Latin-1) or 16-bit code units.
// The JSValue's pointer addresses that first word.
const (
	strHeaderLen = 12
	strWideBit   = 1 << 31
)

// StringData gives Go a view of a string's characters without copying:
// latin1 for an 8-bit string, wide for a 16-bit one (exactly one is
// non-nil for a non-empty string). A rope is flattened first; flat is that
// flattened string, which the caller frees after using the views (it is
// Undefined when v was already flat). The views alias engine memory: use
// them before v (or flat) is freed and before any JavaScript runs.
// ok is false when v is not a string.
func (vm *VM) StringData(v Value) (latin1 []byte, wide []uint16, flat Value, ok bool) {
	flat = Undefined
	switch v.tag() {
	case tagString:
	case tagRope:
		flat = Value{lib.XJS_ToString(vm.tls, vm.ctx, v.v)}
		if flat.tag() != tagString {
			vm.Free(flat)
			vm.clearException()
			return nil, nil, Undefined, false
		}
		v = flat
	default:
		return nil, nil, Undefined, false
	}
	p := v.ptr()
	hdr := *(*uint32)(unsafe.Pointer(p))
	n := int(hdr &^ strWideBit)
	if n == 0 {
		return nil, nil, flat, true
	}
	data := unsafe.Pointer(p + strHeaderLen)
	if hdr&strWideBit != 0 {
		return nil, unsafe.Slice((*uint16)(data), n), flat, true
	}
	return unsafe.Slice((*byte)(data), n), nil, flat, true
}
