package install

import (
	"strconv"
	"unicode/utf8"
)

// encodeTrustRecord is json.MarshalIndent(r, "", "  ") written out: the
// record is written by every install that lays packages out, as the last
// step before the lockfile, and encoding/json's first use of a type
// (reflection over its fields, building its encoder) cost more than the
// rest of that step. TestEncodeTrustRecord compares the two.
func encodeTrustRecord(r *TrustRecord) []byte {
	b := make([]byte, 0, 160+len(r.Decisions)*160)
	b = append(b, "{\n  \"time\": "...)
	b = appendJSONString(b, r.Time)
	b = append(b, ",\n  \"minimumReleaseAge\": "...)
	b = appendJSONString(b, r.MinimumAge)
	b = append(b, ",\n  \"strict\": "...)
	b = strconv.AppendBool(b, r.Strict)
	b = append(b, ",\n  \"minimumReleaseAgeStrict\": "...)
	b = strconv.AppendBool(b, r.ReleaseAgeStrict)
	b = append(b, ",\n  \"decisions\": "...)
	switch {
	case r.Decisions == nil:
		b = append(b, "null"...)
	case len(r.Decisions) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, d := range r.Decisions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    {\n      \"name\": "...)
			b = appendJSONString(b, d.Name)
			b = append(b, ",\n      \"version\": "...)
			b = appendJSONString(b, d.Version)
			b = append(b, ",\n      \"rule\": "...)
			b = appendJSONString(b, d.Rule)
			b = append(b, ",\n      \"verdict\": "...)
			b = appendJSONString(b, d.Verdict)
			b = append(b, ",\n      \"detail\": "...)
			b = appendJSONString(b, d.Detail)
			b = append(b, "\n    }"...)
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n}"...)
}

// appendJSONString appends s quoted as encoding/json quotes strings: <, >
// and & escaped for HTML, U+2028 and U+2029 escaped, invalid UTF-8
// replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
