package runtime

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// The byte loops behind internalBinding('buffer'), kept free of engine
// types so they can be tested and fuzzed alone (bind_buffer_codec_test.go).

// latin1ToUTF8 encodes Latin-1 characters as UTF-8 into dst, whole
// characters only, returning the bytes written. ASCII runs are copied
// eight bytes at a time.
func latin1ToUTF8(dst, src []byte) int {
	n, _ := latin1ToUTF8Read(dst, src)
	return n
}

// latin1ToUTF8Read is latin1ToUTF8 that also says how many characters of
// src it consumed (encodeInto's read count, without a second pass).
func latin1ToUTF8Read(dst, src []byte) (n, i int) {
	for i < len(src) {
		run := min(asciiPrefix(src[i:]), len(dst)-n)
		copy(dst[n:], src[i:i+run])
		n += run
		i += run
		if i == len(src) || n+2 > len(dst) {
			break
		}
		c := src[i]
		dst[n], dst[n+1] = 0xC0|c>>6, 0x80|c&0x3F
		n += 2
		i++
	}
	return n, i
}

// asciiPrefix is the length of b's leading run of bytes below 0x80.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] < 0x80 {
		i++
	}
	return i
}

// countHigh counts the bytes of b at or above 0x80 (each takes two bytes
// in UTF-8).
func countHigh(b []byte) int {
	n, i := 0, 0
	for ; i+8 <= len(b); i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b[i:]) & 0x8080808080808080)
	}
	for ; i < len(b); i++ {
		n += int(b[i] >> 7)
	}
	return n
}

// utf16ToUTF8 encodes UTF-16 code units as UTF-8 into dst, whole
// characters only; a lone surrogate becomes EF BF BD.
func utf16ToUTF8(dst []byte, u []uint16) int {
	n := 0
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case c < 0x80:
			if n >= len(dst) {
				return n
			}
			dst[n] = byte(c)
			n++
			continue
		case c < 0x800:
			if n+2 > len(dst) {
				return n
			}
			dst[n], dst[n+1] = 0xC0|byte(c>>6), 0x80|byte(c)&0x3F
			n += 2
			continue
		case c >= 0xD800 && c <= 0xDFFF:
			if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				if n+4 > len(dst) {
					return n
				}
				c = utf16.DecodeRune(c, rune(u[i+1]))
				dst[n], dst[n+1], dst[n+2], dst[n+3] = 0xF0|byte(c>>18), 0x80|byte(c>>12)&0x3F, 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F
				n += 4
				i++
				continue
			}
			c = utf8.RuneError // a lone surrogate encodes as EF BF BD
		}
		if n+3 > len(dst) {
			return n
		}
		dst[n], dst[n+1], dst[n+2] = 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F
		n += 3
	}
	return n
}

// utf8LenUTF16 is the UTF-8 length of UTF-16 code units (a lone surrogate
// takes 3 bytes).
func utf8LenUTF16(u []uint16) int {
	n := 0
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
	return n
}

// hexPairs maps a byte to its two lowercase hex digits.
var hexPairs = func() (t [256][2]byte) {
	const digits = "0123456789abcdef"
	for i := range t {
		t[i] = [2]byte{digits[i>>4], digits[i&15]}
	}
	return t
}()

// hexPairs16 is hexPairs as little-endian 16-bit words.
var hexPairs16 = func() (t [256]uint64) {
	for i, p := range hexPairs {
		t[i] = uint64(p[0]) | uint64(p[1])<<8
	}
	return t
}()

// encodeHex writes src as lowercase hex into dst[:2*len(src)], four input
// bytes (one 8-byte store) at a time.
func encodeHex(dst, src []byte) {
	dst = dst[:2*len(src)]
	t := &hexPairs16
	i := 0
	for ; i+4 <= len(src); i += 4 {
		s := src[i : i+4 : i+4]
		binary.LittleEndian.PutUint64(dst[2*i:], t[s[0]]|t[s[1]]<<16|t[s[2]]<<32|t[s[3]]<<48)
	}
	for ; i < len(src); i++ {
		p := hexPairs[src[i]]
		dst[2*i], dst[2*i+1] = p[0], p[1]
	}
}

// unhexTable maps a character to its hex value, or 0xff.
var unhexTable = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = byte(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i], t['A'+i] = byte(10+i), byte(10+i)
	}
	return t
}()

// decodeHex decodes pairs of hex digits into dst until the first pair
// that is not two digits (Node's rule), ignoring a trailing odd digit.
func decodeHex(dst, src []byte) int {
	n := min(len(dst), len(src)/2)
	for i := 0; i < n; i++ {
		h, l := unhexTable[src[2*i]], unhexTable[src[2*i+1]]
		if h|l > 0xf {
			return i
		}
		dst[i] = h<<4 | l
	}
	return n
}

// b64Values maps a character to its value in either base64 alphabet
// (`+/` and `-_` both accepted, as Node does), b64Pad for '=', b64Skip for
// anything else.
const (
	b64Pad  = 0xfe
	b64Skip = 0xff
)

var b64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = b64Skip
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'], t['='] = 62, 63, b64Pad
	return t
}()

// decodeBase64Into decodes base64 or base64url text into dst the way Node
// does: characters outside the alphabets are skipped, decoding stops at the
// first '=', a final group of 2 or 3 characters yields 1 or 2 bytes, and
// no more than len(dst) bytes are written (nothing after the last byte
// written is touched). Whole groups of four valid characters, the common
// case, take the first loop.
func decodeBase64Into(dst, src []byte) int {
	t := &b64Values
	n, i := 0, 0
	// Eight characters give six bytes, stored as one 8-byte word; the two
	// extra bytes are saved first and put back after the loop, since
	// nothing past the result may change.
	var keep0, keep1 byte
	for ; i+8 <= len(src) && n+8 <= len(dst); i += 8 {
		s := src[i : i+8 : i+8]
		a, b, c, d := t[s[0]], t[s[1]], t[s[2]], t[s[3]]
		e, f, g, h := t[s[4]], t[s[5]], t[s[6]], t[s[7]]
		if a|b|c|d|e|f|g|h >= 64 {
			break
		}
		v := uint64(a)<<58 | uint64(b)<<52 | uint64(c)<<46 | uint64(d)<<40 |
			uint64(e)<<34 | uint64(f)<<28 | uint64(g)<<22 | uint64(h)<<16
		o := dst[n : n+8 : n+8]
		keep0, keep1 = o[6], o[7]
		binary.BigEndian.PutUint64(o, v)
		n += 6
	}
	if n > 0 {
		dst[n], dst[n+1] = keep0, keep1
	}
	for ; i+4 <= len(src) && n+3 <= len(dst); i += 4 {
		a, b, c, d := t[src[i]], t[src[i+1]], t[src[i+2]], t[src[i+3]]
		if a|b|c|d >= 64 {
			break
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst[n], dst[n+1], dst[n+2] = byte(v>>16), byte(v>>8), byte(v)
		n += 3
	}
	var acc uint32
	k := 0
	for ; i < len(src) && n < len(dst); i++ {
		v := t[src[i]]
		if v == b64Pad {
			break
		}
		if v == b64Skip {
			continue
		}
		acc = acc<<6 | uint32(v)
		if k++; k < 4 {
			continue
		}
		for _, x := range [3]byte{byte(acc >> 16), byte(acc >> 8), byte(acc)} {
			if n < len(dst) {
				dst[n] = x
				n++
			}
		}
		acc, k = 0, 0
	}
	switch k {
	case 2:
		if n < len(dst) {
			dst[n] = byte(acc >> 4)
			n++
		}
	case 3:
		for _, x := range [2]byte{byte(acc >> 10), byte(acc >> 2)} {
			if n < len(dst) {
				dst[n] = x
				n++
			}
		}
	}
	return n
}

// appendWTF8 appends UTF-16 code units as generalized UTF-8: pairs as one
// 4-byte character, a lone surrogate as its own 3-byte form.
func appendWTF8(dst []byte, u []uint16) []byte {
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			c = utf16.DecodeRune(c, rune(u[i+1]))
			i++
		}
		switch {
		case c < 0x80:
			dst = append(dst, byte(c))
		case c < 0x800:
			dst = append(dst, 0xC0|byte(c>>6), 0x80|byte(c)&0x3F)
		case c < 0x10000:
			dst = append(dst, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
		default:
			dst = append(dst, 0xF0|byte(c>>18), 0x80|byte(c>>12)&0x3F, 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
		}
	}
	return dst
}
