package whatwgurl

import (
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseQuery parses application/x-www-form-urlencoded text (the URL
// Standard's urlencoded parser) into name/value pairs: '+' is a space,
// %XX escapes are decoded and the bytes read as UTF-8 with U+FFFD for each
// maximal invalid subpart. s must be valid UTF-8 (see ScalarValues).
func ParseQuery(s string) [][2]string {
	if s == "" {
		return nil
	}
	out := make([][2]string, 0, strings.Count(s, "&")+1)
	for s != "" {
		var name, value string
		var ok bool
		if name, value, s, ok = nextQueryPair(s); !ok {
			break
		}
		out = append(out, [2]string{formDecode(name), formDecode(value)})
	}
	return out
}

// nextQueryPair splits the next non-empty '&'-separated sequence off s
// and that sequence at its first '=' (the value is empty without one),
// still encoded; ok is false when s holds no more sequences.
func nextQueryPair(s string) (name, value, rest string, ok bool) {
	for s != "" {
		seq := s
		if i := strings.IndexByte(s, '&'); i >= 0 {
			seq, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if seq == "" {
			continue
		}
		if i := strings.IndexByte(seq, '='); i >= 0 {
			return seq[:i], seq[i+1:], s, true
		}
		return seq, "", s, true
	}
	return "", "", "", false
}

// formDecode decodes a name or value as node 20's URLSearchParams does,
// which is querystring.unescape's way rather than the URL Standard's
// percent-decode: '+' is a space; the rest is decoded only when it holds
// a valid %XX (not counting '+' signs), by decodeURIComponent, or where
// that throws, byte by byte with every other character keeping the low
// byte of its UTF-16 code unit (qsDecode). The results differ from the
// standard's only for raw non-ASCII next to a malformed escape.
func formDecode(s string) string {
	pct := strings.IndexByte(s, '%')
	if pct < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	return qsDecode(s, pct >= 0 && hasEscapeIgnoringPlus(s[pct:]))
}

// hasEscapeIgnoringPlus reports whether s holds '%' and two hex digits
// once its '+' signs are taken out (Node's check skips them).
func hasEscapeIgnoringPlus(s string) bool {
	state := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
		case c == '%':
			state = 1
		case state > 0 && isHexByte(c):
			if state++; state == 3 {
				return true
			}
		default:
			state = 0
		}
	}
	return false
}

// decodeUTF8 is UTF-8 decode without BOM handling: each maximal subpart of
// an invalid sequence becomes one U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		need, lo, hi := 0, byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need = 1
		case c >= 0xe0 && c <= 0xef:
			need = 2
			if c == 0xe0 {
				lo = 0xa0
			}
			if c == 0xed {
				hi = 0x9f
			}
		case c >= 0xf0 && c <= 0xf4:
			need = 3
			if c == 0xf0 {
				lo = 0x90
			}
			if c == 0xf4 {
				hi = 0x8f
			}
		default:
			out = append(out, "\uFFFD"...)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k, j = k+1, j+1 {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				ok = false
				break
			}
			lo, hi = 0x80, 0xbf
		}
		if !ok {
			out = append(out, "\uFFFD"...)
			i = j
			continue
		}
		out = append(out, b[i:j]...)
		i = j
	}
	return string(out)
}

// SerializeQuery is the application/x-www-form-urlencoded serializer:
// names and values percent-encoded with the form set, spaces as '+'.
func SerializeQuery(pairs [][2]string) string {
	var b []byte
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendEncodedString(b, p[0], formSet, true)
		b = append(b, '=')
		b = appendEncodedString(b, p[1], formSet, true)
	}
	return string(b)
}

// QueryLookup finds name in application/x-www-form-urlencoded text as
// URLSearchParams's get, getAll and has do on the list ParseQuery(s)
// would give, without building the list: it returns the decoded values of
// the pairs named name, in order, appended to out (only the first when
// first is set). s and name must be valid UTF-8 (see ScalarValues).
func QueryLookup(out []string, s, name string, first bool) []string {
	for s != "" {
		var n, value string
		var ok bool
		if n, value, s, ok = nextQueryPair(s); !ok {
			break
		}
		// A name with no '%' or '+' is its own decoding: compare it as it
		// is (the common case), decode the others.
		if len(n) != len(name) && strings.IndexByte(n, '%') < 0 && strings.IndexByte(n, '+') < 0 {
			continue
		}
		if formDecode(n) != name {
			continue
		}
		out = append(out, formDecode(value))
		if first {
			return out
		}
	}
	return out
}

// QueryHas is URLSearchParams's has(name, value) over the text s: whether
// a pair named name has the value value.
func QueryHas(s, name, value string) bool {
	for s != "" {
		var n, v string
		var ok bool
		if n, v, s, ok = nextQueryPair(s); !ok {
			break
		}
		if formDecode(n) == name && formDecode(v) == value {
			return true
		}
	}
	return false
}

// SortQuery sorts pairs by name in UTF-16 code unit order, keeping the
// order of equal names, as URLSearchParams's sort does.
func SortQuery(pairs [][2]string) {
	if len(pairs) < 2 {
		return
	}
	slices.SortStableFunc(pairs, func(a, b [2]string) int { return utf16Compare(a[0], b[0]) })
}

// utf16Compare compares valid UTF-8 strings by their UTF-16 code units:
// byte order is code point order, which differs only where a code point
// above U+FFFF (a surrogate pair, 0xD800-0xDFFF) meets one in
// U+E000-U+FFFF.
func utf16Compare(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b)
	}
	// Back to the start of the differing characters.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	if (ra >= 0x10000) != (rb >= 0x10000) {
		ra, rb = utf16Unit(ra), utf16Unit(rb)
	}
	return int(ra - rb)
}

// utf16Unit is the first UTF-16 code unit of r.
func utf16Unit(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}

// AppendFormEncoded appends s (valid UTF-8) percent-encoded as the
// application/x-www-form-urlencoded serializer writes names and values:
// the form set, spaces as '+'.
func AppendFormEncoded(dst []byte, s string) []byte {
	return appendEncodedString(dst, s, formSet, true)
}
