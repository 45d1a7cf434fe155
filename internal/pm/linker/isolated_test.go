package linker

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// isoStore holds fixture packages whose index.js requires what it is told
// to and reports what it found.
func isoStore() *dirStore {
	pkg := func(name, version string, requires ...string) map[string]string {
		var b strings.Builder
		b.WriteString("exports.id = " + quote(name+"@"+version) + ";\n")
		b.WriteString("exports.deps = {};\n")
		for _, r := range requires {
			b.WriteString("exports.deps[" + quote(r) + "] = require(" + quote(r) + ").id;\n")
		}
		return map[string]string{
			"package.json": `{"name":` + quote(name) + `,"version":` + quote(version) + `}`,
			"index.js":     b.String(),
			"cli.js":       "#!/usr/bin/env node\nconsole.log(" + quote(name) + ")\n",
		}
	}
	return &dirStore{files: map[string]map[string]string{
		"a1":  pkg("a", "1.0.0", "b"),
		"b1":  pkg("b", "1.0.0", "c", "@s/d"),
		"b2":  pkg("b", "2.0.0", "c"),
		"c1":  pkg("c", "1.0.0"),
		"d1":  pkg("@s/d", "1.0.0"),
		"p1":  pkg("p", "1.0.0"),
		"pl1": pkg("plugin", "1.0.0", "p"),
	}}
}

func quote(s string) string { return `"` + s + `"` }

func baseLayout() ([]IsolatedPackage, []DirectDep) {
	pkgs := []IsolatedPackage{
		{Dir: "a@1.0.0", Name: "a", StorePath: "a1", Key: "ka1", Deps: map[string]string{"b": "b@1.0.0"}},
		{Dir: "b@1.0.0", Name: "b", StorePath: "b1", Key: "kb1", Deps: map[string]string{"c": "c@1.0.0", "@s/d": "@s+d@1.0.0"}},
		{Dir: "c@1.0.0", Name: "c", StorePath: "c1", Key: "kc1", Bin: map[string]string{"c-cli": "cli.js"}},
		{Dir: "@s+d@1.0.0", Name: "@s/d", StorePath: "d1", Key: "kd1", Bin: map[string]string{"dee": "cli.js"}},
	}
	direct := []DirectDep{{Name: "a", Dir: "a@1.0.0"}, {Name: "@s/d", Dir: "@s+d@1.0.0"}}
	return pkgs, direct
}

func TestIsolatedDir(t *testing.T) {
	for _, c := range []struct{ name, version, want string }{
		{"a", "1.0.0", "a@1.0.0"},
		{"@s/b", "2.0.0-rc.1", "@s+b@2.0.0-rc.1"},
	} {
		if got := IsolatedDir(c.name, c.version); got != c.want {
			t.Errorf("IsolatedDir(%q, %q) = %q, want %q", c.name, c.version, got, c.want)
		}
	}
	if got := IsolatedLocation("@s+b@2.0.0", "@s/b"); got != "node_modules/.gnode/@s+b@2.0.0/node_modules/@s/b" {
		t.Errorf("IsolatedLocation = %q", got)
	}
}

func TestApplyIsolatedLayout(t *testing.T) {
	dir := t.TempDir()
	pkgs, direct := baseLayout()
	var linked []string
	res, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: isoStore(), HiddenLockfile: []byte("{}\n"),
		OnLinked: func(loc string) { linked = append(linked, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 4}) {
		t.Errorf("result = %+v, want 4 added", res)
	}
	if len(linked) != 4 {
		t.Errorf("OnLinked called for %v, want the 4 package folders only", linked)
	}
	nm := filepath.Join(dir, "node_modules")
	links := map[string]string{
		"a":                                      ".gnode/a@1.0.0/node_modules/a",
		"@s/d":                                   "../.gnode/@s+d@1.0.0/node_modules/@s/d",
		".gnode/a@1.0.0/node_modules/b":          "../../b@1.0.0/node_modules/b",
		".gnode/b@1.0.0/node_modules/c":          "../../c@1.0.0/node_modules/c",
		".gnode/b@1.0.0/node_modules/@s/d":       "../../../@s+d@1.0.0/node_modules/@s/d",
		".bin/dee":                               "../@s/d/cli.js",
		".gnode/b@1.0.0/node_modules/.bin/c-cli": "../c/cli.js",
		".gnode/b@1.0.0/node_modules/.bin/dee":   "../@s/d/cli.js",
	}
	for rel, want := range links {
		got, err := os.Readlink(filepath.Join(nm, filepath.FromSlash(rel)))
		if err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", rel, got, err, want)
		}
		if _, err := os.Stat(filepath.Join(nm, filepath.FromSlash(rel))); err != nil {
			t.Errorf("%s does not resolve: %v", rel, err)
		}
	}
	for _, gone := range []string{"b", "c", ".bin/c-cli", ".package-lock.json", ".gnode/node_modules", ".gnode/a@1.0.0/node_modules/.bin"} {
		if _, err := os.Lstat(filepath.Join(nm, filepath.FromSlash(gone))); err == nil {
			t.Errorf("%s exists, want it absent", gone)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(nm, ".gnode", "lock.json")); string(b) != "{}\n" {
		t.Errorf(".gnode/lock.json = %q", b)
	}
	if !IsIsolated(dir) {
		t.Error("IsIsolated = false after ApplyIsolated")
	}
	if b, _ := os.ReadFile(filepath.Join(nm, "a", "package.json")); !strings.Contains(string(b), `"a"`) {
		t.Errorf("node_modules/a/package.json = %q", b)
	}
}

func TestApplyIsolatedIncremental(t *testing.T) {
	dir := t.TempDir()
	pkgs, direct := baseLayout()
	st := isoStore()
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st}); err != nil {
		t.Fatal(err)
	}
	nm := filepath.Join(dir, "node_modules")
	cBefore, _ := os.Stat(filepath.Join(nm, ".gnode/c@1.0.0/node_modules/c/package.json"))
	reuse := map[string]string{} // non-nil: the current node_modules may be reused

	// Nothing changed: nothing is laid out again.
	var linked []string
	res, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st, Previous: reuse, OnLinked: func(l string) { linked = append(linked, l) }})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{}) || len(linked) != 0 {
		t.Errorf("no-op re-apply: %+v, linked %v", res, linked)
	}

	// b moves to 2.0.0, which no longer needs @s/d; the project still does.
	pkgs[0].Deps["b"] = "b@2.0.0"
	pkgs[1] = IsolatedPackage{Dir: "b@2.0.0", Name: "b", StorePath: "b2", Key: "kb2", Deps: map[string]string{"c": "c@1.0.0"}}
	linked = nil
	res, err = ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st, Previous: reuse, OnLinked: func(l string) { linked = append(linked, l) }})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 1, Removed: 1}) {
		t.Errorf("result = %+v, want 1 added 1 removed", res)
	}
	if len(linked) != 1 || linked[0] != "node_modules/.gnode/b@2.0.0/node_modules/b" {
		t.Errorf("linked %v, want only b@2.0.0", linked)
	}
	if got, _ := os.Readlink(filepath.Join(nm, ".gnode/a@1.0.0/node_modules/b")); got != "../../b@2.0.0/node_modules/b" {
		t.Errorf("a's b -> %q", got)
	}
	if _, err := os.Lstat(filepath.Join(nm, ".gnode/b@1.0.0")); err == nil {
		t.Error(".gnode/b@1.0.0 was not removed")
	}
	cAfter, _ := os.Stat(filepath.Join(nm, ".gnode/c@1.0.0/node_modules/c/package.json"))
	if cBefore == nil || cAfter == nil || !os.SameFile(cBefore, cAfter) {
		t.Error("c@1.0.0 was laid out again although it did not change")
	}
	if _, err := os.Lstat(filepath.Join(nm, ".gnode/b@2.0.0/node_modules/.bin/dee")); err == nil {
		t.Error("b@2.0.0 has a .bin link for a dependency it does not have")
	}

	// A package folder deleted by hand is laid out again.
	os.RemoveAll(filepath.Join(nm, ".gnode/c@1.0.0"))
	res, err = ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st, Previous: reuse})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(nm, ".gnode/b@2.0.0/node_modules/c/package.json")); err != nil {
		t.Errorf("c not restored: %v (result %+v)", err, res)
	}
}

func TestApplyIsolatedSwitchesLayouts(t *testing.T) {
	dir := t.TempDir()
	st := isoStore()
	hoisted := []Package{
		{Location: "node_modules/a", Name: "a", StorePath: "a1", Key: "ka1"},
		{Location: "node_modules/b", Name: "b", StorePath: "b1", Key: "kb1"},
		{Location: "node_modules/c", Name: "c", StorePath: "c1", Key: "kc1", Bin: map[string]string{"c-cli": "cli.js"}},
		{Location: "node_modules/@s/d", Name: "@s/d", StorePath: "d1", Key: "kd1"},
	}
	if _, err := Apply(context.Background(), dir, hoisted, Options{Store: st, HiddenLockfile: []byte("hidden")}); err != nil {
		t.Fatal(err)
	}
	nm := filepath.Join(dir, "node_modules")
	os.WriteFile(filepath.Join(nm, ".gnode-install-state"), []byte("x"), 0o644)
	pkgs, direct := baseLayout()
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st}); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"b", "c", ".bin/c-cli", ".package-lock.json", ".gnode-install-state"} {
		if _, err := os.Lstat(filepath.Join(nm, gone)); err == nil {
			t.Errorf("hoisted %s left behind", gone)
		}
	}
	if fi, err := os.Lstat(filepath.Join(nm, "a")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("node_modules/a is not a symlink after switching: %v", err)
	}
	// And back: the hoisted linker finds no hidden lockfile and rebuilds.
	if _, err := Apply(context.Background(), dir, hoisted, Options{Store: st, HiddenLockfile: []byte("hidden")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(nm, ".gnode")); err == nil {
		t.Error("node_modules/.gnode left behind after switching back to hoisted")
	}
	if fi, err := os.Lstat(filepath.Join(nm, "a")); err != nil || !fi.IsDir() {
		t.Errorf("node_modules/a is not a folder after switching back: %v", err)
	}
	if IsIsolated(dir) {
		t.Error("IsIsolated = true for a hoisted node_modules")
	}
}

func TestApplyIsolatedLinkedFolders(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "lib", "node_modules", "c"), 0o755) // a hoisted install's copy
	os.WriteFile(filepath.Join(dir, "lib", "package.json"), []byte(`{"name":"lib"}`), 0o644)
	pkgs, _ := baseLayout()
	direct := []DirectDep{{Name: "lib", LinkTarget: "../lib"}}
	folders := []LinkedFolder{{Folder: "lib", Deps: map[string]string{"c": "c@1.0.0", "a": "a@1.0.0"}}}
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, folders, Options{Store: isoStore()}); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]string{
		"node_modules/lib":   "../lib",
		"lib/node_modules/a": "../../node_modules/.gnode/a@1.0.0/node_modules/a",
		"lib/node_modules/c": "../../node_modules/.gnode/c@1.0.0/node_modules/c",
	} {
		if got, err := os.Readlink(filepath.Join(dir, rel)); err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", rel, got, err, want)
		}
	}
	// The folder no longer depends on c: its link goes, a stays.
	folders[0].Deps = map[string]string{"a": "a@1.0.0"}
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, folders, Options{Store: isoStore()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "lib/node_modules/c")); err == nil {
		t.Error("lib/node_modules/c left behind")
	}
	if _, err := os.Stat(filepath.Join(dir, "lib/node_modules/a/package.json")); err != nil {
		t.Errorf("lib/node_modules/a: %v", err)
	}
}

func TestApplyIsolatedRejects(t *testing.T) {
	for name, c := range map[string]struct {
		pkgs   []IsolatedPackage
		direct []DirectDep
	}{
		"dir escapes":         {pkgs: []IsolatedPackage{{Dir: "..", Name: "a", StorePath: "a1"}}},
		"dir with slash":      {pkgs: []IsolatedPackage{{Dir: "x/y", Name: "a", StorePath: "a1"}}},
		"dir hidden":          {pkgs: []IsolatedPackage{{Dir: ".bin", Name: "a", StorePath: "a1"}}},
		"name escapes":        {pkgs: []IsolatedPackage{{Dir: "a@1", Name: "../../x", StorePath: "a1"}}},
		"dep name escapes":    {pkgs: []IsolatedPackage{{Dir: "a@1", Name: "a", StorePath: "a1", Deps: map[string]string{"@s/../../x": "a@1"}}}},
		"dep not laid out":    {pkgs: []IsolatedPackage{{Dir: "a@1", Name: "a", StorePath: "a1", Deps: map[string]string{"b": "b@1"}}}},
		"direct not laid out": {direct: []DirectDep{{Name: "a", Dir: "a@1"}}},
		"duplicate dir":       {pkgs: []IsolatedPackage{{Dir: "a@1", Name: "a", StorePath: "a1"}, {Dir: "a@1", Name: "a", StorePath: "a1"}}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := ApplyIsolated(context.Background(), dir, c.pkgs, c.direct, nil, Options{Store: isoStore()}); err == nil {
				t.Fatal("ApplyIsolated accepted an invalid layout")
			}
			if _, err := os.Lstat(filepath.Join(dir, "node_modules")); err == nil {
				t.Error("node_modules was created for a rejected layout")
			}
		})
	}
}

// TestIsolatedUnderNode requires packages through the layout with the real
// node: declared dependencies resolve, phantom ones do not.
func TestIsolatedUnderNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the differential check needs it")
	}
	dir := t.TempDir()
	pkgs, direct := baseLayout()
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: isoStore()}); err != nil {
		t.Fatal(err)
	}
	run := func(script string) (string, error) {
		cmd := exec.Command(node, "-e", script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	for _, c := range []struct{ script, want string }{
		{`console.log(require("a").deps.b)`, "b@1.0.0"},
		{`const r = require("module").createRequire(require.resolve("a")); console.log(JSON.stringify(r("b").deps))`, `{"c":"c@1.0.0","@s/d":"@s/d@1.0.0"}`},
		{`console.log(require("@s/d").id)`, "@s/d@1.0.0"},
	} {
		out, err := run(c.script)
		if err != nil || out != c.want {
			t.Errorf("%s: %q (%v), want %q", c.script, out, err, c.want)
		}
	}
	for _, phantom := range []string{
		`require("b")`,
		`require("c")`,
		`require("module").createRequire(require.resolve("a"))("c")`,
	} {
		out, err := run(phantom)
		if err == nil || !strings.Contains(out, "MODULE_NOT_FOUND") {
			t.Errorf("%s: want MODULE_NOT_FOUND, got %q (%v)", phantom, out, err)
		}
	}
}

// TestApplyIsolatedNilPreviousRebuilds checks that a nil Previous (gnode
// ci) lays every package out again, as Apply does.
func TestApplyIsolatedNilPreviousRebuilds(t *testing.T) {
	dir := t.TempDir()
	pkgs, direct := baseLayout()
	st := isoStore()
	if _, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st}); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, "node_modules", ".gnode", "c@1.0.0", "node_modules", "c", "edited.js")
	os.WriteFile(marker, []byte("x"), 0o644)
	res, err := ApplyIsolated(context.Background(), dir, pkgs, direct, nil, Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 4}) {
		t.Errorf("result = %+v, want all 4 laid out again", res)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a file added to a package folder survived a rebuild")
	}
}
