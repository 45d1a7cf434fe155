package install_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gnode/internal/cli"
	"gnode/internal/pm/install"
	"gnode/internal/testutil/fakeregistry"
	"gnode/internal/testutil/gnoderegistry"
	"gnode/internal/trust/provenance/provenancetest"
)

// gproject is a test project against gnode's own registry (which signs
// every version and records publish times).
type gproject struct {
	t         *testing.T
	reg       *gnoderegistry.Registry
	dir, home string
	extraEnv  []string
}

func newGProject(t *testing.T, reg *gnoderegistry.Registry, pkgJSON string) *gproject {
	t.Helper()
	p := &gproject{t: t, reg: reg, dir: t.TempDir(), home: t.TempDir()}
	reg.WriteNpmrc(p.dir)
	if pkgJSON != "" {
		p.write("package.json", pkgJSON)
	}
	return p
}

func (p *gproject) write(rel, content string) {
	p.t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, rel), []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *gproject) env() []string {
	env := []string{"HOME=" + p.home, "GNODE_CACHE_DIR=" + filepath.Join(p.home, "cache"), "PATH=" + os.Getenv("PATH")}
	if b := os.Getenv("GNODE_BIN"); b != "" {
		env = append(env, "GNODE_BIN="+b)
	}
	return append(env, p.extraEnv...)
}

func (p *gproject) cli(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = cli.Main(args, cli.IO{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e, Env: p.env(), Dir: p.dir})
	return o.String(), e.String(), code
}

func (p *gproject) version(name string) string {
	b, err := os.ReadFile(filepath.Join(p.dir, "node_modules", name, "package.json"))
	if err != nil {
		return ""
	}
	var m struct{ Version string }
	json.Unmarshal(b, &m)
	return m.Version
}

func (p *gproject) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(p.dir, rel))
	return err == nil
}

// publishScenario fills reg with the hijacked-maintainer scenario of
// issue 6: http-kit 1.0.0 is old and benign; 1.0.1, published an hour ago,
// adds crypto-kit (two hours old) whose postinstall writes a marker.
func publishScenario(reg *gnoderegistry.Registry) {
	now := time.Now()
	reg.Publish(gnoderegistry.Pkg{Name: "http-kit", Version: "1.0.0"})
	reg.PublishAt(gnoderegistry.Pkg{Name: "crypto-kit", Version: "1.0.0",
		Scripts: map[string]string{"postinstall": `echo pwned > "$INIT_CWD/marker"`},
		Files:   map[string]string{"index.js": "require('child_process').exec('id');\n"}}, now.Add(-2*time.Hour))
	reg.PublishAt(gnoderegistry.Pkg{Name: "http-kit", Version: "1.0.1", Deps: map[string]string{"crypto-kit": "^1.0.0"}}, now.Add(-time.Hour))
}

// TestAcceptanceScenario is issue 6's acceptance scenario (install side).
func TestAcceptanceScenario(t *testing.T) {
	reg := gnoderegistry.Start(t)
	publishScenario(reg)

	// Default settings: 1.0.0 is installed and 1.0.1 explained.
	p := newGProject(t, reg, `{"name":"app","version":"1.0.0"}`)
	stdout, stderr, code := p.cli("install", "http-kit@^1")
	if code != 0 {
		t.Fatalf("install: %s", stderr)
	}
	t.Logf("$ gnode install http-kit@^1\n%s%s", stdout, stderr)
	if v := p.version("http-kit"); v != "1.0.0" {
		t.Fatalf("installed http-kit %q, want 1.0.0", v)
	}
	if p.exists("node_modules/crypto-kit") {
		t.Fatal("crypto-kit was installed")
	}
	if !strings.Contains(stdout, "http-kit@1.0.1 was passed over (published 1h ago, minimum release age is 1d); installed 1.0.0") {
		t.Fatalf("no explanation of the passed-over version:\n%s", stdout)
	}
	if keys, _ := filepath.Glob(filepath.Join(p.home, "cache", "metadata", "_keys", "*.json")); len(keys) != 1 {
		t.Errorf("registry keys not cached once: %v", keys)
	}
	out, _, code := p.cli("why-blocked", "http-kit")
	t.Logf("$ gnode why-blocked http-kit\n%s", out)
	if code != 0 || !strings.Contains(out, "http-kit@1.0.1  release-age: passed-over (published 1h ago") {
		t.Fatalf("why-blocked: %d\n%s", code, out)
	}
	out, _, _ = p.cli("why-blocked", "http-kit", "--json")
	var wb struct{ Decisions []install.Decision }
	if err := json.Unmarshal([]byte(out), &wb); err != nil || len(wb.Decisions) != 1 || wb.Decisions[0].Version != "1.0.1" || wb.Decisions[0].Rule != "release-age" {
		t.Fatalf("why-blocked --json: %v\n%s", err, out)
	}

	// Asking for the young version by number says why it is not available.
	_, stderr, code = p.cli("install", "http-kit@1.0.1")
	t.Logf("$ gnode install http-kit@1.0.1\n%s", stderr)
	if code == 0 || !strings.Contains(stderr, "http-kit@1.0.1 was passed over") || !strings.Contains(stderr, "--allow-young") {
		t.Fatalf("exact young version: code %d\n%s", code, stderr)
	}

	// Strict mode fails instead of falling back.
	ps := newGProject(t, reg, `{"name":"app","version":"1.0.0"}`)
	if _, stderr, code := ps.cli("install", "http-kit@^1", "--strict"); code == 0 || !strings.Contains(stderr, "http-kit@1.0.1 was passed over") {
		t.Fatalf("--strict: code %d\n%s", code, stderr)
	}

	// The explicit override: 1.0.1 installs, the postinstall does not run,
	// the summary flags the new dependency, its age and its install script.
	stdout, stderr, code = p.cli("install", "http-kit@1.0.1", "--allow-young=http-kit@1.0.1,crypto-kit")
	if code != 0 {
		t.Fatalf("install with override: %s", stderr)
	}
	t.Logf("$ gnode install http-kit@1.0.1 --allow-young=http-kit@1.0.1,crypto-kit\n%s%s", stdout, stderr)
	if p.version("http-kit") != "1.0.1" || p.version("crypto-kit") != "1.0.0" {
		t.Fatalf("installed http-kit %q crypto-kit %q", p.version("http-kit"), p.version("crypto-kit"))
	}
	if p.exists("marker") {
		t.Fatal("crypto-kit's postinstall ran")
	}
	for _, w := range []string{"crypto-kit@1.0.0: new dependency with an install script", "crypto-kit@1.0.0: published 2h ago", "http-kit@1.0.1: published 1h ago"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr, "http-kit@1.0.1 is younger than the minimum release age (published 1h ago) and was accepted by an explicit override") {
		t.Errorf("override not logged:\n%s", stderr)
	}
	if out, _, _ := p.cli("why-blocked", "crypto-kit"); !strings.Contains(out, "scripts: skipped") || !strings.Contains(out, "release-age: overridden") {
		t.Errorf("why-blocked crypto-kit:\n%s", out)
	}

	// The lockfile was vetted: `gnode ci` does not filter it again.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, stderr, code := p.cli("ci"); code != 0 || p.version("http-kit") != "1.0.1" {
		t.Fatalf("ci: %d %q\n%s", code, p.version("http-kit"), stderr)
	}

	// A tampered signature fails the install, naming the package.
	proxy := tamperingProxy(t, reg, "http-kit")
	pt := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"http-kit":"^1"}}`)
	pt.write(".npmrc", "registry="+proxy+"\n")
	_, stderr, code = pt.cli("install")
	t.Logf("$ gnode install   # through a proxy that corrupts http-kit's signatures\n%s", stderr)
	if code == 0 || !strings.Contains(stderr, "EINTEGRITYSIGNATURE") || !strings.Contains(stderr, "http-kit@1.0.0") {
		t.Fatalf("tampered signature: code %d\n%s", code, stderr)
	}
	if pt.exists("node_modules/http-kit") {
		t.Fatal("a package with a bad signature was linked")
	}
}

// tamperingProxy serves reg through a proxy that corrupts the registry
// signature of every version in name's packument.
func tamperingProxy(t *testing.T, reg *gnoderegistry.Registry, name string) string {
	u, _ := url.Parse(reg.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	inner := rp.Director
	rp.Director = func(r *http.Request) {
		inner(r)
		r.Header.Del("Accept-Encoding")
		r.Header.Del("If-None-Match")
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != "/"+name {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		b = bytes.ReplaceAll(b, []byte(`"sig":"ME`), []byte(`"sig":"MF`))
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		resp.Header.Del("ETag")
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func TestReleaseAgeSettings(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "lib", Version: "1.0.0"})
	reg.PublishAt(gnoderegistry.Pkg{Name: "lib", Version: "1.1.0"}, time.Now().Add(-2*24*time.Hour))
	reg.Publish(gnoderegistry.Pkg{Name: "@myorg/lib", Version: "1.0.0"})
	reg.PublishAt(gnoderegistry.Pkg{Name: "@myorg/lib", Version: "1.1.0"}, time.Now().Add(-time.Minute))
	cases := []struct {
		name, pkg, npmrc string
		lib, org         string
	}{
		{"default 1d", `{}`, "", "1.1.0", "1.0.0"},
		{"package.json 3d with exclude", `{"gnode":{"minimumReleaseAge":"3d","minimumReleaseAgeExclude":["@myorg/*"]}}`, "", "1.0.0", "1.1.0"},
		{"npmrc 3d", `{}`, "minimum-release-age=3d\n", "1.0.0", "1.0.0"},
		{"off", `{"gnode":{"minimumReleaseAge":"0s"}}`, "minimum-release-age=3d\n", "1.1.0", "1.1.0"},
		{"allowYoung in package.json", `{"gnode":{"allowYoung":["@myorg/lib"]}}`, "", "1.1.0", "1.1.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc map[string]any
			json.Unmarshal([]byte(c.pkg), &doc)
			doc["name"], doc["version"] = "app", "1.0.0"
			doc["dependencies"] = map[string]string{"lib": "^1.0.0", "@myorg/lib": "^1.0.0"}
			b, _ := json.Marshal(doc)
			p := newGProject(t, reg, string(b))
			if c.npmrc != "" {
				old, _ := os.ReadFile(filepath.Join(p.dir, ".npmrc"))
				p.write(".npmrc", string(old)+c.npmrc)
			}
			stdout, stderr, code := p.cli("install", "--json")
			if code != 0 {
				t.Fatalf("install: %s", stderr)
			}
			if p.version("lib") != c.lib || p.version("@myorg/lib") != c.org {
				t.Fatalf("lib %s @myorg/lib %s, want %s %s", p.version("lib"), p.version("@myorg/lib"), c.lib, c.org)
			}
			var s install.Summary
			if err := json.Unmarshal([]byte(stdout), &s); err != nil || s.Trust == nil {
				t.Fatalf("--json: %v\n%s", err, stdout)
			}
			if (c.lib == "1.0.0") != strings.Contains("\n"+strings.Join(s.Trust.PassedOver, "\n"), "\nlib@1.1.0 was passed over") {
				t.Errorf("passedOver %q", s.Trust.PassedOver)
			}
			if s.Trust.SignaturesVerified != 2 {
				t.Errorf("signaturesVerified %d, want 2", s.Trust.SignaturesVerified)
			}
		})
	}
}

func TestMaliciousAdvisoryRefusesInstall(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "crypto-kit", Version: "1.0.0"})
	reg.Publish(gnoderegistry.Pkg{Name: "app-lib", Version: "1.0.0", Deps: map[string]string{"crypto-kit": "1.0.0"}})
	if _, err := reg.Reg.Service.ImportOSV(context.Background(), []byte(`{"id":"MAL-2026-1","summary":"crypto-kit steals credentials","affected":[{"package":{"ecosystem":"npm","name":"crypto-kit"},"versions":["1.0.0"]}]}`)); err != nil {
		t.Fatal(err)
	}
	p := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"app-lib":"1.0.0"}}`)
	_, stderr, code := p.cli("install")
	if code == 0 || !strings.Contains(stderr, "crypto-kit@1.0.0 has a malicious-package advisory") || !strings.Contains(stderr, "MAL-2026-1") {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	if p.exists("node_modules/app-lib") {
		t.Fatal("linked despite the advisory")
	}
	if out, _, _ := p.cli("why-blocked", "crypto-kit"); !strings.Contains(out, "advisory: blocked") {
		t.Fatalf("why-blocked:\n%s", out)
	}
}

// TestJailedScripts needs a gnode binary to enter the jail (scripts/test
// sets GNODE_BIN); without it the script runs unconfined after a warning.
func TestJailedScripts(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "inside", Version: "1.0.0", Scripts: map[string]string{"postinstall": `echo "token=$NPM_TOKEN home=$HOME" > inside.txt`}})
	reg.Publish(gnoderegistry.Pkg{Name: "outside", Version: "1.0.0", Scripts: map[string]string{"postinstall": `echo escaped > "$INIT_CWD/escaped.txt"`}})

	p := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"inside":"1.0.0"},"gnode":{"trustedDependencies":["inside","outside"]}}`)
	p.extraEnv = []string{"NPM_TOKEN=s3cret"}
	_, stderr, code := p.cli("install")
	if code != 0 {
		t.Fatalf("install: %s", stderr)
	}
	b, _ := os.ReadFile(filepath.Join(p.dir, "node_modules/inside/inside.txt"))
	if !strings.HasPrefix(string(b), "token= home=") || strings.Contains(string(b), p.home) {
		t.Fatalf("script saw %q", b)
	}
	if os.Getenv("GNODE_BIN") == "" {
		if !strings.Contains(stderr, "without Landlock confinement") {
			t.Errorf("no warning about the missing jail:\n%s", stderr)
		}
		t.Skip("GNODE_BIN is not set: cannot check Landlock confinement (scripts/test sets it)")
	}
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"inside":"1.0.0","outside":"1.0.0"},"gnode":{"trustedDependencies":["inside","outside"]}}`)
	_, stderr, code = p.cli("install")
	if strings.Contains(stderr, "Landlock is not available") {
		t.Skip("this kernel has no Landlock")
	}
	if code == 0 || !strings.Contains(stderr, "outside@1.0.0 postinstall script failed") {
		t.Fatalf("write outside the package folder: code %d\n%s", code, stderr)
	}
	if p.exists("escaped.txt") {
		t.Fatal("the jailed script wrote outside its folder")
	}
}

// TestScenarioUnderNpm runs the same scenario with the real npm against
// the same kind of registry, for docs/SECURITY.md: npm picks the hour-old
// 1.0.1 and runs crypto-kit's postinstall. Run with -v to see its output.
func TestScenarioUnderNpm(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed")
	}
	reg := gnoderegistry.Start(t)
	publishScenario(reg)
	dir, cache := t.TempDir(), t.TempDir()
	reg.WriteNpmrc(dir)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0"}`), 0o644)
	cmd := exec.Command(npm, "install", "http-kit@^1", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_cache="+cache, "npm_config_update_notifier=false", "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	t.Logf("$ npm install http-kit@^1\n%s", out)
	b, _ := os.ReadFile(filepath.Join(dir, "node_modules/http-kit/package.json"))
	if !strings.Contains(string(b), `"version": "1.0.1"`) {
		t.Errorf("npm installed http-kit:\n%s", b)
	}
	// npm 11 warns and runs the script; a later npm that blocks it makes
	// docs/SECURITY.md's npm column out of date, which this line reports.
	if marker, err := os.ReadFile(filepath.Join(dir, "marker")); err != nil {
		t.Logf("this npm did NOT run crypto-kit's postinstall (%v): update docs/SECURITY.md", err)
	} else {
		t.Logf("marker: %q (npm ran crypto-kit's postinstall)", marker)
	}
}

// TestUnsignedRegistryInstalls: a registry that publishes no keys (the
// fixture registry answers 404) is not checked, and installs still work.
func TestUnsignedRegistryInstalls(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	s := p.install(t)
	if s.Trust == nil || s.Trust.SignaturesVerified != 0 || s.Added != 1 {
		t.Fatalf("summary %+v trust %+v", s, s.Trust)
	}
}

// TestPublisherChangeSignal: an update whose new version another account
// published is flagged (the registry is seen through a proxy that makes
// http-kit@1.0.1 look published by "mallory"), and fails under --strict.
func TestPublisherChangeSignal(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "http-kit", Version: "1.0.0"})
	reg.Publish(gnoderegistry.Pkg{Name: "http-kit", Version: "1.0.1"})
	u, _ := url.Parse(reg.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	inner := rp.Director
	rp.Director = func(r *http.Request) {
		inner(r)
		r.Header.Del("Accept-Encoding")
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != "/http-kit/1.0.1" {
			return nil
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		b = bytes.ReplaceAll(b, []byte(`"_npmUser":{"name":"fixtures"`), []byte(`"_npmUser":{"name":"mallory"`))
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)

	p := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"http-kit":"1.0.0"}}`)
	p.write(".npmrc", "registry="+srv.URL+"/\n")
	if _, stderr, code := p.cli("install"); code != 0 || p.version("http-kit") != "1.0.0" {
		t.Fatalf("%q %s", p.version("http-kit"), stderr)
	}
	p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"http-kit":"1.0.1"}}`)
	if _, stderr, code := p.cli("install", "--strict"); code == 0 || !strings.Contains(stderr, "http-kit@1.0.1: published by mallory; 1.0.0 was published by fixtures") {
		t.Fatalf("--strict: code %d\n%s", code, stderr)
	}
	stdout, stderr, code := p.cli("install")
	if code != 0 || !strings.Contains(stdout, "http-kit@1.0.1: published by mallory; 1.0.0 was published by fixtures") {
		t.Fatalf("code %d\n%s%s", code, stdout, stderr)
	}
}

// TestInstallExactVersionSpec: like npm, `install a@1.0.0` installs 1.0.0
// (saving ^1.0.0) even when a newer 1.x exists.
func TestInstallExactVersionSpec(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "a", Version: "1.0.0"})
	reg.Publish(gnoderegistry.Pkg{Name: "a", Version: "1.0.1"})
	p := newGProject(t, reg, `{"name":"app","version":"1.0.0"}`)
	if _, stderr, code := p.cli("install", "a@1.0.0"); code != 0 {
		t.Fatal(stderr)
	}
	b, _ := os.ReadFile(filepath.Join(p.dir, "package.json"))
	if p.version("a") != "1.0.0" || !strings.Contains(string(b), `"a":"^1.0.0"`) {
		t.Fatalf("installed %q, package.json:\n%s", p.version("a"), b)
	}
}

// publishProvenance publishes name@version through the registry's real
// publish API, with a provenance bundle signed by auth as builder (none
// when builder is nil), as `npm publish --provenance` would.
func publishProvenance(t *testing.T, reg *gnoderegistry.Registry, auth *provenancetest.Authority, name, version string, builder *provenancetest.Builder, at time.Time) {
	t.Helper()
	pj := map[string]any{"name": name, "version": version, "main": "index.js"}
	pjb, _ := json.Marshal(pj)
	tgz := gnoderegistry.Tarball(map[string]string{"package.json": string(pjb), "index.js": "module.exports = " + strconv.Quote(name+"@"+version) + ";\n"})
	var bundle []byte
	if builder != nil {
		var err error
		bundle, err = auth.Bundle(provenancetest.Statement(name, version, provenancetest.Integrity(tgz), *builder), *builder)
		if err != nil {
			t.Fatal(err)
		}
	}
	publish := func() {
		if st, b := reg.Do("PUT", strings.Replace(name, "/", "%2f", 1), reg.Token, provenancetest.PublishDocument(pj, tgz, bundle)); st != 201 {
			t.Fatalf("publish %s@%s: %d %s", name, version, st, b)
		}
	}
	if at.IsZero() {
		publish()
		return
	}
	// PublishAt sets the registry clock for the publish it makes; a
	// throwaway version carries that clock to ours.
	reg.PublishAt(gnoderegistry.Pkg{Name: "clock-" + strconv.FormatInt(at.UnixNano(), 36), Version: "1.0.0"}, at)
	publish()
}

// provProject is a project trusting auth's test Sigstore root.
func provProject(t *testing.T, reg *gnoderegistry.Registry, auth *provenancetest.Authority, pkgJSON string, npmrcExtra string) *gproject {
	t.Helper()
	p := newGProject(t, reg, pkgJSON)
	rootPath := filepath.Join(p.home, "trusted_root.json")
	if err := os.WriteFile(rootPath, auth.TrustedRoot(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(p.dir, ".npmrc"))
	p.write(".npmrc", string(b)+"sigstore-trusted-root="+rootPath+"\n"+npmrcExtra)
	return p
}

// TestProvenanceContinuity: each package has a 1.0.0 built with provenance
// by acme's release workflow; 1.0.1 keeps it, drops it, comes from another
// repository or workflow, or carries a bundle no trusted root vouches for.
func TestProvenanceContinuity(t *testing.T) {
	reg := gnoderegistry.Start(t)
	auth, err := provenancetest.New()
	if err != nil {
		t.Fatal(err)
	}
	rogue, _ := provenancetest.New()
	acme := func(name, ref string) *provenancetest.Builder {
		return &provenancetest.Builder{Repository: "https://github.com/acme/" + name, Workflow: ".github/workflows/release.yml", Ref: ref}
	}
	cases := []struct {
		name    string
		next    *provenancetest.Builder
		signer  *provenancetest.Authority
		wantErr string // "" installs
		record  string // decision detail expected in the trust record
	}{
		{name: "kit-same", next: acme("kit-same", "refs/tags/v1.0.1"),
			record: "built by github.com/acme/kit-same .github/workflows/release.yml, like 1.0.0"},
		{name: "kit-dropped", next: nil,
			wantErr: "kit-dropped@1.0.1: provenance dropped (1.0.0 was built by github.com/acme/kit-dropped .github/workflows/release.yml)"},
		{name: "kit-repo", next: &provenancetest.Builder{Repository: "https://github.com/evil/kit-repo", Workflow: ".github/workflows/release.yml"},
			wantErr: "kit-repo@1.0.1: provenance changed: source repository github.com/evil/kit-repo, was github.com/acme/kit-repo (1.0.0 was built by github.com/acme/kit-repo .github/workflows/release.yml)"},
		{name: "kit-workflow", next: &provenancetest.Builder{Repository: "https://github.com/acme/kit-workflow", Workflow: ".github/workflows/pr.yml"},
			wantErr: "kit-workflow@1.0.1: provenance changed: workflow .github/workflows/pr.yml, was .github/workflows/release.yml (1.0.0 was built by github.com/acme/kit-workflow .github/workflows/release.yml)"},
		{name: "kit-forged", next: acme("kit-forged", ""), signer: rogue,
			wantErr: "kit-forged@1.0.1: provenance does not verify"},
	}
	for _, c := range cases {
		publishProvenance(t, reg, auth, c.name, "1.0.0", acme(c.name, "refs/tags/v1.0.0"), time.Time{})
		signer := auth
		if c.signer != nil {
			signer = c.signer
		}
		publishProvenance(t, reg, signer, c.name, "1.0.1", c.next, time.Time{})
	}
	reg.Publish(gnoderegistry.Pkg{Name: "kit-none", Version: "1.0.0"})
	reg.Publish(gnoderegistry.Pkg{Name: "kit-none", Version: "1.0.1"})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := provProject(t, reg, auth, `{"name":"app","version":"1.0.0","dependencies":{"`+c.name+`":"1.0.0","kit-none":"1.0.0"}}`, "")
			if _, stderr, code := p.cli("install"); code != 0 {
				t.Fatalf("install of 1.0.0: %s", stderr)
			}
			p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"`+c.name+`":"1.0.1","kit-none":"1.0.1"}}`)
			stdout, stderr, code := p.cli("install")
			t.Logf("$ gnode install   # %s 1.0.0 -> 1.0.1\n%s%s", c.name, stdout, stderr)
			if c.wantErr == "" {
				if code != 0 || p.version(c.name) != "1.0.1" || p.version("kit-none") != "1.0.1" {
					t.Fatalf("code %d, %s %q\n%s", code, c.name, p.version(c.name), stderr)
				}
				rec, err := install.ReadTrustRecord(p.dir)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, d := range rec.Decisions {
					if d.Rule == "provenance" && d.Name == c.name && d.Verdict == "verified" && d.Detail == c.record {
						found = true
					}
					if d.Name == "kit-none" && d.Rule == "provenance" {
						t.Errorf("a package without provenance history has a provenance decision: %+v", d)
					}
				}
				if !found {
					t.Errorf("trust record lacks %q: %+v", c.record, rec.Decisions)
				}
				return
			}
			if code == 0 || !strings.Contains(stderr, c.wantErr) {
				t.Fatalf("code %d, want a refusal naming %q\n%s", code, c.wantErr, stderr)
			}
			if p.version(c.name) != "1.0.0" {
				t.Fatalf("a refused version was linked: %s", p.version(c.name))
			}
			if !strings.Contains(stderr, "allow-provenance-change="+c.name+"@1.0.1") {
				t.Errorf("the refusal does not name the override:\n%s", stderr)
			}
			if out, _, _ := p.cli("why-blocked", c.name); !strings.Contains(out, "provenance: blocked") {
				t.Errorf("why-blocked %s:\n%s", c.name, out)
			}

			// The explicit override: .npmrc for one, package.json for the other.
			if c.name == "kit-repo" {
				p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"`+c.name+`":"1.0.1","kit-none":"1.0.1"},"gnode":{"allowProvenanceChange":["kit-repo@1.0.1"]}}`)
			} else {
				b, _ := os.ReadFile(filepath.Join(p.dir, ".npmrc"))
				p.write(".npmrc", string(b)+"allow-provenance-change="+c.name+"@1.0.1\n")
			}
			if _, stderr, code := p.cli("install"); code != 0 || p.version(c.name) != "1.0.1" {
				t.Fatalf("with the override: code %d %q\n%s", code, p.version(c.name), stderr)
			}
			if out, _, _ := p.cli("why-blocked", c.name); !strings.Contains(out, "provenance: overridden") {
				t.Errorf("override not recorded:\n%s", out)
			}
		})
	}
}

// TestAcceptanceScenarioProvenance is the scenario with the
// provenance history of the 2026 HTTP-client attack: 1.0.0 was built by
// the project's release workflow, the hijacked 1.0.1 has no provenance.
// Accepting its age is not enough: the provenance drop refuses it too.
func TestAcceptanceScenarioProvenance(t *testing.T) {
	reg := gnoderegistry.Start(t)
	auth, _ := provenancetest.New()
	now := time.Now()
	publishProvenance(t, reg, auth, "http-kit", "1.0.0", &provenancetest.Builder{Repository: "https://github.com/acme/http-kit", Workflow: ".github/workflows/release.yml", Ref: "refs/tags/v1.0.0"}, time.Time{})
	reg.PublishAt(gnoderegistry.Pkg{Name: "crypto-kit", Version: "1.0.0",
		Scripts: map[string]string{"postinstall": `echo pwned > "$INIT_CWD/marker"`}}, now.Add(-2*time.Hour))
	reg.PublishAt(gnoderegistry.Pkg{Name: "http-kit", Version: "1.0.1", Deps: map[string]string{"crypto-kit": "^1.0.0"}}, now.Add(-time.Hour))

	p := provProject(t, reg, auth, `{"name":"app","version":"1.0.0"}`, "")
	if _, stderr, code := p.cli("install", "http-kit@^1"); code != 0 || p.version("http-kit") != "1.0.0" {
		t.Fatalf("install: %q %s", p.version("http-kit"), stderr)
	}
	_, stderr, code := p.cli("install", "http-kit@1.0.1", "--allow-young=http-kit@1.0.1,crypto-kit")
	t.Logf("$ gnode install http-kit@1.0.1 --allow-young=http-kit@1.0.1,crypto-kit\n%s", stderr)
	want := "http-kit@1.0.1: provenance dropped (1.0.0 was built by github.com/acme/http-kit .github/workflows/release.yml)"
	if code == 0 || !strings.Contains(stderr, want) || p.version("http-kit") != "1.0.0" || p.exists("node_modules/crypto-kit") {
		t.Fatalf("code %d, http-kit %q, want a refusal naming %q\n%s", code, p.version("http-kit"), want, stderr)
	}
}

// TestBinaryBlobSignal: an update that adds an obfuscated script and a
// native executable is flagged in the summary, naming the files, and fails
// under --strict; a minified file both versions ship is not flagged. The
// previous version's files are read from the store, or from node_modules
// when the store no longer has them.
func TestBinaryBlobSignal(t *testing.T) {
	reg := gnoderegistry.Start(t)
	minified := "var a=" + strings.Repeat("b(c,d)&&e.f(g)||h[i]=j;", 200)
	obfuscated := "var " + strings.Repeat("_0x1f2e3d=function(_0x4a5b6c){return _0x4a5b6c+1};\n", 60)
	reg.Publish(gnoderegistry.Pkg{Name: "kit-blob", Version: "1.0.0"})
	reg.Publish(gnoderegistry.Pkg{Name: "kit-blob", Version: "1.0.1", Files: map[string]string{
		"lib/setup.js": obfuscated, "prebuilds/linux-x64/kit.node": "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 64)}})
	reg.Publish(gnoderegistry.Pkg{Name: "kit-stable", Version: "1.0.0", Files: map[string]string{"dist/app.min.js": minified}})
	reg.Publish(gnoderegistry.Pkg{Name: "kit-stable", Version: "1.0.1", Files: map[string]string{"dist/app.min.js": minified + "k();"}})

	want := "kit-blob@1.0.1: new obfuscated JavaScript lib/setup.js (180 _0x-style identifiers), new ELF executable prebuilds/linux-x64/kit.node (magic number); 1.0.0 had none there"
	for _, fromStore := range []bool{true, false} {
		t.Run(map[bool]string{true: "store", false: "node_modules"}[fromStore], func(t *testing.T) {
			p := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"kit-blob":"1.0.0","kit-stable":"1.0.0"}}`)
			if _, stderr, code := p.cli("install"); code != 0 {
				t.Fatalf("install: %s", stderr)
			}
			if !fromStore {
				os.RemoveAll(filepath.Join(p.home, "cache"))
			}
			p.write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"kit-blob":"1.0.1","kit-stable":"1.0.1"}}`)
			_, stderr, code := p.cli("install", "--strict")
			if code == 0 || !strings.Contains(stderr, want) {
				t.Fatalf("--strict: code %d, want a failure naming %q\n%s", code, want, stderr)
			}
			if p.version("kit-blob") != "1.0.0" {
				t.Fatalf("--strict linked kit-blob %s", p.version("kit-blob"))
			}
			stdout, stderr, code := p.cli("install")
			t.Logf("$ gnode install\n%s%s", stdout, stderr)
			if code != 0 || !strings.Contains(stdout, want) || p.version("kit-blob") != "1.0.1" {
				t.Fatalf("code %d, summary lacks %q\n%s%s", code, want, stdout, stderr)
			}
			if strings.Contains(stdout, "kit-stable@1.0.1: new") {
				t.Errorf("a minified file both versions ship was flagged:\n%s", stdout)
			}
			if out, _, _ := p.cli("why-blocked", "kit-blob"); !strings.Contains(out, "signal: flagged (new obfuscated JavaScript lib/setup.js") {
				t.Errorf("why-blocked kit-blob:\n%s", out)
			}
		})
	}
}

// TestProvenanceResultsCached: a second project on the same cache verifies
// the same versions without fetching their attestations again.
func TestProvenanceResultsCached(t *testing.T) {
	reg := gnoderegistry.Start(t)
	auth, _ := provenancetest.New()
	b := &provenancetest.Builder{Repository: "https://github.com/acme/kit-cached", Workflow: ".github/workflows/release.yml"}
	publishProvenance(t, reg, auth, "kit-cached", "1.0.0", b, time.Time{})
	publishProvenance(t, reg, auth, "kit-cached", "1.0.1", b, time.Time{})
	u, _ := url.Parse(reg.URL)
	var fetches atomic.Int32
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/-/npm/v1/attestations/") {
			fetches.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	home := ""
	for i := range 2 {
		p := provProject(t, reg, auth, `{"name":"app","version":"1.0.0","dependencies":{"kit-cached":"1.0.1"}}`, "")
		if home != "" {
			p.home = home
			rootPath := filepath.Join(p.home, "trusted_root.json")
			p.write(".npmrc", "registry="+srv.URL+"/\nsigstore-trusted-root="+rootPath+"\n")
		} else {
			home = p.home
			b, _ := os.ReadFile(filepath.Join(p.dir, ".npmrc"))
			p.write(".npmrc", strings.Replace(string(b), reg.URL, srv.URL+"/", 1))
		}
		if _, stderr, code := p.cli("install"); code != 0 || p.version("kit-cached") != "1.0.1" {
			t.Fatalf("install %d: %s", i, stderr)
		}
		if i == 0 && fetches.Load() != 2 {
			t.Fatalf("first install fetched %d attestation documents, want 2 (1.0.1 and its baseline 1.0.0)", fetches.Load())
		}
	}
	if fetches.Load() != 2 {
		t.Errorf("the second install fetched %d attestation documents again", fetches.Load()-2)
	}
}

// TestAdvisoryUnsupportedRemembered: a registry without the bulk advisory
// endpoint (a read-only mirror) is asked once; later installs within a day
// skip the round trip, and once the memo is older than a day it is asked
// again. A registry that answers is asked on every install (see
// TestMaliciousAdvisoryRefusesInstall).
func TestAdvisoryUnsupportedRemembered(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "plain-lib", Version: "1.0.0"})
	var asked atomic.Int32
	target, _ := url.Parse(reg.Srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/-/npm/v1/security/advisories/bulk") {
			asked.Add(1)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer mirror.Close()
	p := newGProject(t, reg, `{"name":"app","version":"1.0.0","dependencies":{"plain-lib":"1.0.0"}}`)
	host := strings.TrimPrefix(mirror.URL, "http:")
	p.write(".npmrc", "registry="+mirror.URL+"/\n"+host+"/:_authToken="+reg.Token+"\n")

	install := func() {
		t.Helper()
		os.RemoveAll(filepath.Join(p.dir, "node_modules"))
		if _, stderr, code := p.cli("install"); code != 0 {
			t.Fatalf("install: %s", stderr)
		}
		if !p.exists("node_modules/plain-lib/package.json") {
			t.Fatal("plain-lib not installed")
		}
	}
	install()
	if n := asked.Load(); n != 1 {
		t.Fatalf("first install asked the advisory endpoint %d times, want 1", n)
	}
	memos, _ := filepath.Glob(filepath.Join(p.home, "cache", "metadata", "_advisory", "*.json"))
	if len(memos) != 1 {
		t.Fatalf("advisory memo files %v, want one", memos)
	}
	install()
	if n := asked.Load(); n != 1 {
		t.Fatalf("second install asked again (%d requests): the unsupported answer was not remembered", n)
	}
	// A day-old memo no longer counts.
	old := `{"checked":"` + time.Now().Add(-25*time.Hour).UTC().Format(time.RFC3339) + `","unsupported":true}`
	if err := os.WriteFile(memos[0], []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	install()
	if n := asked.Load(); n != 2 {
		t.Fatalf("install after the memo expired asked %d times in all, want 2", n)
	}
}
