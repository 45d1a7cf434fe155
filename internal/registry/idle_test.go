package registry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestIdleTrimmer: memory is given back only on ticks with no request since
// the previous tick, and the heap only on the first such tick after
// activity. The clock is a channel the test drives.
func TestIdleTrimmer(t *testing.T) {
	a := &activity{next: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}
	ticks := make(chan time.Time)
	trims := make(chan bool)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		idleTrimmer(ctx, a, ticks, func(freeHeap bool) { trims <- freeHeap })
		close(done)
	}()
	request := func() { a.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)) }
	// tick sends one tick and reports the trim it caused, if any. The
	// trimmer either calls trim before taking the next tick or doesn't call
	// it at all, so a second (unbuffered) send proves there was none.
	tick := func() (trimmed, freeHeap bool) {
		ticks <- time.Time{}
		select {
		case f := <-trims:
			return true, f
		case ticks <- time.Time{}:
			// No trim for the first tick; this second tick is quiet and
			// must trim (checked by the caller through the next call).
			return false, <-trims
		}
	}
	if trimmed, free := tick(); !trimmed || !free {
		t.Errorf("first quiet tick after start-up: trimmed %v, heap %v; want both", trimmed, free)
	}
	if trimmed, free := tick(); !trimmed || free {
		t.Errorf("second quiet tick: trimmed %v, heap %v; want a trim without the heap", trimmed, free)
	}
	// A request between ticks: that tick does not trim; the next quiet one
	// does, and returns the heap grown meanwhile.
	request()
	if trimmed, free := tick(); trimmed || !free {
		t.Errorf("tick after a request: trimmed at once %v, heap on the following quiet tick %v; want false, true", trimmed, free)
	}
	cancel()
	<-done
}
