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
