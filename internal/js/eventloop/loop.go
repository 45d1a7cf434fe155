// Package eventloop runs Node's event loop phases: timers → pending → poll
// → check (setImmediate) → close. Callbacks are plain Go funcs run on the
// loop goroutine; the runtime's AfterCallback hook drains process.nextTick
// and promise jobs after each one, as Node does. Only the loop goroutine
// runs callbacks; other goroutines hand results back with Enqueue or a
// function from RegisterCallback.
package eventloop

import (
	"container/heap"
	"sync"
	"sync/atomic"
	"time"
)

// Loop is one event loop.
type Loop struct {
	// BeforeCallback, when set, runs before every macrotask callback (the
	// runtime publishes the time there).
	BeforeCallback func()
	// AfterCallback runs after every macrotask callback (the runtime drains
	// nextTick and microtasks there).
	AfterCallback func()
	// OnWait, when set, is told when the loop starts (true) and stops
	// (false) blocking for work (a profiler's idle time).
	OnWait func(waiting bool)
	// Now returns the clock; tests may replace it.
	Now func() time.Time
	// Threaded (set before Run) makes the loop sleep in a blocking
	// epoll_wait on its own OS thread, locked while Run runs, as libuv's
	// loop does: for processes that run several loops at once
	// (--workers), where parking in Go's netpoller moved each loop
	// between threads and woke spare ones. A loop alone parks its
	// goroutine in Go's netpoller, which measured 2-3 µs of CPU per hello
	// request cheaper than the thread sleep with one loop (poll_linux.go).
	Threaded bool

	start   time.Time
	nowMS   int64 // cached loop time, ms since start, updated per iteration
	seq     uint64
	timers  timerHeap
	refd    int // ref'd, active timers
	imm     []*Immediate
	immRefd int
	closing []func()

	mu      sync.Mutex
	pending []func()
	holds   int // outstanding RegisterCallback handles that ref the loop
	wake    chan struct{}
	stopped atomic.Bool // read after every callback: no lock

	// pollTimer bounds a blocking poll by the next timer; one timer is
	// reused (a busy server blocks and wakes thousands of times a second).
	// Loops with an epoll set (p) wait there instead.
	pollTimer *time.Timer
	p         *poller // the loop's own descriptor poller (poll_linux.go), or nil

	aff affinity // the loop's place in a SpreadLoops group (affinity_linux.go)
}

// New returns an empty loop.
func New() *Loop {
	l := &Loop{Now: time.Now, wake: make(chan struct{}, 1)}
	l.start = l.Now()
	l.initPoller()
	return l
}

// Close releases the loop's descriptor poller; the loop must not run
// again. Watches still open are dropped with it.
func (l *Loop) Close() { l.closePoller() }

// notify wakes the loop goroutine if it is waiting (any goroutine).
func (l *Loop) notify() {
	if l.p != nil {
		l.wakePoller()
		return
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Loop) updateTime() { l.nowMS = int64(l.Now().Sub(l.start) / time.Millisecond) }

// NowMS is the cached loop time in milliseconds since the loop started.
func (l *Loop) NowMS() int64 { return l.nowMS }

// Timer is a scheduled timeout or interval.
type Timer struct {
	l        *Loop
	cb       func()
	delay    int64 // ms, at least 1
	repeat   bool
	expiry   int64
	seq      uint64
	index    int // in heap, -1 when not scheduled
	ref      bool
	active   bool
	running  bool
	canceled bool
}

// SetTimer schedules cb after delay ms (clamped to 1 like Node), repeating
// when repeat is set. The timer refs the loop.
func (l *Loop) SetTimer(delayMS int64, repeat bool, cb func()) *Timer {
	if delayMS < 1 {
		delayMS = 1
	}
	t := &Timer{l: l, cb: cb, delay: delayMS, repeat: repeat, index: -1, ref: true}
	// Node reads the clock afresh when a timer starts (GetNow updates
	// libuv's cached time), so the start-up time does not eat the delay.
	l.updateTime()
	l.schedule(t, l.nowMS)
	return t
}

func (l *Loop) schedule(t *Timer, from int64) {
	l.seq++
	t.seq = l.seq
	t.expiry = from + t.delay
	if t.index >= 0 {
		heap.Fix(&l.timers, t.index)
	} else {
		heap.Push(&l.timers, t)
	}
	if !t.active {
		t.active = true
		if t.ref {
			l.refd++
		}
	}
}

func (l *Loop) unschedule(t *Timer) {
	if t.index >= 0 {
		heap.Remove(&l.timers, t.index)
	}
	if t.active {
		t.active = false
		if t.ref {
			l.refd--
		}
	}
}

// Stop cancels the timer.
func (t *Timer) Stop() {
	t.canceled = true
	t.l.unschedule(t)
}

// Refresh restarts the timer's countdown from now without changing it.
func (t *Timer) Refresh() {
	if t.canceled && !t.running {
		return
	}
	t.canceled = false
	t.l.updateTime()
	t.l.schedule(t, t.l.nowMS)
}

// SetRef refs or unrefs the timer.
func (t *Timer) SetRef(ref bool) {
	if t.ref == ref {
		return
	}
	t.ref = ref
	if t.active {
		if ref {
			t.l.refd++
		} else {
			t.l.refd--
		}
	}
}

// HasRef reports whether the timer refs the loop.
func (t *Timer) HasRef() bool { return t.ref }

// Active reports whether the timer is scheduled.
func (t *Timer) Active() bool { return t.active }

// Immediate is a setImmediate callback.
type Immediate struct {
	cb       func()
	ref      bool
	canceled bool
	l        *Loop
}

// SetImmediate queues cb for the check phase.
func (l *Loop) SetImmediate(cb func()) *Immediate {
	im := &Immediate{cb: cb, ref: true, l: l}
	l.imm = append(l.imm, im)
	l.immRefd++
	return im
}

// Clear cancels the immediate.
func (im *Immediate) Clear() {
	if im.canceled {
		return
	}
	im.canceled = true
	if im.ref {
		im.l.immRefd--
	}
}

// SetRef refs or unrefs the immediate.
func (im *Immediate) SetRef(ref bool) {
	if im.ref == ref || im.canceled {
		im.ref = ref
		return
	}
	im.ref = ref
	if ref {
		im.l.immRefd++
	} else {
		im.l.immRefd--
	}
}

// HasRef reports whether the immediate refs the loop.
func (im *Immediate) HasRef() bool { return im.ref }

// OnClose queues cb for the close phase of this iteration.
func (l *Loop) OnClose(cb func()) { l.closing = append(l.closing, cb) }

// Enqueue hands cb to the loop from any goroutine; it runs in the poll
// phase. It does not ref the loop: use RegisterCallback for work the loop
// must wait for.
func (l *Loop) Enqueue(cb func()) {
	l.mu.Lock()
	l.pending = append(l.pending, cb)
	l.mu.Unlock()
	l.notify()
}

// RegisterCallback refs the loop until the returned function is called,
// which must happen exactly once, from any goroutine, with the callback to
// run on the loop.
func (l *Loop) RegisterCallback() func(cb func()) {
	l.mu.Lock()
	l.holds++
	l.mu.Unlock()
	var once sync.Once
	return func(cb func()) {
		once.Do(func() {
			l.mu.Lock()
			l.pending = append(l.pending, cb)
			l.holds--
			l.mu.Unlock()
			l.notify()
		})
	}
}

// Stop makes Run return at the next check (process.exit).
func (l *Loop) Stop() {
	l.stopped.Store(true)
	l.notify()
}

func (l *Loop) isStopped() bool { return l.stopped.Load() }

// Alive reports whether anything refs the loop.
func (l *Loop) Alive() bool {
	l.mu.Lock()
	n := l.holds + len(l.pending)
	l.mu.Unlock()
	return n > 0 || l.refd > 0 || l.immRefd > 0 || len(l.closing) > 0
}

func (l *Loop) before() {
	if l.BeforeCallback != nil {
		l.BeforeCallback()
	}
}

func (l *Loop) waiting(w bool) {
	if l.OnWait != nil {
		l.OnWait(w)
	}
}

func (l *Loop) after() {
	if l.AfterCallback != nil {
		l.AfterCallback()
	}
}

// Run runs iterations until nothing refs the loop or Stop is called.
func (l *Loop) Run() {
	l.pin()
	defer l.unpin()
	l.updateTime()
	for !l.isStopped() && l.Alive() {
		l.respread()
		l.runTimers()
		if l.isStopped() {
			return
		}
		l.poll()
		if l.isStopped() {
			return
		}
		l.runImmediates()
		if l.isStopped() {
			return
		}
		l.runClosing()
		l.updateTime()
	}
}

func (l *Loop) runTimers() {
	l.updateTime()
	for len(l.timers) > 0 && !l.isStopped() {
		t := l.timers[0]
		if t.expiry > l.nowMS {
			break
		}
		heap.Pop(&l.timers)
		if t.repeat {
			// Node reschedules an interval from when its callback started.
			t.running = true
			l.before()
			t.cb()
			t.running = false
			if !t.canceled && t.index < 0 && t.active {
				l.schedule(t, l.nowMS)
			}
		} else {
			t.active = false
			if t.ref {
				l.refd--
			}
			t.running = true
			l.before()
			t.cb()
			t.running = false
		}
		l.after()
	}
}

func (l *Loop) poll() {
	l.mu.Lock()
	batch := l.pending
	l.pending = nil
	l.mu.Unlock()
	if len(batch) == 0 && l.immRefd == 0 && len(l.imm) == 0 && len(l.closing) == 0 {
		// Block until the next timer, a watched descriptor or a
		// completion, unless nothing refs the loop any more (libuv's
		// zero poll timeout).
		if !l.Alive() {
			return
		}
		timeout := -1
		if len(l.timers) > 0 {
			d := l.timers[0].expiry - l.elapsedMS()
			if d <= 0 {
				timeout = 0
			} else {
				timeout = int(min(d, 1<<30))
			}
		}
		if !l.pollIO(timeout) {
			if timeout == 0 {
				return
			}
			l.waitChannel(timeout)
		}
		l.mu.Lock()
		batch = l.pending
		l.pending = nil
		l.mu.Unlock()
		l.runPending(batch)
		return
	}
	// Work is queued: completions first (libuv's pending phase comes
	// before its poll: a shutdown the loop completed itself is reported
	// before the peer's EOF read after it), then a look at the
	// descriptors without blocking.
	if !l.runPending(batch) {
		return
	}
	l.pollIO(0)
}

// runPending runs queued completions; false when the loop stopped (the
// rest stay queued).
func (l *Loop) runPending(batch []func()) bool {
	for i, cb := range batch {
		if l.isStopped() {
			l.mu.Lock()
			l.pending = append(batch[i:], l.pending...)
			l.mu.Unlock()
			return false
		}
		l.before()
		cb()
		l.after()
	}
	return true
}

// waitChannel blocks a loop without a poller until a completion wakes it
// or timeoutMS passes (-1: no limit).
func (l *Loop) waitChannel(timeoutMS int) {
	l.waiting(true)
	defer l.waiting(false)
	var wait <-chan time.Time
	if timeoutMS > 0 {
		d := time.Duration(timeoutMS) * time.Millisecond
		if l.pollTimer == nil {
			l.pollTimer = time.NewTimer(d)
		} else {
			l.pollTimer.Reset(d)
		}
		wait = l.pollTimer.C
	}
	select {
	case <-l.wake:
	case <-wait:
	}
	if wait != nil {
		// Since Go 1.23 a stopped timer's channel holds no stale tick.
		l.pollTimer.Stop()
	}
}

func (l *Loop) elapsedMS() int64 { return int64(l.Now().Sub(l.start) / time.Millisecond) }

func (l *Loop) runImmediates() {
	// Immediates queued while this phase runs wait for the next iteration.
	batch := l.imm
	l.imm = nil
	for i, im := range batch {
		if l.isStopped() {
			l.imm = append(batch[i:], l.imm...)
			return
		}
		if im.canceled {
			continue
		}
		im.canceled = true
		if im.ref {
			l.immRefd--
		}
		l.before()
		im.cb()
		l.after()
	}
}

func (l *Loop) runClosing() {
	batch := l.closing
	l.closing = nil
	for _, cb := range batch {
		l.before()
		cb()
		l.after()
	}
}

type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].expiry != h[j].expiry {
		return h[i].expiry < h[j].expiry
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}

// Ref holds the loop alive until a matching Unref, from any goroutine
// (a worker thread's parent waits for it this way).
func (l *Loop) Ref() {
	l.mu.Lock()
	l.holds++
	l.mu.Unlock()
}

// Unref releases one Ref and wakes the loop so it can notice it is done.
func (l *Loop) Unref() {
	l.mu.Lock()
	l.holds--
	l.mu.Unlock()
	l.notify()
}
