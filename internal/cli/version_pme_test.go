package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitAndVersionCommands(t *testing.T) {
	e := newPmeEnv(t, "")
	dir := filepath.Join(t.TempDir(), "my-app")
	os.MkdirAll(dir, 0o755)
	out := e.must(dir, "", "init", "-y")
	if !strings.HasPrefix(out, "Wrote to "+filepath.Join(dir, "package.json")) {
		t.Errorf("init printed %q", out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "package.json"))
	if _, err := exec.LookPath("npm"); err == nil {
		nd := filepath.Join(t.TempDir(), "my-app")
		os.MkdirAll(nd, 0o755)
		cmd := exec.Command("npm", "init", "-y", "--loglevel=silent")
		cmd.Dir = nd
		cmd.Env = append(os.Environ(), "HOME="+e.home, "npm_config_userconfig="+filepath.Join(e.home, ".npmrc"))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm init: %v %s", err, b)
		}
		want, _ := os.ReadFile(filepath.Join(nd, "package.json"))
		if string(got) != string(want) {
			t.Errorf("gnode init -y:\n%s\nnpm init -y:\n%s", got, want)
		}
	}
	// Prompted init: answers on stdin, empty lines keep defaults.
	pd := filepath.Join(t.TempDir(), "prompted")
	os.MkdirAll(pd, 0o755)
	e.must(pd, "custom-name\n2.0.0\na description\n\n\n\nk1, k2\nme\nMIT\nmodule\n", "init")
	b, _ := os.ReadFile(filepath.Join(pd, "package.json"))
	for _, want := range []string{`"name": "custom-name"`, `"version": "2.0.0"`, `"description": "a description"`, `"keywords": [`, `"k2"`, `"author": "me"`, `"license": "MIT"`, `"type": "module"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("prompted init lacks %s:\n%s", want, b)
		}
	}

	// version without git: edits only.
	if out := e.must(dir, "", "version", "minor"); out != "v1.1.0\n" {
		t.Errorf("version minor printed %q", out)
	}
	if code, _, errs := e.run(dir, "", "version", "1.1.0"); code == 0 || !strings.Contains(errs, "version not changed") {
		t.Errorf("same version: %d %s", code, errs)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return
	}
	e.env = append(e.env, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1")
	gitc := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, e.env
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v %s", args, err, b)
		}
		return string(b)
	}
	gitc("init", "-q")
	gitc("add", ".")
	gitc("commit", "-q", "-m", "init")
	if out := e.must(dir, "", "version", "prerelease", "--preid", "rc", "-m", "release %s"); out != "v1.1.1-rc.0\n" {
		t.Errorf("version prerelease printed %q", out)
	}
	if tags := gitc("tag", "-n1"); !strings.Contains(tags, "v1.1.1-rc.0") || !strings.Contains(tags, "release 1.1.1-rc.0") {
		t.Errorf("tags: %q", tags)
	}
	if msg := gitc("log", "-1", "--format=%s"); msg != "release 1.1.1-rc.0\n" {
		t.Errorf("commit message %q", msg)
	}
}
