package install_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/pm/install"
	"gnode/internal/testutil/npmfixture"
)

// TestLiveExpress installs a small Express project from the real registry
// and checks it with the real npm and node.
func TestLiveExpress(t *testing.T) {
	reg := npmfixture.Registry(t, "express")
	dir, home := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+reg+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"live","version":"1.0.0","dependencies":{"express":"^4.21.0","cors":"^2.8.5"}}`+"\n"), 0o644)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH"), "npm_config_update_notifier=false"}
	o := install.Options{Dir: dir, Env: env, NodeVersion: "v22.12.0"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := install.Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if s.Added < 50 {
		t.Fatalf("only %d packages added", s.Added)
	}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	run("npm", "ls", "--all")
	run("node", "-e", "require('express'); require('cors')")
	if s, err := install.Run(ctx, o); err != nil || !s.UpToDate {
		t.Fatalf("second install: %+v %v", s, err)
	}
	before := liveSet(t, dir)
	os.RemoveAll(filepath.Join(dir, "node_modules"))
	run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", filepath.Join(home, "npm-cache"))
	if after := liveSet(t, dir); after != before {
		t.Fatalf("npm ci installed a different set:\n%s\nvs gnode:\n%s", after, before)
	}
}

func liveSet(t *testing.T, dir string) string {
	p := &project{t: t, dir: dir}
	return strings.Join(p.installed(), "\n")
}
