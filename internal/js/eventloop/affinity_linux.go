//go:build linux

package eventloop

import (
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// The loops of a --workers group that has exactly one loop per CPU the
// process may use can each keep their thread on a CPU of their own while
// they run, as `worker_cpu_affinity auto` does for nginx's workers. Left
// to the kernel, the two loops of --workers 2 on two CPUs sometimes share
// one while the load generator's threads take the other. Under wrk -t2 on
// the shared 2-CPU machine, pinned loops served more requests/s in four
// of five interleaved A/Bs (medians +5% to +49%) with 0.6-2.4 µs less
// server CPU per hello request; the fifth, under the heaviest load from
// other jobs, favoured the unpinned loops (bench-httploop.md).
//
// It is off unless GNODE_PIN_LOOPS=1 (pinByDefault): a process started
// from a pinned thread inherits its one-CPU mask (a child would see one
// CPU: nproc, os.availableParallelism(), Go's GOMAXPROCS), and the
// child_process binding starts processes on the loop's thread. Starting
// them inside Loop.WithAllCPUs avoids that; pinByDefault can be turned on
// once every such call does.
const pinByDefault = false

// cpuMask is a sched_setaffinity mask (1024 CPUs, glibc's cpu_set_t).
type cpuMask [16]uint64

var spread struct {
	mu    sync.Mutex
	want  int     // loops in the group (SpreadLoops)
	cpus  []int   // CPUs the process may run on, when want matches them
	orig  cpuMask // the process's mask, restored when a loop stops
	taken []bool  // per cpus index: a running loop holds it
	held  map[*Loop]int
}

// SpreadLoops tells the package that n Threaded loops are about to run
// side by side (one --workers group). When pinning is on (GNODE_PIN_LOOPS=1
// in the environment, or pinByDefault and not GNODE_PIN_LOOPS=0) and n is
// at least 2 and equals the number of CPUs the process may run on, each
// of them keeps its thread on a different CPU while it runs. Call it
// before the loops start.
func SpreadLoops(n int) {
	spread.mu.Lock()
	defer spread.mu.Unlock()
	spread.want, spread.cpus = 0, nil
	on := pinByDefault
	switch os.Getenv("GNODE_PIN_LOOPS") {
	case "0":
		on = false
	case "1":
		on = true
	}
	if n < 2 || !on {
		return
	}
	var m cpuMask
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m))); e != 0 {
		return
	}
	var cpus []int
	for i := range len(m) * 64 {
		if m[i/64]&(1<<(i%64)) != 0 {
			cpus = append(cpus, i)
		}
	}
	if len(cpus) != n {
		return
	}
	spread.want, spread.cpus, spread.orig = n, cpus, m
	spread.taken = make([]bool, n)
	spread.held = map[*Loop]int{}
}

// bindCPU binds the calling (locked) thread to a free CPU of the group's
// set, if the group is spread (pin).
func (l *Loop) bindCPU() {
	spread.mu.Lock()
	defer spread.mu.Unlock()
	if spread.want == 0 {
		return
	}
	for i, t := range spread.taken {
		if t {
			continue
		}
		var m cpuMask
		c := spread.cpus[i]
		m[c/64] |= 1 << (c % 64)
		if setAffinity(&m) != nil {
			return
		}
		spread.taken[i] = true
		spread.held[l] = i
		return
	}
}

// unbindCPU gives the thread the process's mask back before it returns to
// Go's pool of threads (unpin), and frees the loop's CPU. It reports false
// when the mask could not be restored: the caller then keeps the thread
// locked to its goroutine, so that no other goroutine runs bound to one
// CPU (Go ends a thread whose goroutine exits locked).
func (l *Loop) unbindCPU() bool {
	spread.mu.Lock()
	defer spread.mu.Unlock()
	i, ok := spread.held[l]
	if !ok {
		return true
	}
	delete(spread.held, l)
	spread.taken[i] = false
	return setAffinity(&spread.orig) == nil
}

// WithAllCPUs runs f with the loop's thread allowed on every CPU of the
// process, then binds it back: a process started in f (os/exec forks from
// the calling thread, and the child inherits that thread's mask) gets the
// process's CPUs, not the loop's one. Call it on the loop's goroutine;
// on a loop that is not pinned it just runs f.
func (l *Loop) WithAllCPUs(f func()) {
	spread.mu.Lock()
	i, ok := spread.held[l]
	orig := spread.orig
	var own cpuMask
	if ok {
		c := spread.cpus[i]
		own[c/64] |= 1 << (c % 64)
	}
	spread.mu.Unlock()
	if !ok || setAffinity(&orig) != nil {
		f()
		return
	}
	defer setAffinity(&own)
	f()
}

// setAffinity sets the calling thread's CPU mask.
func setAffinity(m *cpuMask) error {
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(*m), uintptr(unsafe.Pointer(m))); e != 0 {
		return e
	}
	return nil
}
