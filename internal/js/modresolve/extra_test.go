package modresolve

import (
	"os/exec"
	"strings"
	"testing"
)

func TestRequirePathsOptionAgainstNode(t *testing.T) {
	root := osTree(t)
	r := NewResolver(OSFS{}, testOptions(false))
	po := pathOps{}
	cases := []struct {
		spec  string
		paths []string
		want  string
	}{
		{"dep", []string{"proj/lib"}, "proj/node_modules/dep/d.js"},
		{"./a", []string{"proj/lib"}, "proj/lib/a.js"},
		{"./a", []string{"proj", "proj/lib"}, "proj/lib/a.js"},
		{"inner", []string{"proj/node_modules/nested"}, "proj/node_modules/nested/node_modules/inner/index.js"},
		{"dep", []string{"linkedpkg"}, "!MODULE_NOT_FOUND"},
	}
	node, nodeErr := exec.LookPath("node")
	for _, c := range cases {
		var abs []string
		for _, p := range c.paths {
			abs = append(abs, po.join(root, p))
		}
		res, err := r.ResolveRequireWith(c.spec, po.join(root, "linkedpkg/index.js"), RequireOptions{Paths: abs, HasPaths: true})
		got := render(res, err, 'r', root, po)
		if got != c.want {
			t.Errorf("require.resolve(%q, {paths: %v}) = %s, want %s", c.spec, c.paths, got, c.want)
		}
		if nodeErr != nil {
			continue
		}
		js := `try { console.log(require.resolve(process.argv[1], {paths: JSON.parse(process.argv[2])})) } catch (e) { console.log('!' + e.code) }`
		q := `["` + strings.Join(abs, `","`) + `"]`
		out, err := exec.Command(node, "-e", js, c.spec, q).Output()
		if err != nil {
			t.Fatal(err)
		}
		nodeGot := strings.TrimSpace(string(out))
		if !strings.HasPrefix(nodeGot, "!") {
			nodeGot = relTo(root, nodeGot, po)
		}
		if nodeGot != got {
			t.Errorf("paths %q %v: gnode %s, node %s", c.spec, c.paths, got, nodeGot)
		}
	}
	if nodeErr != nil {
		t.Log("node not installed: checked against the table only")
	}
}

func TestRequireStackAndMain(t *testing.T) {
	fs := memTree("/root", false)
	r := NewResolver(fs, testOptions(false))
	_, err := r.ResolveRequireWith("nope", "/root/proj/main.js", RequireOptions{RequireStack: []string{"/root/proj/main.js", "/root/proj/index.js"}})
	want := "Cannot find module 'nope'\nRequire stack:\n- /root/proj/main.js\n- /root/proj/index.js"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	res, err := r.ResolveMain("/root/proj/lib/a")
	if err != nil || res.Path != "/root/proj/lib/a.js" || res.Format != FormatCommonJS {
		t.Errorf("ResolveMain = %+v, %v", res, err)
	}
	_, err = r.ResolveMain("/root/proj/missing.js")
	if err == nil || err.Error() != "Cannot find module '/root/proj/missing.js'" {
		t.Errorf("ResolveMain missing: %v", err)
	}
}

func TestFormats(t *testing.T) {
	fs := NewMemFS(map[string]string{
		"/p/package.json":         `{"type":"module"}`,
		"/p/a.js":                 "",
		"/p/a.ts":                 "",
		"/p/b.cjs":                "",
		"/p/c.mts":                "",
		"/p/d.cts":                "",
		"/p/e.json":               "",
		"/p/f.txt":                "",
		"/p/cjs/package.json":     `{"type":"commonjs"}`,
		"/p/cjs/x.js":             "",
		"/p/cjs/y.ts":             "",
		"/p/node_modules/q/x.js":  "",
		"/p/untyped/package.json": `{}`,
		"/p/untyped/z.js":         "",
		"/p/tsonly/t.ts":          "",
		"/p/tsonly/u.js":          "",
		"/p/tsonly/u.ts":          "",
	}, false)
	r := NewResolver(fs, Options{TypeScript: true})
	for file, want := range map[string]Format{
		"/p/a.js": FormatModule, "/p/a.ts": FormatModuleTS, "/p/b.cjs": FormatCommonJS, "/p/c.mts": FormatModuleTS,
		"/p/d.cts": FormatCommonJSTS, "/p/e.json": FormatJSON, "/p/f.txt": FormatUnknown, "/p/cjs/x.js": FormatCommonJS,
		"/p/cjs/y.ts": FormatCommonJSTS, "/p/untyped/z.js": FormatCommonJS,
		// The package scope stops at node_modules: q has no package.json,
		// so /p's "type" does not apply.
		"/p/node_modules/q/x.js": FormatCommonJS,
	} {
		if got, _ := r.FormatOf(file); got != want {
			t.Errorf("FormatOf(%s) = %q, want %q", file, got, want)
		}
	}
	// TypeScript extensions come after Node's own.
	for spec, want := range map[string]string{"./t": "/p/tsonly/t.ts", "./u": "/p/tsonly/u.js"} {
		res, err := r.ResolveRequire(spec, "/p/tsonly/main.js")
		if err != nil || res.Path != want {
			t.Errorf("require(%q) = %q, %v; want %s", spec, res.Path, err, want)
		}
	}
	if _, err := NewResolver(fs, Options{}).ResolveRequire("./t", "/p/tsonly/main.js"); !HasCode(err, CodeModuleNotFound) {
		t.Errorf("without TypeScript ./t must not resolve: %v", err)
	}
	if _, err := r.ResolveImport("./t", "/p/tsonly/main.mjs"); !HasCode(err, CodeESMModuleNotFound) {
		t.Errorf("import never guesses .ts: %v", err)
	}
}

func TestCacheAndClear(t *testing.T) {
	fs := NewMemFS(map[string]string{"/p/node_modules/d/package.json": `{"main":"a.js"}`, "/p/node_modules/d/a.js": "", "/p/node_modules/d/b.js": ""}, false)
	r := NewResolver(fs, Options{})
	for i := 0; i < 3; i++ {
		if res, err := r.ResolveRequire("d", "/p/x.js"); err != nil || res.Path != "/p/node_modules/d/a.js" {
			t.Fatalf("%+v %v", res, err)
		}
	}
	if fs.Reads != 1 {
		t.Errorf("package.json read %d times, want 1 (cached)", fs.Reads)
	}
	fs.AddFile("/p/node_modules/d/package.json", `{"main":"b.js"}`)
	if res, _ := r.ResolveRequire("d", "/p/x.js"); res.Path != "/p/node_modules/d/a.js" {
		t.Errorf("cache not used: %s", res.Path)
	}
	r.Clear()
	if res, _ := r.ResolveRequire("d", "/p/x.js"); res.Path != "/p/node_modules/d/b.js" {
		t.Errorf("after Clear: %s", res.Path)
	}
}

func TestNodeModulePaths(t *testing.T) {
	for _, c := range []struct {
		windows bool
		dir     string
		want    string
	}{
		{false, "/a/node_modules/b", "/a/node_modules/b/node_modules,/a/node_modules,/node_modules"},
		{false, "/", "/node_modules"},
		{true, `C:\a\b`, `C:\a\b\node_modules,C:\a\node_modules,C:\node_modules`},
		{true, `C:\`, `C:\node_modules`},
	} {
		got := strings.Join(NewResolver(NewMemFS(nil, c.windows), Options{Windows: c.windows}).NodeModulePaths(c.dir), ",")
		if got != c.want {
			t.Errorf("NodeModulePaths(%s) = %s, want %s", c.dir, got, c.want)
		}
	}
}

func FuzzMatchPattern(f *testing.F) {
	f.Add("./*", "./a/b", "./a/*", "./a/*.js")
	f.Add("./x/*/y", "./x/q/y", "#a/*", "")
	f.Add("*", "", "**", "./*/*")
	f.Fuzz(func(t *testing.T, k1, name, k2, k3 string) {
		keys := []string{k1, k2, k3}
		key, star, ok := MatchPattern(keys, name)
		if !ok {
			return
		}
		i := strings.IndexByte(key, '*')
		if i < 0 || strings.LastIndexByte(key, '*') != i {
			t.Fatalf("matched key %q must have exactly one *", key)
		}
		// Substituting the match back into the key gives the name.
		if got := key[:i] + star + key[i+1:]; got != name {
			t.Fatalf("key %q star %q rebuilds %q, not %q", key, star, got, name)
		}
		// No other matching key sorts before the chosen one.
		for _, k := range keys {
			if k == key {
				continue
			}
			if kk, _, ok2 := MatchPattern([]string{k}, name); ok2 && patternKeyCompare(kk, key) < 0 {
				t.Fatalf("key %q beats chosen %q for %q", kk, key, name)
			}
		}
	})
}

// A miss forgets the cached stats: a program that catches
// MODULE_NOT_FOUND, creates the file and requires again finds it, in
// require and in import.
func TestMissForgetsStats(t *testing.T) {
	fs := NewMemFS(map[string]string{"/p/x.js": ""}, false)
	r := NewResolver(fs, Options{})
	if _, err := r.ResolveRequire("./gen", "/p/x.js"); !HasCode(err, CodeModuleNotFound) {
		t.Fatalf("before the file exists: %v", err)
	}
	fs.AddFile("/p/gen.js", "")
	if res, err := r.ResolveRequire("./gen", "/p/x.js"); err != nil || res.Path != "/p/gen.js" {
		t.Errorf("after creating gen.js: %+v %v", res, err)
	}
	if _, err := r.ResolveImport("./late.mjs", "/p/x.mjs"); err == nil {
		t.Fatal("import of a missing file resolved")
	}
	fs.AddFile("/p/late.mjs", "")
	if res, err := r.ResolveImport("./late.mjs", "/p/x.mjs"); err != nil || res.Path != "/p/late.mjs" {
		t.Errorf("import after creating late.mjs: %+v %v", res, err)
	}
}

// GlobalPaths come after every node_modules for bare requests only, and
// SetGlobalPaths (Module._initPaths) replaces them.
func TestGlobalPaths(t *testing.T) {
	fs := NewMemFS(map[string]string{
		"/home/u/.node_modules/baz/index.js": "",
		"/home/u/.node_libraries/qux.js":     "",
		"/opt/np/lib/zed.js":                 "",
		"/p/node_modules/baz/index.js":       "",
	}, false)
	r := NewResolver(fs, Options{GlobalPaths: []string{"/home/u/.node_modules", "/home/u/.node_libraries"}})
	for _, c := range []struct{ req, parent, want string }{
		{"baz", "/p/x.js", "/p/node_modules/baz/index.js"},
		{"baz", "/q/x.js", "/home/u/.node_modules/baz/index.js"},
		{"qux", "/q/x.js", "/home/u/.node_libraries/qux.js"},
		{"./qux", "/q/x.js", ""},
		{"zed", "/q/x.js", ""},
	} {
		res, err := r.ResolveRequire(c.req, c.parent)
		if c.want == "" {
			if err == nil {
				t.Errorf("require(%q) from %s = %s, want MODULE_NOT_FOUND", c.req, c.parent, res.Path)
			}
			continue
		}
		if err != nil || res.Path != c.want {
			t.Errorf("require(%q) from %s = %q, %v; want %s", c.req, c.parent, res.Path, err, c.want)
		}
	}
	if _, err := r.ResolveImport("baz", "/q/x.mjs"); err == nil {
		t.Error("import must not search the global paths")
	}
	r.SetGlobalPaths([]string{"/opt/np/lib"})
	if res, err := r.ResolveRequire("zed", "/q/x.js"); err != nil || res.Path != "/opt/np/lib/zed.js" {
		t.Errorf("after SetGlobalPaths: %+v %v", res, err)
	}
	if _, err := r.ResolveRequire("qux", "/q/x.js"); err == nil {
		t.Error("SetGlobalPaths must replace the old paths")
	}
}
