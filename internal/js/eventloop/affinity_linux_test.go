//go:build linux

package eventloop

import (
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
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

// A group of one Threaded loop per allowed CPU runs each loop's thread on
// its own CPU, and gives each thread the full mask back when Run returns;
// any other group size, or GNODE_PIN_LOOPS=0, leaves the threads alone.
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
		{"one loop per CPU", len(all), "", true},
		{"more loops than CPUs", len(all) + 1, "", false},
		{"one loop per CPU, turned off", len(all), "0", false},
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
