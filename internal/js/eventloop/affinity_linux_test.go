//go:build linux

package eventloop

import (
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// threadCPUs is the calling thread's CPU mask as a list.
func threadCPUs(t *testing.T) []int {
	t.Helper()
	var m cpuMask
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m))); e != 0 {
		t.Fatalf("sched_getaffinity: %v", e)
	}
	var cpus []int
	for i := range len(m) * 64 {
		if m[i/64]&(1<<(i%64)) != 0 {
			cpus = append(cpus, i)
		}
	}
	return cpus
}

// With GNODE_PIN_LOOPS=1 a group of one Threaded loop per allowed CPU runs
// each loop's thread on its own CPU, and gives each thread the full mask
// back when Run returns; any other group size, GNODE_PIN_LOOPS=0 or the
// default (loops spread themselves, TestSpreadLoopsMovesTheLaterLoop)
// leave the threads' masks alone.
func TestSpreadLoopsPinsOneLoopPerCPU(t *testing.T) {
	runtime.LockOSThread() // the test's own thread, to read the mask
	all := threadCPUs(t)
	runtime.UnlockOSThread()
	if len(all) < 2 {
		t.Skipf("the process may run on %d CPU: nothing to spread", len(all))
	}
	cases := []struct {
		name   string
		loops  int
		env    string
		pinned bool
	}{
		{"one loop per CPU", len(all), "1", true},
		{"more loops than CPUs", len(all) + 1, "1", false},
		{"one loop per CPU, turned off", len(all), "0", false},
		{"one loop per CPU, default", len(all), "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GNODE_PIN_LOOPS", tc.env)
			SpreadLoops(tc.loops)
			defer SpreadLoops(0)
			got := make([][]int, tc.loops)
			after := make([][]int, tc.loops)
			var started, wg sync.WaitGroup
			started.Add(tc.loops)
			release := make(chan struct{})
			for i := range tc.loops {
				l := New()
				defer l.Close()
				l.Threaded = true
				l.Ref()
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Locked here too, so that the thread that ran
					// the loop is the one read after Run.
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					l.Run()
					after[i] = threadCPUs(t)
				}()
				l.Enqueue(func() { got[i] = threadCPUs(t); started.Done() })
				go func() { <-release; l.Unref() }()
			}
			started.Wait()
			close(release)
			wg.Wait()
			seen := map[int]bool{}
			for i := range tc.loops {
				if !slices.Equal(after[i], all) {
					t.Errorf("loop %d: thread mask %v after Run, want %v back", i, after[i], all)
				}
				if !tc.pinned {
					if !slices.Equal(got[i], all) {
						t.Errorf("loop %d ran on %v, want the whole mask %v", i, got[i], all)
					}
					continue
				}
				if len(got[i]) != 1 || seen[got[i][0]] {
					t.Errorf("loop %d ran on %v, want a CPU no other loop has (others: %v)", i, got[i], got)
				} else {
					seen[got[i][0]] = true
				}
			}
		})
	}
}

// A process started inside WithAllCPUs on a pinned loop gets all of the
// process's CPUs (it inherits the starting thread's mask), and the loop's
// thread is bound to its one CPU again afterwards; started outside it, the
// child would get the loop's one CPU.
func TestWithAllCPUsStartsChildrenUnpinned(t *testing.T) {
	runtime.LockOSThread()
	all := threadCPUs(t)
	runtime.UnlockOSThread()
	if len(all) < 2 {
		t.Skipf("the process may run on %d CPU: nothing to spread", len(all))
	}
	if _, err := exec.LookPath("cat"); err != nil {
		t.Skip("no cat to read a child's /proc/self/status")
	}
	t.Setenv("GNODE_PIN_LOOPS", "1")
	SpreadLoops(len(all))
	defer SpreadLoops(0)
	type result struct{ outside, inside, before, after []int }
	results := make([]result, len(all))
	var started, wg sync.WaitGroup
	started.Add(len(all))
	release := make(chan struct{})
	for i := range all {
		l := New()
		defer l.Close()
		l.Threaded = true
		l.Ref()
		wg.Add(1)
		go func() { defer wg.Done(); l.Run() }()
		l.Enqueue(func() {
			res := &results[i]
			res.before = threadCPUs(t)
			res.outside = childCPUs(t)
			l.WithAllCPUs(func() { res.inside = childCPUs(t) })
			res.after = threadCPUs(t)
			started.Done()
		})
		go func() { <-release; l.Unref() }()
	}
	started.Wait()
	close(release)
	wg.Wait()
	for i, res := range results {
		if len(res.before) != 1 || !slices.Equal(res.outside, res.before) {
			t.Errorf("loop %d: pinned to %v, child started outside WithAllCPUs on %v; want one CPU, the same", i, res.before, res.outside)
		}
		if !slices.Equal(res.inside, all) {
			t.Errorf("loop %d: child started in WithAllCPUs on %v, want %v", i, res.inside, all)
		}
		if !slices.Equal(res.after, res.before) {
			t.Errorf("loop %d: thread on %v after WithAllCPUs, want %v again", i, res.after, res.before)
		}
	}
}

// childCPUs starts cat to read the CPUs a child process may use.
func childCPUs(t *testing.T) []int {
	t.Helper()
	out, err := exec.Command("cat", "/proc/self/status").Output()
	if err != nil {
		t.Errorf("cat: %v", err)
		return nil
	}
	m := regexp.MustCompile(`(?m)^Cpus_allowed_list:\s*(\S+)$`).FindSubmatch(out)
	if m == nil {
		t.Errorf("no Cpus_allowed_list in %q", out)
		return nil
	}
	var cpus []int
	for _, r := range strings.Split(string(m[1]), ",") {
		lo, hi, _ := strings.Cut(r, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if hi != "" {
			b, _ = strconv.Atoi(hi)
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// In a spreading group (the default) a loop that finds itself on the CPU
// of a loop with a lower slot moves to another CPU, and its thread keeps
// every CPU of the process allowed (a child it starts gets them all); the
// loop with the lower slot stays; GNODE_PIN_LOOPS=0 turns it off. The
// other loop of the group is a slot filled in by the test, claiming the
// CPU the loop under test starts on.
func TestSpreadLoopsMovesTheLaterLoop(t *testing.T) {
	runtime.LockOSThread()
	all := threadCPUs(t)
	runtime.UnlockOSThread()
	if len(all) < 2 {
		t.Skipf("the process may run on %d CPU: nothing to spread", len(all))
	}
	if _, err := exec.LookPath("cat"); err != nil {
		t.Skip("no cat to read a child's /proc/self/status")
	}
	start := all[0]
	cases := []struct {
		name  string
		env   string
		other int  // the slot the test fills in
		moves bool // the loop under test should move
	}{
		{"later slot moves", "", 0, true},
		{"earlier slot stays", "", 1, false},
		{"turned off", "0", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GNODE_PIN_LOOPS", tc.env)
			SpreadLoops(2)
			defer SpreadLoops(0)
			if g := spreadNow.g; g != nil {
				g.taken[tc.other] = true
				g.at[tc.other].cpu.Store(int32(start))
				// Never stale while the test runs.
				g.at[tc.other].when.Store(time.Now().Add(time.Hour).UnixNano())
			} else if tc.env == "" {
				t.Fatal("SpreadLoops(2) made no group")
			}
			l := New()
			defer l.Close()
			l.Threaded = true
			var mask, child []int
			var slotCPU int32 = -1
			var moves int
			done := make(chan struct{})
			go func() {
				defer close(done)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				// Start on the CPU the other slot claims; the
				// thread goes back to Go's pool with its mask.
				var orig, m cpuMask
				for _, c := range all {
					orig.set(c)
				}
				defer setAffinity(&orig)
				m.set(start)
				if err := setAffinity(&m); err != nil {
					t.Errorf("sched_setaffinity: %v", err)
					return
				}
				l.Enqueue(func() {
					mask = threadCPUs(t)
					child = childCPUs(t)
					moves = l.aff.moves
					if l.aff.g != nil {
						slotCPU = l.aff.g.at[l.aff.slot].cpu.Load()
					}
				})
				l.Run()
			}()
			<-done
			if tc.moves {
				if moves != 1 {
					t.Errorf("the loop moved %d times, want once", moves)
				}
				if slotCPU < 0 || int(slotCPU) == start {
					t.Errorf("the loop recorded CPU %d after moving, want one other than %d", slotCPU, start)
				}
				if !slices.Equal(mask, all) {
					t.Errorf("thread mask %v after moving, want the whole %v", mask, all)
				}
				if !slices.Equal(child, all) {
					t.Errorf("a child started after the move may use %v, want %v", child, all)
				}
			} else if moves != 0 {
				t.Errorf("the loop moved %d times, want it to stay", moves)
			}
		})
	}
}

// A loop that the kernel keeps putting back beside another waits twice as
// long before each next look (up to spreadMaxMS) instead of moving every
// spreadEveryMS; once it finds the loops apart it looks every
// spreadEveryMS again. respread is driven by hand with the loop clock set
// by the test, and the test puts the thread back on the shared CPU after
// each move.
func TestSpreadBacksOffWhenPutBack(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	all := threadCPUs(t)
	if len(all) < 2 {
		t.Skipf("the process may run on %d CPU: nothing to spread", len(all))
	}
	var orig cpuMask
	for _, c := range all {
		orig.set(c)
	}
	defer setAffinity(&orig)
	t.Setenv("GNODE_PIN_LOOPS", "")
	SpreadLoops(2)
	defer SpreadLoops(0)
	g := spreadNow.g
	if g == nil {
		t.Fatal("SpreadLoops(2) made no group")
	}
	start := all[0]
	g.taken[0] = true
	g.at[0].cpu.Store(int32(start))
	g.at[0].when.Store(time.Now().Add(time.Hour).UnixNano())
	l := New()
	defer l.Close()
	l.aff = affinity{g: g, slot: 1}
	g.taken[1] = true

	putBack := func() {
		var m cpuMask
		m.set(start)
		if err := setAffinity(&m); err != nil {
			t.Fatalf("sched_setaffinity: %v", err)
		}
	}
	// Looks at which the loop finds itself beside the other, and the
	// wait it should choose after each.
	wants := []int64{5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000}
	for i, want := range wants {
		putBack()
		before := l.aff.moves
		l.respread()
		if l.aff.moves != before+1 {
			t.Fatalf("look %d at %d ms: moves %d, want %d", i, l.nowMS, l.aff.moves, before+1)
		}
		if l.aff.every != want {
			t.Errorf("look %d at %d ms: waits %d ms, want %d", i, l.nowMS, l.aff.every, want)
		}
		// Not due before then.
		l.nowMS = l.aff.next - 1
		l.respread()
		if l.aff.moves != before+1 {
			t.Errorf("looked again at %d ms, before its next look at %d", l.nowMS, l.aff.next)
		}
		l.nowMS = l.aff.next
	}
	if !slices.Equal(threadCPUs(t), all) {
		t.Errorf("thread mask %v after the moves, want %v", threadCPUs(t), all)
	}
	// The other loop is seen elsewhere now: no move, and back to the
	// short wait.
	here := getcpu()
	var m cpuMask
	m.set(here) // so that it stays there for the look
	if err := setAffinity(&m); err != nil {
		t.Fatalf("sched_setaffinity: %v", err)
	}
	other := all[0]
	if other == here {
		other = all[1]
	}
	g.at[0].cpu.Store(int32(other))
	before := l.aff.moves
	l.respread()
	if l.aff.moves != before {
		t.Errorf("moved with the other loop on CPU %d and this one on %d", other, here)
	}
	if l.aff.every != spreadEveryMS {
		t.Errorf("waits %d ms after finding the loops apart, want %d", l.aff.every, spreadEveryMS)
	}
}
