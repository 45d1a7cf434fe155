package linker

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"gnode/internal/pm/early"
)

// Prestage lays packages out into a fresh staging folder before Apply is
// called, from a plan (the layout an earlier install of the same inputs
// made), while the caller still works out what the layout is. Apply adopts
// the staged folder only when the packages it is given are exactly the
// plan's (same locations, store folders, in the same order, no symlinks);
// anything else (a different layout, a failed link, the plan not adopted
// at all) removes it, and the layout is staged again from scratch. So a
// wrong or stale plan costs time, never a different node_modules.
type Prestage struct {
	projectDir string
	dir        string // the staging folder
	plan       []Package
	jobs       []job
	store      Store
	next       *atomic.Int64 // own, or the early layout's
	own        atomic.Int64
	early      *early.Layout
	atTake     int // packages claimed when Apply took the prestage over
	failed     atomic.Bool
	wg         sync.WaitGroup
	mu         sync.Mutex
	err        error
	ctx        context.Context
	cancel     context.CancelFunc
	done       atomic.Bool // adopted or abandoned
	adopted    atomic.Bool
}

// StartPrestage makes the staging folder and starts one goroutine laying
// plan's packages out through store (nil when the folder cannot be made).
// Plans with symlinked folders are not staged ahead (nil).
func StartPrestage(ctx context.Context, projectDir string, plan []Package, store Store) *Prestage {
	if len(plan) == 0 {
		return nil
	}
	for _, p := range plan {
		if p.LinkTarget != "" {
			return nil
		}
	}
	dir := filepath.Join(projectDir, stagingPrefix+suffix())
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil
	}
	ps := &Prestage{projectDir: projectDir, dir: dir, plan: plan, store: store, jobs: make([]job, len(plan))}
	ps.next = &ps.own
	ps.ctx, ps.cancel = context.WithCancel(ctx)
	for i, p := range plan {
		ps.jobs[i] = job{p: p, dest: filepath.Join(dir, filepath.FromSlash(rel(p.Location)))}
	}
	ps.wg.Add(1)
	go ps.work()
	return ps
}

// work lays out the plan's next package until none is left, the
// prestage is stopped, or a package fails.
func (ps *Prestage) work() {
	defer ps.wg.Done()
	for !ps.failed.Load() && ps.ctx.Err() == nil {
		i := int(ps.next.Add(1)) - 1
		if i >= len(ps.jobs) {
			return
		}
		j := ps.jobs[i]
		if err := ps.store.Link(j.p.StorePath, j.dest); err != nil {
			ps.mu.Lock()
			if ps.err == nil {
				ps.err = err
			}
			ps.mu.Unlock()
			ps.failed.Store(true)
			return
		}
	}
}

// matches reports whether pkgs are the plan's packages.
func (ps *Prestage) matches(pkgs []Package) bool {
	if len(pkgs) != len(ps.plan) {
		return false
	}
	for i := range pkgs {
		a, b := &pkgs[i], &ps.plan[i]
		if a.Location != b.Location || a.StorePath != b.StorePath || a.LinkTarget != "" {
			return false
		}
	}
	return true
}

// finish lays out what is left with up to workers more goroutines (the
// caller's included) and waits for the rest; it reports whether every
// package was laid out. The prestage's own goroutine (or the early one)
// is still linking and keeps its P (raw system calls), so goroutines
// beyond GOMAXPROCS-1 could only run once the work is gone.
func (ps *Prestage) finish(workers int) bool {
	workers = min(workers, runtime.GOMAXPROCS(0)-1)
	var wg sync.WaitGroup
	for w := 1; w < workers && int(ps.next.Load()) < len(ps.jobs); w++ {
		wg.Add(1)
		ps.wg.Add(1)
		go func() {
			defer wg.Done()
			ps.work()
		}()
	}
	ps.wg.Add(1)
	ps.work()
	wg.Wait()
	ps.wg.Wait()
	if ps.early != nil && !ps.early.Wait() {
		return false
	}
	return !ps.failed.Load() && ps.ctx.Err() == nil
}

// Abandon stops the prestage, waits for the package being laid out and
// removes the staging folder. It does nothing once the prestage was
// adopted or abandoned, and is safe on nil.
func (ps *Prestage) Abandon() {
	if ps == nil || ps.done.Swap(true) {
		return
	}
	ps.cancel()
	if ps.early != nil {
		ps.early.Stop()
	}
	ps.wg.Wait()
	os.RemoveAll(ps.dir)
}

// FromEarly is the Prestage of a layout begun at process start (l must
// have loaded: early.Layout.Loaded) for the project folder projectDir:
// Apply adopts it on the same terms, finishing the packages the early
// goroutine has not claimed through store.
func FromEarly(l *early.Layout, projectDir string, store Store) *Prestage {
	ps := &Prestage{projectDir: projectDir, dir: l.Staging, store: store, early: l, next: &l.Next}
	ps.ctx, ps.cancel = context.WithCancel(context.Background())
	ps.plan = make([]Package, len(l.Plan))
	ps.jobs = make([]job, len(l.Plan))
	for i, p := range l.Plan {
		ps.plan[i] = Package{Location: p.Location, StorePath: p.Store}
		ps.jobs[i] = job{p: ps.plan[i], dest: filepath.Join(l.Staging, filepath.FromSlash(rel(p.Location)))}
	}
	return ps
}

// Ahead reports how many packages had been claimed when Apply took the
// prestage over.
func (ps *Prestage) Ahead() int {
	if ps == nil {
		return 0
	}
	return ps.atTake
}

// take returns the staging folder with every package of pkgs laid out
// (the caller's goroutine and workers-1 more finish what is left), or ""
// when pkgs are not the plan or a package failed: the prestage is then
// abandoned and the layout is staged again from scratch. When pkgs are
// the plan, meanwhile (if set) is called with the staging folder before
// the caller's goroutine joins the linking, while other packages are
// still being laid out; its error abandons the prestage and is returned.
func (ps *Prestage) take(pkgs []Package, workers int, onLinked func(string), meanwhile func(staging string) error) (string, error) {
	if ps == nil || ps.done.Load() {
		return "", nil
	}
	ps.atTake = min(int(ps.next.Load()), len(ps.jobs))
	if !ps.matches(pkgs) {
		ps.Abandon()
		return "", nil
	}
	if meanwhile != nil {
		// Whatever else is runnable (the caller's checks, the lockfile
		// encoder) runs first: both cores are about to be linking, and
		// it would otherwise wait until they are done.
		runtime.Gosched()
		if err := meanwhile(ps.dir); err != nil {
			ps.Abandon()
			return "", err
		}
	}
	if !ps.finish(workers) {
		ps.Abandon()
		return "", nil
	}
	ps.adopted.Store(true)
	ps.done.Store(true)
	ps.cancel()
	if onLinked != nil {
		for _, p := range pkgs {
			onLinked(p.Location)
		}
	}
	return ps.dir, nil
}

// folder is the staging folder ("" for nil).
func (ps *Prestage) folder() string {
	if ps == nil {
		return ""
	}
	return ps.dir
}

// Adopted reports whether Apply took the staged folder as its own.
func (ps *Prestage) Adopted() bool {
	return ps != nil && ps.done.Load() && ps.adopted.Load()
}
