package cli

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// pmeEnv is an isolated home whose ~/.npmrc points at registry.
type pmeEnv struct {
	t    *testing.T
	home string
	env  []string
}

func newPmeEnv(t *testing.T, registry string) *pmeEnv {
	home := t.TempDir()
	if registry != "" {
		os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+registry+"\n"), 0o600)
	}
	return &pmeEnv{t: t, home: home, env: []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"),
	}}
}

func (e *pmeEnv) run(dir, stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Env: e.env, Dir: dir})
	return code, out.String(), errb.String()
}

func (e *pmeEnv) must(dir, stdin string, args ...string) string {
	e.t.Helper()
	code, out, errs := e.run(dir, stdin, args...)
	if code != 0 {
		e.t.Fatalf("gnode %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(fp), 0o755)
		if err := os.WriteFile(fp, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPackWritesTarballNpmInstalls(t *testing.T) {
	e := newPmeEnv(t, "")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"package.json": `{"name":"@pme/packed","version":"1.2.3","main":"index.js","bin":{"packed":"./cli.js"}}`,
		"index.js":     "module.exports = 'packed ok'\n", "cli.js": "#!/usr/bin/env node\nconsole.log('cli')\n",
		"README.md": "# packed\n", ".npmrc": "secret=1\n", "test/x.js": "", ".npmignore": "test/\n",
	})
	dest := t.TempDir()
	out := e.must(dir, "", "pack", "--pack-destination", dest)
	if strings.TrimSpace(out) != "pme-packed-1.2.3.tgz" {
		t.Fatalf("pack printed %q", out)
	}
	tgz, err := os.ReadFile(filepath.Join(dest, "pme-packed-1.2.3.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	jsonOut := e.must(dir, "", "pack", "--dry-run", "--json")
	var res []struct {
		Integrity string
		Files     []struct {
			Path string
			Mode int
		}
	}
	if err := json.Unmarshal([]byte(jsonOut), &res); err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(tgz)
	if want := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); res[0].Integrity != want {
		t.Errorf("printed integrity %s, file's %s", res[0].Integrity, want)
	}
	var paths []string
	for _, f := range res[0].Files {
		paths = append(paths, f.Path)
		if f.Path == "cli.js" && f.Mode != 0o755 {
			t.Errorf("bin mode %o, want 755", f.Mode)
		}
	}
	if got := strings.Join(paths, ","); got != "README.md,cli.js,index.js,package.json" {
		t.Errorf("files %s", got)
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: skipping npm install of the tarball")
	}
	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "package.json"), []byte(`{"name":"app","version":"1.0.0"}`), 0o644)
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--offline", filepath.Join(dest, "pme-packed-1.2.3.tgz"))
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(e.home, "npm-cache"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install of gnode's tarball: %v\n%s", err, b)
	}
	check := exec.Command("node", "-p", "require('@pme/packed')")
	check.Dir = app
	if b, err := check.CombinedOutput(); err != nil || strings.TrimSpace(string(b)) != "packed ok" {
		t.Errorf("require after npm install: %v %s", err, b)
	}
	if st, err := os.Stat(filepath.Join(app, "node_modules/.bin/packed")); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf("bin not linked by npm: %v", err)
	}
}

// TestRegistryCommandsAgainstGnodeRegistry runs login, whoami, publish,
// dist-tag, deprecate, unpublish and logout against gnode's own registry,
// and installs what was published with npm and with gnode.
func TestRegistryCommandsAgainstGnodeRegistry(t *testing.T) {
	r := gnoderegistry.Start(t)
	if err := r.Reg.Service.AddUser(context.Background(), "alice", "alice-password", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	e := newPmeEnv(t, r.URL)

	// whoami before login fails with a hint.
	if code, _, errs := e.run(e.home, "", "whoami"); code == 0 || !strings.Contains(errs, "logged in") {
		t.Errorf("whoami without login: %d %s", code, errs)
	}
	// login reads the password from stdin when it is not a terminal.
	e.must(e.home, "alice-password\n", "login", "--username", "alice")
	rc, _ := os.ReadFile(filepath.Join(e.home, ".npmrc"))
	host := strings.TrimPrefix(r.URL, "http:")
	if !strings.Contains(string(rc), host+":_authToken=") || !strings.Contains(string(rc), "registry="+r.URL) {
		t.Fatalf("~/.npmrc after login:\n%s", rc)
	}
	if code, _, _ := e.run(e.home, "wrong-password\n", "login", "--username", "alice"); code == 0 {
		t.Errorf("login with a wrong password succeeded")
	}
	if out := e.must(e.home, "", "whoami"); strings.TrimSpace(out) != "alice" {
		t.Errorf("whoami = %q", out)
	}

	pkg := t.TempDir()
	writeFiles(t, pkg, map[string]string{
		"package.json": `{"name":"@pme/lib","version":"1.0.0","description":"d","main":"index.js","publishConfig":{"access":"public"}}`,
		"index.js":     "module.exports = 'v1'\n", "README.md": "# lib\n",
	})
	if out := e.must(pkg, "", "publish"); strings.TrimSpace(out) != "+ @pme/lib@1.0.0" {
		t.Errorf("publish printed %q", out)
	}
	code, _, errs := e.run(pkg, "", "publish")
	if code == 0 || !strings.Contains(errs, "cannot publish over the previously published versions: 1.0.0") {
		t.Errorf("republish: %d %s", code, errs)
	}
	st, body := r.Do("GET", "@pme%2flib", "", nil)
	var doc struct {
		DistTags map[string]string `json:"dist-tags"`
		Versions map[string]struct {
			Readme, ReadmeFilename, Deprecated string
			Dist                               struct{ Integrity string }
		}
	}
	json.Unmarshal(body, &doc)
	if st != 200 || doc.DistTags["latest"] != "1.0.0" || doc.Versions["1.0.0"].Dist.Integrity == "" {
		t.Fatalf("packument after publish: %d %s", st, body)
	}
	if doc.Versions["1.0.0"].ReadmeFilename != "README.md" && !strings.Contains(string(body), "# lib") {
		t.Errorf("readme not sent: %s", body)
	}

	// A lower version without --tag is refused; 1.1.0 goes to latest,
	// 2.0.0-beta.1 to the beta tag.
	writeFiles(t, pkg, map[string]string{"package.json": `{"name":"@pme/lib","version":"1.1.0","main":"index.js"}`, "index.js": "module.exports = 'v1.1'\n"})
	e.must(pkg, "", "publish")
	writeFiles(t, pkg, map[string]string{"package.json": `{"name":"@pme/lib","version":"0.9.0","main":"index.js"}`})
	if code, _, errs := e.run(pkg, "", "publish"); code == 0 || !strings.Contains(errs, "--tag") {
		t.Errorf("publishing 0.9.0 over latest 1.1.0 without --tag: %d %s", code, errs)
	}
	writeFiles(t, pkg, map[string]string{"package.json": `{"name":"@pme/lib","version":"2.0.0-beta.1","main":"index.js"}`})
	e.must(pkg, "", "publish", "--tag", "beta")

	if out := e.must(pkg, "", "dist-tag", "ls"); out != "beta: 2.0.0-beta.1\nlatest: 1.1.0\n" {
		t.Errorf("dist-tag ls = %q", out)
	}
	if out := e.must(pkg, "", "dist-tag", "add", "@pme/lib@1.0.0", "old"); out != "+old: @pme/lib@1.0.0\n" {
		t.Errorf("dist-tag add = %q", out)
	}
	if out := e.must(pkg, "", "dist-tag", "rm", "@pme/lib", "old"); out != "-old: @pme/lib@1.0.0\n" {
		t.Errorf("dist-tag rm = %q", out)
	}
	if code, _, _ := e.run(pkg, "", "dist-tag", "add", "@pme/lib@1.0.0", "1.x"); code == 0 {
		t.Errorf("a semver range was accepted as a tag")
	}

	e.must(pkg, "", "deprecate", "@pme/lib@<1.1.0", "use 1.1")
	_, body = r.Do("GET", "@pme%2flib", "", nil)
	doc.Versions = nil
	json.Unmarshal(body, &doc)
	if doc.Versions["1.0.0"].Deprecated != "use 1.1" || doc.Versions["1.1.0"].Deprecated != "" {
		t.Errorf("deprecate: %+v", doc.Versions)
	}
	e.must(pkg, "", "deprecate", "@pme/lib@1.0.0", "")
	_, body = r.Do("GET", "@pme%2flib", "", nil)
	doc.Versions = nil
	json.Unmarshal(body, &doc)
	if doc.Versions["1.0.0"].Deprecated != "" {
		t.Errorf("un-deprecate left %q", doc.Versions["1.0.0"].Deprecated)
	}

	// What gnode published installs with gnode and with npm.
	app := t.TempDir()
	writeFiles(t, app, map[string]string{"package.json": `{"name":"app","version":"1.0.0","dependencies":{"@pme/lib":"^1.0.0"}}`})
	e.must(app, "", "install")
	if b, _ := os.ReadFile(filepath.Join(app, "node_modules/@pme/lib/index.js")); string(b) != "module.exports = 'v1.1'\n" {
		t.Errorf("gnode install got %q", b)
	}
	if _, err := exec.LookPath("npm"); err == nil {
		napp := t.TempDir()
		writeFiles(t, napp, map[string]string{"package.json": `{"name":"app","version":"1.0.0","dependencies":{"@pme/lib":"1.0.0"}}`})
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--userconfig", filepath.Join(e.home, ".npmrc"))
		cmd.Dir = napp
		cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(e.home, "npm-cache"), "npm_config_update_notifier=false")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("npm install of a gnode-published package: %v\n%s", err, b)
		} else if b, _ := os.ReadFile(filepath.Join(napp, "node_modules/@pme/lib/index.js")); string(b) != "module.exports = 'v1'\n" {
			t.Errorf("npm install got %q", b)
		}
	}

	// unpublish one version: latest falls back to 1.0.0.
	if out := e.must(pkg, "", "unpublish", "@pme/lib@1.1.0"); out != "- @pme/lib@1.1.0\n" {
		t.Errorf("unpublish printed %q", out)
	}
	_, body = r.Do("GET", "@pme%2flib", "", nil)
	doc.Versions, doc.DistTags = nil, nil
	json.Unmarshal(body, &doc)
	if _, ok := doc.Versions["1.1.0"]; ok || doc.DistTags["latest"] != "1.0.0" {
		t.Errorf("after unpublish 1.1.0: %s", body)
	}
	if code, _, errs := e.run(pkg, "", "unpublish", "@pme/lib"); code == 0 || !strings.Contains(errs, "--force") {
		t.Errorf("unpublish without --force: %d %s", code, errs)
	}
	e.must(pkg, "", "unpublish", "@pme/lib", "--force")
	if st, _ := r.Do("GET", "@pme%2flib", "", nil); st != 404 {
		t.Errorf("package still served after unpublish --force: %d", st)
	}

	// logout revokes the token and removes it from ~/.npmrc.
	tok := ""
	for _, l := range strings.Split(string(rc), "\n") {
		if _, v, ok := strings.Cut(l, ":_authToken="); ok {
			tok = v
		}
	}
	e.must(e.home, "", "logout")
	rc2, _ := os.ReadFile(filepath.Join(e.home, ".npmrc"))
	if strings.Contains(string(rc2), "_authToken") || !strings.Contains(string(rc2), "registry=") {
		t.Errorf("~/.npmrc after logout:\n%s", rc2)
	}
	if st, _ := r.Do("GET", "-/whoami", tok, nil); st == 200 {
		_, b := r.Do("GET", "-/whoami", tok, nil)
		if strings.Contains(string(b), "alice") {
			t.Errorf("token still valid after logout: %s", b)
		}
	}
}
