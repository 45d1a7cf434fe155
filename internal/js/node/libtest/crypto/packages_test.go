package cryptotest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/js/runtime"
)

// TestRealPackages installs jsonwebtoken, jose, uuid and bcryptjs (pinned
// in testdata/packages/package.json) with npm from the configured registry
// and runs the same program under node and gnode: every line must match
// (signatures with fixed keys, JWE round trips, UUIDs, bcrypt).
func TestRealPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("installs packages from the registry; skipped with -short")
	}
	node := needNode(t)
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
	for _, f := range []string{"package.json", "app.js"} {
		b, err := os.ReadFile(filepath.Join("testdata", "packages", f))
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
	keys := t.TempDir()
	makeKeys(t, node, keys)
	app := filepath.Join(dir, "app.js")
	cmd := exec.CommandContext(ctx, node, app, keys)
	cmd.Dir = dir
	want, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node app.js: %v\n%s", err, want)
	}
	var got, errb bytes.Buffer
	if code := runtime.Run(runtime.Options{Script: app, Args: []string{keys}, Cwd: dir, Stdout: &got, Stderr: &errb, Env: os.Environ()}); code != 0 {
		t.Fatalf("gnode app.js: exit %d\n%s%s", code, got.String(), errb.String())
	}
	wl := strings.Split(strings.TrimSpace(string(want)), "\n")
	gl := strings.Split(strings.TrimSpace(got.String()), "\n")
	if len(wl) != len(gl) {
		t.Fatalf("node printed %d lines, gnode %d\nnode:\n%s\ngnode:\n%s", len(wl), len(gl), want, got.String())
	}
	for i := range wl {
		if wl[i] != gl[i] {
			t.Errorf("line %d\n  gnode: %s\n  node:  %s", i+1, gl[i], wl[i])
		}
	}
	t.Logf("real packages: %d lines compared", len(wl))
}
