package install

import (
	"sync"
	"sync/atomic"

	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/store"
)

// indexPrefetch reads the store indexes of a lockfile's packages in the
// background (store.Lookup keeps each one loaded) until stopped.
type indexPrefetch struct {
	sris []string
	next atomic.Int64
	halt atomic.Bool
	wg   sync.WaitGroup
	once sync.Once
}

// prefetchIndexes starts reading, on one goroutine, the index of every
// lockfile entry with an integrity. Entries the install will not lay out
// (other platforms' optional packages) cost a failed lookup each.
func prefetchIndexes(st *store.Store, lf *lockfile.Lockfile) *indexPrefetch {
	pf := &indexPrefetch{sris: make([]string, 0, len(lf.Packages))}
	for _, p := range lf.Packages {
		if p.Integrity != "" && !p.Link {
			pf.sris = append(pf.sris, p.Integrity)
		}
	}
	pf.wg.Add(1)
	go func() {
		defer pf.wg.Done()
		for !pf.halt.Load() {
			i := int(pf.next.Add(1)) - 1
			if i >= len(pf.sris) {
				return
			}
			st.Lookup(pf.sris[i])
		}
	}()
	return pf
}

// stop ends the prefetch and waits for the lookup in progress, so the
// caller's own lookups never read an index a second time at once.
func (pf *indexPrefetch) stop() {
	pf.once.Do(func() {
		pf.halt.Store(true)
		pf.wg.Wait()
	})
}
