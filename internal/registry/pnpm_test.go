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

// installPnpm installs pnpm from the configured npm registry into a temp
// prefix, or skips when that registry cannot be reached.
func installPnpm(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	prefix := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", "pnpm@10").CombinedOutput()
	if err != nil {
		reg, _ := exec.Command("npm", "config", "get", "registry").Output()
		t.Skipf("cannot install pnpm from %s: %v\n%s", strings.TrimSpace(string(reg)), err, out)
	}
	return filepath.Join(prefix, "node_modules", "pnpm", "bin", "pnpm.cjs")
}

// TestRealPNPMClient: pnpm installs a scoped and an unscoped package from a
// gnode registry (pnpm asks for abbreviated documents).
func TestRealPNPMClient(t *testing.T) {
	pnpm := installPnpm(t)
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "@alice/dep", "1.0.0")
	r.mustPublish(tok, "plain-dep", "2.3.0")

	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"@alice/dep":"^1.0.0","plain-dep":"^2.0.0"}}`), 0o644)
	host := strings.TrimPrefix(r.URL, "http:")
	os.WriteFile(filepath.Join(app, ".npmrc"), []byte("registry="+r.URL+"\n"+host+":_authToken="+tok+"\n"), 0o644)
	cmd := exec.Command("node", pnpm, "install", "--store-dir", filepath.Join(app, ".store"), "--config.minimum-release-age=0")
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "npm_config_registry="+r.URL)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pnpm install: %v\n%s", err, out)
	}
	check := exec.Command("node", "-e", "process.stdout.write(require('@alice/dep') + ' ' + require('plain-dep'))")
	check.Dir = app
	out, err := check.Output()
	if err != nil || string(out) != "@alice/dep@1.0.0 plain-dep@2.3.0" {
		t.Errorf("packages installed by pnpm: %q %v", out, err)
	}
}
