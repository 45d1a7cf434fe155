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
		b, _ := vm.TypedArrayBytes(qjs.Arg(a, 0))
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
	slice("utf8Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return vm.String(decodeUTF8(b)) })
	slice("latin1Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value { return vm.Latin1String(b) })
	slice("asciiSlice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value {
		c := make([]byte, len(b))
		for i, x := range b {
			c[i] = x & 0x7f
		}
		return vm.String(string(c))
	})
	slice("ucs2Slice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return utf16String(vm, u)
	})
	slice("hexSlice", func(vm *qjs.VM, b []byte, _ []qjs.Value) qjs.Value {
		const hexd = "0123456789abcdef"
		out := make([]byte, len(b)*2)
		for i, x := range b {
			out[2*i], out[2*i+1] = hexd[x>>4], hexd[x&15]
		}
		return vm.String(unsafe.String(unsafe.SliceData(out), len(out)))
	})
	slice("base64Slice", func(vm *qjs.VM, b []byte, a []qjs.Value) qjs.Value {
		enc := base64.StdEncoding
		if vm.Truthy(qjs.Arg(a, 3)) {
			enc = base64.RawURLEncoding
		}
		out := make([]byte, enc.EncodedLen(len(b)))
		enc.Encode(out, b)
		return vm.String(unsafe.String(unsafe.SliceData(out), len(out)))
	})
	target := func(vm *qjs.VM, a []qjs.Value) []byte {
		b, _ := vm.TypedArrayBytes(qjs.Arg(a, 1))
		off := min(max(int(vm.Int(qjs.Arg(a, 2))), 0), len(b))
		n := min(max(int(vm.Int(qjs.Arg(a, 3))), 0), len(b)-off)
		return b[off : off+n]
	}
	write := func(name string, enc func(vm *qjs.VM, s qjs.Value, dst []byte) int) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			return qjs.Int(int32(enc(vm, qjs.Arg(a, 0), target(vm, a)))), nil
		})
	}
	write("utf8Write", func(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
		withChars(vm, s, func(l1 []byte, u []uint16) {
			if l1 != nil {
				for _, c := range l1 {
					if c < 0x80 {
						if n >= len(dst) {
							return
						}
						dst[n] = c
						n++
						continue
					}
					if n+2 > len(dst) {
						return
					}
					dst[n], dst[n+1] = 0xC0|c>>6, 0x80|c&0x3F
					n += 2
				}
				return
			}
			for i := 0; i < len(u); i++ {
				c := rune(u[i])
				if utf16.IsSurrogate(c) {
					if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
						c = utf16.DecodeRune(c, rune(u[i+1]))
						i++
					} else {
						c = utf8.RuneError // a lone surrogate encodes as EF BF BD
					}
				}
				w := utf8.RuneLen(c)
				if n+w > len(dst) {
					break
				}
				utf8.EncodeRune(dst[n:], c)
				n += w
			}
		})
		return n
	})
	write("latin1Write", func(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
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
	})
	write("ucs2Write", func(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
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
	})
	write("hexWrite", func(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
		withChars(vm, s, func(l1 []byte, u []uint16) {
			if l1 == nil {
				// A wide string stops at its first non-hex unit; keep
				// units below 256 and let the rest fail unhex.
				l1 = make([]byte, len(u))
				for i, c := range u {
					if c < 0x100 {
						l1[i] = byte(c)
					}
				}
			}
			for i := 0; i+1 < len(l1) && n < len(dst); i += 2 {
				h, ok1 := unhex(l1[i])
				l, ok2 := unhex(l1[i+1])
				if !ok1 || !ok2 {
					break
				}
				dst[n] = h<<4 | l
				n++
			}
		})
		return n
	})
	write("base64Write", func(vm *qjs.VM, s qjs.Value, dst []byte) (n int) {
		// Node decodes the low byte of each UTF-16 code unit.
		withChars(vm, s, func(l1 []byte, u []uint16) {
			if l1 == nil {
				l1 = make([]byte, len(u))
				for i, c := range u {
					l1[i] = byte(c)
				}
			}
			n = decodeBase64Into(dst, l1)
		})
		return n
	})
	r.fn(obj, "byteLengthUtf8", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		n := 0
		withChars(vm, qjs.Arg(a, 0), func(l1 []byte, u []uint16) {
			if l1 != nil {
				n = len(l1)
				for _, c := range l1 {
					n += int(c >> 7)
				}
				return
			}
			for i := 0; i < len(u); i++ {
				c := u[i]
				switch {
				case c < 0x80:
					n++
				case c < 0x800:
					n += 2
				case c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
					n += 4
					i++
				default:
					n += 3
				}
			}
		})
		return qjs.Float(float64(n)), nil
	})
	r.fn(obj, "compare", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		x := view(vm, a)
		y := view(vm, a[3:])
		return qjs.Int(int32(bytes.Compare(x, y))), nil
	})
	r.fn(obj, "indexOf", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hay, _ := vm.TypedArrayBytes(qjs.Arg(a, 0))
		needle, _ := vm.TypedArrayBytes(qjs.Arg(a, 1))
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
	r.fn(obj, "isUtf8", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(utf8.Valid(view(vm, a))), nil
	})
}

// decodeUTF8 decodes with WHATWG replacement: a truncated but valid prefix
// is one U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var out []byte
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
	return string(out)
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

// decodeBase64Into decodes base64 or base64url text into dst the way Node
// does (padding optional, other characters skipped, stop at '='),
// returning the bytes written. Well-formed input takes the standard
// library's decoder straight into dst.
func decodeBase64Into(dst, src []byte) int {
	raw := src
	for k := 0; k < 2 && len(raw) > 0 && raw[len(raw)-1] == '='; k++ {
		raw = raw[:len(raw)-1]
	}
	enc := base64.RawStdEncoding
	if enc.DecodedLen(len(raw)) <= len(dst) {
		if n, err := enc.Decode(dst, raw); err == nil {
			return n
		}
	}
	return copy(dst, decodeBase64Lenient(unsafe.String(unsafe.SliceData(src), len(src))))
}

func decodeBase64Lenient(s string) []byte {
	var vals []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case c >= 'A' && c <= 'Z':
			v = c - 'A'
		case c >= 'a' && c <= 'z':
			v = c - 'a' + 26
		case c >= '0' && c <= '9':
			v = c - '0' + 52
		case c == '+' || c == '-':
			v = 62
		case c == '/' || c == '_':
			v = 63
		case c == '=':
			i = len(s)
			continue
		default:
			continue
		}
		vals = append(vals, v)
	}
	out := make([]byte, 0, len(vals)*3/4)
	for i := 0; i+3 < len(vals); i += 4 {
		n := uint32(vals[i])<<18 | uint32(vals[i+1])<<12 | uint32(vals[i+2])<<6 | uint32(vals[i+3])
		out = append(out, byte(n>>16), byte(n>>8), byte(n))
	}
	switch rem := len(vals) % 4; rem {
	case 2:
		k := len(vals) - 2
		out = append(out, vals[k]<<2|vals[k+1]>>4)
	case 3:
		k := len(vals) - 3
		n := uint32(vals[k])<<18 | uint32(vals[k+1])<<12 | uint32(vals[k+2])<<6
		out = append(out, byte(n>>16), byte(n>>8))
	}
	return out
}
