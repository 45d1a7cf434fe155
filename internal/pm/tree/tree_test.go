package tree

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/manifest"
)

// memSource serves packuments built from "name@version" -> manifest patches.
type memSource map[string]*packument.Packument

func (s memSource) Packument(_ context.Context, name string) (*packument.Packument, error) {
	if p, ok := s[name]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
}

func (s memSource) add(id string, edit func(m *packument.Manifest)) {
	at := strings.LastIndexByte(id, '@')
	name, v := id[:at], id[at+1:]
	p := s[name]
	if p == nil {
		p = &packument.Packument{Name: name, DistTags: map[string]string{}, Versions: map[string]*packument.Manifest{}}
		s[name] = p
	}
	m := &packument.Manifest{Name: name, Version: v, Dist: packument.Dist{Tarball: "http://x/" + name + "-" + v + ".tgz", Integrity: "sha512-" + name + v}}
	if edit != nil {
		edit(m)
	}
	p.Versions[v] = m
	if cur := p.DistTags["latest"]; cur == "" || parseVersion(cur).Compare(parseVersion(v)) < 0 {
		p.DistTags["latest"] = v
	}
}

func deps(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func layout(t *Tree) string {
	var lines []string
	t.Walk(func(n *Node) {
		s := n.Location() + " " + n.ID()
		if n.Inert {
			s += " inert"
		}
		for _, f := range []struct {
			on   bool
			name string
		}{{n.Dev, "dev"}, {n.Optional, "optional"}, {n.DevOptional, "devOptional"}, {n.Peer, "peer"}} {
			if f.on {
				s += " " + f.name
			}
		}
		lines = append(lines, s)
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func build(t *testing.T, src memSource, pkgJSON string) (*Tree, error) {
	t.Helper()
	m, err := manifest.Parse("package.json", []byte(pkgJSON))
	if err != nil {
		t.Fatal(err)
	}
	return Build(context.Background(), m, Options{Source: src, Platform: Platform{OS: "linux", CPU: "x64", Libc: "glibc"}, NodeVersion: "v22.12.0", Concurrency: 4})
}

func TestBuild(t *testing.T) {
	src := memSource{}
	src.add("a@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "^1.0.0") })
	src.add("b@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "^2.0.0") })
	src.add("c@1.0.0", nil)
	src.add("c@1.5.0", nil)
	src.add("c@2.0.0", nil)
	src.add("d@1.0.0", func(m *packument.Manifest) { m.PeerDependencies = deps("e", "^1.0.0") })
	src.add("e@1.0.0", nil)
	src.add("e@2.0.0", nil)
	src.add("esb@1.0.0", func(m *packument.Manifest) {
		m.OptionalDependencies = deps("esb-linux", "1.0.0", "esb-darwin", "1.0.0")
	})
	src.add("esb-linux@1.0.0", func(m *packument.Manifest) { m.OS = []string{"linux"}; m.CPU = []string{"x64"} })
	src.add("esb-darwin@1.0.0", func(m *packument.Manifest) {
		m.OS = []string{"darwin"}
		m.CPU = []string{"arm64"}
		m.Dependencies = deps("f", "1.0.0")
	})
	src.add("f@1.0.0", nil)
	src.add("g@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "^1.0.0") })
	src.add("h@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "1.0.0") })

	cases := []struct {
		name, pkg, want string
	}{
		{"dedupe and nest on conflict", `{"dependencies":{"a":"^1.0.0","b":"^1.0.0"}}`,
			"node_modules/a a@1.0.0\nnode_modules/b b@1.0.0\nnode_modules/b/node_modules/c c@2.0.0\nnode_modules/c c@1.5.0"},
		{"root wins the top slot", `{"dependencies":{"b":"^1.0.0","c":"1.0.0"}}`,
			"node_modules/b b@1.0.0\nnode_modules/b/node_modules/c c@2.0.0\nnode_modules/c c@1.0.0"},
		{"peer installed beside dependent", `{"dependencies":{"d":"1.0.0"}}`,
			"node_modules/d d@1.0.0\nnode_modules/e e@1.0.0 peer"},
		{"dev flags", `{"dependencies":{"a":"1"},"devDependencies":{"g":"1"}}`,
			"node_modules/a a@1.0.0\nnode_modules/c c@1.5.0\nnode_modules/g g@1.0.0 dev"},
		{"optional platform filtering", `{"dependencies":{"esb":"1"}}`,
			"node_modules/esb esb@1.0.0\nnode_modules/esb-darwin esb-darwin@1.0.0 inert optional\nnode_modules/esb-linux esb-linux@1.0.0 optional\nnode_modules/f f@1.0.0 inert optional"},
		{"alias", `{"dependencies":{"cc":"npm:c@^2.0.0","c":"1.0.0"}}`,
			"node_modules/c c@1.0.0\nnode_modules/cc c@2.0.0"},
		{"override everywhere", `{"dependencies":{"a":"1","b":"1"},"overrides":{"c":"1.0.0"}}`,
			"node_modules/a a@1.0.0\nnode_modules/b b@1.0.0\nnode_modules/c c@1.0.0"},
		{"nested override", `{"dependencies":{"a":"1","g":"1"},"overrides":{"g":{"c":"1.0.0"}}}`,
			"node_modules/a a@1.0.0\nnode_modules/c c@1.5.0\nnode_modules/g g@1.0.0\nnode_modules/g/node_modules/c c@1.0.0"},
		{"ref override", `{"dependencies":{"b":"1","c":"^1.0.0"},"overrides":{"c":"$c"}}`,
			"node_modules/b b@1.0.0\nnode_modules/c c@1.5.0"},
		{"dist tag", `{"dependencies":{"c":"latest"}}`, "node_modules/c c@2.0.0"},
		{"later exact pin nests under its dependent", `{"dependencies":{"a":"1","h":"1"}}`,
			"node_modules/a a@1.0.0\nnode_modules/c c@1.5.0\nnode_modules/h h@1.0.0\nnode_modules/h/node_modules/c c@1.0.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 3; i++ { // deterministic across runs despite parallel fetches
				tr, err := build(t, src, c.pkg)
				if err != nil {
					t.Fatal(err)
				}
				if got := layout(tr); got != c.want {
					t.Fatalf("got\n%s\nwant\n%s", got, c.want)
				}
				if p := tr.Problems(); len(p) > 0 {
					t.Fatalf("problems: %v", p)
				}
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	src := memSource{}
	src.add("a@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("b", "^2") })
	src.add("b@2.0.0", func(m *packument.Manifest) { m.Dependencies = deps("missing", "^1") })
	src.add("c@1.0.0", nil)
	src.add("c@1.1.0", nil)
	src.add("p@1.0.0", func(m *packument.Manifest) { m.PeerDependencies = deps("c", "^2.0.0") })
	src.add("x@1.0.0", func(m *packument.Manifest) { m.OS = []string{"darwin"} })

	_, err := build(t, src, `{"name":"app","version":"1.0.0","dependencies":{"a":"1"}}`)
	var nf *NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "app@1.0.0 > a@1.0.0 > b@2.0.0") || !strings.Contains(err.Error(), "missing@^1") {
		t.Fatalf("404: %v", err)
	}
	_, err = build(t, src, `{"dependencies":{"c":"^3"}}`)
	var nv *NoVersionError
	if !errors.As(err, &nv) || !strings.Contains(err.Error(), "1.1.0, 1.0.0") {
		t.Fatalf("etarget: %v", err)
	}
	_, err = build(t, src, `{"dependencies":{"c":"^1","p":"1"}}`)
	var pc *PeerConflictError
	if !errors.As(err, &pc) || !strings.Contains(err.Error(), "c@1.1.0") || !strings.Contains(err.Error(), "p@1.0.0") {
		t.Fatalf("eresolve: %v", err)
	}
	_, err = build(t, src, `{"dependencies":{"x":"1"}}`)
	var pe *PlatformError
	if !errors.As(err, &pe) {
		t.Fatalf("ebadplatform: %v", err)
	}
	if tr, err := build(t, src, `{"optionalDependencies":{"nope":"1","x":"1"}}`); err != nil || layout(tr) != "node_modules/x x@1.0.0 inert optional" {
		t.Fatalf("optional failures must be tolerated: %v", err)
	}
}

func TestLockfileRoundTrip(t *testing.T) {
	src := memSource{}
	src.add("a@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "^1.0.0") })
	src.add("b@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("c", "^2.0.0") })
	src.add("c@1.0.0", nil)
	src.add("c@2.0.0", nil)
	src.add("esb-darwin@1.0.0", func(m *packument.Manifest) { m.OS = []string{"darwin"} })
	pkg := `{"name":"app","version":"1.0.0","dependencies":{"a":"1","b":"1"},"optionalDependencies":{"esb-darwin":"1"}}`
	m, _ := manifest.Parse("package.json", []byte(pkg))
	tr, err := build(t, src, pkg)
	if err != nil {
		t.Fatal(err)
	}
	lf := tr.ToLockfile(m, LockOptions{}, false, Omit{})
	if len(RootMatches(lf, m)) != 0 {
		t.Fatalf("root mismatch: %v", RootMatches(lf, m))
	}
	back, err := FromLockfile(lf, m, Platform{OS: "linux", CPU: "x64"})
	if err != nil {
		t.Fatal(err)
	}
	if layout(back) != layout(tr) {
		t.Fatalf("layout changed:\n%s\nvs\n%s", layout(back), layout(tr))
	}
	if p := back.Problems(); len(p) > 0 {
		t.Fatal(p)
	}
	if string(back.ToLockfile(m, LockOptions{}, false, Omit{}).Encode(false)) != string(lf.Encode(false)) {
		t.Fatal("lockfile not stable through a round trip")
	}
	hidden := tr.ToLockfile(m, LockOptions{}, true, Omit{})
	if _, ok := hidden.Packages["node_modules/esb-darwin"]; ok {
		t.Fatal("inert package in hidden lockfile")
	}
	m2, _ := manifest.Parse("package.json", []byte(`{"name":"app","version":"1.0.0","dependencies":{"a":"1","b":"2"}}`))
	if len(RootMatches(lf, m2)) != 2 {
		t.Fatalf("mismatch not detected: %v", RootMatches(lf, m2))
	}
}

func TestNearestVersions(t *testing.T) {
	src := memSource{}
	for _, v := range []string{"1.0.0", "1.5.0", "2.0.0", "2.4.1", "5.0.0", "6.0.0", "7.0.0", "8.0.0"} {
		src.add("a@"+v, nil)
	}
	cases := map[string]string{
		"^3.0.0": "6.0.0, 5.0.0, 2.4.1, 2.0.0, 1.5.0",
		"^9":     "8.0.0, 7.0.0, 6.0.0, 5.0.0, 2.4.1",
		"0.1.x":  "5.0.0, 2.4.1, 2.0.0, 1.5.0, 1.0.0",
	}
	for spec, want := range cases {
		if got := strings.Join(nearestVersions(src["a"], spec), ", "); got != want {
			t.Errorf("%s: got %s, want %s", spec, got, want)
		}
	}
}

func TestNonRegistrySpecs(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		raw  string
		want string // spec type, "" for a registry spec
	}{
		{"^1.0.0", ""},
		{"latest", ""},
		{"npm:other@1", ""},
		{"file:../lib", "directory"},
		{"../lib", "directory"},
		{"./sub", "directory"},
		{"file:../x.tgz", "file"},
		{"./x.tar.gz", "file"},
		{"https://example.invalid/x.tgz", "remote"},
		{"http://127.0.0.1:1/x.tgz", "remote"},
		{"github:user/repo", ""},
	}
	for _, c := range cases {
		got := ""
		if sp := nonRegistry("x", c.raw, dir); sp != nil {
			got = string(sp.Type)
		}
		if got != c.want {
			t.Errorf("nonRegistry(%q) = %q, want %q", c.raw, got, c.want)
		}
	}
}
