// Package npmfixture installs a test's fixture project (testdata files
// with a package.json) with the real npm from the configured registry, or
// skips the test with the reason when that cannot be done.
package npmfixture

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Install copies files from srcDir into a temp folder, runs `npm install`
// there (scripts off) and returns the folder. It skips under -short, without
// npm, without a configured registry, or when the install fails.
func Install(t *testing.T, srcDir string, files ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("installs packages from the registry; skipped with -short")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not found on PATH: needed to install the packages under test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	reg, err := exec.CommandContext(ctx, npm, "config", "get", "registry").Output()
	if err != nil || len(bytes.TrimSpace(reg)) == 0 {
		t.Skip("no registry configured for npm (npm config get registry)")
	}
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(srcDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	install := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--registry", strings.TrimSpace(string(reg)))
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Skipf("npm install failed (registry unreachable?): %v\n%s", err, out)
	}
	return dir
}

// Registry returns the registry npm is configured with (ending in "/") once
// it answers a HEAD for probe (a package name), or skips the test: under
// -short, without npm, or when the registry cannot be reached.
func Registry(t *testing.T, probe string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the live registry test")
	}
	out, err := exec.Command("npm", "config", "get", "registry").Output()
	if err != nil {
		t.Skipf("npm config get registry failed (%v); skipping the live registry test", err)
	}
	reg := strings.TrimSpace(string(out))
	if !strings.HasSuffix(reg, "/") {
		reg += "/"
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Head(reg + probe)
	if err != nil {
		t.Skipf("registry %s unreachable (%v); skipping the live registry test", reg, err)
	}
	resp.Body.Close()
	return reg
}
