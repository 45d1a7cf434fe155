// Package linker lays a resolved tree out as node_modules. A fresh layout is
// built in a staging folder next to node_modules and swapped in with
// renames; a re-install stages only the packages that changed and then
// swaps each into place, so an install that fails or is interrupted before
// the swap leaves the previous node_modules exactly as it was.
package linker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Package is one folder to lay out.
type Package struct {
	Location  string            // "node_modules/a" or "node_modules/a/node_modules/@s/b"
	Name      string            // the folder name ("a", "@s/b")
	StorePath string            // the store folder holding its files
	Key       string            // identity (integrity) to tell whether a folder changed
	Bin       map[string]string // command name -> path inside the package
	// LinkTarget, when set, makes the folder a symlink with this text (a
	// file: folder dependency) instead of files from the store.
	LinkTarget string
	// NoBundled says the package's files hold no node_modules folder (its
	// store index lists none), so the folder is not searched for bundled
	// packages' commands: a failed open per package otherwise.
	NoBundled bool
}

// Store lays a package's files into a folder (hard links or copies).
type Store interface {
	Link(pkgPath, dest string) error
}

// Options configure Apply.
type Options struct {
	Store Store
	// Previous maps each location already in node_modules to its Key (from
	// the hidden lockfile). Nil means the current node_modules is unknown
	// and is rebuilt from scratch.
	Previous map[string]string
	// HiddenLockfile is written to node_modules/.package-lock.json as the
	// last step.
	HiddenLockfile []byte
	// HiddenLockfileFunc, when set, gives HiddenLockfile's bytes instead;
	// it is called (once) after the packages are staged, so the caller
	// can encode the hidden lockfile while they are laid out.
	HiddenLockfileFunc func() []byte
	Workers            int
	// OnLinked is called after each package is laid out.
	OnLinked func(loc string)
	// Ready, when set, is called once everything is staged and before the
	// first change to node_modules (or to the hidden lockfile); an error
	// abandons the staged folders and leaves node_modules as it was. It
	// lets the caller's remaining checks (the registry's advisory query)
	// run while the files are laid out instead of before.
	Ready func() error
	// Prestage, when set, is a layout started ahead from a plan: a fresh
	// layout adopts its staging folder when the packages are the plan's,
	// and abandons it otherwise (see Prestage).
	Prestage *Prestage
	// Meanwhile, when set, is called with the staging folder of an adopted
	// Prestage while packages are still being laid out into it (after the
	// hidden lockfile is written there): the caller can write what it
	// would write into node_modules after Apply (it is swapped in with the
	// rest). It may call Ready itself. Its error abandons the layout and is
	// Apply's.
	Meanwhile func(staging string) error
}

// hidden resolves HiddenLockfileFunc into HiddenLockfile.
func (o *Options) hidden() []byte {
	if o.HiddenLockfileFunc != nil {
		o.HiddenLockfile, o.HiddenLockfileFunc = o.HiddenLockfileFunc(), nil
	}
	return o.HiddenLockfile
}

func (o *Options) ready() error {
	if o.Ready == nil {
		return nil
	}
	return o.Ready()
}

// Result counts what changed.
type Result struct {
	Added, Removed, Changed int
}

const (
	stagingPrefix = ".gnode-staging-"
	oldPrefix     = ".gnode-old-"
)

// Apply makes projectDir/node_modules hold exactly pkgs.
func Apply(ctx context.Context, projectDir string, pkgs []Package, opts Options) (Result, error) {
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	recoverExcept(projectDir, opts.Prestage.folder())
	nm := filepath.Join(projectDir, "node_modules")
	_, err := os.Lstat(nm)
	exists := err == nil
	if !exists || opts.Previous == nil {
		return applyFresh(ctx, projectDir, pkgs, opts, exists)
	}
	opts.Prestage.Abandon()
	return applyIncremental(ctx, projectDir, pkgs, opts)
}

// Recover repairs what an install killed during its final renames left:
// a node_modules moved aside but not replaced is moved back, and leftover
// staging folders are removed.
func Recover(projectDir string) { recoverExcept(projectDir, "") }

// recoverExcept is Recover leaving the staging folder keep alone (a
// prestage's, still in use).
func recoverExcept(projectDir, keep string) {
	ents, err := os.ReadDir(projectDir)
	if err != nil {
		return
	}
	nm := filepath.Join(projectDir, "node_modules")
	for _, e := range ents {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, oldPrefix):
			if _, err := os.Lstat(nm); errors.Is(err, fs.ErrNotExist) {
				if os.Rename(filepath.Join(projectDir, n), nm) == nil {
					continue
				}
			}
			os.RemoveAll(filepath.Join(projectDir, n))
		case strings.HasPrefix(n, stagingPrefix):
			if keep != "" && filepath.Join(projectDir, n) == keep {
				continue
			}
			os.RemoveAll(filepath.Join(projectDir, n))
		}
	}
	for _, d := range []string{".gnode-staging", ".gnode-trash"} {
		os.RemoveAll(filepath.Join(nm, d))
	}
}

func suffix() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.Itoa(os.Getpid())
}

// rel strips the leading "node_modules/" of a location.
func rel(loc string) string { return strings.TrimPrefix(loc, "node_modules/") }

func applyFresh(ctx context.Context, projectDir string, pkgs []Package, opts Options, replace bool) (Result, error) {
	if opts.Prestage != nil && opts.Prestage.projectDir != projectDir {
		opts.Prestage.Abandon()
	}
	// With a layout begun ahead, what does not need the packages' files
	// (the .bin links of the top node_modules, the hidden lockfile) is
	// written while the rest is still being linked, instead of after.
	var binsEarly map[string]map[string]binLink // the .bin links made early
	hiddenEarly := false
	staging, err := opts.Prestage.take(pkgs, opts.Workers, opts.OnLinked, func(dir string) error {
		if topBinsOnly(pkgs) {
			links, err := writeBinsOnly(dir, "node_modules", pkgs, false)
			if err != nil {
				return err
			}
			binsEarly = links
		}
		if err := writeHidden(dir, &opts); err != nil {
			return err
		}
		hiddenEarly = true
		if opts.Meanwhile != nil {
			return opts.Meanwhile(dir)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	prestaged := staging != ""
	if !prestaged {
		binsEarly, hiddenEarly = nil, false
		staging = filepath.Join(projectDir, stagingPrefix+suffix())
		if err := os.MkdirAll(staging, 0o755); err != nil {
			return Result{}, fmt.Errorf("creating staging folder: %w", err)
		}
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(staging)
		}
	}()
	if !prestaged {
		jobs := make([]job, len(pkgs))
		for i, p := range pkgs {
			jobs[i] = job{p: p, dest: filepath.Join(staging, filepath.FromSlash(rel(p.Location)))}
		}
		if err := runJobs(ctx, jobs, opts); err != nil {
			return Result{}, err
		}
	}
	if binsEarly != nil {
		// The targets exist now: the modes the links could not check.
		chmodBinTargets(staging, "node_modules", binsEarly)
	} else if err := writeBins(staging, "node_modules", pkgs); err != nil {
		return Result{}, err
	}
	if !hiddenEarly {
		if err := writeHidden(staging, &opts); err != nil {
			return Result{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := opts.ready(); err != nil {
		return Result{}, err
	}
	nm := filepath.Join(projectDir, "node_modules")
	res := Result{Added: len(pkgs)}
	if replace {
		old := filepath.Join(projectDir, oldPrefix+suffix())
		if err := os.Rename(nm, old); err != nil {
			return Result{}, fmt.Errorf("moving the old node_modules aside: %w", err)
		}
		if err := os.Rename(staging, nm); err != nil {
			os.Rename(old, nm)
			return Result{}, fmt.Errorf("swapping in the new node_modules: %w", err)
		}
		ok = true
		os.RemoveAll(old)
		return res, nil
	}
	if err := os.Rename(staging, nm); err != nil {
		return Result{}, fmt.Errorf("swapping in the new node_modules: %w", err)
	}
	ok = true
	return res, nil
}

type job struct {
	p    Package
	dest string
}

func runJobs(ctx context.Context, jobs []job, opts Options) error {
	// Parents first so a nested package's folder is never created before
	// its parent's files (Link creates what it needs either way). Workers
	// take the next job from a shared counter, in order: no goroutine
	// hands jobs over a channel, which cost a scheduler round trip per
	// package (the store's raw links keep their P, so the hand-over
	// goroutine waited for one after every job).
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     atomic.Int64
		failed   atomic.Bool
	)
	for w := 0; w < min(opts.Workers, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() && ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				j := jobs[i]
				var err error
				if j.p.LinkTarget != "" {
					err = symlink(j.p.LinkTarget, j.dest)
				} else {
					err = opts.Store.Link(j.p.StorePath, j.dest)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("laying out %s: %w", j.p.Location, err)
					}
					mu.Unlock()
					failed.Store(true)
					return
				}
				if opts.OnLinked != nil {
					opts.OnLinked(j.p.Location)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// parentNM is the node_modules folder (as a location) that holds loc.
func parentNM(loc string) string {
	i := strings.LastIndex(loc, "node_modules/")
	return loc[:i+len("node_modules")]
}

// writeHidden writes the hidden lockfile (when there is one) into the
// staging folder.
func writeHidden(staging string, opts *Options) error {
	if hidden := opts.hidden(); hidden != nil {
		if err := os.WriteFile(filepath.Join(staging, ".package-lock.json"), hidden, 0o644); err != nil {
			return fmt.Errorf("writing hidden lockfile: %w", err)
		}
	}
	return nil
}

// topBinsOnly reports whether every command of pkgs is linked in the top
// node_modules/.bin and no package can hold bundled packages (whose
// commands are found by reading the laid-out folders): then the .bin
// links can be made before the packages' files are in place, since
// making them creates no folder a package goes into.
func topBinsOnly(pkgs []Package) bool {
	for _, p := range pkgs {
		if p.LinkTarget != "" || p.StorePath == "" {
			return false
		}
		if !p.NoBundled || len(p.Bin) > 0 && parentNM(p.Location) != "node_modules" {
			return false
		}
	}
	return true
}

// writeBins creates the .bin links of every node_modules folder in pkgs.
// root is the folder on disk that stands for the location "node_modules".
func writeBins(root, rootLoc string, pkgs []Package) error {
	_, err := writeBinsOnly(root, rootLoc, pkgs, true)
	return err
}

// chmodBinTargets makes the targets of the .bin links writeBinsOnly made
// (and returned) without looking at them executable.
func chmodBinTargets(root, rootLoc string, bins map[string]map[string]binLink) {
	for nm, links := range bins {
		dir := binDir(root, rootLoc, nm)
		for _, l := range links {
			chmodBinTarget(filepath.Join(dir, filepath.FromSlash(l.target)))
		}
	}
}

// chmodBinTarget: npm makes bin targets executable; files are shared with
// the store, so the mode is only touched when it is missing.
func chmodBinTarget(tp string) {
	if st, err := os.Stat(tp); err == nil && st.Mode()&0o111 != 0o111 {
		os.Chmod(tp, st.Mode()|0o111)
	}
}

type binLink struct{ target, owner string }

// binDir is the .bin folder on disk of the node_modules location nm, under
// root (the folder that stands for the location rootLoc).
func binDir(root, rootLoc, nm string) string {
	return filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(nm, rootLoc), "/")), ".bin")
}

// binLinks works out the .bin links of every node_modules folder in pkgs
// (and the bundled packages found under root): node_modules location ->
// command name -> link.
func binLinks(root, rootLoc string, pkgs []Package) map[string]map[string]binLink {
	bins := map[string]map[string]binLink{} // nm location -> bin name -> link
	sorted := append(append([]Package(nil), pkgs...), bundledPackages(root, rootLoc, pkgs)...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Location < sorted[j].Location })
	for _, p := range sorted {
		if len(p.Bin) == 0 {
			continue
		}
		nm := parentNM(p.Location)
		if bins[nm] == nil {
			bins[nm] = map[string]binLink{}
		}
		for name, target := range p.Bin {
			prev, taken := bins[nm][name]
			// Two packages with the same command: the one named like the
			// command wins, otherwise the first in location order.
			if taken && (path.Base(prev.owner) == name || path.Base(p.Name) != name) {
				continue
			}
			bins[nm][name] = binLink{target: "../" + p.Name + "/" + target, owner: p.Name}
		}
	}
	return bins
}

// writeBinsOnly creates the .bin links of every node_modules folder in
// pkgs, and with chmod makes their targets executable; without, the
// targets need not exist yet (chmodBinTargets does that part later, with
// the links it returns).
func writeBinsOnly(root, rootLoc string, pkgs []Package, chmod bool) (map[string]map[string]binLink, error) {
	bins := binLinks(root, rootLoc, pkgs)
	for nm, links := range bins {
		dir := binDir(root, rootLoc, nm)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", dir, err)
		}
		for name, l := range links {
			lp := filepath.Join(dir, name)
			os.Remove(lp)
			if err := os.Symlink(l.target, lp); err != nil {
				return nil, fmt.Errorf("linking bin %s: %w", name, err)
			}
			if chmod {
				chmodBinTarget(filepath.Join(dir, filepath.FromSlash(l.target)))
			}
		}
	}
	return bins, nil
}

func applyIncremental(ctx context.Context, projectDir string, pkgs []Package, opts Options) (Result, error) {
	nm := filepath.Join(projectDir, "node_modules")
	want := map[string]Package{}
	for _, p := range pkgs {
		want[p.Location] = p
	}
	// A package whose folder is replaced loses its nested node_modules, so
	// everything below a changed package is laid out again too.
	changedSet := map[string]bool{}
	var locs []string
	for _, p := range pkgs {
		locs = append(locs, p.Location)
	}
	sort.Slice(locs, func(i, j int) bool {
		return len(locs[i]) < len(locs[j]) || (len(locs[i]) == len(locs[j]) && locs[i] < locs[j])
	})
	res := Result{}
	under := func(loc, anc string) bool { return strings.HasPrefix(loc, anc+"/node_modules/") }
	var changed []string
	for _, loc := range locs {
		prevKey, had := opts.Previous[loc]
		dirty := !had || prevKey != want[loc].Key
		if !dirty {
			if _, err := os.Lstat(filepath.Join(projectDir, filepath.FromSlash(loc), "package.json")); err != nil {
				dirty, had = true, false // gone from disk: it is added back
			}
		}
		if !dirty {
			for c := range changedSet {
				if under(loc, c) {
					dirty = true
					break
				}
			}
		}
		if dirty {
			changedSet[loc] = true
			changed = append(changed, loc)
			if had {
				res.Changed++
			} else {
				res.Added++
			}
		}
	}
	var removed []string
	for loc := range opts.Previous {
		if _, ok := want[loc]; !ok {
			removed = append(removed, loc)
			res.Removed++
		}
	}
	sort.Strings(removed)
	if len(changed) == 0 && len(removed) == 0 {
		if err := opts.ready(); err != nil {
			return Result{}, err
		}
		if hidden := opts.hidden(); hidden != nil {
			if err := writeAtomic(filepath.Join(nm, ".package-lock.json"), hidden); err != nil {
				return res, err
			}
		}
		return res, nil
	}
	staging := filepath.Join(nm, ".gnode-staging")
	trash := filepath.Join(nm, ".gnode-trash")
	os.RemoveAll(staging)
	defer os.RemoveAll(staging)
	jobs := make([]job, len(changed))
	staged := map[string]string{}
	for i, loc := range changed {
		d := filepath.Join(staging, strconv.Itoa(i))
		staged[loc] = d
		jobs[i] = job{p: want[loc], dest: d}
	}
	if err := runJobs(ctx, jobs, opts); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := opts.ready(); err != nil {
		return Result{}, err
	}
	// Swap phase: only renames from here on.
	if err := os.MkdirAll(trash, 0o755); err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(trash)
	n := 0
	toTrash := func(loc string) error {
		p := filepath.Join(projectDir, filepath.FromSlash(loc))
		if _, err := os.Lstat(p); err != nil {
			return nil
		}
		n++
		if err := os.Rename(p, filepath.Join(trash, strconv.Itoa(n))); err != nil {
			return fmt.Errorf("removing %s: %w", loc, err)
		}
		return nil
	}
	for _, loc := range removed {
		if err := toTrash(loc); err != nil {
			return res, err
		}
	}
	for _, loc := range changed {
		if err := toTrash(loc); err != nil {
			return res, err
		}
		dest := filepath.Join(projectDir, filepath.FromSlash(loc))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return res, err
		}
		if err := os.Rename(staged[loc], dest); err != nil {
			return res, fmt.Errorf("moving %s into place: %w", loc, err)
		}
	}
	removeEmptyScopes(nm)
	if err := rebuildBins(projectDir, pkgs); err != nil {
		return res, err
	}
	if hidden := opts.hidden(); hidden != nil {
		if err := writeAtomic(filepath.Join(nm, ".package-lock.json"), hidden); err != nil {
			return res, err
		}
	}
	return res, nil
}

// rebuildBins replaces every .bin folder with fresh links.
func rebuildBins(projectDir string, pkgs []Package) error {
	nms := map[string]bool{"node_modules": true}
	for _, p := range pkgs {
		nms[parentNM(p.Location)] = true
	}
	// Bundled packages' commands live inside their bundler's folder.
	for _, p := range bundledPackages(filepath.Join(projectDir, "node_modules"), "node_modules", pkgs) {
		nms[parentNM(p.Location)] = true
	}
	for nm := range nms {
		os.RemoveAll(filepath.Join(projectDir, filepath.FromSlash(nm), ".bin"))
	}
	return writeBins(filepath.Join(projectDir, "node_modules"), "node_modules", pkgs)
}

func removeEmptyScopes(nm string) {
	ents, _ := os.ReadDir(nm)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "@") && e.IsDir() {
			os.Remove(filepath.Join(nm, e.Name())) // fails unless empty
		}
	}
}

func writeAtomic(p string, data []byte) error {
	tmp := p + ".tmp-" + suffix()
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}

// symlink makes dest a symbolic link with text target, creating its folder.
func symlink(target, dest string) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	return os.Symlink(target, dest)
}
