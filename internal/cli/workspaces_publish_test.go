package cli

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// TestWorkspacesPublish publishes selected workspaces of a monorepo to
// gnode's registry: -w by name and by folder, --workspaces, and
// workspace: specs rewritten to the versions they name (pnpm's rule). The
// published documents are read back from the registry; the dry-run output
// is compared with npm's.
func TestWorkspacesPublish(t *testing.T) {
	r := gnoderegistry.Start(t)
	r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: "1.0.0"})
	files := map[string]string{
		"package.json":            `{"name":"mono","version":"0.0.0","private":true,"workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"@mono/a","version":"1.0.0","dependencies":{"@mono/b":"workspace:^","leaf":"^1.0.0","c":"workspace:*"},"devDependencies":{"bee":"workspace:@mono/b@~"}}`,
		"packages/a/index.js":     "module.exports = 'a'\n",
		"packages/b/package.json": `{"name":"@mono/b","version":"1.2.0"}`,
		"packages/b/index.js":     "module.exports = 'b'\n",
		"packages/c/package.json": `{"name":"c","version":"3.0.0","dependencies":{"@mono/b":"workspace:1.2.0"}}`,
	}
	p := newWsProject(t, r, files)
	// The workspace: specs resolve locally at install time.
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("gnode install: exit %d\n%s%s", code, o, e)
	}
	layout := strings.Join(p.layout(), "\n")
	for _, want := range []string{"node_modules/@mono/b -> ../../packages/b", "node_modules/bee -> ../packages/b", "node_modules/c -> ../packages/c"} {
		if !strings.Contains(layout, want) {
			t.Errorf("missing %q in the layout:\n%s", want, layout)
		}
	}
	lock := p.read("package-lock.json")
	// The lockfile is reused as it is, and gnode ci lays out the same tree.
	if o, e, code := p.gnode("install", "--ignore-scripts"); code != 0 || !strings.HasPrefix(o, "up to date") || p.read("package-lock.json") != lock {
		t.Errorf("second install: exit %d %q %q", code, o, e)
	}
	if o, e, code := p.gnode("ci", "--ignore-scripts"); code != 0 || strings.Join(p.layout(), "\n") != layout {
		t.Errorf("gnode ci: exit %d %s%s\n%s", code, o, e, strings.Join(p.layout(), "\n"))
	}
	if o, e, code := p.gnode("publish", "-w", "@mono/a", "--workspace", "packages/b", "--access", "public"); code != 0 {
		t.Fatalf("gnode publish -w: exit %d\n%s%s", code, o, e)
	} else if o != "+ @mono/a@1.0.0\n+ @mono/b@1.2.0\n" {
		t.Errorf("publish stdout %q", o)
	}
	if o, e, code := p.gnode("publish", "--workspaces"); code != 0 || o != "+ c@3.0.0\n" {
		// a and b are already published: the registry refuses them again.
		if !strings.Contains(o, "+ c@3.0.0") {
			t.Errorf("publish --workspaces: exit %d\n%s%s", code, o, e)
		}
	}
	doc := func(name string) map[string]any {
		st, b := r.Do("GET", strings.Replace(name, "/", "%2f", 1), "", nil)
		if st != 200 {
			t.Fatalf("GET %s: %d %s", name, st, b)
		}
		var d map[string]any
		json.Unmarshal(b, &d)
		return d
	}
	ver := func(name, v string) map[string]any {
		vs, _ := doc(name)["versions"].(map[string]any)
		m, _ := vs[v].(map[string]any)
		if m == nil {
			t.Fatalf("%s@%s is not in the registry", name, v)
		}
		return m
	}
	a := ver("@mono/a", "1.0.0")
	deps, _ := json.Marshal(a["dependencies"])
	dev, _ := json.Marshal(a["devDependencies"])
	if string(deps) != `{"@mono/b":"^1.2.0","c":"3.0.0","leaf":"^1.0.0"}` || string(dev) != `{"bee":"npm:@mono/b@~1.2.0"}` {
		t.Errorf("published @mono/a has dependencies %s devDependencies %s", deps, dev)
	}
	c := ver("c", "3.0.0")
	if deps, _ := json.Marshal(c["dependencies"]); string(deps) != `{"@mono/b":"1.2.0"}` {
		t.Errorf("published c has dependencies %s", deps)
	}
	ver("@mono/b", "1.2.0")

	// A workspace: spec naming no workspace is refused.
	q := newWsProject(t, r, map[string]string{
		"package.json":            `{"name":"mono","private":true,"workspaces":["packages/*"]}`,
		"packages/x/package.json": `{"name":"x","version":"1.0.0","dependencies":{"nope":"workspace:*"}}`,
	})
	if _, e, code := q.gnode("install"); code == 0 || !strings.Contains(e, "nope") {
		t.Errorf("install with workspace:* on a missing workspace: exit %d, stderr %q", code, e)
	}
	if _, e, code := q.gnode("publish", "-w", "x", "--dry-run"); code == 0 || !strings.Contains(e, "nope") {
		t.Errorf("publish with workspace:* on a missing workspace: exit %d, stderr %q", code, e)
	}
}

// TestWorkspacesPublishDryRunMatchesNpm compares `publish --workspaces
// --dry-run` stdout with npm's on a monorepo npm can publish.
func TestWorkspacesPublishDryRunMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the differential publish check")
	}
	r := gnoderegistry.Start(t)
	p := newWsProject(t, r, map[string]string{
		"package.json":            `{"name":"mono","version":"1.0.0","workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"a-pkg","version":"1.0.0"}`,
		"packages/b/package.json": `{"name":"b-pkg","version":"2.0.0"}`,
	})
	for _, args := range [][]string{
		{"publish", "--workspaces", "--dry-run"},
		{"publish", "-w", "b-pkg", "--dry-run"},
		{"publish", "-w", "packages/a", "--dry-run"},
	} {
		npmOut, ncode := p.npm(args...)
		// npm prints its notices on stderr and "+ name@version" lines on stdout.
		var plus []string
		for _, l := range strings.Split(npmOut, "\n") {
			if strings.HasPrefix(l, "+ ") {
				plus = append(plus, l)
			}
		}
		o, e, code := p.gnode(args...)
		if (code == 0) != (ncode == 0) || strings.TrimSpace(o) != strings.Join(plus, "\n") {
			t.Errorf("%v: gnode exit %d stdout %q (stderr %q); npm exit %d, + lines %q", args, code, o, e, ncode, plus)
		}
	}
}
