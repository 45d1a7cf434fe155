package install_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gnode/internal/pm/early"
	"gnode/internal/pm/install"
	"gnode/internal/testutil/fakeregistry"
)

// layoutPlans lists the layout plan files under the project's cache.
func layoutPlans(p *project) []string {
	return memoFiles(p, func(name string) bool { return strings.HasSuffix(name, ".plan") })
}

var trustTime = regexp.MustCompile(`"time": "[^"]*"`)

// snapshot describes everything an install wrote in the project: every
// path under the project folder with its type, permissions, and content
// (a file's bytes, a link's target), the trust record with its time taken
// out. Two installs that must agree give equal snapshots.
func snapshot(t *testing.T, p *project) string {
	t.Helper()
	var lines []string
	err := filepath.Walk(p.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(p.dir, path)
		line := fmt.Sprintf("%s %v", filepath.ToSlash(rel), info.Mode())
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			line += " -> " + target
		case info.Mode().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if info.Name() == ".gnode-trust.json" {
				b = trustTime.ReplaceAll(b, []byte(`"time": ""`))
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:8])
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// planTrace is "true", "false" (a plan was started and adopted or not) or
// "" (no plan was started) from an install's trace.
func planTrace(tr string) string {
	m := regexp.MustCompile(`gnode trace: layout plan adopted (\w+)`).FindStringSubmatch(tr)
	if m == nil {
		return ""
	}
	return m[1]
}

// warmWith is warmInstall with extra npm flags.
func warmWith(t *testing.T, p *project, flags map[string]string) string {
	t.Helper()
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	var errb strings.Builder
	o := p.opts(install.ModeInstall)
	o.Env = append(o.Env, "GNODE_TRACE_INSTALL=1")
	o.Stderr = &errb
	o.Flags = flags
	if _, err := install.Run(context.Background(), o); err != nil {
		t.Fatalf("warm install: %v\n%s", err, errb.String())
	}
	return errb.String()
}

// planFile encodes a layout plan as install's plan.go does (the test's
// own encoder: a plan of unexpected content must still be refused or
// checked).
func planFile(entries [][2]string) []byte {
	out := append([]byte("gnodeplan"), 1)
	out = binary.AppendUvarint(out, uint64(len(entries)))
	for _, e := range entries {
		for _, s := range e {
			out = binary.AppendUvarint(out, uint64(len(s)))
			out = append(out, s...)
		}
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
}

// readPlanEntries decodes a plan file's entries (location, store folder).
func readPlanEntries(t *testing.T, b []byte) [][2]string {
	t.Helper()
	r := b[len("gnodeplan")+1 : len(b)-4]
	n, k := binary.Uvarint(r)
	r = r[k:]
	var out [][2]string
	for i := uint64(0); i < n; i++ {
		var e [2]string
		for j := range e {
			l, k := binary.Uvarint(r)
			e[j] = string(r[k : k+int(l)])
			r = r[k+int(l):]
		}
		out = append(out, e)
	}
	return out
}

// TestWarmInstallLayoutPlan: a warm install writes a layout plan for its
// inputs; the next warm install of the same inputs starts its layout from
// the plan and writes exactly what an install without it writes
// (node_modules with modes and links, both lockfiles, .bin, trust record).
// A plan for other inputs is not used, and a plan that does not match the
// layout (or does not decode) changes nothing in the result.
func TestWarmInstallLayoutPlan(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0","@s/e":"^1.0.0"},"devDependencies":{"d":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, Files: map[string]string{"lib/deep/extra.js": "module.exports = 1\n", "run.sh": "#!/bin/sh\n"}, Modes: map[string]os.FileMode{"run.sh": 0o755}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"b": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0", Bin: map[string]string{"c2": "bin/c.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "d", Version: "1.0.0", Bin: map[string]string{"d": "d.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "@s/e", Version: "1.0.0"})
	p.install(t)

	// First warm install: no set, no plan; both are written.
	if tr := warmWith(t, p, nil); planTrace(tr) != "" {
		t.Fatalf("first warm install used a plan:\n%s", tr)
	}
	ref := snapshot(t, p)
	if !strings.Contains(ref, "node_modules/b/node_modules/c ") || !strings.Contains(ref, "node_modules/.bin/b ") || !strings.Contains(ref, "node_modules/b/node_modules/.bin/c2 ") {
		t.Fatalf("fixture: unexpected layout\n%s", ref)
	}
	plans := layoutPlans(p)
	if len(plans) != 1 {
		t.Fatalf("layout plans after a warm install: %q, want one", plans)
	}
	planBytes, _ := os.ReadFile(plans[0])
	entries := readPlanEntries(t, planBytes)
	if len(entries) != 6 {
		t.Fatalf("plan entries %q, want 6", entries)
	}

	// Second: the plan is adopted, the result is the same.
	for i := 0; i < 2; i++ {
		if tr := warmWith(t, p, nil); planTrace(tr) != "true" {
			t.Fatalf("warm install %d did not adopt the plan:\n%s", i, tr)
		}
		if got := snapshot(t, p); got != ref {
			t.Fatalf("install from the plan differs:\n%s\nwant\n%s", got, ref)
		}
	}
	if got := layoutPlans(p); len(got) != 1 {
		t.Fatalf("plans %q after adopting one, want the one", got)
	}

	// Other settings (--omit=dev): another plan, never the first one; its
	// own result is the reference for it.
	if tr := warmWith(t, p, map[string]string{"omit": "dev"}); planTrace(tr) != "" {
		t.Fatalf("--omit=dev used the plan of a full install:\n%s", tr)
	}
	refDev := snapshot(t, p)
	if refDev == ref || strings.Contains(refDev, "node_modules/d ") {
		t.Fatalf("--omit=dev installed d:\n%s", refDev)
	}
	if got := layoutPlans(p); len(got) != 2 {
		t.Fatalf("plans %q, want one per setting", got)
	}
	if tr := warmWith(t, p, map[string]string{"omit": "dev"}); planTrace(tr) != "true" || snapshot(t, p) != refDev {
		t.Fatalf("--omit=dev with its plan: %s\n%s", planTrace(tr), tr)
	}

	// A plan that decodes but is not the layout (a package missing, one
	// too many, two swapped, a package at another store folder): laid out
	// ahead, not adopted, the same result, nothing left behind, and the
	// plan replaced by the right one.
	wrong := [][][2]string{
		entries[:len(entries)-1],
		append(append([][2]string(nil), entries...), [2]string{"node_modules/zz", entries[0][1]}),
		append([][2]string{entries[1], entries[0]}, entries[2:]...),
		append([][2]string{{entries[0][0], entries[1][1]}}, entries[1:]...),
	}
	for i, w := range wrong {
		if err := os.WriteFile(plans[0], planFile(w), 0o644); err != nil {
			t.Fatal(err)
		}
		if tr := warmWith(t, p, nil); planTrace(tr) != "false" {
			t.Fatalf("wrong plan %d: adopted %q:\n%s", i, planTrace(tr), tr)
		}
		if got := snapshot(t, p); got != ref {
			t.Fatalf("wrong plan %d: result differs:\n%s\nwant\n%s", i, got, ref)
		}
		if b, _ := os.ReadFile(plans[0]); string(b) != string(planBytes) {
			t.Fatalf("wrong plan %d not replaced by the layout's", i)
		}
	}

	// A plan that does not decode is not started at all.
	for i, corrupt := range [][]byte{
		planBytes[:len(planBytes)-1],
		append(append(append([]byte(nil), planBytes[:20]...), planBytes[20]^1), planBytes[21:]...),
		append(append([]byte(nil), planBytes[:10]...), 2), // version
		[]byte("gnodeplan"),
		planFile([][2]string{{"node_modules/../../x", entries[0][1]}}),
		planFile([][2]string{{entries[0][0], "../" + entries[0][1]}}),
		planFile([][2]string{{"lib/x", entries[0][1]}}),
	} {
		if err := os.WriteFile(plans[0], corrupt, 0o644); err != nil {
			t.Fatal(err)
		}
		if tr := warmWith(t, p, nil); planTrace(tr) != "" {
			t.Fatalf("corrupt plan %d was started:\n%s", i, tr)
		}
		if got := snapshot(t, p); got != ref {
			t.Fatalf("corrupt plan %d: result differs", i)
		}
	}

	// A store file deleted behind the plan's back: the install still ends
	// with everything in place.
	if tr := warmWith(t, p, nil); planTrace(tr) != "true" {
		t.Fatalf("plan not adopted again:\n%s", tr)
	}
	if err := os.Remove(filepath.Join(storeEntry(t, p, "a"), "package", "lib", "deep", "extra.js")); err != nil {
		t.Fatal(err)
	}
	tr := warmWith(t, p, nil)
	if got := snapshot(t, p); got != ref {
		t.Fatalf("deleted store file: result differs:\n%s\nwant\n%s\n%s", got, ref, tr)
	}
	// package.json changed (a field that changes nothing installed): the
	// old plan is not used.
	p.write("package.json", `{"name":"app","version":"1.0.1","dependencies":{"a":"^1.0.0","b":"^1.0.0","@s/e":"^1.0.0"},"devDependencies":{"d":"^1.0.0"}}`)
	if tr := warmWith(t, p, nil); planTrace(tr) != "" {
		t.Fatalf("a plan of another package.json was used:\n%s", tr)
	}
	npmLs(t, p)
}

// warmEarly is warmWith after a layout begun as at process start
// (early.StartIn, which the process's initialisation calls through
// early.Start), returning the trace and the layout.
func warmEarly(t *testing.T, p *project) (string, *early.Layout) {
	t.Helper()
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	real, err := filepath.EvalSymlinks(p.dir)
	if err != nil {
		t.Fatal(err)
	}
	l := early.StartIn(real, filepath.Join(p.home, "cache"))
	tr := warmWith(t, p, nil)
	early.Discard(os.RemoveAll) // what the process does before exiting
	return tr, l
}

func noStaging(t *testing.T, p *project, what string) {
	t.Helper()
	ents, _ := os.ReadDir(p.dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".gnode-staging-") || strings.HasPrefix(e.Name(), ".gnode-old-") {
			t.Fatalf("%s: %s left behind", what, e.Name())
		}
	}
}

// TestWarmInstallEarlyLayout: a warm install writes the project's early
// plan; a layout begun from it at process start is adopted and gives
// exactly what an install without it gives. A plan whose files are not
// the store's, a plan of another layout, a store file gone, and a layout
// begun for another folder change nothing in the result and leave no
// staging folder.
func TestWarmInstallEarlyLayout(t *testing.T) {
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0","@s/e":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, Files: map[string]string{"lib/deep/extra.js": "module.exports = 1\n", "run.sh": "#!/bin/sh\n"}, Modes: map[string]os.FileMode{"run.sh": 0o755}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"b": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "@s/e", Version: "1.0.0"})
	p.install(t)
	if tr, l := warmEarly(t, p); l.Loaded() || strings.Contains(tr, "start-up: true") {
		t.Fatalf("a layout was begun before any warm install:\n%s", tr)
	}
	ref := snapshot(t, p)
	real, _ := filepath.EvalSymlinks(p.dir)
	planPath := early.PlanPath(filepath.Join(p.home, "cache"), real)
	planBytes, err := os.ReadFile(planPath)
	if err != nil {
		t.Fatalf("no early plan: %v", err)
	}
	pkgRaw, lockRaw := []byte(p.read("package.json")), []byte(p.read("package-lock.json"))
	plan, ok := early.Decode(planBytes, pkgRaw, lockRaw)
	if !ok || len(plan) != 5 {
		t.Fatalf("early plan: %v %+v", ok, plan)
	}

	for i := 0; i < 2; i++ {
		tr, l := warmEarly(t, p)
		if !l.Loaded() || !strings.Contains(tr, "begun at start-up: true") || planTrace(tr) != "true" {
			t.Fatalf("early layout %d not adopted:\n%s", i, tr)
		}
		if got := snapshot(t, p); got != ref {
			t.Fatalf("install from the early layout differs:\n%s\nwant\n%s", got, ref)
		}
		noStaging(t, p, "adopted")
	}
	if b, _ := os.ReadFile(planPath); string(b) != string(planBytes) {
		t.Fatal("early plan rewritten after it was adopted")
	}

	// Plans that decode but are wrong: a file left out of a package (not
	// the store index's list), two packages swapped, a package at another
	// store folder.
	var aIdx int
	for i, e := range plan {
		if e.Location == "node_modules/a" {
			aIdx = i
		}
	}
	clone := func() []early.Package {
		c := make([]early.Package, len(plan))
		for i, e := range plan {
			c[i] = early.Package{Location: e.Location, Store: e.Store, Dirs: append([]string(nil), e.Dirs...), Files: append([]string(nil), e.Files...)}
		}
		return c
	}
	fewerFiles := clone()
	fewerFiles[aIdx].Files = fewerFiles[aIdx].Files[1:]
	swapped := clone()
	swapped[0], swapped[1] = swapped[1], swapped[0]
	otherStore := clone()
	otherStore[aIdx].Store = otherStore[(aIdx+1)%len(plan)].Store
	otherStore[aIdx].Dirs, otherStore[aIdx].Files = otherStore[(aIdx+1)%len(plan)].Dirs, otherStore[(aIdx+1)%len(plan)].Files
	for name, w := range map[string][]early.Package{"fewer files": fewerFiles, "swapped": swapped, "other store folder": otherStore} {
		if err := os.WriteFile(planPath, early.Encode(pkgRaw, lockRaw, w), 0o644); err != nil {
			t.Fatal(err)
		}
		tr, l := warmEarly(t, p)
		if !l.Loaded() || strings.Contains(tr, "begun at start-up: true") && planTrace(tr) != "false" {
			t.Fatalf("%s: begun %v, adopted %q:\n%s", name, l.Loaded(), planTrace(tr), tr)
		}
		if got := snapshot(t, p); got != ref {
			t.Fatalf("%s: result differs:\n%s\nwant\n%s", name, got, ref)
		}
		noStaging(t, p, name)
		if b, _ := os.ReadFile(planPath); string(b) != string(planBytes) {
			t.Fatalf("%s: plan not replaced by the layout's", name)
		}
	}

	// A layout begun for another folder is not taken, and removed.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "package.json"), pkgRaw, 0o644)
	os.WriteFile(filepath.Join(other, "package-lock.json"), lockRaw, 0o644)
	otherPlan := early.PlanPath(filepath.Join(p.home, "cache"), other)
	os.MkdirAll(filepath.Dir(otherPlan), 0o755)
	os.WriteFile(otherPlan, planBytes, 0o644)
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	l := early.StartIn(other, filepath.Join(p.home, "cache"))
	if !l.Loaded() {
		t.Fatal("layout for the other folder not begun")
	}
	tr := warmWith(t, p, nil)
	if strings.Contains(tr, "begun at start-up: true") || snapshot(t, p) != ref {
		t.Fatalf("another folder's layout was used:\n%s", tr)
	}
	early.Discard(os.RemoveAll)
	if _, err := os.Stat(l.Staging); !os.IsNotExist(err) {
		t.Fatalf("other folder's staging left: %v", err)
	}

	// A store file gone: the early layout fails, the install still ends
	// with everything in place.
	if err := os.Remove(filepath.Join(storeEntry(t, p, "a"), "package", "lib", "deep", "extra.js")); err != nil {
		t.Fatal(err)
	}
	tr, _ = warmEarly(t, p)
	if got := snapshot(t, p); got != ref {
		t.Fatalf("deleted store file: result differs:\n%s\nwant\n%s\n%s", got, ref, tr)
	}
	noStaging(t, p, "deleted store file")

	// The early plan is written once for these inputs by installs whose
	// process did not look for one here, and again whenever a process
	// looked and found none.
	if err := os.Remove(planPath); err != nil {
		t.Fatal(err)
	}
	early.StartIn(other, filepath.Join(p.home, "cache")) // looked elsewhere
	if tr := warmWith(t, p, nil); strings.Contains(tr, "begun at start-up: true") {
		t.Fatalf("begun without a plan:\n%s", tr)
	}
	early.Discard(os.RemoveAll)
	if _, err := os.Stat(planPath); !os.IsNotExist(err) {
		t.Fatalf("early plan written again by a process that did not look for it: %v", err)
	}
	if tr, _ := warmEarly(t, p); strings.Contains(tr, "begun at start-up: true") {
		t.Fatalf("begun without a plan:\n%s", tr)
	}
	if b, err := os.ReadFile(planPath); err != nil || string(b) != string(planBytes) {
		t.Fatalf("early plan not written after a process looked for it: %v", err)
	}
	if tr, _ := warmEarly(t, p); !strings.Contains(tr, "begun at start-up: true") || snapshot(t, p) != ref {
		t.Fatalf("rewritten plan not adopted:\n%s", tr)
	}
	npmLs(t, p)
}

// TestEarlyLayoutProcess: with a gnode binary (GNODE_BIN, as scripts/test
// builds it), the third warm install in a row begins its layout during
// the process's start-up and writes what the one before wrote; a command
// that looks like an install but fails on its flags leaves no staging
// folder behind.
func TestEarlyLayoutProcess(t *testing.T) {
	bin := os.Getenv("GNODE_BIN")
	if bin == "" {
		t.Skip("GNODE_BIN not set")
	}
	p := newProject(t, `{"name":"app","version":"1.0.0","dependencies":{"a":"^1.0.0","b":"^1.0.0"}}`)
	p.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"c": "^1.0.0"}, Files: map[string]string{"lib/x.js": "x\n"}})
	p.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0", Deps: map[string]string{"c": "^2.0.0"}, Bin: map[string]string{"b": "cli.js"}})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "1.0.0"})
	p.reg.Add(fakeregistry.Pkg{Name: "c", Version: "2.0.0"})
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = p.dir
		cmd.Env = append(p.env(), "GNODE_TRACE_INSTALL=1")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("install", "--ignore-scripts"); code != 0 {
		t.Fatalf("cold install: %d\n%s", code, out)
	}
	var ref string
	for i := 0; i < 3; i++ {
		os.RemoveAll(filepath.Join(p.dir, "node_modules"))
		out, code := run("install", "--ignore-scripts")
		if code != 0 {
			t.Fatalf("warm install %d: %d\n%s", i, code, out)
		}
		begun := strings.Contains(out, "begun at start-up: true") && planTrace(out) == "true"
		switch i {
		case 0:
			if begun {
				t.Fatalf("first warm install began a layout at start-up:\n%s", out)
			}
			ref = snapshot(t, p)
		default:
			if i == 2 && !begun {
				t.Fatalf("warm install %d did not begin its layout at start-up:\n%s", i, out)
			}
			if got := snapshot(t, p); got != ref {
				t.Fatalf("warm install %d differs:\n%s\nwant\n%s", i, got, ref)
			}
		}
		noStaging(t, p, fmt.Sprint("warm install ", i))
	}
	os.RemoveAll(filepath.Join(p.dir, "node_modules"))
	if out, code := run("install", "--no-such-flag"); code == 0 {
		t.Fatalf("a bad flag was accepted:\n%s", out)
	}
	noStaging(t, p, "bad flag")
	if _, err := os.Lstat(filepath.Join(p.dir, "node_modules")); !os.IsNotExist(err) {
		t.Fatalf("node_modules after a failed command: %v", err)
	}
}
