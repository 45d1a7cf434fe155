package whatwgurl

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// FuzzSerializeQueryJSON: the JSON of a flat list serializes as
// SerializeQuery serializes its pairs.
func FuzzSerializeQueryJSON(f *testing.F) {
	f.Add("a", "1", "b c", "é&=+*~")
	f.Add("", "", "\u0000\n\"\\", "😀")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string) {
		for _, s := range []string{n1, v1, n2, v2} {
			if !utf8.ValidString(s) {
				return
			}
		}
		pairs := [][2]string{{n1, v1}, {n2, v2}}
		text, err := json.Marshal([]string{n1, v1, n2, v2})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := SerializeQueryJSON(nil, text)
		if want := SerializeQuery(pairs); !ok || string(got) != want {
			t.Fatalf("SerializeQueryJSON(%s) = %q %v, want %q", text, got, ok, want)
		}
		if got, ok := SerializeQueryJSON(nil, []byte("[]")); !ok || len(got) != 0 {
			t.Fatalf("SerializeQueryJSON([]) = %q %v", got, ok)
		}
		// An odd count is not a list.
		odd, _ := json.Marshal([]string{n1, v1, n2})
		if got, ok := SerializeQueryJSON(nil, odd); ok {
			t.Fatalf("SerializeQueryJSON(%s) = %q, want not ok", odd, got)
		}
	})
}

// TestAppendQSNumber: String(f) as JavaScript prints it, '+' escaped,
// nothing for NaN and the infinities (the node differential test
// querystring_cases.js checks many more through the runtime).
func TestAppendQSNumber(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-7, "-7"}, {42.5, "42.5"}, {1.5e-7, "1.5e-7"},
		{1e-7, "1e-7"}, {1e-6, "0.000001"}, {0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"},
		{1e20, "100000000000000000000"}, {123456789012345680000, "123456789012345680000"},
		{1e21, "1e%2B21"}, {-1e21, "-1e%2B21"}, {1.5e300, "1.5e%2B300"}, {5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e%2B308"}, {2147483648, "2147483648"}, {9007199254740993, "9007199254740992"},
		{math.NaN(), ""}, {math.Inf(1), ""}, {math.Inf(-1), ""}, {123.456e-10, "1.23456e-8"}, {0.000001234, "0.000001234"},
	} {
		if got := string(AppendQSNumber([]byte("x"), c.f)); got != "x"+c.want {
			t.Errorf("AppendQSNumber(%v) = %q, want %q", c.f, got[1:], c.want)
		}
	}
}

// FuzzAppendQSEscaped: the Latin-1 and UTF-16 writers agree with QSEscape
// of the same characters as UTF-8, and the UTF-16 one refuses exactly the
// strings with a lone surrogate.
func FuzzAppendQSEscaped(f *testing.F) {
	f.Add([]byte("a b&c=d"), "x\x00\xe9\x00\xac\x20")
	f.Add([]byte{0, 0x7f, 0x80, 0xff, '~', '*'}, "\x3d\xd8\x00\xde \x00\x00\xd8")
	f.Fuzz(func(t *testing.T, latin1 []byte, s string) {
		runes := make([]rune, len(latin1))
		for i, c := range latin1 {
			runes[i] = rune(c)
		}
		want, ok := QSEscape(string(runes))
		if got := string(AppendQSEscapedLatin1(nil, latin1)); !ok || got != want {
			t.Fatalf("AppendQSEscapedLatin1(%q) = %q, QSEscape %q %v", latin1, got, want, ok)
		}
		// s's bytes as UTF-16 code units (pairs of bytes), lone surrogates
		// included.
		units := make([]uint16, len(s)/2)
		for i := range units {
			units[i] = uint16(s[2*i]) | uint16(s[2*i+1])<<8
		}
		got, ok := AppendQSEscapedUTF16(nil, units)
		valid := true
		for i := 0; i < len(units); i++ {
			switch u := units[i]; {
			case u >= 0xd800 && u <= 0xdbff && i+1 < len(units) && units[i+1] >= 0xdc00 && units[i+1] <= 0xdfff:
				i++
			case u >= 0xd800 && u <= 0xdfff:
				valid = false
			}
		}
		if ok != valid {
			t.Fatalf("AppendQSEscapedUTF16(%x) ok = %v, want %v", units, ok, valid)
		}
		if !ok {
			return
		}
		if want, _ := QSEscape(string(utf16.Decode(units))); string(got) != want {
			t.Fatalf("AppendQSEscapedUTF16(%x) = %q, QSEscape %q", units, got, want)
		}
	})
}
