package install

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/testutil/gnoderegistry"
	"gnode/internal/testutil/npmfixture"
)

// synth builds a hoisted tree from lines "location deps", where location
// is a path of names ("x/c" is node_modules/x/node_modules/c), the node's
// version is after '@' ("x/c@2"), and deps are "name" or "peer:name"
// (an alias is "alias=real@1").
type synth struct {
	t     *tree.Tree
	nodes map[string]*tree.Node // by location path ("x/c")
	all   []*tree.Node
}

func newSynth(rootDeps string, lines ...string) *synth {
	s := &synth{t: &tree.Tree{Root: &tree.Node{Name: "root", Children: map[string]*tree.Node{}}}, nodes: map[string]*tree.Node{}}
	addEdges(s.t.Root, rootDeps)
	for _, l := range lines {
		locv, deps, _ := strings.Cut(l, " ")
		loc, version := locv, ""
		if i := strings.LastIndex(locv, "@"); i > 0 {
			loc, version = locv[:i], locv[i+1:]
		}
		var parts []string
		for _, p := range strings.Split(loc, "/") {
			if k := len(parts) - 1; k >= 0 && strings.HasPrefix(parts[k], "@") && !strings.Contains(parts[k], "/") {
				parts[k] += "/" + p
				continue
			}
			parts = append(parts, p)
		}
		parent := s.t.Root
		for _, p := range parts[:len(parts)-1] {
			parent = parent.Children[p]
		}
		name := parts[len(parts)-1]
		pkgName := name
		if a, real, ok := strings.Cut(name, "="); ok {
			name, pkgName = a, real
			loc = strings.Replace(loc, a+"="+real, a, 1)
		}
		if version == "" {
			version = "1.0.0"
		}
		n := &tree.Node{Name: name, PackageName: pkgName, Version: version, Integrity: "sha512-" + pkgName + version, Parent: parent, Children: map[string]*tree.Node{}}
		addEdges(n, deps)
		parent.Children[name] = n
		s.nodes[loc] = n
		s.all = append(s.all, n)
	}
	return s
}

func addEdges(n *tree.Node, deps string) {
	for _, d := range strings.Fields(deps) {
		typ := tree.Prod
		if p, ok := strings.CutPrefix(d, "peer:"); ok {
			d, typ = p, tree.Peer
		}
		n.Edges = append(n.Edges, &tree.Edge{From: n, Name: d, Type: typ})
	}
}

// describe renders a plan as sorted lines: "dir: dep=dir ..." and
// "direct name=dir".
func describe(p isolatedPlan) string {
	var out []string
	for _, ip := range p.pkgs {
		var ds []string
		for n, d := range ip.Deps {
			ds = append(ds, n+"="+d)
		}
		sort.Strings(ds)
		out = append(out, strings.TrimSpace(ip.Dir+" "+ip.Name+": "+strings.Join(ds, " ")))
	}
	for _, d := range p.direct {
		if d.LinkTarget != "" {
			out = append(out, "direct "+d.Name+" -> "+d.LinkTarget)
		} else {
			out = append(out, "direct "+d.Name+"="+d.Dir)
		}
	}
	for _, f := range p.folders {
		var ds []string
		for n, d := range f.Deps {
			ds = append(ds, n+"="+d)
		}
		sort.Strings(ds)
		out = append(out, "folder "+f.Folder+": "+strings.Join(ds, " "))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestPlanIsolated(t *testing.T) {
	for _, c := range []struct {
		name     string
		rootDeps string
		lines    []string
		omit     []string // locations not installed
		want     []string
	}{{
		name:     "chain hoisted flat",
		rootDeps: "a",
		lines:    []string{"a b", "b c @s/d", "c", "@s/d"},
		want: []string{
			"@s+d@1.0.0 @s/d:",
			"a@1.0.0 a: b=b@1.0.0",
			"b@1.0.0 b: @s/d=@s+d@1.0.0 c=c@1.0.0",
			"c@1.0.0 c:",
			"direct a=a@1.0.0",
		},
	}, {
		name:     "same version resolving differently gets two folders",
		rootDeps: "a x",
		lines:    []string{"a c", "c", "x a", "x/a c", "x/c@2"},
		want: []string{
			"a@1.0.0 a: c=c@1.0.0",
			"a@1.0.0_SUFFIX a: c=c@2",
			"c@1.0.0 c:",
			"c@2 c:",
			"direct a=a@1.0.0",
			"direct x=x@1.0.0",
			"x@1.0.0 x: a=a@1.0.0_SUFFIX",
		},
	}, {
		name:     "a copy whose dependency resolves elsewhere is split",
		rootDeps: "z y",
		lines:    []string{"z b", "b", "y b z", "y/b@2", "y/z b"},
		// y/z resolves b to y/b@2 while the root z resolves b@1: two folders.
		want: []string{
			"b@1.0.0 b:",
			"b@2 b:",
			"direct y=y@1.0.0",
			"direct z=z@1.0.0",
			"y@1.0.0 y: b=b@2 z=z@1.0.0_SUFFIX",
			"z@1.0.0 z: b=b@1.0.0",
			"z@1.0.0_SUFFIX z: b=b@2",
		},
	}, {
		name:     "identical copies share one folder (same resolutions)",
		rootDeps: "z y",
		lines:    []string{"z b", "b", "y z", "y/q@2", "y/z b"},
		want: []string{
			"b@1.0.0 b:",
			"direct y=y@1.0.0",
			"direct z=z@1.0.0",
			"q@2 q:",
			"y@1.0.0 y: z=z@1.0.0",
			"z@1.0.0 z: b=b@1.0.0",
		},
	}, {
		name:     "peers resolve from the requirer's place in the hoisted tree",
		rootDeps: "react plugin old",
		lines:    []string{"react@18", "plugin peer:react", "old plugin react", "old/react@17", "old/plugin peer:react"},
		want: []string{
			"direct old=old@1.0.0",
			"direct plugin=plugin@1.0.0",
			"direct react=react@18",
			"old@1.0.0 old: plugin=plugin@1.0.0_SUFFIX react=react@17",
			"plugin@1.0.0 plugin: react=react@18",
			"plugin@1.0.0_SUFFIX plugin: react=react@17",
			"react@17 react:",
			"react@18 react:",
		},
	}, {
		name:     "cycles",
		rootDeps: "a",
		lines:    []string{"a b", "b a"},
		want:     []string{"a@1.0.0 a: b=b@1.0.0", "b@1.0.0 b: a=a@1.0.0", "direct a=a@1.0.0"},
	}, {
		name:     "aliases keep the real name on disk",
		rootDeps: "foo",
		lines:    []string{"foo=bar@2 lodash", "lodash@4"},
		want:     []string{"bar@2 bar: lodash=lodash@4", "direct foo=bar@2", "lodash@4 lodash:"},
	}, {
		name:     "packages not installed are not linked",
		rootDeps: "a dev",
		lines:    []string{"a opt", "opt", "dev"},
		omit:     []string{"opt", "dev"},
		want:     []string{"a@1.0.0 a:", "direct a=a@1.0.0"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth(c.rootDeps, c.lines...)
			omitted := map[*tree.Node]bool{}
			for _, l := range c.omit {
				omitted[s.nodes[l]] = true
			}
			var install []*tree.Node
			paths := map[*tree.Node]string{}
			for _, n := range s.all {
				if !omitted[n] {
					install = append(install, n)
					paths[n] = "store/" + n.ID()
				}
			}
			plan := planIsolated("/p", s.t, install, nil, paths, func(*tree.Node) map[string]string { return nil })
			got := describe(plan)
			// Suffixes are hashes: compared as their shape.
			if want := strings.Join(c.want, "\n"); suffixRE(got) != want {
				t.Errorf("plan:\n%s\nwant:\n%s", got, want)
			}
			// Every node has a folder, and it is its class's folder.
			for _, n := range install {
				if plan.dirOf[n] == "" {
					t.Errorf("%s has no folder", n.Location())
				}
			}
		})
	}
}

// suffixRE replaces the 8-hex-digit suffix of duplicate folders with SUFFIX.
func suffixRE(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+9 <= len(s) && isHex(s[i+1:i+9]) {
			b.WriteString("_SUFFIX")
			i += 8
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// TestPlanIsolatedStable checks that the folder names do not depend on map
// iteration order.
func TestPlanIsolatedStable(t *testing.T) {
	var first string
	for i := 0; i < 20; i++ {
		s := newSynth("react plugin old", "react@18", "plugin peer:react", "old plugin react", "old/react@17", "old/plugin peer:react")
		paths := map[*tree.Node]string{}
		for _, n := range s.all {
			paths[n] = fmt.Sprint("store/", n.ID())
		}
		got := describe(planIsolated("/p", s.t, s.all, nil, paths, func(*tree.Node) map[string]string { return nil }))
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatalf("plan changed between runs:\n%s\nvs\n%s", first, got)
		}
	}
}

// installIsolated installs dir's package-lock.json (written by an earlier
// Run) in the isolated layout, doing what Run does around linkIsolated:
// the tree from the lockfile, the store folders, then the layout.
func installIsolated(t *testing.T, dir string, env []string) *isolatedLayout {
	t.Helper()
	pkgPath := filepath.Join(dir, "package.json")
	raw, err := os.ReadFile(pkgPath)
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse(pkgPath, raw)
	if err != nil {
		t.Fatal(err)
	}
	lf, err := lockfile.Read(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tree.FromLockfile(lf, m, tree.Platform{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Env: env, Home: getenv(env, "HOME")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.CacheDir())
	if err != nil {
		t.Fatal(err)
	}
	omit := tree.ParseOmit(cfg.Omit())
	var inst, links []*tree.Node
	tr.Walk(func(n *tree.Node) {
		if skipped(n, omit) || n.InBundle || n.IsLinkTarget() {
			return
		}
		if n.Link {
			links = append(links, n)
			return
		}
		inst = append(inst, n)
	})
	paths := map[*tree.Node]string{}
	for _, n := range inst {
		p, ok := st.Has(n.Integrity)
		if !ok {
			t.Fatalf("%s is not in the store", n.ID())
		}
		paths[n] = p
	}
	hidden := tr.ToLockfile(m, tree.LockOptions{Indent: "  "}, true, omit).Encode(true)
	lay, err := linkIsolated(context.Background(), Options{Dir: dir, Env: env}, tr, inst, links, paths, st,
		linker.Options{Store: &linkStore{st: st}, HiddenLockfile: hidden, Previous: previous(linker.IsolatedLockfilePath(dir))})
	if err != nil {
		t.Fatalf("linkIsolated: %v", err)
	}
	return lay
}

// gnodeBinary is GNODE_BIN, or the repository's bin/gnode.
func gnodeBinary() string {
	if b := os.Getenv("GNODE_BIN"); b != "" {
		return b
	}
	if p, err := filepath.Abs("../../../bin/gnode"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// isolatedApp requires through the layout and prints what it found: the
// direct dependency a, a's own dependency b, and the error codes of
// requiring the packages nobody at that place declared.
const isolatedApp = `function tryReq(name) {
  try { return require(name).id; } catch (e) { return e.code; }
}
const a = require("a");
console.log(JSON.stringify({
  a: a.id, aB: a.b.id, bC: a.b.c.id, aPhantomC: a.phantomC,
  b: tryReq("b"), c: tryReq("c"), d: tryReq("@s/d"),
  pluginReact: require("plugin").react,
}));
`

func TestIsolatedInstallEndToEnd(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "c", Version: "1.0.0", Bin: map[string]string{"c-cli": "cli.js"},
		Files: map[string]string{"cli.js": "#!/usr/bin/env node\nconsole.log('c-cli')\n", "index.js": `exports.id = "c@1.0.0";`}})
	reg.Publish(gnoderegistry.Pkg{Name: "@s/d", Version: "1.0.0", Files: map[string]string{"index.js": `exports.id = "@s/d@1.0.0";`}})
	reg.Publish(gnoderegistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0", "@s/d": "^1.0.0"},
		Files: map[string]string{"index.js": `exports.id = "b@1.0.0"; exports.c = require("c");`}})
	reg.Publish(gnoderegistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^1.0.0"}, Bin: map[string]string{"a-cli": "cli.js"},
		Files: map[string]string{
			"cli.js":   "#!/usr/bin/env node\nconsole.log('a-cli', require('b').id)\n",
			"index.js": `exports.id = "a@1.0.0"; exports.b = require("b"); try { require("c"); exports.phantomC = "found"; } catch (e) { exports.phantomC = e.code; }`,
		}})
	reg.Publish(gnoderegistry.Pkg{Name: "react", Version: "1.0.0", Files: map[string]string{"index.js": `exports.id = "react@1.0.0";`}})
	reg.Publish(gnoderegistry.Pkg{Name: "plugin", Version: "1.0.0", Peer: map[string]string{"react": "^1.0.0"},
		Files: map[string]string{"index.js": `exports.react = require("react").id;`}})

	dir, home := t.TempDir(), t.TempDir()
	reg.WriteNpmrc(dir)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH")}
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","plugin":"^1.0.0","react":"^1.0.0"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(isolatedApp), 0o644)
	hoisted := func() {
		t.Helper()
		if _, err := Run(context.Background(), Options{Mode: ModeInstall, Dir: dir, Env: env, NodeVersion: "v22.12.0"}); err != nil {
			t.Fatalf("hoisted install: %v", err)
		}
	}
	hoisted()
	lockBefore, _ := os.ReadFile(filepath.Join(dir, "package-lock.json"))

	lay := installIsolated(t, dir, env)
	if lay.Result != (linker.Result{Added: 6}) {
		t.Errorf("first isolated install: %+v, want 6 added", lay.Result)
	}
	for n, d := range lay.Dirs {
		if _, err := os.Stat(filepath.Join(d, "package.json")); err != nil {
			t.Errorf("%s: its folder %s: %v", n.ID(), d, err)
		}
	}
	nm := filepath.Join(dir, "node_modules")
	for _, rel := range []string{"b", "c", "@s/d", ".package-lock.json", ".bin/c-cli"} {
		if _, err := os.Lstat(filepath.Join(nm, filepath.FromSlash(rel))); err == nil {
			t.Errorf("node_modules/%s exists in the isolated layout", rel)
		}
	}
	if _, err := os.Stat(filepath.Join(nm, ".gnode", "b@1.0.0", "node_modules", ".bin", "c-cli")); err != nil {
		t.Errorf("b's dependency bin: %v", err)
	}

	wantIsolated := `{"a":"a@1.0.0","aB":"b@1.0.0","bC":"c@1.0.0","aPhantomC":"MODULE_NOT_FOUND","b":"MODULE_NOT_FOUND","c":"MODULE_NOT_FOUND","d":"MODULE_NOT_FOUND","pluginReact":"react@1.0.0"}`
	wantHoisted := `{"a":"a@1.0.0","aB":"b@1.0.0","bC":"c@1.0.0","aPhantomC":"found","b":"b@1.0.0","c":"c@1.0.0","d":"@s/d@1.0.0","pluginReact":"react@1.0.0"}`
	runners := map[string]string{}
	if p, err := exec.LookPath("node"); err == nil {
		runners["node"] = p
	} else {
		t.Log("node is not installed: the layout is checked under gnode only")
	}
	if g := gnodeBinary(); g != "" {
		runners["gnode"] = g
	} else {
		t.Log("no gnode binary (set GNODE_BIN or build bin/gnode): the layout is checked under node only")
	}
	if len(runners) == 0 {
		t.Skip("neither node nor a gnode binary to run the app with")
	}
	t.Logf("running the app with %v", runners)
	check := func(want string) {
		t.Helper()
		for name, bin := range runners {
			cmd := exec.Command(bin, "app.js")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if got := strings.TrimSpace(string(out)); err != nil || got != want {
				t.Errorf("%s app.js: %s (%v)\nwant %s", name, got, err, want)
			}
		}
	}
	check(wantIsolated)
	if _, err := exec.LookPath("node"); err == nil {
		cmd := exec.Command(filepath.Join(nm, ".bin", "a-cli"))
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "a-cli b@1.0.0" {
			t.Errorf("node_modules/.bin/a-cli: %q (%v)", out, err)
		}
	}

	// A second run changes nothing.
	if lay := installIsolated(t, dir, env); lay.Result != (linker.Result{}) {
		t.Errorf("second isolated install: %+v, want nothing changed", lay.Result)
	}
	check(wantIsolated)
	if lockAfter, _ := os.ReadFile(filepath.Join(dir, "package-lock.json")); string(lockAfter) != string(lockBefore) {
		t.Error("package-lock.json changed: the isolated layout must keep npm's hoisted lockfile")
	}

	// Back to hoisted: the isolated layout is replaced, phantoms resolve again.
	hoisted()
	if _, err := os.Lstat(filepath.Join(nm, ".gnode")); err == nil {
		t.Error("node_modules/.gnode left behind by the hoisted install")
	}
	check(wantHoisted)
	// And isolated once more, from a hoisted node_modules.
	installIsolated(t, dir, env)
	check(wantIsolated)
}

func TestResolveLinker(t *testing.T) {
	for _, c := range []struct {
		flag, pkg, want string
		wantErr         bool
	}{
		{"", `{}`, "hoisted", false},
		{"", `{"gnode":{"linker":"isolated"}}`, "isolated", false},
		{"hoisted", `{"gnode":{"linker":"isolated"}}`, "hoisted", false},
		{"isolated", `{}`, "isolated", false},
		{"", `{"gnode":"weird"}`, "hoisted", false},
		{"pnpm", `{}`, "", true},
		{"", `{"gnode":{"linker":"nested"}}`, "", true},
	} {
		got, err := resolveLinker(c.flag, []byte(c.pkg))
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("resolveLinker(%q, %s) = %q, %v; want %q (error %v)", c.flag, c.pkg, got, err, c.want, c.wantErr)
		}
	}
}

// TestLiveIsolatedExpress installs Express from the configured registry in
// the isolated layout and serves a request with it.
func TestLiveIsolatedExpress(t *testing.T) {
	reg := npmfixture.Registry(t, "express")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	dir, home := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+reg+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"live","version":"1.0.0","dependencies":{"express":"^4.21.0"}}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(`const express = require("express");
const http = require("http");
let phantom;
try { require("body-parser"); phantom = "found"; } catch (e) { phantom = e.code; }
const app = express();
app.get("/", (req, res) => res.send("hello " + phantom));
const srv = app.listen(0, "127.0.0.1", () => {
  http.get({ host: "127.0.0.1", port: srv.address().port, path: "/" }, (res) => {
    let body = "";
    res.on("data", (d) => (body += d));
    res.on("end", () => { console.log(body); srv.close(); });
  });
});
`), 0o644)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH"), "npm_config_update_notifier=false"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := Run(ctx, Options{Dir: dir, Env: env, NodeVersion: "v22.12.0"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	lay := installIsolated(t, dir, env)
	fresh := time.Since(start)
	if lay.Result.Added < 50 {
		t.Errorf("only %d packages in the isolated layout", lay.Result.Added)
	}
	start = time.Now()
	if again := installIsolated(t, dir, env); again.Result != (linker.Result{}) {
		t.Errorf("second isolated install changed %+v", again.Result)
	}
	t.Logf("isolated layout of %d packages: %v from a hoisted node_modules, %v when nothing changed", lay.Result.Added, fresh, time.Since(start))
	runners := map[string]string{"node": node}
	if g := gnodeBinary(); g != "" {
		runners["gnode"] = g
	}
	for name, bin := range runners {
		cmd := exec.CommandContext(ctx, bin, "app.js")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != "hello MODULE_NOT_FOUND" {
			t.Errorf("%s app.js: %q (%v), want %q", name, got, err, "hello MODULE_NOT_FOUND")
		}
	}
}

// TestRunIsolated installs through Run with "gnode": {"linker": "isolated"}
// in package.json: the layout, a trusted install script run in its
// isolated folder, the no-op second install, and the switch back.
func TestRunIsolated(t *testing.T) {
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "c", Version: "1.0.0", Files: map[string]string{"index.js": `exports.id = "c@1.0.0";`}})
	reg.Publish(gnoderegistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"},
		Scripts: map[string]string{"install": "node -e \"require('fs').writeFileSync('built.txt', require('c').id)\""},
		Files:   map[string]string{"index.js": `exports.id = "b@1.0.0"; exports.built = require("fs").readFileSync(__dirname + "/built.txt", "utf8");`}})
	reg.Publish(gnoderegistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^1.0.0"},
		Files: map[string]string{"index.js": `exports.id = "a@1.0.0"; exports.b = require("b");`}})
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed (the install script and the app use it)")
	}
	dir, home := t.TempDir(), t.TempDir()
	reg.WriteNpmrc(dir)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH")}
	if b := os.Getenv("GNODE_BIN"); b != "" {
		env = append(env, "GNODE_BIN="+b)
	}
	write := func(linkerField string) {
		os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","gnode":{`+linkerField+`"trustedDependencies":["b"]},"dependencies":{"a":"^1.0.0"}}`), 0o644)
	}
	write(`"linker":"isolated",`)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(`const a = require("a");
let b; try { require("b"); b = "found"; } catch (e) { b = e.code; }
console.log(a.id, a.b.id, a.b.built, b);
`), 0o644)
	run := func() *Summary {
		t.Helper()
		s, err := Run(context.Background(), Options{Mode: ModeInstall, Dir: dir, Env: env, NodeVersion: "v22.12.0"})
		if err != nil {
			t.Fatalf("install: %v", err)
		}
		return s
	}
	app := func() string {
		t.Helper()
		cmd := exec.Command("node", "app.js")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("node app.js: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	s := run()
	if !linker.IsIsolated(dir) {
		t.Skip(`Run does not honour "gnode": {"linker": "isolated"} yet (install.go is not wired to linkIsolated)`)
	}
	if s.Added != 3 {
		t.Errorf("first install: %+v, want 3 added", s)
	}
	if got, want := app(), "a@1.0.0 b@1.0.0 c@1.0.0 MODULE_NOT_FOUND"; got != want {
		t.Errorf("app: %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".gnode", "b@1.0.0", "node_modules", "b", "built.txt")); err != nil {
		t.Errorf("b's install script did not run in its isolated folder: %v", err)
	}
	if s := run(); !s.UpToDate {
		t.Errorf("second install is not a no-op: %+v", s)
	}
	// gnode ci rebuilds the layout from scratch.
	if s, err := Run(context.Background(), Options{Mode: ModeCI, Dir: dir, Env: env, NodeVersion: "v22.12.0"}); err != nil || s.Added != 3 {
		t.Errorf("ci: %+v %v, want 3 added", s, err)
	}
	if got, want := app(), "a@1.0.0 b@1.0.0 c@1.0.0 MODULE_NOT_FOUND"; got != want {
		t.Errorf("app after ci: %q, want %q", got, want)
	}
	write(``)
	run()
	if linker.IsIsolated(dir) {
		t.Error("still isolated after removing the setting")
	}
	if got, want := app(), "a@1.0.0 b@1.0.0 c@1.0.0 found"; got != want {
		t.Errorf("hoisted app: %q, want %q", got, want)
	}
	write(`"linker":"isolated",`)
	run()
	if got, want := app(), "a@1.0.0 b@1.0.0 c@1.0.0 MODULE_NOT_FOUND"; got != want {
		t.Errorf("isolated again: %q, want %q", got, want)
	}
}

// TestIsolatedLinkedFolder installs a file: folder of the project whose own
// dependency is linked into the folder's node_modules, not the project's.
func TestIsolatedLinkedFolder(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "c", Version: "1.0.0", Files: map[string]string{"index.js": `exports.id = "c@1.0.0";`}})
	dir, home := t.TempDir(), t.TempDir()
	reg.WriteNpmrc(dir)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH")}
	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib", "package.json"), []byte(`{"name":"lib","version":"1.0.0","dependencies":{"c":"^1.0.0"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "lib", "index.js"), []byte(`exports.c = require("c").id;`), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"lib":"file:./lib"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(`let c; try { require("c"); c = "found"; } catch (e) { c = e.code; }
console.log(require("lib").c, c);
`), 0o644)
	if _, err := Run(context.Background(), Options{Mode: ModeInstall, Dir: dir, Env: env, NodeVersion: "v22.12.0"}); err != nil {
		t.Fatalf("hoisted install: %v", err)
	}
	installIsolated(t, dir, env)
	for rel, want := range map[string]string{
		"node_modules/lib":   "../lib",
		"lib/node_modules/c": "../../node_modules/.gnode/c@1.0.0/node_modules/c",
	} {
		if got, err := os.Readlink(filepath.Join(dir, filepath.FromSlash(rel))); err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", rel, got, err, want)
		}
	}
	cmd := exec.Command(node, "app.js")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != "c@1.0.0 MODULE_NOT_FOUND" {
		t.Errorf("node app.js: %q (%v), want %q", got, err, "c@1.0.0 MODULE_NOT_FOUND")
	}
}

// TestRunIsolatedWorkspaces: workspace folders are linked at the top as in
// the hoisted layout, and each one's registry dependencies are linked into
// its own node_modules, out of the project's reach.
func TestRunIsolatedWorkspaces(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	reg := gnoderegistry.Start(t)
	reg.Publish(gnoderegistry.Pkg{Name: "c", Version: "1.0.0", Files: map[string]string{"index.js": `exports.id = "c@1.0.0";`}})
	dir, home := t.TempDir(), t.TempDir()
	reg.WriteNpmrc(dir)
	env := []string{"HOME=" + home, "GNODE_CACHE_DIR=" + filepath.Join(home, "cache"), "PATH=" + os.Getenv("PATH")}
	for rel, s := range map[string]string{
		"package.json":             `{"name":"root","version":"1.0.0","workspaces":["packages/*"],"gnode":{"linker":"isolated"}}`,
		"packages/w1/package.json": `{"name":"w1","version":"1.0.0","dependencies":{"c":"^1.0.0","w2":"^1.0.0"}}`,
		"packages/w1/index.js":     `exports.id = "w1 " + require("c").id + " " + require("w2").id;`,
		"packages/w2/package.json": `{"name":"w2","version":"1.0.0"}`,
		"packages/w2/index.js":     `exports.id = "w2";`,
		"app.js":                   `let c; try { require("c"); c = "found"; } catch (e) { c = e.code; } console.log(require("w1").id, c);`,
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755)
		os.WriteFile(filepath.Join(dir, rel), []byte(s), 0o644)
	}
	if _, err := Run(context.Background(), Options{Mode: ModeInstall, Dir: dir, Env: env, NodeVersion: "v22.12.0"}); err != nil {
		t.Fatal(err)
	}
	if !linker.IsIsolated(dir) {
		t.Skip(`Run does not honour "gnode": {"linker": "isolated"} yet (install.go is not wired to linkIsolated)`)
	}
	if got, err := os.Readlink(filepath.Join(dir, "packages", "w1", "node_modules", "c")); err != nil || got != "../../../node_modules/.gnode/c@1.0.0/node_modules/c" {
		t.Errorf("packages/w1/node_modules/c -> %q (%v)", got, err)
	}
	cmd := exec.Command(node, "app.js")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != "w1 c@1.0.0 w2 MODULE_NOT_FOUND" {
		t.Errorf("node app.js: %q (%v), want %q", got, err, "w1 c@1.0.0 w2 MODULE_NOT_FOUND")
	}
}

// FuzzPlanIsolated builds random trees (not necessarily ones npm would
// build) and checks the property the layout exists for: from its isolated
// folder, every package resolves each dependency to a folder holding the
// same name@version the hoisted walk-up gives that copy, and nothing else.
func FuzzPlanIsolated(f *testing.F) {
	for _, seed := range []int64{1, 2, 3, 42, 1234, 99999} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		rng := rand.New(rand.NewSource(seed))
		names := []string{"a", "b", "c", "@s/d", "e"}
		root := &tree.Node{Name: "root", Children: map[string]*tree.Node{}}
		tr := &tree.Tree{Root: root}
		all := []*tree.Node{root}
		var nodes []*tree.Node
		for i, n := 0, 3+rng.Intn(25); i < n; i++ {
			parent := all[rng.Intn(len(all))]
			name := names[rng.Intn(len(names))]
			if parent.Children[name] != nil || parent.Name == name {
				continue
			}
			v := []string{"1.0.0", "2.0.0"}[rng.Intn(2)]
			node := &tree.Node{Name: name, PackageName: name, Version: v, Integrity: "sha512-" + name + v, Parent: parent, Children: map[string]*tree.Node{}}
			parent.Children[name] = node
			all = append(all, node)
			nodes = append(nodes, node)
		}
		for _, n := range all {
			for _, name := range names {
				if rng.Intn(3) == 0 && name != n.Name {
					typ := []tree.EdgeType{tree.Prod, tree.Prod, tree.Peer, tree.Optional}[rng.Intn(4)]
					n.Edges = append(n.Edges, &tree.Edge{From: n, Name: name, Type: typ})
				}
			}
		}
		// Some packages are left out (omitted), and nothing links to them.
		var install []*tree.Node
		inst := map[*tree.Node]bool{}
		paths := map[*tree.Node]string{}
		for _, n := range nodes {
			if rng.Intn(8) != 0 {
				install = append(install, n)
				inst[n] = true
				paths[n] = "store/" + n.ID()
			}
		}
		plan := planIsolated("/p", tr, install, nil, paths, func(*tree.Node) map[string]string { return nil })
		byDir := map[string]linker.IsolatedPackage{}
		for _, p := range plan.pkgs {
			if _, dup := byDir[p.Dir]; dup {
				t.Fatalf("two packages in %s", p.Dir)
			}
			byDir[p.Dir] = p
		}
		dirOf := func(n *tree.Node) string {
			loc := plan.dirOf[n]
			return strings.TrimPrefix(loc[:strings.Index(loc, "/node_modules/"+n.PackageName)], "node_modules/.gnode/")
		}
		for _, n := range install {
			p, ok := byDir[dirOf(n)]
			if !ok {
				t.Fatalf("%s has no package folder (%s)", n.Location(), plan.dirOf[n])
			}
			if p.Name != n.PackageName || !strings.HasPrefix(p.Dir, linker.IsolatedDir(n.PackageName, n.Version)) {
				t.Fatalf("%s (%s) laid out as %s %s", n.Location(), n.ID(), p.Dir, p.Name)
			}
			want := map[string]string{}
			for _, e := range n.Edges {
				start := n
				if e.Type == tree.Peer {
					start = n.Parent
				}
				if to := start.Resolve(e.Name); to != nil && inst[to] {
					want[e.Name] = dirOf(to)
				}
			}
			if fmt.Sprint(want) != fmt.Sprint(p.Deps) {
				t.Fatalf("%s in %s links %v, but its hoisted copy resolves %v", n.Location(), p.Dir, p.Deps, want)
			}
		}
		for _, d := range plan.direct {
			if to := root.Children[d.Name]; to == nil || !inst[to] || dirOf(to) != d.Dir {
				t.Fatalf("direct %s -> %s does not match the tree", d.Name, d.Dir)
			}
		}
	})
}
