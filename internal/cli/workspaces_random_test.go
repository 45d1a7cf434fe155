package cli

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

// TestRandomWorkspacesMatchNpm generates monorepos (two to four
// workspaces depending on registry packages with shared dependencies and
// version conflicts, on each other, with dev and optional dependencies) and
// installs each with gnode and with npm: package-lock.json must be
// byte-identical and node_modules the same. GNODE_WS_SEEDS=N runs more.
func TestRandomWorkspacesMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the random workspaces differential test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the random workspaces differential test")
	}
	seeds := int64(8)
	if n, err := strconv.Atoi(os.Getenv("GNODE_WS_SEEDS")); err == nil && n > 0 {
		seeds = int64(n)
	}
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			reg := fakeregistry.New(t)
			names := []string{"alpha", "beta", "gamma", "delta", "eps", "@s/zeta", "eta"}
			versions := []string{"1.0.0", "1.1.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0"}
			have := map[string][]string{}
			for _, n := range names {
				for _, v := range versions {
					if v == "1.0.0" || rng.Intn(3) != 0 {
						have[n] = append(have[n], v)
					}
				}
			}
			rangeOf := func(n string) string {
				v := have[n][rng.Intn(len(have[n]))]
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
			for i, n := range names {
				for _, v := range have[n] {
					pkg := fakeregistry.Pkg{Name: n, Version: v, Deps: map[string]string{}}
					for j := i + 1; j < len(names); j++ {
						if rng.Intn(4) == 0 {
							pkg.Deps[names[j]] = rangeOf(names[j])
						}
					}
					// Even seeds: peer dependencies too.
					if seed%2 == 0 && i+2 < len(names) && rng.Intn(5) == 0 {
						peer := names[i+1+rng.Intn(len(names)-i-1)]
						spec := ">=1.0.0"
						if seed%4 == 0 {
							spec = rangeOf(peer) // conflicts are possible: both tools may refuse
						}
						pkg.PeerDeps = map[string]string{peer: spec}
						delete(pkg.Deps, peer)
					}
					reg.Add(pkg)
				}
			}
			obj := func(m map[string]string) string {
				var parts []string
				for k, v := range m {
					parts = append(parts, fmt.Sprintf("%q:%q", k, v))
				}
				sort.Strings(parts)
				return "{" + strings.Join(parts, ",") + "}"
			}
			files := map[string]string{}
			nws := 2 + rng.Intn(3)
			var wsNames []string
			for w := 0; w < nws; w++ {
				wsNames = append(wsNames, fmt.Sprintf("ws%d", w))
			}
			for w, wn := range wsNames {
				deps, dev, opt := map[string]string{}, map[string]string{}, map[string]string{}
				for _, n := range names {
					switch rng.Intn(6) {
					case 0:
						deps[n] = rangeOf(n)
					case 1:
						dev[n] = rangeOf(n)
					case 2:
						if rng.Intn(2) == 0 {
							opt[n] = rangeOf(n)
						}
					}
				}
				// Depend on a later workspace now and then.
				if w+1 < nws && rng.Intn(2) == 0 {
					deps[wsNames[w+1+rng.Intn(nws-w-1)]] = "^1.0.0"
				}
				files["packages/"+wn+"/package.json"] = fmt.Sprintf(`{"name":%q,"version":"1.%d.0","dependencies":%s,"devDependencies":%s,"optionalDependencies":%s}`,
					wn, w, obj(deps), obj(dev), obj(opt))
			}
			rootDeps := map[string]string{}
			for _, n := range names {
				if rng.Intn(4) == 0 {
					rootDeps[n] = rangeOf(n)
				}
			}
			files["package.json"] = `{"name":"mono","version":"1.0.0","workspaces":["packages/*"],"dependencies":` + obj(rootDeps) + `}`
			p := &wsProject{t: t, dir: t.TempDir(), home: t.TempDir()}
			for name, body := range files {
				f := filepath.Join(p.dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(f), 0o755)
				os.WriteFile(f, []byte(body), 0o644)
			}
			reg.WriteNpmrc(p.dir)
			out, ncode := p.npm("install", "--ignore-scripts")
			if os.Getenv("GNODE_WS_DEBUG") != "" {
				// npm's timing log shows the order it resolved folders in.
				p.reset()
				p.npm("install", "--ignore-scripts", "--timing")
				logs, _ := filepath.Glob(filepath.Join(p.home, "npm-cache", "_logs", "*debug*.log"))
				sort.Strings(logs)
				if len(logs) > 0 {
					b, _ := os.ReadFile(logs[len(logs)-1])
					for _, l := range strings.Split(string(b), "\n") {
						if strings.Contains(l, "idealTree:") || strings.Contains(l, "placeDep") {
							t.Log(l)
						}
					}
				}
			}
			npmLock, npmLayout := p.read("package-lock.json"), p.layout()
			p.reset()
			o, e, code := p.gnode("install", "--ignore-scripts")
			switch {
			case ncode != 0 && code != 0:
				// Both refuse: a peer conflict involving a workspace's own
				// dependencies is npm's ERESOLVE.
				if strings.Contains(out, "ERESOLVE") != strings.Contains(e, "ERESOLVE") {
					t.Fatalf("both failed, differently:\nnpm: %s\ngnode: %s", out, e)
				}
				return
			case ncode != 0:
				t.Fatalf("npm failed where gnode succeeded:\n%s\nfiles %v", out, files)
			case code != 0:
				t.Fatalf("gnode failed where npm succeeded: %s%s\nfiles %v", o, e, files)
			}
			ourLock, ourLayout := p.read("package-lock.json"), p.layout()
			if keep := os.Getenv("GNODE_WS_KEEP"); keep != "" {
				os.WriteFile(filepath.Join(keep, fmt.Sprintf("seed%d.npm.json", seed)), []byte(npmLock), 0o644)
				os.WriteFile(filepath.Join(keep, fmt.Sprintf("seed%d.gnode.json", seed)), []byte(ourLock), 0o644)
			}
			if strings.Join(ourLayout, "\n") != strings.Join(npmLayout, "\n") {
				t.Errorf("node_modules differs (files %v):\n--- gnode\n  %s\n--- npm\n  %s", files, strings.Join(ourLayout, "\n  "), strings.Join(npmLayout, "\n  "))
			}
			if ourLock != npmLock {
				t.Errorf("package-lock.json differs (files %v):\n--- gnode\n%s\n--- npm\n%s", files, ourLock, npmLock)
			}
			// npm ci installs gnode's lockfile as it is.
			p.reset()
			os.WriteFile(filepath.Join(p.dir, "package-lock.json"), []byte(ourLock), 0o644)
			if out, code := p.npm("ci", "--ignore-scripts"); code != 0 {
				t.Errorf("npm ci on gnode's lockfile: %s", out)
			} else if got := p.layout(); strings.Join(got, "\n") != strings.Join(ourLayout, "\n") {
				t.Errorf("npm ci laid out another tree:\n  %s", strings.Join(got, "\n  "))
			}
		})
	}
}
