//go:build linux

package eventloop

import (
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The loops of a --workers group with at most one loop per CPU the
// process may use are kept on different CPUs. Left to the kernel, the two
// loops of --workers 2 on two CPUs often run on one CPU for whole seconds
// while the load generator's threads take the other: under wrk -t2 on the
// 2-CPU machine the server then gets one CPU in all (each loop thread 46%
// on CPU 1, every sample of a 4 s run; bench-workers.md). With
// sched_autogroup the kernel's balancer sees that as balanced (the
// server's group on one CPU, wrk's on the other) and never separates them.
//
// By default a loop moves itself (spread): every spreadEveryMS it reads
// the CPU it runs on, and when a loop of the group with a lower slot was
// seen on the same CPU in the last few milliseconds it binds its thread to
// a CPU no loop was seen on, which migrates it there, and at once gives
// the thread the process's mask back. The thread keeps every CPU of the
// process allowed except inside those two system calls, which the loop's
// own thread makes: a process it starts (child_process forks from the
// loop's thread, and the child inherits that thread's mask) always gets
// the process's CPUs, and the kernel is still free to move the loop when
// something else needs the CPU.
//
// GNODE_PIN_LOOPS=1 binds each loop's thread to a CPU of its own for as
// long as the loop runs instead (pin), as `worker_cpu_affinity auto` does
// for nginx's workers; a process started from a pinned thread inherits its
// one-CPU mask unless it is started inside Loop.WithAllCPUs.
// GNODE_PIN_LOOPS=0 leaves the loops to the kernel.

// cpuMask is a sched_setaffinity mask (1024 CPUs, glibc's cpu_set_t).
type cpuMask [16]uint64

func (m *cpuMask) set(c int)      { m[c/64] |= 1 << (c % 64) }
func (m *cpuMask) has(c int) bool { return c >= 0 && c < len(m)*64 && m[c/64]&(1<<(c%64)) != 0 }

// spreadGroup is one SpreadLoops call's state.
type spreadGroup struct {
	pin  bool    // GNODE_PIN_LOOPS=1: bind each loop for the whole run
	cpus []int   // CPUs the process may run on
	orig cpuMask // the process's mask

	mu    sync.Mutex
	taken []bool // per slot: a running loop holds it
	at    []spreadSlot
}

// spreadSlot is where a loop of the group last found itself.
type spreadSlot struct {
	cpu  atomic.Int32 // -1: unknown
	when atomic.Int64 // unix nanoseconds of the reading
}

// affinity is a loop's part in a spread group (loop goroutine only).
type affinity struct {
	g     *spreadGroup
	slot  int
	next  int64 // loop time (ms) of the next look
	every int64 // ms between looks: spreadEveryMS, more after quick returns
	moved int64 // loop time of the last move
	moves int   // how often the loop moved itself (tests)
	stuck bool  // the process's mask could not be restored
}

// spreadEveryMS is how often a spread loop looks at its CPU: a getcpu and
// a clock read, ~0.3 µs, every 5 ms. Under wrk -t2 the loops of
// --workers 2 stayed apart once moved (3 moves in 5 s).
const spreadEveryMS = 5

// spreadBackoffMS: a loop that finds itself beside another again within
// this long of its last move (the kernel put it back: its CPU is wanted
// by something else) waits twice as long before its next look, up to
// spreadMaxMS, so that loop and kernel do not trade moves every few
// milliseconds; a look that finds the loops apart resets the wait.
const (
	spreadBackoffMS = 50
	spreadMaxMS     = 1000
)

// spreadStale is how old another loop's reading may be and still count: a
// loop that sleeps does not read its CPU, and while it sleeps where it
// last ran does not matter.
const spreadStale = 4 * spreadEveryMS * int64(time.Millisecond)

var spreadNow struct {
	mu sync.Mutex
	g  *spreadGroup
}

// SpreadLoops tells the package that n Threaded loops are about to run
// side by side (one --workers group). When n is at least 2 and at most
// the number of CPUs the process may run on, the loops that start next
// keep to different CPUs (see above; GNODE_PIN_LOOPS picks the way). Call
// it before the loops start; SpreadLoops(0) ends the group.
func SpreadLoops(n int) {
	spreadNow.mu.Lock()
	defer spreadNow.mu.Unlock()
	spreadNow.g = nil
	pin := false
	switch os.Getenv("GNODE_PIN_LOOPS") {
	case "0":
		return
	case "1":
		pin = true
	}
	if n < 2 {
		return
	}
	var m cpuMask
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m))); e != 0 {
		return
	}
	var cpus []int
	for i := range len(m) * 64 {
		if m.has(i) {
			cpus = append(cpus, i)
		}
	}
	if n > len(cpus) || (pin && n != len(cpus)) {
		return
	}
	g := &spreadGroup{pin: pin, cpus: cpus, orig: m, taken: make([]bool, n), at: make([]spreadSlot, n)}
	for i := range g.at {
		g.at[i].cpu.Store(-1)
	}
	spreadNow.g = g
}

// bindCPU takes a free slot of the current group for the loop (pin); a
// pinning group binds the calling (locked) thread to the slot's CPU.
func (l *Loop) bindCPU() {
	spreadNow.mu.Lock()
	g := spreadNow.g
	spreadNow.mu.Unlock()
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, t := range g.taken {
		if t {
			continue
		}
		if g.pin {
			var m cpuMask
			m.set(g.cpus[i])
			if setAffinity(&m) != nil {
				return
			}
		}
		g.taken[i] = true
		g.at[i].cpu.Store(-1)
		l.aff = affinity{g: g, slot: i}
		return
	}
}

// unbindCPU frees the loop's slot and makes sure the thread has the
// process's mask before it returns to Go's pool of threads (unpin). It
// reports false when the mask could not be restored: the caller then
// keeps the thread locked to its goroutine, so that no other goroutine
// runs bound to one CPU (Go ends a thread whose goroutine exits locked).
func (l *Loop) unbindCPU() bool {
	a := l.aff
	l.aff = affinity{}
	if a.g == nil {
		return true
	}
	g := a.g
	g.mu.Lock()
	g.taken[a.slot] = false
	g.at[a.slot].cpu.Store(-1)
	g.mu.Unlock()
	if g.pin || a.stuck {
		return setAffinity(&g.orig) == nil
	}
	return true
}

// respread runs between loop iterations: a loop of a spreading group that
// finds itself on the CPU of a loop with a lower slot moves to a CPU no
// loop of the group was seen on.
func (l *Loop) respread() {
	a := &l.aff
	if a.g == nil || a.g.pin || l.nowMS < a.next {
		return
	}
	if a.every == 0 {
		a.every = spreadEveryMS
	}
	a.next = l.nowMS + a.every
	g := a.g
	cpu := getcpu()
	if cpu < 0 {
		return
	}
	now := time.Now().UnixNano()
	me := &g.at[a.slot]
	me.cpu.Store(int32(cpu))
	me.when.Store(now)
	var used cpuMask
	clash := false
	for i := range g.at {
		o := &g.at[i]
		c := int(o.cpu.Load())
		if i == a.slot || c < 0 || now-o.when.Load() > spreadStale {
			continue
		}
		used.set(c)
		if c == cpu && i < a.slot {
			clash = true
		}
	}
	if !clash {
		a.every = spreadEveryMS
		return
	}
	if a.moves > 0 && l.nowMS-a.moved < spreadBackoffMS+a.every {
		a.every = min(2*a.every, spreadMaxMS)
		a.next = l.nowMS + a.every
	}
	for _, c := range g.cpus {
		if c == cpu || used.has(c) {
			continue
		}
		var m cpuMask
		m.set(c)
		if setAffinity(&m) != nil {
			return
		}
		// Moved (the call returns on the new CPU); every CPU allowed
		// again at once.
		if setAffinity(&g.orig) != nil {
			a.stuck = true
		}
		me.cpu.Store(int32(c))
		a.moves++
		a.moved = l.nowMS
		return
	}
}

// getcpu is the CPU the calling thread runs on, or -1.
func getcpu() int {
	var c uint32
	if _, _, e := syscall.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&c)), 0, 0); e != 0 {
		return -1
	}
	return int(c)
}

// WithAllCPUs runs f with the loop's thread allowed on every CPU of the
// process, then binds it back: a process started in f (os/exec forks from
// the calling thread, and the child inherits that thread's mask) gets the
// process's CPUs, not the loop's one. Call it on the loop's goroutine; on
// a loop that is not pinned (GNODE_PIN_LOOPS=1) it just runs f.
func (l *Loop) WithAllCPUs(f func()) {
	a := l.aff
	if a.g == nil || !a.g.pin || setAffinity(&a.g.orig) != nil {
		f()
		return
	}
	var own cpuMask
	own.set(a.g.cpus[a.slot])
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
