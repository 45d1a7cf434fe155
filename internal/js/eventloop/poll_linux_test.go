//go:build linux

package eventloop

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func pipe(t *testing.T) (r, w int) {
	t.Helper()
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(p[0]); syscall.Close(p[1]) })
	return p[0], p[1]
}

// A watched descriptor's callback runs on the loop while it is readable
// and reporting is on; turning reporting off (or closing the watch) stops
// it, and AfterCallback runs after each callback as after any macrotask.
func TestWatchReportsReadability(t *testing.T) {
	cases := []struct {
		name  string
		write string
		want  string
	}{
		{"one chunk", "abc", "abc,after"},
		{"two chunks read as one", "ab|cd", "abcd,after"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := New()
			defer l.Close()
			r, w := pipe(t)
			var got []string
			l.AfterCallback = func() { got = append(got, "after") }
			done := l.RegisterCallback()
			var wt *Watch
			wt, err := l.Watch(r, func() {
				buf := make([]byte, 64)
				n, _ := syscall.Read(r, buf)
				got = append(got, string(buf[:n]))
				wt.Close()
				done(func() {})
			})
			if err != nil {
				t.Skipf("no poller: %v", err)
			}
			if err := wt.SetReadable(true); err != nil {
				t.Fatal(err)
			}
			for _, part := range strings.Split(tc.write, "|") {
				syscall.Write(w, []byte(part))
			}
			l.Run()
			// done's callback adds one more "after".
			if s := strings.Join(got, ","); s != tc.want+",after" {
				t.Errorf("got %s, want %s,after", s, tc.want)
			}
		})
	}
}

// With reporting off, a readable descriptor does not run its callback;
// a timer still fires, and the loop ends.
func TestWatchOffIsQuiet(t *testing.T) {
	l := New()
	defer l.Close()
	r, w := pipe(t)
	called := false
	wt, err := l.Watch(r, func() { called = true })
	if err != nil {
		t.Skipf("no poller: %v", err)
	}
	wt.SetReadable(true)
	wt.SetReadable(false)
	syscall.Write(w, []byte("x"))
	fired := false
	l.SetTimer(5, false, func() { fired = true })
	l.Run()
	if called || !fired {
		t.Errorf("callback ran %v, timer fired %v", called, fired)
	}
	wt.Close()
}

// A loop asleep in its poller wakes for work handed over from another
// goroutine (Enqueue through a RegisterCallback hold).
func TestPollerWakesForCompletions(t *testing.T) {
	l := New()
	defer l.Close()
	r, _ := pipe(t)
	wt, err := l.Watch(r, func() {})
	if err != nil {
		t.Skipf("no poller: %v", err)
	}
	wt.SetReadable(true)
	done := l.RegisterCallback()
	ran := false
	go func() {
		time.Sleep(20 * time.Millisecond)
		done(func() { ran = true })
	}()
	finished := make(chan struct{})
	go func() { l.Run(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("loop did not wake for the completion")
	}
	if !ran {
		t.Error("completion did not run")
	}
}

// A watch that is off leaves the epoll set when the descriptor reports a
// hang-up (epoll reports those even with no events requested), instead of
// waking the loop again and again; turning it on again adds it back.
func TestWatchOffLeavesOnHangUp(t *testing.T) {
	l := New()
	defer l.Close()
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	r, w := p[0], p[1]
	defer syscall.Close(r)
	calls := 0
	wt, err := l.Watch(r, func() {
		calls++
		var b [8]byte
		syscall.Read(r, b[:])
	})
	if err != nil {
		t.Skipf("no poller: %v", err)
	}
	wt.SetReadable(true)
	wt.SetReadable(false)
	syscall.Close(w) // hang-up on the read end
	l.SetTimer(30, false, func() {})
	l.Run()
	if calls != 0 {
		t.Errorf("callback ran %d times while off", calls)
	}
	if wt.added {
		t.Error("watch still in the epoll set after a hang-up while off")
	}
	wt.SetReadable(true)
	if !wt.added {
		t.Error("SetReadable(true) did not add the watch back")
	}
	wt.Close()
}

// Completions handed over from many goroutines while the loop keeps
// falling asleep in epoll_wait and waking up all run, and the loop ends
// once the last is in: a lost wake-up would leave it asleep with work
// queued (the loop has no timer to come back for).
func TestNoLostWakeUps(t *testing.T) {
	cases := []struct {
		name    string
		senders int
		each    int
		pause   time.Duration // between a sender's completions
	}{
		{"bursts", 8, 500, 0},
		{"spaced", 4, 50, 200 * time.Microsecond},
		{"one at a time", 1, 200, 50 * time.Microsecond},
	}
	for _, threaded := range []bool{false, true} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s threaded=%v", tc.name, threaded), func(t *testing.T) {
				noLostWakeUps(t, threaded, tc.senders, tc.each, tc.pause)
			})
		}
	}
}

func noLostWakeUps(t *testing.T, threaded bool, senders, each int, pause time.Duration) {
	l := New()
	l.Threaded = threaded
	defer l.Close()
	if l.p == nil {
		t.Skip("no poller")
	}
	ran := 0
	start := make(chan struct{})
	for s := 0; s < senders; s++ {
		done := make([]func(func()), each)
		for i := range done {
			done[i] = l.RegisterCallback()
		}
		go func() {
			<-start
			for i, d := range done {
				if pause > 0 {
					time.Sleep(pause)
				}
				if i%2 == 0 {
					d(func() { ran++ })
				} else {
					// Enqueue runs too, held by the hold released after it.
					l.Enqueue(func() { ran++ })
					d(func() {})
				}
			}
		}()
	}
	finished := make(chan struct{})
	go func() { l.Run(); close(finished) }()
	close(start)
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("loop still asleep with completions queued")
	}
	if want := senders * each; ran != want {
		t.Errorf("ran %d completions, want %d", ran, want)
	}
}

// Stop from another goroutine wakes a loop asleep with nothing to do.
func TestStopWakesSleepingLoop(t *testing.T) {
	for _, threaded := range []bool{false, true} {
		l := New()
		defer l.Close()
		l.Threaded = threaded
		l.Ref() // keeps the loop alive (and asleep) until Stop
		finished := make(chan struct{})
		go func() { l.Run(); close(finished) }()
		time.Sleep(20 * time.Millisecond)
		l.Stop()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
			t.Fatalf("Stop did not wake the loop (threaded %v)", threaded)
		}
	}
}

// While threaded loops run, GOMAXPROCS stays above their number (a loop asleep in
// epoll_wait holds a P), unless the environment set it.
func TestRunningLoopsKeepASpareP(t *testing.T) {
	if userProcs {
		t.Skip("GOMAXPROCS set in the environment")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const loops = 2
	want := min(loops+1, max(2, 2*runtime.NumCPU()))
	var started sync.WaitGroup
	started.Add(loops)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < loops; i++ {
		l := New()
		defer l.Close()
		l.Threaded = true
		l.Ref()
		wg.Add(1)
		go func() { defer wg.Done(); l.Run() }()
		l.Enqueue(func() { started.Done() })
		go func() { <-release; l.Unref() }()
	}
	started.Wait()
	got := runtime.GOMAXPROCS(0)
	close(release)
	wg.Wait()
	if got < want {
		t.Errorf("GOMAXPROCS %d with %d loops running, want at least %d", got, loops, want)
	}
	if n := running.Load(); n != 0 {
		t.Errorf("%d loops counted as running after they returned", n)
	}
}
