package registry_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// npmEnv is an isolated npm environment pointed at the test registry.
type npmEnv struct {
	t    *testing.T
	home string
	env  []string
}

func newNPM(t *testing.T, r *testRegistry, token string) *npmEnv {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the real-client test")
	}
	home := t.TempDir()
	host := strings.TrimPrefix(r.URL, "http:")
	rc := "registry=" + r.URL + "\n" + host + ":_authToken=" + token + "\naudit=false\nfund=false\nupdate-notifier=false\n"
	if err := os.WriteFile(filepath.Join(home, ".npmrc"), []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home, "npm_config_userconfig="+filepath.Join(home, ".npmrc"), "npm_config_cache="+filepath.Join(home, "cache"), "NO_COLOR=1")
	return &npmEnv{t: t, home: home, env: env}
}

func (n *npmEnv) run(dir string, args ...string) (string, error) {
	n.t.Helper()
	cmd := exec.Command("npm", args...)
	cmd.Dir = dir
	cmd.Env = n.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (n *npmEnv) must(dir string, args ...string) string {
	n.t.Helper()
	out, err := n.run(dir, args...)
	if err != nil {
		n.t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func writePkg(t *testing.T, dir, name, version string, extra map[string]any) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	pj := map[string]any{"name": name, "version": version, "main": "index.js"}
	for k, v := range extra {
		pj[k] = v
	}
	b, _ := json.MarshalIndent(pj, "", "  ")
	os.WriteFile(filepath.Join(dir, "package.json"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "index.js"), []byte("module.exports = '"+name+"@"+version+"'\n"), 0o644)
}

// TestRealNPMClient drives the registry with the real npm 11 client:
// publish, view, dist-tag, deprecate, install, whoami, token, search,
// unpublish, and the registry signature check npm's own pacote performs.
func TestRealNPMClient(t *testing.T) { testRealNPMClient(t, registry.Config{}) }

// TestPostgresRealNPMClient runs the same npm session against a registry
// whose metadata is in PostgreSQL.
func TestPostgresRealNPMClient(t *testing.T) {
	testRealNPMClient(t, registry.Config{DB: pgDatabase(t)})
}

func testRealNPMClient(t *testing.T, cfg registry.Config) {
	haveTool(t, "npm")
	r := startRegistry(t, cfg)
	tok := r.addUser("alice", "password123")
	npm := newNPM(t, r, tok)
	work := t.TempDir()

	if out := npm.must(work, "whoami"); strings.TrimSpace(out) != "alice" {
		t.Errorf("npm whoami = %q", out)
	}
	lib := filepath.Join(work, "lib")
	writePkg(t, lib, "@alice/lib", "1.0.0", nil)
	npm.must(lib, "publish")
	writePkg(t, lib, "@alice/lib", "1.1.0", nil)
	npm.must(lib, "publish", "--tag", "beta")
	out, err := npm.run(lib, "publish", "--tag", "beta")
	if err == nil || !strings.Contains(out, "previously published") {
		t.Errorf("republishing 1.1.0 was not refused: %v\n%s", err, out)
	}

	view := npm.must(work, "view", "@alice/lib", "--json")
	var v struct {
		DistTags map[string]string `json:"dist-tags"`
		Versions []string
	}
	if err := json.Unmarshal([]byte(view), &v); err != nil {
		t.Fatalf("npm view --json: %v\n%s", err, view)
	}
	if v.DistTags["latest"] != "1.0.0" || v.DistTags["beta"] != "1.1.0" || len(v.Versions) != 2 {
		t.Errorf("npm view: %+v", v)
	}

	npm.must(work, "dist-tag", "add", "@alice/lib@1.1.0", "stable")
	if out := npm.must(work, "dist-tag", "ls", "@alice/lib"); !strings.Contains(out, "stable: 1.1.0") {
		t.Errorf("dist-tag ls: %s", out)
	}
	npm.must(work, "dist-tag", "rm", "@alice/lib", "stable")
	npm.must(work, "deprecate", "@alice/lib@1.0.0", "please upgrade")
	if out := npm.must(work, "view", "@alice/lib@1.0.0", "deprecated"); !strings.Contains(out, "please upgrade") {
		t.Errorf("deprecated not visible: %q", out)
	}

	app := filepath.Join(work, "app")
	writePkg(t, app, "app", "1.0.0", nil)
	npm.must(app, "install", "@alice/lib@beta")
	req := exec.Command("node", "-e", "process.stdout.write(require('@alice/lib'))")
	req.Dir = app
	got, err := req.Output()
	if err != nil || string(got) != "@alice/lib@1.1.0" {
		t.Errorf("installed package: %q %v", got, err)
	}

	// npm's own signature verification (pacote with the registry's keys).
	verify := `
const pacote = require(process.argv[1]);
(async () => {
  const reg = process.argv[2];
  const keys = (await (await fetch(reg + '-/npm/v1/keys')).json()).keys.map(k => ({...k, pemkey: '-----BEGIN PUBLIC KEY-----\n' + k.key + '\n-----END PUBLIC KEY-----'}));
  const u = new URL(reg);
  const opts = { registry: reg, verifySignatures: true, fullMetadata: true, ['//' + u.host + u.pathname + ':_keys']: keys };
  const m = await pacote.manifest('@alice/lib@1.0.0', opts);
  console.log('verified', m._id, m._signatures.length);
  const bad = keys.map(k => ({...k, keyid: 'SHA256:other'}));
  try { await pacote.manifest('@alice/lib@1.1.0', {...opts, ['//' + u.host + u.pathname + ':_keys']: bad, preferOnline: true}); console.log('accepted-unknown-key'); }
  catch (e) { console.log('rejected', e.code); }
})().catch(e => { console.error(e); process.exit(1); });
`
	root, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v", err)
	}
	pacote := filepath.Join(strings.TrimSpace(string(root)), "npm", "node_modules", "pacote")
	cmd := exec.Command("node", "-e", verify, pacote, r.URL)
	cmd.Env = npm.env
	vout, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(vout), "verified @alice/lib@1.0.0 1") || !strings.Contains(string(vout), "rejected EMISSINGSIGNATUREKEY") {
		t.Errorf("pacote signature verification: %v\n%s", err, vout)
	}

	if out := npm.must(work, "search", "--json", "alice"); !strings.Contains(out, `"@alice/lib"`) {
		t.Errorf("npm search: %s", out)
	}
	if out := npm.must(work, "token", "list", "--json"); !strings.Contains(out, `"key"`) {
		t.Errorf("npm token list: %s", out)
	}

	npm.must(work, "unpublish", "@alice/lib@1.1.0")
	view = npm.must(work, "view", "@alice/lib", "versions", "--json")
	if strings.Contains(view, "1.1.0") {
		t.Errorf("unpublished version still listed: %s", view)
	}
	writePkg(t, lib, "@alice/lib", "1.1.0", nil)
	if out, err := npm.run(lib, "publish"); err == nil || !strings.Contains(out, "409") {
		t.Errorf("publishing an unpublished version again: %v\n%s", err, out)
	}
}
