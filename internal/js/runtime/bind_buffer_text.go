package runtime

import (
	"bytes"
	"unicode/utf8"

	"gnode/internal/js/qjs"
)

// Native TextEncoder.prototype.encode/encodeInto and TextDecoder.prototype.
// decode for their common calls, for the reason bind_buffer_fast.go gives:
// one engine call instead of a JavaScript frame plus several. Everything
// else goes to lib/internal/encoding.js's JavaScript versions.
//
// textMethods(slow, kFast, uint8ArrayPrototype) returns the native twins of
// slow.encode, slow.encodeInto and slow.decode. A decoder's this[kFast] is
// non-zero while the decoder is plain UTF-8 with nothing pending and no
// byte-order mark seen (encoding.js keeps it so): bit 1 set, bit 2 fatal,
// bit 4 ignoreBOM.
func bindBufferText(r *rt, obj qjs.Value) {
	r.fn(obj, "textMethods", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hold := r.hold
		slow := qjs.Arg(a, 0)
		kFast, err := vm.KeyOf(qjs.Arg(a, 1))
		if err != nil {
			return qjs.Undefined, err
		}
		u8proto := hold(vm.Dup(qjs.Arg(a, 2)))
		m := vm.Object()
		def := r.twinDefiner(vm, slow, m)
		kRead, kWritten := vm.Key("read"), vm.Key("written")
		// encodeInto's results share one layout, {read, written}.
		ex := vm.Object()
		vm.SetKey(ex, kRead, qjs.Int(0))
		vm.SetKey(ex, kWritten, qjs.Int(0))
		result, haveShape := vm.ShapeOf(ex)
		vm.Free(ex)

		def("encode", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			in := qjs.Arg(a, 0)
			if len(a) > 1 || !(in.IsString() || in.IsUndefined()) {
				return vm.Call(s, this, a...)
			}
			n := 0
			if in.IsString() {
				n = utf8Len(vm, in)
			}
			ab := vm.NewArrayBufferZero(n)
			v, ok := vm.NewUint8View(ab, 0, n, u8proto)
			vm.Free(ab)
			if !ok {
				return vm.Call(s, this, a...)
			}
			if n > 0 {
				b, _ := vm.Uint8ArrayBytes(v)
				utf8WriteTo(vm, in, b)
			}
			return v, nil
		})
		def("encodeInto", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			src := qjs.Arg(a, 0)
			dst, ok := vm.Uint8ArrayBytes(qjs.Arg(a, 1))
			if !ok || !src.IsString() || len(a) > 2 {
				return vm.Call(s, this, a...)
			}
			var read, written int
			withChars(vm, src, func(l1 []byte, u []uint16) {
				if l1 != nil {
					written, read = latin1ToUTF8Read(dst, l1)
				} else {
					written = utf16ToUTF8(dst, u)
					read = unitsForBytes(nil, u, written)
				}
			})
			if haveShape {
				if o := vm.NewObjectOf(result, qjs.Int(int32(read)), qjs.Int(int32(written))); !o.IsUndefined() {
					return o, nil
				}
			}
			o := vm.Object()
			if err := vm.SetKey(o, kRead, qjs.Int(int32(read))); err != nil {
				vm.Free(o)
				return qjs.Undefined, err
			}
			if err := vm.SetKey(o, kWritten, qjs.Int(int32(written))); err != nil {
				vm.Free(o)
				return qjs.Undefined, err
			}
			return o, nil
		})
		def("decode", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			in := qjs.Arg(a, 0)
			if !this.IsObject() || len(a) > 2 || !qjs.Arg(a, 1).IsUndefined() || !qjs.IsView(in) {
				return vm.Call(s, this, a...)
			}
			fv, err := vm.GetKey(this, kFast)
			if err != nil {
				return qjs.Undefined, err
			}
			mode, _ := qjs.SmallInt(fv)
			if mode&1 == 0 {
				return vm.Call(s, this, a...)
			}
			b, _ := vm.ViewBytes(in)
			valid := utf8.Valid(b)
			if !valid && mode&2 != 0 {
				return vm.Call(s, this, a...) // fatal: the JavaScript throws
			}
			if mode&4 == 0 && bytes.HasPrefix(b, bom) {
				b = b[len(bom):]
			}
			if !valid {
				b = decodeUTF8(b)
			}
			return utf8String(vm, b), nil
		})
		return m, nil
	})
}

// bom is U+FEFF in UTF-8.
var bom = []byte{0xef, 0xbb, 0xbf}

// unitsForBytes counts the UTF-16 units of a string whose UTF-8 form's
// first n bytes were written (whole characters only; a lone surrogate is
// U+FFFD's 3 bytes): encodeInto's read.
func unitsForBytes(l1 []byte, u []uint16, n int) int {
	if l1 != nil {
		read, bytes := 0, 0
		for read < len(l1) && bytes < n {
			if l1[read] < 0x80 {
				bytes++
			} else {
				bytes += 2
			}
			read++
		}
		return read
	}
	read, bytes := 0, 0
	for read < len(u) && bytes < n {
		c := u[read]
		switch {
		case c < 0x80:
			bytes++
			read++
		case c < 0x800:
			bytes += 2
			read++
		case c >= 0xd800 && c <= 0xdbff && read+1 < len(u) && u[read+1]&0xfc00 == 0xdc00:
			bytes += 4
			read += 2
		default:
			bytes += 3
			read++
		}
	}
	return read
}
