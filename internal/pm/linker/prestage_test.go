package linker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// failOnce is a dirStore whose first Link of pkgPath fails.
type failOnce struct {
	dirStore
	pkgPath string
	failed  atomic.Bool
}

func (s *failOnce) Link(pkgPath, dest string) error {
	if pkgPath == s.pkgPath && !s.failed.Swap(true) {
		return errors.New("boom once")
	}
	return s.dirStore.Link(pkgPath, dest)
}

// stagingFolders lists the staging folders left in dir.
func stagingFolders(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), stagingPrefix) || strings.HasPrefix(e.Name(), oldPrefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

func prestageFixture() (*dirStore, []Package) {
	st := &dirStore{files: map[string]map[string]string{
		"a1": {"package.json": "a1", "cli.js": "#!/usr/bin/env node", "lib/deep/x.js": "x"},
		"b1": {"package.json": "b1"},
		"b2": {"package.json": "b2"},
		"s1": {"package.json": "s1"},
	}}
	pkgs := []Package{
		{Location: "node_modules/a", Name: "a", StorePath: "a1", Key: "a1", Bin: map[string]string{"a": "cli.js"}},
		{Location: "node_modules/@s/x", Name: "@s/x", StorePath: "s1", Key: "s1"},
		{Location: "node_modules/b", Name: "b", StorePath: "b1", Key: "b1"},
		{Location: "node_modules/a/node_modules/b", Name: "b", StorePath: "b2", Key: "b2"},
	}
	return st, pkgs
}

// applyPlain lays pkgs out without a prestage and returns the tree.
func applyPlain(t *testing.T, st Store, pkgs []Package) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n")}); err != nil {
		t.Fatal(err)
	}
	return listTree(t, filepath.Join(dir, "node_modules"))
}

// TestPrestageAdopted: a prestage of exactly the packages Apply is given
// becomes node_modules, the same tree as without it, with every package
// reported laid out and no staging folder left; a leftover staging folder
// of another install is still removed.
func TestPrestageAdopted(t *testing.T) {
	st, pkgs := prestageFixture()
	want := applyPlain(t, st, pkgs)
	dir := t.TempDir()
	leftover := filepath.Join(dir, stagingPrefix+"crashed")
	if err := os.MkdirAll(filepath.Join(leftover, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	plan := append([]Package(nil), pkgs...)
	for i := range plan {
		plan[i].Bin, plan[i].Name, plan[i].Key = nil, "", "" // a plan holds locations and store folders only
	}
	ps := StartPrestage(context.Background(), dir, plan, st)
	if ps == nil {
		t.Fatal("no prestage")
	}
	var linked atomic.Int64
	res, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps, OnLinked: func(string) { linked.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if !ps.Adopted() {
		t.Fatal("prestage not adopted")
	}
	if got := listTree(t, filepath.Join(dir, "node_modules")); got != want {
		t.Fatalf("tree\n%s\nwant\n%s", got, want)
	}
	if res.Added != len(pkgs) || linked.Load() != int64(len(pkgs)) {
		t.Fatalf("added %d, linked %d, want %d", res.Added, linked.Load(), len(pkgs))
	}
	if s := stagingFolders(t, dir); len(s) != 0 {
		t.Fatalf("left behind: %q", s)
	}
	ps.Abandon() // after adoption: nothing happens
	if got := listTree(t, filepath.Join(dir, "node_modules")); got != want {
		t.Fatal("Abandon after adoption changed node_modules")
	}
}

// TestPrestageNotAdopted: a plan that is not the layout, a prestage whose
// link failed, and one Apply never sees are removed; Apply's result is the
// plain layout.
func TestPrestageNotAdopted(t *testing.T) {
	st, pkgs := prestageFixture()
	want := applyPlain(t, st, pkgs)
	swapped := append([]Package{pkgs[1], pkgs[0]}, pkgs[2:]...)
	other := append([]Package(nil), pkgs...)
	other[2].StorePath = "b2"
	for name, plan := range map[string][]Package{
		"fewer": pkgs[:3], "more": append(append([]Package(nil), pkgs...), Package{Location: "node_modules/z", StorePath: "b1"}),
		"swapped": swapped, "other store folder": other,
	} {
		dir := t.TempDir()
		ps := StartPrestage(context.Background(), dir, plan, st)
		if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ps.Adopted() {
			t.Fatalf("%s: adopted", name)
		}
		if got := listTree(t, filepath.Join(dir, "node_modules")); got != want {
			t.Fatalf("%s: tree\n%s\nwant\n%s", name, got, want)
		}
		if s := stagingFolders(t, dir); len(s) != 0 {
			t.Fatalf("%s: left behind: %q", name, s)
		}
	}

	// The prestage's link fails (once): not adopted, Apply lays out again.
	fo := &failOnce{dirStore: *st, pkgPath: "b2"}
	dir := t.TempDir()
	ps := StartPrestage(context.Background(), dir, pkgs, fo)
	if _, err := Apply(context.Background(), dir, pkgs, Options{Store: fo, HiddenLockfile: []byte("{}\n"), Prestage: ps}); err != nil {
		t.Fatal(err)
	}
	if ps.Adopted() || !fo.failed.Load() {
		t.Fatalf("adopted %v after a failed link (failed %v)", ps.Adopted(), fo.failed.Load())
	}
	if got := listTree(t, filepath.Join(dir, "node_modules")); got != want {
		t.Fatalf("after a failed prestage: tree\n%s\nwant\n%s", got, want)
	}

	// Never handed to Apply: Abandon removes it.
	dir = t.TempDir()
	ps = StartPrestage(context.Background(), dir, pkgs, st)
	ps.Abandon()
	if s := stagingFolders(t, dir); len(s) != 0 {
		t.Fatalf("abandoned prestage left %q", s)
	}
	var nilPS *Prestage
	nilPS.Abandon()
	if nilPS.Adopted() {
		t.Fatal("nil prestage adopted")
	}

	// node_modules exists and is updated in place: the prestage is not
	// used and is removed.
	dir = t.TempDir()
	if _, err := Apply(context.Background(), dir, pkgs[:2], Options{Store: st, HiddenLockfile: []byte("{}\n")}); err != nil {
		t.Fatal(err)
	}
	ps = StartPrestage(context.Background(), dir, pkgs, st)
	prev := map[string]string{pkgs[0].Location: pkgs[0].Key, pkgs[1].Location: pkgs[1].Key}
	if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st, HiddenLockfile: []byte("{}\n"), Prestage: ps, Previous: prev}); err != nil {
		t.Fatal(err)
	}
	if ps.Adopted() {
		t.Fatal("adopted by an incremental layout")
	}
	if got := listTree(t, filepath.Join(dir, "node_modules")); got != want {
		t.Fatalf("incremental: tree\n%s\nwant\n%s", got, want)
	}
	if s := stagingFolders(t, dir); len(s) != 0 {
		t.Fatalf("incremental: left behind: %q", s)
	}

	// Plans with symlinked folders, or none, are not started.
	if StartPrestage(context.Background(), t.TempDir(), []Package{{Location: "node_modules/l", LinkTarget: "../l"}}, st) != nil {
		t.Fatal("a plan with a symlink was started")
	}
	if StartPrestage(context.Background(), t.TempDir(), nil, st) != nil {
		t.Fatal("an empty plan was started")
	}
}
