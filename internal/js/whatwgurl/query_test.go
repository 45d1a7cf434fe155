package whatwgurl

import (
	"slices"
	"testing"
)

// TestParseQueryNodeDecoding: names and values are decoded as node 20's
// URLSearchParams decodes them (querystring.unescape), which differs from
// the URL Standard for raw non-ASCII next to a malformed escape. The
// expected pairs are what node prints for [...new URLSearchParams(in)].
func TestParseQueryNodeDecoding(t *testing.T) {
	for _, c := range []struct {
		in   string
		want [][2]string
	}{
		{"a=%41é", [][2]string{{"a", "Aé"}}},
		{"a=é%zz", [][2]string{{"a", "é%zz"}}},
		{"a=é%zz%41", [][2]string{{"a", "\ufffd%zzA"}}},
		{"é%41%zz=1", [][2]string{{"\ufffdA%zz", "1"}}},
		{"%41=é%zz", [][2]string{{"A", "é%zz"}}},
		{"a=%FFé", [][2]string{{"a", "\ufffd\ufffd"}}},
		{"x=€%FF", [][2]string{{"x", "\ufffd\ufffd"}}},
		{"%4=é%1g%FF", [][2]string{{"%4", "\ufffd%1g\ufffd"}}},
		{"😀%FF=1", [][2]string{{"=\x00\ufffd", "1"}}},
		{"a=%%41é%FF", [][2]string{{"a", "%A\ufffd\ufffd"}}},
		{"é%4+1%zz", [][2]string{{"\ufffd%4 1%zz", ""}}},
		{"é+%C3%A9", [][2]string{{"é é", ""}}},
		{"a+b=c+%2B&&=x", [][2]string{{"a b", "c +"}, {"", "x"}}},
	} {
		if got := ParseQuery(c.in); !slices.Equal(got, c.want) {
			t.Errorf("ParseQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
