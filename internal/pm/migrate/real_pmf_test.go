package migrate

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// TestRealLockfiles installs the real pnpm 9, yarn 1 and bun with npm from
// the configured registry into a temporary prefix, lets each of them
// install a small project from gnode's own registry, and reads the
// lockfile each wrote.
func TestRealLockfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not installing pnpm, yarn and bun")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: cannot fetch pnpm, yarn and bun")
	}
	prefix := t.TempDir()
	home := t.TempDir()
	npmEnv := append(os.Environ(), "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false")
	inst := exec.Command("npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "pnpm@9", "yarn@1", "bun@1")
	inst.Env = npmEnv
	if b, err := inst.CombinedOutput(); err != nil {
		t.Skipf("cannot install pnpm/yarn/bun from the configured registry (offline?): %v\n%s", err, b)
	}
	bin := filepath.Join(prefix, "node_modules", ".bin")

	r := gnoderegistry.Start(t)
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "2.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "@team/tool", Version: "1.2.0"})
	reg := strings.TrimSuffix(r.URL, "/") + "/"
	pkgJSON := `{"name":"app","version":"1.0.0","dependencies":{"mid":"^1.0.0","leaf":"^2.0.0","@team/tool":"^1.0.0"}}`

	tools := []struct {
		file string
		args []string
	}{
		{"pnpm-lock.yaml", []string{"pnpm", "install", "--registry=" + reg, "--ignore-scripts", "--store-dir=" + filepath.Join(home, "pnpm-store")}},
		{"yarn.lock", []string{"yarn", "install", "--registry", reg, "--ignore-scripts", "--non-interactive", "--cache-folder", filepath.Join(home, "yarn-cache")}},
		{"bun.lock", []string{"bun", "install", "--registry", reg, "--ignore-scripts", "--save-text-lockfile", "--cache-dir", filepath.Join(home, "bun-cache")}},
	}
	for _, tool := range tools {
		t.Run(tool.args[0], func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkgJSON), 0o644)
			r.WriteNpmrc(dir)
			cmd := exec.Command(filepath.Join(bin, tool.args[0]), tool.args[1:]...)
			cmd.Dir = dir
			cmd.Env = append(npmEnv, "HOME="+home, "npm_config_registry="+r.URL+"/", "BUN_INSTALL_CACHE_DIR="+filepath.Join(home, "bun-cache"))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(tool.args, " "), err, b)
			}
			data, err := os.ReadFile(filepath.Join(dir, tool.file))
			if err != nil {
				t.Fatalf("%s wrote no %s: %v", tool.args[0], tool.file, err)
			}
			checkRealLock(t, tool.file, data)
		})
	}
}

// TestRealLockfilesCommitted reads the lockfiles TestRealLockfiles's tools
// wrote once (kept in testdata/real) without the network.
func TestRealLockfilesCommitted(t *testing.T) {
	for _, f := range Files {
		t.Run(f, func(t *testing.T) { checkRealLock(t, f, readFixture(t, filepath.Join("real", f))) })
	}
}

func checkRealLock(t *testing.T, file string, data []byte) {
	t.Helper()
	l, err := Parse(file, data)
	if err != nil {
		t.Fatalf("parsing %s: %v\n%s", file, err, data)
	}
	l.SetRoot(map[string]string{"mid": "^1.0.0", "leaf": "^2.0.0", "@team/tool": "^1.0.0"})
	want := map[string][]string{"@team/tool": {"1.2.0"}, "leaf": {"2.0.0", "1.0.0"}, "mid": {"1.0.0"}}
	if got := l.Preferred(); !reflect.DeepEqual(got, want) {
		t.Errorf("preferred: got %v want %v\n%s", got, want, data)
	}
	var keys []string
	for _, p := range l.Packages {
		if !strings.HasPrefix(p.Integrity, "sha512-") {
			t.Errorf("%s@%s: integrity %q", p.Name, p.Version, p.Integrity)
		}
		keys = append(keys, p.Name+"@"+p.Version)
		if p.Name == "mid" && p.Dependencies["leaf"] != "1.0.0" {
			t.Errorf("mid's leaf edge: %v", p.Dependencies)
		}
	}
	sort.Strings(keys)
	if w := []string{"@team/tool@1.2.0", "leaf@1.0.0", "leaf@2.0.0", "mid@1.0.0"}; !reflect.DeepEqual(keys, w) {
		t.Errorf("packages %v, want %v", keys, w)
	}
}
