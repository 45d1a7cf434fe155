package install_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gnode/internal/npm/packument"
	"gnode/internal/testutil/fakeregistry"
)

// TestRandomTreesMatchNpm generates package universes with shared
// dependencies, version conflicts and peers, installs each with gnode and
// with the real npm, and compares the trees (location and name@version)
// and the lockfiles byte for byte.
func TestRandomTreesMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH; skipping the differential resolver test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the differential resolver test")
	}
	seeds := int64(18) // with the 8 below, about a minute on a loaded 2-core machine
	if n, err := strconv.Atoi(os.Getenv("GNODE_DIFF_SEEDS")); err == nil && n > 0 {
		seeds = int64(n) // more universes on demand: GNODE_DIFF_SEEDS=200
	}
	// GNODE_DIFF_KEEP=dir keeps, for each seed, both lockfiles, the
	// universe and npm's placement log (loglevel silly) in dir.
	keep := os.Getenv("GNODE_DIFF_KEEP")
	run := map[int64]bool{}
	for seed := int64(1); seed <= seeds; seed++ {
		run[seed] = true
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomTreeMatchesNpm(t, seed, false, keep) })
	}
	// Seeds that once differed from npm 11 always run (npm's REPLACE,
	// shadowed extraneous packages, peer sets and their sources,
	// replaced peer sets re-placed deeper, meta-peers).
	for _, seed := range []int64{40, 44, 72, 114, 122, 150, 158, 197} {
		if !run[seed] {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomTreeMatchesNpm(t, seed, false, keep) })
		}
	}
}

// TestRandomFeatureTreesMatchNpm is TestRandomTreesMatchNpm with the
// features the plain universes leave out, drawn from a second random
// source so the plain universes stay as they are: optional peers
// (peerDependenciesMeta), npm: aliases in packages and in the project,
// overrides (global and under a parent) and optional dependencies on
// versions that do not exist. GNODE_FEATURE_SEEDS=N runs more.
func TestRandomFeatureTreesMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH; skipping the differential resolver test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the differential resolver test")
	}
	seeds := int64(6)
	if n, err := strconv.Atoi(os.Getenv("GNODE_FEATURE_SEEDS")); err == nil && n > 0 {
		seeds = int64(n)
	}
	keep := os.Getenv("GNODE_DIFF_KEEP")
	run := map[int64]bool{}
	for seed := int64(1); seed <= seeds; seed++ {
		run[seed] = true
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomTreeMatchesNpm(t, seed, true, keep) })
	}
	// Seeds that once differed from npm 11 always run (an optional peer
	// that was missing, so valid, until a later placement brought the name
	// in a version it does not accept: npm queues its dependent again, or
	// in one it accepts: the peer then counts among its dependents; a
	// dependent's own spec for a peer placed with a peer's preference for
	// deduplication).
	for _, seed := range []int64{25, 26, 33, 37, 39} {
		if !run[seed] {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomTreeMatchesNpm(t, seed, true, keep) })
		}
	}
}

// randomTreeMatchesNpm generates the universe of seed, installs it with
// gnode and with npm and compares the layouts and lockfiles.
func randomTreeMatchesNpm(t *testing.T, seed int64, features bool, keep string) {
	rng := rand.New(rand.NewSource(seed))
	xr := rand.New(rand.NewSource(seed*7919 + 17)) // features only
	tag := fmt.Sprint("seed", seed)
	if features {
		tag = fmt.Sprint("feature", seed)
	}
	hard := seed%2 == 0 // even seeds: arbitrary peer ranges, optional and dev dependencies
	names := []string{"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "@s/lam", "@s/mu"}
	versions := []string{"1.0.0", "1.1.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0"}
	ranges := func(v string) string {
		switch rng.Intn(4) {
		case 0:
			return "^" + v
		case 1:
			return "~" + v
		case 2:
			return v
		}
		return ">=" + v
	}
	p := newProject(t, "")
	var universe []string
	have := map[string][]string{}
	for _, n := range names {
		for _, v := range versions {
			if v == "1.0.0" || rng.Intn(3) != 0 {
				have[n] = append(have[n], v)
			}
		}
	}
	pick := func(n string) string { return ranges(have[n][rng.Intn(len(have[n]))]) }
	for i, n := range names {
		for _, v := range have[n] {
			pkg := fakeregistry.Pkg{Name: n, Version: v, Deps: map[string]string{}}
			// Depend only on later names, so the graph has no cycles.
			for j := i + 1; j < len(names); j++ {
				if rng.Intn(4) == 0 {
					pkg.Deps[names[j]] = pick(names[j])
				}
			}
			if i+2 < len(names) && rng.Intn(5) == 0 {
				peer := names[i+1+rng.Intn(len(names)-i-1)]
				spec := ">=1.0.0"
				if hard {
					spec = pick(peer)
				}
				pkg.PeerDeps = map[string]string{peer: spec}
				delete(pkg.Deps, peer)
			}
			if hard && i+1 < len(names) && rng.Intn(6) == 0 {
				od := names[i+1+rng.Intn(len(names)-i-1)]
				pkg.OptionalDeps = map[string]string{od: pick(od)}
				delete(pkg.Deps, od)
				delete(pkg.PeerDeps, od)
			}
			if features {
				addFeatures(xr, &pkg, names[i+1:], have)
			}
			p.reg.Add(pkg)
			universe = append(universe, describePkg(pkg))
		}
	}
	deps, dev := map[string]string{}, map[string]string{}
	for _, n := range names {
		switch {
		case rng.Intn(3) == 0:
			deps[n] = pick(n)
		case hard && rng.Intn(4) == 0:
			dev[n] = pick(n)
		}
	}
	obj := func(m map[string]string) string {
		var parts []string
		for n, r := range m {
			parts = append(parts, fmt.Sprintf("%q:%q", n, r))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	}
	extra := ""
	if features {
		// An aliased direct dependency, and overrides.
		n := names[xr.Intn(len(names))]
		deps["my-"+strings.TrimPrefix(strings.ReplaceAll(n, "/", "-"), "@")] = "npm:" + n + "@" + xrange(xr, have[n])
		ov := map[string]any{}
		for k := xr.Intn(3); k > 0; k-- {
			n := names[xr.Intn(len(names))]
			v := have[n][xr.Intn(len(have[n]))]
			if xr.Intn(2) == 0 {
				ov[n] = v
			} else {
				parent := names[xr.Intn(len(names))]
				if parent != n {
					ov[parent] = map[string]any{n: v}
				}
			}
		}
		if len(ov) > 0 {
			b, _ := json.Marshal(ov)
			extra = `,"overrides":` + string(b)
		}
	}
	pkgJSON := `{"name":"app","version":"1.0.0","dependencies":` + obj(deps) + `,"devDependencies":` + obj(dev) + extra + "}\n"
	p.write("package.json", pkgJSON)
	_, gerr, code := p.cli("install", "--ignore-scripts")
	ours, ourLock := p.installed(), p.read("package-lock.json")
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.Remove(filepath.Join(p.dir, "package-lock.json"))
	args := []string{"install", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", filepath.Join(p.home, "npm-cache")}
	if keep != "" {
		args = append(args, "--loglevel", "silly")
	}
	// npm 11 itself can loop forever on some universes (feature seed 47
	// never finishes under npm); such a seed proves nothing about gnode.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", args...)
	cmd.Dir, cmd.Env = p.dir, p.env()
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Skipf("npm install did not finish within 3 minutes on this universe (gnode: exit %d); nothing to compare", code)
	}
	if keep != "" {
		os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s-universe.txt", tag)), []byte(pkgJSON+strings.Join(universe, "\n")+"\n"), 0o644)
		var log []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "placeDep") || strings.Contains(l, "ERESOLVE") || strings.Contains(l, "warn") {
				log = append(log, l)
			}
		}
		os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s-npm.log", tag)), []byte(strings.Join(log, "\n")+"\n"), 0o644)
	}
	switch {
	case err != nil && code != 0:
		same := false
		for _, code := range []string{"ERESOLVE", "EOVERRIDE"} {
			same = same || strings.Contains(string(out), code) && strings.Contains(gerr, code)
		}
		if !same {
			t.Fatalf("both failed, differently:\nnpm: %s\ngnode: %s", out, gerr)
		}
		return
	case err != nil:
		t.Fatalf("npm install failed where gnode succeeded: %v\n%s\npackage.json %s", err, out, pkgJSON)
	case code != 0:
		t.Fatalf("gnode install failed where npm succeeded: %s\npackage.json %s", gerr, pkgJSON)
	}
	theirs := p.installed()
	if keep != "" {
		os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s-gnode.json", tag)), []byte(ourLock), 0o644)
		os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s-npm.json", tag)), []byte(p.read("package-lock.json")), 0o644)
	}

	if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Fatalf("package.json %s\ngnode:\n  %s\nnpm:\n  %s", pkgJSON, strings.Join(ours, "\n  "), strings.Join(theirs, "\n  "))
	}
	if npmLock := p.read("package-lock.json"); npmLock != ourLock {
		t.Fatalf("lockfiles differ:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
	}
}

// addFeatures gives a generated package some of: an optional peer, an
// aliased dependency on a later name, an optional dependency on a version
// that does not exist.
func addFeatures(xr *rand.Rand, pkg *fakeregistry.Pkg, later []string, have map[string][]string) {
	if len(later) == 0 {
		return
	}
	if xr.Intn(5) == 0 {
		n := later[xr.Intn(len(later))]
		if pkg.PeerDeps == nil {
			pkg.PeerDeps = map[string]string{}
		}
		if _, taken := pkg.Deps[n]; !taken && pkg.OptionalDeps[n] == "" {
			pkg.PeerDeps[n] = xrange(xr, have[n])
			pkg.PeerMeta = map[string]packument.PeerDependencyMeta{n: {Optional: true}}
		}
	}
	if xr.Intn(6) == 0 {
		n := later[xr.Intn(len(later))]
		pkg.Deps["al-"+strings.TrimPrefix(strings.ReplaceAll(n, "/", "-"), "@")] = "npm:" + n + "@" + xrange(xr, have[n])
	}
	if xr.Intn(12) == 0 {
		n := later[xr.Intn(len(later))]
		if _, taken := pkg.Deps[n]; !taken && pkg.PeerDeps[n] == "" {
			if pkg.OptionalDeps == nil {
				pkg.OptionalDeps = map[string]string{}
			}
			pkg.OptionalDeps[n] = "9.9.9"
		}
	}
}

// xrange is a range over one of versions.
func xrange(xr *rand.Rand, versions []string) string {
	v := versions[xr.Intn(len(versions))]
	return [...]string{"^", "~", "", ">="}[xr.Intn(4)] + v
}

// describePkg is one line of a universe dump: name@version and its
// dependencies by kind.
func describePkg(p fakeregistry.Pkg) string {
	s := p.Name + "@" + p.Version
	for _, k := range []struct {
		label string
		m     map[string]string
	}{{"deps", p.Deps}, {"peer", p.PeerDeps}, {"opt", p.OptionalDeps}} {
		if len(k.m) == 0 {
			continue
		}
		var parts []string
		for n, r := range k.m {
			parts = append(parts, n+"@"+r)
		}
		sort.Strings(parts)
		s += " " + k.label + "(" + strings.Join(parts, " ") + ")"
	}
	return s
}

// TestBundledBinsMatchNpm installs a package whose tarball bundles
// dependencies with commands (a bin map with a file lacking exec bits, a
// scoped package's string bin, a bundled package's own bundled dependency)
// with the real npm and with gnode, and compares every .bin link below
// node_modules and the mode of what it points at. The isolated layout must
// give the bundler's folder the same links.
func TestBundledBinsMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH; skipping the bundled bins differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the bundled bins differential test")
	}
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"bundler":"^1.0.0","plain":"^1.0.0"}}`+"\n")
	p.reg.Add(fakeregistry.Pkg{
		Name: "bundler", Version: "1.0.0",
		Deps:    map[string]string{"tool": "^1.0.0", "@s/scoped": "^2.0.0", "plain": "^2.0.0"},
		Bundled: []string{"tool", "@s/scoped"},
		Bin:     map[string]string{"bundler": "bin.js"},
		Files: map[string]string{
			"bin.js":                                           "#!/usr/bin/env node\n",
			"node_modules/tool/package.json":                   `{"name":"tool","version":"1.0.0","bin":{"tool":"bin/tool.js","tool-extra":"./bin/extra.js"},"dependencies":{"deep":"^1.0.0"}}`,
			"node_modules/tool/bin/tool.js":                    "#!/usr/bin/env node\nconsole.log('tool')\n",
			"node_modules/tool/bin/extra.js":                   "#!/usr/bin/env node\n",
			"node_modules/tool/node_modules/deep/package.json": `{"name":"deep","version":"1.0.0","bin":{"deep":"d.js"}}`,
			"node_modules/tool/node_modules/deep/d.js":         "#!/usr/bin/env node\n",
			"node_modules/@s/scoped/package.json":              `{"name":"@s/scoped","version":"2.0.0","bin":"cli.js"}`,
			"node_modules/@s/scoped/cli.js":                    "#!/usr/bin/env node\n",
		},
		Modes: map[string]os.FileMode{
			"node_modules/tool/bin/tool.js":  0o644, // npm makes bin targets executable
			"node_modules/tool/bin/extra.js": 0o755,
			"node_modules/@s/scoped/cli.js":  0o644,
		},
	})
	p.reg.Add(fakeregistry.Pkg{Name: "plain", Version: "1.0.0", Bin: map[string]string{"plain": "p.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "plain", Version: "2.0.0", Bin: map[string]string{"plain": "p.js"}})

	if _, e, code := p.cli("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("gnode install: %s", e)
	}
	ours := binLinks(t, filepath.Join(p.dir, "node_modules"))
	ourLock := p.read("package-lock.json")
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	os.Remove(filepath.Join(p.dir, "package-lock.json"))
	cmd := exec.Command("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", filepath.Join(p.home, "npm-cache"))
	cmd.Dir, cmd.Env = p.dir, p.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	theirs := binLinks(t, filepath.Join(p.dir, "node_modules"))
	if len(theirs) == 0 {
		t.Fatal("npm linked no commands: the fixture is wrong")
	}
	if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Fatalf("hoisted .bin links differ\ngnode:\n  %s\nnpm:\n  %s", strings.Join(ours, "\n  "), strings.Join(theirs, "\n  "))
	}
	if npmLock := p.read("package-lock.json"); npmLock != ourLock {
		t.Errorf("lockfiles differ:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
	}

	// The isolated layout: the bundler's folder gets the links npm gives
	// node_modules/bundler, and the project's .bin the direct commands.
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if _, e, code := p.cli("install", "--ignore-scripts", "--linker", "isolated"); code != 0 {
		t.Fatalf("gnode install --linker isolated: %s", e)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(p.dir, "node_modules", "bundler"))
	if err != nil {
		t.Fatal(err)
	}
	// Only the bundled commands: the bundler's registry dependencies are
	// its neighbours in the isolated layout, not inside its folder.
	var wantIso []string
	for _, l := range theirs {
		if rest, ok := strings.CutPrefix(l, "bundler/"); ok && !strings.Contains(rest, "-> ../plain/") {
			wantIso = append(wantIso, rest)
		}
	}
	if got := binLinks(t, real); strings.Join(got, "\n") != strings.Join(wantIso, "\n") {
		t.Errorf("isolated: the bundler's .bin links differ\ngnode:\n  %s\nnpm (hoisted, under bundler/):\n  %s", strings.Join(got, "\n  "), strings.Join(wantIso, "\n  "))
	}
	var top []string
	for _, l := range binLinks(t, filepath.Join(p.dir, "node_modules")) {
		if strings.HasPrefix(l, ".bin/") {
			top = append(top, l)
		}
	}
	var wantTop []string
	for _, l := range theirs {
		if strings.HasPrefix(l, ".bin/") {
			wantTop = append(wantTop, l)
		}
	}
	if strings.Join(top, "\n") != strings.Join(wantTop, "\n") {
		t.Errorf("isolated: the project's .bin links differ\ngnode:\n  %s\nnpm:\n  %s", strings.Join(top, "\n  "), strings.Join(wantTop, "\n  "))
	}
}

// binLinks lists "dir/.bin/name -> target mode" for every command link
// below root (not following links into other folders), where mode is the
// permission bits of the file the link reaches.
func binLinks(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if info.IsDir() && strings.HasPrefix(info.Name(), ".gnode") && path != root {
			return filepath.SkipDir
		}
		if filepath.Base(filepath.Dir(path)) != ".bin" || info.Mode()&os.ModeSymlink == 0 {
			return nil
		}
		target, _ := os.Readlink(path)
		mode := "missing"
		if st, err := os.Stat(path); err == nil {
			mode = fmt.Sprintf("%o", st.Mode().Perm())
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, filepath.ToSlash(rel)+" -> "+target+" "+mode)
		return nil
	})
	sort.Strings(out)
	return out
}

// TestPlacementCasesMatchNpm holds small universes, each distilled from a
// random seed where gnode's tree once differed from npm 11's: the layout
// gnode must produce is written out (checked without npm too), and with
// npm on PATH both installs must agree on layout and lockfile, or fail
// with the same error code.
func TestPlacementCasesMatchNpm(t *testing.T) {
	type tag struct{ name, tag, version string }
	pkg := func(id string, deps, peers map[string]string) fakeregistry.Pkg {
		at := strings.LastIndexByte(id, '@')
		return fakeregistry.Pkg{Name: id[:at], Version: id[at+1:], Deps: deps, PeerDeps: peers}
	}
	optPeer := func(p fakeregistry.Pkg) fakeregistry.Pkg {
		p.PeerMeta = map[string]packument.PeerDependencyMeta{}
		for n := range p.PeerDeps {
			p.PeerMeta[n] = packument.PeerDependencyMeta{Optional: true}
		}
		return p
	}
	m := func(kv ...string) map[string]string {
		out := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	cases := []struct {
		name    string
		pkgs    []fakeregistry.Pkg
		tags    []tag
		pkgJSON string
		want    []string // gnode's layout; nil with wantErr
		wantErr string   // error code both must fail with
	}{{
		// seed 72: a newer version every dependent of the shallower one
		// accepts replaces it there instead of nesting.
		name: "replace shallower older version",
		pkgs: []fakeregistry.Pkg{pkg("a@1.0.0", m("c", ">=1.0.0"), nil), pkg("x@1.0.0", m("y", "1"), nil),
			pkg("y@1.0.0", m("c", "^2.0.0"), nil), pkg("c@1.0.0", nil, nil), pkg("c@2.0.0", nil, nil)},
		tags:    []tag{{"c", "latest", "1.0.0"}},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"a":"1","x":"1"}}`,
		want:    []string{"node_modules/a a@1.0.0", "node_modules/c c@2.0.0", "node_modules/x x@1.0.0", "node_modules/y y@1.0.0"},
	}, {
		// seed 40: a package shadowed for its only dependent stays, extraneous.
		name: "shadowed package kept",
		pkgs: []fakeregistry.Pkg{pkg("b@1.0.0", m("c", "^1.0.0", "d", "1"), nil), pkg("d@1.0.0", m("c", "1.0.0"), nil),
			pkg("d@2.0.0", nil, nil), pkg("c@1.0.0", nil, nil), pkg("c@1.2.0", nil, nil)},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"b":"1","d":"2"}}`,
		want: []string{"node_modules/b b@1.0.0", "node_modules/b/node_modules/c c@1.0.0", "node_modules/b/node_modules/d d@1.0.0",
			"node_modules/c c@1.2.0", "node_modules/d d@2.0.0"},
	}, {
		// seed 197: a peer set takes its versions from the package that
		// brought it (a's ~1.0.0 for i), even for a peer of a peer.
		name: "peer of a peer from the source's spec",
		pkgs: []fakeregistry.Pkg{pkg("a@1.0.0", m("d", "1", "i", "~1.0.0"), nil), pkg("d@1.0.0", nil, m("z", ">=1.0.0")),
			pkg("z@1.0.0", nil, m("i", ">=1.0.0")), pkg("i@1.0.0", nil, nil), pkg("i@2.0.0", nil, nil)},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"a":"1"}}`,
		want:    []string{"node_modules/a a@1.0.0", "node_modules/d d@1.0.0", "node_modules/i i@1.0.0", "node_modules/z z@1.0.0"},
	}, {
		// An optional peer present in a version it does not accept is
		// placed like a peer: under the dependent's parent when it can be.
		name: "invalid optional peer nested",
		pkgs: []fakeregistry.Pkg{pkg("q@1.0.0", m("p", "1"), nil), optPeer(pkg("p@1.0.0", nil, m("c", "^2.0.0"))),
			pkg("c@1.0.0", nil, nil), pkg("c@2.0.0", nil, nil)},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"c":"1.0.0","q":"1"}}`,
		want: []string{"node_modules/c c@1.0.0", "node_modules/q q@1.0.0", "node_modules/q/node_modules/c c@2.0.0",
			"node_modules/q/node_modules/p p@1.0.0"},
	}, {
		name:    "invalid optional peer of the project's dependency",
		pkgs:    []fakeregistry.Pkg{optPeer(pkg("p@1.0.0", nil, m("c", "^2.0.0"))), pkg("c@1.0.0", nil, nil), pkg("c@2.0.0", nil, nil)},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"c":"1.0.0","p":"1"}}`,
		wantErr: "ERESOLVE",
	}, {
		name:    "override of a direct dependency",
		pkgs:    []fakeregistry.Pkg{pkg("c@1.0.0", nil, nil), pkg("c@1.2.0", nil, nil)},
		pkgJSON: `{"name":"app","version":"1.0.0","dependencies":{"c":"^1.0.0"},"overrides":{"c":"1.0.0"}}`,
		wantErr: "EOVERRIDE",
	}}
	_, npmErr := exec.LookPath("npm")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newProject(t, c.pkgJSON+"\n")
			for _, pk := range c.pkgs {
				p.reg.Add(pk)
			}
			for _, tg := range c.tags {
				p.reg.SetTag(tg.name, tg.tag, tg.version)
			}
			_, gerr, code := p.cli("install", "--ignore-scripts")
			if c.wantErr != "" {
				if code == 0 || !strings.Contains(gerr, c.wantErr) {
					t.Fatalf("gnode install: want %s, got exit %d: %s", c.wantErr, code, gerr)
				}
			} else {
				if code != 0 {
					t.Fatalf("gnode install: %s", gerr)
				}
				var got []string
				for _, l := range p.installed() {
					got = append(got, l)
				}
				if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
					t.Fatalf("gnode laid out\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
				}
				// A second install keeps the tree (extraneous packages included).
				lock := p.read("package-lock.json")
				if _, gerr, code := p.cli("install", "--ignore-scripts"); code != 0 {
					t.Fatalf("second gnode install: %s", gerr)
				}
				if again := p.read("package-lock.json"); again != lock || strings.Join(p.installed(), "\n") != strings.Join(got, "\n") {
					t.Fatalf("a second install changed the tree:\n%s\nto\n%s", lock, again)
				}
			}
			if npmErr != nil || testing.Short() {
				return // the expected layouts above were taken from npm 11
			}
			ours, ourLock := p.installed(), p.read("package-lock.json")
			os.RemoveAll(filepath.Join(p.dir, "node_modules"))
			os.Remove(filepath.Join(p.dir, "package-lock.json"))
			cmd := exec.Command("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", filepath.Join(p.home, "npm-cache"))
			cmd.Dir, cmd.Env = p.dir, p.env()
			out, err := cmd.CombinedOutput()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(string(out), c.wantErr) {
					t.Fatalf("npm: want %s, got %v\n%s", c.wantErr, err, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("npm install: %v\n%s", err, out)
			}
			if theirs := p.installed(); strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
				t.Fatalf("layouts differ\ngnode:\n  %s\nnpm:\n  %s", strings.Join(ours, "\n  "), strings.Join(theirs, "\n  "))
			}
			if npmLock := p.read("package-lock.json"); npmLock != ourLock {
				t.Fatalf("lockfiles differ:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
			}
		})
	}
}
