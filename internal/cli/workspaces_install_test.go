package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// wsProject is a monorepo fixture installed twice: once by gnode, once by
// the real npm, from the same gnode registry.
type wsProject struct {
	t    *testing.T
	dir  string
	home string
	reg  *gnoderegistry.Registry
}

func newWsProject(t *testing.T, reg *gnoderegistry.Registry, files map[string]string) *wsProject {
	t.Helper()
	p := &wsProject{t: t, dir: t.TempDir(), home: t.TempDir(), reg: reg}
	for name, body := range files {
		f := filepath.Join(p.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg.WriteNpmrc(p.dir)
	return p
}

func (p *wsProject) env() []string {
	return []string{"HOME=" + p.home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + filepath.Join(p.home, "cache"),
		"npm_config_cache=" + filepath.Join(p.home, "npm-cache"), "npm_config_audit=false", "npm_config_fund=false",
		"npm_config_update_notifier=false"}
}

// gnode runs gnode's CLI in-process in the project.
func (p *wsProject) gnode(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := Main(args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: p.env(), Dir: p.dir})
	return out.String(), errb.String(), code
}

// npm runs the real npm in the project.
func (p *wsProject) npm(args ...string) (string, int) {
	cmd := exec.Command("npm", args...)
	cmd.Dir, cmd.Env = p.dir, p.env()
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("npm %v: %v", args, err)
	}
	return string(out), 0
}

func (p *wsProject) read(rel string) string {
	b, _ := os.ReadFile(filepath.Join(p.dir, filepath.FromSlash(rel)))
	return string(b)
}

// reset removes what an install made so the other tool starts clean.
func (p *wsProject) reset() {
	filepath.Walk(p.dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() && info.Name() == "node_modules" {
			os.RemoveAll(path)
			return filepath.SkipDir
		}
		return nil
	})
	os.Remove(filepath.Join(p.dir, "package-lock.json"))
}

// layout lists every node_modules entry under the project as
// "path dir name@version" or "path -> link text".
func (p *wsProject) layout() []string {
	var out []string
	filepath.Walk(p.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(p.dir, path)
		rel = filepath.ToSlash(rel)
		parent := filepath.Base(filepath.Dir(path))
		inNM := parent == "node_modules" || (strings.HasPrefix(parent, "@") && filepath.Base(filepath.Dir(filepath.Dir(path))) == "node_modules")
		if parent == ".bin" && info.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			out = append(out, rel+" -> "+filepath.ToSlash(target))
			return nil
		}
		if !inNM || (strings.HasPrefix(info.Name(), ".") && info.Name() != ".bin") || (info.IsDir() && strings.HasPrefix(info.Name(), "@")) {
			return nil
		}
		if info.Name() == ".bin" {
			return nil // its links are listed one by one
		}
		if info.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			out = append(out, rel+" -> "+filepath.ToSlash(target))
			return nil
		}
		if info.IsDir() {
			v := ""
			if b, err := os.ReadFile(filepath.Join(path, "package.json")); err == nil {
				if i := bytes.Index(b, []byte(`"version": "`)); i >= 0 {
					v = string(b[i+12:])
					v = v[:strings.IndexByte(v, '"')]
				}
			}
			out = append(out, rel+" dir "+v)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func publishWsFixtures(r *gnoderegistry.Registry) {
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.3.0"})
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "2.0.0"})
	r.Publish(gnoderegistry.Pkg{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0"}})
	r.Publish(gnoderegistry.Pkg{Name: "@team/tool", Version: "1.2.0", Bin: map[string]string{"team-tool": "bin/cli.js"},
		Files: map[string]string{"bin/cli.js": "#!/usr/bin/env node\nconsole.log('tool ok')\n"}})
}

// wsCases are monorepos npm 11 can install; gnode must lay out the same
// tree and write the same package-lock.json byte for byte.
var wsCases = []struct {
	name  string
	files map[string]string
}{
	{name: "globs, hoisting and a conflict", files: map[string]string{
		"package.json":            `{"name":"mono","version":"1.0.0","workspaces":["packages/*"],"dependencies":{"leaf":"^2.0.0"}}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0","license":"MIT","dependencies":{"mid":"^1.0.0","b":"^1.0.0"},"devDependencies":{"@team/tool":"^1.0.0"}}`,
		"packages/b/package.json": `{"name":"b","version":"1.2.0","dependencies":{"leaf":"^1.0.0"}}`,
		"packages/notapkg/README": "no package.json here: not a workspace",
	}},
	{name: "object form, scoped names and nested globs", files: map[string]string{
		"package.json":                    `{"name":"mono","version":"0.0.0","private":true,"workspaces":{"packages":["apps/*","libs/**"]},"devDependencies":{"@team/tool":"^1.0.0"}}`,
		"apps/web/package.json":           `{"name":"@mono/web","version":"0.1.0","dependencies":{"@mono/util":"*","leaf":"1.0.0"}}`,
		"libs/util/package.json":          `{"name":"@mono/util","version":"2.0.0","dependencies":{"leaf":"^1.3.0"},"bin":{"util":"cli.js"}}`,
		"libs/util/cli.js":                "#!/usr/bin/env node\n",
		"libs/group/deep/package.json":    `{"name":"deep","version":"3.0.0"}`,
		"libs/group/deep/other/README.md": "",
	}},
	{name: "registry tree placed before the workspaces' dependencies", files: map[string]string{
		"package.json":            `{"name":"mono","version":"1.0.0","workspaces":["packages/*"],"dependencies":{"mid":"^1.0.0","z":"^9.0.0"},"devDependencies":{"leaf":"^1.0.0"}}`,
		"packages/z/package.json": `{"name":"z","version":"1.0.0","dependencies":{"leaf":"2.0.0","@team/tool":"^1.0.0"},"devDependencies":{"mid":"^1.0.0"}}`,
		"packages/y/package.json": `{"name":"y","version":"0.1.0","dependencies":{"z":"^1.0.0"},"devDependencies":{"leaf":"^1.3.0"}}`,
	}},
	{name: "a workspace shadowing a registry package", files: map[string]string{
		"package.json":               `{"name":"mono","version":"1.0.0","workspaces":["packages/*"],"dependencies":{"leaf":"^2.0.0","mid":"^1.0.0"}}`,
		"packages/leaf/package.json": `{"name":"leaf","version":"0.5.0"}`,
		"packages/user/package.json": `{"name":"user","version":"1.0.0","dependencies":{"leaf":"^1.3.0"},"devDependencies":{"mid":"1.0.0"}}`,
	}},
	{name: "no root deps, a workspace without a version", files: map[string]string{
		"package.json":            `{"name":"mono","workspaces":["packages/a","packages/b"]}`,
		"packages/a/package.json": `{"name":"a","dependencies":{"leaf":"^1.0.0"}}`,
		"packages/b/package.json": `{"name":"b","version":"1.0.0","optionalDependencies":{"mid":"^1.0.0"},"peerDependencies":{"leaf":"*"}}`,
	}},
}

// TestWorkspacesInstallMatchesNpm installs each monorepo with gnode and
// with npm and compares package-lock.json byte for byte and the
// node_modules layouts; npm must accept gnode's tree (`npm ls --all`) and
// lockfile (`npm ci`), and `gnode ci` must accept npm's.
func TestWorkspacesInstallMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the workspaces differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the workspaces differential test")
	}
	r := gnoderegistry.Start(t)
	publishWsFixtures(r)
	for _, c := range wsCases {
		t.Run(c.name, func(t *testing.T) {
			p := newWsProject(t, r, c.files)
			out, code := p.npm("install", "--ignore-scripts")
			if code != 0 {
				t.Fatalf("npm install: %s", out)
			}
			npmLock, npmLayout := p.read("package-lock.json"), p.layout()
			npmHidden := p.read("node_modules/.package-lock.json")
			if keep := os.Getenv("GNODE_WS_KEEP"); keep != "" {
				os.WriteFile(filepath.Join(keep, strings.ReplaceAll(c.name, " ", "_")+".npm.json"), []byte(npmLock), 0o644)
			}
			// gnode ci accepts npm's lockfile and lays out npm's tree.
			p.reset()
			os.WriteFile(filepath.Join(p.dir, "package-lock.json"), []byte(npmLock), 0o644)
			if o, e, code := p.gnode("ci", "--ignore-scripts"); code != 0 {
				t.Errorf("gnode ci on npm's lockfile: exit %d\n%s%s", code, o, e)
			} else if got := p.layout(); strings.Join(got, "\n") != strings.Join(npmLayout, "\n") {
				t.Errorf("gnode ci on npm's lockfile laid out\n  %s\nnpm\n  %s", strings.Join(got, "\n  "), strings.Join(npmLayout, "\n  "))
			}
			p.reset()
			if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
				t.Fatalf("gnode install: exit %d\n%s\n%s", code, o, e)
			}
			ourLock, ourLayout := p.read("package-lock.json"), p.layout()
			if keep := os.Getenv("GNODE_WS_KEEP"); keep != "" {
				os.WriteFile(filepath.Join(keep, strings.ReplaceAll(c.name, " ", "_")+".gnode.json"), []byte(ourLock), 0o644)
			}
			if hidden := p.read("node_modules/.package-lock.json"); hidden != npmHidden {
				t.Errorf("node_modules/.package-lock.json differs:\n--- gnode\n%s\n--- npm\n%s", hidden, npmHidden)
			}
			if ourLock != npmLock {
				t.Errorf("package-lock.json differs:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
			}
			if strings.Join(ourLayout, "\n") != strings.Join(npmLayout, "\n") {
				t.Errorf("node_modules differs:\n--- gnode\n  %s\n--- npm\n  %s", strings.Join(ourLayout, "\n  "), strings.Join(npmLayout, "\n  "))
			}
			if out, code := p.npm("ls", "--all"); code != 0 {
				t.Errorf("npm ls --all on gnode's tree: exit %d\n%s", code, out)
			}
			// A second gnode install changes nothing; gnode ci lays out the same tree.
			if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 || p.read("package-lock.json") != ourLock {
				t.Errorf("second gnode install: exit %d, lockfile changed: %v\n%s%s", code, p.read("package-lock.json") != ourLock, o, e)
			}
			if o, e, code := p.gnode("ci", "--ignore-scripts"); code != 0 {
				t.Errorf("gnode ci on gnode's lockfile: exit %d\n%s%s", code, o, e)
			} else if got := p.layout(); strings.Join(got, "\n") != strings.Join(ourLayout, "\n") {
				t.Errorf("gnode ci laid out\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(ourLayout, "\n  "))
			}
			// npm ci accepts gnode's lockfile and lays out the same tree.
			p.reset()
			os.WriteFile(filepath.Join(p.dir, "package-lock.json"), []byte(ourLock), 0o644)
			if out, code := p.npm("ci", "--ignore-scripts"); code != 0 {
				t.Errorf("npm ci on gnode's lockfile: exit %d\n%s", code, out)
			} else if got := p.layout(); strings.Join(got, "\n") != strings.Join(ourLayout, "\n") {
				t.Errorf("npm ci laid out\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(ourLayout, "\n  "))
			}
		})
	}
}

// TestWorkspacesAddMatchesNpm adds and removes dependencies in selected
// workspaces (-w NAME, -w FOLDER, --workspaces, --include-workspace-root,
// and from inside a workspace folder) with gnode and with npm, starting
// from the same installed monorepo, and compares every package.json, the
// lockfile and node_modules.
func TestWorkspacesAddMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the workspaces differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the workspaces differential test")
	}
	r := gnoderegistry.Start(t)
	publishWsFixtures(r)
	files := map[string]string{
		"package.json":            "{\n  \"name\": \"mono\",\n  \"version\": \"1.0.0\",\n  \"workspaces\": [\n    \"packages/*\"\n  ],\n  \"dependencies\": {\n    \"leaf\": \"^2.0.0\"\n  }\n}\n",
		"packages/a/package.json": "{\n  \"name\": \"a\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"b\": \"^1.0.0\"\n  }\n}\n",
		"packages/b/package.json": "{\n  \"name\": \"b\",\n  \"version\": \"1.2.0\",\n  \"devDependencies\": {\n    \"mid\": \"^1.0.0\"\n  }\n}\n",
	}
	cases := []struct {
		name string
		dir  string
		args []string
	}{
		{"-w name", "", []string{"install", "leaf@1.0.0", "-w", "b"}},
		{"-w folder, dev", "", []string{"install", "--save-dev", "@team/tool", "--workspace", "packages/a"}},
		{"--workspaces", "", []string{"install", "mid", "--workspaces"}},
		{"--workspaces and the root", "", []string{"install", "@team/tool@^1.0.0", "--workspaces", "--include-workspace-root"}},
		{"inside a workspace folder", "packages/a", []string{"install", "leaf@^1.3.0"}},
		{"uninstall -w", "", []string{"uninstall", "mid", "-w", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newWsProject(t, r, files)
			sub := *p
			sub.dir = filepath.Join(p.dir, filepath.FromSlash(c.dir))
			if out, code := p.npm("install", "--ignore-scripts"); code != 0 {
				t.Fatalf("npm install: %s", out)
			}
			if out, code := sub.npm(append(c.args, "--ignore-scripts")...); code != 0 {
				t.Fatalf("npm %v: %s", c.args, out)
			}
			snap := func() map[string]string {
				m := map[string]string{"layout": strings.Join(p.layout(), "\n"), "package-lock.json": p.read("package-lock.json")}
				for f := range files {
					m[f] = p.read(f)
				}
				return m
			}
			theirs := snap()
			p.reset()
			for name, body := range files {
				os.WriteFile(filepath.Join(p.dir, filepath.FromSlash(name)), []byte(body), 0o644)
			}
			if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
				t.Fatalf("gnode install: %s%s", o, e)
			}
			if o, e, code := sub.gnode(append(c.args, "--ignore-scripts")...); code != 0 {
				t.Fatalf("gnode %v: exit %d\n%s%s", c.args, code, o, e)
			}
			ours := snap()
			for k, v := range theirs {
				if ours[k] != v {
					t.Errorf("%s differs:\n--- gnode\n%s\n--- npm\n%s", k, ours[k], v)
				}
			}
			if out, code := p.npm("ls", "--all"); code != 0 {
				t.Errorf("npm ls --all on gnode's tree: exit %d\n%s", code, out)
			}
		})
	}
}

// TestWorkspacesStaleLockfile: when a workspace's package.json no longer
// matches package-lock.json, gnode ci refuses (as npm ci does) and gnode
// install resolves again, adding the new dependency.
func TestWorkspacesStaleLockfile(t *testing.T) {
	r := gnoderegistry.Start(t)
	publishWsFixtures(r)
	p := newWsProject(t, r, map[string]string{
		"package.json":            `{"name":"mono","version":"1.0.0","workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0","dependencies":{"leaf":"^1.0.0"}}`,
	})
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("gnode install: %s%s", o, e)
	}
	os.WriteFile(filepath.Join(p.dir, "packages/a/package.json"), []byte(`{"name":"a","version":"1.0.0","dependencies":{"leaf":"^1.0.0","mid":"^1.0.0"}}`), 0o644)
	if _, e, code := p.gnode("ci", "--ignore-scripts"); code == 0 || !strings.Contains(e, "workspace a") {
		t.Errorf("gnode ci with a stale workspace entry: exit %d, stderr %q", code, e)
	}
	if _, err := exec.LookPath("npm"); err == nil {
		if out, code := p.npm("ci", "--ignore-scripts"); code == 0 {
			t.Errorf("npm ci accepted the stale lockfile, so gnode should too:\n%s", out)
		}
	}
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("gnode install after the edit: %s%s", o, e)
	}
	if !strings.Contains(p.read("package-lock.json"), `"node_modules/mid"`) {
		t.Errorf("the lockfile lacks the new dependency:\n%s", p.read("package-lock.json"))
	}
	// Nothing changed: the next install is a no-op.
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 || !strings.HasPrefix(o, "up to date") {
		t.Errorf("install with nothing to do: exit %d, stdout %q stderr %q", code, o, e)
	}
	// A new workspace folder is picked up too.
	os.MkdirAll(filepath.Join(p.dir, "packages/b"), 0o755)
	os.WriteFile(filepath.Join(p.dir, "packages/b/package.json"), []byte(`{"name":"b","version":"0.1.0"}`), 0o644)
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("gnode install after adding a workspace: %s%s", o, e)
	}
	if target, err := os.Readlink(filepath.Join(p.dir, "node_modules/b")); err != nil || target != "../packages/b" {
		t.Errorf("node_modules/b -> %q (%v), want ../packages/b", target, err)
	}
	// A workspace folder removed: ci refuses the lockfile, install drops the link.
	os.RemoveAll(filepath.Join(p.dir, "packages/b"))
	if _, e, code := p.gnode("ci", "--ignore-scripts"); code == 0 || !strings.Contains(e, "no longer a workspace") {
		t.Errorf("gnode ci with a removed workspace: exit %d, stderr %q", code, e)
	}
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 || strings.Contains(p.read("package-lock.json"), `"packages/b"`) {
		t.Errorf("install after removing a workspace: exit %d %s%s\n%s", code, o, e, p.read("package-lock.json"))
	}
	if _, err := os.Lstat(filepath.Join(p.dir, "node_modules/b")); err == nil {
		t.Errorf("node_modules/b is still there")
	}
}

// TestWorkspaceScriptsMatchNpm: installing links a workspace and runs its
// preinstall, prepare, install and postinstall scripts, in npm's order;
// --ignore-scripts runs none, and an install that changes nothing does not
// run them again.
func TestWorkspaceScriptsMatchNpm(t *testing.T) {
	r := gnoderegistry.Start(t)
	publishWsFixtures(r)
	files := map[string]string{
		"package.json": `{"name":"mono","version":"1.0.0","workspaces":["packages/*"],"scripts":{"postinstall":"echo root >> ../order.txt"}}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0","dependencies":{"leaf":"^1.0.0"},"scripts":{` +
			`"preinstall":"echo pre-$npm_package_name >> ../../../order.txt","prepare":"echo prepare >> ../../../order.txt",` +
			`"install":"echo install >> ../../../order.txt","postinstall":"echo post >> ../../../order.txt"}}`,
	}
	run := func(p *wsProject, tool string, args ...string) string {
		os.Remove(filepath.Join(filepath.Dir(p.dir), "order.txt"))
		if tool == "npm" {
			if out, code := p.npm(args...); code != 0 {
				t.Fatalf("npm %v: %s", args, out)
			}
		} else if o, e, code := p.gnode(args...); code != 0 {
			t.Fatalf("gnode %v: %s%s", args, o, e)
		}
		b, _ := os.ReadFile(filepath.Join(filepath.Dir(p.dir), "order.txt"))
		return string(b)
	}
	p := newWsProject(t, r, files)
	got := run(p, "gnode", "install")
	if want := "pre-a\nprepare\ninstall\npost\nroot\n"; got != want {
		t.Errorf("gnode install ran %q, want %q", got, want)
	}
	if again := run(p, "gnode", "install"); again != "root\n" {
		t.Errorf("a no-op install ran %q, want only the root's script", again)
	}
	p.reset()
	if none := run(p, "gnode", "install", "--ignore-scripts"); none != "" {
		t.Errorf("--ignore-scripts ran %q", none)
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: no differential check")
	}
	p.reset()
	if theirs := run(p, "npm", "install"); theirs != got {
		t.Errorf("npm install ran %q, gnode %q", theirs, got)
	}
}

// TestWorkspacesFilteredInstallMatchesNpm: on a fresh monorepo, `install
// -w NAME` (and --workspaces, --include-workspace-root, or an install run
// inside a workspace folder) lays out only the selected workspaces'
// dependencies while writing the whole lockfile, as npm does; a later
// plain install completes node_modules.
func TestWorkspacesFilteredInstallMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the workspaces differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the workspaces differential test")
	}
	r := gnoderegistry.Start(t)
	publishWsFixtures(r)
	cases := []struct {
		name string
		dir  string
		args []string
	}{
		{"-w b", "", []string{"install", "-w", "b"}},
		{"-w a (needs b)", "", []string{"install", "-w", "a"}},
		{"--workspaces", "", []string{"install", "--workspaces"}},
		{"--workspaces and the root", "", []string{"install", "--workspaces", "--include-workspace-root"}},
		{"inside packages/b", "packages/b", []string{"install"}},
		{"ci -w b", "", []string{"ci", "-w", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newWsProject(t, r, wsCases[0].files)
			sub := *p
			sub.dir = filepath.Join(p.dir, filepath.FromSlash(c.dir))
			if c.args[0] == "ci" {
				if out, code := p.npm("install", "--ignore-scripts"); code != 0 {
					t.Fatalf("npm install: %s", out)
				}
				full := p.read("package-lock.json")
				p.reset()
				os.WriteFile(filepath.Join(p.dir, "package-lock.json"), []byte(full), 0o644)
			}
			lock := p.read("package-lock.json")
			if out, code := sub.npm(append(c.args, "--ignore-scripts")...); code != 0 {
				t.Fatalf("npm %v: %s", c.args, out)
			}
			npmLayout, npmLock := p.layout(), p.read("package-lock.json")
			p.reset()
			if lock != "" {
				os.WriteFile(filepath.Join(p.dir, "package-lock.json"), []byte(lock), 0o644)
			}
			if o, e, code := sub.gnode(append(c.args, "--ignore-scripts")...); code != 0 {
				t.Fatalf("gnode %v: exit %d\n%s%s", c.args, code, o, e)
			}
			if got := p.layout(); strings.Join(got, "\n") != strings.Join(npmLayout, "\n") {
				t.Errorf("node_modules differs:\n--- gnode\n  %s\n--- npm\n  %s", strings.Join(got, "\n  "), strings.Join(npmLayout, "\n  "))
			}
			if got := p.read("package-lock.json"); got != npmLock {
				t.Errorf("package-lock.json differs:\n--- gnode\n%s\n--- npm\n%s", got, npmLock)
			}
			// A plain install afterwards lays out the rest (npm ls finds
			// nothing missing).
			if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
				t.Errorf("full install after a filtered one: exit %d %q %q", code, o, e)
			}
			if out, code := p.npm("ls", "--all"); code != 0 {
				t.Errorf("npm ls --all after the full install: %s", out)
			}
		})
	}
}
