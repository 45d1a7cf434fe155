//go:build linux

package eventloop

import (
	"errors"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// The loop's own epoll set, as libuv's: descriptors the loop watches are
// reported to the loop goroutine itself, which reads them in its poll
// phase. A socket served this way needs no goroutine of its own, and a
// busy loop picks up every ready socket in one epoll_wait instead of
// being woken once per socket by a goroutine handing it each chunk.
//
// A Threaded loop blocks in epoll_wait when it has nothing to run, on its
// own OS thread (Run locks it there), as libuv's loop sleeps in its
// thread: a request wakes that thread and nothing else. Other loops park
// their goroutine in Go's netpoller on the epoll descriptor (park). Other goroutines (Enqueue,
// RegisterCallback, Stop) wake it through an eventfd in the set, written
// only while the loop is asleep.
//
// The sleep is an ordinary blocking system call, so Go's sysmon may take
// the loop's P while it sleeps; it leaves it alone (for up to 10 ms) when
// another P is idle, which is why Run keeps GOMAXPROCS above the number of
// running loops (pinProcs). Parking the loop goroutine in Go's netpoller
// instead (the earlier design) moved it between OS threads at every wake-up
// and woke spare threads to look for work: 0.14-0.25 voluntary context
// switches per request on an idle machine against node's 0.007.
type poller struct {
	epfd    int
	efd     int // eventfd, token 0
	sleep   atomic.Bool
	mu      sync.RWMutex // wakers hold it for reading; closing takes it
	closed  bool
	watches map[int32]*Watch
	next    int32
	events  [64]syscall.EpollEvent
	ready   []*Watch // reused by wait

	// A loop that is not Threaded parks its goroutine in Go's netpoller
	// on the epoll descriptor (registered there on first use) instead.
	file     *os.File
	rc       syscall.RawConn
	deadline bool // file has a read deadline set
	noPark   bool // registering failed: sleep in epoll_wait
}

// Watch is one descriptor in the loop's epoll set. Loop goroutine only.
type Watch struct {
	l     *Loop
	fd    int
	token int32
	cb    func()
	on    bool // EPOLLIN is requested
	added bool // in the epoll set (epoll reports errors and hang-ups even
	// with no events requested, so a watch that is off leaves the set when
	// one is reported, or the loop would spin on it)
	gone bool
}

// initPoller sets the epoll set up; a loop without one (the calls failed)
// waits on its channel and Watch returns an error.
func (l *Loop) initPoller() {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return
	}
	efd, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		syscall.Close(epfd)
		return
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: 0}
	if syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, int(efd), &ev) != nil {
		syscall.Close(epfd)
		syscall.Close(int(efd))
		return
	}
	l.p = &poller{epfd: epfd, efd: int(efd), watches: map[int32]*Watch{}}
}

// closePoller releases the epoll set (Close). l.p stays set (other
// goroutines read it without a lock); closed keeps them off the eventfd.
func (l *Loop) closePoller() {
	p := l.p
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		if p.file != nil {
			p.file.Close()
		} else {
			syscall.Close(p.epfd)
		}
		syscall.Close(p.efd)
		p.watches = map[int32]*Watch{}
	}
}

// ErrNoPoller is returned by Watch on a loop without an epoll set.
var ErrNoPoller = errors.New("event loop has no descriptor poller")

// Watch prepares fd for the loop's epoll set, not yet reporting anything: cb
// runs on the loop while the descriptor is readable (level-triggered) and
// SetReadable(true) is on. The caller keeps fd open until Close.
func (l *Loop) Watch(fd int, cb func()) (*Watch, error) {
	p := l.p
	if p == nil || p.closed {
		return nil, ErrNoPoller
	}
	p.next++
	if p.next <= 0 {
		p.next = 1
	}
	w := &Watch{l: l, fd: fd, token: p.next, cb: cb}
	p.watches[w.token] = w
	return w, nil
}

// SetReadable turns readability reports on or off.
func (w *Watch) SetReadable(on bool) error {
	if w.gone || w.on == on {
		return nil
	}
	if w.l.p.closed {
		return ErrNoPoller
	}
	ev := syscall.EpollEvent{Fd: w.token}
	op := syscall.EPOLL_CTL_MOD
	if on {
		ev.Events = syscall.EPOLLIN | syscall.EPOLLRDHUP
		if !w.added {
			op = syscall.EPOLL_CTL_ADD
		}
	} else if !w.added {
		w.on = false
		return nil
	}
	if err := syscall.EpollCtl(w.l.p.epfd, op, w.fd, &ev); err != nil {
		return err
	}
	w.added = true
	w.on = on
	return nil
}

// leave takes a watch that is off out of the epoll set.
func (w *Watch) leave() {
	if w.added && !w.l.p.closed {
		syscall.EpollCtl(w.l.p.epfd, syscall.EPOLL_CTL_DEL, w.fd, nil)
	}
	w.added = false
}

// Close removes the descriptor from the set (before the caller closes it:
// epoll keeps a descriptor that has duplicates).
func (w *Watch) Close() {
	if w.gone {
		return
	}
	w.gone = true
	w.leave()
	delete(w.l.p.watches, w.token)
}

// wakePoller interrupts a loop asleep in epoll_wait (any goroutine).
func (l *Loop) wakePoller() {
	p := l.p
	if p == nil || !p.sleep.Load() {
		return
	}
	p.mu.RLock()
	if !p.closed && p.sleep.Swap(false) {
		one := uint64(1)
		syscall.Write(p.efd, (*[8]byte)(unsafe.Pointer(&one))[:])
	}
	p.mu.RUnlock()
}

// pollIO waits up to timeoutMS (-1: no limit, 0: just look) for the
// watched descriptors and runs the callbacks of the ready ones. With a
// timeout other than 0 the loop sleeps, and the caller has checked that
// nothing is pending; a goroutine that queues work meanwhile wakes it.
// It reports false when the loop has no poller (the caller waits on its
// channel instead).
func (l *Loop) pollIO(timeoutMS int) bool {
	p := l.p
	if p == nil || p.closed {
		return false
	}
	if timeoutMS == 0 && len(p.watches) == 0 {
		return true
	}
	if timeoutMS != 0 {
		p.sleep.Store(true)
		// Anything queued before the flag was set is seen here;
		// anything after writes the eventfd.
		l.mu.Lock()
		n := len(l.pending)
		l.mu.Unlock()
		if n > 0 || l.isStopped() {
			p.sleep.Store(false)
			timeoutMS = 0
		}
	}
	var n int
	if timeoutMS != 0 {
		l.waiting(true)
		// A busy server's next request is often microseconds away: a
		// loop that parks in Go's poller first takes a few looks that do
		// not block, each cheaper than parking and being woken. A
		// Threaded loop goes straight to its epoll_wait: its sleep is
		// cheaper, and with one loop per CPU (the load generator's
		// threads often beside them) the looks only took CPU from
		// whoever was about to send the next request: --workers 2 with
		// and without them, wrk -t2, 5 interleaved A/Bs on the shared
		// machine: requests/s +15%, +8%, +4%, +2%, -7% and server CPU
		// per request lower in 4 of 5 without (bench-httploop.md).
		for i := 0; i < spinPolls && n == 0 && !l.Threaded; i++ {
			if m, err := epollWaitNow(p.epfd, p.events[:]); err == nil {
				n = m
			}
		}
		if n == 0 && !l.Threaded && p.attach() {
			n = p.park(timeoutMS)
		} else if n == 0 {
			// Blocks this thread (the scheduler is told: syscall.Syscall6).
			// EINTR (a signal, Go's preemption) counts as nothing ready:
			// the loop goes round and comes back with a fresh timeout.
			if m, err := syscall.EpollWait(p.epfd, p.events[:], timeoutMS); err == nil {
				n = m
			}
		}
		l.waiting(false)
	} else if m, err := epollWaitNow(p.epfd, p.events[:]); err == nil {
		// Does not block: no need to tell the scheduler.
		n = m
	}
	p.sleep.Store(false)
	ready := p.ready[:0]
	for i := 0; i < n; i++ {
		tok := p.events[i].Fd
		if tok == 0 {
			var b [8]byte
			syscall.Read(p.efd, b[:])
			continue
		}
		if w := p.watches[tok]; w != nil {
			if !w.on {
				w.leave() // an error or hang-up reported while off
				continue
			}
			ready = append(ready, w)
		}
	}
	for _, w := range ready {
		if l.isStopped() {
			break
		}
		// An earlier callback may have stopped or closed this one.
		if w.gone || !w.on {
			continue
		}
		l.before()
		w.cb()
		l.after()
	}
	clear(ready)
	p.ready = ready[:0]
	return true
}

// pin keeps the loop goroutine on its thread while it runs (the thread
// that sleeps in the loop's epoll_wait is the one that runs the loop
// afterwards) and makes sure a P is left over for everything else; unpin
// undoes it.
func (l *Loop) pin() {
	if l.p == nil || !l.Threaded {
		return
	}
	runtime.LockOSThread()
	n := running.Add(1)
	ensureProcs(int(n) + 1)
	l.bindCPU()
}

func (l *Loop) unpin() {
	if l.p == nil || !l.Threaded {
		return
	}
	running.Add(-1)
	if l.unbindCPU() {
		runtime.UnlockOSThread()
	}
}

// running counts the loops inside Run in this process (--workers runs,
// worker threads).
var running atomic.Int32

// procsMu serializes ensureProcs; userProcs is set when GOMAXPROCS came
// from the environment (then it is left as the user set it).
var (
	procsMu   sync.Mutex
	userProcs = os.Getenv("GOMAXPROCS") != ""
)

// ensureProcs raises GOMAXPROCS to want, at most to twice the CPUs (and
// at least 2). A loop asleep in epoll_wait keeps its P; Go's sysmon takes
// it after 20 µs unless another P is idle, and while it keeps taking Ps it
// wakes every 20 µs itself. With one P more than there are loops the
// sleeping loops keep theirs: two loops on GOMAXPROCS=2 cost 31.7 µs of
// CPU per hello request against 24.1 on GOMAXPROCS=3 (3 interleaved rounds
// on a busy machine, load 13). Raising it stops the world once; it is
// never lowered.
func ensureProcs(want int) {
	if userProcs {
		return
	}
	want = min(want, max(2, 2*runtime.NumCPU()))
	procsMu.Lock()
	defer procsMu.Unlock()
	if runtime.GOMAXPROCS(0) < want {
		runtime.GOMAXPROCS(want)
	}
}

// spinPolls is how many non-blocking epoll_waits pollIO tries before it
// parks a loop that is not Threaded.
const spinPolls = 20

// epollWaitNow is epoll_wait with a zero timeout (as epoll_pwait with no
// signal mask: arm64 and riscv64 have no epoll_wait system call).
func epollWaitNow(epfd int, events []syscall.EpollEvent) (int, error) {
	r, _, e := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// attach registers the epoll descriptor with Go's netpoller (os.NewFile
// does, for a non-blocking descriptor) for park; false if that failed.
func (p *poller) attach() bool {
	if p.rc != nil {
		return true
	}
	if p.noPark {
		return false
	}
	p.noPark = true
	if syscall.SetNonblock(p.epfd, true) != nil {
		return false
	}
	f := os.NewFile(uintptr(p.epfd), "eventloop-epoll")
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	p.file, p.rc, p.noPark = f, rc, false
	return true
}

// park waits in Go's poller until the epoll set has events or timeoutMS
// passes (-1: no limit), and returns how many events it read.
func (p *poller) park(timeoutMS int) int {
	if timeoutMS > 0 {
		p.file.SetReadDeadline(time.Now().Add(time.Duration(timeoutMS) * time.Millisecond))
		p.deadline = true
	} else if p.deadline {
		p.file.SetReadDeadline(time.Time{})
		p.deadline = false
	}
	n := 0
	p.rc.Read(func(fd uintptr) bool {
		for {
			m, err := epollWaitNow(int(fd), p.events[:])
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return true
			}
			n = m
			return m > 0
		}
	})
	return n
}
