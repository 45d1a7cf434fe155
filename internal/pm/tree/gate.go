package tree

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
)

// decoding counts the received documents decoding or waiting to, in every
// gate of the process (see DecodesPending).
var decoding atomic.Int32

// DecodesPending reports how many received packuments are being decoded
// or wait for a turn to, across every Build running in the process. The
// install's fetch stage reads it to decide whether a second core is free
// for extracting tarballs while the tree resolves: when it is zero, the
// resolver is waiting for the network, not for a core.
func DecodesPending() int { return int(decoding.Load()) }

// decodeGate bounds the packuments being decoded at once to the cores Go
// runs on, and lets the ones the resolver waits for go first.
//
// A cold install receives documents faster than two cores decode them:
// with every received document decoding at once, each got a sliver of
// CPU, and the resolver, which needs one particular document, waited for
// it to finish among dozens of speculative ones. A trace of the toolchain
// fixture (load ~12) had the resolver waiting 2.2-2.7 s for documents that
// had arrived and were decoding, against 1.3-2.1 s for the network.
type decodeGate struct {
	mu     sync.Mutex
	free   int
	urgent []*gateTurn // FIFO: documents the resolver waits for
	normal []*gateTurn // FIFO: speculative ones
}

// gateTurn is one document waiting for its turn to decode.
type gateTurn struct {
	go_    chan struct{}
	urgent bool
}

func newDecodeGate(n int) *decodeGate { return &decodeGate{free: max(1, n)} }

// enter blocks until the caller may decode. turn, when not nil, receives
// the caller's place in line while it waits (for promote); when urgent
// reports true the caller goes ahead of every speculative document. urgent
// is asked under the gate's lock, so a caller that becomes urgent while it
// enters is either seen as urgent here or found in line by promote.
func (g *decodeGate) enter(urgent func() bool, turn **gateTurn) {
	decoding.Add(1)
	g.mu.Lock()
	if g.free > 0 {
		g.free--
		g.mu.Unlock()
		return
	}
	t := &gateTurn{go_: make(chan struct{}), urgent: urgent()}
	if t.urgent {
		g.urgent = append(g.urgent, t)
	} else {
		g.normal = append(g.normal, t)
	}
	if turn != nil {
		*turn = t
	}
	g.mu.Unlock()
	<-t.go_
}

// leave ends a decode, handing the turn to the next document in line.
func (g *decodeGate) leave() {
	decoding.Add(-1)
	g.mu.Lock()
	var next *gateTurn
	switch {
	case len(g.urgent) > 0:
		next, g.urgent = g.urgent[0], g.urgent[1:]
	case len(g.normal) > 0:
		next, g.normal = g.normal[0], g.normal[1:]
	default:
		g.free++
	}
	g.mu.Unlock()
	if next != nil {
		close(next.go_)
	}
}

// promote moves a speculative document still waiting (*turn, as enter
// recorded it) to the end of the urgent line: the resolver now waits for
// it.
func (g *decodeGate) promote(turn **gateTurn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := *turn
	if t == nil || t.urgent {
		return
	}
	for i, w := range g.normal {
		if w == t {
			g.normal = append(g.normal[:i], g.normal[i+1:]...)
			t.urgent = true
			g.urgent = append(g.urgent, t)
			return
		}
	}
}

// slotQueue hands out the fetcher's request slots: normal ones to any
// packument, the reserve only to packuments the resolver waits for. A
// freed slot goes to the best waiting item: one the resolver waits for
// (first come, first served), then the deepest in the dependency graph
// (the longest chain of speculation that led to it), then the oldest.
//
// Deepest first shortens the crawl's tail. A cold install's crawl is
// throughput-bound for most of its length (~150-290 known packuments
// queued for a slot, bench/fixtures/toolchain), then ends on chains of
// small packages each found only when the one before arrived
// (es-abstract's which-builtin-type -> which-collection -> is-weakset):
// with the queue first come, first served, every step of such a chain
// also waited its turn behind everything found before it.
type slotQueue struct {
	mu      sync.Mutex
	free    int // normal slots free
	reserve int // reserve slots free
	waiting slotHeap
	seq     uint64
}

// slotWaiter is one item waiting for a slot.
type slotWaiter struct {
	ready  chan struct{}
	depth  int
	seq    uint64
	needed bool // the resolver waits for it (under slotQueue.mu)
	index  int  // in the heap; -1 once out of it
	// reserved is whether the slot granted is a reserve one.
	reserved bool
}

func newSlotQueue(normal, reserve int) *slotQueue {
	return &slotQueue{free: max(1, normal), reserve: reserve}
}

// acquire blocks until w gets a slot (reporting whether it is a reserve
// one, for release) or ctx ends (ok false). needed is asked under the
// queue's lock, like the decode gate's urgent.
func (q *slotQueue) acquire(ctx context.Context, depth int, needed func() bool, w *slotWaiter) (reserved, ok bool) {
	q.mu.Lock()
	w.depth, w.needed, w.index = depth, needed(), -1
	q.seq++
	w.seq = q.seq
	if q.waiting.Len() == 0 {
		if q.free > 0 {
			q.free--
			q.mu.Unlock()
			return false, true
		}
		if w.needed && q.reserve > 0 {
			q.reserve--
			q.mu.Unlock()
			return true, true
		}
	}
	w.ready = make(chan struct{})
	heap.Push(&q.waiting, w)
	q.dispatch()
	q.mu.Unlock()
	select {
	case <-w.ready:
		return w.reserved, true
	case <-ctx.Done():
		q.mu.Lock()
		defer q.mu.Unlock()
		if w.index < 0 {
			// granted meanwhile: give it back
			q.releaseLocked(w.reserved)
		} else {
			heap.Remove(&q.waiting, w.index)
		}
		return false, false
	}
}

// promote marks w, if still waiting, as needed by the resolver.
func (q *slotQueue) promote(w *slotWaiter) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if w.index < 0 || w.needed {
		return
	}
	w.needed = true
	heap.Fix(&q.waiting, w.index)
	q.dispatch()
}

func (q *slotQueue) release(reserved bool) {
	q.mu.Lock()
	q.releaseLocked(reserved)
	q.mu.Unlock()
}

func (q *slotQueue) releaseLocked(reserved bool) {
	if reserved {
		q.reserve++
	} else {
		q.free++
	}
	q.dispatch()
}

// dispatch grants free slots to the best waiters; q.mu is held.
func (q *slotQueue) dispatch() {
	for q.waiting.Len() > 0 {
		w := q.waiting[0]
		switch {
		case q.free > 0:
			q.free--
		case w.needed && q.reserve > 0:
			q.reserve--
			w.reserved = true
		default:
			return
		}
		heap.Pop(&q.waiting)
		close(w.ready)
	}
}

// slotHeap orders waiters: needed first (oldest first), then deepest, then
// oldest.
type slotHeap []*slotWaiter

func (h slotHeap) Len() int { return len(h) }
func (h slotHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.needed != b.needed {
		return a.needed
	}
	if !a.needed && a.depth != b.depth {
		return a.depth > b.depth
	}
	return a.seq < b.seq
}
func (h slotHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *slotHeap) Push(x any) {
	w := x.(*slotWaiter)
	w.index = len(*h)
	*h = append(*h, w)
}
func (h *slotHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	w.index = -1
	*h = old[:len(old)-1]
	return w
}
