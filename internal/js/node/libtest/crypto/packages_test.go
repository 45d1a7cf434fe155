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
	"gnode/internal/testutil/npmfixture"
)

// TestRealPackages installs jsonwebtoken, jose, uuid and bcryptjs (pinned
// in testdata/packages/package.json) with npm from the configured registry
// and runs the same program under node and gnode: every line must match
// (signatures with fixed keys, JWE round trips, UUIDs, bcrypt).
func TestRealPackages(t *testing.T) {
	node := needNode(t)
	dir := npmfixture.Install(t, filepath.Join("testdata", "packages"), "package.json", "app.js")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
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
