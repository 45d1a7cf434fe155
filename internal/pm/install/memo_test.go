package install_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/fakeregistry"
)

// memoFiles lists the files under the project's install memo folder whose
// names keep accepts (temporary files left out).
func memoFiles(p *project, keep func(name string) bool) []string {
	var out []string
	filepath.Walk(filepath.Join(p.home, "cache", "install-memo-v1"), func(path string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() && !strings.Contains(info.Name(), ".tmp-") && keep(info.Name()) {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// memoFacts lists the install memos under the project's cache.
func memoFacts(t *testing.T, p *project) []string {
	t.Helper()
	var out []string
	for _, path := range memoFiles(p, func(name string) bool {
		return !strings.HasSuffix(name, ".idx") && !strings.HasSuffix(name, ".plan") && !strings.HasSuffix(name, ".early")
	}) {
		b, _ := os.ReadFile(path)
		out = append(out, string(b))
	}
	return out
}

// TestWarmInstallMemo: a warm install records what it verified about the
// package.json and lockfile pair; the next warm install of the same pair
// lays out the same tree and writes the same lockfiles without checking
// again, and a changed lockfile is checked (and repaired) as before.
func TestWarmInstallMemo(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"b": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	p.install(t)
	if f := memoFacts(t, p); len(f) != 0 {
		t.Fatalf("a cold install resolved the tree itself, yet memoised %q", f)
	}
	lock := p.read("package-lock.json")
	tree := p.installed()

	// First warm install: checks the lockfile's tree and records it.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	p.install(t)
	hidden := p.read("node_modules/.package-lock.json")
	if f := memoFacts(t, p); len(f) != 1 || !strings.Contains(f[0], "p") || !strings.Contains(f[0], "c") {
		t.Fatalf("memo after a warm install: %q, want one with p and c", f)
	}
	// Second warm install: from the memo, the same result.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if s := p.install(t); s.Added != 4 {
		t.Fatalf("memoised warm install added %d, want 4", s.Added)
	}
	if p.read("package-lock.json") != lock || p.read("node_modules/.package-lock.json") != hidden {
		t.Fatalf("memoised warm install changed the lockfiles")
	}
	want(t, p.installed(), tree...)
	if _, err := os.Readlink(filepath.Join(p.dir, "node_modules", ".bin", "b")); err != nil {
		t.Fatalf("bin link missing after a memoised install: %v", err)
	}
	npmLs(t, p)

	// A lockfile missing an entry is another input: checked, found
	// wanting, resolved again and rewritten.
	lf := p.lock()
	delete(lf.Packages, "node_modules/b/node_modules/c")
	if err := lf.Write(filepath.Join(p.dir, "package-lock.json"), false); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	p.install(t)
	if p.read("package-lock.json") != lock {
		t.Fatalf("a lockfile missing an entry was not repaired:\n%s", p.read("package-lock.json"))
	}
	want(t, p.installed(), tree...)

	// A lockfile in another layout (reindented) is not the encoding of its
	// tree: it is rewritten, then memoised in its new form.
	p.write("package-lock.json", strings.ReplaceAll(lock, "\n  ", "\n\t"))
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	p.install(t)
	if p.read("package-lock.json") != lock {
		t.Fatalf("a reindented lockfile was not rewritten as npm writes it")
	}
}

// TestWarmInstallMemoBinsAndHidden: the memo's 'b' (bins are the
// lockfile's) and 'h' (the hidden lockfile is cut from package-lock.json)
// facts give the same node_modules, .bin links and hidden lockfile as a
// warm install without them, with an optional package for another
// platform left out of the hidden lockfile; a lockfile entry that lacks
// the "bin" its package.json has keeps 'b' from being recorded, and the
// command is linked on every warm install.
func TestWarmInstallMemoBinsAndHidden(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0"},"optionalDependencies":{"elsewhere":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, Bin: map[string]string{"a": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0", Bin: map[string]string{"c2": "bin.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "elsewhere", Version: "1.0.0", OS: []string{"aix"}})
	p.install(t)
	lock := p.read("package-lock.json")
	if !strings.Contains(lock, `"node_modules/elsewhere"`) {
		t.Fatalf("the other platform's package is not in the lockfile:\n%s", lock)
	}
	tree := p.installed()

	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	p.install(t)
	hidden := p.read("node_modules/.package-lock.json")
	if strings.Contains(hidden, "elsewhere") {
		t.Fatalf("the hidden lockfile lists a package that is not installed:\n%s", hidden)
	}
	if f := memoFacts(t, p); len(f) != 1 || !strings.Contains(f[0], "b") || !strings.Contains(f[0], "h") {
		t.Fatalf("memo after a warm install: %q, want one with b and h", f)
	}
	for round := 0; round < 2; round++ {
		os.RemoveAll(filepath.Join(p.dir, "node_modules"))
		p.install(t)
		if p.read("package-lock.json") != lock || p.read("node_modules/.package-lock.json") != hidden {
			t.Fatalf("memoised warm install %d changed the lockfiles", round)
		}
		want(t, p.installed(), tree...)
		for _, bin := range []string{".bin/a", "b/node_modules/.bin/c2"} {
			if _, err := os.Readlink(filepath.Join(p.dir, "node_modules", bin)); err != nil {
				t.Fatalf("bin link %s missing after memoised install %d: %v", bin, round, err)
			}
		}
	}
	npmLs(t, p)

	// The lockfile no longer says that a has a command: its package.json
	// still does, so every warm install links it and 'b' is not recorded.
	lf := p.lock()
	lf.Packages["node_modules/a"].Bin = nil
	if err := lf.Write(filepath.Join(p.dir, "package-lock.json"), false); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		os.RemoveAll(filepath.Join(p.dir, "node_modules"))
		p.install(t)
		if _, err := os.Readlink(filepath.Join(p.dir, "node_modules", ".bin", "a")); err != nil {
			t.Fatalf("bin link a missing (lockfile without bin), round %d: %v", round, err)
		}
	}
	if f := memoFacts(t, p); len(f) != 2 || strings.Contains(f[0], "b") == strings.Contains(f[1], "b") {
		t.Fatalf("memos %q: want the first lockfile's with b, the second's without", f)
	}
}
