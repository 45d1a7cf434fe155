package manifest

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// workspaceTree is a project layout with folders globs may or may not match.
var workspaceTree = map[string]string{
	"packages/a/package.json":                `{"name":"a"}`,
	"packages/b/package.json":                `{"name":"@s/b"}`,
	"packages/noname/package.json":           `{"version":"1.0.0"}`,
	"packages/empty/README":                  "",
	"packages/.hidden/package.json":          `{"name":"hidden"}`,
	"packages/a/node_modules/x/package.json": `{"name":"x"}`,
	"apps/web/package.json":                  `{"name":"web"}`,
	"apps/api/package.json":                  `{"name":"api"}`,
	"libs/one/two/package.json":              `{"name":"two"}`,
	"libs/one/package.json":                  `{"name":"one"}`,
	"libs/@scope/lib/package.json":           `{}`,
	"tools/Zed/package.json":                 `{"name":"zed"}`,
	"tools/alpha/package.json":               `{"name":"alpha"}`,
}

var workspaceCases = []struct {
	name string
	ws   string // the "workspaces" field
	want []string
}{
	{"star", `["packages/*"]`, []string{"a packages/a", "@s/b packages/b", "noname packages/noname"}},
	{"object form", `{"packages":["apps/*"]}`, []string{"api apps/api", "web apps/web"}},
	{"pattern order", `["apps/web","packages/a","apps/*"]`, []string{"web apps/web", "a packages/a", "api apps/api"}},
	{"globstar", `["libs/**"]`, []string{"@scope/lib libs/@scope/lib", "one libs/one", "two libs/one/two"}},
	{"negation", `["packages/*","!packages/b"]`, []string{"a packages/a", "noname packages/noname"}},
	{"re-included", `["packages/*","!packages/a","packages/a"]`, []string{"a packages/a", "@s/b packages/b", "noname packages/noname"}},
	{"leading ./ and trailing /", `["./apps/api/","/tools/*"]`, []string{"api apps/api", "alpha tools/alpha", "zed tools/Zed"}},
	{"braces", `["apps/{web,api}"]`, []string{"api apps/api", "web apps/web"}},
	{"dot folder by name", `["packages/.hidden"]`, []string{"hidden packages/.hidden"}},
	{"nothing", `[]`, nil},
	{"no match", `["nowhere/*"]`, nil},
}

// TestWorkspaces checks the globs against fixed answers, then (where npm
// is installed) against npm's own @npmcli/map-workspaces on the same tree.
func TestWorkspaces(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, workspaceTree)
	mapWs := ""
	if root, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(root)), "npm", "node_modules", "@npmcli", "map-workspaces")
		if _, err := os.Stat(p); err == nil {
			mapWs = p
		}
	}
	for _, c := range workspaceCases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(filepath.Join(dir, "package.json"), []byte(`{"name":"root","workspaces":`+c.ws+`}`))
			if err != nil {
				t.Fatal(err)
			}
			ws, err := Workspaces(dir, m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range ws {
				got = append(got, w.Name+" "+w.Path)
				if w.Dir != filepath.Join(dir, filepath.FromSlash(w.Path)) {
					t.Errorf("%s: Dir %s", w.Name, w.Dir)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
			if mapWs == "" {
				t.Skip("npm's map-workspaces not found: no differential check")
			}
			script := `const m = require(process.argv[1]); m({cwd: process.argv[2], pkg: {workspaces: JSON.parse(process.argv[3])}}).then(r => {` +
				`const out = []; for (const [n, p] of r) out.push(n + " " + require("path").relative(process.argv[2], p).split(require("path").sep).join("/")); console.log(JSON.stringify(out)) })`
			out, err := exec.Command("node", "-e", script, mapWs, dir, c.ws).CombinedOutput()
			if err != nil {
				t.Skipf("node could not run map-workspaces: %v %s", err, out)
			}
			var theirs []string
			json.Unmarshal(out, &theirs)
			if strings.Join(got, "\n") != strings.Join(theirs, "\n") {
				t.Errorf("npm's map-workspaces says\n  %s\ngnode\n  %s", strings.Join(theirs, "\n  "), strings.Join(got, "\n  "))
			}
		})
	}
}

func TestWorkspacesErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"one/x/package.json": `{"name":"same"}`,
		"two/x/package.json": `{"name":"same"}`,
		"bad/package.json":   `{"name":`,
	})
	parse := func(ws string) *Manifest {
		m, err := Parse(filepath.Join(dir, "package.json"), []byte(`{"workspaces":`+ws+`}`))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	var dup *DuplicateWorkspaceError
	if _, err := Workspaces(dir, parse(`["one/*","two/*"]`)); !errors.As(err, &dup) || len(dup.Paths) != 2 {
		t.Errorf("duplicate names: %v", err)
	}
	if _, err := Workspaces(dir, parse(`"packages/*"`)); !errors.Is(err, ErrWorkspacesConfig) {
		t.Errorf("a string workspaces field: %v", err)
	}
	if _, err := Workspaces(dir, parse(`{"nohoist":["x"]}`)); !errors.Is(err, ErrWorkspacesConfig) {
		t.Errorf("an object without packages: %v", err)
	}
	if _, err := Workspaces(dir, parse(`["bad"]`)); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("invalid package.json in a workspace: %v", err)
	}
}

func TestSelectWorkspaces(t *testing.T) {
	root := "/r"
	ws := []Workspace{{"a", "packages/a", "/r/packages/a"}, {"@s/b", "packages/b", "/r/packages/b"}, {"web", "apps/web", "/r/apps/web"}}
	cases := []struct {
		from    string
		filters []string
		root    bool
		want    string
	}{
		{"/r", nil, false, "a @s/b web"},
		{"/r", nil, true, "root a @s/b web"},
		{"/r", []string{"@s/b"}, false, "@s/b"},
		{"/r", []string{"packages/a"}, false, "a"},
		{"/r", []string{"./packages/a/"}, false, "a"},
		{"/r", []string{"packages"}, false, "a @s/b"},
		{"/r/apps", []string{"web", "../packages/b"}, false, "web @s/b"},
		{"/r/apps", []string{"packages/a"}, false, "a"}, // relative to the root when not to the folder
		{"/r", []string{"web", "a", "web"}, true, "root web a"},
	}
	for _, c := range cases {
		sel, err := SelectWorkspaces(root, "root", c.from, ws, c.filters, c.root)
		if err != nil {
			t.Errorf("%v: %v", c.filters, err)
			continue
		}
		var names []string
		for _, w := range sel {
			names = append(names, w.Name)
		}
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("from %s %v root=%v: %s, want %s", c.from, c.filters, c.root, got, c.want)
		}
	}
	var nw *NoWorkspacesError
	if _, err := SelectWorkspaces(root, "root", root, ws, []string{"nope"}, false); !errors.As(err, &nw) {
		t.Errorf("unknown filter: %v", err)
	}
}

func TestResolveWorkspaceSpecs(t *testing.T) {
	m, err := Parse("package.json", []byte(`{"name":"a","dependencies":{"b":"workspace:*","c":"workspace:^","d":"workspace:~","e":"workspace:^1.0.0","f":"^2.0.0"},"peerDependencies":{"al":"workspace:b@^"}}`))
	if err != nil {
		t.Fatal(err)
	}
	v := map[string]string{"b": "1.2.3", "c": "2.0.0", "d": "0.3.1", "e": "1.5.0"}
	if changed, err := ResolveWorkspaceSpecs(m, v); err != nil || !changed {
		t.Fatalf("changed %v err %v", changed, err)
	}
	got, _ := json.Marshal(map[string]any{"d": m.Dependencies, "p": m.PeerDependencies})
	want := `{"d":{"b":"1.2.3","c":"^2.0.0","d":"~0.3.1","e":"^1.0.0","f":"^2.0.0"},"p":{"al":"npm:b@^1.2.3"}}`
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	m2, _ := Parse("package.json", []byte(`{"dependencies":{"x":"workspace:*"}}`))
	if _, err := ResolveWorkspaceSpecs(m2, v); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("unknown workspace: %v", err)
	}
}

func FuzzGlobMatch(f *testing.F) {
	for _, s := range [][2]string{{"packages/*", "packages/a"}, {"libs/**", "libs/a/b"}, {"{a,b}/*", "b/x"}, {"a/{b,{c,d}}", "a/d"}, {"[", "["}, {"**/x", "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, glob, p string) {
		if len(glob) > 64 || strings.Count(glob, "{") > 4 || strings.Count(glob, "**") > 3 {
			return
		}
		globMatch(glob, p) // must not panic
		for _, g := range expandBraces(glob) {
			if len(g) > 10*len(glob)+16 {
				t.Fatalf("expansion of %q grew to %q", glob, g)
			}
		}
		if !strings.ContainsAny(glob, "*?[{\\") && glob != "" && !globMatch(glob, glob) {
			t.Fatalf("a literal glob %q does not match itself", glob)
		}
	})
}
