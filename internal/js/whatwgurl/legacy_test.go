package whatwgurl

import (
	"strings"
	"testing"
)

// legacyNull stands for null in the tables below.
const legacyNull = "-"

// legacyFields lists u's fields in the order of legacyCases' columns:
// protocol, auth, host, port, hostname, hash, search, query, pathname,
// path, href.
func legacyFields(u *LegacyURL) [11]string {
	var out [11]string
	for i, f := range []LegacyField{LegacyProtocol, LegacyAuth, LegacyHost, LegacyPort, LegacyHostname, LegacyHash,
		LegacySearch, LegacyQuery, LegacyPathname, LegacyPath} {
		out[i] = legacyNull
		if u.Has(f) {
			out[i] = u.Field(f)
		}
	}
	out[10] = u.Href
	return out
}

// The expected values are what node 20 prints for url.parse(in, false,
// slashesDenoteHost) (testdata/urllegacy.js compares thousands more).
var legacyCases = []struct {
	in                string
	slashesDenoteHost bool
	slashes           bool
	want              [11]string
}{
	{"https://user:pw@example.com:8080/a/b/../c?x=1#frag", false, true, [...]string{"https:", "user:pw", "example.com:8080", "8080", "example.com", "#frag", "?x=1", "x=1", "/a/b/../c", "/a/b/../c?x=1", "https://user:pw@example.com:8080/a/b/../c?x=1#frag"}},
	{"https://user:pw@example.com:8080/a/b/../c?x=1#frag", true, true, [...]string{"https:", "user:pw", "example.com:8080", "8080", "example.com", "#frag", "?x=1", "x=1", "/a/b/../c", "/a/b/../c?x=1", "https://user:pw@example.com:8080/a/b/../c?x=1#frag"}},
	{"/a/b?c=d", false, false, [...]string{"-", "-", "-", "-", "-", "-", "?c=d", "c=d", "/a/b", "/a/b?c=d", "/a/b?c=d"}},
	{"/a/b?c=d", true, false, [...]string{"-", "-", "-", "-", "-", "-", "?c=d", "c=d", "/a/b", "/a/b?c=d", "/a/b?c=d"}},
	{"//a/b", false, false, [...]string{"-", "-", "-", "-", "-", "-", "-", "-", "//a/b", "//a/b", "//a/b"}},
	{"//a/b", true, true, [...]string{"-", "-", "a", "-", "a", "-", "-", "-", "/b", "/b", "//a/b"}},
	{"HTTP://EXAMPLE.com", false, true, [...]string{"http:", "-", "example.com", "-", "example.com", "-", "-", "-", "/", "/", "http://example.com/"}},
	{"HTTP://EXAMPLE.com", true, true, [...]string{"http:", "-", "example.com", "-", "example.com", "-", "-", "-", "/", "/", "http://example.com/"}},
	{"mailto:a@b.c", false, false, [...]string{"mailto:", "a", "b.c", "-", "b.c", "-", "-", "-", "-", "-", "mailto:a@b.c"}},
	{"mailto:a@b.c", true, false, [...]string{"mailto:", "a", "b.c", "-", "b.c", "-", "-", "-", "-", "-", "mailto:a@b.c"}},
	{"javascript:alert(\"x\")", false, false, [...]string{"javascript:", "-", "-", "-", "-", "-", "-", "-", "alert(\"x\")", "alert(\"x\")", "javascript:alert(\"x\")"}},
	{"javascript:alert(\"x\")", true, false, [...]string{"javascript:", "-", "-", "-", "-", "-", "-", "-", "alert(\"x\")", "alert(\"x\")", "javascript:alert(\"x\")"}},
	{"a/b", false, false, [...]string{"-", "-", "-", "-", "-", "-", "-", "-", "a/b", "a/b", "a/b"}},
	{"a/b", true, false, [...]string{"-", "-", "-", "-", "-", "-", "-", "-", "a/b", "a/b", "a/b"}},
	{"", false, false, [...]string{"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", ""}},
	{"", true, false, [...]string{"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", ""}},
	{"http://[::1]:80/x", false, true, [...]string{"http:", "-", "[::1]:80", "80", "::1", "-", "-", "-", "/x", "/x", "http://[::1]:80/x"}},
	{"http://[::1]:80/x", true, true, [...]string{"http:", "-", "[::1]:80", "80", "::1", "-", "-", "-", "/x", "/x", "http://[::1]:80/x"}},
	{"http://a@b@c/d", false, true, [...]string{"http:", "a@b", "c", "-", "c", "-", "-", "-", "/d", "/d", "http://a%40b@c/d"}},
	{"http://a@b@c/d", true, true, [...]string{"http:", "a@b", "c", "-", "c", "-", "-", "-", "/d", "/d", "http://a%40b@c/d"}},
	{"http://x/a\"b|c", false, true, [...]string{"http:", "-", "x", "-", "x", "-", "-", "-", "/a%22b%7Cc", "/a%22b%7Cc", "http://x/a%22b%7Cc"}},
	{"http://x/a\"b|c", true, true, [...]string{"http:", "-", "x", "-", "x", "-", "-", "-", "/a%22b%7Cc", "/a%22b%7Cc", "http://x/a%22b%7Cc"}},
	{"file:///etc/passwd", false, true, [...]string{"file:", "-", "", "-", "", "-", "-", "-", "/etc/passwd", "/etc/passwd", "file:///etc/passwd"}},
	{"file:///etc/passwd", true, true, [...]string{"file:", "-", "", "-", "", "-", "-", "-", "/etc/passwd", "/etc/passwd", "file:///etc/passwd"}},
	{"http:a", false, false, [...]string{"http:", "-", "-", "-", "-", "-", "-", "-", "a", "a", "http:a"}},
	{"http:a", true, false, [...]string{"http:", "-", "-", "-", "-", "-", "-", "-", "a", "a", "http:a"}},
	{"http://a?b#c", false, true, [...]string{"http:", "-", "a", "-", "a", "#c", "?b", "b", "/", "/?b", "http://a/?b#c"}},
	{"http://a?b#c", true, true, [...]string{"http:", "-", "a", "-", "a", "#c", "?b", "b", "/", "/?b", "http://a/?b#c"}},
}

func TestLegacyParse(t *testing.T) {
	for _, c := range legacyCases {
		u, ok := LegacyParse(c.in, c.slashesDenoteHost)
		if !ok {
			t.Errorf("LegacyParse(%q, %v) declined", c.in, c.slashesDenoteHost)
			continue
		}
		if got := legacyFields(&u); got != c.want || u.Slashes != c.slashes {
			t.Errorf("LegacyParse(%q, %v)\n got %q slashes %v\nwant %q slashes %v", c.in, c.slashesDenoteHost, got, u.Slashes, c.want, c.slashes)
		}
	}
}

// TestLegacyParseDeclines: what url.js must handle itself.
func TestLegacyParseDeclines(t *testing.T) {
	for _, in := range []string{
		" http://a/", "http://a/b c", "http://a/\\b", "\\\\a/b", "http://h\tost/", "http://bücher.de/",
		"http://u%20x@a/", "http://a:b/c", "foo://a:x", "http://[::1/", "http://a]b/", "http://xn--nxasmq6b.com/",
		"http://a/\x7f",
	} {
		if u, ok := LegacyParse(in, false); ok {
			t.Errorf("LegacyParse(%q) = %+v, want declined", in, u)
		}
	}
}

// FuzzLegacyParse holds LegacyParse to what url.parse's results always
// satisfy (the differential test against node checks the values).
func FuzzLegacyParse(f *testing.F) {
	for _, c := range legacyCases {
		f.Add(c.in, c.slashesDenoteHost)
	}
	for _, s := range []string{"http://a@b@c/d?e#f", "//a@b/c", "x:y", "HTTPS://A:1/", "javascript://a/b", "http://x/{}|^`", "?a#b", "#a?b"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, slashesDenoteHost bool) {
		u, ok := LegacyParse(in, slashesDenoteHost)
		if !ok {
			return
		}
		for i := 0; i < len(in); i++ {
			if c := in[i]; c <= ' ' || c >= 0x7f || c == '\\' {
				t.Fatalf("LegacyParse(%q) took a character it must decline", in)
			}
		}
		if u.Has(LegacySearch) != u.Has(LegacyQuery) || u.Has(LegacySearch) && u.Search != "?"+u.Query {
			t.Fatalf("LegacyParse(%q): search %q, query %q", in, u.Search, u.Query)
		}
		if u.Has(LegacyHash) && !strings.HasPrefix(u.Hash, "#") {
			t.Fatalf("LegacyParse(%q): hash %q", in, u.Hash)
		}
		if want := u.Pathname + u.Search; u.Has(LegacyPath) != (want != "") || u.Path != want {
			t.Fatalf("LegacyParse(%q): path %q, pathname %q, search %q", in, u.Path, u.Pathname, u.Search)
		}
		if u.Has(LegacyHost) != u.Has(LegacyHostname) || u.Host != u.Hostname && !u.Has(LegacyPort) && !strings.HasPrefix(u.Host, "[") {
			t.Fatalf("LegacyParse(%q): host %q, hostname %q", in, u.Host, u.Hostname)
		}
		if u.Hostname != strings.ToLower(u.Hostname) {
			t.Fatalf("LegacyParse(%q): hostname %q not lower case", in, u.Hostname)
		}
		if !strings.HasSuffix(u.Href, u.Search+u.Hash) || !strings.HasPrefix(u.Href, u.Protocol) {
			t.Fatalf("LegacyParse(%q): href %q does not hold protocol %q, search %q, hash %q", in, u.Href, u.Protocol, u.Search, u.Hash)
		}
		// Href is what format() gives, and formatting again changes nothing.
		if again := u.format(); again != u.Href {
			t.Fatalf("LegacyParse(%q): format %q then %q", in, u.Href, again)
		}
	})
}
