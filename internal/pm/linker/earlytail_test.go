package linker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// noBundled marks every package of pkgs as holding no bundled packages
// (what the install knows from the store index).
func noBundled(pkgs []Package) []Package {
	out := append([]Package(nil), pkgs...)
	for i := range out {
		out[i].NoBundled = true
	}
	return out
}

// TestPrestageMeanwhile: an adopted prestage hands its staging folder to
// Options.Meanwhile after the top .bin links (when every command is
// there) and the hidden lockfile are in it; what Meanwhile writes there
// is swapped in with the rest, the tree is otherwise the plain layout's
// and the bin target is made executable. A Meanwhile error fails Apply
// and leaves nothing; a prestage that is not adopted never calls it.
func TestPrestageMeanwhile(t *testing.T) {
	st, fixture := prestageFixture()
	nested := noBundled(fixture)
	nested[3].Bin = map[string]string{"b": "package.json"} // a command in a nested node_modules
	for name, pkgs := range map[string][]Package{"top commands only": noBundled(fixture), "nested command": nested, "bundled unknown": fixture} {
		t.Run(name, func(t *testing.T) {
			want := applyPlain(t, st, pkgs)
			dir := t.TempDir()
			ps := StartPrestage(context.Background(), dir, pkgs, st)
			if ps == nil {
				t.Fatal("no prestage")
			}
			called := ""
			opts := Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps, Meanwhile: func(staging string) error {
				called = staging
				if _, err := os.Stat(filepath.Join(staging, ".package-lock.json")); err != nil {
					t.Errorf("hidden lockfile not in the staging folder yet: %v", err)
				}
				_, err := os.Lstat(filepath.Join(staging, ".bin", "a"))
				if early := topBinsOnly(pkgs); early != (err == nil) {
					t.Errorf("top .bin link made before Meanwhile: %v, want %v", err == nil, early)
				}
				return os.WriteFile(filepath.Join(staging, "extra"), []byte("x"), 0o644)
			}}
			if _, err := Apply(context.Background(), dir, pkgs, opts); err != nil {
				t.Fatal(err)
			}
			if !ps.Adopted() || called != ps.dir {
				t.Fatalf("adopted %v, Meanwhile called with %q (staging %q)", ps.Adopted(), called, ps.dir)
			}
			nm := filepath.Join(dir, "node_modules")
			if b, err := os.ReadFile(filepath.Join(nm, "extra")); err != nil || string(b) != "x" {
				t.Fatalf("what Meanwhile wrote: %q, %v", b, err)
			}
			os.Remove(filepath.Join(nm, "extra"))
			if got := listTree(t, nm); got != want {
				t.Fatalf("tree\n%s\nwant\n%s", got, want)
			}
			if fi, err := os.Stat(filepath.Join(nm, "a", "cli.js")); err != nil || fi.Mode()&0o111 != 0o111 {
				t.Fatalf("bin target mode %v, %v: not executable", fi.Mode(), err)
			}
			if s := stagingFolders(t, dir); len(s) != 0 {
				t.Fatalf("left behind: %q", s)
			}
		})
	}

	pkgs := noBundled(fixture)
	t.Run("error", func(t *testing.T) {
		dir := t.TempDir()
		ps := StartPrestage(context.Background(), dir, pkgs, st)
		boom := errors.New("boom")
		_, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps,
			Meanwhile: func(string) error { return boom }})
		if !errors.Is(err, boom) {
			t.Fatalf("Apply: %v, want %v", err, boom)
		}
		if _, err := os.Lstat(filepath.Join(dir, "node_modules")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("node_modules after a failed Meanwhile: %v", err)
		}
		if s := stagingFolders(t, dir); len(s) != 0 {
			t.Fatalf("left behind: %q", s)
		}
	})

	t.Run("not adopted", func(t *testing.T) {
		dir := t.TempDir()
		ps := StartPrestage(context.Background(), dir, pkgs[:3], st)
		calls := 0
		if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps,
			Meanwhile: func(string) error { calls++; return nil }}); err != nil {
			t.Fatal(err)
		}
		if ps.Adopted() || calls != 0 {
			t.Fatalf("adopted %v, Meanwhile called %d times", ps.Adopted(), calls)
		}
		if got, want := listTree(t, filepath.Join(dir, "node_modules")), applyPlain(t, st, pkgs); got != want {
			t.Fatalf("tree\n%s\nwant\n%s", got, want)
		}
	})
}
