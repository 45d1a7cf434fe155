package install_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gnode/internal/testutil/fakeregistry"
	"gnode/internal/testutil/gnoderegistry"
)

// shape lists node_modules as "location dir" or "location -> link text",
// so a folder where npm makes a symlink (or the reverse) shows up.
func shape(t *testing.T, dir string) []string {
	var out []string
	// A linked folder inside the project ("sub") may get its own node_modules.
	for _, root := range []string{filepath.Join(dir, "node_modules"), filepath.Join(dir, "sub", "node_modules")} {
		out = append(out, shapeOf(dir, root)...)
	}
	sort.Strings(out)
	return out
}

func shapeOf(dir, root string) []string {
	var out []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == root {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		base := info.Name()
		if strings.HasPrefix(base, ".") {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		parent := filepath.Base(filepath.Dir(p))
		if parent != "node_modules" && !strings.HasPrefix(parent, "@") {
			return nil // files inside a package
		}
		if info.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			out = append(out, rel+" -> "+filepath.ToSlash(target))
			return nil
		}
		if info.IsDir() && !strings.HasPrefix(base, "@") {
			out = append(out, rel+" dir")
		}
		return nil
	})
	return out
}

// npmExit runs a real npm command in the project and returns its exit code.
func npmExit(t *testing.T, p *project, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command("npm", append(args, "--cache", filepath.Join(p.home, "npm-cache"), "--no-audit", "--no-fund")...)
	cmd.Dir, cmd.Env = p.dir, p.env()
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatalf("npm %v: %v", args, err)
	}
	return 0, string(out)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLocalSpecsMatchNpm installs file: folders, file: tarballs and remote
// tarball URLs (in package.json and as command-line arguments) with gnode
// and with the real npm, and compares node_modules' shape (symlink or
// folder), the lockfile text and `npm ls --all`'s verdict.
func TestLocalSpecsMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH; skipping the local-specifier differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the local-specifier differential test")
	}
	tgz := gnoderegistry.Tarball(map[string]string{
		"package.json": `{"name":"tarpkg","version":"1.2.3","license":"MIT","dependencies":{"alpha":"^1.0.0"}}`,
		"index.js":     "module.exports = 'tarpkg'\n",
	})
	remote := gnoderegistry.Tarball(map[string]string{
		"package.json": `{"name":"remotepkg","version":"0.3.0","bin":{"remotepkg":"cli.js"}}`,
		"cli.js":       "#!/usr/bin/env node\n",
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/dl/remotepkg-0.3.0.tgz" {
			http.NotFound(w, r)
			return
		}
		w.Write(remote)
	}))
	defer srv.Close()
	remoteURL := srv.URL + "/dl/remotepkg-0.3.0.tgz"

	cases := []struct {
		name    string
		pkgJSON string            // the project's package.json ("" for a CLI install)
		args    []string          // `install` arguments
		files   map[string]string // project files (folders inside the project)
		outside map[string]string // files in ../ext (outside the project)
	}{
		{name: "file tarball", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"tarpkg":"file:../ext/tarpkg-1.2.3.tgz"}}`},
		{name: "remote tarball", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"remotepkg":"` + remoteURL + `"}}`},
		{name: "folder inside the project", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"sub":"file:./sub","beta":"^1.0.0"}}`,
			files: map[string]string{"sub/package.json": `{"name":"sub","version":"0.2.0","dependencies":{"alpha":"^1.0.0","tarpkg":"file:../../ext/tarpkg-1.2.3.tgz"}}`, "sub/index.js": ""}},
		{name: "folder outside without deps", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"lib":"file:../ext/lib"}}`,
			outside: map[string]string{"lib/package.json": `{"name":"lib","version":"2.0.0","license":"ISC"}`}},
		{name: "folder outside with deps", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"libd":"file:../ext/libd"}}`,
			outside: map[string]string{"libd/package.json": `{"name":"libd","version":"2.1.0","dependencies":{"alpha":"^1.0.0"}}`}},
		{name: "folder inside with a conflicting dependency", pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"alpha":"1.0.0","sub":"file:./sub"}}`,
			files: map[string]string{"sub/package.json": `{"name":"sub","version":"0.2.0","dependencies":{"alpha":"^1.4.0"}}`}},
		{name: "dev folders", pkgJSON: `{"name":"app","version":"1.0.0","devDependencies":{"sub":"file:./sub","lib":"file:../ext/lib"}}`,
			files:   map[string]string{"sub/package.json": `{"name":"sub","version":"0.2.0","dependencies":{"alpha":"^1.0.0"}}`},
			outside: map[string]string{"lib/package.json": `{"name":"lib","version":"2.0.0"}`}},
		{name: "command-line folder, tarball and URL", args: []string{"../ext/lib", "../ext/tarpkg-1.2.3.tgz", remoteURL},
			outside: map[string]string{"lib/package.json": `{"name":"lib","version":"2.0.0"}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			p := newProject(t, "")
			p.reg.Add(fakeregistry.Pkg{Name: "alpha", Version: "1.0.0"})
			p.reg.Add(fakeregistry.Pkg{Name: "alpha", Version: "1.4.0"})
			p.reg.Add(fakeregistry.Pkg{Name: "beta", Version: "1.1.0", Deps: map[string]string{"alpha": "1.0.0"}})
			// The project lives in base/app so ../ext is ours to fill.
			app := filepath.Join(base, "app")
			if err := os.Rename(p.dir, app); err != nil {
				if err := os.MkdirAll(app, 0o755); err != nil {
					t.Fatal(err)
				}
				p.reg.WriteNpmrc(app)
			}
			p.dir = app
			ext := filepath.Join(base, "ext")
			if err := os.MkdirAll(ext, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, ext, c.outside)
			if err := os.WriteFile(filepath.Join(ext, "tarpkg-1.2.3.tgz"), tgz, 0o644); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, app, c.files)
			reset := func() {
				os.RemoveAll(filepath.Join(app, "node_modules"))
				os.Remove(filepath.Join(app, "package-lock.json"))
				os.Remove(filepath.Join(app, "package.json"))
				if c.pkgJSON != "" {
					p.write("package.json", c.pkgJSON+"\n")
				}
			}

			reset()
			args := append([]string{"install", "--ignore-scripts"}, c.args...)
			if _, stderr, code := p.cli(args...); code != 0 {
				t.Fatalf("gnode install failed: %s", stderr)
			}
			ours, ourLock, ourPkg := shape(t, app), p.read("package-lock.json"), p.read("package.json")
			ourLs, lsOut := npmExit(t, p, "ls", "--all")
			t.Logf("node_modules: %v; npm ls exit %d", ours, ourLs)

			// A second install from the lockfile changes nothing.
			if _, stderr, code := p.cli("install", "--ignore-scripts"); code != 0 {
				t.Fatalf("second gnode install failed: %s", stderr)
			}
			if again := p.read("package-lock.json"); again != ourLock {
				t.Fatalf("second install rewrote the lockfile:\n%s\nwas\n%s", again, ourLock)
			}
			// gnode ci installs the same tree from gnode's lockfile.
			if _, stderr, code := p.cli("ci", "--ignore-scripts"); code != 0 {
				t.Fatalf("gnode ci failed: %s", stderr)
			}
			want(t, shape(t, app), ours...)

			reset()
			npmArgs := append([]string{"install", "--ignore-scripts"}, c.args...)
			if code, out := npmExit(t, p, npmArgs...); code != 0 {
				t.Fatalf("npm install failed: %s", out)
			}
			want(t, ours, shape(t, app)...)
			if npmLock := p.read("package-lock.json"); npmLock != ourLock {
				t.Fatalf("lockfiles differ:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
			}
			if npmPkg := p.read("package.json"); npmPkg != ourPkg {
				t.Fatalf("package.json differs:\n--- gnode\n%s\n--- npm\n%s", ourPkg, npmPkg)
			}
			if theirLs, _ := npmExit(t, p, "ls", "--all"); theirLs != ourLs {
				t.Fatalf("npm ls --all exits %d on gnode's tree but %d on npm's:\n%s", ourLs, theirLs, lsOut)
			}
			if ourLs != 0 && c.name != "folder outside with deps" {
				t.Fatalf("npm ls --all reports problems on gnode's tree:\n%s", lsOut)
			}
		})
	}
}

// TestRemoteTarballAuthAndIntegrity checks that a URL dependency is fetched
// with the .npmrc credentials of its host, and that once the lockfile
// records its integrity, different bytes at the same URL are refused.
func TestRemoteTarballAuthAndIntegrity(t *testing.T) {
	body := gnoderegistry.Tarball(map[string]string{"package.json": `{"name":"remotepkg","version":"0.3.0"}`})
	var sawAuth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = append(sawAuth, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"remotepkg":"`+srv.URL+`/r.tgz"}}`)
	host := strings.TrimPrefix(srv.URL, "http:")
	npmrc := p.read(".npmrc") + host + "/:_authToken=s3cret\n"
	p.write(".npmrc", npmrc)
	if _, stderr, code := p.cli("install"); code != 0 {
		t.Fatalf("install with credentials failed: %s (auth headers seen: %q)", stderr, sawAuth)
	}
	want(t, p.installed(), "node_modules/remotepkg remotepkg@0.3.0")
	lf := p.lock()
	e := lf.Packages["node_modules/remotepkg"]
	if e == nil || e.Resolved != srv.URL+"/r.tgz" || !strings.HasPrefix(e.Integrity, "sha512-") {
		t.Fatalf("lockfile entry = %+v, want the URL as resolved and a sha512 integrity", e)
	}

	// The same URL now serves other bytes; with a cold cache the install
	// must refuse them rather than trust the URL.
	body = gnoderegistry.Tarball(map[string]string{"package.json": `{"name":"remotepkg","version":"0.3.0","description":"changed"}`})
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.RemoveAll(filepath.Join(p.home, "cache"))
	_, stderr, code := p.cli("install")
	if code == 0 || !strings.Contains(stderr, "integrity") {
		t.Fatalf("changed tarball at a locked URL: exit %d, stderr %q; want an integrity failure", code, stderr)
	}
}
