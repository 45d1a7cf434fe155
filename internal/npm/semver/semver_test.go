package semver

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// These tables pin node-semver answers (checked against node-semver 7.8)
// so the package is tested even where node is absent.

func TestParse(t *testing.T) {
	tests := []struct {
		in, strict, loose string // "" = invalid
	}{
		{"1.2.3", "1.2.3", "1.2.3"},
		{" v1.2.3 ", "1.2.3", "1.2.3"},
		{"=1.2.3", "", "1.2.3"},
		{"v 1.2.3", "", "1.2.3"},
		{"01.2.3", "", "1.2.3"},
		{"1.2.3-alpha.01", "", "1.2.3-alpha.1"},
		{"1.2.3beta", "", "1.2.3-beta"},
		{"1.2.3-", "", "1.2.3--"},
		{"1.2.34.5", "", "1.2.3-4.5"},
		{"1.2.3+build.5", "1.2.3", "1.2.3"},
		{"1.2.3-rc.1+b", "1.2.3-rc.1", "1.2.3-rc.1"},
		{"1.2", "", ""},
		{"9007199254740991.0.0", "9007199254740991.0.0", "9007199254740991.0.0"},
		{"9007199254740992.0.0", "", ""},
		{"1.2.3-9007199254740993", "1.2.3-9007199254740993", "1.2.3-9007199254740993"},
	}
	for _, tt := range tests {
		for _, loose := range []bool{false, true} {
			want := tt.strict
			if loose {
				want = tt.loose
			}
			got, ok := Valid(tt.in, loose)
			if !ok {
				got = ""
			}
			if got != want {
				t.Errorf("Valid(%q, loose=%v) = %q, want %q", tt.in, loose, got, want)
			}
		}
	}
	if _, err := Parse("nope"); !errors.Is(err, ErrInvalidVersion) {
		t.Errorf("Parse(nope) error %v does not wrap ErrInvalidVersion", err)
	}
}

func TestCompareOrder(t *testing.T) {
	// Ascending, per semver.org plus node-semver's number handling.
	order := []string{
		"0.0.0-0", "0.0.0", "1.0.0-0", "1.0.0-2", "1.0.0-10", "1.0.0-alpha", "1.0.0-alpha.1",
		"1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
		"1.0.1", "1.2.0", "2.0.0", "10.0.0",
	}
	for i := range order {
		for k := range order {
			a, b := MustParse(order[i]), MustParse(order[k])
			want := 0
			if i < k {
				want = -1
			} else if i > k {
				want = 1
			}
			if got := Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", order[i], order[k], got, want)
			}
		}
	}
	if Compare(MustParse("1.2.3+a"), MustParse("1.2.3+b")) != 0 {
		t.Error("build metadata must not take part in comparison")
	}
}

func TestSort(t *testing.T) {
	in := []string{"2.0.0", "1.0.0-rc.1", "1.0.0+b", "10.0.0", "1.0.0", "1.0.0-beta"}
	var vs []*Version
	for _, s := range in {
		vs = append(vs, MustParse(s))
	}
	Sort(vs)
	var got []string
	for _, v := range vs {
		got = append(got, v.String()+"+"+strings.Join(v.Build, "."))
	}
	want := "1.0.0-beta+ 1.0.0-rc.1+ 1.0.0+b 1.0.0+ 2.0.0+ 10.0.0+"
	if strings.Join(got, " ") != want {
		t.Errorf("Sort = %q, want %q", strings.Join(got, " "), want)
	}
}

func TestRangeString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "*"},
		{"*", "*"},
		{"x", "*"},
		{"^1.2.3", ">=1.2.3 <2.0.0-0"},
		{"^0.2.3", ">=0.2.3 <0.3.0-0"},
		{"^0.0.3", ">=0.0.3 <0.0.4-0"},
		{"^0.0", "<0.1.0-0"}, // >=0.0.0 is dropped as "any"
		{"^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"},
		{"~1.2.3", ">=1.2.3 <1.3.0-0"},
		{"~1", ">=1.0.0 <2.0.0-0"},
		{"~> 1.2", ">=1.2.0 <1.3.0-0"},
		{"1.2.x", ">=1.2.0 <1.3.0-0"},
		{">1.2", ">=1.3.0"},
		{"<=1.2", "<1.3.0-0"},
		{">*", "<0.0.0-0"},
		{"1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"},
		{"1.2 - 2.3.4", ">=1.2.0 <=2.3.4"},
		{">= 1.2.3 < 2", ">=1.2.3 <2.0.0-0"},
		{"> =1.2.3", ">=1.2.3"},
		{"1.2.3 ||", "*"},
		{"1.x || >=2.5.0 || 5.0.0 - 7.2.3", ">=1.0.0 <2.0.0-0||>=2.5.0||>=5.0.0 <=7.2.3"},
		{">=0.0.0", "*"},
		{"<0.0.0-0 || 1", ">=1.0.0 <2.0.0-0"},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.in)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tt.in, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("ParseRange(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"latest", "> = 1.2.3", "*.1", "1.2.3 foo", "=1.2.3 - 2", "a || b"} {
		if r, err := ParseRange(bad); err == nil {
			t.Errorf("ParseRange(%q) = %q, want an error", bad, r)
		} else if !errors.Is(err, ErrInvalidRange) {
			t.Errorf("ParseRange(%q) error %v does not wrap ErrInvalidRange", bad, err)
		}
	}
}

func TestRangeTest(t *testing.T) {
	tests := []struct {
		rng, version string
		opts         Options
		want         bool
	}{
		{"^1.2.3", "1.9.9", Options{}, true},
		{"^1.2.3", "2.0.0", Options{}, false},
		{"^1.2.3", "2.0.0-0", Options{}, false},
		{"^1.2.3-beta.2", "1.2.3-beta.4", Options{}, true},
		{"^1.2.3-beta.2", "1.2.4-beta.4", Options{}, false},
		{"^1.2.3-beta.2", "1.2.4-beta.4", Options{IncludePrerelease: true}, true},
		{"*", "1.0.0-rc.1", Options{}, false},
		{"*", "1.0.0-rc.1", Options{IncludePrerelease: true}, true},
		{"<2.0.0", "2.0.0-rc.1", Options{}, false},
		{"1.2.3 - 1.2.5", "1.2.5", Options{}, true},
		{">1.2.3-alpha <1.2.3", "1.2.3-beta", Options{}, true},
		{"=1.2.3", "1.2.3+build", Options{}, true},
		{"~0.0.1", "0.0.9", Options{}, true},
	}
	for _, tt := range tests {
		r, err := ParseRangeWith(tt.rng, tt.opts)
		if err != nil {
			t.Fatalf("ParseRangeWith(%q): %v", tt.rng, err)
		}
		if got := r.Test(MustParse(tt.version)); got != tt.want {
			t.Errorf("%q.Test(%s) with %+v = %v, want %v", tt.rng, tt.version, tt.opts, got, tt.want)
		}
	}
}

func TestMaxMinSatisfying(t *testing.T) {
	var vs []*Version
	for _, s := range []string{"1.0.0", "1.2.0", "1.2.5", "2.0.0-rc.1", "2.0.0", "0.9.0"} {
		vs = append(vs, MustParse(s))
	}
	r := MustParseRange("^1.0.0 || 2.0.0-rc.1")
	if got := MaxSatisfying(vs, r); got.String() != "2.0.0-rc.1" {
		t.Errorf("MaxSatisfying = %v, want 2.0.0-rc.1", got)
	}
	if got := MinSatisfying(vs, r); got.String() != "1.0.0" {
		t.Errorf("MinSatisfying = %v, want 1.0.0", got)
	}
	if got := MaxSatisfying(vs, MustParseRange(">3")); got != nil {
		t.Errorf("MaxSatisfying(>3) = %v, want nil", got)
	}
}

func TestIntersects(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"^1.2.0", "~1.3.0", true},
		{"^1.2.0", "^2.0.0", false},
		{">=1.0.0 <2.0.0", "1.5.0", true},
		{"1.2.3-pre", "*", false},
		{"<0.0.0-0", "*", true}, // node-semver: the "any" side short-circuits
		{"1.x || 3.x", "3.1.0", true},
	}
	for _, tt := range tests {
		if got := Intersects(MustParseRange(tt.a), MustParseRange(tt.b)); got != tt.want {
			t.Errorf("Intersects(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIsExactVersion(t *testing.T) {
	for s, want := range map[string]bool{"1.2.3": true, "=1.2.3": true, "v1.2.3-rc.1": true, "^1.2.3": false, "1.2": false, "latest": false} {
		if got := IsExactVersion(s); got != want {
			t.Errorf("IsExactVersion(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTestDoesNotAllocate(t *testing.T) {
	r := MustParseRange("^1.2.3 || >=2.0.0-rc.1 <3")
	v := MustParse("2.0.0-rc.2")
	if n := testing.AllocsPerRun(100, func() { r.Test(v) }); n != 0 {
		t.Errorf("Range.Test allocates %v times per call, want 0", n)
	}
}

// fullVersion is the strict version grammar as one expression, used to
// cross-check the hand-written parser.
var (
	fullVersion  = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\d*)(?:\.(?:\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\d*))*))?(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))?$`)
	looseVersion = regexp.MustCompile(`^[v=\s]*(\d+)\.(\d+)\.(\d+)(?:-?((?:\d*[a-zA-Z-][a-zA-Z0-9-]*|\d+)(?:\.(?:\d*[a-zA-Z-][a-zA-Z0-9-]*|\d+))*))?(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))?$`)
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.2.3", "v1.2.3-alpha.1+b", "=1.2.3", "1.2.34.5", "1.2.3-", "01.02.03-04", "1.2.3--", "1.2.3-.a", " 1.2.3 ", "1.2.3-9007199254740993", "1.2.3-x.01"} {
		f.Add(s, "1.2.3-alpha")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, loose := range []bool{false, true} {
			v, err := parse(a, loose)
			re := fullVersion
			if loose {
				re = looseVersion
			}
			trimmed := jsTrim(a)
			m := re.FindStringSubmatch(trimmed)
			if err == nil {
				if m == nil {
					t.Fatalf("parse(%q, loose=%v) accepted what the grammar rejects", a, loose)
				}
				if m[4] != "" && !v.IsPrerelease() {
					t.Fatalf("parse(%q, loose=%v) lost the prerelease %q", a, loose, m[4])
				}
				// The normalised form parses strictly to itself unless a
				// huge loose identifier kept its leading zeros.
				s := v.String()
				w, err := Parse(s)
				if err == nil && w.String() != s {
					t.Fatalf("round trip of %q: %q then %q", a, s, w.String())
				}
				if err != nil && !loose {
					t.Fatalf("normalised %q of %q does not parse: %v", s, a, err)
				}
				if Compare(v, v) != 0 {
					t.Fatalf("Compare(%s, itself) != 0", s)
				}
			} else if m != nil && len(a) <= maxLength {
				if _, ok1 := parseNumber(m[1]); ok1 {
					if _, ok2 := parseNumber(m[2]); ok2 {
						if _, ok3 := parseNumber(m[3]); ok3 {
							t.Fatalf("parse(%q, loose=%v) rejected what the grammar accepts: %v", a, loose, err)
						}
					}
				}
			}
		}
		x, errx := ParseLoose(a)
		y, erry := ParseLoose(b)
		if errx == nil && erry == nil {
			if Compare(x, y) != -Compare(y, x) {
				t.Fatalf("Compare is not antisymmetric for %q and %q", a, b)
			}
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"^1.2.3", "~1.2 || 2.x", "1.2.3 - 2", "> =1.2.3", ">= 1.2 <2", "*", "", "+b 1.2.3", "^0.0.1-rc.1", "<=1.2.3-beta >=1.2.3-alpha", "1.2.3 ||", "=v1.2.3", "~> 01.02"} {
		f.Add(s, "1.2.3-alpha", false, false)
	}
	f.Fuzz(func(t *testing.T, s, version string, loose, incPre bool) {
		opts := Options{Loose: loose, IncludePrerelease: incPre}
		r, err := parseRange(s, opts)
		if err != nil {
			return
		}
		// A normalised range parses, and normalising reaches a fixed point
		// after one more step (not at once: loose ">=00.0.0" is kept the
		// first time, prints as ">=0.0.0", which then reads as "any").
		again, err := parseRange(r.String(), opts)
		if err != nil {
			t.Fatalf("normalised %q of %q does not parse: %v", r.String(), s, err)
		}
		third, err := parseRange(again.String(), opts)
		if err != nil {
			t.Fatalf("normalised %q of %q does not parse: %v", again.String(), s, err)
		}
		if again.String() != third.String() {
			t.Fatalf("normalising %q does not settle: %q, %q, %q", s, r.String(), again.String(), third.String())
		}
		if v, err := parse(version, loose); err == nil && again.Test(v) != third.Test(v) {
			t.Fatalf("%q and %q disagree on %s", again.String(), third.String(), v)
		}
		Intersects(r, again)
		if !Subset(r, r) {
			t.Fatalf("%q is not a subset of itself", s)
		}
		Subset(r, again)
		Subset(again, r)
	})
}

func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Parse("1.22.333-beta.4+build"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseRangeUncached(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parseRange("^1.2.3 || ~2.4.0", Options{Loose: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTest(b *testing.B) {
	r := MustParseRange("^1.2.3 || >=2.0.0-rc.1 <3")
	v := MustParse("2.5.1")
	for i := 0; i < b.N; i++ {
		r.Test(v)
	}
}

func FuzzFastPath(f *testing.F) {
	for _, s := range []string{"^1.2.3", "~1.2.3-rc.1", ">=1.0.0 <2.0.0", "1.2.3", "*", "^0.0.0", ">=0.0.0-0", "<0.0.0-0 1.2.3", "=1.2.3 =1.2.3", "^0.1.2 ~0.0.0-alpha.0", "^3", "4", "~1.2", "^0.1", "^0", "0", "~0 ^0.0", "1.2 3",
		"1.x.x", "0.0.x", "1.x", "0.x", "5.X.X", "1.2.*", "1.x.2", "1.x-beta", ">= 1.43.0 < 2", ">= 2.1.2 < 3.0.0", ">=8.0", ">=5", "<1", "<0",
		">1.2", ">1", "<=1", "<=1.2", "=1.2", "^ 1.2.3", "~ 1.x", ">= x", ">=0", ">=0.0", "<= 0.x", "> 1.2.3-rc.1"} {
		f.Add(s, false, false)
	}
	f.Fuzz(func(t *testing.T, s string, loose, incPre bool) {
		opts := Options{Loose: loose, IncludePrerelease: incPre}
		part := collapseSpaces(s)
		if strings.Contains(part, "||") {
			return
		}
		fast, ok := parseRangePartFast(part, opts)
		if !ok {
			return
		}
		slow, err := parseRangePartSlow(part, opts)
		if err != nil {
			t.Fatalf("fast path accepted %q (%+v), the general path rejects it: %v", part, opts, err)
		}
		if text(fast) != text(slow) {
			t.Fatalf("%q (%+v): fast path %q, general path %q", part, opts, text(fast), text(slow))
		}
	})
}

func text(cs []comparator) string {
	var parts []string
	for i := range cs {
		parts = append(parts, cs[i].value()+"/"+strings.Join(cs[i].v.Build, "."))
	}
	return strings.Join(parts, " ")
}

func TestSubset(t *testing.T) {
	tests := []struct {
		sub, dom string
		want     bool
	}{
		{"^1.2.3", ">=1.0.0", true},
		{"^1.2.3", "^1.0.0", true},
		{"^1.0.0", "^1.2.3", false},
		{">=1.2.3-pre", ">=1.0.0", false}, // lets in 1.2.3 prereleases
		{"1.x <1.2.3", "^1.2.0", false},
		{"^1.2.0", "1.x <1.2.3", false},
		{"*", "*", true},
		{"<0.0.0-0", "^1", false},
		// node-semver shares the parsed set of identical parts, and a set
		// is trivially inside itself, which changes this answer.
		{"1.2.3 <1.0.0 || 5.0.0 <1.0.0", "1.2.3 <1.0.0 || 2", false},
	}
	for _, tt := range tests {
		if got := Subset(MustParseRange(tt.sub), MustParseRange(tt.dom)); got != tt.want {
			t.Errorf("Subset(%q, %q) = %v, want %v", tt.sub, tt.dom, got, tt.want)
		}
	}
}
