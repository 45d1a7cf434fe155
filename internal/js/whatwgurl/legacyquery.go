package whatwgurl

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Node's querystring module (not the URL Standard) escapes and parses
// with rules of its own; these are its common cases in Go, for
// lib/querystring.js, whose per-character JavaScript loops cost about
// 0.4 µs a character on the interpreter. They live here because they share
// the percent-decoding and UTF-8 decoding of URLSearchParams.

// qsNoEscape: the characters querystring.escape leaves alone.
var qsNoEscape = byteClass("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*-._~")

// QSEscape is querystring.escape of s: UTF-8, percent-encoded (upper-case
// hex) except A-Z a-z 0-9 ! ' ( ) * - . _ ~. It returns s itself when
// nothing needs escaping, and ok false when s is not valid UTF-8 (a
// JavaScript string with a lone surrogate, which Node pairs with the next
// code unit: the caller keeps its own code for those).
func QSEscape(s string) (out string, ok bool) {
	i := 0
	for i < len(s) && s[i] < 0x80 && qsNoEscape[s[i]] {
		i++
	}
	if i == len(s) {
		return s, true
	}
	if !utf8.ValidString(s) {
		return "", false
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && qsNoEscape[c] {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b), true
}

// QSParse splits and decodes a query string as querystring.parse does with
// the default separators ('&', '='), the default decoder and a budget of
// pairs (the loop stops when it counts down to 0; -1 never does). It
// returns the keys and values in order, flattened, for the caller to
// gather into an object; ok is false when qs is not valid UTF-8.
//
// The scan is Node's: '+' becomes a space; a key or value is decoded only
// once a valid %XX escape was seen in the pair so far (the check runs on
// the key's characters for the value too, as in Node); decoding is
// decodeURIComponent's, and where that throws, a byte-wise decode of the
// code units' low bytes read as UTF-8 with U+FFFD replacements.
func QSParse(qs string, pairs int) (out []string, ok bool) {
	if !utf8.ValidString(qs) {
		return nil, false
	}
	return QSParseAppend(nil, qs, pairs), true
}

// QSParseAppend is QSParse appending to out, for a qs already known to be
// valid UTF-8. Keys and values that need no decoding are substrings of qs.
//
// Node builds a key from the slices between '+' signs (each '+' a space)
// and skips over the characters of the escape check, so a key is always
// the pair's raw text up to the '=' with '+' made a space, and a value the
// raw text after it: the scan only finds the boundaries and the flags.
func QSParseAppend(out []string, qs string, pairs int) []string {
	start, eq := 0, -1 // the pair's first byte; its '=' (-1: none yet)
	keyEncoded, valEncoded := false, false
	encodeCheck := 0
	add := func(end int) {
		if eq == -1 {
			out = append(out, qsDecode(qs[start:end], keyEncoded), "")
		} else {
			out = append(out, qsDecode(qs[start:eq], keyEncoded), qsDecode(qs[eq+1:end], valEncoded))
		}
	}
	for i := 0; i < len(qs); i++ {
		code := qs[i]
		if code == '&' {
			if eq == -1 && start == i {
				// An empty substring between separators.
				if pairs--; pairs == 0 {
					return out
				}
				start = i + 1
				continue
			}
			add(i)
			if pairs--; pairs == 0 {
				return out
			}
			keyEncoded, valEncoded = false, false
			encodeCheck = 0
			start, eq = i+1, -1
			continue
		}
		if eq == -1 {
			if code == '=' {
				eq = i
				encodeCheck = 0
				continue
			}
			if !keyEncoded {
				if code == '%' {
					encodeCheck = 1
					continue
				} else if encodeCheck > 0 {
					if isHexByte(code) {
						if encodeCheck++; encodeCheck == 3 {
							keyEncoded = true
						}
						continue
					}
					encodeCheck = 0
				}
			}
			if code == '+' {
				continue
			}
		}
		if code != '+' && !valEncoded {
			if code == '%' {
				encodeCheck = 1
			} else if encodeCheck > 0 {
				if isHexByte(code) {
					if encodeCheck++; encodeCheck == 3 {
						valEncoded = true
					}
				} else {
					encodeCheck = 0
				}
			}
		}
	}
	if start == len(qs) && eq == -1 {
		// The string ended with an empty substring.
		return out
	}
	add(len(qs))
	return out
}

func isHexByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// qsDecode turns '+' into spaces and, when encoded, decodes the result.
func qsDecode(raw string, encoded bool) string {
	if strings.IndexByte(raw, '+') == -1 {
		if !encoded || len(raw) == 0 {
			return raw
		}
	} else {
		raw = strings.ReplaceAll(raw, "+", " ")
		if !encoded {
			return raw
		}
	}
	return qsUnescape(raw, encoded)
}

// qsUnescape is querystring.unescape of s when encoded (and s when not):
// decodeURIComponent, or where that throws, each UTF-16 code unit keeps
// its low byte, valid %XX escapes become bytes, and the bytes are read as
// UTF-8 with replacements ('+' stays '+').
func qsUnescape(raw string, encoded bool) string {
	if !encoded || raw == "" {
		return raw
	}
	s := unsafe.Slice(unsafe.StringData(raw), len(raw))
	if d, ok := decodeURIComponent(s); ok {
		return d
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHexByte(s[i+1]) && isHexByte(s[i+2]) {
			b = append(b, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 3
			continue
		}
		if c < 0x80 {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		i += n
		if r < 0x10000 {
			b = append(b, byte(r))
			continue
		}
		hi, lo := utf16.EncodeRune(r)
		b = append(b, byte(hi), byte(lo))
	}
	return decodeUTF8(b)
}

// QSParseSepAppend is QSParseAppend with the separators sep and eq
// (non-empty, ASCII) in place of '&' and '='. It follows Node's loop over
// the code units: a separator is matched a unit at a time with no
// backtracking (units that continue a partial match are not looked at
// otherwise), a '+' outside a match is a space, and the %XX check runs as
// in QSParseAppend. Bytes of non-ASCII characters never match an ASCII
// separator and are not '%', '+' or hex digits, so the byte-wise scan of
// the UTF-8 text sees what Node's scan of the UTF-16 units does.
func QSParseSepAppend(out []string, qs, sep, eq string, pairs int) []string {
	var key, value []byte
	lastPos, sepIdx, eqIdx := 0, 0, 0
	keyEncoded, valEncoded := false, false
	encodeCheck := 0
	add := func() {
		out = append(out, qsUnescape(string(key), keyEncoded), qsUnescape(string(value), valEncoded))
	}
	for i := 0; i < len(qs); i++ {
		code := qs[i]
		if code == sep[sepIdx] {
			if sepIdx++; sepIdx < len(sep) {
				continue
			}
			end := i - sepIdx + 1
			if eqIdx < len(eq) {
				// No (whole) eq: the text so far is the key.
				if lastPos < end {
					key = append(key, qs[lastPos:end]...)
				} else if len(key) == 0 {
					// An empty substring between separators.
					if pairs--; pairs == 0 {
						return out
					}
					lastPos = i + 1
					sepIdx, eqIdx = 0, 0
					continue
				}
			} else if lastPos < end {
				value = append(value, qs[lastPos:end]...)
			}
			add()
			if pairs--; pairs == 0 {
				return out
			}
			keyEncoded, valEncoded = false, false
			key, value = key[:0], value[:0]
			encodeCheck = 0
			lastPos = i + 1
			sepIdx, eqIdx = 0, 0
			continue
		}
		sepIdx = 0
		if eqIdx < len(eq) {
			if code == eq[eqIdx] {
				if eqIdx++; eqIdx == len(eq) {
					if end := i - eqIdx + 1; lastPos < end {
						key = append(key, qs[lastPos:end]...)
					}
					encodeCheck = 0
					lastPos = i + 1
				}
				continue
			}
			eqIdx = 0
			if !keyEncoded {
				if code == '%' {
					encodeCheck = 1
					continue
				} else if encodeCheck > 0 {
					if isHexByte(code) {
						if encodeCheck++; encodeCheck == 3 {
							keyEncoded = true
						}
						continue
					}
					encodeCheck = 0
				}
			}
			if code == '+' {
				key = append(key, qs[lastPos:i]...)
				key = append(key, ' ')
				lastPos = i + 1
				continue
			}
		}
		if code == '+' {
			value = append(value, qs[lastPos:i]...)
			value = append(value, ' ')
			lastPos = i + 1
		} else if !valEncoded {
			if code == '%' {
				encodeCheck = 1
			} else if encodeCheck > 0 {
				if isHexByte(code) {
					if encodeCheck++; encodeCheck == 3 {
						valEncoded = true
					}
				} else {
					encodeCheck = 0
				}
			}
		}
	}
	if lastPos < len(qs) {
		if eqIdx < len(eq) {
			key = append(key, qs[lastPos:]...)
		} else {
			value = append(value, qs[lastPos:]...)
		}
	} else if eqIdx == 0 && len(key) == 0 {
		// The string ended with an empty substring.
		return out
	}
	add()
	return out
}

// decodeURIComponent is ECMAScript's decodeURIComponent over valid UTF-8;
// ok is false where it would throw a URIError (a '%' without two hex
// digits after it, or escapes that are not UTF-8 of a scalar value).
func decodeURIComponent(s []byte) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b = append(b, s[i])
			i++
			continue
		}
		if i+2 >= len(s) || !isHexByte(s[i+1]) || !isHexByte(s[i+2]) {
			return "", false
		}
		c := hexVal(s[i+1])<<4 | hexVal(s[i+2])
		i += 3
		if c < 0x80 {
			b = append(b, c)
			continue
		}
		n := 0
		switch {
		case c&0xe0 == 0xc0:
			n = 2
		case c&0xf0 == 0xe0:
			n = 3
		case c&0xf8 == 0xf0:
			n = 4
		default:
			return "", false
		}
		var buf [4]byte
		seq := append(buf[:0], c)
		for k := 1; k < n; k++ {
			if i+2 >= len(s) || s[i] != '%' || !isHexByte(s[i+1]) || !isHexByte(s[i+2]) {
				return "", false
			}
			d := hexVal(s[i+1])<<4 | hexVal(s[i+2])
			if d&0xc0 != 0x80 {
				return "", false
			}
			seq = append(seq, d)
			i += 3
		}
		if !utf8.Valid(seq) {
			return "", false
		}
		b = append(b, seq...)
	}
	// b is not written again: the string can share it.
	return unsafe.String(unsafe.SliceData(b), len(b)), true
}
