package ls

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/install"
	"gnode/internal/testutil/gnoderegistry"
)

// isolatedFixture publishes a tree with hoisting, nested conflicts, a
// scoped package, an alias, dev, optional and peer dependencies, a bundled
// dependency, copies of one version whose dependencies resolve differently,
// and a workspace with its own conflicting dependency.
func isolatedFixture(t *testing.T) (dir string, env []string) {
	t.Helper()
	r := gnoderegistry.Start(t)
	for _, p := range []gnoderegistry.Pkg{
		{Name: "leaf", Version: "1.0.0"},
		{Name: "leaf", Version: "2.0.0"},
		{Name: "shared", Version: "1.2.0"},
		{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0", "shared": "^1.0.0"}},
		{Name: "other", Version: "1.0.0", Deps: map[string]string{"mid": "^1.0.0", "leaf": "^2.0.0"}},
		{Name: "@team/tool", Version: "1.2.0", Deps: map[string]string{"shared": "^1.0.0"}, Peer: map[string]string{"leaf": "*"}},
		{Name: "devonly", Version: "3.0.0", Deps: map[string]string{"mid": "^1.0.0"}},
		{Name: "opt", Version: "1.0.0"},
		{Name: "bundler", Version: "1.0.0", Deps: map[string]string{"inner": "^1.0.0"},
			Extra: map[string]any{"bundleDependencies": []string{"inner"}},
			Files: map[string]string{"node_modules/inner/package.json": `{"name":"inner","version":"1.0.0"}`, "node_modules/inner/index.js": ""}},
	} {
		r.Publish(p)
	}
	dir = t.TempDir()
	files := map[string]string{
		"package.json": `{"name":"app","version":"1.0.0","workspaces":["packages/*"],
"dependencies":{"mid":"^1.0.0","leaf":"^2.0.0","@team/tool":"^1.0.0","shared":"^1.0.0","other":"^1.0.0","lf":"npm:leaf@^1.0.0","bundler":"^1.0.0",
"local":"file:libs/local","outside":"file:../outside"},
"devDependencies":{"devonly":"^3.0.0"},"optionalDependencies":{"opt":"^1.0.0"}}`,
		"packages/a/package.json": `{"name":"wa","version":"0.1.0","dependencies":{"leaf":"^1.0.0","mid":"^1.0.0"}}`,
		"libs/local/package.json": `{"name":"local","version":"0.0.1","dependencies":{"shared":"^1.0.0"}}`,
		"../outside/package.json": `{"name":"outside","version":"0.0.2"}`,
	}
	for p, c := range files {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(fp), 0o755)
		if err := os.WriteFile(fp, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.WriteNpmrc(dir)
	home := t.TempDir()
	env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + filepath.Join(home, "cache")}
	return dir, env
}

func installAs(t *testing.T, dir string, env []string, layout string) {
	t.Helper()
	var errb strings.Builder
	if _, err := install.Run(context.Background(), install.Options{Dir: dir, Env: env, Linker: layout, Stderr: &errb}); err != nil {
		t.Fatalf("install --linker %s: %v\n%s", layout, err, errb.String())
	}
}

// views renders everything ls, why and outdated show for the project.
func views(t *testing.T, dir string) map[string]string {
	t.Helper()
	root, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range []Options{
		{Depth: -1, Unicode: true},
		{All: true, Depth: -1, Unicode: true},
		{All: true, Depth: -1, JSON: true},
		{All: true, Depth: -1, Long: true, JSON: true},
		{All: true, Depth: -1, Parseable: true},
		{Depth: 1, Unicode: false},
		{All: true, Depth: -1, Omit: []string{"dev"}, Unicode: true},
		{Depth: -1, Args: []string{"leaf"}, Unicode: true},
		{Depth: -1, Args: []string{"shared"}, JSON: true},
	} {
		res := List(root, o)
		out[fmt.Sprintf("ls %+v", o)] = fmt.Sprintf("exit %d\n%s", res.ExitCode, res.Output)
	}
	for _, name := range []string{"leaf", "shared", "mid", "inner", "leaf@1", "@team/tool", "node_modules/mid/node_modules/leaf"} {
		out["why "+name] = Explain(root, Find(root, name))
	}
	fetch := func(ctx context.Context, name string) (*packument.Packument, error) {
		return &packument.Packument{Name: name, DistTags: map[string]string{"latest": "9.0.0"}, Versions: map[string]*packument.Manifest{"9.0.0": {Name: name, Version: "9.0.0"}}}, nil
	}
	list, err := Outdated(context.Background(), root, fetch, OutdatedOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	out["outdated"] = OutdatedJSON(list, true)
	return out
}

// TestIsolatedListsLikeHoisted: one project installed hoisted, then
// isolated (from the same lockfile), lists, explains and reports outdated
// packages identically.
func TestIsolatedListsLikeHoisted(t *testing.T) {
	dir, env := isolatedFixture(t)
	installAs(t, dir, env, "hoisted")
	lock, _ := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	hoisted := views(t, dir)
	installAs(t, dir, env, "isolated")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/.gnode/lock.json")); err != nil {
		t.Fatalf("not the isolated layout: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "node_modules/shared/node_modules")); err == nil {
		t.Fatalf("hoisted leftovers in the isolated layout")
	}
	if lock2, _ := os.ReadFile(filepath.Join(dir, "package-lock.json")); string(lock2) != string(lock) {
		t.Fatalf("the isolated install changed package-lock.json")
	}
	isolated := views(t, dir)
	for k, want := range hoisted {
		if got := isolated[k]; got != want {
			t.Errorf("%s differs\nhoisted:\n%s\nisolated:\n%s", k, want, got)
		}
	}
	// The views are not trivially equal: the full tree shows nested and
	// transitive packages, and why finds every copy.
	all := hoisted[fmt.Sprintf("ls %+v", Options{All: true, Depth: -1, Unicode: true})]
	for _, want := range []string{"mid@1.0.0", "leaf@1.0.0", "shared@1.2.0 deduped", "inner@1.0.0", "wa@0.1.0"} {
		if !strings.Contains(all, want) {
			t.Errorf("ls --all lacks %q:\n%s", want, all)
		}
	}
	if w := hoisted["why leaf"]; strings.Count(w, "leaf@") < 3 {
		t.Errorf("why leaf shows too little:\n%s", w)
	}
}

func FuzzSplitLocation(f *testing.F) {
	for _, s := range []string{"node_modules/a", "node_modules/@s/b", "node_modules/a/node_modules/@s/b", "packages/a", "packages/a/node_modules/x", "node_modules/", "node_modules/@s", "node_modules/a/b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		parent, name, ok := splitLocation(loc)
		if !ok {
			return
		}
		if name == "" || strings.Contains(strings.TrimPrefix(name, "@"), "//") {
			t.Fatalf("%q: bad name %q", loc, name)
		}
		want := "node_modules/" + name
		if parent != "" {
			want = parent + "/node_modules/" + name
		}
		if want != loc {
			t.Fatalf("%q splits into %q + %q, which rebuild %q", loc, parent, name, want)
		}
	})
}
