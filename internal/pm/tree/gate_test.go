package tree

import (
	"runtime"
	"sync"
	"testing"
)

// TestDecodeGate checks the order of turns: with one turn busy, documents
// the resolver waits for go before speculative ones, in arrival order,
// and a speculative document promoted while it waits joins the urgent
// line.
func TestDecodeGate(t *testing.T) {
	g := newDecodeGate(1)
	g.enter(func() bool { return false }, nil) // the busy turn

	var mu sync.Mutex
	var order []string
	turns := map[string]**gateTurn{}
	var wg sync.WaitGroup
	queued := func(name string, urgent bool) {
		turn := new(*gateTurn)
		turns[name] = turn
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.enter(func() bool { return urgent }, turn)
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			g.leave()
		}()
		// Wait until it is in line, so the arrival order is known.
		for {
			g.mu.Lock()
			n := len(g.urgent) + len(g.normal)
			g.mu.Unlock()
			if n == len(turns) {
				return
			}
		}
	}
	queued("spec1", false)
	queued("need1", true)
	queued("spec2", false)
	queued("spec3", false)
	queued("need2", true)
	g.promote(turns["spec3"])
	g.promote(turns["need1"]) // already urgent: stays where it is
	g.leave()
	wg.Wait()
	got := ""
	for _, s := range order {
		got += s + " "
	}
	if want := "need1 need2 spec3 spec1 spec2 "; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	// Every turn was handed back.
	if g.free != 1 || len(g.urgent)+len(g.normal) != 0 {
		t.Errorf("free %d, waiting %d+%d", g.free, len(g.urgent), len(g.normal))
	}
}

// TestDecodesPending: a document counts from the moment it asks for a turn
// (waiting included) until it leaves.
func TestDecodesPending(t *testing.T) {
	base := DecodesPending()
	g := newDecodeGate(1)
	g.enter(func() bool { return false }, nil)
	if got := DecodesPending() - base; got != 1 {
		t.Fatalf("one decoding: DecodesPending = %d more, want 1", got)
	}
	waiting := make(chan struct{})
	go func() {
		g.enter(func() bool { return false }, nil)
		close(waiting)
	}()
	for DecodesPending()-base != 2 {
		runtime.Gosched() // the second document counts while it waits
	}
	g.leave()
	<-waiting
	if got := DecodesPending() - base; got != 1 {
		t.Fatalf("after one left: DecodesPending = %d more, want 1", got)
	}
	g.leave()
	if got := DecodesPending() - base; got != 0 {
		t.Fatalf("all left: DecodesPending = %d more, want 0", got)
	}
}
