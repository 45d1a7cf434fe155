package registry_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/registry"
)

// installNPMTool installs spec from the configured npm registry into a temp
// prefix and returns the path of file rel inside the installed package, or
// skips when that registry cannot be reached.
func installNPMTool(t *testing.T, spec, pkg, rel string) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	prefix := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", spec)
	// The host's npm configuration (registry, proxy) applies; the cache is
	// private to the test.
	cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(prefix, ".npm-cache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		reg, _ := exec.Command("npm", "config", "get", "registry").Output()
		t.Skipf("cannot install %s from %s: %v\n%s", spec, strings.TrimSpace(string(reg)), err, out)
	}
	return filepath.Join(prefix, "node_modules", pkg, rel)
}

// yarnFixture is a proxy registry with local packages (scoped and
// unscoped) in front of an upstream registry holding remote-lib and
// @up/remote-scoped.
type yarnFixture struct {
	up, proxy *testRegistry
	token     string // alice's token on the proxy
}

func newYarnFixture(t *testing.T) *yarnFixture {
	up := startRegistry(t, registry.Config{})
	upTok := up.addUser("upstream", "password123")
	up.mustPublish(upTok, "remote-lib", "1.0.0")
	up.mustPublish(upTok, "remote-lib", "1.2.0")
	up.mustPublish(upTok, "@up/remote-scoped", "3.0.0")
	proxy := startRegistry(t, registry.Config{Uplink: up.URL})
	tok := proxy.addUser("alice", "password123")
	proxy.mustPublish(tok, "@alice/dep", "1.0.0")
	proxy.mustPublish(tok, "plain-dep", "2.3.0")
	return &yarnFixture{up: up, proxy: proxy, token: tok}
}

// requireAll runs node in dir and returns what each named package exports
// (the fixtures export "name@version").
func requireAll(t *testing.T, dir string, names ...string) string {
	t.Helper()
	js := "process.stdout.write([" + func() string {
		var parts []string
		for _, n := range names {
			parts = append(parts, "require('"+n+"')")
		}
		return strings.Join(parts, ",")
	}() + "].join(' '))"
	cmd := exec.Command("node", "-e", js)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("require %v: %v\n%s", names, err, out)
	}
	return string(out)
}

// yarnEnv isolates yarn from the host: its own HOME, caches and config.
func yarnEnv(t *testing.T, home string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		lk := strings.ToLower(k)
		// CI variables make yarn berry refuse lockfile changes; npm_* and
		// yarn_* variables would override the test's configuration.
		if lk == "ci" || strings.HasPrefix(lk, "npm_") || strings.HasPrefix(lk, "yarn_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "NO_COLOR=1", "FORCE_COLOR=0")
}

func runYarn(t *testing.T, yarnJS, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{yarnJS}, args...)...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestRealYarnClassic: yarn 1 publishes a scoped and an unscoped package
// with a token from .npmrc, then installs local packages and a package
// proxied from the uplink; the lockfile points at the proxy's tarballs.
func TestRealYarnClassic(t *testing.T) {
	haveTool(t, "yarn")
	yarnJS := installNPMTool(t, "yarn@1", "yarn", "bin/yarn.js")
	f := newYarnFixture(t)
	home := t.TempDir()
	host := strings.TrimPrefix(f.proxy.URL, "http:")
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+f.proxy.URL+"\n"+host+":_authToken="+f.token+"\n"), 0o600)
	os.WriteFile(filepath.Join(home, ".yarnrc"), []byte("registry \""+f.proxy.URL+"\"\ndisable-self-update-check true\n"), 0o600)
	env := yarnEnv(t, home)
	cache := "--cache-folder=" + filepath.Join(home, "yarn-cache")

	for _, name := range []string{"@alice/yarn-made", "yarn-made"} {
		dir := filepath.Join(t.TempDir(), "pkg")
		writePkg(t, dir, name, "1.0.0", nil)
		if out, err := runYarn(t, yarnJS, dir, env, "publish", "--non-interactive", "--new-version", "1.0.0", "--no-git-tag-version"); err != nil {
			t.Fatalf("yarn publish %s: %v\n%s", name, err, out)
		}
		v := f.proxy.packument(name, false)
		if v["dist-tags"].(map[string]any)["latest"] != "1.0.0" {
			t.Errorf("%s published by yarn: dist-tags %v", name, v["dist-tags"])
		}
	}
	// A second publish of the same version is refused, and yarn says so.
	dir := filepath.Join(t.TempDir(), "pkg")
	writePkg(t, dir, "yarn-made", "1.0.0", nil)
	if out, err := runYarn(t, yarnJS, dir, env, "publish", "--non-interactive", "--new-version", "1.0.0", "--no-git-tag-version"); err == nil || !strings.Contains(out, "previously published") {
		t.Errorf("yarn republished yarn-made@1.0.0 (or failed for another reason): %v\n%s", err, out)
	}

	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "package.json"), []byte(`{"name":"app","version":"1.0.0","private":true,"dependencies":{"@alice/dep":"^1.0.0","plain-dep":"^2.0.0","remote-lib":"^1.0.0","@up/remote-scoped":"^3.0.0","@alice/yarn-made":"1.0.0"}}`), 0o644)
	if out, err := runYarn(t, yarnJS, app, env, "install", "--non-interactive", "--no-progress", cache); err != nil {
		t.Fatalf("yarn install: %v\n%s", err, out)
	}
	got := requireAll(t, app, "@alice/dep", "plain-dep", "remote-lib", "@up/remote-scoped", "@alice/yarn-made")
	if got != "@alice/dep@1.0.0 plain-dep@2.3.0 remote-lib@1.2.0 @up/remote-scoped@3.0.0 @alice/yarn-made@1.0.0" {
		t.Errorf("packages installed by yarn: %q", got)
	}
	lock, err := os.ReadFile(filepath.Join(app, "yarn.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`resolved "` + f.proxy.URL + `remote-lib/-/remote-lib-1.2.0.tgz#`,
		`resolved "` + f.proxy.URL + `@alice/dep/-/dep-1.0.0.tgz#`,
		`resolved "` + f.proxy.URL + `@up/remote-scoped/-/remote-scoped-3.0.0.tgz#`,
		`integrity sha512-`,
	} {
		if !strings.Contains(string(lock), want) {
			t.Errorf("yarn.lock lacks %q:\n%s", want, lock)
		}
	}
	if strings.Contains(string(lock), f.up.URL) {
		t.Errorf("yarn.lock points at the uplink instead of the proxy:\n%s", lock)
	}

	// A fresh install from the lockfile alone (another cache) works too.
	os.RemoveAll(filepath.Join(app, "node_modules"))
	if out, err := runYarn(t, yarnJS, app, env, "install", "--frozen-lockfile", "--non-interactive", "--no-progress", "--cache-folder="+filepath.Join(home, "cache2")); err != nil {
		t.Fatalf("yarn install --frozen-lockfile: %v\n%s", err, out)
	}
	if got2 := requireAll(t, app, "remote-lib"); got2 != "remote-lib@1.2.0" {
		t.Errorf("after the frozen install: %q", got2)
	}
}

// TestRealYarnBerry: yarn 4 (the @yarnpkg/cli-dist bundle) publishes with
// `yarn npm publish` and installs local scoped and unscoped packages and a
// package proxied from the uplink, with the node-modules linker.
func TestRealYarnBerry(t *testing.T) {
	haveTool(t, "yarn")
	yarnJS := installNPMTool(t, "@yarnpkg/cli-dist@4", "@yarnpkg/cli-dist", "bin/yarn.js")
	f := newYarnFixture(t)
	home := t.TempDir()
	env := yarnEnv(t, home)
	rc := "npmRegistryServer: \"" + strings.TrimSuffix(f.proxy.URL, "/") + "\"\n" +
		"npmAuthToken: \"" + f.token + "\"\n" +
		"unsafeHttpWhitelist:\n  - \"127.0.0.1\"\n" +
		"enableTelemetry: false\nenableGlobalCache: false\nnodeLinker: node-modules\nenableImmutableInstalls: false\n" +
		// Yarn 4.10+ quarantines versions published in the last day by
		// default; the fixtures were published a moment ago.
		"npmMinimalAgeGate: 0\n"

	pub := filepath.Join(t.TempDir(), "pkg")
	writePkg(t, pub, "@alice/berry-made", "1.0.0", nil)
	os.WriteFile(filepath.Join(pub, ".yarnrc.yml"), []byte(rc), 0o644)
	os.WriteFile(filepath.Join(pub, "yarn.lock"), nil, 0o644)
	// Berry publishes only a project its lockfile knows.
	if out, err := runYarn(t, yarnJS, pub, env, "install"); err != nil {
		t.Fatalf("yarn install (publisher): %v\n%s", err, out)
	}
	if out, err := runYarn(t, yarnJS, pub, env, "npm", "publish"); err != nil {
		t.Fatalf("yarn npm publish: %v\n%s", err, out)
	}
	if v := f.proxy.packument("@alice/berry-made", false); v["dist-tags"].(map[string]any)["latest"] != "1.0.0" {
		t.Errorf("published by yarn berry: dist-tags %v", v["dist-tags"])
	}

	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "package.json"), []byte(`{"name":"app","version":"1.0.0","private":true,"dependencies":{"@alice/dep":"^1.0.0","plain-dep":"^2.0.0","remote-lib":"^1.0.0","@up/remote-scoped":"^3.0.0","@alice/berry-made":"1.0.0"}}`), 0o644)
	os.WriteFile(filepath.Join(app, ".yarnrc.yml"), []byte(rc), 0o644)
	os.WriteFile(filepath.Join(app, "yarn.lock"), nil, 0o644)
	if out, err := runYarn(t, yarnJS, app, env, "install"); err != nil {
		t.Fatalf("yarn install: %v\n%s", err, out)
	}
	got := requireAll(t, app, "@alice/dep", "plain-dep", "remote-lib", "@up/remote-scoped", "@alice/berry-made")
	if got != "@alice/dep@1.0.0 plain-dep@2.3.0 remote-lib@1.2.0 @up/remote-scoped@3.0.0 @alice/berry-made@1.0.0" {
		t.Errorf("packages installed by yarn berry: %q", got)
	}
	lock, _ := os.ReadFile(filepath.Join(app, "yarn.lock"))
	if !strings.Contains(string(lock), `"remote-lib@npm:^1.0.0"`) || !strings.Contains(string(lock), "checksum:") {
		t.Errorf("yarn berry lockfile:\n%s", lock)
	}

	// yarn npm login on a terminal (web login refused, then its prompts)
	// writes a token of the account to the user's .yarnrc.yml.
	loginDir := t.TempDir()
	os.WriteFile(filepath.Join(loginDir, ".yarnrc.yml"), []byte(strings.Replace(rc, "npmAuthToken: \""+f.token+"\"\n", "", 1)), 0o644)
	os.WriteFile(filepath.Join(loginDir, "package.json"), []byte(`{"name":"login-probe","private":true}`), 0o644)
	os.WriteFile(filepath.Join(loginDir, "yarn.lock"), nil, 0o644)
	out, err := runInteractive(t, "node", env, loginDir, [][2]string{{`Username`, "alice"}, {`Password`, "password123"}}, yarnJS, "npm", "login")
	if err != nil || !strings.Contains(out, "Successfully logged in") {
		t.Errorf("yarn npm login: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(home, ".yarnrc.yml")); !strings.Contains(string(b), "npmAuthToken") {
		t.Errorf("yarn npm login stored no token in ~/.yarnrc.yml:\n%s", b)
	}
	if out, err := runYarn(t, yarnJS, loginDir, env, "npm", "whoami"); err != nil || !strings.Contains(out, "alice") {
		t.Errorf("yarn npm whoami after login: %v\n%s", err, out)
	}

	if out, err := runYarn(t, yarnJS, app, env, "npm", "whoami"); err != nil || !strings.Contains(out, "alice") {
		t.Errorf("yarn npm whoami: %v\n%s", err, out)
	}
	// yarn npm audit asks the registry's bulk advisory endpoint.
	if err := f.proxy.reg.Service.AddAdvisory(t.Context(), advisory(777, "plain-dep", "<3.0.0")); err != nil {
		t.Fatal(err)
	}
	out, err = runYarn(t, yarnJS, app, env, "npm", "audit", "--json")
	if err == nil || !strings.Contains(out, "bad thing in plain-dep") || !strings.Contains(out, "<3.0.0") {
		t.Errorf("yarn npm audit: %v\n%s", err, out)
	}
}
