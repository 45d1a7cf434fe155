// Package pkgsuite measures gnode's runtime against real npm packages' own
// test suites: each package in packages.json is packed from the registry,
// installed with its devDependencies, and its tests are run once under the
// system node and once under gnode. The results become docs/PKGSUITE.md and
// a ratchet (baseline.json) that gnode's pass counts must never fall below.
//
// This file holds the pure parts (manifest, TAP counting, error extraction,
// the results page, the baseline); pkgsuite_test.go drives the processes.
package pkgsuite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Manifest is packages.json.
type Manifest struct {
	Comment                   string   `json:"comment"`
	DropDevDependencies       []string `json:"dropDevDependencies"`
	DropDevDependencyPrefixes []string `json:"dropDevDependencyPrefixes"`
	Packages                  []Entry  `json:"packages"`
}

// Entry is one package and how to run its tests.
type Entry struct {
	Spec string `json:"spec"`
	// Tape lists glob patterns handed to node_modules/tape/bin/tape, which
	// expands them itself (so `**` works as in the packages' scripts).
	Tape []string `json:"tape,omitempty"`
	// Node lists files run one at a time as `<runtime> FILE`; simple shell
	// globs are expanded by the harness, in sorted order.
	Node []string `json:"node,omitempty"`
	// Mocha lists the arguments after node_modules/mocha/bin/_mocha
	// --reporter tap (_mocha runs the tests in its own process; bin/mocha
	// would spawn it).
	Mocha      []string   `json:"mocha,omitempty"`
	Timeout    string     `json:"timeout"`
	NodeExpect NodeExpect `json:"nodeExpect"`
	// DevDependencyRanges replaces devDependency ranges the registry cannot
	// satisfy (a mirror lagging behind); each replacement is noted.
	DevDependencyRanges map[string]string `json:"devDependencyRanges,omitempty"`
	// KeepDevDependencies exempts devDependencies the tests do require from
	// the manifest-wide drop list.
	KeepDevDependencies []string `json:"keepDevDependencies,omitempty"`
	// Patches edit the unpacked test files before either runtime runs
	// them (both run the same edited file). They exist for loops that only
	// measure interpreter speed, where a smaller count keeps the suite in
	// the CI budget; each is listed on the results page.
	Patches []Patch `json:"patches,omitempty"`
	// Variant names a second row for a package already listed: the same
	// tarball and tests, with Replace swapping modules before both runs
	// (typically the package's main module for a builtin, so a polyfill's
	// own tests measure the runtime's builtin).
	Variant string `json:"variant,omitempty"`
	// Replace overwrites whole files of the unpacked package before either
	// runtime runs the tests; each file must exist (a version that moved
	// its main module fails loudly). Only variants replace files.
	Replace []Replacement `json:"replace,omitempty"`
	Note    string        `json:"note,omitempty"`
}

// Replacement is one file's new content.
type Replacement struct {
	File string `json:"file"`
	With string `json:"with"`
	Why  string `json:"why"`
}

// ID keys a row: the spec, plus "#variant" for a variant.
func (e Entry) ID() string {
	if e.Variant == "" {
		return e.Spec
	}
	return e.Spec + "#" + e.Variant
}

// Label is the package column of the results page.
func (e Entry) Label() string {
	if e.Variant == "" {
		return e.Name()
	}
	return e.Name() + " (" + e.Variant + ")"
}

// safeRel reports whether p is a relative path inside the package.
func safeRel(p string) bool {
	return p != "" && !filepath.IsAbs(p) && !strings.HasPrefix(filepath.Clean(p), "..")
}

// Patch replaces From with To in File, which must contain From exactly
// Count times (a new package version that moved the text fails loudly
// instead of running unpatched).
type Patch struct {
	File  string `json:"file"`
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
	Why   string `json:"why"`
}

// ApplyPatches edits the files under dir as e.Patches say.
func ApplyPatches(e Entry, dir string) error {
	for _, p := range e.Patches {
		path := filepath.Join(dir, filepath.FromSlash(p.File))
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("patching %s: %w", e.Spec, err)
		}
		if n := strings.Count(string(data), p.From); n != p.Count {
			return fmt.Errorf("patching %s: %s contains %q %d times, the manifest expects %d: update the patch for this version", e.Spec, p.File, p.From, n, p.Count)
		}
		out := strings.ReplaceAll(string(data), p.From, p.To)
		if err := WriteFileAtomic(path, []byte(out)); err != nil {
			return fmt.Errorf("patching %s: %w", e.Spec, err)
		}
	}
	for _, r := range e.Replace {
		path := filepath.Join(dir, filepath.FromSlash(r.File))
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("replacing a file of %s: %w: update the manifest for this version", e.ID(), err)
		}
		if err := WriteFileAtomic(path, []byte(r.With)); err != nil {
			return fmt.Errorf("replacing a file of %s: %w", e.ID(), err)
		}
	}
	return nil
}

// NodeExpect is what node-compat.md reports for the suite under Node 20.
// Clean means exit 0 and no failed assertion; MinPass is for suites it
// marks partial.
type NodeExpect struct {
	Clean   bool `json:"clean,omitempty"`
	MinPass int  `json:"minPass,omitempty"`
}

// Name is the package name of the spec (scoped names keep their scope).
func (e Entry) Name() string {
	at := strings.LastIndex(e.Spec, "@")
	if at <= 0 {
		return e.Spec
	}
	return e.Spec[:at]
}

// Version is the exact version pinned by the spec.
func (e Entry) Version() string {
	at := strings.LastIndex(e.Spec, "@")
	if at <= 0 {
		return ""
	}
	return e.Spec[at+1:]
}

// TimeoutDuration is the per-run timeout (per runtime, the whole suite).
func (e Entry) TimeoutDuration() time.Duration {
	d, err := time.ParseDuration(e.Timeout)
	if err != nil || d <= 0 {
		return 60 * time.Second
	}
	return d
}

// Runner names the harness for the results page.
func (e Entry) Runner() string {
	switch {
	case len(e.Tape) > 0:
		return "tape " + strings.Join(e.Tape, " ")
	case len(e.Mocha) > 0:
		return "mocha " + strings.Join(e.Mocha, " ")
	}
	return "node " + strings.Join(e.Node, " ")
}

var (
	exactVersion = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	variantName  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// LoadManifest reads and checks packages.json.
func LoadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the package list: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, e := range m.Packages {
		switch {
		case !exactVersion.MatchString(e.Version()):
			return nil, fmt.Errorf("%s: package %d (%q) must pin an exact version (name@1.2.3) so results are comparable", path, i, e.Spec)
		case seen[e.Name()+"#"+e.Variant]:
			return nil, fmt.Errorf("%s: package %q is listed twice (a second row needs its own \"variant\")", path, e.Label())
		case e.Variant != "" && !variantName.MatchString(e.Variant):
			return nil, fmt.Errorf("%s: %s: variant %q must be lower-case letters, digits and dashes", path, e.Spec, e.Variant)
		case (e.Variant != "") != (len(e.Replace) > 0):
			return nil, fmt.Errorf("%s: %s: a variant replaces files and only a variant does (\"variant\" and \"replace\" go together)", path, e.ID())
		case runners(e) != 1:
			return nil, fmt.Errorf("%s: %s needs exactly one of \"tape\", \"mocha\" or \"node\"", path, e.Spec)
		case !e.NodeExpect.Clean && e.NodeExpect.MinPass <= 0:
			return nil, fmt.Errorf("%s: %s needs nodeExpect.clean or nodeExpect.minPass", path, e.Spec)
		}
		if _, err := time.ParseDuration(e.Timeout); err != nil {
			return nil, fmt.Errorf("%s: %s: bad timeout %q: %w", path, e.Spec, e.Timeout, err)
		}
		for _, p := range e.Patches {
			if !safeRel(p.File) || p.From == "" || p.Count <= 0 || p.Why == "" {
				return nil, fmt.Errorf("%s: %s: a patch needs a relative file, from, a positive count and why", path, e.Spec)
			}
		}
		for _, r := range e.Replace {
			if !safeRel(r.File) || r.Why == "" {
				return nil, fmt.Errorf("%s: %s: a replacement needs a relative file and why", path, e.ID())
			}
		}
		seen[e.Name()+"#"+e.Variant] = true
	}
	return &m, nil
}

func runners(e Entry) int {
	n := 0
	for _, l := range [][]string{e.Tape, e.Node, e.Mocha} {
		if len(l) > 0 {
			n++
		}
	}
	return n
}

// Dropped reports whether a devDependency is a lint/coverage/release tool
// the manifest removes before installing for entry e.
func (m *Manifest) Dropped(e Entry, name string) bool {
	for _, k := range e.KeepDevDependencies {
		if k == name {
			return false
		}
	}
	for _, d := range m.DropDevDependencies {
		if d == name {
			return true
		}
	}
	for _, p := range m.DropDevDependencyPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// TAP is what a run's TAP output says.
type TAP struct {
	Pass, Fail int
	// Seen is false when no test point was printed (a crash before the
	// first assertion, or a runner that does not speak TAP).
	Seen bool
	// FirstFail is the first "not ok" line with the diagnostics under it
	// (operator, expected, actual, at) folded onto one line.
	FirstFail string
}

var (
	okLine    = regexp.MustCompile(`^ok \d+`)
	notOkLine = regexp.MustCompile(`^not ok \d+`)
	todoSkip  = regexp.MustCompile(`(?i)#\s*(todo|skip)\b`)
)

// ParseTAP counts top-level test points. Counting lines instead of reading
// tape's "# pass N" footer keeps the figures when a run crashes or times
// out halfway, and sums runs of several files whose numbering restarts.
// A "not ok ... # TODO" point is expected to fail and is not counted.
func ParseTAP(out string) TAP {
	var t TAP
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		switch {
		case notOkLine.MatchString(l):
			t.Seen = true
			if todoSkip.MatchString(l) {
				continue
			}
			t.Fail++
			if t.FirstFail == "" {
				t.FirstFail = l + foldDiagnostics(lines[i+1:])
			}
		case okLine.MatchString(l):
			t.Seen = true
			t.Pass++
		}
	}
	return t
}

// foldDiagnostics joins the YAML block under a failed point (tape prints
// operator/expected/actual/at indented between --- and ...).
func foldDiagnostics(rest []string) string {
	var parts []string
	for j, l := range rest {
		if j > 12 || !strings.HasPrefix(l, "  ") {
			break
		}
		s := strings.TrimSpace(l)
		if s == "---" || s == "..." || s == "" || strings.HasPrefix(s, "stack:") {
			continue
		}
		for _, key := range []string{"operator:", "expected:", "actual:", "at:"} {
			if strings.HasPrefix(s, key) {
				parts = append(parts, s)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

var errorLine = regexp.MustCompile(`^\s*(Uncaught )?([A-Z][A-Za-z]*(Error|Exception)|gnode: error|AssertionError[^:]*|Error)\b.*`)

// FirstError is the first line of stderr (or stdout) that looks like a
// thrown error, else the first non-blank stderr line.
func FirstError(stderr, stdout string) string {
	for _, s := range []string{stderr, stdout} {
		for _, l := range strings.Split(s, "\n") {
			if errorLine.MatchString(l) {
				return clip(strings.TrimSpace(l), 200)
			}
		}
	}
	for _, l := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(l) != "" {
			return clip(strings.TrimSpace(l), 200)
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Run is one suite run under one runtime.
type Run struct {
	ExitCode int  `json:"exitCode"`
	TimedOut bool `json:"timedOut,omitempty"`
	Pass     int  `json:"pass"`
	Fail     int  `json:"fail"`
	TAP      bool `json:"tap"`
	// Crashes counts invocations that exited non-zero (or printed no TAP
	// and failed) without a failed assertion to explain it.
	Crashes int    `json:"crashes,omitempty"`
	Error   string `json:"error,omitempty"` // first error line when the run failed
	Seconds float64
}

// Clean is a run that exited 0 with no failed assertion.
func (r Run) Clean() bool { return r.ExitCode == 0 && !r.TimedOut && r.Fail == 0 }

// Status is "pass", "fail" (assertions failed) or "crash" (non-zero exit
// or timeout without a failed assertion to explain it).
func (r Run) Status() string {
	switch {
	case r.Clean():
		return "pass"
	case r.TimedOut:
		return "timeout"
	case r.Crashes > 0:
		return "crash"
	case r.Fail > 0:
		return "fail"
	default:
		return "crash"
	}
}

// Result is one package's row.
type Result struct {
	Entry       Entry
	Installer   string // "gnode", "npm (gnode install failed: …)" or "" when nothing installed
	Dropped     []string
	InstallErr  string
	Node, Gnode Run
}

// Baseline is baseline.json: per package spec, gnode's pass count and
// whether the suite ran clean. The test fails when either gets worse.
type Baseline map[string]BaselineEntry

// BaselineEntry is one package's recorded gnode result.
type BaselineEntry struct {
	Pass  int  `json:"pass"`
	Clean bool `json:"clean"`
	// TimedOut marks a count taken when the suite hit its timeout: how far
	// it got depends on the machine's load, so a lower count next time is
	// reported but not failed, as long as the suite still times out rather
	// than crashing earlier.
	TimedOut bool `json:"timedOut,omitempty"`
}

// LoadBaseline reads baseline.json; a missing file is an empty baseline.
func LoadBaseline(path string) (Baseline, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return Baseline{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the baseline: %w", err)
	}
	b := Baseline{}
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("parsing %s: %w (regenerate it with -update)", path, err)
	}
	return b, nil
}

// WriteFileAtomic writes through a temp file and a rename.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// BaselineJSON renders results as a baseline (sorted keys, stable diff).
func BaselineJSON(results []Result) []byte {
	b := Baseline{}
	for _, r := range results {
		if r.Installer == "" {
			continue
		}
		b[r.Entry.ID()] = BaselineEntry{Pass: r.Gnode.Pass, Clean: r.Gnode.Clean(), TimedOut: r.Gnode.TimedOut}
	}
	data, _ := json.MarshalIndent(b, "", "  ") // map keys are sorted
	return append(data, '\n')
}

// Totals sums a results table.
type Totals struct {
	Packages, Installed, NodeClean, GnodeClean int
	NodePass, GnodePass, GnodePassOnNodeClean  int
}

// Sum computes the totals line.
func Sum(results []Result) Totals {
	var t Totals
	for _, r := range results {
		t.Packages++
		if r.Installer == "" {
			continue
		}
		t.Installed++
		t.NodePass += r.Node.Pass
		t.GnodePass += r.Gnode.Pass
		if r.Node.Clean() {
			t.NodeClean++
		}
		if r.Gnode.Clean() {
			t.GnodeClean++
		}
	}
	return t
}

// Markdown renders docs/PKGSUITE.md.
func Markdown(results []Result, date string, nodeVersion string) []byte {
	var b strings.Builder
	t := Sum(results)
	fmt.Fprintf(&b, "# Real packages' own test suites under gnode\n\n")
	fmt.Fprintf(&b, "Generated by `go test ./internal/js/pkgsuite/ -run TestPackageSuites -update` on %s with node %s; do not edit by hand.\n", date, nodeVersion)
	fmt.Fprintf(&b, "The package list and how each suite runs are in `internal/js/pkgsuite/packages.json`; the ratchet gnode must not fall below is `internal/js/pkgsuite/baseline.json`.\n\n")
	fmt.Fprintf(&b, "Each package is packed from the registry, unpacked, and installed with its devDependencies by `gnode install --ignore-scripts` (lint, coverage, type-check and release tools dropped, listed per row); its tests then run directly under `node` and under gnode, without npm scripts. Assertions are TAP test points (`ok`/`not ok` lines); suites that are plain scripts count as one assertion when they exit 0. A row named `package (builtin-x)` is a variant: the package's main module is replaced by the builtin before both runs, so a polyfill's own tests (mostly ported from Node's) measure the runtime's module.\n\n")
	fmt.Fprintf(&b, "**%d of %d packages pass fully under gnode** (node: %d). Assertions passed: **node %d, gnode %d**.\n\n", t.GnodeClean, t.Packages, t.NodeClean, t.NodePass, t.GnodePass)
	b.WriteString("| package | version | runner | installer | node pass/fail | gnode pass/fail | gnode status | first gnode error |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		e := r.Entry
		if r.Installer == "" {
			fmt.Fprintf(&b, "| %s | %s | %s | install failed | – | – | – | %s |\n", e.Label(), e.Version(), md(e.Runner()), md(r.InstallErr))
			continue
		}
		errText := ""
		if !r.Gnode.Clean() {
			errText = r.Gnode.Error
		}
		inst := r.Installer
		if len(r.Dropped) > 0 {
			inst += fmt.Sprintf(" (%d dev tools dropped)", len(r.Dropped))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			e.Label(), e.Version(), md(e.Runner()), md(inst),
			counts(r.Node), counts(r.Gnode), r.Gnode.Status(), md(errText))
	}
	b.WriteString("\nNotes:\n\n")
	for _, r := range results {
		id := r.Entry.ID()
		if r.Entry.Note != "" {
			fmt.Fprintf(&b, "- %s: %s\n", id, r.Entry.Note)
		}
		for _, p := range r.Entry.Patches {
			fmt.Fprintf(&b, "- %s: test edited before both runs: %s `%s` -> `%s` (%d×): %s\n", id, p.File, p.From, p.To, p.Count, p.Why)
		}
		for _, x := range r.Entry.Replace {
			fmt.Fprintf(&b, "- %s: %s replaced before both runs by `%s`: %s\n", id, x.File, strings.TrimSpace(x.With), x.Why)
		}
	}
	b.WriteString("\nRun it: `go test ./internal/js/pkgsuite/ -run TestPackageSuites -v` (from an empty cache on 2 cores: about 140 s CPU, 5 min wall at a load average of 14; several times longer under load than on a quiet machine; skipped under `-short`, without node, or when `npm config get registry` is unreachable). `-update` rewrites this page and the baseline; `PKGSUITE_ONLY=qs,minimist` limits the run; `PKGSUITE_GNODE=/path/to/gnode` uses a prebuilt binary; `PKGSUITE_CACHE=DIR` keeps tarballs, installs and gnode's store between runs.\n")
	return []byte(b.String())
}

func counts(r Run) string {
	s := fmt.Sprintf("%d/%d", r.Pass, r.Fail)
	if !r.TAP {
		s += " (exit " + fmt.Sprint(r.ExitCode) + ")"
	}
	if r.TimedOut {
		s += " timeout"
	}
	return s
}

func md(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

// SortResults keeps the manifest order (the page reads like the list).
func SortResults(rs []Result, order []Entry) {
	idx := map[string]int{}
	for i, e := range order {
		idx[e.ID()] = i
	}
	sort.SliceStable(rs, func(i, j int) bool { return idx[rs[i].Entry.ID()] < idx[rs[j].Entry.ID()] })
}
