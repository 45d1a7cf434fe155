package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// TestInstallFromGnodeRegistry: gnode install lays out a tree from gnode's
// own registry (hoisting, nesting on conflict, bins, scoped packages) that
// the real npm accepts (`npm ls --all`, `npm ci` on gnode's lockfile).
func TestInstallFromGnodeRegistry(t *testing.T) {
	r := gnoderegistry.Start(t)
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "2.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "@team/tool", Version: "1.2.0", Bin: map[string]string{"team-tool": "bin/cli.js"},
		Files: map[string]string{"bin/cli.js": "#!/usr/bin/env node\nconsole.log('tool ok')\n"}})

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"mid":"^1.0.0","leaf":"^2.0.0","@team/tool":"^1.0.0"}}`), 0o644)
	r.WriteNpmrc(dir)
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + filepath.Join(home, "cache")}
	var out, errb bytes.Buffer
	code := Main([]string{"install"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: dir})
	if code != 0 {
		t.Fatalf("gnode install: %d\n%s\n%s", code, out.String(), errb.String())
	}
	read := func(p string) string {
		b, _ := os.ReadFile(filepath.Join(dir, p))
		return string(b)
	}
	if !strings.Contains(read("node_modules/leaf/package.json"), `"version": "2.0.0"`) {
		t.Errorf("root leaf is not 2.0.0")
	}
	if !strings.Contains(read("node_modules/mid/node_modules/leaf/package.json"), `"version": "1.0.0"`) {
		t.Errorf("mid's leaf@1 is not nested")
	}
	if st, err := os.Stat(filepath.Join(dir, "node_modules/.bin/team-tool")); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf(".bin/team-tool missing or not executable: %v", err)
	}
	if !strings.Contains(read("package-lock.json"), `"node_modules/mid/node_modules/leaf"`) {
		t.Errorf("lockfile lacks the nested entry")
	}

	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping npm's checks of the tree")
	}
	npmEnv := append(os.Environ(), "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_audit=false", "npm_config_fund=false")
	ls := exec.Command("npm", "ls", "--all")
	ls.Dir, ls.Env = dir, npmEnv
	if b, err := ls.CombinedOutput(); err != nil {
		t.Errorf("npm ls --all on gnode's tree: %v\n%s", err, b)
	}
	os.RemoveAll(filepath.Join(dir, "node_modules"))
	ci := exec.Command("npm", "ci")
	ci.Dir, ci.Env = dir, npmEnv
	if b, err := ci.CombinedOutput(); err != nil {
		t.Fatalf("npm ci on gnode's lockfile: %v\n%s", err, b)
	}
	if !strings.Contains(read("node_modules/mid/node_modules/leaf/package.json"), `"version": "1.0.0"`) {
		t.Errorf("npm ci laid out a different tree")
	}
	run := exec.Command(filepath.Join(dir, "node_modules/.bin/team-tool"))
	if b, err := run.CombinedOutput(); err != nil || !strings.Contains(string(b), "tool ok") {
		t.Errorf("bin after npm ci: %v %s", err, b)
	}
}
