package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// lsFixture installs, with the real npm from gnode's registry, a tree with
// hoisting, a nested conflict, a scoped package, dev and optional deps, a
// missing optional, then adds an extraneous and an invalid package by hand.
func lsFixture(t *testing.T) (dir string, npmEnv []string, r *gnoderegistry.Registry) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: differential ls test skipped")
	}
	r = gnoderegistry.Start(t)
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "2.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0", "shared": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "shared", Version: "1.2.0"})
	r.Publish(gnoderegistry.Pkg{Name: "@team/tool", Version: "1.2.0", Deps: map[string]string{"shared": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "devonly", Version: "3.0.0", Deps: map[string]string{"mid": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "opt", Version: "1.0.0"})
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{"package.json": `{"name":"app","version":"1.0.0","dependencies":{"mid":"^1.0.0","leaf":"^2.0.0","@team/tool":"^1.0.0","shared":"^1.0.0"},"devDependencies":{"devonly":"^3.0.0"},"optionalDependencies":{"opt":"^1.0.0"}}`})
	r.WriteNpmrc(dir)
	home := t.TempDir()
	npmEnv = append(os.Environ(), "HOME="+home, "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false", "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=")
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir, cmd.Env = dir, npmEnv
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, b)
	}
	return dir, npmEnv, r
}

func npmLs(t *testing.T, dir string, env []string, args ...string) (string, int) {
	cmd := exec.Command("npm", append([]string{"ls"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("npm ls: %v", err)
	}
	return string(out), code
}

func compareLs(t *testing.T, dir string, env []string, cases [][]string) {
	t.Helper()
	e := &pmeEnv{t: t, env: env}
	for _, args := range cases {
		want, wantCode := npmLs(t, dir, env, args...)
		code, got, _ := e.run(dir, "", append([]string{"ls"}, args...)...)
		if got != want || code != wantCode {
			t.Errorf("ls %v: exit gnode %d npm %d\ngnode:\n%s\nnpm:\n%s\n%q\n%q", args, code, wantCode, got, want, got, want)
		}
	}
}

var lsCases = [][]string{
	{}, {"--all"}, {"--json"}, {"--all", "--json"}, {"--depth", "1"}, {"--depth", "1", "--json"},
	{"leaf"}, {"shared", "--json"}, {"leaf@1"}, {"nothere"}, {"--parseable", "--all"}, {"--omit", "dev", "--all"},
	{"--omit", "dev", "--json"}, {"--all", "--unicode=false"},
}

func TestLsMatchesNpm(t *testing.T) {
	dir, env, _ := lsFixture(t)
	compareLs(t, dir, env, lsCases)

	// Break the tree: an extraneous package, an invalid version, a missing
	// dependency.
	writeFiles(t, dir, map[string]string{
		"node_modules/stray/package.json":  `{"name":"stray","version":"0.1.0"}`,
		"node_modules/shared/package.json": `{"name":"shared","version":"0.9.0"}`,
	})
	os.RemoveAll(filepath.Join(dir, "node_modules/@team"))
	compareLs(t, dir, env, lsCases)
}

func TestWhyMatchesNpmExplain(t *testing.T) {
	dir, env, _ := lsFixture(t)
	e := &pmeEnv{t: t, env: env}
	for _, arg := range []string{"shared", "leaf", "leaf@1", "mid", "@team/tool", "devonly", "node_modules/mid/node_modules/leaf", "opt"} {
		cmd := exec.Command("npm", "explain", arg)
		cmd.Dir, cmd.Env = dir, env
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("npm explain %s: %v", arg, err)
		}
		code, got, errs := e.run(dir, "", "why", arg)
		if code != 0 || got != string(want) {
			t.Errorf("why %s: exit %d %s\ngnode:\n%s\nnpm:\n%s", arg, code, errs, got, want)
		}
	}
	if code, _, errs := e.run(dir, "", "why", "nothere"); code == 0 || !strings.Contains(errs, "no dependencies found matching nothere") {
		t.Errorf("why nothere: %d %s", code, errs)
	}
}

func TestOutdatedMatchesNpm(t *testing.T) {
	dir, env, r := lsFixture(t)
	e := &pmeEnv{t: t, env: env}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("npm", append([]string{"outdated"}, args...)...)
		cmd.Dir, cmd.Env = dir, env
		want, err := cmd.Output()
		wantCode := 0
		if ee, ok := err.(*exec.ExitError); ok {
			wantCode = ee.ExitCode()
		}
		code, got, errs := e.run(dir, "", append([]string{"outdated"}, args...)...)
		if got != string(want) || code != wantCode {
			t.Errorf("outdated %v: exit gnode %d npm %d %s\ngnode:\n%s\nnpm:\n%s", args, code, wantCode, errs, got, want)
		}
	}
	cases := [][]string{{}, {"--json"}, {"--parseable"}, {"--all"}, {"--all", "--json"}, {"leaf"}, {"--omit", "dev"}}
	for _, c := range cases {
		run(c...)
	}
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.1.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "2.1.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "3.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "shared", Version: "1.3.0"})
	r.Publish(gnoderegistry.Pkg{Name: "devonly", Version: "4.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "opt", Version: "1.0.1"})
	os.RemoveAll(filepath.Join(dir, "node_modules/mid"))
	for _, c := range cases {
		run(c...)
	}
}
