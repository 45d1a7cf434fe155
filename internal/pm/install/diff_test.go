package install_test

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

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
	seeds := int64(6)
	if n, err := strconv.Atoi(os.Getenv("GNODE_DIFF_SEEDS")); err == nil && n > 0 {
		seeds = int64(n) // more universes on demand: GNODE_DIFF_SEEDS=50
	}
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
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
					p.reg.Add(pkg)
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
			pkgJSON := `{"name":"app","version":"1.0.0","dependencies":` + obj(deps) + `,"devDependencies":` + obj(dev) + "}\n"
			p.write("package.json", pkgJSON)
			_, gerr, code := p.cli("install", "--ignore-scripts")
			ours, ourLock := p.installed(), p.read("package-lock.json")
			os.RemoveAll(filepath.Join(p.dir, "node_modules"))
			os.Remove(filepath.Join(p.dir, "package-lock.json"))
			cmd := exec.Command("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", filepath.Join(p.home, "npm-cache"))
			cmd.Dir, cmd.Env = p.dir, p.env()
			out, err := cmd.CombinedOutput()
			switch {
			case err != nil && code != 0:
				if !strings.Contains(string(out), "ERESOLVE") || !strings.Contains(gerr, "ERESOLVE") {
					t.Fatalf("both failed, differently:\nnpm: %s\ngnode: %s", out, gerr)
				}
				return
			case err != nil:
				t.Fatalf("npm install failed where gnode succeeded: %v\n%s\npackage.json %s", err, out, pkgJSON)
			case code != 0:
				t.Fatalf("gnode install failed where npm succeeded: %s\npackage.json %s", gerr, pkgJSON)
			}
			theirs := p.installed()
			if keep := os.Getenv("GNODE_DIFF_KEEP"); keep != "" {
				os.WriteFile(filepath.Join(keep, fmt.Sprintf("seed%d-gnode.json", seed)), []byte(ourLock), 0o644)
				os.WriteFile(filepath.Join(keep, fmt.Sprintf("seed%d-npm.json", seed)), []byte(p.read("package-lock.json")), 0o644)
			}

			if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
				t.Fatalf("package.json %s\ngnode:\n  %s\nnpm:\n  %s", pkgJSON, strings.Join(ours, "\n  "), strings.Join(theirs, "\n  "))
			}
			if npmLock := p.read("package-lock.json"); npmLock != ourLock {
				t.Fatalf("lockfiles differ:\n--- gnode\n%s\n--- npm\n%s", ourLock, npmLock)
			}
		})
	}
}
