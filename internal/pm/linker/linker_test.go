package linker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// dirStore "links" by writing the files of a package named by pkgPath.
type dirStore struct {
	files map[string]map[string]string // pkgPath -> file -> content
	fail  string
}

func (s *dirStore) Link(pkgPath, dest string) error {
	if pkgPath == s.fail {
		return errors.New("boom")
	}
	for f, c := range s.files[pkgPath] {
		p := filepath.Join(dest, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func listTree(t *testing.T, root string) string {
	var out []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == root {
			return nil
		}
		r, _ := filepath.Rel(root, p)
		if info.Mode()&os.ModeSymlink != 0 {
			l, _ := os.Readlink(p)
			out = append(out, r+" -> "+l)
		} else if !info.IsDir() {
			b, _ := os.ReadFile(p)
			out = append(out, r+"="+string(b))
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestApply(t *testing.T) {
	st := &dirStore{files: map[string]map[string]string{
		"a1": {"package.json": "a1", "cli.js": "#!/usr/bin/env node"},
		"a2": {"package.json": "a2", "cli.js": "#!/usr/bin/env node"},
		"b1": {"package.json": "b1"},
		"s1": {"package.json": "s1", "x.js": ""},
	}}
	dir := t.TempDir()
	v1 := []Package{
		{Location: "node_modules/a", Name: "a", StorePath: "a1", Key: "a1", Bin: map[string]string{"a": "cli.js"}},
		{Location: "node_modules/a/node_modules/b", Name: "b", StorePath: "b1", Key: "b1"},
		{Location: "node_modules/@s/x", Name: "@s/x", StorePath: "s1", Key: "s1", Bin: map[string]string{"sx": "x.js"}},
	}
	res, err := Apply(context.Background(), dir, v1, Options{Store: st, HiddenLockfile: []byte("{}\n")})
	if err != nil || res.Added != 3 {
		t.Fatal(res, err)
	}
	want := `.bin/a -> ../a/cli.js
.bin/sx -> ../@s/x/x.js
.package-lock.json={}

@s/x/package.json=s1
@s/x/x.js=
a/cli.js=#!/usr/bin/env node
a/node_modules/b/package.json=b1
a/package.json=a1`
	nm := filepath.Join(dir, "node_modules")
	if got := listTree(t, nm); got != want {
		t.Fatalf("fresh layout:\n%s", got)
	}
	if st, _ := os.Stat(filepath.Join(nm, "a", "cli.js")); st.Mode()&0o111 == 0 {
		t.Fatal("bin target not executable")
	}
	prev := map[string]string{}
	for _, p := range v1 {
		prev[p.Location] = p.Key
	}
	// Interrupted: a failing link leaves the old tree untouched.
	st.fail = "a2"
	v2 := []Package{{Location: "node_modules/a", Name: "a", StorePath: "a2", Key: "a2", Bin: map[string]string{"a": "cli.js"}}}
	if _, err := Apply(context.Background(), dir, v2, Options{Store: st, Previous: prev}); err == nil {
		t.Fatal("expected failure")
	}
	if got := listTree(t, nm); got != want {
		t.Fatalf("failed install changed the tree:\n%s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Apply(ctx, filepath.Join(dir), v2, Options{Store: st}); err == nil {
		t.Fatal("expected cancellation")
	}
	if got := listTree(t, nm); got != want {
		t.Fatalf("cancelled install changed the tree:\n%s", got)
	}
	// Incremental: a changes, b and @s/x go away.
	st.fail = ""
	res, err = Apply(context.Background(), dir, v2, Options{Store: st, Previous: prev, HiddenLockfile: []byte("2\n")})
	if err != nil || res.Changed != 1 || res.Removed != 2 {
		t.Fatal(res, err)
	}
	want2 := ".bin/a -> ../a/cli.js\n.package-lock.json=2\n\na/cli.js=#!/usr/bin/env node\na/package.json=a2"
	if got := listTree(t, nm); got != want2 {
		t.Fatalf("incremental layout:\n%s", got)
	}
}

func TestRecover(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, oldPrefix+"x")
	os.MkdirAll(filepath.Join(old, "a"), 0o755)
	os.MkdirAll(filepath.Join(dir, stagingPrefix+"y", "b"), 0o755)
	Recover(dir)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "a")); err != nil {
		t.Fatal("old node_modules not restored")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".gnode-*")); len(m) != 0 {
		t.Fatalf("leftovers: %v", m)
	}
}

// TestApplyReadyGate: Ready runs once, after the packages are staged and
// before node_modules changes; its error leaves node_modules (or its
// absence) exactly as it was, in every path of Apply.
func TestApplyReadyGate(t *testing.T) {
	st := &dirStore{files: map[string]map[string]string{
		"a1": {"package.json": "a1"},
		"a2": {"package.json": "a2"},
	}}
	v1 := []Package{{Location: "node_modules/a", Name: "a", StorePath: "a1", Key: "a1"}}
	v2 := []Package{{Location: "node_modules/a", Name: "a", StorePath: "a2", Key: "a2"}}
	prev1 := map[string]string{"node_modules/a": "a1"}
	blocked := errors.New("blocked")
	cases := []struct {
		name     string
		before   []Package // installed first (nil: no node_modules)
		pkgs     []Package
		previous map[string]string
	}{
		{name: "fresh", pkgs: v1},
		{name: "replace unknown node_modules", before: v1, pkgs: v2},
		{name: "incremental change", before: v1, pkgs: v2, previous: prev1},
		{name: "nothing changed", before: v1, pkgs: v1, previous: prev1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			nm := filepath.Join(dir, "node_modules")
			if c.before != nil {
				if _, err := Apply(context.Background(), dir, c.before, Options{Store: st, HiddenLockfile: []byte("before\n")}); err != nil {
					t.Fatal(err)
				}
			}
			was := listTree(t, nm)
			calls := 0
			staged := false
			_, err := Apply(context.Background(), dir, c.pkgs, Options{Store: st, Previous: c.previous, HiddenLockfile: []byte("after\n"),
				OnLinked: func(string) { staged = true },
				Ready: func() error {
					calls++
					// An incremental install stages inside node_modules, in
					// a folder nothing resolves from.
					if got := withoutStaging(listTree(t, nm)); got != was {
						t.Errorf("node_modules changed before Ready:\n%s", got)
					}
					return blocked
				}})
			if !errors.Is(err, blocked) || calls != 1 {
				t.Fatalf("err = %v, Ready called %d times", err, calls)
			}
			if c.previous == nil || c.pkgs[0].Key != c.before[0].Key {
				if !staged {
					t.Error("Ready was called before the packages were staged")
				}
			}
			if got := listTree(t, nm); got != was {
				t.Fatalf("a refused Ready changed node_modules:\n%s\nwant:\n%s", got, was)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, ".gnode-*")); len(m) != 0 {
				t.Fatalf("staging left behind: %v", m)
			}
			if m, _ := filepath.Glob(filepath.Join(nm, ".gnode-*")); len(m) != 0 {
				t.Fatalf("staging left behind in node_modules: %v", m)
			}
			// The same install with Ready passing goes through.
			calls = 0
			if _, err := Apply(context.Background(), dir, c.pkgs, Options{Store: st, Previous: c.previous, HiddenLockfile: []byte("after\n"),
				Ready: func() error { calls++; return nil }}); err != nil || calls != 1 {
				t.Fatalf("err = %v, Ready called %d times", err, calls)
			}
			if b, _ := os.ReadFile(filepath.Join(nm, "a", "package.json")); string(b) != c.pkgs[0].StorePath {
				t.Fatalf("a/package.json = %q after a passing Ready", b)
			}
		})
	}
}

func withoutStaging(tree string) string {
	var keep []string
	for _, l := range strings.Split(tree, "\n") {
		if !strings.HasPrefix(l, ".gnode-staging/") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
