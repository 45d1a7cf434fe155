package tree

import (
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
