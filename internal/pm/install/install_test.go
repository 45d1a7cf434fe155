package install_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"gnode/internal/cli"
	"gnode/internal/pm/install"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/tree"
	"gnode/internal/testutil/fakeregistry"
)

// project is one hermetic test project: a fake registry, a project folder
// whose .npmrc points at it, and private HOME and cache folders.
type project struct {
	t    *testing.T
	reg  *fakeregistry.Registry
	dir  string
	home string
}

func newProject(t *testing.T, pkgJSON string) *project {
	t.Helper()
	p := &project{t: t, reg: fakeregistry.New(t), dir: t.TempDir(), home: t.TempDir()}
	p.reg.WriteNpmrc(p.dir)
	if pkgJSON != "" {
		p.write("package.json", pkgJSON)
	}
	return p
}

func (p *project) write(rel, content string) {
	p.t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, rel), []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) read(rel string) string {
	b, _ := os.ReadFile(filepath.Join(p.dir, rel))
	return string(b)
}

func (p *project) env() []string {
	return []string{"HOME=" + p.home, "GNODE_CACHE_DIR=" + filepath.Join(p.home, "cache"), "PATH=" + os.Getenv("PATH"), "npm_config_update_notifier=false"}
}

func (p *project) opts(mode install.Mode) install.Options {
	return install.Options{Mode: mode, Dir: p.dir, Env: p.env(), NodeVersion: "v22.12.0"}
}

func (p *project) install(t *testing.T) *install.Summary {
	t.Helper()
	s, err := install.Run(context.Background(), p.opts(install.ModeInstall))
	if err != nil {
		t.Fatalf("install: %v", err)
	}
	return s
}

// cli runs gnode's CLI in-process.
func (p *project) cli(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = cli.Main(args, cli.IO{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e, Env: p.env(), Dir: p.dir})
	return o.String(), e.String(), code
}

// installed lists "location name@version" for every package folder.
func (p *project) installed() []string {
	var out []string
	root := filepath.Join(p.dir, "node_modules")
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.Name() != "package.json" {
			return nil
		}
		rel, _ := filepath.Rel(p.dir, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		i := strings.LastIndex(rel, "node_modules/")
		if i < 0 {
			return nil
		}
		rest := rel[i+len("node_modules/"):]
		if n := strings.Count(rest, "/"); n > 1 || (n == 1 && rest[0] != '@') {
			return nil
		}
		var pj struct{ Name, Version string }
		b, _ := os.ReadFile(path)
		json.Unmarshal(b, &pj)
		if pj.Version == "" {
			return nil
		}
		out = append(out, filepath.ToSlash(rel)+" "+pj.Name+"@"+pj.Version)
		return nil
	})
	sort.Strings(out)
	return out
}

func (p *project) lock() *lockfile.Lockfile {
	p.t.Helper()
	lf, err := lockfile.Read(filepath.Join(p.dir, "package-lock.json"))
	if err != nil {
		p.t.Fatal(err)
	}
	return lf
}

func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// npmLs runs the real `npm ls --all` on the project and fails on problems.
func npmLs(t *testing.T, p *project) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Log("npm not on PATH; skipping the npm ls differential check")
		return
	}
	cmd := exec.Command("npm", "ls", "--all", "--registry", p.reg.URL())
	cmd.Dir = p.dir
	cmd.Env = p.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm ls --all reports problems on gnode's tree: %v\n%s", err, out)
	}
}

func TestHoistDedupeAndNest(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0","d":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, License: "MIT"})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.1.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "d", Version: "1.0.0", Deps: map[string]string{"c": "^1.1.0"}})
	s := p.install(t)
	if s.Added != 5 {
		t.Fatalf("added %d, want 5", s.Added)
	}
	want(t, p.installed(),
		"node_modules/a a@1.0.0",
		"node_modules/b b@1.0.0",
		"node_modules/b/node_modules/c c@2.0.0",
		"node_modules/c c@1.1.0",
		"node_modules/d d@1.0.0")
	lf := p.lock()
	if lf.Packages["node_modules/a"].License != "MIT" || lf.Packages["node_modules/c"].Integrity == "" || lf.Packages["node_modules/b/node_modules/c"].Resolved == "" {
		t.Fatalf("lockfile entries incomplete: %+v", lf.Packages["node_modules/a"])
	}
	if !strings.HasPrefix(p.read("package-lock.json"), "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {") {
		t.Fatalf("lockfile header:\n%s", p.read("package-lock.json")[:200])
	}
	npmLs(t, p)

	// A second install is a no-op that does not touch the registry.
	p.reg.ResetLog()
	lockBefore := p.read("package-lock.json")
	s = p.install(t)
	if !s.UpToDate || len(p.reg.Requests()) != 0 || p.read("package-lock.json") != lockBefore {
		t.Fatalf("second install not a no-op: %+v, %d requests", s, len(p.reg.Requests()))
	}
	// A package folder removed by hand is noticed and put back.
	os.RemoveAll(filepath.Join(p.dir, "node_modules", "d"))
	if s = p.install(t); s.UpToDate || s.Added != 1 {
		t.Fatalf("missing folder not repaired: %+v", s)
	}
	// Warm: without node_modules, from the lockfile and the store, no tarball downloads.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	p.reg.ResetLog()
	s = p.install(t)
	if s.Added != 5 || p.reg.Count("tarball", "") != 0 || p.reg.Count("packument", "") != 0 {
		t.Fatalf("warm install: %+v, requests %v", s, p.reg.Requests())
	}
	npmLs(t, p)
}

func TestPeerDependencies(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"plugin":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "plugin", Version: "1.0.0", PeerDeps: map[string]string{"host": "^2.0.0", "opt": "^1"}, Extra: map[string]any{"peerDependenciesMeta": map[string]any{"opt": map[string]any{"optional": true}}}})
	p.reg.Add(fakeregistry.Pkg{Name: "host", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "host", Version: "2.3.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "opt", Version: "1.0.0"})
	p.install(t)
	want(t, p.installed(), "node_modules/host host@2.3.0", "node_modules/plugin plugin@1.0.0")
	if !p.lock().Packages["node_modules/host"].Peer {
		t.Fatal("auto-installed peer not flagged peer in the lockfile")
	}
	npmLs(t, p)

	// A conflicting peer is an ERESOLVE naming both sides.
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"plugin":"1.0.0","host":"1.0.0"}}`)
	_, stderr, code := p.cli("install")
	if code != 1 || !strings.Contains(stderr, "ERESOLVE") || !strings.Contains(stderr, "host@1.0.0") || !strings.Contains(stderr, "plugin@1.0.0") || !strings.Contains(stderr, "^2.0.0") {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}
}

func TestOptionalPlatformFiltering(t *testing.T) {
	host := tree.HostPlatform()
	other := "win32"
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"esb":"^1.0.0"},"optionalDependencies":{"fsev":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "esb", Version: "1.0.0", OptionalDeps: map[string]string{"@esb/here": "1.0.0", "@esb/there": "1.0.0"}, Bin: map[string]string{"esb": "bin/esb"}})
	p.reg.Add(fakeregistry.Pkg{Name: "@esb/here", Version: "1.0.0", OS: []string{host.OS}, CPU: []string{host.CPU}})
	p.reg.Add(fakeregistry.Pkg{Name: "@esb/there", Version: "1.0.0", OS: []string{other}, CPU: []string{"arm64"}})
	p.reg.Add(fakeregistry.Pkg{Name: "fsev", Version: "1.0.0", OS: []string{"darwin"}})
	p.install(t)
	want(t, p.installed(), "node_modules/@esb/here @esb/here@1.0.0", "node_modules/esb esb@1.0.0")
	lf := p.lock()
	there := lf.Packages["node_modules/@esb/there"]
	if there == nil || !there.Optional || len(there.Os) != 1 || there.Os[0] != other || there.CPU[0] != "arm64" {
		t.Fatalf("other-platform package must stay in the lockfile as optional with os/cpu: %+v", there)
	}
	if f := lf.Packages["node_modules/fsev"]; f == nil || !f.Optional {
		t.Fatalf("fsev entry: %+v", f)
	}
	hidden, err := lockfile.Read(filepath.Join(p.dir, "node_modules/.package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if hidden.Packages["node_modules/@esb/there"] != nil || hidden.Packages["node_modules/fsev"] != nil {
		t.Fatal("hidden lockfile lists a package that is not installed")
	}
	fi, err := os.Lstat(filepath.Join(p.dir, "node_modules/.bin/esb"))
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("bin link missing: %v", err)
	}
	if l, _ := os.Readlink(filepath.Join(p.dir, "node_modules/.bin/esb")); l != "../esb/bin/esb" {
		t.Fatalf("bin link target %q", l)
	}
	st, err := os.Stat(filepath.Join(p.dir, "node_modules/.bin/esb"))
	if err != nil || st.Mode()&0o111 == 0 {
		t.Fatal("bin target not executable")
	}
	npmLs(t, p)
}

func TestAliasesOverridesAndTags(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"old":"npm:lib@^1.0.0","lib":"^2.0.0","user":"1.0.0","tagged":"beta"},"overrides":{"user":{"lib":"2.0.0"}}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "lib", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "lib", Version: "2.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "lib", Version: "2.1.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "user", Version: "1.0.0", Deps: map[string]string{"lib": "^1.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "tagged", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "tagged", Version: "2.0.0-beta.1"})
	p.reg.SetTag("tagged", "beta", "2.0.0-beta.1")
	p.install(t)
	want(t, p.installed(),
		"node_modules/lib lib@2.1.0",
		"node_modules/old lib@1.0.0",
		"node_modules/tagged tagged@2.0.0-beta.1",
		"node_modules/user user@1.0.0",
		"node_modules/user/node_modules/lib lib@2.0.0")
	if n := p.lock().Packages["node_modules/old"].Name; n != "lib" {
		t.Fatalf("alias entry name %q", n)
	}
	// A second install from the lockfile agrees with itself (overrides included).
	p.reg.ResetLog()
	if s := p.install(t); !s.UpToDate {
		t.Fatalf("not up to date: %+v", s)
	}
}

func TestBundledDependencies(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"bundler":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "bundler", Version: "1.0.0", Deps: map[string]string{"inner": "^1.0.0"}, Bundled: []string{"inner"},
		Files: map[string]string{"node_modules/inner/package.json": `{"name":"inner","version":"1.5.0"}`, "node_modules/inner/index.js": "module.exports = 'bundled'"}})
	p.install(t)
	if p.reg.Count("packument", "inner") != 0 {
		t.Fatal("bundled dependency was resolved from the registry")
	}
	want(t, p.installed(), "node_modules/bundler bundler@1.0.0", "node_modules/bundler/node_modules/inner inner@1.5.0")
	e := p.lock().Packages["node_modules/bundler/node_modules/inner"]
	if e == nil || !e.InBundle || e.Version != "1.5.0" {
		t.Fatalf("bundled entry: %+v", e)
	}
	npmLs(t, p)
}

func TestScriptsSkippedUnlessTrusted(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"native":"1.0.0","gyp":"1.0.0"},"scripts":{"postinstall":"echo root-ran > root.txt"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "native", Version: "1.0.0", Scripts: map[string]string{"postinstall": "echo ran > ran.txt"}})
	p.reg.Add(fakeregistry.Pkg{Name: "gyp", Version: "1.0.0", Files: map[string]string{"binding.gyp": "{}"}})
	stdout, stderr, code := p.cli("install")
	if code != 0 {
		t.Fatalf("install failed: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "node_modules/native/ran.txt")); err == nil {
		t.Fatal("untrusted postinstall ran")
	}
	if p.read("root.txt") != "root-ran\n" {
		t.Fatalf("root postinstall did not run; stdout %q", stdout)
	}
	if !strings.Contains(stderr, "native@1.0.0") || !strings.Contains(stderr, "gyp@1.0.0") || !strings.Contains(stderr, "trustedDependencies") {
		t.Fatalf("skipped-scripts notice missing:\n%s", stderr)
	}
	if !p.lock().Packages["node_modules/native"].HasInstallScript {
		t.Fatal("hasInstallScript missing from the lockfile")
	}
	// Trusting the package runs its script, in a copy (the store stays clean).
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"native":"1.0.0"},"gnode":{"trustedDependencies":["native"]}}`)
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, stderr, code := p.cli("install"); code != 0 {
		t.Fatal(stderr)
	}
	if p.read("node_modules/native/ran.txt") != "ran\n" {
		t.Fatal("trusted postinstall did not run")
	}
	// --ignore-scripts disables everything.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, stderr, code := p.cli("install", "--ignore-scripts"); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "node_modules/native/ran.txt")); err == nil {
		t.Fatal("--ignore-scripts ran a script")
	}
}

func TestAddRemoveAndOmitDev(t *testing.T) {
	pkg := "{\n    \"name\": \"app\",\n    \"version\": \"1.0.0\",\n    \"description\": \"keep me\"\n}\n"
	p := newProject(t, pkg)
	p.reg.Add(fakeregistry.Pkg{Name: "x", Version: "1.2.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "x", Version: "1.3.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "y", Version: "0.4.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "z", Version: "3.0.0"})
	if _, stderr, code := p.cli("install", "x", "y@0.4.0"); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := p.cli("i", "-D", "-E", "z"); code != 0 {
		t.Fatal(stderr)
	}
	wantPkg := "{\n    \"name\": \"app\",\n    \"version\": \"1.0.0\",\n    \"description\": \"keep me\",\n    \"dependencies\": {\n        \"x\": \"^1.3.0\",\n        \"y\": \"^0.4.0\"\n    },\n    \"devDependencies\": {\n        \"z\": \"3.0.0\"\n    }\n}\n"
	if got := p.read("package.json"); got != wantPkg {
		t.Fatalf("package.json:\n%s", got)
	}
	if !p.lock().Packages["node_modules/z"].Dev {
		t.Fatal("z not dev in lockfile")
	}
	if !strings.Contains(p.read("package-lock.json"), "\n    \"name\": \"app\"") {
		t.Fatal("lockfile does not use package.json's 4-space indent")
	}
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, stderr, code := p.cli("install", "--omit=dev"); code != 0 {
		t.Fatal(stderr)
	}
	want(t, p.installed(), "node_modules/x x@1.3.0", "node_modules/y y@0.4.0")
	stdout, stderr, code := p.cli("uninstall", "y")
	if code != 0 || !strings.Contains(stdout, "removed 1 package") {
		t.Fatalf("uninstall: %d %s %s", code, stdout, stderr)
	}
	if strings.Contains(p.read("package.json"), "\"y\"") || p.lock().Packages["node_modules/y"] != nil {
		t.Fatal("y still recorded")
	}
	want(t, p.installed(), "node_modules/x x@1.3.0", "node_modules/z z@3.0.0")
}

func TestCIFrozen(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	_, stderr, code := p.cli("ci")
	if code != 1 || !strings.Contains(stderr, "package-lock.json") {
		t.Fatalf("ci without lockfile: %d %s", code, stderr)
	}
	p.install(t)
	os.WriteFile(filepath.Join(p.dir, "node_modules", "stray.txt"), nil, 0o644)
	if _, stderr, code := p.cli("ci"); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "node_modules", "stray.txt")); err == nil {
		t.Fatal("ci did not start from an empty node_modules")
	}
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0"}}`)
	lockBefore := p.read("package-lock.json")
	_, stderr, code = p.cli("ci")
	if code != 1 || !strings.Contains(stderr, "in sync") || !strings.Contains(stderr, "b@^1.0.0") || !strings.Contains(stderr, "hint: run `gnode install`") {
		t.Fatalf("ci mismatch: %d\n%s", code, stderr)
	}
	if p.read("package-lock.json") != lockBefore {
		t.Fatal("failed ci changed the lockfile")
	}
}

func TestErrors(t *testing.T) {
	t.Run("unknown package names the chain", func(t *testing.T) {
		p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"1.0.0"}}`)
		p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^2"}})
		p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "2.0.0", Deps: map[string]string{"missing": "^1"}})
		_, stderr, code := p.cli("install")
		if code != 1 || !strings.Contains(stderr, "404") || !strings.Contains(stderr, "app@1.0.0 > a@1.0.0 > b@2.0.0") || !strings.Contains(stderr, "missing@^1") {
			t.Fatalf("%d\n%s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(p.dir, "package-lock.json")); err == nil {
			t.Fatal("failed install wrote a lockfile")
		}
	})
	t.Run("no matching version lists nearest", func(t *testing.T) {
		p := newProject(t, `{"dependencies":{"a":"^3.0.0"}}`)
		p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
		p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "2.4.1"})
		_, stderr, code := p.cli("install")
		if code != 1 || !strings.Contains(stderr, "ETARGET") || !strings.Contains(stderr, "a@^3.0.0") || !strings.Contains(stderr, "2.4.1, 1.0.0") {
			t.Fatalf("%d\n%s", code, stderr)
		}
	})
	t.Run("integrity mismatch names package and digests", func(t *testing.T) {
		p := newProject(t, `{"dependencies":{"a":"1.0.0"}}`)
		pub := p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
		p.reg.CorruptTarball("a", "1.0.0", true)
		_, stderr, code := p.cli("install")
		if code != 1 || !strings.Contains(stderr, "integrity") || !strings.Contains(stderr, "a@1.0.0") || !strings.Contains(stderr, pub.Integrity[:20]) {
			t.Fatalf("%d\n%s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(p.dir, "node_modules")); err == nil {
			t.Fatal("failed install left node_modules")
		}
	})
	t.Run("network failure names the URL", func(t *testing.T) {
		p := newProject(t, `{"dependencies":{"a":"1.0.0"}}`)
		p.write(".npmrc", "registry=http://127.0.0.1:1/\nfetch-retries=1\nfetch-retry-mintimeout=10\n")
		_, stderr, code := p.cli("install")
		if code != 1 || !strings.Contains(stderr, "127.0.0.1:1/a") {
			t.Fatalf("%d\n%s", code, stderr)
		}
	})
	t.Run("invalid package.json has file line column", func(t *testing.T) {
		p := newProject(t, "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"a\": \"1\"\n    \"b\": \"2\"\n  }\n}\n")
		_, stderr, code := p.cli("install")
		if code != 1 || !strings.Contains(stderr, "package.json:5:5") {
			t.Fatalf("%d\n%s", code, stderr)
		}
	})
}

// TestInterruptedInstallKeepsTree cancels an install while tarballs are
// still downloading: node_modules and the lockfile stay as they were.
func TestInterruptedInstallKeepsTree(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	p.install(t)
	before, lockBefore := p.installed(), p.read("package-lock.json")
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"a":"1.0.0","b":"1.0.0"}}`)
	p.reg.SetDelay(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := install.Run(ctx, p.opts(install.ModeInstall))
	if err == nil {
		t.Fatal("install was not interrupted")
	}
	p.reg.SetDelay(0)
	want(t, p.installed(), before...)
	if p.read("package-lock.json") != lockBefore {
		t.Fatal("interrupted install changed the lockfile")
	}
	if m, _ := filepath.Glob(filepath.Join(p.dir, ".gnode-*")); len(m) != 0 {
		t.Fatalf("leftovers: %v", m)
	}
}

// TestNpmCIAcceptsLockfile runs the real `npm ci` on gnode's lockfile and
// compares the installed name@version set.
func TestNpmCIAcceptsLockfile(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH; skipping the npm ci differential test")
	}
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0","al":"npm:c@^1.0.0"},"devDependencies":{"d":"1"},"optionalDependencies":{"o":"1"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"a": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, PeerDeps: map[string]string{"e": "^1"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "d", Version: "1.0.0", Deps: map[string]string{"c": "1.0.0"}})
	p.reg.Add(fakeregistry.Pkg{Name: "e", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "o", Version: "1.0.0", OS: []string{"aix"}})
	p.install(t)
	ours := p.installed()
	npmLs(t, p)
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	lock := p.read("package-lock.json")
	cmd := exec.Command("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--registry", p.reg.URL(), "--cache", filepath.Join(p.home, "npm-cache"))
	cmd.Dir = p.dir
	cmd.Env = p.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci rejected gnode's lockfile: %v\n%s\n%s", err, out, lock)
	}
	want(t, p.installed(), ours...)
	if p.read("package-lock.json") != lock {
		t.Errorf("npm ci rewrote the lockfile differently:\n%s", p.read("package-lock.json"))
	}
	// And the other way: gnode installs exactly what npm's lockfile says.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.Remove(filepath.Join(p.dir, "package-lock.json"))
	cmd = exec.Command("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--registry", p.reg.URL(), "--cache", filepath.Join(p.home, "npm-cache"))
	cmd.Dir = p.dir
	cmd.Env = p.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	npmTree := p.installed()
	npmLock := p.read("package-lock.json")
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, stderr, code := p.cli("ci"); code != 0 {
		t.Fatalf("gnode ci on npm's lockfile: %s", stderr)
	}
	want(t, p.installed(), npmTree...)
	if lock != npmLock {
		t.Errorf("lockfiles differ between gnode and npm:\n--- gnode\n%s\n--- npm\n%s", lock, npmLock)
	}
}

func TestJSONSummary(t *testing.T) {
	p := newProject(t, `{"dependencies":{"a":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deprecated: "use b"})
	stdout, stderr, code := p.cli("install", "--json")
	var s install.Summary
	if code != 0 || json.Unmarshal([]byte(stdout), &s) != nil || s.Added != 1 {
		t.Fatalf("%d %q %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "deprecated a@1.0.0: use b") {
		t.Fatalf("deprecation warning missing: %s", stderr)
	}
}

var _ = errors.New
var _ = runtime.GOOS

func TestOfflineAndIncremental(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Files: map[string]string{"index.js": "1"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	p.install(t)
	aFile := filepath.Join(p.dir, "node_modules/a/index.js")
	before, err := os.Stat(aFile)
	if err != nil {
		t.Fatal(err)
	}
	// Adding a package touches only the new folder.
	if _, stderr, code := p.cli("install", "b"); code != 0 {
		t.Fatal(stderr)
	}
	after, err := os.Stat(aFile)
	if err != nil || !os.SameFile(before, after) {
		t.Fatal("re-install replaced an unchanged package")
	}
	want(t, p.installed(), "node_modules/a a@1.0.0", "node_modules/b b@1.0.0")
	// --offline works from the cache alone, even with the registry failing.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.Remove(filepath.Join(p.dir, "package-lock.json"))
	p.reg.FailNext(1000, 500)
	p.reg.ResetLog()
	if _, stderr, code := p.cli("install", "--offline"); code != 0 {
		t.Fatalf("offline install: %s", stderr)
	}
	if len(p.reg.Requests()) != 0 {
		t.Fatalf("--offline sent %d requests", len(p.reg.Requests()))
	}
	want(t, p.installed(), "node_modules/a a@1.0.0", "node_modules/b b@1.0.0")
}

func TestUnsupportedSpecsAndEngines(t *testing.T) {
	p := newProject(t, `{"dependencies":{"g":"github:user/repo"}}`)
	_, stderr, code := p.cli("install")
	if code != 1 || !strings.Contains(stderr, "git dependencies are not supported yet") {
		t.Fatalf("%d %s", code, stderr)
	}
	p.write("package.json", `{"dependencies":{"e":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "e", Version: "1.0.0", Engines: map[string]string{"node": ">=99"}})
	_, stderr, code = p.cli("install")
	if code != 0 || !strings.Contains(stderr, "EBADENGINE") || !strings.Contains(stderr, "e@1.0.0") {
		t.Fatalf("%d %s", code, stderr)
	}
}

func TestInstallWithoutPackageJSON(t *testing.T) {
	p := newProject(t, "")
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	_, stderr, code := p.cli("install")
	if code != 1 || !strings.Contains(stderr, "no package.json") || !strings.Contains(stderr, "hint:") {
		t.Fatalf("%d %s", code, stderr)
	}
	if _, stderr, code := p.cli("install", "a"); code != 0 {
		t.Fatal(stderr)
	}
	if got := p.read("package.json"); got != "{\n  \"dependencies\": {\n    \"a\": \"^1.0.0\"\n  }\n}\n" {
		t.Fatalf("package.json:\n%s", got)
	}
}

func TestRegistryFlag(t *testing.T) {
	p := newProject(t, `{"dependencies":{"a":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	p.write(".npmrc", "registry=http://127.0.0.1:1/\n")
	if _, stderr, code := p.cli("install", "--registry", p.reg.URL()); code != 0 {
		t.Fatalf("--registry not used: %s", stderr)
	}
	want(t, p.installed(), "node_modules/a a@1.0.0")
}
