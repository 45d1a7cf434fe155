package version

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func npmRoot(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm not usable")
	}
	return filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules")
}

// TestIncMatchesNodeSemver compares Inc with node-semver's inc on every
// release kind over a set of versions and preids.
func TestIncMatchesNodeSemver(t *testing.T) {
	root := npmRoot(t)
	versions := []string{"0.0.0", "1.2.3", "1.2.0", "1.0.0", "2.0.0-0", "1.2.3-4", "1.2.0-beta.1", "1.0.0-beta", "1.0.0-alpha.beta", "1.2.3-rc.1.2", "v1.2.3", "1.2.3+build.5", "3.0.0-beta.x", "1.2.3-alpha.0.beta"}
	preids := []string{"", "beta", "alpha", "rc.1", "alpha.beta"}
	type c struct{ V, R, P string }
	var cases []c
	for _, v := range versions {
		for _, r := range Releases {
			for _, p := range preids {
				cases = append(cases, c{v, r, p})
			}
		}
	}
	in, _ := json.Marshal(cases)
	script := `const s=require(process.argv[1]);let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const o=JSON.parse(d).map(c=>{try{return s.inc(s.clean(c.V,{loose:true}),c.R,{loose:true},c.P||undefined)||''}catch(e){return ''}});process.stdout.write(JSON.stringify(o))})`
	cmd := exec.Command("node", "-e", script, filepath.Join(root, "semver"))
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	json.Unmarshal(out, &want)
	bad := 0
	for i, cs := range cases {
		clean := strings.TrimPrefix(strings.SplitN(cs.V, "+", 2)[0], "v")
		got, err := Inc(clean, cs.R, cs.P)
		if err != nil {
			got = ""
		}
		if got != want[i] {
			bad++
			t.Errorf("inc(%s, %s, %q) = %q, node-semver %q", cs.V, cs.R, cs.P, got, want[i])
		}
	}
	t.Logf("%d increments compared, %d mismatches", len(cases), bad)
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func gitEnv() []string {
	return append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}

var versionFixture = map[string]string{
	"package.json":      "{\r\n    \"name\": \"vfix\",\r\n    \"version\": \"1.2.3\",\r\n    \"description\": \"x\",\r\n    \"dependencies\": {}\r\n}\r\n",
	"package-lock.json": "{\n\t\"name\": \"vfix\",\n\t\"version\": \"1.2.3\",\n\t\"lockfileVersion\": 3,\n\t\"requires\": true,\n\t\"packages\": {\n\t\t\"\": {\n\t\t\t\"name\": \"vfix\",\n\t\t\t\"version\": \"1.2.3\"\n\t\t}\n\t}\n}\n",
}

func setupRepo(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for p, c := range files {
		os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
	}
	git(t, dir, "init", "-q")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "init")
	return dir
}

// TestBumpMatchesNpmVersion runs `npm version` and Bump on identical git
// repositories: the files must be byte-identical and the commit and tag
// must be the same.
func TestBumpMatchesNpmVersion(t *testing.T) {
	npmRoot(t)
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	for _, tc := range []struct {
		args  []string
		preid string
	}{
		{[]string{"patch"}, ""}, {[]string{"minor"}, ""}, {[]string{"major"}, ""},
		{[]string{"prerelease", "--preid", "beta"}, "beta"}, {[]string{"premajor"}, ""}, {[]string{"4.5.6"}, ""}, {[]string{"v2.0.0"}, ""},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			a := setupRepo(t, versionFixture)
			b := setupRepo(t, versionFixture)
			cmd := exec.Command("npm", append([]string{"version", "--loglevel=silent"}, tc.args...)...)
			cmd.Dir = a
			cmd.Env = append(gitEnv(), "npm_config_update_notifier=false")
			npmOut, err := cmd.Output()
			if err != nil {
				t.Fatalf("npm version: %v", err)
			}
			newV, err := Bump(b, tc.args[0], Options{Preid: tc.preid, GitTagVersion: true, CommitHooks: true, TagVersionPrefix: "v", Env: gitEnv()})
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(npmOut)) != "v"+newV {
				t.Errorf("npm printed %q, gnode bumped to %q", npmOut, newV)
			}
			for f := range versionFixture {
				x, _ := os.ReadFile(filepath.Join(a, f))
				y, _ := os.ReadFile(filepath.Join(b, f))
				if string(x) != string(y) {
					t.Errorf("%s differs\nnpm:   %q\ngnode: %q", f, x, y)
				}
			}
			for _, args := range [][]string{{"log", "-1", "--format=%s"}, {"tag", "-n1"}, {"status", "--porcelain"}, {"show", "--stat", "--format=", "HEAD"}} {
				if x, y := git(t, a, args...), git(t, b, args...); x != y {
					t.Errorf("git %v: npm %q, gnode %q", args, x, y)
				}
			}
		})
	}
}

func TestBumpRefusesDirtyTreeAndSameVersion(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	dir := setupRepo(t, versionFixture)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"vfix","version":"1.2.3","x":1}`), 0o644)
	if _, err := Bump(dir, "patch", Options{GitTagVersion: true, Env: gitEnv()}); err == nil || !strings.Contains(err.Error(), "not clean") {
		t.Errorf("dirty tree: %v", err)
	}
	if _, err := Bump(dir, "1.2.3", Options{}); err == nil || !strings.Contains(err.Error(), "not changed") {
		t.Errorf("same version: %v", err)
	}
	if _, err := Bump(dir, "bogus", Options{}); err == nil {
		t.Errorf("bogus release accepted")
	}
	// Without git tagging, only the files change.
	v, err := Bump(dir, "minor", Options{GitTagVersion: false})
	if err != nil || v != "1.3.0" {
		t.Fatalf("bump: %v %v", v, err)
	}
	if strings.Contains(git(t, dir, "tag"), "v1.3.0") {
		t.Errorf("tag created with GitTagVersion false")
	}
}

// TestInitMatchesNpmInit compares Init with `npm init -y` on folders with
// and without a git origin, lib/test folders, node_modules and an existing
// package.json.
func TestInitMatchesNpmInit(t *testing.T) {
	npmRoot(t)
	cases := map[string]map[string]string{
		"empty":        {},
		"main-js":      {"main.js": "", "other.js": ""},
		"dirs-and-git": {"lib/x": "", "test/y": "", "docs/z": "", "examples/e": "", ".git/config": "[core]\n[remote \"origin\"]\n\turl = git@github.com:owner/repo.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n", "bin/cli.js": ""},
		"node-modules": {"node_modules/dep/package.json": `{"name":"dep","version":"2.1.0"}`, "node_modules/mocha/package.json": `{"name":"mocha","version":"10.0.0"}`, "node_modules/.bin/x": ""},
		"existing":     {"package.json": "{\n  \"name\": \"Keep-Me\",\n  \"version\": \"0.3.0\",\n  \"private\": true,\n  \"scripts\": {\"build\": \"tsc\"}\n}\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			a := filepath.Join(t.TempDir(), "node-my.js")
			b := filepath.Join(t.TempDir(), "node-my.js")
			for _, d := range []string{a, b} {
				os.MkdirAll(d, 0o755)
				for p, c := range files {
					fp := filepath.Join(d, filepath.FromSlash(p))
					os.MkdirAll(filepath.Dir(fp), 0o755)
					os.WriteFile(fp, []byte(c), 0o644)
				}
			}
			home := t.TempDir()
			cmd := exec.Command("npm", "init", "-y", "--loglevel=silent")
			cmd.Dir = a
			cmd.Env = append(os.Environ(), "HOME="+home, "npm_config_userconfig="+filepath.Join(home, ".npmrc"), "npm_config_update_notifier=false")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("npm init: %v\n%s", err, out)
			}
			if _, err := Init(b, InitOptions{}); err != nil {
				t.Fatal(err)
			}
			x, _ := os.ReadFile(filepath.Join(a, "package.json"))
			y, _ := os.ReadFile(filepath.Join(b, "package.json"))
			if string(x) != string(y) {
				t.Errorf("package.json differs\nnpm:\n%s\ngnode:\n%s", x, y)
			}
		})
	}
}
