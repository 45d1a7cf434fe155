package install_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gnode/internal/pm/install"
	"gnode/internal/testutil/fakeregistry"
)

// indexSets lists the index set files under the project's cache.
func indexSets(t *testing.T, p *project) []string {
	t.Helper()
	return memoFiles(p, func(name string) bool { return strings.HasSuffix(name, ".idx") })
}

var indexSetTrace = regexp.MustCompile(`gnode trace: index set (\d+)\n`)

// warmInstall removes node_modules and installs with GNODE_TRACE_INSTALL,
// returning how many indexes came from the index set (-1: not traced)
// and the trace.
func warmInstall(t *testing.T, p *project) (int, string) {
	t.Helper()
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	var errb bytes.Buffer
	o := p.opts(install.ModeInstall)
	o.Env = append(o.Env, "GNODE_TRACE_INSTALL=1")
	o.Stderr = &errb
	if _, err := install.Run(context.Background(), o); err != nil {
		t.Fatalf("warm install: %v\n%s", err, errb.String())
	}
	m := indexSetTrace.FindAllStringSubmatch(errb.String(), -1)
	if len(m) == 0 {
		return -1, errb.String()
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n, errb.String()
}

// storeEntry is the store folder ("…/<hash>", holding package/ and the
// index files) of the package installed at node_modules/<name>.
func storeEntry(t *testing.T, p *project, name string) string {
	t.Helper()
	lf := p.lock()
	e, ok := lf.Packages["node_modules/"+name]
	if !ok || e.Integrity == "" {
		t.Fatalf("no lockfile entry with an integrity for %s", name)
	}
	var found string
	filepath.Walk(filepath.Join(p.home, "cache"), func(path string, info os.FileInfo, err error) error {
		if err == nil && info.Name() == "index.bin" && found == "" {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte(e.Integrity)) {
				found = filepath.Dir(path)
			}
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no store entry for %s", name)
	}
	return found
}

// TestWarmInstallIndexSet: the first warm install of a lockfile writes an
// index set and the next one loads every index from it, with the same
// node_modules; a store file or a whole store entry deleted after the set
// was written, and a corrupt set, still give a complete, correct install.
func TestWarmInstallIndexSet(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, Files: map[string]string{"lib/extra.js": "module.exports = 1\n"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"b": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	p.install(t)
	if s := indexSets(t, p); len(s) != 0 {
		t.Fatalf("a cold install wrote index sets %q", s)
	}
	tree := p.installed()
	lock := p.read("package-lock.json")
	hidden := p.read("node_modules/.package-lock.json")
	extra := p.read("node_modules/a/lib/extra.js")
	if extra == "" {
		t.Fatal("fixture: node_modules/a/lib/extra.js missing")
	}
	check := func(what string) {
		t.Helper()
		want(t, p.installed(), tree...)
		if p.read("package-lock.json") != lock || p.read("node_modules/.package-lock.json") != hidden {
			t.Fatalf("%s: the lockfiles changed", what)
		}
		if p.read("node_modules/a/lib/extra.js") != extra {
			t.Fatalf("%s: node_modules/a/lib/extra.js missing or different", what)
		}
		if _, err := os.Readlink(filepath.Join(p.dir, "node_modules", ".bin", "b")); err != nil {
			t.Fatalf("%s: bin link missing: %v", what, err)
		}
		for _, e := range []string{".gnode-staging-", ".gnode-old-"} {
			ents, _ := os.ReadDir(p.dir)
			for _, d := range ents {
				if strings.HasPrefix(d.Name(), e) {
					t.Fatalf("%s: %s left behind", what, d.Name())
				}
			}
		}
	}

	// First warm install: per-package indexes, then the set is written.
	if n, tr := warmInstall(t, p); n != 0 {
		t.Fatalf("first warm install loaded %d indexes from a set:\n%s", n, tr)
	}
	sets := indexSets(t, p)
	if len(sets) != 1 {
		t.Fatalf("index sets after a warm install: %q, want one", sets)
	}
	check("first warm install")

	// Second: all four indexes from the set.
	if n, tr := warmInstall(t, p); n != 4 {
		t.Fatalf("second warm install loaded %d indexes from the set, want 4:\n%s", n, tr)
	}
	check("warm install from the set")

	// A file of a store entry deleted: the set is stale, the install
	// notices, drops it and installs again (the entry is incomplete, so it
	// is fetched again) — the same node_modules.
	aEntry := storeEntry(t, p, "a")
	if err := os.Remove(filepath.Join(aEntry, "package", "lib", "extra.js")); err != nil {
		t.Fatal(err)
	}
	// The layout started ahead from the plan may meet the missing file
	// first: it removes the incomplete entry, which the fetch phase then
	// downloads again; otherwise the layout meets it and installs again.
	n, tr := warmInstall(t, p)
	if !strings.Contains(tr, "store stale") && !strings.Contains(tr, "layout plan adopted false") {
		t.Fatalf("a deleted store file was not noticed:\n%s", tr)
	}
	if n != 0 && strings.Contains(tr, "store stale") {
		t.Fatalf("the install again loaded %d indexes from a stale set:\n%s", n, tr)
	}
	check("deleted store file")

	// The whole store entry of c@2 deleted after the (rewritten) set.
	if n, tr := warmInstall(t, p); n != 4 {
		t.Fatalf("set not rewritten after a stale one: %d\n%s", n, tr)
	}
	if err := os.RemoveAll(storeEntry(t, p, "b/node_modules/c")); err != nil {
		t.Fatal(err)
	}
	if n, tr := warmInstall(t, p); !(n == 0 && strings.Contains(tr, "store stale") || strings.Contains(tr, "layout plan adopted false")) {
		t.Fatalf("a deleted store entry was not noticed (%d):\n%s", n, tr)
	}
	check("deleted store entry")

	// A corrupt set is ignored: every index read from the store.
	if n, tr := warmInstall(t, p); n != 4 {
		t.Fatalf("set not rewritten: %d\n%s", n, tr)
	}
	sets = indexSets(t, p)
	if len(sets) != 1 {
		t.Fatalf("index sets: %q, want one", sets)
	}
	b, err := os.ReadFile(sets[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, corrupt := range [][]byte{
		append(append([]byte(nil), b[:len(b)/2]...), b[len(b)/2+1:]...),                           // a byte missing
		append(append(append([]byte(nil), b[:len(b)/2]...), b[len(b)/2]^0x20), b[len(b)/2+1:]...), // a byte flipped
		b[:len(b)-1], // truncated
		[]byte("garbage"),
	} {
		if err := os.WriteFile(sets[0], corrupt, 0o644); err != nil {
			t.Fatal(err)
		}
		if n, tr := warmInstall(t, p); n != 0 {
			t.Fatalf("a corrupt set loaded %d indexes:\n%s", n, tr)
		}
		check("corrupt set")
	}
	npmLs(t, p)
}
