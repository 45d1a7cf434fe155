package tree

import (
	"strings"
	"testing"
)

func TestParseWorkspaceSpec(t *testing.T) {
	cases := []struct{ name, spec, ws, rng string }{
		{"a", "workspace:*", "a", ""},
		{"a", "workspace:^", "a", ""},
		{"a", "workspace:~", "a", ""},
		{"a", "workspace:", "a", ""},
		{"a", "workspace:1.2.3", "a", "1.2.3"},
		{"a", "workspace:^1.0.0", "a", "^1.0.0"},
		{"a", " workspace:>=1 <2 ", "a", ">=1 <2"},
		{"alias", "workspace:@s/b@*", "@s/b", ""},
		{"alias", "workspace:b@^2.0.0", "b", "^2.0.0"},
		{"alias", "workspace:other", "other", ""},
		{"@s/a", "workspace:*", "@s/a", ""},
	}
	for _, c := range cases {
		ws, rng := parseWorkspaceSpec(c.name, c.spec)
		if ws != c.ws || rng != c.rng {
			t.Errorf("parseWorkspaceSpec(%q, %q) = %q, %q; want %q, %q", c.name, c.spec, ws, rng, c.ws, c.rng)
		}
	}
}

func FuzzParseWorkspaceSpec(f *testing.F) {
	for _, s := range []string{"workspace:*", "workspace:@s/b@^1", "workspace:x", "workspace:@", "workspace:^1 || 2"} {
		f.Add("a", s)
	}
	f.Fuzz(func(t *testing.T, name, spec string) {
		ws, rng := parseWorkspaceSpec(name, spec)
		if ws == "" && name != "" {
			t.Fatalf("parseWorkspaceSpec(%q, %q) lost the name", name, spec)
		}
		if isWorkspaceSpec(spec) && rng != "" && !strings.Contains(spec, rng) {
			t.Fatalf("parseWorkspaceSpec(%q, %q) made up the range %q", name, spec, rng)
		}
	})
}
