package registry

import (
	"context"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"gnode/internal/exepages"
)

// idleInterval is how long the registry must have served nothing before it
// gives memory back.
const idleInterval = 10 * time.Second

// activity counts requests so an idle registry can be noticed.
type activity struct {
	next     http.Handler
	requests atomic.Uint64
}

func (a *activity) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.requests.Add(1)
	a.next.ServeHTTP(w, r)
}

// trimWhenIdle gives memory back while the registry serves nothing. After
// start-up and after each burst of requests followed by idleInterval of
// silence, the heap grown under load is returned to the kernel
// (debug.FreeOSMemory). On every silent interval the pages of the gnode
// binary mapped meanwhile are unmapped again (exepages.Release): even
// an idle Go process maps some back, through the runtime's periodic forced
// GC and the scavenger, and the kernel maps large folios at a time. A busy
// registry is never interrupted; the next request after a trim costs a few
// minor page faults, and an unmapping walks only page tables (microseconds).
func trimWhenIdle(ctx context.Context, a *activity) {
	t := time.NewTicker(idleInterval)
	defer t.Stop()
	idleTrimmer(ctx, a, t.C, func(freeHeap bool) {
		if freeHeap {
			debug.FreeOSMemory()
		}
		exepages.Release()
	})
}

// idleTrimmer is trimWhenIdle's decision, apart from the clock and the
// trimming: at each tick without requests since the previous one it calls
// trim, with freeHeap set on the first quiet tick after activity (and after
// start-up).
func idleTrimmer(ctx context.Context, a *activity, ticks <-chan time.Time, trim func(freeHeap bool)) {
	last, dirty := a.requests.Load(), true
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
		n := a.requests.Load()
		if n != last {
			last, dirty = n, true
			continue
		}
		trim(dirty)
		dirty = false
	}
}
