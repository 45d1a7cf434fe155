package ls

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(fp), 0o755)
		os.WriteFile(fp, []byte(c), 0o644)
	}
	return dir
}

// A hermetic tree (no npm needed): hoisted, nested, missing, invalid,
// extraneous and deduped entries. The expected output was checked against
// npm ls on the same folder.
func TestListHermetic(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"package.json":                               `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^2.0.0","gone":"^1.0.0"},"optionalDependencies":{"opt":"1"}}`,
		"node_modules/a/package.json":                `{"name":"a","version":"1.0.0","dependencies":{"b":"^1.0.0","c":"^1.0.0"}}`,
		"node_modules/a/node_modules/b/package.json": `{"name":"b","version":"1.5.0"}`,
		"node_modules/b/package.json":                `{"name":"b","version":"1.0.0"}`,
		"node_modules/c/package.json":                `{"name":"c","version":"1.0.0"}`,
		"node_modules/stray/package.json":            `{"name":"stray","version":"0.0.1"}`,
	})
	root, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := List(root, Options{All: true, Depth: -1, Unicode: true})
	want := "app@1.0.0 " + dir + "\n" +
		"├─┬ a@1.0.0\n" +
		"│ ├── b@1.5.0\n" +
		"│ └── c@1.0.0\n" +
		"├── b@1.0.0 invalid: \"^2.0.0\" from the root project\n" +
		"├── UNMET DEPENDENCY gone@^1.0.0\n" +
		"├── UNMET OPTIONAL DEPENDENCY opt@1\n" +
		"└── stray@0.0.1 extraneous\n\n"
	if res.Output != want {
		t.Errorf("got:\n%s\nwant:\n%s", res.Output, want)
	}
	if res.ExitCode != 1 || len(res.Problems) != 3 {
		t.Errorf("exit %d problems %q", res.ExitCode, res.Problems)
	}
	js := List(root, Options{JSON: true, Depth: -1}).Output
	for _, s := range []string{`"gone": {`, `"required": "^1.0.0"`, `"missing": true`, `"opt": {}`, `"extraneous": true`, `"code": "ELSPROBLEMS"`} {
		if !strings.Contains(js, s) {
			t.Errorf("json lacks %s:\n%s", s, js)
		}
	}
	why := Explain(root, Find(root, "c"))
	if why != "c@1.0.0\nnode_modules/c\n  c@\"^1.0.0\" from a@1.0.0\n  node_modules/a\n    a@\"^1.0.0\" from the root project\n" {
		t.Errorf("explain c:\n%s", why)
	}
}

func TestOutdatedTable(t *testing.T) {
	got := OutdatedTable([]OutdatedEntry{
		{Name: "leaf", Current: "2.0.0", Wanted: "2.1.0", Latest: "3.0.0", Location: "node_modules/leaf", Dependent: "app"},
		{Name: "mid", Wanted: "1.0.0", Latest: "1.0.0", Dependent: "app"},
	}, false)
	want := "Package  Current  Wanted  Latest  Location           Depended by\n" +
		"leaf       2.0.0   2.1.0   3.0.0  node_modules/leaf  app\n" +
		"mid      MISSING   1.0.0   1.0.0  -                  app"
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}
