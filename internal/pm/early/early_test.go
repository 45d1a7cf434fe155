package early

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"

	"gnode/internal/npm/npmrc"
)

func samplePlan(store string) []Package {
	return []Package{
		{Location: "node_modules/a", Store: store + "/a", Dirs: []string{"lib", "lib/deep"}, Files: []string{"package.json", "lib/deep/x.js"}},
		{Location: "node_modules/@s/b", Store: store + "/b", Files: []string{"package.json"}},
		{Location: "node_modules/a/node_modules/c", Store: store + "/c", Dirs: []string{}, Files: []string{"package.json", "index.js"}},
	}
}

// TestEncodeDecode: a plan decodes to what was encoded, only for the same
// package.json and lockfile bytes; every truncation, flipped byte, extra
// byte and unsafe name is refused.
func TestEncodeDecode(t *testing.T) {
	pkgRaw, lockRaw := []byte(`{"name":"app"}`), []byte(`{"lockfileVersion":3}`)
	plan := samplePlan("/store")
	b := Encode(pkgRaw, lockRaw, plan)
	got, ok := Decode(b, pkgRaw, lockRaw)
	if !ok {
		t.Fatal("plan did not decode")
	}
	for i := range got { // nil and empty lists are both empty
		if len(got[i].Dirs) == 0 {
			got[i].Dirs = plan[i].Dirs
		}
	}
	if !reflect.DeepEqual(got, plan) {
		t.Fatalf("decoded %+v\nwant %+v", got, plan)
	}
	for _, other := range [][2][]byte{
		{[]byte(`{"name":"app2"}`), lockRaw},
		{pkgRaw, []byte(`{"lockfileVersion":2}`)},
		{pkgRaw, append(append([]byte(nil), lockRaw...), '\n')},
		{lockRaw, pkgRaw},
	} {
		if _, ok := Decode(b, other[0], other[1]); ok {
			t.Fatalf("plan decoded for other inputs %q", other)
		}
	}
	for n := 0; n < len(b); n++ {
		if _, ok := Decode(b[:n], pkgRaw, lockRaw); ok {
			t.Fatalf("plan cut to %d of %d bytes decoded", n, len(b))
		}
	}
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x04
		if _, ok := Decode(c, pkgRaw, lockRaw); ok {
			t.Fatalf("plan with byte %d flipped decoded", i)
		}
	}
	if _, ok := Decode(append(append([]byte(nil), b...), 0), pkgRaw, lockRaw); ok {
		t.Fatal("plan with a trailing byte decoded")
	}
	for name, bad := range map[string]Package{
		"location outside node_modules": {Location: "lib/a", Store: "/s/a"},
		"location escaping":             {Location: "node_modules/../x", Store: "/s/a"},
		"relative store":                {Location: "node_modules/a", Store: "s/a"},
		"store with ..":                 {Location: "node_modules/a", Store: "/s/../a"},
		"file escaping":                 {Location: "node_modules/a", Store: "/s/a", Files: []string{"../../x"}},
		"absolute file":                 {Location: "node_modules/a", Store: "/s/a", Files: []string{"/etc/x"}},
		"dir escaping":                  {Location: "node_modules/a", Store: "/s/a", Dirs: []string{"a/../.."}},
		"empty file":                    {Location: "node_modules/a", Store: "/s/a", Files: []string{""}},
	} {
		if _, ok := Decode(Encode(pkgRaw, lockRaw, []Package{bad}), pkgRaw, lockRaw); ok {
			t.Errorf("%s: decoded", name)
		}
	}
}

func TestSafeRel(t *testing.T) {
	for p, want := range map[string]bool{
		"a": true, "node_modules/a": true, "@s/b/c.js": true, ".bin": true, "a..b": true, "...": true, ".../a": true, "a/.b": true, "a/b..": true, "sha512/ab/cd/package": true,
		"": false, "/a": false, "a/../b": false, "..": false, ".": false, "a/./b": false, "a//b": false, "a/": false, `a\b`: false, "a\x00": false, "a\x00b": false, "a/..": false, "./a": false, "a/.": false, "/": false,
	} {
		if got := SafeRel(p); got != want {
			t.Errorf("SafeRel(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestCacheDir: the cache folder is npmrc's for the same environment.
func TestCacheDir(t *testing.T) {
	cwd := t.TempDir()
	for _, env := range [][]string{
		{"HOME=/home/u"},
		{"HOME=/home/u", "XDG_CACHE_HOME=/xdg"},
		{"HOME=/home/u", "XDG_CACHE_HOME=rel"},
		{"HOME=/home/u", "XDG_CACHE_HOME=/xdg", "GNODE_CACHE_DIR=/c/d/"},
		{"HOME=/home/u", "GNODE_CACHE_DIR=rel/c"},
		{"HOME=/home/u/", "GNODE_CACHE_DIR=../c"},
	} {
		m := map[string]string{}
		for _, kv := range env {
			k, v, _ := cut(kv)
			m[k] = v
		}
		cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: cwd, Env: env, Home: m["HOME"]})
		if err != nil {
			t.Fatal(err)
		}
		got := CacheDir(cwd, func(k string) (string, bool) { v, ok := m[k]; return v, ok })
		if got != cfg.CacheDir() {
			t.Errorf("%q: CacheDir %q, npmrc %q", env, got, cfg.CacheDir())
		}
	}
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestEligible(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"gnode", "install"}, true},
		{[]string{"gnode", "i", "--ignore-scripts"}, true},
		{[]string{"gnode", "ci", "--omit=dev"}, true},
		{[]string{"gnode", "add"}, true},
		{[]string{"gnode"}, false},
		{[]string{"gnode", "app.js"}, false},
		{[]string{"gnode", "install", "express"}, false},
		{[]string{"gnode", "install", "--omit", "dev"}, false},
		{[]string{"gnode", "install", "--help"}, false},
		{[]string{"gnode", "install", "-h"}, false},
		{[]string{"gnode", "install", "-"}, false},
		{[]string{"gnode", "run", "install"}, false},
	} {
		if got := Eligible(c.args); got != c.want {
			t.Errorf("Eligible(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

// fixture makes a store with the sample plan's packages and a project
// with package.json and package-lock.json; it returns the project, the
// cache folder, the inputs and the plan.
func fixture(t *testing.T) (string, string, []byte, []byte, []Package) {
	t.Helper()
	root := t.TempDir()
	cache := filepath.Join(root, "cache")
	store := filepath.Join(cache, "store")
	plan := samplePlan(store)
	for _, p := range plan {
		for _, f := range p.Files {
			fp := filepath.Join(p.Store, f)
			os.MkdirAll(filepath.Dir(fp), 0o755)
			if err := os.WriteFile(fp, []byte(p.Location+"/"+f), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := filepath.Join(root, "project")
	os.MkdirAll(dir, 0o755)
	pkgRaw, lockRaw := []byte(`{"name":"project"}`), []byte(`{"lockfileVersion":3}`)
	os.WriteFile(filepath.Join(dir, "package.json"), pkgRaw, 0o644)
	os.WriteFile(filepath.Join(dir, "package-lock.json"), lockRaw, 0o644)
	return dir, cache, pkgRaw, lockRaw, plan
}

func writePlan(t *testing.T, cache, dir string, b []byte) {
	t.Helper()
	p := PlanPath(cache, dir)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStartIn: with a plan for the project's files, every package is laid
// out with hard links to the store's files in a staging folder; without
// one (or with one for other files) nothing is begun.
func TestStartIn(t *testing.T) {
	dir, cache, pkgRaw, lockRaw, plan := fixture(t)
	if l := StartIn(dir, cache); l.Loaded() || Current() != nil || Take() != nil {
		t.Fatal("begun without a plan")
	}
	writePlan(t, cache, dir, Encode([]byte("other"), lockRaw, plan))
	if l := StartIn(dir, cache); l.Loaded() {
		t.Fatal("begun with a plan of another package.json")
	}
	writePlan(t, cache, dir, Encode(pkgRaw, lockRaw, plan))
	l := StartIn(dir, cache)
	if !l.Loaded() || !l.Wait() || l.Failed() {
		t.Fatal("plan not laid out")
	}
	if Take() != l || Take() != nil {
		t.Fatal("Take did not hand the layout over once")
	}
	for _, p := range plan {
		for _, f := range p.Files {
			a, err1 := os.Stat(filepath.Join(p.Store, f))
			b, err2 := os.Stat(filepath.Join(l.Staging, p.Location[len("node_modules/"):], f))
			if err1 != nil || err2 != nil || !os.SameFile(a, b) {
				t.Fatalf("%s/%s not linked: %v %v", p.Location, f, err1, err2)
			}
		}
	}
	os.RemoveAll(l.Staging)

	// A store file missing: the layout fails (left for the linker).
	os.Remove(filepath.Join(plan[2].Store, "index.js"))
	l = StartIn(dir, cache)
	if !l.Loaded() || l.Wait() || !l.Failed() {
		t.Fatal("a missing store file was not a failure")
	}
	Discard(os.RemoveAll)
	if _, err := os.Stat(l.Staging); !os.IsNotExist(err) {
		t.Fatalf("Discard left %s: %v", l.Staging, err)
	}
}

// TestDiscard: a layout nobody took is stopped and its folder removed;
// Discard without one does nothing.
func TestDiscard(t *testing.T) {
	Discard(func(string) error { t.Fatal("removed without a layout"); return nil })
	dir, cache, pkgRaw, lockRaw, plan := fixture(t)
	writePlan(t, cache, dir, Encode(pkgRaw, lockRaw, plan))
	l := StartIn(dir, cache)
	if !l.Loaded() {
		t.Fatal("not begun")
	}
	Discard(os.RemoveAll)
	var st syscall.Stat_t
	if syscall.Lstat(l.Staging, &st) != syscall.ENOENT {
		t.Fatal("staging folder left")
	}
	if Current() != nil {
		t.Fatal("layout still current")
	}
}

// TestImports: the package imports nothing whose initialisation would
// make startup's (and so the early layout's start) wait.
func TestImports(t *testing.T) {
	allowed := map[string]bool{"math/bits": true, "path": true, "sync": true, "sync/atomic": true, "syscall": true, "unsafe": true}
	f, err := parser.ParseFile(token.NewFileSet(), "early.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); !allowed[p] {
			t.Errorf("early.go imports %s", p)
		}
	}
}

// TestRuntimeArgs: the command line Start looks at is the process's own,
// as os.Args has it, and a separate copy.
func TestRuntimeArgs(t *testing.T) {
	got := runtimeArgs()
	if !reflect.DeepEqual(got, os.Args) {
		t.Fatalf("runtimeArgs() = %q, os.Args = %q", got, os.Args)
	}
	got[0] = "changed"
	if runtimeArgs()[0] == "changed" {
		t.Fatal("runtimeArgs shares its slice between calls")
	}
}

// TestMapFile: a mapped file keeps its bytes after it is replaced or
// removed (the cache's files are); empty, missing and folder paths map
// nothing.
func TestMapFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan")
	want := []byte("gnodeearly plan bytes")
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	b, ok := MapFile(p)
	if !ok || string(b) != string(want) {
		t.Fatalf("mapFile = %q, %v", b, ok)
	}
	if err := os.WriteFile(p+".new", []byte("other"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".new", p); err != nil {
		t.Fatal(err)
	}
	if string(b) != string(want) {
		t.Fatalf("after the file was replaced: %q", b)
	}
	os.Remove(p)
	if string(b) != string(want) {
		t.Fatalf("after the file was removed: %q", b)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	for _, q := range []string{empty, p, dir} {
		if b, ok := MapFile(q); ok {
			t.Errorf("MapFile(%s) = %q, true", q, b)
		}
	}
}

// TestStoreRoot: packages' store folders are walked from the folder three
// levels above them, opened once while the packages share it.
func TestStoreRoot(t *testing.T) {
	base := t.TempDir()
	a := filepath.Join(base, "store", "sha512", "ab", "h1", "package")
	b := filepath.Join(base, "store", "sha512", "cd", "h2", "package")
	c := filepath.Join(base, "other", "sha1", "ef", "h3", "package")
	for _, d := range []string{a, b, c} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var s storeRoot
	defer s.close()
	buf := make([]byte, 0, 64)
	fd, rel, ok := s.open(&buf, a)
	if !ok || rel != "ab/h1/package" || s.dir != filepath.Join(base, "store", "sha512") {
		t.Fatalf("open(a) = %d, %q, %v (dir %q)", fd, rel, ok, s.dir)
	}
	fd2, rel, ok := s.open(&buf, b)
	if !ok || fd2 != fd || rel != "cd/h2/package" {
		t.Fatalf("open(b) = %d, %q, %v; want the same folder %d", fd2, rel, ok, fd)
	}
	if _, rel, ok = s.open(&buf, c); !ok || rel != "ef/h3/package" || s.dir != filepath.Join(base, "other", "sha1") {
		t.Fatalf("open(c) = %q, %v (dir %q)", rel, ok, s.dir)
	}
	// What is opened from there is the package's folder.
	var st, want syscall.Stat_t
	sfd, ok := openPath(s.fd, &buf, rel)
	if !ok {
		t.Fatal("package folder not opened from the store root")
	}
	defer syscall.Close(sfd)
	if syscall.Fstat(sfd, &st) != nil || syscall.Stat(c, &want) != nil || st.Ino != want.Ino {
		t.Fatal("opened another folder than the package's")
	}
	if fd, rel, ok := s.open(&buf, "/x/y"); !ok || fd != atFDCWD || rel != "/x/y" {
		t.Fatalf("short path: %d, %q, %v", fd, rel, ok)
	}
	if _, _, ok := s.open(&buf, filepath.Join(base, "missing", "a", "b", "c")); ok {
		t.Fatal("a store root that does not exist was opened")
	}
}
