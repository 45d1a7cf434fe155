package packument

import (
	"encoding/binary"
	"math/bits"
)

// validate steps over the JSON value at pos like skip, but checks it the
// way a JSON parser would: every string (escapes, no control characters),
// number and literal, and the commas and colons between them. DecodeLazy
// validates what it leaves for later, so that decoding a version later
// cannot fail: the decoder's readers only fail on invalid JSON. Invalid
// UTF-8 is accepted, as the decoder replaces it with U+FFFD. Nesting is
// kept on a stack of its own, not the goroutine's.
func (d *decoder) validate() {
	data := d.data
	var stackBuf [32]byte
	stack := stackBuf[:0] // the closing bracket each open one expects
	i := d.pos
	fail := func(at int, msg string) {
		d.pos = at
		d.fail(msg)
	}
	for {
		// a value at i
		i = skipWS(data, i)
		if i >= len(data) {
			fail(i, "unexpected end of a value")
			return
		}
		switch c := data[i]; {
		case c == '{':
			i = skipWS(data, i+1)
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			stack = append(stack, '}')
			if i = validKey(data, i); i < 0 {
				fail(-i-1, "bad object key")
				return
			}
			continue
		case c == '[':
			i = skipWS(data, i+1)
			if i < len(data) && data[i] == ']' {
				i++
				break
			}
			stack = append(stack, ']')
			continue
		case c == '"':
			if i = validString(data, i); i < 0 {
				fail(-i-1, "bad string")
				return
			}
		case c == 't' || c == 'f' || c == 'n':
			lit := "null"
			if c == 't' {
				lit = "true"
			} else if c == 'f' {
				lit = "false"
			}
			if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
				fail(i, "bad literal")
				return
			}
			i += len(lit)
		case c == '-' || c >= '0' && c <= '9':
			d.pos = i
			if d.number(); d.err != nil {
				return
			}
			i = d.pos
		default:
			fail(i, "unexpected character")
			return
		}
		// after a value: close what ends here, then expect the next
		// element or member
		for {
			if len(stack) == 0 {
				d.pos = i
				return
			}
			i = skipWS(data, i)
			if i >= len(data) {
				fail(i, "unterminated value")
				return
			}
			top := stack[len(stack)-1]
			switch data[i] {
			case ',':
				i++
				if top == '}' {
					if i = validKey(data, skipWS(data, i)); i < 0 {
						fail(-i-1, "bad object key")
						return
					}
				}
			case top:
				stack = stack[:len(stack)-1]
				i++
				continue
			default:
				fail(i, "expected , or a closing bracket")
				return
			}
			break
		}
	}
}

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// validKey checks a member's key and its colon at i and returns where the
// value may start, or -(where it failed)-1.
func validKey(data []byte, i int) int {
	if i = validString(data, i); i < 0 {
		return i
	}
	i = skipWS(data, i)
	if i >= len(data) || data[i] != ':' {
		return -i - 1
	}
	return i + 1
}

// validString checks the string at i and returns the offset after it, or
// -(where it failed)-1.
func validString(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return -i - 1
	}
	i++
	for {
		for i+8 <= len(data) {
			if m := stopMask(binary.LittleEndian.Uint64(data[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(data) && data[i] != '"' && data[i] != '\\' && data[i] >= 0x20 {
			i++
		}
		if i >= len(data) {
			return -i - 1
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i+1 >= len(data) {
				return -i - 1
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(data, i+2); !ok {
					return -i - 1
				}
				i += 6
			default:
				return -i - 1
			}
		default: // a control character
			return -i - 1
		}
	}
}

// stopMask is lookMask without non-ASCII bytes: quotes, backslashes and
// control characters.
func stopMask(x uint64) uint64 {
	q := x ^ (lows * '"')
	b := x ^ (lows * '\\')
	return ((q-lows)&^q | (b-lows)&^b | (x-lows*0x20)&^x) & highs
}
