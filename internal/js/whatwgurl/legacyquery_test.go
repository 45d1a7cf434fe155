package whatwgurl

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestQSParse(t *testing.T) {
	tests := []struct {
		in    string
		pairs int
		want  []string
	}{
		{"a=1&b=2", 1000, []string{"a", "1", "b", "2"}},
		{"a+b=c+d", 1000, []string{"a b", "c d"}},
		{"&&a&=x&", 1000, []string{"a", "", "", "x"}},
		{"a=%41%zz", 1000, []string{"a", "A%zz"}},          // decodeURIComponent throws: byte-wise fallback
		{"a=%C3", 1000, []string{"a", "\uFFFD"}},           // truncated UTF-8
		{"a=%E2%82%AC", 1000, []string{"a", "€"}},          // decoded
		{"a=%4", 1000, []string{"a", "%4"}},                // no valid escape: left as is
		{"%41%42=é%zz", 1000, []string{"AB", "\uFFFD%zz"}}, // the key's escapes mark the value encoded (Node's shared check)
		{"a&b&c", 2, []string{"a", "", "b", ""}},
		{"a&b&c", -1, []string{"a", "", "b", "", "c", ""}},
		{"", 1000, nil},
	}
	for _, tc := range tests {
		got, ok := QSParse(tc.in, tc.pairs)
		if !ok || len(got) != len(tc.want) {
			t.Errorf("QSParse(%q, %d) = %q %v, want %q", tc.in, tc.pairs, got, ok, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("QSParse(%q, %d) = %q, want %q", tc.in, tc.pairs, got, tc.want)
				break
			}
		}
	}
	if _, ok := QSParse("a=\xed\xa0\x80", 1000); ok {
		t.Error("QSParse accepted a lone surrogate (the JavaScript parser handles those)")
	}
}

func TestQSEscape(t *testing.T) {
	for in, want := range map[string]string{
		"abc":            "abc",
		"a b/é~*'()!-._": "a%20b%2F%C3%A9~*'()!-._",
		"😀&=":            "%F0%9F%98%80%26%3D",
	} {
		if got, ok := QSEscape(in); !ok || got != want {
			t.Errorf("QSEscape(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := QSEscape("a\xed\xa0\x80"); ok {
		t.Error("QSEscape accepted a lone surrogate")
	}
}

// qsParseRef is the first QSParse, a character-by-character port of
// Node's loop (building keys and values piece by piece); FuzzQSParse holds
// the slicing QSParse to it.
func qsParseRef(qs string, pairs int) (out []string, ok bool) {
	if !utf8.ValidString(qs) {
		return nil, false
	}
	var key, value []byte
	lastPos, eqSeen := 0, false
	keyEncoded, valEncoded := false, false
	encodeCheck := 0
	add := func() {
		out = append(out, qsDecode(string(key), keyEncoded), qsDecode(string(value), valEncoded))
	}
	for i := 0; i < len(qs); i++ {
		code := qs[i]
		if code == '&' {
			if !eqSeen {
				if lastPos < i {
					key = append(key, qs[lastPos:i]...)
				} else if len(key) == 0 {
					// An empty substring between separators.
					if pairs--; pairs == 0 {
						return out, true
					}
					lastPos = i + 1
					continue
				}
			} else if lastPos < i {
				value = append(value, qs[lastPos:i]...)
			}
			add()
			if pairs--; pairs == 0 {
				return out, true
			}
			keyEncoded, valEncoded = false, false
			key, value = key[:0], value[:0]
			encodeCheck = 0
			lastPos = i + 1
			eqSeen = false
			continue
		}
		if !eqSeen {
			if code == '=' {
				eqSeen = true
				if lastPos < i {
					key = append(key, qs[lastPos:i]...)
				}
				encodeCheck = 0
				lastPos = i + 1
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
		if !eqSeen {
			key = append(key, qs[lastPos:]...)
		} else {
			value = append(value, qs[lastPos:]...)
		}
	} else if !eqSeen && len(key) == 0 {
		// The string ended with an empty substring.
		return out, true
	}
	add()
	return out, true
}

// FuzzQSParse: no panics; pairs come out whole, as valid UTF-8 and as
// qsParseRef finds them.
func FuzzQSParse(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "%41%42=é%zz", "a+b=%C3&&=", "%F0%9F%98%80=%ED%A0%80", "k=%4",
		"=&=&&a", "a%2=b%41+&+=+", "x=%E2%82%AC+%&y", "%%41=%%%", "a==b=c&", "&&&"} {
		f.Add(s, 1000)
	}
	f.Add("a=1&b=2&c=3", 2)
	f.Add("a&&b", -1)
	f.Fuzz(func(t *testing.T, s string, pairs int) {
		out, ok := QSParse(s, pairs)
		if !ok {
			if utf8.ValidString(s) {
				t.Fatalf("QSParse declined valid UTF-8 %q", s)
			}
			return
		}
		if len(out)%2 != 0 {
			t.Fatalf("QSParse(%q) returned an odd list %q", s, out)
		}
		if ref, _ := qsParseRef(s, pairs); !slices.Equal(out, ref) {
			t.Fatalf("QSParse(%q, %d) = %q, the character loop finds %q", s, pairs, out, ref)
		}
		// The loop for any separators, given the default ones, finds the
		// same pairs.
		if sep := QSParseSepAppend(nil, s, "&", "=", pairs); !slices.Equal(out, sep) {
			t.Fatalf("QSParseSepAppend(%q, &, =, %d) = %q, QSParse finds %q", s, pairs, sep, out)
		}
		for _, x := range out {
			if !utf8.ValidString(x) {
				t.Fatalf("QSParse(%q) returned invalid UTF-8 %q", s, x)
			}
		}
	})
}

// FuzzQSEscape: decodeURIComponent undoes the escape, and only the
// unreserved characters stay unescaped.
func FuzzQSEscape(f *testing.F) {
	for _, s := range []string{"abc", "a b/é", "😀", "%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, ok := QSEscape(s)
		if !ok {
			if utf8.ValidString(s) {
				t.Fatalf("QSEscape declined valid UTF-8 %q", s)
			}
			return
		}
		for i := 0; i < len(e); i++ {
			if !qsNoEscape[e[i]] && e[i] != '%' {
				t.Fatalf("QSEscape(%q) = %q leaves %q", s, e, e[i])
			}
		}
		d, ok := decodeURIComponent([]byte(e))
		if !ok || d != s {
			t.Fatalf("decodeURIComponent(QSEscape(%q)) = %q %v", s, d, ok)
		}
	})
}
