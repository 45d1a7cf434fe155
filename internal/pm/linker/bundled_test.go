package linker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBundledBins checks that commands of packages a tarball bundles get
// links in the node_modules folder holding them, in a fresh layout and
// after an incremental one, with executable targets, and that a package
// the tree placed inside the bundler keeps its own link.
func TestBundledBins(t *testing.T) {
	st := &dirStore{files: map[string]map[string]string{
		"bundler": {
			"package.json":                                     `{"name":"bundler","version":"1.0.0"}`,
			"node_modules/tool/package.json":                   `{"name":"tool","version":"1.0.0","bin":{"tool":"./bin/t.js","../evil":"bin/t.js"}}`,
			"node_modules/tool/bin/t.js":                       "#!/usr/bin/env node\n",
			"node_modules/@s/sc/package.json":                  `{"name":"@s/sc","version":"1.0.0","bin":"cli.js"}`,
			"node_modules/@s/sc/cli.js":                        "#!/usr/bin/env node\n",
			"node_modules/tool/node_modules/deep/package.json": `{"name":"deep","bin":{"deep":"d.js"}}`,
			"node_modules/tool/node_modules/deep/d.js":         "",
			"node_modules/nobin/package.json":                  `{"name":"nobin","version":"1.0.0"}`,
		},
		"own": {"package.json": `{"name":"own"}`, "o.js": ""},
		"c1":  {"package.json": `{"name":"c"}`},
	}}
	pkgs := []Package{
		{Location: "node_modules/bundler", Name: "bundler", StorePath: "bundler", Key: "b"},
		{Location: "node_modules/bundler/node_modules/own", Name: "own", StorePath: "own", Key: "o", Bin: map[string]string{"own": "o.js"}},
	}
	want := []string{
		"bundler/node_modules/.bin/evil -> ../tool/bin/t.js",
		"bundler/node_modules/.bin/own -> ../own/o.js",
		"bundler/node_modules/.bin/sc -> ../@s/sc/cli.js",
		"bundler/node_modules/.bin/tool -> ../tool/bin/t.js",
		"bundler/node_modules/tool/node_modules/.bin/deep -> ../deep/d.js",
	}
	dir := t.TempDir()
	check := func(when string) {
		t.Helper()
		var got []string
		for _, l := range strings.Split(listTree(t, filepath.Join(dir, "node_modules")), "\n") {
			if strings.Contains(l, ".bin/") {
				got = append(got, l)
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: got\n  %s\nwant\n  %s", when, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		for _, w := range want {
			link := filepath.Join(dir, "node_modules", filepath.FromSlash(strings.SplitN(w, " -> ", 2)[0]))
			if st, err := os.Stat(link); err != nil || st.Mode()&0o111 != 0o111 {
				t.Fatalf("%s: %s does not reach an executable file (%v)", when, w, err)
			}
		}
	}
	if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st}); err != nil {
		t.Fatal(err)
	}
	check("fresh")
	prev := map[string]string{}
	for _, p := range pkgs {
		prev[p.Location] = p.Key
	}
	// An unrelated package changes: the bundled links are rebuilt as well.
	pkgs = append(pkgs, Package{Location: "node_modules/c", Name: "c", StorePath: "c1", Key: "c1"})
	if _, err := Apply(context.Background(), dir, pkgs, Options{Store: st, Previous: prev}); err != nil {
		t.Fatal(err)
	}
	check("incremental")
}
