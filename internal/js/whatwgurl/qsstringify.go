package whatwgurl

import (
	"bytes"
	"gnode/internal/js/jsnum"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// jsonReader reads the JSON qjs's JSON writer produces (no whitespace).
type jsonReader struct {
	s []byte
	i int
}

func (p *jsonReader) byte(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str appends the characters of a JSON string as UTF-8; a lone surrogate
// fails.
func (p *jsonReader) str(b []byte) ([]byte, bool) {
	if !p.byte('"') {
		return b, false
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b, true
		case '\\':
			if p.i+1 >= len(p.s) {
				return b, false
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				if p.i+4 > len(p.s) {
					return b, false
				}
				v, err := strconv.ParseUint(string(p.s[p.i:p.i+4]), 16, 16)
				if err != nil || v >= 0xd800 && v <= 0xdfff {
					return b, false
				}
				p.i += 4
				b = utf8.AppendRune(b, rune(v))
			default:
				return b, false
			}
		default:
			b = append(b, c)
			p.i++
		}
	}
	return b, false
}

// SerializeQueryJSON appends SerializeQuery of the pairs in text, the JSON
// of a URLSearchParams list: names and values alternating, flat
// (["name","value","name","value",...]). ok is false when text is not such
// JSON of valid UTF-8 strings (a lone surrogate: the caller converts those
// first) or holds an odd number of strings.
func SerializeQueryJSON(out []byte, text []byte) (_ []byte, ok bool) {
	p := jsonReader{s: text}
	if !utf8.Valid(text) || !p.byte('[') {
		return out, false
	}
	var str []byte
	i := 0
	for ; !p.byte(']'); i++ {
		if i > 0 && !p.byte(',') {
			return out, false
		}
		if str, ok = p.str(str[:0]); !ok {
			return out, false
		}
		switch {
		case i&1 == 1:
			out = append(out, '=')
		case i > 0:
			out = append(out, '&')
		}
		out = appendEncodedString(out, unsafe.String(unsafe.SliceData(str), len(str)), formSet, true)
	}
	return out, p.i == len(p.s) && i&1 == 0
}

// AppendQSEscapedLatin1 appends querystring.escape of a string whose
// characters are s's bytes (Latin-1: U+0000 to U+00FF, as an 8-bit engine
// string holds them).
func AppendQSEscapedLatin1(out, s []byte) []byte {
	const hex = "0123456789ABCDEF"
	for _, c := range s {
		switch {
		case c < 0x80 && qsNoEscape[c]:
			out = append(out, c)
		case c < 0x80:
			out = append(out, '%', hex[c>>4], hex[c&15])
		default: // two bytes of UTF-8
			b1, b2 := 0xc0|c>>6, 0x80|c&0x3f
			out = append(out, '%', hex[b1>>4], hex[b1&15], '%', hex[b2>>4], hex[b2&15])
		}
	}
	return out
}

// AppendQSEscapedUTF16 appends querystring.escape of the UTF-16 string s;
// ok is false when s holds a lone surrogate (node's escape pairs it with
// the next code unit or throws: the caller leaves that to it).
func AppendQSEscapedUTF16(out []byte, s []uint16) (_ []byte, ok bool) {
	const hex = "0123456789ABCDEF"
	var enc [4]byte
	for i := 0; i < len(s); i++ {
		c := rune(s[i])
		switch {
		case c < 0x80 && qsNoEscape[c]:
			out = append(out, byte(c))
			continue
		case c >= 0xd800 && c <= 0xdbff:
			if i+1 == len(s) || s[i+1] < 0xdc00 || s[i+1] > 0xdfff {
				return out, false
			}
			i++
			c = 0x10000 + (c-0xd800)<<10 + rune(s[i]) - 0xdc00
		case c >= 0xdc00 && c <= 0xdfff:
			return out, false
		}
		for _, b := range utf8.AppendRune(enc[:0], c) {
			out = append(out, '%', hex[b>>4], hex[b&15])
		}
	}
	return out, true
}

// AppendQSNumber appends what querystring.stringify writes for the number
// f: JavaScript's String(f) (shortest round-trip digits, exponent form
// outside [1e-7, 1e21)), escaped ('+' in "1e+21"); nothing for NaN and
// the infinities.
func AppendQSNumber(out []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return out
	}
	start := len(out)
	out = jsnum.Append(out, f)
	if e := bytes.IndexByte(out[start:], '+'); e >= 0 { // only an exponent's sign
		e += start
		out = append(out[:e], append([]byte("%2B"), out[e+1:]...)...)
	}
	return out
}
