package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/testutil/gnoderegistry"
)

// updateFixture publishes the first versions, locks a project to them with
// the real npm, then publishes newer ones. It returns the locked project
// folder (package.json, package-lock.json, .npmrc; no node_modules).
func updateFixture(t *testing.T) (r *gnoderegistry.Registry, base string) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: differential update test skipped")
	}
	r = gnoderegistry.Start(t)
	for _, p := range []gnoderegistry.Pkg{
		{Name: "leaf", Version: "1.0.0"},
		{Name: "leaf", Version: "2.0.0"},
		{Name: "shared", Version: "1.0.0"},
		{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0", "shared": "^1.0.0"}},
		{Name: "@team/tool", Version: "1.0.0", Deps: map[string]string{"shared": "~1.0.0"}},
		{Name: "pinned", Version: "1.0.0"},
		{Name: "devonly", Version: "1.0.0", Deps: map[string]string{"mid": "^1.0.0"}},
	} {
		r.Publish(p)
	}
	base = t.TempDir()
	writeFiles(t, base, map[string]string{"package.json": `{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "@team/tool": "^1.0.0",
    "leaf": "^2.0.0",
    "mid": "^1.0.0",
    "pinned": "1.0.0"
  },
  "devDependencies": {
    "devonly": "~1.0.0"
  }
}
`})
	r.WriteNpmrc(base)
	npm(t, base, t.TempDir(), "install")
	os.RemoveAll(filepath.Join(base, "node_modules"))
	for _, p := range []gnoderegistry.Pkg{
		{Name: "leaf", Version: "1.1.0"},
		{Name: "leaf", Version: "2.3.0"},
		{Name: "leaf", Version: "3.0.0"},
		{Name: "shared", Version: "1.0.5"},
		{Name: "shared", Version: "1.4.0"},
		{Name: "newdep", Version: "1.2.0"},
		{Name: "mid", Version: "1.1.0", Deps: map[string]string{"leaf": "^1.1.0", "shared": "^1.2.0", "newdep": "^1.0.0"}},
		{Name: "@team/tool", Version: "1.0.1", Deps: map[string]string{"shared": "~1.0.0"}},
		{Name: "pinned", Version: "1.0.1"},
		{Name: "devonly", Version: "1.0.3", Deps: map[string]string{"mid": "^1.0.0"}},
		{Name: "devonly", Version: "1.1.0", Deps: map[string]string{"mid": "^1.0.0"}},
	} {
		r.Publish(p)
	}
	return r, base
}

// npm runs the real npm in dir with its own cache folder.
func npm(t *testing.T, dir, cache string, args ...string) string {
	t.Helper()
	cmd := exec.Command("npm", append(args, "--no-audit", "--no-fund", "--loglevel=error")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+cache, "npm_config_cache="+filepath.Join(cache, "npm-cache"), "npm_config_update_notifier=false")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("npm %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

// copyProject copies the locked project's files into a new folder.
func copyProject(t *testing.T, base string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"package.json", "package-lock.json", ".npmrc"} {
		b, err := os.ReadFile(filepath.Join(base, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// installedVersions maps each package folder under node_modules (followed
// through symlinks for the isolated layout) to its version.
func installedVersions(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(nm, rel string, depth int)
	walk = func(nm, rel string, depth int) {
		ents, _ := os.ReadDir(nm)
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if strings.HasPrefix(name, "@") {
				subs, _ := os.ReadDir(filepath.Join(nm, name))
				for _, s := range subs {
					visitPkg(t, filepath.Join(nm, name, s.Name()), rel+name+"/"+s.Name(), out, walk, depth)
				}
				continue
			}
			visitPkg(t, filepath.Join(nm, name), rel+name, out, walk, depth)
		}
	}
	walk(filepath.Join(dir, "node_modules"), "", 0)
	return out
}

func visitPkg(t *testing.T, p, rel string, out map[string]string, walk func(string, string, int), depth int) {
	var pj struct{ Version string }
	b, err := os.ReadFile(filepath.Join(p, "package.json"))
	if err != nil {
		return
	}
	json.Unmarshal(b, &pj)
	out[rel] = pj.Version
	if depth < 8 {
		walk(filepath.Join(p, "node_modules"), rel+"/node_modules/", depth+1)
	}
}

type updateCounts struct {
	Added, Removed, Changed int
}

// TestUpdateMatchesNpm: on copies of one project locked to old versions,
// `npm update [name]` and `gnode update [name]` write byte-identical
// package-lock.json files, leave package.json alone, install the same
// versions and report the same added/removed/changed counts.
func TestUpdateMatchesNpm(t *testing.T) {
	_, base := updateFixture(t)
	origPkg, _ := os.ReadFile(filepath.Join(base, "package.json"))
	origLock, _ := os.ReadFile(filepath.Join(base, "package-lock.json"))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"all", nil},
		{"one-leaf", []string{"leaf"}},
		{"one-with-new-deps", []string{"mid"}},
		{"two", []string{"shared", "@team/tool"}},
		{"pinned-stays", []string{"pinned"}},
		{"not-installed", []string{"nothere"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nd, gd := copyProject(t, base), copyProject(t, base)
			// Both start from node_modules laid out from the old lockfile.
			npm(t, nd, t.TempDir(), "ci")
			e := newPmeEnv(t, "")
			e.must(gd, "", "ci")

			npmOut := npm(t, nd, t.TempDir(), append([]string{"update", "--json"}, tc.args...)...)
			gout := e.must(gd, "", append([]string{"update", "--json", "--prefer-online"}, tc.args...)...)

			nl, _ := os.ReadFile(filepath.Join(nd, "package-lock.json"))
			gl, _ := os.ReadFile(filepath.Join(gd, "package-lock.json"))
			if string(nl) != string(gl) {
				t.Errorf("package-lock.json differs\nnpm:\n%s\ngnode:\n%s", nl, gl)
			}
			if tc.name == "all" && string(gl) == string(origLock) {
				t.Errorf("update changed nothing in package-lock.json")
			}
			for _, d := range []string{nd, gd} {
				if b, _ := os.ReadFile(filepath.Join(d, "package.json")); string(b) != string(origPkg) {
					t.Errorf("%s: package.json changed without --save:\n%s", d, b)
				}
			}
			nv, gv := installedVersions(t, nd), installedVersions(t, gd)
			if !sameMap(nv, gv) {
				t.Errorf("installed versions differ\nnpm:   %v\ngnode: %v", nv, gv)
			}
			var nc, gc updateCounts
			if err := json.Unmarshal([]byte(jsonTail(npmOut)), &nc); err != nil {
				t.Fatalf("npm --json output: %v\n%s", err, npmOut)
			}
			if err := json.Unmarshal([]byte(gout), &gc); err != nil {
				t.Fatalf("gnode --json output: %v\n%s", err, gout)
			}
			if nc != gc {
				t.Errorf("counts: npm %+v, gnode %+v", nc, gc)
			}
			// The update left a state a plain install accepts as is.
			if out := e.must(gd, "", "install"); !strings.Contains(out, "up to date") {
				t.Errorf("install after update is not a no-op: %q", out)
			}
			if l, _ := os.ReadFile(filepath.Join(gd, "package-lock.json")); string(l) != string(gl) {
				t.Errorf("install after update rewrote package-lock.json")
			}
		})
	}
}

// jsonTail is the last top-level JSON object npm printed (lifecycle output
// may come before it).
func jsonTail(s string) string {
	if i := strings.LastIndex(s, "\n{"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestUpdateSaveMatchesNpm: with --save, both raise package.json's ranges
// the same way (exact pins and ranges ^version would widen stay) and write
// the same lockfile.
func TestUpdateSaveMatchesNpm(t *testing.T) {
	_, base := updateFixture(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"all", nil},
		{"one", []string{"leaf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nd, gd := copyProject(t, base), copyProject(t, base)
			npm(t, nd, t.TempDir(), append([]string{"update", "--save"}, tc.args...)...)
			e := newPmeEnv(t, "")
			out := e.must(gd, "", append([]string{"update", "--save"}, tc.args...)...)
			if !strings.Contains(out, "added") {
				t.Errorf("no npm-like summary line: %q", out)
			}
			for _, f := range []string{"package.json", "package-lock.json"} {
				nb, _ := os.ReadFile(filepath.Join(nd, f))
				gb, _ := os.ReadFile(filepath.Join(gd, f))
				if string(nb) != string(gb) {
					t.Errorf("%s differs\nnpm:\n%s\ngnode:\n%s", f, nb, gb)
				}
			}
			// ^2.3.0 allows nothing ^2.0.0 does not, so it is saved;
			// ^1.0.3 would widen ~1.0.0, so that range stays, as does the
			// exact pin.
			b, _ := os.ReadFile(filepath.Join(gd, "package.json"))
			for _, want := range []string{`"leaf": "^2.3.0"`, `"devonly": "~1.0.0"`, `"pinned": "1.0.0"`} {
				if !strings.Contains(string(b), want) {
					t.Errorf("package.json lacks %s:\n%s", want, b)
				}
			}
		})
	}
}

// TestUpdateIsolatedLinker: the isolated layout updates through the same
// resolution, so its package-lock.json is npm's byte for byte and the
// project's direct dependencies link to the new versions.
func TestUpdateIsolatedLinker(t *testing.T) {
	_, base := updateFixture(t)
	nd, gd := copyProject(t, base), copyProject(t, base)
	npm(t, nd, t.TempDir(), "update")
	e := newPmeEnv(t, "")
	e.must(gd, "", "install", "--linker", "isolated")
	if b, _ := os.ReadFile(filepath.Join(gd, "node_modules/mid/package.json")); !strings.Contains(string(b), `"1.0.0"`) {
		t.Fatalf("isolated install did not keep the locked mid@1.0.0: %s", b)
	}
	out := e.must(gd, "", "up", "--linker", "isolated")
	if !strings.Contains(out, "changed") {
		t.Errorf("summary does not say what changed: %q", out)
	}
	nl, _ := os.ReadFile(filepath.Join(nd, "package-lock.json"))
	gl, _ := os.ReadFile(filepath.Join(gd, "package-lock.json"))
	if string(nl) != string(gl) {
		t.Errorf("package-lock.json differs\nnpm:\n%s\ngnode:\n%s", nl, gl)
	}
	for name, want := range map[string]string{"mid": "1.1.0", "leaf": "2.3.0", "@team/tool": "1.0.1", "pinned": "1.0.0"} {
		b, _ := os.ReadFile(filepath.Join(gd, "node_modules", name, "package.json"))
		if !strings.Contains(string(b), `"version": "`+want+`"`) {
			t.Errorf("node_modules/%s is not %s: %s", name, want, b)
		}
		if real, err := filepath.EvalSymlinks(filepath.Join(gd, "node_modules", name)); err != nil || !strings.Contains(real, "@"+want) {
			t.Errorf("node_modules/%s links to %s (%v), want a %s folder", name, real, err, want)
		}
	}
	// mid@1.1.0 sees its own newdep, which the project did not declare.
	if _, err := os.Stat(filepath.Join(gd, "node_modules/newdep")); err == nil {
		t.Errorf("newdep is reachable from the project (phantom dependency)")
	}
	if _, err := os.Stat(filepath.Join(gd, "node_modules/mid/node_modules/newdep/package.json")); err == nil {
		t.Logf("note: newdep nested under mid's folder")
	}
}

// TestUpdateRespectsReleaseAge: a version younger than the cooling-off
// period is not updated to; the newest mature version in range is, and the
// passed-over version is reported. Naming the young version with
// --allow-young takes it.
func TestUpdateRespectsReleaseAge(t *testing.T) {
	r, base := updateFixture(t)
	r.PublishAt(gnoderegistry.Pkg{Name: "leaf", Version: "2.9.0"}, time.Now().Add(-time.Hour))
	gd := copyProject(t, base)
	e := newPmeEnv(t, "")
	out := e.must(gd, "", "update", "leaf")
	lock, _ := os.ReadFile(filepath.Join(gd, "package-lock.json"))
	var lf struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	json.Unmarshal(lock, &lf)
	if v := lf.Packages["node_modules/leaf"].Version; v != "2.3.0" {
		t.Errorf("leaf updated to %s, want the newest mature 2.3.0", v)
	}
	if !strings.Contains(out, "leaf@2.9.0") {
		t.Errorf("the passed-over young version is not reported: %q", out)
	}
	e.must(gd, "", "update", "leaf", "--allow-young=leaf@2.9.0")
	lock, _ = os.ReadFile(filepath.Join(gd, "package-lock.json"))
	json.Unmarshal(lock, &lf)
	if v := lf.Packages["node_modules/leaf"].Version; v != "2.9.0" {
		t.Errorf("with --allow-young leaf is %s, want 2.9.0", v)
	}
}

// TestUpdateLayoutsListAlike: after the same update, the hoisted and the
// isolated layouts print the same `gnode ls --all`, `ls --all --json`,
// `why` and `outdated --json` (paths aside), through the CLI.
func TestUpdateLayoutsListAlike(t *testing.T) {
	_, base := updateFixture(t)
	hd, id := copyProject(t, base), copyProject(t, base)
	e := newPmeEnv(t, "")
	e.must(hd, "", "update", "mid", "leaf")
	e.must(id, "", "update", "mid", "leaf", "--linker", "isolated")
	for _, args := range [][]string{
		{"ls", "--all"}, {"ls", "--all", "--json"}, {"ls"}, {"ls", "--all", "--long", "--json"},
		{"why", "leaf"}, {"why", "shared"}, {"explain", "newdep"}, {"outdated", "--json", "--all"},
	} {
		hc, hout, herr := e.run(hd, "", args...)
		ic, iout, ierr := e.run(id, "", args...)
		// The root's folder name shows as outdated's "dependent".
		hout = strings.ReplaceAll(strings.ReplaceAll(hout, hd, "<dir>"), `"`+filepath.Base(hd)+`"`, `"<dir>"`)
		iout = strings.ReplaceAll(strings.ReplaceAll(iout, id, "<dir>"), `"`+filepath.Base(id)+`"`, `"<dir>"`)
		if hc != ic || hout != iout {
			t.Errorf("gnode %s: hoisted exit %d, isolated exit %d\nhoisted:\n%s%s\nisolated:\n%s%s", strings.Join(args, " "), hc, ic, hout, herr, iout, ierr)
		}
		if len(args) == 2 && args[0] == "ls" && args[1] == "--all" && !strings.Contains(iout, "newdep@1.2.0") {
			t.Errorf("isolated ls --all lacks mid's new dependency:\n%s", iout)
		}
	}
}

// TestUpdateWorkspacesMatchesNpm: a workspace project (a workspace with a
// conflicting range nested under its folder) updates like npm's, for all
// packages and for one name, and with --save the workspace's package.json
// is raised as npm raises it.
func TestUpdateWorkspacesMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: differential update test skipped")
	}
	r := gnoderegistry.Start(t)
	for _, p := range []gnoderegistry.Pkg{
		{Name: "leaf", Version: "1.0.0"},
		{Name: "leaf", Version: "2.0.0"},
		{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0"}},
	} {
		r.Publish(p)
	}
	base := t.TempDir()
	writeFiles(t, base, map[string]string{
		"package.json":            "{\n  \"name\": \"mono\",\n  \"version\": \"1.0.0\",\n  \"workspaces\": [\n    \"packages/*\"\n  ],\n  \"dependencies\": {\n    \"leaf\": \"^2.0.0\"\n  }\n}\n",
		"packages/a/package.json": "{\n  \"name\": \"wa\",\n  \"version\": \"0.1.0\",\n  \"dependencies\": {\n    \"leaf\": \"^1.0.0\",\n    \"mid\": \"^1.0.0\"\n  }\n}\n",
		"packages/b/package.json": "{\n  \"name\": \"wb\",\n  \"version\": \"0.2.0\",\n  \"dependencies\": {\n    \"wa\": \"^0.1.0\",\n    \"mid\": \"^1.0.0\"\n  }\n}\n",
	})
	r.WriteNpmrc(base)
	npm(t, base, t.TempDir(), "install")
	os.RemoveAll(filepath.Join(base, "node_modules"))
	for _, p := range []gnoderegistry.Pkg{
		{Name: "leaf", Version: "1.5.0"},
		{Name: "leaf", Version: "2.2.0"},
		{Name: "mid", Version: "1.3.0", Deps: map[string]string{"leaf": "^1.0.0"}},
	} {
		r.Publish(p)
	}
	copyWs := func() string {
		d := copyProject(t, base)
		for _, f := range []string{"packages/a/package.json", "packages/b/package.json"} {
			b, _ := os.ReadFile(filepath.Join(base, f))
			writeFiles(t, d, map[string]string{f: string(b)})
		}
		return d
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"all", nil},
		{"one", []string{"leaf"}},
		{"save", []string{"--save"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nd, gd := copyWs(), copyWs()
			npm(t, nd, t.TempDir(), append([]string{"update"}, tc.args...)...)
			e := newPmeEnv(t, "")
			e.must(gd, "", append([]string{"update"}, tc.args...)...)
			for _, f := range []string{"package-lock.json", "package.json", "packages/a/package.json", "packages/b/package.json"} {
				nb, _ := os.ReadFile(filepath.Join(nd, f))
				gb, _ := os.ReadFile(filepath.Join(gd, f))
				if string(nb) != string(gb) {
					t.Errorf("%s differs\nnpm:\n%s\ngnode:\n%s", f, nb, gb)
				}
			}
			if nv, gv := installedVersions(t, nd), installedVersions(t, gd); !sameMap(nv, gv) {
				t.Errorf("installed versions differ\nnpm:   %v\ngnode: %v", nv, gv)
			}
		})
	}
}

// TestUpdateDryRunMatchesNpm: --dry-run prints npm's add/change/remove
// lines and closing counts, and changes nothing.
func TestUpdateDryRunMatchesNpm(t *testing.T) {
	_, base := updateFixture(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"all", nil},
		{"one", []string{"mid"}},
		{"nothing", []string{"pinned"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nd, gd := copyProject(t, base), copyProject(t, base)
			npm(t, nd, t.TempDir(), "ci")
			e := newPmeEnv(t, "")
			e.must(gd, "", "ci")
			lockBefore, _ := os.ReadFile(filepath.Join(gd, "package-lock.json"))
			verBefore := installedVersions(t, gd)
			nout := npm(t, nd, t.TempDir(), append([]string{"update", "--dry-run"}, tc.args...)...)
			gout := e.must(gd, "", append([]string{"update", "--dry-run"}, tc.args...)...)
			trim := func(s string) string {
				var keep []string
				for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
					if l = strings.TrimSpace(l); l == "" {
						continue
					}
					if i := strings.LastIndex(l, " in "); i > 0 && !strings.HasPrefix(l, "change ") && !strings.HasPrefix(l, "add ") && !strings.HasPrefix(l, "remove ") {
						l = l[:i] // the time differs
					}
					keep = append(keep, l)
				}
				return strings.Join(keep, "\n")
			}
			if trim(nout) != trim(gout) {
				t.Errorf("dry-run output differs\nnpm:\n%s\ngnode:\n%s", nout, gout)
			}
			if l, _ := os.ReadFile(filepath.Join(gd, "package-lock.json")); string(l) != string(lockBefore) {
				t.Errorf("--dry-run rewrote package-lock.json")
			}
			if v := installedVersions(t, gd); !sameMap(v, verBefore) {
				t.Errorf("--dry-run changed node_modules: %v", v)
			}
			nj := npm(t, nd, t.TempDir(), append([]string{"update", "--dry-run", "--json"}, tc.args...)...)
			gj := e.must(gd, "", append([]string{"update", "--dry-run", "--json"}, tc.args...)...)
			var nv, gv struct {
				Add, Remove    []map[string]string
				Change         []map[string]map[string]string
				Added, Changed int
				Removed        int
			}
			if err := json.Unmarshal([]byte(jsonTail(nj)), &nv); err != nil {
				t.Fatalf("npm json: %v\n%s", err, nj)
			}
			if err := json.Unmarshal([]byte(gj), &gv); err != nil {
				t.Fatalf("gnode json: %v\n%s", err, gj)
			}
			nb, _ := json.Marshal(nv)
			gb, _ := json.Marshal(gv)
			if strings.ReplaceAll(string(nb), nd, "<dir>") != strings.ReplaceAll(string(gb), gd, "<dir>") {
				t.Errorf("--dry-run --json differs\nnpm:   %s\ngnode: %s", nb, gb)
			}
		})
	}
}
