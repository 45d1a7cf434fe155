package whatwgurl

import (
	"slices"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
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

// FuzzQueryLookup: QueryLookup and QueryHas agree with a scan of the list
// ParseQuery makes, for the names in it and a name that may not be.
func FuzzQueryLookup(f *testing.F) {
	for _, s := range []string{"a=1&b=2&a=3", "a+b=c&a%20b=d&&=x", "%E2%82%AC=1&€=2&%zz=3", "x", "=&=&", "a=%FFé&a"} {
		f.Add(s, "a")
	}
	f.Fuzz(func(t *testing.T, s, extra string) {
		if !utf8.ValidString(s) || !utf8.ValidString(extra) {
			return
		}
		pairs := ParseQuery(s)
		names := []string{extra}
		for _, p := range pairs {
			names = append(names, p[0])
		}
		for _, name := range names {
			var want []string
			for _, p := range pairs {
				if p[0] == name {
					want = append(want, p[1])
				}
			}
			if got := QueryLookup(nil, s, name, false); !slices.Equal(got, want) {
				t.Fatalf("QueryLookup(%q, %q) = %q, want %q", s, name, got, want)
			}
			first := QueryLookup(nil, s, name, true)
			if len(want) > 0 && (len(first) != 1 || first[0] != want[0]) || len(want) == 0 && len(first) != 0 {
				t.Fatalf("QueryLookup(%q, %q, first) = %q, want the first of %q", s, name, first, want)
			}
			for _, v := range append(want, extra) {
				if got := QueryHas(s, name, v); got != slices.Contains(want, v) {
					t.Fatalf("QueryHas(%q, %q, %q) = %v", s, name, v, got)
				}
			}
		}
	})
}

// FuzzSortQuery: the order is a stable sort by UTF-16 code units.
func FuzzSortQuery(f *testing.F) {
	f.Add("b", "a", "\U0001F600", "\uFFFD")
	f.Add("\U0001F600", "\U0001F601", "\uE000", "a")
	f.Add("", "a", "", "é")
	f.Fuzz(func(t *testing.T, n1, n2, n3, n4 string) {
		names := []string{n1, n2, n3, n4}
		pairs := make([][2]string, len(names))
		for i, n := range names {
			if !utf8.ValidString(n) {
				return
			}
			pairs[i] = [2]string{n, string(rune('0' + i))}
		}
		want := slices.Clone(pairs)
		slices.SortStableFunc(want, func(a, b [2]string) int {
			return slices.Compare(utf16.Encode([]rune(a[0])), utf16.Encode([]rune(b[0])))
		})
		SortQuery(pairs)
		if !slices.Equal(pairs, want) {
			t.Fatalf("SortQuery = %q, want %q", pairs, want)
		}
	})
}
