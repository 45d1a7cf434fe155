package tree

import (
	"context"
	"sync"
	"testing"
	"time"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/manifest"
)

// receivingSource counts each request started, reports its document
// received (packument.Received), and then holds it, as a slow decode
// would, until `want` requests have started.
type receivingSource struct {
	memSource
	want int

	mu      sync.Mutex
	started int
	all     chan struct{}
	stuck   bool
}

func (s *receivingSource) Packument(ctx context.Context, name string) (*packument.Packument, error) {
	s.mu.Lock()
	s.started++
	if s.started == s.want {
		close(s.all)
	}
	s.mu.Unlock()
	// The decode gate may hold the caller here (fewer turns than
	// documents), which does not keep the other requests from starting.
	packument.Received(ctx)
	select {
	case <-s.all:
	case <-time.After(10 * time.Second):
		// Not a timing assertion: with the slots held through decoding
		// the third request can never start, and this ends the wait.
		s.mu.Lock()
		s.stuck = true
		s.mu.Unlock()
	}
	return s.memSource.Packument(ctx, name)
}

// TestSlotFreedWhenReceived checks that a packument's request slot is
// released once its bytes are in, before it is decoded: with two slots,
// three documents can be decoding at once.
func TestSlotFreedWhenReceived(t *testing.T) {
	src := &receivingSource{memSource: memSource{}, want: 3, all: make(chan struct{})}
	for _, id := range []string{"a@1.0.0", "b@1.0.0", "c@1.0.0"} {
		src.add(id, nil)
	}
	m, err := manifest.Parse("package.json", []byte(`{"dependencies":{"a":"1","b":"1","c":"1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Build(context.Background(), m, Options{Source: src, Platform: Platform{OS: "linux", CPU: "x64", Libc: "glibc"}, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if src.stuck {
		t.Fatal("a third packument could not start while two were decoding: slots are held through decoding")
	}
	if got := layout(tr); got != "node_modules/a a@1.0.0\nnode_modules/b b@1.0.0\nnode_modules/c c@1.0.0" {
		t.Errorf("layout:\n%s", got)
	}
}

// TestSlotQueueOrder: freed slots go to waiters the resolver needs (oldest
// first), then the deepest, then the oldest; the reserve only to needed
// ones; a waiter whose context ends leaves the line; a waiter promoted
// while in line takes a free reserve slot at once.
func TestSlotQueueOrder(t *testing.T) {
	ctx := context.Background()
	q := newSlotQueue(1, 1)
	no := func() bool { return false }
	yes := func() bool { return true }
	var first slotWaiter
	if r, ok := q.acquire(ctx, 1, no, &first); !ok || r {
		t.Fatalf("first acquire: reserved %v ok %v", r, ok)
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	lined := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			q.mu.Lock()
			l := q.waiting.Len()
			q.mu.Unlock()
			if l == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d in line, want %d", l, n)
			}
		}
	}
	type granted struct {
		name     string
		reserved bool
	}
	got := make(chan granted, 8)
	wait := func(c context.Context, name string, depth int, needed func() bool, w *slotWaiter) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, ok := q.acquire(c, depth, needed, w); ok {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
				got <- granted{name, r}
			}
		}()
	}
	var shallow, deep, deeper, later, gone slotWaiter
	wait(ctx, "shallow", 1, no, &shallow)
	lined(1)
	wait(ctx, "deep", 3, no, &deep)
	lined(2)
	wait(ctx, "deeper", 5, no, &deeper)
	lined(3)
	cctx, cancel := context.WithCancel(ctx)
	wait(cctx, "gone", 9, no, &gone)
	lined(4)
	cancel()
	lined(3)
	// A needed waiter takes the free reserve slot although others wait.
	wait(ctx, "needed", 1, yes, &later)
	if g := <-got; g.name != "needed" || !g.reserved {
		t.Fatalf("got %+v, want needed on the reserve", g)
	}
	// Promoted in line: shallow is needed now, but the reserve is taken.
	q.promote(&shallow)
	q.release(false) // first's slot
	if g := <-got; g.name != "shallow" || g.reserved {
		t.Fatalf("got %+v, want shallow on a normal slot", g)
	}
	q.release(true)  // needed's request done: its reserve slot stays free, nobody needed waits
	q.release(false) // shallow's done
	if g := <-got; g.name != "deeper" {
		t.Fatalf("got %+v, want deeper", g)
	}
	q.release(false) // deeper's done
	if g := <-got; g.name != "deep" {
		t.Fatalf("got %+v, want deep", g)
	}
	wg.Wait()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.waiting.Len() != 0 || q.free != 0 || q.reserve != 1 {
		t.Errorf("after: %d waiting, %d free, %d reserve; want 0, 0, 1", q.waiting.Len(), q.free, q.reserve)
	}
}
