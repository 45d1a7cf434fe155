package pkgsuite

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite baseline.json and docs/PKGSUITE.md from this run")

const (
	manifestPath = "packages.json"
	baselinePath = "baseline.json"
	docsPath     = "../../../docs/PKGSUITE.md"
	parallelRuns = 2 // the build machine has 2 cores
)

func TestManifest(t *testing.T) {
	m, err := LoadManifest(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Packages) < 10 {
		t.Errorf("only %d packages listed; the corpus should not shrink by accident", len(m.Packages))
	}
	b, err := LoadBaseline(baselinePath)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range m.Packages {
		listed[e.ID()] = true
	}
	for spec := range b {
		if !listed[spec] {
			t.Errorf("baseline.json has %s, which packages.json no longer lists; rerun with -update", spec)
		}
	}
}

func TestManifestRejects(t *testing.T) {
	cases := []struct{ name, json string }{
		{"range not pinned", `{"packages":[{"spec":"qs@^6","tape":["t.js"],"timeout":"1s","nodeExpect":{"clean":true}}]}`},
		{"no runner", `{"packages":[{"spec":"qs@6.0.0","timeout":"1s","nodeExpect":{"clean":true}}]}`},
		{"two runners", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"node":["b"],"timeout":"1s","nodeExpect":{"clean":true}}]}`},
		{"tape and mocha", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"mocha":["b"],"timeout":"1s","nodeExpect":{"clean":true}}]}`},
		{"no expectation", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{}}]}`},
		{"bad timeout", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"soon","nodeExpect":{"clean":true}}]}`},
		{"duplicate", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true}},{"spec":"qs@6.0.1","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true}}]}`},
		{"patch without why", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"patches":[{"file":"t.js","from":"1e6","to":"1e3","count":1}]}]}`},
		{"patch outside the package", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"patches":[{"file":"../t.js","from":"1e6","to":"1e3","count":1,"why":"x"}]}]}`},
		{"unknown field", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"tests":1}]}`},
		{"variant without replacements", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"builtin"}]}`},
		{"replacements without a variant", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"replace":[{"file":"index.js","with":"x","why":"y"}]}]}`},
		{"bad variant name", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"Built in","replace":[{"file":"index.js","with":"x","why":"y"}]}]}`},
		{"replacement outside the package", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"b","replace":[{"file":"../index.js","with":"x","why":"y"}]}]}`},
		{"replacement without why", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"b","replace":[{"file":"index.js","with":"x"}]}]}`},
		{"same variant twice", `{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"b","replace":[{"file":"i.js","with":"x","why":"y"}]},{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"b","replace":[{"file":"i.js","with":"x","why":"y"}]}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "packages.json")
			os.WriteFile(p, []byte(c.json), 0o644)
			if _, err := LoadManifest(p); err == nil {
				t.Errorf("accepted %s", c.json)
			}
		})
	}
}

func TestManifestVariant(t *testing.T) {
	p := filepath.Join(t.TempDir(), "packages.json")
	os.WriteFile(p, []byte(`{"packages":[{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true}},{"spec":"qs@6.0.0","tape":["a"],"timeout":"1s","nodeExpect":{"clean":true},"variant":"builtin-qs","replace":[{"file":"index.js","with":"module.exports = require('querystring');","why":"w"}]}]}`), 0o644)
	m, err := LoadManifest(p)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := m.Packages[0], m.Packages[1]; a.ID() != "qs@6.0.0" || b.ID() != "qs@6.0.0#builtin-qs" || b.Label() != "qs (builtin-qs)" {
		t.Errorf("IDs %q %q, label %q", a.ID(), b.ID(), b.Label())
	}
}

func TestApplyReplacements(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.js"), []byte("module.exports = polyfill;"), 0o644)
	e := Entry{Spec: "p@1.0.0", Variant: "builtin", Replace: []Replacement{{File: "index.js", With: "module.exports = require('path');\n", Why: "w"}}}
	if err := ApplyPatches(e, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.js")); string(b) != "module.exports = require('path');\n" {
		t.Errorf("replaced file: %q", b)
	}
	e.Replace[0].File = "lib/main.js"
	if err := ApplyPatches(e, dir); err == nil {
		t.Error("a missing file was replaced (created)")
	}
	if _, err := os.Stat(filepath.Join(dir, "lib", "main.js")); err == nil {
		t.Error("the missing file was created")
	}
}

func TestApplyPatches(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "test"), 0o755)
	file := filepath.Join(dir, "test", "a.js")
	os.WriteFile(file, []byte("for (i = 0; i < 1e6; i++) x(); for (j = 0; j < 1e6; j++) y();"), 0o644)
	e := Entry{Spec: "p@1.0.0", Patches: []Patch{{File: "test/a.js", From: "< 1e6", To: "< 1e3", Count: 2, Why: "speed"}}}
	if err := ApplyPatches(e, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != "for (i = 0; i < 1e3; i++) x(); for (j = 0; j < 1e3; j++) y();" {
		t.Errorf("patched file: %s", b)
	}
	// Applying again finds no "< 1e6": the count check refuses.
	if err := ApplyPatches(e, dir); err == nil || !strings.Contains(err.Error(), "0 times") {
		t.Errorf("second application: %v", err)
	}
	if err := ApplyPatches(Entry{Spec: "p@1.0.0", Patches: []Patch{{File: "test/missing.js", From: "a", To: "b", Count: 1, Why: "w"}}}, dir); err == nil {
		t.Error("a missing file was patched")
	}
}

func TestParseTAP(t *testing.T) {
	cases := []struct {
		name       string
		out        string
		pass, fail int
		seen       bool
		firstFail  string
	}{
		{"empty", "", 0, 0, false, ""},
		{"not tap", "all good\n", 0, 0, false, ""},
		{"tape", "TAP version 13\n# a\nok 1 should be equal\nok 2 x\n\n1..2\n# tests 2\n# pass  2\n\n# ok\n", 2, 0, true, ""},
		{"failure with diagnostics", "ok 1 a\nnot ok 2 should be equal\n  ---\n    operator: equal\n    expected: 1\n    actual:   2\n    at: Test.<anonymous> (/x/test.js:3:5)\n    stack: |-\n      Error\n  ...\nok 3 b\n",
			2, 1, true, "not ok 2 should be equal (operator: equal; expected: 1; actual:   2; at: Test.<anonymous> (/x/test.js:3:5))"},
		{"todo is not a failure", "not ok 1 later # TODO\nok 2 b\n", 1, 0, true, ""},
		{"two files restart numbering", "ok 1 a\n1..1\nok 1 b\nnot ok 2 c\n", 2, 1, true, "not ok 2 c"},
		{"indented subtest points are not counted", "    ok 1 inner\nok 1 outer\n", 1, 0, true, ""},
		{"crlf", "ok 1 a\r\nnot ok 2 b\r\n", 1, 1, true, "not ok 2 b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ParseTAP(c.out)
			if got.Pass != c.pass || got.Fail != c.fail || got.Seen != c.seen || got.FirstFail != c.firstFail {
				t.Errorf("ParseTAP = %+v, want pass %d fail %d seen %v first %q", got, c.pass, c.fail, c.seen, c.firstFail)
			}
		})
	}
}

func TestFirstError(t *testing.T) {
	cases := []struct{ stderr, stdout, want string }{
		{"/x/a.js:3\n  foo()\n  ^\n\nTypeError: foo is not a function\n    at /x/a.js:3:3\n", "", "TypeError: foo is not a function"},
		{"gnode: error: module \"net\" is not implemented yet\nhint: x\n", "", `gnode: error: module "net" is not implemented yet`},
		{"", "Error: Cannot find module 'x'\n", "Error: Cannot find module 'x'"},
		{"something odd\n", "", "something odd"},
		{"", "", ""},
	}
	for _, c := range cases {
		if got := FirstError(c.stderr, c.stdout); got != c.want {
			t.Errorf("FirstError(%q, %q) = %q, want %q", c.stderr, c.stdout, got, c.want)
		}
	}
}

func TestExplain(t *testing.T) {
	node := &runOutput{stderr: "TypeError [ERR_X]: same\n", stdout: "ok 1 a\nnot ok 3 old\n"}
	node.ExitCode = 1
	cases := []struct {
		name string
		r    runOutput
		want string
	}{
		{"own thrown error", runOutput{stderr: "TypeError: only gnode\n"}, "TypeError: only gnode"},
		{"node's error too", runOutput{stderr: "TypeError [ERR_X]: same\n"}, "as under node: TypeError [ERR_X]: same"},
		{"own failed assertion", runOutput{firstFails: []string{"not ok 3 old (at x)", "not ok 9 new (at y)"}}, "not ok 9 new (at y)"},
		{"timeout", runOutput{Run: Run{TimedOut: true}}, "timed out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.r
			if !r.TimedOut {
				r.ExitCode = 1
			}
			explain(&r, node)
			if r.Error != c.want {
				t.Errorf("explain = %q, want %q", r.Error, c.want)
			}
		})
	}
}

// TestPackageSuites is the slow measurement: install every listed package
// with its devDependencies, run its suite under node and under gnode, check
// node passes where node-compat.md says it does, and check gnode never
// falls below baseline.json.
func TestPackageSuites(t *testing.T) {
	if testing.Short() {
		t.Skip("installs ~20 packages from the registry and runs their suites (minutes): skipped under -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the suites are measured against it")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed: it packs the tarballs")
	}
	registry := npmRegistry(t, npm)

	m, err := LoadManifest(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	base, err := LoadBaseline(baselinePath)
	if err != nil {
		t.Fatal(err)
	}
	entries := m.Packages
	if only := os.Getenv("PKGSUITE_ONLY"); only != "" {
		want := map[string]bool{}
		for _, n := range strings.Split(only, ",") {
			want[strings.TrimSpace(n)] = true
		}
		var kept []Entry
		for _, e := range entries {
			if want[e.Name()] || want[e.Spec] || want[e.ID()] {
				kept = append(kept, e)
			}
		}
		entries = kept
		if *update {
			t.Fatal("-update with PKGSUITE_ONLY would drop the other packages from the baseline; run the whole list")
		}
	}

	cache := os.Getenv("PKGSUITE_CACHE")
	if cache == "" {
		cache = t.TempDir()
	} else if cache, err = filepath.Abs(cache); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"tarballs", "pkgs", "logs", "gnode-cache", "bin"} {
		if err := os.MkdirAll(filepath.Join(cache, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	gnode := gnodeBinary(t, filepath.Join(cache, "bin"))
	nodeVersion := strings.TrimSpace(output(exec.Command(node, "--version")))
	t.Logf("registry %s, node %s, gnode %s, cache %s", registry, nodeVersion, gnode, cache)

	h := &harness{m: m, node: node, npm: npm, gnode: gnode, cache: cache}
	start := time.Now()

	// Installs run one at a time (they are network bound and share gnode's
	// store); suites run as soon as their package is installed, at most
	// parallelRuns at a time.
	installed := make(chan *Result)
	go func() {
		for _, e := range entries {
			installed <- h.install(e)
		}
		close(installed)
	}()
	var (
		mu      sync.Mutex
		results []Result
		wg      sync.WaitGroup
	)
	for range parallelRuns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range installed {
				if r.Installer != "" {
					n := h.run(r.Entry, "node")
					g := h.run(r.Entry, "gnode")
					explain(&n, nil)
					explain(&g, &n)
					r.Node, r.Gnode = n.Run, g.Run
				}
				mu.Lock()
				results = append(results, *r)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	SortResults(results, entries)
	t.Logf("measured %d packages in %s; logs under %s", len(results), time.Since(start).Round(time.Second), filepath.Join(cache, "logs"))

	for _, r := range results {
		e := r.Entry
		if r.Installer == "" {
			t.Errorf("%s: install failed: %s", e.ID(), r.InstallErr)
			continue
		}
		t.Logf("%-36s node %s %4d/%-3d  gnode %-7s %4d/%-3d  %s", e.ID(), r.Node.Status(), r.Node.Pass, r.Node.Fail,
			r.Gnode.Status(), r.Gnode.Pass, r.Gnode.Fail, r.Gnode.Error)
		// node must do what node-compat.md says, else the harness (install,
		// command, counting) is what is broken, not gnode.
		switch {
		case e.NodeExpect.Clean && !r.Node.Clean():
			t.Errorf("%s: under node the suite should pass cleanly but is %s %d/%d (%s): the harness is broken; log %s",
				e.ID(), r.Node.Status(), r.Node.Pass, r.Node.Fail, r.Node.Error, h.logPath(e, "node"))
		case !e.NodeExpect.Clean && r.Node.Pass < e.NodeExpect.MinPass:
			t.Errorf("%s: under node %d assertions pass, node-compat.md reports at least %d: the harness is broken; log %s",
				e.ID(), r.Node.Pass, e.NodeExpect.MinPass, h.logPath(e, "node"))
		}
		if b, ok := base[e.ID()]; ok && !*update {
			overloaded := r.Gnode.TimedOut && machineOverloaded()
			switch {
			case r.Gnode.Pass < b.Pass && b.TimedOut && r.Gnode.TimedOut:
				t.Logf("%s: gnode timed out after %d assertions, the baseline run after %d (load-dependent, not failed)", e.ID(), r.Gnode.Pass, b.Pass)
			case overloaded:
				// The suite ran out of time while the machine ran far more
				// work than it has cores: the count says nothing about gnode.
				t.Logf("%s: gnode timed out after %d assertions (baseline %d) with a load average of %s on %d cores: not counted as a regression; log %s",
					e.ID(), r.Gnode.Pass, b.Pass, loadAverage(), runtime.NumCPU(), h.logPath(e, "gnode"))
			case r.Gnode.Pass < b.Pass:
				t.Errorf("%s: gnode regressed: %d assertions pass, baseline %d (%s); log %s", e.ID(), r.Gnode.Pass, b.Pass, r.Gnode.Error, h.logPath(e, "gnode"))
			}
			if b.Clean && !r.Gnode.Clean() && !overloaded {
				t.Errorf("%s: gnode regressed: the suite passed cleanly in the baseline, now %s (%s); log %s", e.ID(), r.Gnode.Status(), r.Gnode.Error, h.logPath(e, "gnode"))
			}
		}
	}
	tot := Sum(results)
	t.Logf("gnode passes %d of %d packages fully (node %d); assertions passed: node %d, gnode %d",
		tot.GnodeClean, tot.Packages, tot.NodeClean, tot.NodePass, tot.GnodePass)

	if *update {
		if err := WriteFileAtomic(baselinePath, BaselineJSON(results)); err != nil {
			t.Fatal(err)
		}
		page := Markdown(results, time.Now().UTC().Format("2006-01-02"), nodeVersion)
		if err := WriteFileAtomic(docsPath, page); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s and %s", baselinePath, docsPath)
	}
}

// npmRegistry returns npm's configured registry, skipping the test when it
// does not answer.
func npmRegistry(t *testing.T, npm string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, npm, "config", "get", "registry").Output()
	reg := strings.TrimSpace(string(out))
	if err != nil || reg == "" {
		t.Skipf("cannot read the registry from npm's configuration (%v): skipping", err)
	}
	client := &http.Client{Timeout: 15 * time.Second}
	resp, err := client.Get(strings.TrimSuffix(reg, "/") + "/minimist")
	if err != nil {
		t.Skipf("the npm registry %s is unreachable (%v): skipping the package suites", reg, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("the npm registry %s answered %s: skipping the package suites", reg, resp.Status)
	}
	return reg
}

// gnodeBinary builds cmd/gnode (or takes $PKGSUITE_GNODE): the suites run
// it as a separate process, so a crash or a hang cannot take the test down.
func gnodeBinary(t *testing.T, dir string) string {
	if p := os.Getenv("PKGSUITE_GNODE"); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	bin := filepath.Join(dir, "gnode")
	cmd := exec.Command(goTool, "build", "-o", bin, "gnode/cmd/gnode")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building gnode: %v\n%s", err, out)
	}
	return bin
}

func output(cmd *exec.Cmd) string {
	out, _ := cmd.Output()
	return string(out)
}

type harness struct {
	m                *Manifest
	node, npm, gnode string
	cache            string
}

// fileName is the row's name in the cache: a variant gets its own install
// folder and logs.
func fileName(e Entry) string {
	n := strings.ReplaceAll(e.Name(), "/", "+")
	if e.Variant != "" {
		n += "#" + e.Variant
	}
	return n
}

func (h *harness) pkgDir(e Entry) string {
	return filepath.Join(h.cache, "pkgs", fileName(e)+"@"+e.Version())
}

func (h *harness) logPath(e Entry, which string) string {
	return filepath.Join(h.cache, "logs", fileName(e)+"."+which+".log")
}

// installMarker is written last: a folder without it is half-installed and
// is redone.
const installMarker = ".pkgsuite-installed.json"

type installRecord struct {
	Installer string        `json:"installer"`
	Dropped   []string      `json:"dropped"`
	Patches   []Patch       `json:"patches,omitempty"` // a folder patched differently is redone
	Replace   []Replacement `json:"replace,omitempty"`
}

// install packs, unpacks and installs one package with its devDependencies.
func (h *harness) install(e Entry) *Result {
	r := &Result{Entry: e}
	dir := h.pkgDir(e)
	if data, err := os.ReadFile(filepath.Join(dir, installMarker)); err == nil {
		var rec installRecord
		if json.Unmarshal(data, &rec) == nil && rec.Installer != "" && samePatches(rec.Patches, e.Patches) && sameJSON(rec.Replace, e.Replace) {
			r.Installer, r.Dropped = rec.Installer, rec.Dropped
			return r
		}
	}
	fail := func(err error) *Result {
		r.InstallErr = clip(strings.ReplaceAll(err.Error(), "\n", " "), 300)
		return r
	}
	tgz, err := h.pack(e)
	if err != nil {
		return fail(err)
	}
	os.RemoveAll(dir)
	if err := extract(tgz, dir); err != nil {
		return fail(err)
	}
	dropped, err := h.pruneManifest(e, dir)
	if err != nil {
		return fail(err)
	}
	r.Dropped = dropped
	if err := ApplyPatches(e, dir); err != nil {
		return fail(err)
	}
	// A lockfile shipped in a tarball pins what the author had, often an old
	// lockfile version; install from package.json like a fresh checkout.
	os.Remove(filepath.Join(dir, "package-lock.json"))
	os.Remove(filepath.Join(dir, "npm-shrinkwrap.json"))

	log := &bytes.Buffer{}
	gerr := h.cmd(dir, 4*time.Minute, log, h.gnode, "install", "--ignore-scripts")
	if gerr == nil {
		r.Installer = "gnode"
	} else {
		first := FirstError(log.String(), "")
		os.RemoveAll(filepath.Join(dir, "node_modules"))
		log.Reset()
		if err := h.cmd(dir, 4*time.Minute, log, h.npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"); err != nil {
			return fail(fmt.Errorf("gnode install failed (%s) and so did npm install: %w: %s", first, err, FirstError(log.String(), "")))
		}
		r.Installer = "npm (gnode install failed: " + first + ")"
	}
	rec, _ := json.Marshal(installRecord{Installer: r.Installer, Dropped: r.Dropped, Patches: e.Patches, Replace: e.Replace})
	if err := WriteFileAtomic(filepath.Join(dir, installMarker), rec); err != nil {
		return fail(err)
	}
	return r
}

func samePatches(a, b []Patch) bool { return sameJSON(a, b) }

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// pack downloads the tarball with `npm pack` (npm's own cache and registry
// configuration apply).
func (h *harness) pack(e Entry) (string, error) {
	dest := filepath.Join(h.cache, "tarballs")
	name := strings.TrimPrefix(strings.ReplaceAll(e.Name(), "/", "-"), "@") + "-" + e.Version() + ".tgz"
	if _, err := os.Stat(filepath.Join(dest, name)); err == nil {
		return filepath.Join(dest, name), nil
	}
	var log bytes.Buffer
	if err := h.cmd(dest, 2*time.Minute, &log, h.npm, "pack", e.Spec, "--json", "--pack-destination", dest); err != nil {
		return "", fmt.Errorf("npm pack %s: %w: %s", e.Spec, err, FirstError(log.String(), ""))
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	out := log.String()
	if i := strings.Index(out, "["); i >= 0 {
		out = out[i:]
	}
	if err := json.NewDecoder(strings.NewReader(out)).Decode(&packed); err != nil || len(packed) != 1 {
		return "", fmt.Errorf("npm pack %s: unexpected output: %v", e.Spec, err)
	}
	return filepath.Join(dest, packed[0].Filename), nil
}

// pruneManifest removes the dev tools the manifest drops and returns their
// names. The package.json is re-encoded; key order does not matter here.
func (h *harness) pruneManifest(e Entry, dir string) ([]string, error) {
	p := filepath.Join(dir, "package.json")
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var pkg map[string]any
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("parsing the package's package.json: %w", err)
	}
	var dropped []string
	if dev, ok := pkg["devDependencies"].(map[string]any); ok {
		for name := range dev {
			if h.m.Dropped(e, name) {
				delete(dev, name)
				dropped = append(dropped, name)
			}
		}
		for name, rng := range e.DevDependencyRanges {
			if _, ok := dev[name]; !ok {
				return nil, fmt.Errorf("devDependencyRanges names %s, which is not a devDependency of %s", name, e.Spec)
			}
			dev[name] = rng
		}
	}
	sort.Strings(dropped)
	out, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return nil, err
	}
	return dropped, WriteFileAtomic(p, out)
}

// extract unpacks a package tarball into dir, dropping the first path
// component (npm uses "package/", some old tarballs another name) and
// refusing entries that would leave dir.
func extract(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("reading %s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", tgz, err)
		}
		name := filepath.ToSlash(hdr.Name)
		if i := strings.Index(name, "/"); i >= 0 {
			name = name[i+1:]
		} else {
			continue
		}
		clean := filepath.Clean(filepath.FromSlash(name))
		if name == "" || clean == "." || filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
			continue
		}
		target := filepath.Join(dir, clean)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			mode := os.FileMode(0o644)
			if hdr.Mode&0o111 != 0 {
				mode = 0o755
			}
			w, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
			if err != nil {
				return err
			}
			_, cerr := io.Copy(w, tr)
			if err := w.Close(); cerr == nil {
				cerr = err
			}
			if cerr != nil {
				return cerr
			}
		}
	}
}

// cmd runs a command in dir with a timeout, output into log, the whole
// process group killed on timeout.
func (h *harness) cmd(dir string, timeout time.Duration, log io.Writer, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, name, args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "GNODE_CACHE_DIR="+filepath.Join(h.cache, "gnode-cache"), "NO_COLOR=1")
	c.Stdout, c.Stderr = log, log
	setGroup(c)
	return c.Run()
}

func setGroup(c *exec.Cmd) {
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = 5 * time.Second
}

// capped keeps the first n bytes of a stream (a runaway suite cannot fill
// memory) and drops the rest.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.n - c.buf.Len(); room > 0 {
		if len(p) > room {
			c.buf.Write(p[:room])
		} else {
			c.buf.Write(p)
		}
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// runOutput is a run plus the text it printed, kept until both runtimes
// have run so gnode's first error can skip what node prints too.
type runOutput struct {
	Run
	stdout, stderr string
	firstFails     []string // first failed TAP point of each invocation
}

// run executes the package's suite under "node" or "gnode". Each
// invocation (one tape process, or one file) is counted on its own: its
// TAP points, or, when it prints none, one assertion that passes when it
// exits 0.
func (h *harness) run(e Entry, which string) runOutput {
	dir := h.pkgDir(e)
	exe := h.node
	if which == "gnode" {
		exe = h.gnode
	}
	var invocations [][]string
	switch {
	case len(e.Tape) > 0:
		invocations = append(invocations, append([]string{filepath.Join("node_modules", "tape", "bin", "tape")}, e.Tape...))
	case len(e.Mocha) > 0:
		invocations = append(invocations, append([]string{filepath.Join("node_modules", "mocha", "bin", "_mocha"), "--reporter", "tap"}, e.Mocha...))
	default:
		for _, pat := range e.Node {
			files, _ := filepath.Glob(filepath.Join(dir, pat))
			sort.Strings(files)
			if len(files) == 0 {
				files = []string{filepath.Join(dir, pat)} // let the runtime report the missing file
			}
			for _, f := range files {
				rel, _ := filepath.Rel(dir, f)
				invocations = append(invocations, []string{rel})
			}
		}
	}

	deadline := time.Now().Add(e.TimeoutDuration())
	var res runOutput
	var allOut, allErr strings.Builder
	start := time.Now()
	for _, args := range invocations {
		left := time.Until(deadline)
		if left <= 0 {
			res.TimedOut = true
			break
		}
		stdout := &capped{n: 8 << 20}
		stderr := &capped{n: 1 << 20}
		ctx, cancel := context.WithTimeout(context.Background(), left)
		c := exec.CommandContext(ctx, exe, args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "GNODE_CACHE_DIR="+filepath.Join(h.cache, "gnode-cache"), "NO_COLOR=1", "NODE_OPTIONS=")
		c.Stdout, c.Stderr = stdout, stderr
		c.Stdin = strings.NewReader("")
		setGroup(c)
		err := c.Run()
		timedOut := ctx.Err() == context.DeadlineExceeded
		cancel()
		code := 0
		var ee *exec.ExitError
		switch {
		case timedOut:
			code = -1
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			code = -1
			fmt.Fprintf(stderr, "pkgsuite: starting %s: %v\n", exe, err)
		}
		out, errOut := stdout.String(), stderr.String()
		fmt.Fprintf(&allOut, "### %s %s: exit %d\n%s", which, strings.Join(args, " "), code, out)
		if errOut != "" {
			fmt.Fprintf(&allErr, "### %s %s\n%s", which, strings.Join(args, " "), errOut)
		}
		tap := ParseTAP(out)
		res.Pass += tap.Pass
		res.Fail += tap.Fail
		res.TAP = res.TAP || tap.Seen
		if tap.FirstFail != "" {
			res.firstFails = append(res.firstFails, strings.ReplaceAll(tap.FirstFail, dir, "<pkg>"))
		}
		switch {
		case timedOut:
			res.TimedOut = true
		case !tap.Seen && code == 0:
			res.Pass++ // a plain script: exiting 0 is its one assertion
		case !tap.Seen:
			res.Fail++
			res.Crashes++
		case code != 0 && tap.Fail == 0:
			res.Crashes++ // died without a failed assertion to explain it
		}
		if res.ExitCode == 0 {
			res.ExitCode = code
		}
		if res.TimedOut {
			break
		}
	}
	res.Seconds = time.Since(start).Seconds()
	// The page shows error lines; the cache path in them is noise.
	res.stdout = strings.ReplaceAll(allOut.String(), dir, "<pkg>")
	res.stderr = strings.ReplaceAll(allErr.String(), dir, "<pkg>")
	logText := fmt.Sprintf("# %s %s in %s: exit %d, timed out %v, %.1fs\n--- stdout\n%s\n--- stderr\n%s",
		which, e.ID(), dir, res.ExitCode, res.TimedOut, res.Seconds, res.stdout, res.stderr)
	WriteFileAtomic(h.logPath(e, which), []byte(logText))
	return res
}

// explain sets r.Error to the line a runtime engineer should read first: a
// thrown error on stderr, else the first failed assertion, else whatever
// the output offers. Lines the reference run (node) printed too are
// skipped, so a suite node also fails partly points at gnode's own gap.
func explain(r *runOutput, ref *runOutput) {
	if r.Clean() {
		return
	}
	seen := func(l string) bool {
		return ref != nil && l != "" && (strings.Contains(ref.stderr, l) || strings.Contains(ref.stdout, l))
	}
	for _, l := range strings.Split(r.stderr, "\n") {
		if errorLine.MatchString(l) && !seen(strings.TrimSpace(l)) {
			r.Error = clip(strings.TrimSpace(l), 200)
			return
		}
	}
	for _, f := range r.firstFails {
		if !seen(strings.SplitN(f, " (", 2)[0]) {
			r.Error = clip(f, 300)
			return
		}
	}
	if l := FirstError(r.stderr, r.stdout); l != "" && !strings.HasPrefix(l, "###") {
		// Every error gnode printed, node printed too: say so, or the
		// row reads as a gnode bug (buffer@4.9.2's suite expects old
		// Node behaviour and fails the same way under both).
		if seen(l) {
			l = "as under node: " + l
		}
		r.Error = l
		return
	}
	if r.TimedOut {
		r.Error = "timed out"
		return
	}
	r.Error = fmt.Sprintf("exit code %d, no error printed", r.ExitCode)
}

// loadAverage is the 1-minute load average ("" where /proc/loadavg is
// missing).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// machineOverloaded reports whether the 1-minute load average is above
// three runnable tasks per core, where a suite's fixed timeout measures the
// machine rather than gnode.
func machineOverloaded() bool {
	l, err := strconv.ParseFloat(loadAverage(), 64)
	return err == nil && l > 3*float64(runtime.NumCPU())
}
