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
