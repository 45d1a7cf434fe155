// Package install is the package manager's orchestrator: it reads
// package.json and the lockfiles, resolves (or reuses) the tree, fetches
// and extracts every package once into the store while resolution is still
// running, lays node_modules out, runs the lifecycle scripts that are
// allowed, and writes package-lock.json last.
package install

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	rtrace "runtime/trace"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/npm/semver"
	"gnode/internal/npm/spec"
	earlylayout "gnode/internal/pm/early"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/migrate"
	"gnode/internal/pm/scripts"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
	"gnode/internal/trust"
)

// Mode is which command runs.
type Mode int

// Modes.
const (
	ModeInstall Mode = iota
	ModeCI
	ModeUninstall
)

// Options are one install's inputs.
type Options struct {
	Mode   Mode
	Dir    string   // project folder
	Env    []string // process environment (KEY=VALUE)
	Stdout io.Writer
	Stderr io.Writer
	// Flags are npm options from the command line without dashes
	// ("registry", "omit", "ignore-scripts", "offline", "prefer-offline").
	Flags map[string]string

	Add       []string // specs for `install <spec>...`
	SaveType  string   // manifest.Dependencies (default), DevDependencies, OptionalDependencies
	SaveExact bool
	NoSave    bool
	Remove    []string // names for `uninstall`
	// Only, when set, lays out just these workspaces' dependencies (folders
	// relative to Dir, "" for the project itself), as `npm install -w`
	// does; package-lock.json stays the whole project's.
	Only []string
	// Targets are the package.json files Add and Remove apply to: workspace
	// folders relative to Dir, "" for the project itself. Empty means the
	// project (`install <spec> -w NAME` adds to the workspace).
	Targets []string

	NodeVersion string   // what engines are checked against
	Progress    Progress // nil for none
	// Platform overrides the host's (tests).
	Platform tree.Platform

	// AllowYoung are name or name@version accepted although younger than
	// the minimum release age (--allow-young): the logged override.
	AllowYoung []string
	// Strict fails on change signals and young versions (--strict).
	Strict bool
	// Now is the clock for release ages (tests); nil is time.Now.
	Now func() time.Time
	// Linker is the node_modules layout: "hoisted" (npm's) or "isolated"
	// (--linker); empty reads package.json's "gnode": {"linker": ...}.
	Linker string
	// Update lists names re-resolved ignoring the lockfile (`gnode
	// update`); UpdateAll re-resolves every package (see update.go).
	Update    []string
	UpdateAll bool
}

// Progress receives counts as the install advances. Calls may come from
// several goroutines.
type Progress interface {
	Resolved(n int)
	Fetched(done, total int)
	Linked(n int)
}

// Summary is what an install did.
type Summary struct {
	Added    int      `json:"added"`
	Removed  int      `json:"removed"`
	Changed  int      `json:"changed"`
	Audited  int      `json:"audited"`
	UpToDate bool     `json:"upToDate"`
	Seconds  float64  `json:"seconds"`
	Warnings []string `json:"warnings,omitempty"`
	// SkippedScripts lists name@version of dependencies whose install
	// scripts did not run because they are not trusted.
	SkippedScripts []string `json:"skippedScripts,omitempty"`
	ScriptsNotice  string   `json:"-"`
	// Trust is what the supply-chain checks decided (nil on a no-op install).
	Trust *TrustReport `json:"trust,omitempty"`
}

const (
	lockName   = "package-lock.json"
	hiddenName = ".package-lock.json"
	// stateName records what the last install left, so an install with
	// nothing to do needs no JSON decoding (see checkState).
	stateName = ".gnode-install-state"
)

// Run performs the install.
func Run(ctx context.Context, o Options) (*Summary, error) {
	s, err := run(ctx, o, true)
	var stale *staleStoreError
	if errors.As(err, &stale) {
		// A store file the layout needed is gone: nothing was written (the
		// staging folder is removed); the install starts again, without
		// the index set, reading each package's own index and fetching
		// what is missing.
		if stale.trace {
			fmt.Fprintf(o.Stderr, "gnode trace: store stale (%v): installing again without the index set\n", stale.err)
		}
		s, err = run(ctx, o, false)
		if errors.As(err, &stale) {
			err = stale.err
		}
	}
	return s, err
}

// staleStoreError is a layout that failed for a missing store file while
// its indexes came from the lockfile's index set, or after an incomplete
// store entry was removed: installing again can succeed.
type staleStoreError struct {
	err   error
	trace bool
}

func (e *staleStoreError) Error() string { return e.err.Error() }
func (e *staleStoreError) Unwrap() error { return e.err }

// run is Run; useSet lets a warm install load its store indexes from the
// lockfile's index set.
func run(ctx context.Context, o Options, useSet bool) (*Summary, error) {
	start := time.Now()
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	trace := func(string) {}
	tracing := getenv(o.Env, "GNODE_TRACE_INSTALL") != ""
	if tracing {
		last := start
		trace = func(phase string) {
			fmt.Fprintf(o.Stderr, "gnode trace: %-10s %6.1f ms\n", phase, float64(time.Since(last).Microseconds())/1000)
			last = time.Now()
		}
	}
	// GNODE_INSTALL_CPUPROFILE and GNODE_INSTALL_TRACE write a Go CPU
	// profile and an execution trace of the install (for `go tool pprof`
	// and `go tool trace`): where a cold install's CPU and waiting go;
	// GNODE_INSTALL_HEAPPROFILE a heap profile once the tree is resolved.
	if p := getenv(o.Env, "GNODE_INSTALL_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	if p := getenv(o.Env, "GNODE_INSTALL_TRACE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if rtrace.Start(f) == nil {
				defer func() { rtrace.Stop(); f.Close() }()
			}
		}
	}
	// Until the install needs the network (resolution, a download) it only
	// decodes local files into a heap of a few tens of MB: collecting it
	// at GOGC=100 cost ~8% of a warm install's CPU. The usual target comes
	// back before anything large (packuments, tarballs) is held.
	normalGC := func() {}
	if prev := debug.SetGCPercent(warmGCPercent); prev >= 0 && prev < warmGCPercent {
		normalGC = sync.OnceFunc(func() { debug.SetGCPercent(prev) })
	} else {
		debug.SetGCPercent(prev) // GOGC=off or already higher: left alone
	}
	defer func() { normalGC() }()
	pkgPath := filepath.Join(o.Dir, "package.json")
	pkgRaw, err := os.ReadFile(pkgPath)
	var m *manifest.Manifest
	switch {
	case err == nil:
		m, err = manifest.Parse(pkgPath, pkgRaw)
	case errors.Is(err, os.ErrNotExist) && len(o.Add) > 0:
		// Like npm, `install <spec>` in a folder without package.json starts one.
		m, err = manifest.Parse(pkgPath, []byte("{}\n"))
		if err == nil {
			m.Indent = "  "
		}
	case errors.Is(err, os.ErrNotExist):
		return nil, &NoManifestError{Dir: o.Dir, Err: fmt.Errorf("%w at %s", manifest.ErrNotFound, pkgPath)}
	}
	if err != nil {
		return nil, err
	}
	layout, err := resolveLinker(o.Linker, pkgRaw)
	if err != nil {
		return nil, err
	}
	isolated := layout == LinkerIsolated
	lockPath := filepath.Join(o.Dir, lockName)
	hiddenPath := filepath.Join(o.Dir, "node_modules", hiddenName)
	if isolated {
		// npm's hidden lockfile describes a hoisted tree; the isolated
		// layout keeps its own, so switching layouts is never a no-op.
		hiddenPath = linker.IsolatedLockfilePath(o.Dir)
	}
	statePath := filepath.Join(o.Dir, "node_modules", stateName)
	lockRaw, lockReadErr := os.ReadFile(lockPath)
	plat := o.Platform
	if plat == (tree.Platform{}) {
		plat = tree.HostPlatform()
	}
	trace("read")
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: o.Dir, Env: o.Env, Home: getenv(o.Env, "HOME"), Flags: o.Flags})
	if err != nil {
		return nil, err
	}
	tc, err := loadTrust(pkgRaw, cfg, o)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if o.Now != nil {
		now = o.Now()
	}
	omit := tree.ParseOmit(cfg.Omit())
	lockOpts := tree.LockOptions{OmitRegistryResolved: cfg.GetBool("omit-lockfile-registry-resolved"), Indent: m.Indent, Newline: m.Newline, DirName: filepath.Base(o.Dir)}
	if lockOpts.Indent == "" {
		lockOpts.Indent = "  "
	}
	ignoreScripts := cfg.GetBool("ignore-scripts")
	saveLock := cfg.Get("package-lock") != "false" && !o.NoSave
	stateKey := fmt.Sprintf("omit=%v platform=%v resolved=%v", omit, plat, lockOpts.OmitRegistryResolved)
	if isolated {
		stateKey += " linker=isolated"
	}
	if len(o.Only) > 0 {
		// A filtered install leaves a partial node_modules: a later full
		// install must not take it for complete.
		stateKey += " only=" + strings.Join(o.Only, ",")
	}
	refreshStateKey := func() {}
	workspaces, err := manifest.Workspaces(o.Dir, m)
	if err != nil {
		return nil, err
	}
	if len(workspaces) > 0 {
		// A workspace's package.json is as much an input as the root's.
		stateKey += " workspaces="
		baseKey := stateKey
		stateKey = baseKey + workspacesDigest(workspaces)
		// After `install <spec> -w` rewrites workspace package.json files,
		// the state is recorded for their new contents.
		refreshStateKey = func() { stateKey = baseKey + workspacesDigest(workspaces) }
	}

	// The fastest path: the state file written by the last install says
	// package.json, package-lock.json and node_modules are what it left.
	if o.Mode == ModeInstall && len(o.Add) == 0 && len(o.Remove) == 0 && lockReadErr == nil && !o.updating() {
		if n, ok := checkState(o.Dir, statePath, hiddenPath, pkgRaw, lockRaw, stateKey); ok {
			trace("state")
			s := &Summary{UpToDate: true, Audited: n}
			if !ignoreScripts {
				if err := runRootScripts(ctx, o, m); err != nil {
					return nil, err
				}
			}
			s.Seconds = time.Since(start).Seconds()
			return s, nil
		}
	}
	// Past the no-op check an install reaches the registry checks unless
	// the tree turns out to be in place: their TLS connection is opened now,
	// while the lockfile and the store are read.
	checksTr := newChecksTransport(cfg.CacheDir(), cfg.Get("cafile"), cfg.GetList("ca"))
	defer checksTr.closeIdle()
	if !cfg.GetBool("offline") {
		go func() {
			// The default registry may have to be asked of npm once: not on
			// this goroutine's way.
			// A registry known to lack the advisory endpoint is not asked
			// about a lockfile's set at all: nothing to open early.
			if reg, err := cfg.Registry(); err == nil && !advisoryUnsupported(cfg.CacheDir(), reg, time.Now()) {
				checksTr.predial(reg)
			}
		}()
	}
	// A warm install reads the store index of every package. Without a
	// node_modules (or in `ci`, which starts from none) the install is no
	// no-op, so the store is opened and those reads start now, on the core
	// the lockfile is not being decoded and its tree built on; the fetch
	// phase then finds them loaded.
	var early *indexPrefetch
	stopPrefetch := func() {}
	// A layout begun at process start (package early) belongs to the first
	// install of the process; one this install does not adopt is removed.
	var begun *earlylayout.Layout
	if useSet {
		if l := earlylayout.Current(); l != nil && sameDir(o.Dir, l.ProjectDir) {
			begun = earlylayout.Take()
		}
		if begun != nil && !begun.Loaded() {
			begun = nil // no plan for this folder: nothing was begun
		}
	}
	var begunPS *linker.Prestage
	defer func() {
		if begun != nil && begunPS == nil {
			begunPS = linker.FromEarly(begun, o.Dir, nil)
		}
		begunPS.Abandon() // nothing once adopted
	}()
	if lockReadErr == nil && len(o.Only) == 0 && len(o.Add) == 0 && len(o.Remove) == 0 && !o.updating() {
		if _, err := os.Lstat(filepath.Join(o.Dir, "node_modules")); o.Mode == ModeCI || errors.Is(err, os.ErrNotExist) {
			// A layout plan for these inputs starts laying packages out as
			// soon as their indexes are loaded (hoisted layout only), unless
			// one was begun at process start.
			var plan *planStart
			if !isolated && begun == nil {
				plan = &planStart{ctx: ctx, path: layoutPlanPath(cfg.CacheDir(), stateKey, lockOpts.DirName, pkgRaw, lockRaw), projectDir: o.Dir}
			}
			early = prefetchIndexes(cfg.CacheDir(), lockRaw, useSet, plan)
			defer early.abandon()
			stopPrefetch = early.stop
		}
	}
	var lf *lockfile.Lockfile
	var lerr error = lockReadErr
	if lockReadErr == nil {
		// lockRaw is only ever read from here on: the lockfile's strings
		// share its bytes instead of a copy.
		lf, lerr = lockfile.DecodeShared(lockRaw)
		if lerr != nil {
			lerr = fmt.Errorf("%s: %w", lockPath, lerr)
		}
	}
	if lerr != nil && !errors.Is(lerr, os.ErrNotExist) {
		if o.Mode == ModeCI {
			return nil, lerr
		}
		fmt.Fprintf(o.Stderr, "gnode warn: ignoring unreadable %s: %v\n", lockName, lerr)
		lf = nil
	}

	var memo *installMemo
	if lf != nil && len(o.Only) == 0 {
		memo = loadInstallMemo(cfg.CacheDir(), stateKey, lockOpts.DirName, pkgRaw, lockRaw, lf)
	}
	// problemsOf is lt.Problems(), skipped when this binary already found
	// none for these inputs.
	problemsOf := func(lt *tree.Tree) []string {
		if memo.has(memoNoProblems) {
			return nil
		}
		probs := lt.Problems()
		if len(probs) == 0 {
			memo.add(memoNoProblems)
		}
		return probs
	}

	// The hot path: nothing to add or remove, the lockfile matches
	// package.json, and node_modules is exactly what it says.
	var t *tree.Tree
	if o.Mode == ModeCI {
		if lf == nil {
			return nil, &FrozenError{Problems: []string{"there is no package-lock.json"}}
		}
		var probs []string
		probs = append(probs, tree.RootMatches(lf, m)...)
		probs = append(probs, tree.WorkspaceProblems(lf, m, workspaces)...)
		if len(probs) == 0 {
			lt, err := tree.FromLockfileWorkspaces(lf, m, plat, workspaces)
			if err != nil {
				return nil, err
			}
			if err := lt.ApplyOverrides(m); err != nil {
				return nil, err
			}
			probs = problemsOf(lt)
			t = lt
		}
		if len(probs) > 0 {
			return nil, &FrozenError{Problems: probs}
		}
	} else if lf != nil && len(o.Add) == 0 && len(o.Remove) == 0 && !o.updating() && len(tree.RootMatches(lf, m)) == 0 &&
		len(tree.WorkspaceProblems(lf, m, workspaces)) == 0 {
		lt, err := tree.FromLockfileWorkspaces(lf, m, plat, workspaces)
		trace("lockfile")
		if err == nil && lt.ApplyOverrides(m) == nil && len(problemsOf(lt)) == 0 {
			t = lt
			trace("check")
			if hot(o.Dir, hiddenPath, lt, m, lockOpts, omit) {
				trace("hot")
				writeState(statePath, hiddenPath, nil, pkgRaw, lockRaw, stateKey, installedLocations(lt, omit))
				s := &Summary{UpToDate: true, Audited: countInstalled(lt, omit)}
				if !ignoreScripts {
					if err := runRootScripts(ctx, o, m); err != nil {
						return nil, err
					}
				}
				s.Seconds = time.Since(start).Seconds()
				return s, nil
			}
		}
	}

	// fromLock: the tree is the lockfile's, unchanged by this install.
	fromLock := t != nil
	trace("config")
	var st *store.Store
	if early != nil {
		st = early.store()
	}
	if st == nil {
		if st, err = store.Open(cfg.CacheDir()); err != nil {
			return nil, err
		}
	}
	// Packuments are the resolver's critical path: it speculates up to 64
	// ahead (tree.Options.Concurrency), each request on a keep-alive
	// connection of its own (HTTP/1.1: see registryclient.Options.HTTP2).
	// Tarballs have their own slots.
	copts := registryclient.Options{MaxConns: 64, MaxTarballConns: fetchDownloads, Logf: func(f string, a ...any) {
		fmt.Fprintf(o.Stderr, "gnode http: "+f+"\n", a...)
	}}
	if p := getenv(o.Env, "GNODE_INSTALL_HTTPLOG"); p != "" {
		// One line per request: start, headers and end (seconds since the
		// client was made), bytes, protocol, URL.
		if lf, err := os.Create(p); err == nil {
			var mu sync.Mutex
			copts.RequestLog = func(t registryclient.RequestTiming) {
				mu.Lock()
				fmt.Fprintf(lf, "%.3f %.3f %.3f %d %d %s %s\n", t.Start.Seconds(), t.Headers.Seconds(), t.Done.Seconds(), t.Status, t.Bytes, t.Proto, t.URL)
				mu.Unlock()
			}
			defer lf.Close()
		}
	}
	client := registryclient.New(cfg, copts)
	defer client.Close()
	src := &source{c: client, policy: tc.age, now: now, times: map[string]*packument.Packument{}}
	if tc.age.MinimumAge > 0 {
		// Abbreviated documents from registries other than gnode's carry
		// no `time`; the release age then needs the full document.
		src.full = registryclient.New(cfg, registryclient.Options{MaxConns: 16, FullMetadata: true})
		defer src.full.Close()
	}
	rep := &TrustReport{}
	var decisions []Decision
	// The registry checks run on a goroutine that an install failing
	// before it waits for them (ERELEASEAGE, a download error) leaves
	// behind: its warnings must not reach o.Stderr once Run has returned
	// (the caller owns it again; the race detector caught the write).
	var warnMu sync.Mutex
	returned := false
	defer func() {
		warnMu.Lock()
		returned = true
		warnMu.Unlock()
	}()
	warnf := func(msg string) {
		warnMu.Lock()
		defer warnMu.Unlock()
		if !returned {
			fmt.Fprintf(o.Stderr, "gnode warn: %s\n", msg)
		}
	}

	f := newFetchPool(ctx, client, st, o.Progress)
	f.downloading = normalGC
	f.registryFor = cfg.RegistryFor
	defer f.stop()
	local := &localFetcher{c: client, st: st, dir: o.Dir}
	f.local = local

	var warnings []string
	var picked map[string]string
	manifestChanged := false
	// Workspace package.json files edited by `install <spec> -w`: the tree
	// is resolved from the edited bytes, and they are written only once
	// the install has succeeded.
	var edited []*manifest.Manifest
	folderManifests := map[string][]byte{}
	if t == nil {
		targets := o.Targets
		if len(targets) == 0 {
			targets = []string{""}
		}
		for _, target := range targets {
			tm := m
			if target != "" {
				wdir := filepath.Join(o.Dir, filepath.FromSlash(target))
				if tm, err = manifest.Read(filepath.Join(wdir, "package.json")); err != nil {
					return nil, err
				}
			}
			changed := false
			if len(o.Add) > 0 {
				p, err := addSpecs(ctx, src, local, tm, o)
				if err != nil {
					return nil, src.explainFailure(err)
				}
				if picked == nil {
					picked = p
				} else {
					for k, v := range p {
						picked[k] = v
					}
				}
				changed = true
			}
			for _, name := range o.Remove {
				if tm.RemoveDependency(name) {
					changed = true
				}
			}
			if target == "" {
				manifestChanged = manifestChanged || changed
			} else if changed {
				edited = append(edited, tm)
				folderManifests[filepath.Dir(tm.Path)] = tm.Bytes()
			}
		}
		var pref map[string][]string
		if lf != nil {
			pref = tree.Preferred(lf)
		} else if o.Mode == ModeInstall {
			// No package-lock.json: keep the versions another package
			// manager's lockfile pins (pnpm-lock.yaml, yarn.lock, bun.lock).
			fp, file, err := migrate.PreferredFor(o.Dir, m.Dependencies, m.DevDependencies, m.OptionalDependencies)
			if err != nil {
				fmt.Fprintf(o.Stderr, "gnode warn: ignoring a foreign lockfile: %v\n", err)
			} else if file != "" {
				fmt.Fprintf(o.Stderr, "gnode: migrating from %s (package-lock.json is written from it)\n", file)
				pref = fp
			}
		}
		pref = o.unlocked(pref)
		src.locked = pref
		var resolved atomic.Int64
		f.wantLockInfos = true
		// Tarballs download while the packuments are still coming (only
		// when nothing is omitted: the tree's speculation does not know
		// --omit). A speculative download the tree ends up not using is
		// only a verified store entry.
		var speculated func(*tree.Node)
		if omit == (tree.Omit{}) && len(o.Only) == 0 {
			speculated = func(n *tree.Node) { f.add(n) }
		}
		normalGC()
		bt, err := tree.Build(ctx, m, tree.Options{
			Source: src, Platform: plat, NodeVersion: o.NodeVersion, Preferred: pref,
			Dir: o.Dir, Local: local.Resolve, Workspaces: workspaces, FolderManifests: folderManifests,
			Explicit:     picked,
			OnSpeculated: speculated,
			OnResolved: func(n *tree.Node) {
				r := resolved.Add(1)
				if o.Progress != nil {
					o.Progress.Resolved(int(r))
				}
				if n.Link || n.Manifest == nil {
					return
				}
				if !n.Inert && plat.Allows(n.Manifest.OS, n.Manifest.CPU, n.Manifest.Libc) {
					f.add(n) // start downloading while the walk goes on
				}
			},
		})
		if err != nil {
			return nil, src.explainFailure(err)
		}
		t = bt
		warnings = append(warnings, t.Warnings...)
	} else if o.Progress != nil {
		count := 0
		walkAny(t, func(*tree.Node) { count++ })
		o.Progress.Resolved(count)
	}

	trace("resolve")
	if p := getenv(o.Env, "GNODE_INSTALL_HEAPPROFILE"); p != "" {
		// The live heap when the tree is resolved: every packument is
		// held, and the downloads are under way.
		if f, err := os.Create(p); err == nil {
			runtime.GC()
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	f.resolved()
	// Everything that will be installed must be in the store.
	var install, links []*tree.Node
	t.Walk(func(n *tree.Node) {
		if skipped(n, omit) || n.InBundle || n.IsLinkTarget() {
			return
		}
		if n.Link {
			links = append(links, n)
			return
		}
		install = append(install, n)
	})
	if len(o.Only) > 0 {
		var had map[string]string
		if o.Mode != ModeCI {
			had = previous(hiddenPath)
		}
		install, links = onlyWorkspaces(t, o.Only, install, links, had)
	}
	// Signatures and the advisory query need only the resolved set: they
	// run while the store is searched and tarballs download, and are
	// waited for before node_modules changes.
	type checkResult struct {
		err       error
		decisions []Decision
		verified  int
		publisher []Decision
	}
	prevVersions := previousVersions(hiddenPath, lf)
	checks := make(chan checkResult, 1)
	// A Run that returns before the checks' result is taken (a failed
	// download, a refused policy) stops them and waits for them: they
	// write the key and advisory caches, which must not change once Run
	// has returned (a caller may be removing the cache folder; tests'
	// temporary folders failed to clean up now and then).
	checksCtx, cancelChecks := context.WithCancel(ctx)
	checksTaken := false
	defer func() {
		if !checksTaken {
			cancelChecks()
			<-checks
		}
		cancelChecks()
	}()
	go func() {
		ctx := checksCtx
		var r checkResult
		var crep TrustReport
		hc := checksClient(checksTr)
		r.err = verifySignatures(ctx, cfg, &keyCache{dir: cfg.CacheDir(), hc: hc, m: map[string]trust.Keys{}, offline: cfg.GetBool("offline")}, src, install, &crep, &r.decisions)
		if r.err == nil && !cfg.GetBool("offline") {
			r.err = checkMalicious(ctx, cfg, hc, install, warnf, &r.decisions)
		}
		r.verified = crep.SignaturesVerified
		if r.err == nil && !cfg.GetBool("offline") {
			r.publisher = publisherChanges(ctx, cfg, hc, install, prevVersions)
		}
		checks <- r
	}()
	stopPrefetch() // what it has not read yet is read by the lookup on all cores
	if early != nil && tracing {
		fmt.Fprintf(o.Stderr, "gnode trace: index set %d\n", early.fromSet)
	}
	f.lookup(install, early != nil && early.fromSet > 0)
	for _, n := range install {
		f.add(n)
	}
	paths, err := f.wait(install)
	if err != nil {
		return nil, err
	}
	preloadIndexes(st, paths)
	trace("fetch")
	addBundled(t, st, paths)
	fillFromPackageJSON(t, st, paths, &f.lockInfos)

	// Supply-chain checks, all before anything is linked.
	installedVersions := make(map[string][]string, len(install))
	for _, n := range install {
		installedVersions[n.PackageName] = append(installedVersions[n.PackageName], n.Version)
	}
	rep.PassedOver = trust.Explain(src.passed, installedVersions)
	for _, po := range src.passed {
		decisions = append(decisions, Decision{Name: po.Name, Version: po.Version, Rule: "release-age", Verdict: "passed-over", Detail: po.Reason})
	}
	if tc.age.Strict && len(rep.PassedOver) > 0 {
		return nil, &TrustError{Code: "ERELEASEAGE", Msg: "strict release-age policy: " + strings.Join(rep.PassedOver, "; "),
			Fix: "wait until the version matures, or accept it explicitly with --allow-young=NAME@VERSION"}
	}
	for _, ov := range src.overridden {
		if !containsStr(installedVersions[ov.Name], ov.Version) {
			continue
		}
		msg := fmt.Sprintf("%s@%s is younger than the minimum release age (published %s ago) and was accepted by an explicit override", ov.Name, ov.Version, trust.FormatAge(ov.Age))
		rep.Overrides = append(rep.Overrides, msg)
		decisions = append(decisions, Decision{Name: ov.Name, Version: ov.Version, Rule: "release-age", Verdict: "overridden", Detail: msg})
		fmt.Fprintf(o.Stderr, "gnode warn: %s\n", msg)
	}
	// The signals and the layout need only what is in the store: they are
	// worked out while the advisory query and signature checks (network
	// round trips) finish.
	before := installedBefore(hiddenPath, lf)
	localSignals := changeSignals(src, install, paths, st, before, now)
	policyDs := policyWarnings(o.Dir, install, paths, before)
	// Lay out node_modules (prepared while the registry checks run; nothing
	// is written until they have passed).
	trusted := m.TrustedDependencies
	pkgs := make([]linker.Package, 0, len(install)+len(links)) // ~120 bytes each: not grown by doubling
	var inFolders []*tree.Node
	copyPaths := map[string]bool{}
	var scriptNodes []*tree.Node
	var skippedScripts, skippedNames []string
	var scriptDecisions []Decision // appended after the trust decisions
	// lockBins: this binary found, for these inputs, that no package's
	// package.json names commands its lockfile entry does not (see
	// memoLockBins), so the package.json files need not be searched again.
	lockBins := fromLock && memo.has(memoLockBins)
	binsBeyondLock := false
	for _, n := range install {
		p := paths[n]
		idx, _ := st.Index(p)
		if idx != nil && idx.HasInstallScripts && !ignoreScripts {
			if scripts.Trusted(trusted, n.PackageName) {
				scriptNodes = append(scriptNodes, n)
				copyPaths[p] = true // scripts may edit their files; never touch the store's copies
			} else {
				scriptDecisions = append(scriptDecisions, Decision{Name: n.PackageName, Version: n.Version, Rule: "scripts", Verdict: "skipped", Detail: "has install scripts and is not in trustedDependencies"})
				skippedScripts = append(skippedScripts, n.ID())
				skippedNames = append(skippedNames, n.PackageName)
			}
		}
		if !strings.HasPrefix(n.Location(), "node_modules/") {
			// Inside a linked folder of the project (its own conflicting
			// dependency): laid out there after node_modules.
			inFolders = append(inFolders, n)
			continue
		}
		var bin map[string]string
		if lockBins && n.Manifest == nil && n.Lock != nil {
			bin = n.Lock.Bin
		} else {
			bin = binOf(n, idx)
			if n.Manifest == nil && n.Lock != nil && len(n.Lock.Bin) == 0 && len(bin) > 0 {
				binsBeyondLock = true
			}
		}
		pkgs = append(pkgs, linker.Package{Location: n.Location(), Name: n.Name, StorePath: p, Key: nodeKey(n), Bin: bin, NoBundled: idx != nil && !hasNodeModules(idx)})
	}
	if fromLock && !lockBins && !binsBeyondLock {
		memo.add(memoLockBins)
	}
	for _, n := range links {
		pkgs = append(pkgs, linkPackage(o.Dir, n))
	}
	// The hidden lockfile: cut out of package-lock.json's bytes when this
	// binary has checked, for these inputs, that the cut gives what
	// encoding gives (memoHiddenCut); otherwise built and encoded.
	var hiddenLock *lockfile.Lockfile
	var hiddenCut []byte
	var hiddenSkip map[string]bool
	hiddenKeep := 0
	canCut := fromLock && len(o.Only) == 0 && memo != nil
	if canCut {
		hiddenSkip, hiddenKeep = hiddenSkips(t, omit)
		if memo.has(memoHiddenCut) && memo.has(memoCanonical) {
			hiddenCut, _ = hiddenFromCanonical(lockRaw, lockOpts.Indent, hiddenSkip, hiddenKeep)
		}
	}
	if hiddenCut == nil {
		hiddenLock = t.ToLockfile(m, lockOpts, true, omit)
		if len(o.Only) > 0 {
			trimHidden(hiddenLock, install, links)
		}
	}
	var prev map[string]string
	if o.Mode != ModeCI {
		prev = previous(hiddenPath)
	}
	trace("prepare")
	// The registry checks are waited for once the layout is staged, just
	// before node_modules changes (linker.Options.Ready): their round trips
	// overlap the linking instead of preceding it. A failed check removes
	// the staged folders and leaves node_modules as it was.
	checked := false // the checks' result is taken (ready has run)
	var readyErr error
	// readyWith is what ready does with the checks' result.
	var readyWith func(cr checkResult) error
	take := func(cr checkResult) {
		checked = true
		trace("stage")
		readyErr = readyWith(cr)
	}
	ready := func() error {
		if !checked {
			take(<-checks)
		}
		return readyErr
	}
	// readyIfIn is ready when the checks are already done, and otherwise
	// nothing (it reports whether they were).
	readyIfIn := func() (bool, error) {
		if !checked {
			select {
			case cr := <-checks:
				take(cr)
			default:
				return false, nil
			}
		}
		return true, readyErr
	}
	readyWith = func(cr checkResult) error {
		checksTaken = true
		decisions = append(decisions, cr.decisions...)
		rep.SignaturesVerified = cr.verified
		if cr.err != nil {
			writeTrustRecordTo(o.Dir, tc, decisions)
			return cr.err
		}
		signals := append(localSignals, cr.publisher...)
		for _, d := range signals {
			rep.Signals = append(rep.Signals, d.Name+"@"+d.Version+": "+d.Detail)
		}
		decisions = append(decisions, signals...)
		if tc.strict && len(signals) > 0 {
			writeTrustRecordTo(o.Dir, tc, decisions)
			return &TrustError{Code: "ESIGNAL", Msg: "strict mode: " + strings.Join(rep.Signals, "; "),
				Fix: "review these changes, then install without --strict (or pin the previous versions)"}
		}
		// A runtime policy is checked as a warning: the runtime enforces it.
		for _, d := range policyDs {
			rep.Signals = append(rep.Signals, d.Name+"@"+d.Version+": "+d.Detail)
			decisions = append(decisions, d)
		}
		decisions = append(decisions, scriptDecisions...)
		trace("stage+trust")
		return nil
	}
	// Both lockfiles are encoded on another core while the packages are
	// laid out: the hidden one is needed only once they are staged, the
	// full one at the end (nothing changes the tree or package.json in
	// between).
	hiddenBytes := make(chan []byte, 1)
	fullLock := make(chan []byte, 1)
	hiddenCutChecked := false // read after fullLock is closed
	go func() {
		hb := hiddenCut
		if hb == nil {
			hb = hiddenLock.Encode(true)
		}
		hiddenBytes <- hb
		if saveLock {
			if fromLock && memo.has(memoCanonical) {
				fullLock <- lockRaw // what encoding the lockfile's tree gives
			} else {
				full := t.ToLockfile(m, lockOpts, false, tree.Omit{}).Encode(false)
				if canCut && hiddenCut == nil && bytes.Equal(full, lockRaw) {
					cut, ok := hiddenFromCanonical(lockRaw, lockOpts.Indent, hiddenSkip, hiddenKeep)
					hiddenCutChecked = ok && bytes.Equal(cut, hb)
				}
				fullLock <- full
			}
		}
		close(fullLock)
	}()
	var linked atomic.Int64
	ls := &linkStore{st: st, copy: copyPaths}
	// The layout started ahead from a plan is handed to the linker, which
	// adopts it if pkgs are the plan's; an install that copies packages
	// (their scripts run) or lays out anything beside node_modules does
	// not use it.
	var pre *linker.Prestage
	usable := early != nil && fromLock && memo != nil && !isolated && len(copyPaths) == 0 && len(inFolders) == 0
	if early != nil && early.pre != nil {
		if usable {
			pre, ls = early.pre, early.ls
		} else {
			early.pre.Abandon()
		}
	}
	if begun != nil {
		begunPS = linker.FromEarly(begun, o.Dir, ls)
		if usable && sameDir(o.Dir, begun.ProjectDir) && planIndexesMatch(st, begun.Plan) {
			pre = begunPS
		} else {
			begunPS.Abandon()
		}
	}
	// staleSet turns a layout's failure for a missing store file into a
	// staleStoreError when the indexes came from the index set (which is
	// removed) or an incomplete store entry was removed: Run installs
	// again. The linkers stage everything first, so such a failure leaves
	// node_modules as it was.
	staleSet := func(err error) error {
		fromSet := early != nil && early.fromSet > 0
		if !errors.Is(err, fs.ErrNotExist) || !fromSet && !ls.dropped.Load() {
			return err
		}
		if fromSet {
			os.Remove(early.setPath)
		}
		return &staleStoreError{err: err, trace: tracing}
	}
	// hiddenGiven is what the linker was handed for the hidden lockfile,
	// which it has written once Apply returns without an error.
	var hiddenGiven atomic.Pointer[[]byte]
	lo := linker.Options{
		Store: ls, Previous: prev, Ready: ready, Prestage: pre,
		HiddenLockfileFunc: func() []byte {
			hb := <-hiddenBytes
			hiddenGiven.Store(&hb)
			return hb
		},
		OnLinked: func(string) {
			if o.Progress != nil {
				o.Progress.Linked(int(linked.Add(1)))
			}
		},
	}
	// With a layout begun ahead, the trust record and the state file go
	// into the staging folder while the last packages are still being laid
	// out, when nothing the install does after the layout can change them:
	// the checks are done, the lockfile is the one on disk (written back
	// unchanged), and no script runs. They are then swapped in with the
	// rest, instead of written after it.
	wroteEarly := false
	if saveLock && fromLock && memo.has(memoCanonical) && !manifestChanged && len(edited) == 0 && !isolated &&
		len(scriptNodes) == 0 && (ignoreScripts || len(links) == 0 && len(m.Scripts) == 0) {
		lo.Meanwhile = func(staging string) error {
			hb := hiddenGiven.Load()
			if in, err := readyIfIn(); !in || err != nil || hb == nil {
				return err
			}
			writeTrustRecordAt(filepath.Join(staging, TrustRecordName), tc, decisions)
			writeState(filepath.Join(staging, stateName), "", *hb, pkgRaw, lockRaw, stateKey, packageLocations(pkgs))
			wroteEarly = true
			return nil
		}
	}
	var res linker.Result
	scriptDir := func(n *tree.Node) string { return filepath.Join(o.Dir, filepath.FromSlash(n.Location())) }
	if isolated {
		lay, err := linkIsolated(ctx, o, t, install, links, paths, st, lo)
		if err != nil {
			return nil, staleSet(err)
		}
		res, pkgs = lay.Result, lay.Packages
		scriptDir = func(n *tree.Node) string { return lay.Dirs[n] }
	} else {
		res, err = linker.Apply(ctx, o.Dir, pkgs, lo)
		wroteEarly = wroteEarly && pre.Adopted() // else staged again without them
		if pre != nil && tracing {
			fmt.Fprintf(o.Stderr, "gnode trace: layout plan adopted %v\n", pre.Adopted())
			fmt.Fprintf(o.Stderr, "gnode trace: %d of %d packages claimed ahead (begun at start-up: %v)\n", pre.Ahead(), len(pkgs), pre == begunPS)
		}
		if err != nil {
			return nil, staleSet(err)
		}
		if err := layOutInFolders(o.Dir, inFolders, paths, ls); err != nil {
			return nil, err
		}
	}
	if !checked {
		// Every linker path calls Ready before changing node_modules; this
		// only guards against one that did not.
		return nil, fmt.Errorf("internal error: node_modules was laid out without waiting for the registry checks")
	}
	trace("link")
	for _, n := range scriptNodes {
		decisions = append(decisions, Decision{Name: n.PackageName, Version: n.Version, Rule: "scripts", Verdict: "jailed", Detail: "trusted: install scripts run confined to the package folder with a scrubbed environment"})
	}
	if !wroteEarly {
		writeTrustRecord(o.Dir, tc, decisions)
	}
	self := jailBinary(o.Env)
	// Scripts: trusted dependencies deepest first, then the project.
	if !ignoreScripts {
		sort.SliceStable(scriptNodes, func(i, j int) bool {
			return strings.Count(scriptNodes[i].Location(), "node_modules/") > strings.Count(scriptNodes[j].Location(), "node_modules/")
		})
		ran := map[string]bool{} // isolated copies of a package share one folder
		for _, n := range scriptNodes {
			dir := scriptDir(n)
			if ran[dir] {
				continue
			}
			ran[dir] = true
			sp := scriptPackage(n, dir, st, paths[n])
			for _, ev := range scripts.InstallEvents {
				env := scriptEnv(o, true)
				env.Jail, env.Self = true, self
				if err := scripts.Run(ctx, sp, ev, env); err != nil {
					if n.Optional {
						warnings = append(warnings, fmt.Sprintf("optional dependency %s failed its %s script: %v", n.ID(), ev, err))
						break
					}
					return nil, err
				}
			}
		}
		if err := runWorkspaceScripts(ctx, o, links, prev); err != nil {
			return nil, err
		}
		if err := runRootScripts(ctx, o, m); err != nil {
			return nil, err
		}
	}

	// package.json and package-lock.json are written last.
	fullData := <-fullLock // the encoding goroutine is done with m and t
	if manifestChanged && !o.NoSave {
		if err := m.Write(); err != nil {
			return nil, err
		}
	}
	if !o.NoSave {
		for _, wm := range edited {
			if err := wm.Write(); err != nil {
				return nil, err
			}
		}
		if len(edited) > 0 {
			refreshStateKey()
		}
	}
	if !wroteEarly {
		os.Remove(statePath)
	}
	if saveLock {
		data := fullData
		// The lockfile read at the start is what is on disk unless a
		// script ran since (a concurrent writer aside, which the write
		// below would race anyway): it is not read a second time.
		old, err := lockRaw, lockReadErr
		if err != nil || !(ignoreScripts || len(scriptNodes) == 0 && len(links) == 0 && len(m.Scripts) == 0) {
			old, err = os.ReadFile(lockPath)
		}
		if err != nil || !bytes.Equal(old, data) {
			if err := manifest.WriteFileAtomic(lockPath, data); err != nil {
				return nil, err
			}
		}
		if fromLock && bytes.Equal(data, lockRaw) {
			memo.add(memoCanonical)
			if hiddenCutChecked {
				memo.add(memoHiddenCut)
			}
		}
		if manifestChanged && !o.NoSave {
			pkgRaw = m.Bytes()
		}
		var hidden []byte
		if hb := hiddenGiven.Load(); hb != nil && !isolated {
			hidden = *hb
		}
		if !wroteEarly {
			writeState(statePath, hiddenPath, hidden, pkgRaw, data, stateKey, packageLocations(pkgs))
		}
	}
	// The next warm install of this lockfile reads every index from one
	// file. Only for the lockfile's own tree without linked folders (the
	// memo's condition), and only once the packages were laid out from
	// the entries the set names.
	if fromLock && memo != nil && early != nil && early.fromSet == 0 {
		sp := make([]string, 0, len(install))
		for _, n := range install {
			sp = append(sp, paths[n])
		}
		writeIndexSet(early.setPath, st, sp)
	}
	// And its layout plan, unless the plan this install had was adopted.
	if fromLock && memo != nil && early != nil && early.plan != nil && len(copyPaths) == 0 && len(inFolders) == 0 && !pre.Adopted() {
		writeLayoutPlan(early.plan.path, st.Dir(), pkgs)
	}
	// And the early plan a process started in this folder reads (see
	// package early), unless this install adopted the one it had; a
	// process that did not look for one writes it once for these inputs.
	if usable && !(pre == begunPS && pre.Adopted()) && saveLock && bytes.Equal(fullData, lockRaw) &&
		(begun != nil || !memo.has(memoEarlyPlan) || earlylayout.LookedIn() != "" && sameDir(o.Dir, earlylayout.LookedIn())) {
		if writeEarlyPlan(cfg.CacheDir(), o.Dir, st, pkgRaw, lockRaw, pkgs) {
			memo.add(memoEarlyPlan)
		}
	}
	trace("finish")
	s := &Summary{Added: res.Added, Removed: res.Removed, Changed: res.Changed, Audited: len(pkgs), Warnings: warnings, SkippedScripts: skippedScripts, Trust: rep}
	s.ScriptsNotice = scripts.SkippedReport(append([]string(nil), skippedScripts...), skippedNames)
	s.Seconds = time.Since(start).Seconds()
	return s, nil
}

// FrozenError is `gnode ci` refusing a lockfile that does not match package.json.
type FrozenError struct{ Problems []string }

func (e *FrozenError) Error() string {
	return "gnode ci can only install when package.json and package-lock.json are in sync:\n  " + strings.Join(e.Problems, "\n  ")
}

// Hint says how to fix it.
func (e *FrozenError) Hint() string {
	return "run `gnode install` to update package-lock.json, then commit it"
}

func getenv(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// skipped reports whether n (or a package it lives inside) is not installed.
func skipped(n *tree.Node, omit tree.Omit) bool {
	for x := n; x != nil && !x.IsRoot(); x = x.Parent {
		if x.Omitted(omit) {
			return true
		}
	}
	return false
}

func countInstalled(t *tree.Tree, omit tree.Omit) int {
	c := 0
	t.Walk(func(n *tree.Node) {
		if !skipped(n, omit) && !n.InBundle {
			c++
		}
	})
	return c
}

func nodeKey(n *tree.Node) string {
	if n.Link {
		return "link:" + n.Resolved
	}
	if n.Integrity != "" {
		return n.Integrity
	}
	return n.Resolved + "#" + n.Version
}

// hot reports whether node_modules already holds exactly the tree: the
// hidden lockfile says so byte for byte, and every package folder exists.
func hot(dir, hiddenPath string, t *tree.Tree, m *manifest.Manifest, lo tree.LockOptions, omit tree.Omit) bool {
	have, err := os.ReadFile(hiddenPath)
	if err != nil {
		return false
	}
	want := t.ToLockfile(m, lo, true, omit).Encode(true)
	if !bytes.Equal(have, want) {
		return false
	}
	ok := true
	t.Walk(func(n *tree.Node) {
		if !ok || skipped(n, omit) {
			return
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(n.Location()), "package.json")); err != nil {
			ok = false
		}
	})
	return ok
}

// previous reads what the hidden lockfile says is installed.
func previous(hiddenPath string) map[string]string {
	lf, err := lockfile.Read(hiddenPath)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for loc, p := range lf.Packages {
		if loc == "" || p.InBundle || !strings.HasPrefix(loc, "node_modules/") {
			continue // linked folders are not node_modules' to replace
		}
		k := p.Integrity
		if p.Link {
			k = "link:" + p.Resolved
		}
		if k == "" {
			k = p.Resolved + "#" + p.Version
		}
		out[loc] = k
	}
	return out
}

// source adapts the registry client to the resolver, applying the
// release-age policy to each document (see filter).
type source struct {
	c      *registryclient.Client
	full   *registryclient.Client // full documents, for registries whose abbreviated ones lack `time`
	policy *trust.ReleaseAgePolicy
	now    time.Time
	locked map[string][]string // versions the lockfile holds: never filtered

	mu         sync.Mutex
	passed     []trust.PassedOver
	overridden []trust.Overridden
	// times holds, by package name, the document whose `time` the
	// release age was judged by (publishTime reads it).
	times map[string]*packument.Packument
}

// Packument returns name's document, decoded lazily: an install reads the
// manifests of the versions it picks and the heads of the others
// (packument.DecodeLazy), and everything here reads them through the
// packument's accessors.
func (s *source) Packument(ctx context.Context, name string) (*packument.Packument, error) {
	p, err := s.c.Packument(registryclient.WithLazyDecode(ctx), name)
	if err != nil {
		var nf *registryclient.NotFoundError
		if errors.As(err, &nf) {
			return nil, fmt.Errorf("%w: %w", tree.ErrNotFound, err)
		}
		return nil, err
	}
	return s.filter(ctx, p), nil
}

// linkStore lays out packages from the store, copying the ones whose
// install scripts will run so they cannot modify the shared files.
type linkStore struct {
	st   *store.Store
	copy map[string]bool
	slow atomic.Bool // hard links were refused: store.Link only
	// dropped: a package's store entry was found incomplete while laying
	// it out and removed (store.DropIncomplete); installing again fetches it.
	dropped atomic.Bool
}

func (l *linkStore) Link(pkgPath, dest string) error {
	if l.copy[pkgPath] {
		return copyTree(pkgPath, dest)
	}
	if !l.slow.Load() {
		if idx, err := l.st.Index(pkgPath); err == nil {
			ok, refused := rawLink(pkgPath, dest, idx)
			if ok {
				return nil
			}
			if refused {
				// Hard links are refused here (another file system): the
				// next packages go straight to store.Link, which copies.
				l.slow.Store(true)
			}
		}
	}
	err := l.st.Link(pkgPath, dest)
	if err != nil && errors.Is(err, fs.ErrNotExist) && l.st.DropIncomplete(pkgPath) {
		l.dropped.Store(true)
	}
	return err
}

func copyTree(src, dest string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, p)
		d := filepath.Join(dest, r)
		if info.IsDir() {
			return os.MkdirAll(d, 0o755)
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(d, data, info.Mode().Perm())
	})
}

func binOf(n *tree.Node, idx *store.Index) map[string]string {
	if n.Manifest != nil && len(n.Manifest.Bin) > 0 {
		return n.Manifest.Bin
	}
	if n.Lock != nil && len(n.Lock.Bin) > 0 {
		return n.Lock.Bin
	}
	if idx != nil && len(idx.PackageJSON) > 0 && mayHaveBin(idx.PackageJSON) {
		var pj struct {
			Name string `json:"name"`
			Bin  any    `json:"bin"`
		}
		if json.Unmarshal(idx.PackageJSON, &pj) == nil {
			return manifest.NormalizeBin(pj.Name, pj.Bin)
		}
	}
	return nil
}

// hasNodeModules reports whether a package's own files include a
// node_modules folder (bundled dependencies).
func hasNodeModules(idx *store.Index) bool {
	for _, d := range idx.Dirs {
		if d == "node_modules" {
			return true
		}
	}
	for _, f := range idx.Files {
		if strings.HasPrefix(f.Path, "node_modules/") {
			return true
		}
	}
	return false
}

// mayHaveBin reports whether binOf could find a "bin" key in a
// package.json: the key written plainly (in any case, as encoding/json
// matches struct fields) or with a letter spelled as an escape (\u0062 and
// so on; the store's copy of package.json has \u0026-style escapes all
// over, so any \u is not enough). Most packages have no commands, and
// decoding every package.json of a warm install to find that out took a
// sixth of its CPU outside linking.
func mayHaveBin(pj []byte) bool {
	if !bytes.Contains(pj, []byte(`\u00`)) {
		// Without escapes only a quoted "bin" (any case) can be the key:
		// the quotes are found with IndexByte instead of byte by byte.
		for i := 0; ; i++ {
			k := bytes.IndexByte(pj[i:], '"')
			if k < 0 {
				return false
			}
			i += k
			if i+5 <= len(pj) && pj[i+4] == '"' && pj[i+1]|0x20 == 'b' && pj[i+2]|0x20 == 'i' && pj[i+3]|0x20 == 'n' {
				return true
			}
		}
	}
	for i := 0; i+5 <= len(pj); i++ {
		switch {
		case pj[i] == '"' && pj[i+4] == '"' && pj[i+1]|0x20 == 'b' && pj[i+2]|0x20 == 'i' && pj[i+3]|0x20 == 'n':
			return true
		case pj[i] == '\\' && i+6 <= len(pj) && pj[i+1] == 'u' && pj[i+2] == '0' && pj[i+3] == '0':
			switch pj[i+4] {
			case '4':
				if c := pj[i+5] | 0x20; c == '2' || c == '9' || c == 'e' {
					return true
				}
			case '6':
				if c := pj[i+5] | 0x20; c == '2' || c == '9' || c == 'e' {
					return true
				}
			}
		}
	}
	return false
}

// mayHaveKey reports whether a JSON document could have key (lower-case
// ASCII letters) as an object key, as encoding/json matches struct fields
// (in any case): written plainly between quotes, or anything at all when
// the document has a \u escape. A project's package.json rarely has a
// "gnode" field; decoding it once per setting only to find that out was
// a reflection pass over the whole file each time.
func mayHaveKey(doc []byte, key string) bool {
	if bytes.Contains(doc, []byte(`\u`)) {
		return true
	}
	for i := 0; ; i++ {
		k := bytes.IndexByte(doc[i:], '"')
		if k < 0 {
			return false
		}
		i += k
		if end := i + 1 + len(key); end < len(doc) && doc[end] == '"' && asciiFoldEqual(doc[i+1:end], key) {
			return true
		}
	}
}

// asciiFoldEqual reports whether b equals the lower-case ASCII key with
// ASCII letters compared in any case.
func asciiFoldEqual(b []byte, key string) bool {
	for j := 0; j < len(key); j++ {
		if b[j]|0x20 != key[j] {
			return false
		}
	}
	return true
}

func scriptPackage(n *tree.Node, dir string, st *store.Store, p string) *scripts.Package {
	sp := &scripts.Package{Name: n.PackageName, Version: n.Version, Dir: dir}
	if idx, err := st.Index(p); err == nil {
		sp.HasBindingGyp = idx.HasBindingGyp
		var pj struct {
			Scripts map[string]any `json:"scripts"`
		}
		if json.Unmarshal(idx.PackageJSON, &pj) == nil {
			sp.Scripts = map[string]string{}
			for k, v := range pj.Scripts {
				if s, ok := v.(string); ok {
					sp.Scripts[k] = s
				}
			}
		}
	}
	return sp
}

func scriptEnv(o Options, quiet bool) scripts.Env {
	return scripts.Env{Base: o.Env, ProjectDir: o.Dir, Stdout: o.Stdout, Stderr: o.Stderr, Quiet: quiet}
}

func runRootScripts(ctx context.Context, o Options, m *manifest.Manifest) error {
	if len(m.Scripts) == 0 {
		return nil
	}
	sp := &scripts.Package{Name: m.Name, Version: m.Version, Dir: o.Dir, Scripts: m.Scripts}
	for _, ev := range scripts.RootEvents {
		if err := scripts.Run(ctx, sp, ev, scriptEnv(o, false)); err != nil {
			return err
		}
	}
	return nil
}

// workspaceEvents are the scripts npm runs for a linked workspace, in order.
var workspaceEvents = []string{"preinstall", "prepare", "install", "postinstall"}

// runWorkspaceScripts runs the install scripts of workspaces linked by
// this install (not those already in place), as npm does for links: they
// are the project's own code, so they run unconfined like the root's, with
// their output shown only when one fails.
func runWorkspaceScripts(ctx context.Context, o Options, links []*tree.Node, prev map[string]string) error {
	for _, n := range links {
		if n.Target == nil || !n.Target.IsWorkspace() || prev[n.Location()] == nodeKey(n) {
			continue
		}
		dir := filepath.Join(o.Dir, filepath.FromSlash(n.Resolved))
		wm, err := manifest.Read(filepath.Join(dir, "package.json"))
		if err != nil || len(wm.Scripts) == 0 {
			continue
		}
		sp := &scripts.Package{Name: wm.Name, Version: wm.Version, Dir: dir, Scripts: wm.Scripts}
		for _, ev := range workspaceEvents {
			if err := scripts.Run(ctx, sp, ev, scriptEnv(o, true)); err != nil {
				return fmt.Errorf("workspace %s: %w", n.Resolved, err)
			}
		}
	}
	return nil
}

// addSpecs resolves each `install <spec>` argument and records it in
// package.json with npm's save rules (^version unless exact or a range was given).
// addSpecs adds the command line's specs to package.json and returns the
// version each one picked (name -> version), which the resolver must
// prefer: like npm, `install a@1.0.0` installs 1.0.0 and saves ^1.0.0, and
// `install a@next` installs the tag's version.
func addSpecs(ctx context.Context, src *source, local *localFetcher, m *manifest.Manifest, o Options) (map[string]string, error) {
	picked := map[string]string{}
	field := o.SaveType
	if field == "" {
		field = manifest.Dependencies
	}
	for _, arg := range o.Add {
		if sp, err := spec.Parse(arg, o.Dir); err == nil && (sp.Type == spec.TypeFile || sp.Type == spec.TypeRemote || sp.Type == spec.TypeDirectory) {
			// A tarball argument: its name is only known from inside it.
			name := sp.Name
			if name == "" {
				pkgName, err := localName(ctx, local, sp)
				if err != nil {
					return nil, err
				}
				name = pkgName
			}
			save := sp.SaveSpec
			if sp.Type == spec.TypeRemote {
				save = sp.URL
			}
			f := field
			if o.SaveType == "" {
				if existing := m.DependencyType(name); existing != "" && existing != manifest.PeerDependencies {
					f = existing
				}
			}
			m.AddDependency(f, name, save)
			continue
		}
		name, rawSpec := splitSpec(arg)
		if name == "" {
			return nil, fmt.Errorf("invalid package spec %q", arg)
		}
		realName, rangeSpec, alias := name, rawSpec, false
		if strings.HasPrefix(rawSpec, "npm:") {
			alias = true
			realName, rangeSpec = splitSpec(rawSpec[4:])
		}
		p, err := src.Packument(ctx, realName)
		if err != nil {
			if errors.Is(err, tree.ErrNotFound) {
				return nil, &tree.NotFoundError{Name: realName, Spec: orStar(rangeSpec), Chain: []string{"the command line"}, Err: err}
			}
			return nil, err
		}
		save, err := saveSpec(p, rangeSpec, o.SaveExact)
		if err != nil {
			return nil, err
		}
		if pm, err := tree.PickManifest(p, orStar(rangeSpec), ""); err == nil {
			picked[realName] = pm.Version
		}
		if alias {
			save = "npm:" + realName + "@" + save
		}
		f := field
		if o.SaveType == "" {
			if existing := m.DependencyType(name); existing != "" && existing != manifest.PeerDependencies {
				f = existing
			}
		}
		m.AddDependency(f, name, save)
	}
	return picked, nil
}

func orStar(s string) string {
	if s == "" {
		return "latest"
	}
	return s
}

// splitSpec splits "name@spec" and "@scope/name@spec".
func splitSpec(arg string) (name, spec string) {
	at := strings.LastIndexByte(arg, '@')
	if at <= 0 {
		return arg, ""
	}
	if strings.HasPrefix(arg, "npm:") {
		return arg, ""
	}
	// "alias@npm:real@1" must split at the first @ after the name.
	if i := strings.Index(arg[1:], "@"); i >= 0 {
		return arg[:i+1], arg[i+2:]
	}
	return arg, ""
}

// saveSpec decides what package.json records for a user-given spec.
func saveSpec(p *packument.Packument, raw string, exact bool) (string, error) {
	pick := func(spec string) (string, error) {
		m, err := tree.PickManifest(p, spec, "")
		if err != nil {
			return "", err
		}
		return m.Version, nil
	}
	if raw == "" || !tree.IsRange(raw) || tree.IsExactVersion(raw) {
		v, err := pick(orStar(raw))
		if err != nil {
			return "", err
		}
		if exact {
			return v, nil
		}
		return "^" + v, nil
	}
	v, err := pick(raw)
	if err != nil {
		return "", err
	}
	// npm saves ^version when that allows nothing the given range does not
	// (`install a@^1.0.0` saves ^1.2.0), and the range as given otherwise.
	prefixed := "^" + v
	if exact {
		prefixed = v
	}
	if dom, err := semver.ParseRangeLoose(raw); err == nil {
		if sub, err := semver.ParseRangeLoose(prefixed); err == nil && semver.Subset(sub, dom) {
			return prefixed, nil
		}
	}
	return raw, nil
}

// NoManifestError is an install in a folder without package.json.
type NoManifestError struct {
	Dir string
	Err error
}

func (e *NoManifestError) Error() string { return e.Err.Error() }
func (e *NoManifestError) Unwrap() error { return e.Err }

// Hint says how to start a project.
func (e *NoManifestError) Hint() string {
	return "run gnode install in the project folder, or add a first dependency with `gnode install <name>`"
}

func installedLocations(t *tree.Tree, omit tree.Omit) []string {
	var out []string
	t.Walk(func(n *tree.Node) {
		if !skipped(n, omit) && !n.InBundle {
			out = append(out, n.Location())
		}
	})
	return out
}

// workspacesDigest fingerprints the workspaces' folders and package.json
// files, which the install state depends on like the root's.
func workspacesDigest(ws []manifest.Workspace) string {
	h := sha256.New()
	for _, w := range ws {
		raw, _ := os.ReadFile(filepath.Join(w.Dir, "package.json"))
		fmt.Fprintf(h, "%s\x00%s\x00%d:", w.Name, w.Path, len(raw))
		h.Write(raw)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// packageLocations lists the locations of pkgs.
func packageLocations(pkgs []linker.Package) []string {
	locs := make([]string, len(pkgs))
	for i, p := range pkgs {
		locs[i] = p.Location
	}
	return locs
}

// stateDigest fingerprints everything an install's result depends on.
func stateDigest(pkgRaw, lockRaw, hidden []byte, key string) string {
	h := sha256.New()
	for _, b := range [][]byte{[]byte("gnode-install-state-v1"), pkgRaw, lockRaw, hidden, []byte(key)} {
		fmt.Fprintf(h, "%d:", len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeState records the install's fingerprint and the folders it laid
// out. It is an optimisation only: failing to write it costs a slower
// no-op next time. hidden is the hidden lockfile this install wrote, or
// nil to read it from hiddenPath.
func writeState(statePath, hiddenPath string, hidden, pkgRaw, lockRaw []byte, key string, locs []string) {
	if hidden == nil {
		var err error
		if hidden, err = os.ReadFile(hiddenPath); err != nil {
			return
		}
	}
	var b strings.Builder
	b.WriteString(stateDigest(pkgRaw, lockRaw, hidden, key))
	b.WriteByte('\n')
	for _, l := range locs {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	manifest.WriteFileAtomic(statePath, []byte(b.String()))
}

// checkState reports whether node_modules is exactly what the last install
// left for these package.json and package-lock.json bytes: the digest
// matches and every package folder is still there. It returns the number
// of packages.
func checkState(dir, statePath, hiddenPath string, pkgRaw, lockRaw []byte, key string) (int, bool) {
	st, err := os.ReadFile(statePath)
	if err != nil {
		return 0, false
	}
	hidden, err := os.ReadFile(hiddenPath)
	if err != nil {
		return 0, false
	}
	lines := strings.Split(strings.TrimSuffix(string(st), "\n"), "\n")
	if len(lines) == 0 || lines[0] != stateDigest(pkgRaw, lockRaw, hidden, key) {
		return 0, false
	}
	if !packageJSONsExist(dir, lines[1:]) {
		return 0, false
	}
	return len(lines) - 1, true
}
