package manifest

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// quoteJSRef is the byte-at-a-time QuoteJS that the run-copying one
// replaced; the two must agree.
func quoteJSRef(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				buf.WriteString(`\"`)
			case '\\':
				buf.WriteString(`\\`)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				if c < 0x20 {
					buf.WriteString(`\u00`)
					buf.WriteByte(hex[c>>4])
					buf.WriteByte(hex[c&0xf])
				} else {
					buf.WriteByte(c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(`\ufffd`)
		} else {
			buf.WriteString(s[i : i+size])
		}
		i += size
	}
	buf.WriteByte('"')
}

func FuzzQuoteJSMatchesRef(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\\c`, "tab\there\nnl\r\b\f\x00\x1f\x7f", "é€😀", "bad\xffutf8\xc3", "\u2028<>&", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want bytes.Buffer
		QuoteJS(&got, s)
		quoteJSRef(&want, s)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("QuoteJS(%q) = %s, want %s", s, got.Bytes(), want.Bytes())
		}
	})
}

func FuzzLocaleCompareFast(f *testing.F) {
	f.Add("node_modules/a", "node_modules/a-b")
	f.Add("@s/a", "_a")
	f.Add("", "a")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !LocaleFast(a) || !LocaleFast(b) {
			return
		}
		if got, want := LocaleCompareFast(a, b), LocaleCompare(a, b); got != want {
			t.Fatalf("LocaleCompareFast(%q, %q) = %d, LocaleCompare %d", a, b, got, want)
		}
	})
}
