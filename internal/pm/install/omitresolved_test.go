package install_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/fakeregistry"
)

// TestLockfileWithoutResolvedColdCache: with npm's
// omit-lockfile-registry-resolved the lockfile has no "resolved" for
// registry packages; an install from it with an empty cache takes each
// tarball from the configured registry's usual location (a scoped package
// too) instead of failing for want of a URL, and keeps the lockfile as it
// was.
func TestLockfileWithoutResolvedColdCache(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","@s/b":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "@s/b", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	npmrc := filepath.Join(p.dir, ".npmrc")
	b, err := os.ReadFile(npmrc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(npmrc, append(b, "\nomit-lockfile-registry-resolved=true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	p.install(t)
	lock := p.read("package-lock.json")
	if strings.Contains(lock, `"resolved"`) || !strings.Contains(lock, `"integrity"`) {
		t.Fatalf("fixture: want a lockfile with integrities and no resolved URLs:\n%s", lock)
	}
	tree := p.installed()
	if len(tree) != 3 {
		t.Fatalf("fixture: installed %q, want 3 packages", tree)
	}

	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.RemoveAll(filepath.Join(p.home, "cache"))
	p.install(t)
	want(t, p.installed(), tree...)
	if p.read("package-lock.json") != lock {
		t.Fatalf("the lockfile changed:\n%s\nwas\n%s", p.read("package-lock.json"), lock)
	}
}
