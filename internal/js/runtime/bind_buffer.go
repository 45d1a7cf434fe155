package runtime

import (
	"bytes"
	"encoding/base64"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"gnode/internal/js/qjs"
)

// bindBuffer is internalBinding('buffer'), see bindings/buffer.md.
func bindBuffer(r *rt, obj qjs.Value) {
	view := func(vm *qjs.VM, a []qjs.Value) []byte {
		b := typedBytes(vm, qjs.Arg(a, 0))
		s, e := int(vm.Int(qjs.Arg(a, 1))), int(vm.Int(qjs.Arg(a, 2)))
		e = min(max(e, 0), len(b))
		s = min(max(s, 0), e)
		return b[s:e]
	}
	slice := func(name string, dec func(vm *qjs.VM, b []byte, a []qjs.Value) qjs.Value) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			return dec(vm, view(vm, a), a), nil
		})
	}
	slice("utf8Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return utf8Slice(vm, b) })
	slice("latin1Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return latin1String(vm, b) })
	slice("asciiSlice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return asciiSlice(vm, b) })
	slice("ucs2Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return utf16String(vm, u)
	})
	slice("hexSlice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return hexSlice(vm, b) })
	slice("base64Slice", func(vm *qjs.VM, b []byte, a []qjs.Value) qjs.Value {
		return base64Slice(vm, b, vm.Truthy(qjs.Arg(a, 3)))
	})
	target := func(vm *qjs.VM, a []qjs.Value) []byte {
		b := typedBytes(vm, qjs.Arg(a, 1))
		off := min(max(int(vm.Int(qjs.Arg(a, 2))), 0), len(b))
		n := min(max(int(vm.Int(qjs.Arg(a, 3))), 0), len(b)-off)
		return b[off : off+n]
	}
	write := func(name string, enc func(vm *qjs.VM, s qjs.Value, dst []byte) int) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			return qjs.Int(int32(enc(vm, qjs.Arg(a, 0), target(vm, a)))), nil
		})
	}
	write("utf8Write", utf8WriteTo)
	write("latin1Write", latin1WriteTo)
	write("ucs2Write", ucs2WriteTo)
	write("hexWrite", hexWriteTo)
	// base64Write's optional fifth argument, scratch, says the bytes after
	// the result may change (Buffer.from writes into fresh memory): then
	// well-formed text takes the standard library's decoder, which is
	// faster than decodeBase64Into but stores past its result and stops at
	// the first bad character.
	r.fn(obj, "base64Write", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Int(int32(base64WriteTo(vm, qjs.Arg(a, 0), target(vm, a), vm.Truthy(qjs.Arg(a, 4))))), nil
	})
	r.fn(obj, "byteLengthUtf8", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Float(float64(utf8Len(vm, qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "compare", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		x := view(vm, a)
		y := view(vm, a[3:])
		return qjs.Int(int32(bytes.Compare(x, y))), nil
	})
	r.fn(obj, "indexOf", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hay := typedBytes(vm, qjs.Arg(a, 0))
		needle := typedBytes(vm, qjs.Arg(a, 1))
		from := int(vm.Int(qjs.Arg(a, 2)))
		from = min(max(from, 0), len(hay))
		if vm.Truthy(qjs.Arg(a, 3)) {
			i := bytes.Index(hay[from:], needle)
			if i < 0 {
				return qjs.Int(-1), nil
			}
			return qjs.Int(int32(i + from)), nil
		}
		end := min(from+len(needle), len(hay))
		return qjs.Int(int32(bytes.LastIndex(hay[:end], needle))), nil
	})
	// indexOfString searches for a string's UTF-8 bytes without making a
	// Buffer of it first (buf.indexOf('text'), buf.includes('\r\n')).
	r.fn(obj, "indexOfString", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hay := typedBytes(vm, qjs.Arg(a, 0))
		from := min(max(int(vm.Int(qjs.Arg(a, 2))), 0), len(hay))
		return qjs.Int(int32(indexOfString(vm, hay, qjs.Arg(a, 1), from, vm.Truthy(qjs.Arg(a, 3))))), nil
	})
	// allocBuffer returns a zero-filled ArrayBuffer of n bytes in Go's
	// heap. Large Buffers come from here: the engine's allocator maps fresh
	// pages for each large block and returns them on free, so every big
	// Buffer paid a page fault per 4 KB while zeroing; Go's heap reuses
	// freed pages (measured: Buffer.concat of 4 MB 2.8 ms before, see
	// /work/notes/bench-buf.md).
	r.fn(obj, "allocBuffer", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		n := vm.Int(qjs.Arg(a, 0))
		if n <= 0 || n > 1<<32 {
			return vm.NewArrayBufferCopy(nil), nil
		}
		return vm.NewArrayBuffer(make([]byte, n)), nil
	})
	// equals(a, b) and compareAll(a, b) take two whole Uint8Arrays (a
	// Buffer is one) and return undefined when either is something else,
	// so buffer.js validates only on that slow path.
	r.fn(obj, "equals", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		x, ok1 := uint8ArrayBytes(vm, qjs.Arg(a, 0))
		y, ok2 := uint8ArrayBytes(vm, qjs.Arg(a, 1))
		if !ok1 || !ok2 {
			return qjs.Undefined, nil
		}
		return qjs.Bool(bytes.Equal(x, y)), nil
	})
	r.fn(obj, "compareAll", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		x, ok1 := uint8ArrayBytes(vm, qjs.Arg(a, 0))
		y, ok2 := uint8ArrayBytes(vm, qjs.Arg(a, 1))
		if !ok1 || !ok2 {
			return qjs.Undefined, nil
		}
		return qjs.Int(int32(bytes.Compare(x, y))), nil
	})
	// concatLength(list) and concatCopy(list, dst) are Buffer.concat's two
	// loops in one call each. Both return -(i+1) when list[i] is not a
	// Uint8Array, for buffer.js to throw Node's error. concatCopy copies
	// each element as soon as it has it and takes dst's bytes afresh every
	// time: reading list[i] can run JavaScript (a Proxy), which could
	// detach what an earlier view pointed at.
	r.fn(obj, "concatLength", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		list := qjs.Arg(a, 0)
		n, total := vm.Len(list), 0
		for i := 0; i < n; i++ {
			el, err := vm.GetIndex(list, uint32(i))
			if err != nil {
				return qjs.Undefined, err
			}
			b, ok := uint8ArrayBytes(vm, el)
			vm.Free(el)
			if !ok {
				return qjs.Int(int32(-(i + 1))), nil
			}
			total += len(b)
		}
		return qjs.Float(float64(total)), nil
	})
	r.fn(obj, "concatCopy", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		list, target := qjs.Arg(a, 0), qjs.Arg(a, 1)
		n, pos := vm.Len(list), 0
		for i := 0; i < n; i++ {
			el, err := vm.GetIndex(list, uint32(i))
			if err != nil {
				return qjs.Undefined, err
			}
			b, ok := uint8ArrayBytes(vm, el)
			if !ok {
				vm.Free(el)
				return qjs.Int(int32(-(i + 1))), nil
			}
			dst := typedBytes(vm, target)
			pos += copy(dst[min(pos, len(dst)):], b)
			vm.Free(el)
		}
		return qjs.Float(float64(pos)), nil
	})
	r.fn(obj, "isUtf8", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(utf8.Valid(view(vm, a))), nil
	})
	bindBufferFast(r, obj)
	bindHTTPJSHeaders(r, obj)
	bindHTTPJSHeaderMethods(r, obj)
	bindHTTPJSPlainHead(r, obj)
	bindHTTPJSHeadersFromRaw(r, obj)
	bindBufferText(r, obj)
}

// decodeUTF8 decodes with WHATWG replacement: a truncated but valid prefix
// is one U+FFFD.
func decodeUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for i := 0; i < len(b); {
		c, w := utf8.DecodeRune(b[i:])
		if c != utf8.RuneError || w > 1 {
			out = append(out, b[i:i+w]...)
			i += w
			continue
		}
		// Maximal subpart: consume the valid prefix of a sequence.
		n := validPrefix(b[i:])
		out = append(out, "\uFFFD"...)
		i += max(n, 1)
	}
	return out
}

func validPrefix(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		need, hi = 2, 0x9F
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		x := b[n]
		if k > 0 {
			lo, hi = 0x80, 0xBF
		}
		if x < lo || x > hi {
			break
		}
		n++
	}
	return n
}

// utf16String builds a JS string from code units, keeping lone surrogates
// by going through String.fromCharCode.
func utf16String(vm *qjs.VM, u []uint16) qjs.Value {
	lone := false
	for i := 0; i < len(u); i++ {
		if utf16.IsSurrogate(rune(u[i])) {
			if u[i] < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				i++
				continue
			}
			lone = true
			break
		}
	}
	if !lone {
		return vm.String(string(utf16.Decode(u)))
	}
	g := vm.Global()
	defer vm.Free(g)
	str := vm.GetV(g, "String")
	defer vm.Free(str)
	fcc := vm.GetV(str, "fromCharCode")
	defer vm.Free(fcc)
	out := vm.String("")
	for i := 0; i < len(u); i += 4096 {
		chunk := u[i:min(i+4096, len(u))]
		args := make([]qjs.Value, len(chunk))
		for j, c := range chunk {
			args[j] = qjs.Int(int32(c))
		}
		part, _ := vm.Call(fcc, str, args...)
		joined, _ := vm.CallMethod(out, "concat", part)
		vm.FreeAll(part, out)
		out = joined
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// withChars runs fn over a string's characters: a zero-copy Latin-1 view
// for 8-bit strings, UTF-16 code units otherwise. fn must not call into
// JavaScript: the views alias engine memory.
func withChars(vm *qjs.VM, s qjs.Value, fn func(l1 []byte, u []uint16)) {
	l1, u, flat, ok := vm.StringData(s)
	if !ok {
		fn(nil, vm.UTF16(s))
		return
	}
	if l1 == nil && u == nil {
		l1 = []byte{}
	}
	fn(l1, u)
	vm.Free(flat)
}

// The encoders and decoders behind the binding's *Slice and *Write
// functions, shared with the native Buffer methods (bind_buffer_fast.go).

// utf8Slice decodes UTF-8 with WHATWG replacement of invalid bytes.
func utf8Slice(vm *qjs.VM, b []byte) qjs.Value {
	if utf8.Valid(b) {
		return utf8String(vm, b) // the engine reads the Buffer's bytes in place
	}
	return utf8String(vm, decodeUTF8(b))
}

func asciiSlice(vm *qjs.VM, b []byte) qjs.Value {
	if len(b) == 0 {
		return vm.String("")
	}
	s, mem, ok := newLatin1(vm, len(b))
	if !ok {
		mem = make([]byte, len(b))
	}
	for i, x := range b {
		mem[i] = x & 0x7f
	}
	if !ok {
		return vm.String(string(mem))
	}
	return s
}

// hexSlice and base64Slice encode straight into the engine's string.
func hexSlice(vm *qjs.VM, b []byte) qjs.Value {
	if len(b) == 0 {
		return vm.String("")
	}
	s, mem, ok := newLatin1(vm, len(b)*2)
	if !ok {
		mem = make([]byte, len(b)*2)
	}
	encodeHex(mem, b)
	if !ok {
		return vm.String(unsafe.String(unsafe.SliceData(mem), len(mem)))
	}
	return s
}

func base64Slice(vm *qjs.VM, b []byte, url bool) qjs.Value {
	enc := base64.StdEncoding
	if url {
		enc = base64.RawURLEncoding
	}
	n := enc.EncodedLen(len(b))
	if n == 0 {
		return vm.String("")
	}
	s, mem, ok := newLatin1(vm, n)
	if !ok {
		mem = make([]byte, n)
	}
	enc.Encode(mem, b)
	if !ok {
		return vm.String(unsafe.String(unsafe.SliceData(mem), len(mem)))
	}
	return s
}

func utf8WriteTo(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 != nil {
			n = latin1ToUTF8(dst, l1)
			return
		}
		n = utf16ToUTF8(dst, u)
	})
	return n
}

func latin1WriteTo(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 != nil {
			n = copy(dst, l1)
			return
		}
		n = min(len(u), len(dst))
		for i := 0; i < n; i++ {
			dst[i] = byte(u[i])
		}
	})
	return n
}

func ucs2WriteTo(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 != nil {
			n = min(len(l1), len(dst)/2)
			for i := 0; i < n; i++ {
				dst[2*i], dst[2*i+1] = l1[i], 0
			}
			return
		}
		n = min(len(u), len(dst)/2)
		for i := 0; i < n; i++ {
			dst[2*i], dst[2*i+1] = byte(u[i]), byte(u[i]>>8)
		}
	})
	return n * 2
}

func hexWriteTo(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 != nil {
			n = decodeHex(dst, l1)
			return
		}
		// A wide string decodes each unit's low byte, as Node does
		// (so U+0130 reads as '0').
		for i := 0; i+1 < len(u) && n < len(dst); i += 2 {
			h, l := unhexTable[byte(u[i])], unhexTable[byte(u[i+1])]
			if h|l > 0xf {
				break
			}
			dst[n] = h<<4 | l
			n++
		}
	})
	return n
}

// base64WriteTo decodes base64 or base64url text into dst. With scratch
// the bytes of dst after the result may be overwritten.
func base64WriteTo(vm *qjs.VM, s qjs.Value, dst []byte, scratch bool) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 == nil {
			// Node decodes the low byte of each UTF-16 code unit.
			l1 = make([]byte, len(u))
			for i, c := range u {
				l1[i] = byte(c)
			}
		}
		if scratch {
			raw := l1
			for k := 0; k < 2 && len(raw) > 0 && raw[len(raw)-1] == '='; k++ {
				raw = raw[:len(raw)-1]
			}
			if m := base64.RawStdEncoding.DecodedLen(len(raw)); m <= len(dst) {
				if k, err := base64.RawStdEncoding.Decode(dst[:m], raw); err == nil {
					n = k
					return
				}
			}
		}
		n = decodeBase64Into(dst, l1)
	})
	return n
}

// utf8Len is the length of a string's UTF-8 form (a lone surrogate is
// U+FFFD's 3 bytes).
func utf8Len(vm *qjs.VM, s qjs.Value) (n int) {
	withChars(vm, s, func(l1 []byte, u []uint16) {
		if l1 != nil {
			n = len(l1) + countHigh(l1)
			return
		}
		n = utf8LenUTF16(u)
	})
	return n
}

// indexOfString finds a string's UTF-8 bytes in hay from byte from (0 <=
// from <= len(hay)), forward or backward, without making a Buffer of it;
// -1 when absent or empty.
func indexOfString(vm *qjs.VM, hay []byte, str qjs.Value, from int, forward bool) int {
	i := -1
	withChars(vm, str, func(l1 []byte, u []uint16) {
		var needle []byte
		if l1 != nil && countHigh(l1) == 0 {
			needle = l1 // ASCII is its own UTF-8
		} else {
			var small [64]byte
			if l1 != nil {
				needle = small[:0]
				if n := len(l1) + countHigh(l1); n > len(small) {
					needle = make([]byte, n)
				} else {
					needle = small[:n]
				}
				latin1ToUTF8(needle, l1)
			} else {
				// Node searches for a lone surrogate's own 3-byte form
				// (ED A0 80 for U+D800), not for U+FFFD's.
				needle = appendWTF8(small[:0], u)
			}
		}
		if len(needle) == 0 {
			return
		}
		if forward {
			if j := bytes.Index(hay[from:], needle); j >= 0 {
				i = j + from
			}
			return
		}
		i = bytes.LastIndex(hay[:min(from+len(needle), len(hay))], needle)
	})
	return i
}
