package install

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"gnode/internal/pm/early"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
)

// indexPrefetch opens the store and reads the store indexes of a
// lockfile's packages in the background (store.Lookup keeps each one
// loaded) until stopped.
type indexPrefetch struct {
	opened chan struct{} // closed once st is set (nil when Open failed)
	st     *store.Store
	// setPath is the index set of this lockfile (see store.LoadIndexSet);
	// fromSet, once stopped, how many indexes were loaded from it (0: none,
	// the set was missing, unreadable or not asked for).
	setPath string
	fromSet int
	halt    atomic.Bool
	wg      sync.WaitGroup
	once    sync.Once
	// With a layout plan for these inputs (see plan.go), the packages it
	// lists start being laid out once the index set has loaded: pre is
	// that layout, ls the linkStore it links through (both nil without).
	plan *planStart
	pre  *linker.Prestage
	ls   *linkStore
}

// planStart is what starting a layout plan ahead needs.
type planStart struct {
	ctx        context.Context
	path       string // the plan file
	projectDir string
}

// prefetchIndexes starts, on one goroutine, opening the store in
// cacheDir and reading the index of every integrity package-lock.json's
// bytes name, while the caller decodes the lockfile and builds its tree:
// the integrities are picked out of the bytes (integritiesIn) rather than
// waiting for the decoded lockfile, which gave the reads ~0.5 ms less on a
// ~180-package lockfile. Entries the install will not lay out (other
// platforms' optional packages) cost a failed lookup each.
//
// With useSet, the lockfile's index set (written by the last warm install
// of the same lockfile bytes) is read first: when it loads, no index.bin is
// read at all.
//
// With plan, once the set has loaded, the plan's packages start being laid
// out (linker.StartPrestage) on another goroutine.
func prefetchIndexes(cacheDir string, lockRaw []byte, useSet bool, plan *planStart) *indexPrefetch {
	pf := &indexPrefetch{opened: make(chan struct{}), setPath: indexSetPath(cacheDir, lockRaw), plan: plan}
	pf.wg.Add(1)
	go func() {
		defer pf.wg.Done()
		st, err := store.Open(cacheDir)
		if err == nil {
			pf.st = st
		}
		close(pf.opened)
		if err != nil {
			return
		}
		if useSet && pf.setPath != "" {
			// Mapped, not read: the set's indexes share its bytes for the
			// rest of the process, and a mapping takes the page cache's
			// pages as they are (reading faulted in, zeroed and filled 76
			// fresh pages for express-app's 311 KB set). A set over 64 MB
			// is not mapped: the indexes are then looked up one by one.
			if b, ok := early.MapFile(pf.setPath); ok {
				if n, err := st.LoadIndexSet(b); err == nil && n > 0 {
					pf.fromSet = n
					if plan != nil {
						if pkgs := readLayoutPlan(plan.path, st.Dir()); pkgs != nil {
							pf.ls = &linkStore{st: st}
							pf.pre = linker.StartPrestage(plan.ctx, plan.projectDir, pkgs, pf.ls)
						}
					}
					return
				}
			}
		}
		integritiesIn(lockRaw, func(sri string) bool {
			if pf.halt.Load() {
				return false
			}
			st.Lookup(sri)
			return true
		})
	}()
	return pf
}

// store waits for the store to be opened and returns it (nil when it
// could not be: the caller's own store.Open reports why).
func (pf *indexPrefetch) store() *store.Store {
	<-pf.opened
	return pf.st
}

// stop ends the prefetch and waits for the lookup in progress, so the
// caller's own lookups never read an index a second time at once.
func (pf *indexPrefetch) stop() {
	pf.once.Do(func() {
		pf.halt.Store(true)
		pf.wg.Wait()
	})
}

// abandon stops the prefetch and removes a prestaged layout that was not
// adopted.
func (pf *indexPrefetch) abandon() {
	pf.stop()
	pf.pre.Abandon()
}

// integritiesIn calls yield with the value of each "integrity" member in
// the JSON text raw, in order, until yield returns false. It only picks
// strings out of the bytes (a value with an escape is passed over), so an
// unusual or broken lockfile costs lookups that find nothing, never a
// wrong result: what is installed still comes from the decoded lockfile.
func integritiesIn(raw []byte, yield func(string) bool) {
	const key = `"integrity"`
	for {
		i := bytes.Index(raw, []byte(key))
		if i < 0 {
			return
		}
		raw = raw[i+len(key):]
		j := 0
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
			j++
		}
		if j >= len(raw) || raw[j] != ':' {
			continue
		}
		j++
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
			j++
		}
		if j >= len(raw) || raw[j] != '"' {
			continue
		}
		raw = raw[j+1:]
		end := bytes.IndexByte(raw, '"')
		if end < 0 {
			return
		}
		v := raw[:end]
		raw = raw[end+1:]
		if bytes.IndexByte(v, '\\') >= 0 || len(v) == 0 {
			continue
		}
		if !yield(string(v)) {
			return
		}
	}
}

// indexSetPath is where the index set of a lockfile's bytes is kept, in
// the install memo's folder ("" without a cache folder). The set's content
// depends only on which store entries the lockfile names: its bytes are
// the whole key.
func indexSetPath(cacheDir string, lockRaw []byte) string {
	if cacheDir == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte("gnode-index-set-v1\x00"))
	h.Write(lockRaw)
	sum := hex.EncodeToString(h.Sum(nil))
	return filepath.Join(cacheDir, "install-memo-v1", sum[:2], sum+".idx")
}

// writeIndexSet records the indexes of the packages just laid out as the
// lockfile's index set (atomically; a failed write only costs the next
// install the per-package reads).
func writeIndexSet(setPath string, st *store.Store, pkgPaths []string) {
	if setPath == "" || len(pkgPaths) == 0 {
		return
	}
	data := st.EncodeIndexSet(pkgPaths)
	if os.MkdirAll(filepath.Dir(setPath), 0o755) == nil {
		manifest.WriteFileAtomic(setPath, data)
	}
}
