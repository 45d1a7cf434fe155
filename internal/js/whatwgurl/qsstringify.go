package whatwgurl

import (
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// QSStringifyJSON appends querystring.stringify(obj, sep, eq) with the
// default encoder to out, given text, JSON.stringify(obj) of a plain
// object: keys in order, each value written as stringify converts it
// (strings escaped; numbers as JavaScript prints them, escaped; booleans;
// null, nested objects and arrays inside arrays as ”; an array as one
// pair per element, none when empty). It also returns how many keys text
// holds: JSON leaves out undefined values, which stringify writes as
// "key=", so the caller compares that count with the object's keys.
// ok is false when text is not UTF-8, holds a lone surrogate (stringify throws or pairs
// it with the next character: the JavaScript handles those) or is not
// JSON of an object.
func QSStringifyJSON(out []byte, text []byte, sep, eq string) (_ []byte, keys int, ok bool) {
	p := jsonReader{s: text}
	if !utf8.Valid(text) || !p.byte('{') {
		return out, 0, false
	}
	if p.byte('}') {
		return out, 0, p.i == len(p.s)
	}
	first := true
	var key, val []byte
	for {
		var ok bool
		var k []byte
		if k, ok = p.strView(&key); !ok || !p.byte(':') {
			return out, 0, false
		}
		keys++
		if p.byte('[') {
			n := 0
			for !p.byte(']') {
				if n > 0 && !p.byte(',') {
					return out, 0, false
				}
				var v []byte
				if v, ok = p.valueView(&val); !ok {
					return out, 0, false
				}
				if n == 0 && !first || n > 0 {
					out = append(out, sep...)
				}
				out = qsAppendEscaped(out, k)
				out = append(out, eq...)
				out = qsAppendEscaped(out, v)
				n++
			}
			if n > 0 {
				first = false
			}
		} else {
			var v []byte
			if v, ok = p.valueView(&val); !ok {
				return out, 0, false
			}
			if !first {
				out = append(out, sep...)
			}
			first = false
			out = qsAppendEscaped(out, k)
			out = append(out, eq...)
			out = qsAppendEscaped(out, v)
		}
		if p.byte('}') {
			return out, keys, p.i == len(p.s)
		}
		if !p.byte(',') {
			return out, 0, false
		}
	}
}

// qsAppendEscaped appends querystring.escape of s (valid UTF-8).
func qsAppendEscaped(out, s []byte) []byte {
	const hex = "0123456789ABCDEF"
	for _, c := range s {
		if c < 0x80 && qsNoEscape[c] {
			out = append(out, c)
		} else {
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return out
}

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

// value appends the text of a value as stringify converts an element: a
// string's characters, a number's JSON text (JavaScript's), true/false,
// and nothing for null or a nested object or array.
func (p *jsonReader) value(b []byte) ([]byte, bool) {
	if p.i >= len(p.s) {
		return b, false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str(b)
	case c == '{' || c == '[':
		return b, p.skip()
	case c == 't' || c == 'f' || c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if len(p.s)-p.i >= len(w) && string(p.s[p.i:p.i+len(w)]) == w {
				p.i += len(w)
				if w != "null" {
					b = append(b, w...)
				}
				return b, true
			}
		}
		return b, false
	case c == '-' || c >= '0' && c <= '9':
		j := p.i
		for j < len(p.s) && (p.s[j] == '-' || p.s[j] == '+' || p.s[j] == '.' || p.s[j] == 'e' || p.s[j] == 'E' || p.s[j] >= '0' && p.s[j] <= '9') {
			j++
		}
		b = append(b, p.s[p.i:j]...)
		p.i = j
		return b, true
	}
	return b, false
}

// strView returns the characters of a JSON string: a view of the text
// when it holds no escape (read only: it aliases the text), else decoded
// into *buf.
func (p *jsonReader) strView(buf *[]byte) ([]byte, bool) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
	scan:
		for j := p.i + 1; j < len(p.s); j++ {
			switch p.s[j] {
			case '"':
				v := p.s[p.i+1 : j : j]
				p.i = j + 1
				return v, true
			case '\\':
				break scan
			}
		}
	}
	b, ok := p.str((*buf)[:0])
	*buf = b
	return b, ok
}

// valueView is value with strings as strView returns them.
func (p *jsonReader) valueView(buf *[]byte) ([]byte, bool) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.strView(buf)
	}
	b, ok := p.value((*buf)[:0])
	*buf = b
	return b, ok
}

// skip passes over a nested object or array.
func (p *jsonReader) skip() bool {
	depth := 0
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				p.i++
				return true
			}
		case '"':
			if _, ok := p.str(nil); !ok {
				return false
			}
			continue
		}
		p.i++
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
