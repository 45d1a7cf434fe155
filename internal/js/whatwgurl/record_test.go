package whatwgurl

import (
	"strconv"
	"testing"
)

// getters lists what the URL API's getters return for u, from the
// record's fields (the reference the offsets are checked against).
func getters(u *URL) []string {
	port := ""
	if u.Port >= 0 {
		port = strconv.Itoa(u.Port)
	}
	host, hostname := "", ""
	if u.HasHost {
		hostname = u.Host
		host = u.Host
		if port != "" {
			host += ":" + port
		}
	}
	search, hash := "", ""
	if u.HasQuery && u.Query != "" {
		search = "?" + u.Query
	}
	if u.HasFragment && u.Fragment != "" {
		hash = "#" + u.Fragment
	}
	return []string{u.Href(), u.Scheme + ":", u.Username, u.Password, host, hostname, port, u.Pathname(), search, hash}
}

func componentGetters(c Components) []string {
	return []string{c.Href, c.Href[:c.SchemeEnd], c.Username(), c.Password(), c.Host(), c.Hostname(), c.Port(),
		c.Pathname(), c.Search(), c.Hash()}
}

// checkRecord compares the getters over c with the record u.
func checkRecord(t *testing.T, what string, u *URL, c Components) {
	t.Helper()
	want, got := getters(u), componentGetters(c)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: getter %d = %q, the record says %q (offsets %+v)", what, i, got[i], want[i], c.Offsets)
		}
	}
	if c.QueryStart >= 0 != u.HasQuery || c.FragmentStart >= 0 != u.HasFragment {
		t.Fatalf("%s: query/fragment presence differs (offsets %+v)", what, c.Offsets)
	}
}

func TestAppendFast(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = not handled by the fast path
	}{
		{"https://user:pw@example.com:8080/a/b/../c?x=1#frag", "https://user:pw@example.com:8080/a/c?x=1#frag"},
		{"HTTP://EXAMPLE.COM:80/A/B?C#D", "http://example.com/A/B?C#D"},
		{"http://h", "http://h/"},
		{"http://h:/", "http://h/"},
		{"http://h:08/x", "http://h:8/x"},
		{"http://h:0", "http://h:0/"},
		{"ws://h:443/", "ws://h:443/"},
		{"wss://h:443/", "wss://h/"},
		{"http://:@h/", "http://h/"},
		{"http://u@h/", "http://u@h/"},
		{"http://:p@h/", "http://:p@h/"},
		{"http://u:@h/", "http://u@h/"},
		{"http://h/a/./b/.", "http://h/a/b/"},
		{"http://h/a/..", "http://h/"},
		{"http://h/../../x/..", "http://h/"},
		{"http://h//x//", "http://h//x//"},
		{"http://h?", "http://h/?"},
		{"http://h#", "http://h/#"},
		{"http://h/p?q?r#s#t", "http://h/p?q?r#s#t"},
		{"file:///a/b/c.js", "file:///a/b/c.js"},
		{"FILE:///x/../y?q#f", "file:///y?q#f"},
		{"file:///", "file:///"},
		{"file:///C:/x", ""},
		{"file:///x/c|/y", ""},
		{"file:////x", ""},
		{"file://host/x", ""},
		{"http://1.2.3.4/", ""},
		{"http://h.0x10/", ""},
		{"http://xn--nxasmq6b.com/", ""},
		{"http://a.xn--b/", ""},
		{"http://h:65536/", ""},
		{"http://h:1x/", ""},
		{"http:///h", ""},
		{"http:h", ""},
		{"foo://h/p", ""},
		{"http://h/a b", ""},
		{"http://h/%2e/", ""},
		{"http://h\\x", ""},
		{" http://h/", ""},
		{"http://h/\u00e9", ""},
		{"http://a@b@c/", ""},
	}
	for _, tc := range tests {
		for _, prefix := range []string{"", "junk"} {
			b, o, ok := AppendFast([]byte(prefix), tc.in)
			if !ok {
				if tc.want != "" {
					t.Errorf("AppendFast(%q) declined, want %q", tc.in, tc.want)
				}
				if string(b) != prefix {
					t.Errorf("AppendFast(%q) declined but changed dst to %q", tc.in, b)
				}
				continue
			}
			c := Components{Href: string(b[len(prefix):]), Offsets: o}
			if string(b[:len(prefix)]) != prefix || c.Href != tc.want {
				t.Errorf("AppendFast(%q) = %q, want %q", tc.in, b, prefix+tc.want)
				continue
			}
			u, err := parseSlow(tc.in, nil)
			if err != nil {
				t.Fatalf("state machine rejects %q: %v", tc.in, err)
			}
			checkRecord(t, tc.in, u, c)
			if sc := u.Components(); sc != c {
				t.Errorf("AppendFast(%q) offsets %+v, Components %+v", tc.in, c.Offsets, sc.Offsets)
			}
		}
	}
}

// FuzzAppendFast: wherever the fast path answers, the state machine
// gives the same href and the same offsets.
func FuzzAppendFast(f *testing.F) {
	for _, s := range []string{"https://user:pw@example.com:8080/a/b/../c?x=1#frag", "file:///a/./b/../c", "http://h",
		"HTTP://H:80/..", "ws://u:@h:0?#", "file:///C|/x", "http://h.1/", "ftp://x:21/a/b/./"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		b, o, ok := AppendFast(nil, in)
		u, err := parseSlow(ScalarValues(in), nil)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("AppendFast(%q) = %q, the state machine rejects it: %v", in, b, err)
		}
		c := Components{Href: string(b), Offsets: o}
		if sc := u.Components(); sc != c {
			t.Fatalf("AppendFast(%q) = %q %+v, the state machine gives %q %+v", in, c.Href, c.Offsets, sc.Href, sc.Offsets)
		}
		checkRecord(t, in, u, c)
	})
}

func BenchmarkAppendFast(b *testing.B) {
	b.ReportAllocs()
	var buf []byte
	for i := 0; i < b.N; i++ {
		var ok bool
		buf, _, ok = AppendFast(buf[:0], "https://user:pw@example.com:8080/a/b/../c?x=1234#frag")
		if !ok {
			b.Fatal("declined")
		}
	}
}

func TestAppendRelative(t *testing.T) {
	tests := []struct {
		base, in string
		want     string // "" = declined
	}{
		{"file:///home/u/proj/src/index.js", "./lib/x.js", "file:///home/u/proj/src/lib/x.js"},
		{"file:///home/u/proj/src/index.js", "../x.js?q#f", "file:///home/u/proj/x.js?q#f"},
		{"file:///home/u/proj/src/index.js", "/abs/p", "file:///abs/p"},
		{"file:///a", "../../..", "file:///"},
		{"http://u:p@h:8/a/b?q#f", "c", "http://u:p@h:8/a/c"},
		{"http://h", "x/./y/../z/", "http://h/x/z/"},
		{"http://h/a/", ".", "http://h/a/"},
		{"http://h/a/b", "..", "http://h/"},
		{"https://h/a/b", "?q", ""},
		{"https://h/a/b", "#f", ""},
		{"https://h/a/b", "//other/p", ""},
		{"https://h/a/b", "c:d", ""},
		{"https://h/a/b", "a b", ""},
		{"https://h/a/b", "\\x", ""},
		{"https://h/a/b", "", ""},
		{"foo://h/a/b", "c", ""},
		{"file:///C:/x/y", "z", ""},
		{"file:///x/y", "C|/z", ""},
		{"file://host/share/f", "g", "file://host/share/g"},
	}
	for _, tc := range tests {
		base, err := Parse(tc.base, nil)
		if err != nil {
			t.Fatalf("base %q: %v", tc.base, err)
		}
		b, o, ok := AppendRelative([]byte("pre"), base.Components(), tc.in)
		if !ok {
			if tc.want != "" {
				t.Errorf("AppendRelative(%q, %q) declined, want %q", tc.base, tc.in, tc.want)
			}
			if string(b) != "pre" {
				t.Errorf("AppendRelative(%q, %q) declined but changed dst to %q", tc.base, tc.in, b)
			}
			continue
		}
		c := Components{Href: string(b[3:]), Offsets: o}
		if c.Href != tc.want {
			t.Errorf("AppendRelative(%q, %q) = %q, want %q", tc.base, tc.in, c.Href, tc.want)
			continue
		}
		u, err := Parse(tc.in, base)
		if err != nil {
			t.Fatalf("state machine rejects %q against %q: %v", tc.in, tc.base, err)
		}
		checkRecord(t, tc.in, u, c)
		if sc := u.Components(); sc != c {
			t.Errorf("AppendRelative(%q, %q) offsets %+v, Components %+v", tc.base, tc.in, c.Offsets, sc.Offsets)
		}
	}
}

// FuzzAppendRelative: wherever the relative fast path answers, the state
// machine gives the same href and offsets.
func FuzzAppendRelative(f *testing.F) {
	for _, s := range [][2]string{{"file:///home/u/src/a.js", "./b/../c.js"}, {"http://u:p@h:8/a/b?q#f", "../x?y#z"},
		{"http://h", "/x/./y"}, {"file://host/s/f", ".."}, {"ws://h/a/", "b/c/."}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, base, in string) {
		bu, err := parseSlow(ScalarValues(base), nil)
		if err != nil {
			return
		}
		b, o, ok := AppendRelative(nil, bu.Components(), in)
		if !ok {
			return
		}
		u, err := parseSlow(ScalarValues(in), bu)
		if err != nil {
			t.Fatalf("AppendRelative(%q, %q) = %q, the state machine rejects it: %v", base, in, b, err)
		}
		c := Components{Href: string(b), Offsets: o}
		if sc := u.Components(); sc != c {
			t.Fatalf("AppendRelative(%q, %q) = %q %+v, the state machine gives %q %+v", base, in, c.Href, c.Offsets, sc.Href, sc.Offsets)
		}
		checkRecord(t, in, u, c)
	})
}
