package qjs

// A sampling profiler of the JavaScript stack (node's --cpu-prof).
//
// Time is cut into slots of one interval on the clock; each slot gets
// one sample (a stretch the loop did not look at gets one sample for all
// its slots, which lasts until the next one). The loop goroutine decides
// what each slot was, from its own clock:
//
//   - waiting for work: the event loop says when it starts and stops
//     waiting (Wait); the slots in between are "(idle)";
//   - running JavaScript: QuickJS calls the interrupt handler every N
//     polls (a poll is a call or a loop's backward jump; N is set so the
//     loop looks at the clock a few times a slot), and a Go function
//     called from JavaScript looks when it returns. A look that finds
//     the slot's time come walks the stack on the loop goroutine, where
//     reading the engine is safe;
//   - otherwise (Go code in a callback or between them) "(program)",
//     from the looks the runtime makes around each callback (Check).
//
// A ticker goroutine refines the JavaScript samples. Every interval, when
// JavaScript or the cycle collector runs, it snapshots the top of the
// stack (tickSnap), sets a request flag beside the one Interrupt sets
// and zeroes the engine's interrupt counter, so the next poll point
// calls the handler. A walk made for a slot waits half an interval for
// that snapshot: a poll point is never inside a function with no call or
// loop left (a leaf, a tail, a built-in such as a regexp exec), so the
// walk alone gives its time to its caller; the snapshot puts it back on
// top (frames pushed since the tick are dropped, a function returned
// since is put back on its caller). A snapshot of the cycle collector
// makes the slot "(garbage collector)".
//
// The ticker never decides a slot itself: when every core is busy it
// runs late, mostly when the loop gives up its core to wait, and judging
// idle time by what it saw then counted most of a busy server's time as
// (idle). A late snapshot is only used if its slot is still open.
// What stays approximate: the engine's call overhead before a callee's
// frame is pushed and after it is popped counts for the caller; a slot
// the ticker missed is the stack at the loop's next poll point (leaves
// count for their callers, the cycle collector for the JavaScript that
// allocated).
//
// Nothing here runs unless StartProfile was called: the interrupt
// handler reads one more word every 10000 polls and a Go call tests one
// pointer. While a profile runs, the loop reads the clock every N polls,
// at each Go call's return and around callbacks and waits.

import (
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// ProfileFrame is one function of a sampled stack, in the terms of the
// Chrome DevTools profile format: Line and Col are 0-based and -1 for a
// native function (URL empty then).
type ProfileFrame struct {
	Name string
	URL  string
	Line int32
	Col  int32
}

// ProfileNode is a node of the call tree: Frame called from the node
// Parent (-1 for the root, index 0).
type ProfileNode struct {
	Frame    ProfileFrame
	Parent   int32
	Children []int32
	Hits     int32
}

// Profile is what a Profiler recorded. Times are microseconds on a
// monotonic clock, or of the process's CPU time (ProfileOptions.CPUTime).
type Profile struct {
	Nodes      []ProfileNode
	Samples    []int32 // node index of each sample, in time order
	Times      []int64 // when each sample was requested
	Start, End int64
	// Missed counts ticks that found their last request still not
	// taken (a long built-in or Go call), Dropped requests that came
	// after their slot was decided.
	Missed, Dropped int
	// Ticked counts the samples the ticker's snapshot placed (the rest
	// are the loop's own walks, (idle) and (program)).
	Ticked int
	// Delay is the time from a slot's start to the walk of the stack
	// that stands for it, in microseconds, of the JavaScript samples:
	// total and longest (how late the poll points let a sample be).
	DelaySum, DelayMax int64
}

// Names of the pseudo-functions V8 uses for time outside JavaScript.
const (
	ProfileRoot    = "(root)"
	ProfileProgram = "(program)"
	ProfileIdle    = "(idle)"
	ProfileGC      = "(garbage collector)"
)

// Profiler samples one VM's JavaScript stack.
type Profiler struct {
	vm       *VM
	interval time.Duration
	ivUS     int64     // interval in µs
	lagUS    int64     // how long a JavaScript slot waits for the ticker's snapshot
	pollN    int32     // the engine's polls between two looks at the clock
	base     time.Time // times are microseconds since base, plus baseUS
	baseUS   int64
	cpuClock bool  // sample times are the process's CPU time (ProfileOptions)
	startW   int64 // the slot grid's origin (clock µs)

	// The ticker's request: what it read of the stack at reqAt (clock
	// µs). Written by the ticker while the request bit of the flag is
	// clear, read by the loop goroutine while it is set; only the loop
	// clears it.
	reqAt atomic.Int64
	snap  tickSnap
	goSeq atomic.Uint64 // sequence number of the innermost Go call running
	// ticks counts the ticker's ticks (loop: seenTick, the count when it
	// last decided a slot); lastCnt is the engine's interrupt counter at
	// the loop's last look (loop goroutine): see enterGo.
	ticks    atomic.Uint32
	seenTick uint32
	lastCnt  int32

	mu       sync.Mutex
	nodes    []ProfileNode
	children map[childKey]int32
	samples  []int32
	times    []int64
	start    int64
	end      int64
	stopped  bool
	missed   int
	dropped  int
	ticked   int
	delaySum int64
	delayMax int64
	// The loop's side (loop goroutine; under mu when it records, so Stop
	// can close the last interval from another goroutine).
	due     atomic.Int64 // the first slot not yet decided (clock µs)
	waiting atomic.Bool  // the loop is waiting for work
	// With the CPU clock: the CPU time when the loop started waiting
	// (the stamp of the wait's (idle) samples), and when it stopped
	// waiting after one (the stamp of the next sample), so the CPU used
	// after a wait is not the wait's.
	waitCPU atomic.Int64
	cpuNext int64
	prov    []ProfileFrame // a JavaScript stack walked for slot due, kept until the ticker's lag is over
	provAt  int64
	hasProv bool

	stop  chan struct{}
	done  chan struct{}
	timer *tickTimer // nil: a Go ticker

	// Loop goroutine only.
	goCalls []goCall
	goNext  uint64               // sequence numbers of Go calls
	sfs     []uintptr            // engine frame of each entry of stack (0: a Go call)
	seqs    []uint64             // Go call sequence of each entry of stack
	funcs   map[uintptr]funcInfo // by function bytecode or C function object
	stack   []ProfileFrame
	frames  map[ProfileFrame]int32 // interned frames (under mu)
}

type childKey struct {
	parent, frame int32
}

type goCall struct {
	sf   uintptr // the engine's frame when the Go function was called
	name string
	seq  uint64
}

// tickSnap is what the ticker reads of the running stack when it asks
// for a sample: the top frame, its caller's frame and its function. The
// engine walks the stack later, at a poll point, and uses the snapshot
// to cut it back to the tick: frames pushed since are dropped, and a top
// function that has returned since (one with no call or loop left, or
// a built-in) is put back on top. These are racy reads of memory the
// loop goroutine writes: the engine checks them against the live stack
// and its own cache before trusting them, and a read that faults is a
// recovered panic (the ticker runs with SetPanicOnFault).
type tickSnap struct {
	top, prev uintptr // the top frame and its caller's
	fn        uintptr // the top frame's function object
	class     uint32  // its class
	code      uintptr // its bytecode, or its C function
	goSeq     uint64  // innermost Go call running
	gc        bool    // the cycle collector was running
}

type funcInfo struct {
	name, file lib.TJSAtom // to tell a reused address apart
	fn         uintptr
	frame      ProfileFrame
}

var profileClock = time.Now()

// ProfileOptions configure a Profiler.
type ProfileOptions struct {
	// Interval between samples (0: 1 ms).
	Interval time.Duration
	// CPUTime stamps the samples with the process's CPU time instead of
	// the clock (Linux), so a sample weighs the CPU the process used until
	// the next one: time the machine gave to other processes (a loaded
	// machine, a system call that let the client run first) weighs
	// nothing, and (idle) next to nothing.
	CPUTime bool
}

// The flag word beside Interrupt's: profActive while a profile runs (the
// interrupt handler then calls the profiler at every poll it makes),
// profRequest while the ticker's request waits for the loop.
const (
	profRequest = 1
	profActive  = 2
)

// StartProfile starts sampling the VM's JavaScript stack every interval.
// The VM's goroutine must call it; Stop and Profile may be called from
// any goroutine.
func (vm *VM) StartProfile(interval time.Duration) *Profiler {
	return vm.StartProfileWith(ProfileOptions{Interval: interval})
}

// StartProfileWith is StartProfile with options.
func (vm *VM) StartProfileWith(o ProfileOptions) *Profiler {
	if vm.prof != nil {
		return vm.prof
	}
	interval := o.Interval
	if interval <= 0 {
		interval = time.Millisecond
	}
	iv := max(int64(interval/time.Microsecond), 1)
	p := &Profiler{
		vm:       vm,
		cpuClock: o.CPUTime && haveProcessCPUTime,
		interval: interval,
		ivUS:     iv,
		lagUS:    max(iv/2, 1),
		// A poll comes every few dozen ns of JavaScript (a call or a
		// loop's jump): a look at the clock every interval-in-µs polls
		// (at most 1000) comes well within a slot and costs one clock
		// read per ≥ 2 µs of JavaScript.
		pollN:    int32(min(max(iv, 50), 1000)),
		base:     profileClock,
		baseUS:   1_000_000, // like V8's, a clock that does not start at zero
		children: map[childKey]int32{},
		funcs:    map[uintptr]funcInfo{},
		frames:   map[ProfileFrame]int32{},
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	p.nodes = []ProfileNode{{Frame: ProfileFrame{Name: ProfileRoot, Line: -1, Col: -1}, Parent: -1}}
	p.start = p.now()
	p.startW = p.wall()
	p.due.Store(p.startW + iv)
	if t, err := newTickTimer(interval); err == nil {
		p.timer = t
	}
	vm.prof = p
	atomic.StoreInt32(vm.pendingFlag(), profActive)
	vm.ctxCounter(p.pollN)
	go p.run()
	return p
}

// wall is the clock in µs (the slot grid's).
func (p *Profiler) wall() int64 {
	return int64(time.Since(p.base)/time.Microsecond) + p.baseUS
}

// now is the time of the profile's clock: the wall clock, or the
// process's CPU time.
func (p *Profiler) now() int64 {
	if p.cpuClock {
		return processCPUTime()/1000 + p.baseUS
	}
	return p.wall()
}

// nextSlot is the first slot of the grid after t.
func (p *Profiler) nextSlot(t int64) int64 {
	return p.startW + ((t-p.startW)/p.ivUS+1)*p.ivUS
}

func (vm *VM) ctxCounter(n int32) {
	(*lib.TJSContext)(unsafe.Pointer(vm.ctx)).Finterrupt_counter = n
}

// run ticks every interval until Stop: on a timerfd where there is one
// (profile_linux.go), else on a Go ticker.
func (p *Profiler) run() {
	defer close(p.done)
	debug.SetPanicOnFault(true) // snapshot's racy reads
	if p.timer != nil {
		for p.timer.wait() == nil {
			select {
			case <-p.stop:
				return
			default:
			}
			p.tick()
		}
		return
	}
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.tick()
		}
	}
}

// pendingFlag is the profiler's word, the second int32 of the one the
// interrupt handler reads.
func (vm *VM) pendingFlag() *int32 { return (*int32)(unsafe.Pointer(vm.intr + 4)) }

// tick is the ticker's part: when JavaScript or the cycle collector is
// running it snapshots the top of the stack and asks the loop to take
// the sample at its next poll point. It records nothing itself: whether
// the loop was running, waiting or in Go code at a slot is the loop's
// to say, from its own clock (the ticker runs late when every core is
// busy, mostly when the loop gives up its core to wait).
func (p *Profiler) tick() {
	p.ticks.Add(1)
	vm := p.vm
	rt := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	gc := gcRunning(rt)
	js := atomic.LoadUintptr(&rt.Fcurrent_stack_frame) != 0
	if !gc && !js {
		return
	}
	flag := vm.pendingFlag()
	if atomic.LoadInt32(flag)&profRequest != 0 {
		p.mu.Lock()
		p.missed++
		p.mu.Unlock()
		p.forcePoll()
		return
	}
	p.reqAt.Store(p.wall())
	p.snap = p.snapshot(rt)
	p.snap.gc = gc
	atomic.OrInt32(flag, profRequest)
	p.forcePoll()
}

// forcePoll makes the engine call the interrupt handler at its next poll
// point. The engine decrements the counter without atomics, so a store
// racing with its decrement can be lost; the next tick stores again.
func (p *Profiler) forcePoll() {
	ctx := (*lib.TJSContext)(unsafe.Pointer(p.vm.ctx))
	atomic.StoreInt32(&ctx.Finterrupt_counter, 0)
}

// gcRunning tells whether the cycle collector is running: its temporary
// list holds the objects it is examining or freeing. (The plain
// reference-count frees outside a collection do not use the list.)
func gcRunning(rt *lib.TJSRuntime) bool {
	head := uintptr(unsafe.Pointer(&rt.Ftmp_obj_list))
	next := atomic.LoadUintptr(&rt.Ftmp_obj_list.Fnext)
	if next != 0 && next != head {
		return true
	}
	phase := atomic.LoadUint32((*uint32)(unsafe.Pointer(&rt.F__ccgo1184))) & 0xff
	return phase == lib.EJS_GC_PHASE_REMOVE_CYCLES
}

// recordLocked adds a sample of stack (top first) for the slot due, and
// moves due past now: one sample stands for every slot that went by
// since the loop last looked (a stretch without a poll point).
func (p *Profiler) recordLocked(st []ProfileFrame, now int64) {
	due := p.due.Load()
	node := int32(0)
	for i := len(st) - 1; i >= 0; i-- {
		node = p.childLocked(node, st[i], -1)
	}
	p.nodes[node].Hits++
	p.samples = append(p.samples, node)
	at := due
	if p.cpuClock {
		switch {
		case len(st) == 1 && st[0] == idleStack[0]:
			at = p.waitCPU.Load()
		case p.cpuNext != 0:
			at, p.cpuNext = p.cpuNext, 0
		default:
			at = processCPUTime()/1000 + p.baseUS
		}
	}
	p.times = append(p.times, at)
	p.due.Store(p.nextSlot(max(now, due)))
	p.hasProv = false
	p.seenTick = p.ticks.Load()
}

// childLocked returns the node for frame (interned as fid, or -1 to
// intern it here) under parent.
func (p *Profiler) childLocked(parent int32, f ProfileFrame, fid int32) int32 {
	if fid < 0 {
		fid = p.intern(f)
	}
	k := childKey{parent, fid}
	if id, ok := p.children[k]; ok {
		return id
	}
	id := int32(len(p.nodes))
	p.nodes = append(p.nodes, ProfileNode{Frame: f, Parent: parent})
	p.nodes[parent].Children = append(p.nodes[parent].Children, id)
	p.children[k] = id
	return id
}

func (p *Profiler) intern(f ProfileFrame) int32 {
	if id, ok := p.frames[f]; ok {
		return id
	}
	id := int32(len(p.frames))
	p.frames[f] = id
	return id
}

var (
	programStack = []ProfileFrame{{Name: ProfileProgram, Line: -1, Col: -1}}
	idleStack    = []ProfileFrame{{Name: ProfileIdle, Line: -1, Col: -1}}
	gcStack      = []ProfileFrame{{Name: ProfileGC, Line: -1, Col: -1}}
)

func (p *Profiler) noteDelayLocked(now int64) {
	d := now - p.due.Load()
	p.delaySum += d
	p.delayMax = max(p.delayMax, d)
}

// look is the loop's look at the clock (loop goroutine): js tells
// whether JavaScript is running (a poll point, the return of a Go
// function called from it), otherwise the loop is between callbacks or
// in Go code, not waiting. A slot whose time has come is decided here:
// the ticker's snapshot if it came in the slot, else the stack walked
// now (JavaScript: kept for half an interval in case the ticker's
// snapshot follows, which places leaf functions better), else
// (program).
func (p *Profiler) look(now int64, js bool) {
	flag := p.vm.pendingFlag()
	req := atomic.LoadInt32(flag)&profRequest != 0
	if !req && now < p.due.Load() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if req {
		at, snap := p.reqAt.Load(), p.snap
		atomic.AndInt32(flag, ^int32(profRequest))
		if at >= p.due.Load() {
			p.ticked++
			switch {
			case snap.gc:
				p.recordLocked(gcStack, now)
			case js:
				p.noteDelayLocked(now)
				st := p.walk()
				p.recordLocked(p.backToTick(st, p.sfs, p.seqs, snap), now)
			default:
				// JavaScript ran at the tick and has returned since
				// without polling: its function alone.
				if f, ok := p.snapFrame(snap); ok {
					p.recordLocked([]ProfileFrame{f}, now)
				} else {
					p.recordLocked(programStack, now)
				}
			}
			return
		}
		p.dropped++
	}
	due := p.due.Load()
	if now < due {
		return
	}
	if js {
		if !p.hasProv {
			p.noteDelayLocked(now)
			p.prov = append(p.prov[:0], p.walk()...)
			p.provAt, p.hasProv = now, true
		}
		if now < due+p.lagUS {
			return
		}
	}
	if p.hasProv {
		p.recordLocked(p.prov, now)
		return
	}
	p.recordLocked(programStack, now)
}

// Check is a look at the clock outside JavaScript: the runtime calls it
// around the callbacks it runs (loop goroutine).
func (p *Profiler) Check() {
	p.look(p.wall(), false)
	p.lastCnt = p.counter()
}

// Wait tells the profiler the event loop starts (true) or stops (false)
// waiting for work (loop goroutine). The slots that go by while it
// waits are (idle), decided from these two times: the ticker's timing
// does not enter into it.
func (p *Profiler) Wait(waiting bool) {
	now := p.wall()
	if waiting {
		p.look(now, false)
		p.lastCnt = p.counter()
		if p.cpuClock {
			p.waitCPU.Store(processCPUTime()/1000 + p.baseUS)
		}
		p.waiting.Store(true)
		return
	}
	p.waiting.Store(false)
	if now < p.due.Load() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.idleUntilLocked(now)
		if p.cpuClock {
			p.cpuNext = processCPUTime()/1000 + p.baseUS
		}
	}
}

// idleUntilLocked records an (idle) sample for each slot up to now.
func (p *Profiler) idleUntilLocked(now int64) {
	for due := p.due.Load(); due <= now; due = p.due.Load() {
		p.recordLocked(idleStack, due)
	}
}

// profileInterrupt runs in the interrupt handler while a profile runs
// (loop goroutine).
func profileInterrupt(rt uintptr, flag *int32) {
	id := int32(lib.XJS_GetRuntimeOpaque(nil, rt))
	t := *vms.Load()
	if int(id) >= len(t) || t[id] == nil || t[id].prof == nil {
		atomic.StoreInt32(flag, 0)
		return
	}
	t[id].prof.poll()
}

// poll is the look at a poll point. It keeps a request when the stack
// is empty (a call from Go into JavaScript polls before it pushes the
// callee's frame) and looks again at the callee's first poll.
func (p *Profiler) poll() {
	vm := p.vm
	rt := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	if rt.Fcurrent_stack_frame == 0 && len(p.goCalls) == 0 {
		vm.ctxCounter(1)
		return
	}
	// The engine reset its counter to 10000 polls before calling the
	// handler.
	vm.ctxCounter(p.pollN)
	p.lastCnt = p.pollN
	p.look(p.wall(), true)
}

// walk reads the current stack, top first: each engine frame, with the
// Go functions called from it above it (loop goroutine). The result and
// p.sfs, p.seqs are reused by the next walk.
func (p *Profiler) walk() []ProfileFrame {
	rt := (*lib.TJSRuntime)(unsafe.Pointer(p.vm.rt))
	sf := rt.Fcurrent_stack_frame
	st, sfs, seqs := p.stack[:0], p.sfs[:0], p.seqs[:0]
	gi := len(p.goCalls) - 1
	for sf != 0 {
		for gi >= 0 && p.goCalls[gi].sf == sf {
			st, sfs, seqs = append(st, nativeFrame(p.goCalls[gi].name)), append(sfs, 0), append(seqs, p.goCalls[gi].seq)
			gi--
		}
		st, sfs, seqs = append(st, p.frameOf(sf)), append(sfs, sf), append(seqs, 0)
		sf = (*lib.TJSStackFrame)(unsafe.Pointer(sf)).Fprev_frame
	}
	for ; gi >= 0; gi-- {
		st, sfs, seqs = append(st, nativeFrame(p.goCalls[gi].name)), append(sfs, 0), append(seqs, p.goCalls[gi].seq)
	}
	p.stack, p.sfs, p.seqs = st, sfs, seqs
	return st
}

func nativeFrame(name string) ProfileFrame {
	return ProfileFrame{Name: name, Line: -1, Col: -1}
}

// frameOf describes the function of engine frame sf. (Not the line it
// runs: the engine saves a frame's pc before a call, not at the loop
// jumps where it polls, so that line would be a guess.)
func (p *Profiler) frameOf(sf uintptr) ProfileFrame {
	fv := (*lib.TJSStackFrame)(unsafe.Pointer(sf)).Fcur_func
	if fv.Ftag != tagObject {
		return nativeFrame("(native)")
	}
	obj := *(*uintptr)(unsafe.Pointer(&fv))
	o := (*lib.TJSObject)(unsafe.Pointer(obj))
	switch uint32(o.Fclass_id) {
	case lib.EJS_CLASS_BYTECODE_FUNCTION, lib.EJS_CLASS_GENERATOR_FUNCTION,
		lib.EJS_CLASS_ASYNC_FUNCTION, lib.EJS_CLASS_ASYNC_GENERATOR_FUNCTION:
		b := *(*uintptr)(unsafe.Pointer(obj + objOpaqueOffset))
		fb := (*lib.TJSFunctionBytecode)(unsafe.Pointer(b))
		fi, ok := p.funcs[b]
		if !ok || fi.name != fb.Ffunc_name || fi.file != fb.Fdebug.Ffilename || fi.fn != fb.Fbyte_code_buf {
			fi = funcInfo{name: fb.Ffunc_name, file: fb.Fdebug.Ffilename, fn: fb.Fbyte_code_buf}
			fi.frame = p.bytecodeFrame(fb)
			if fi.frame.Name == "" && fb.Ffunc_name == 0 {
				// A method or a class's function: the engine names the
				// object, not its bytecode.
				if n := p.nativeName(fv); n != "(native)" {
					fi.frame.Name = n
				}
			}
			p.funcs[b] = fi
		}
		return fi.frame
	case lib.EJS_CLASS_C_FUNCTION:
		cf := *(*uintptr)(unsafe.Pointer(obj + objOpaqueOffset + unsafe.Sizeof(uintptr(0))))
		fi, ok := p.funcs[obj]
		if !ok || fi.fn != cf {
			fi = funcInfo{fn: cf, frame: nativeFrame(p.nativeName(fv))}
			p.funcs[obj] = fi
		}
		return fi.frame
	}
	return nativeFrame("(native)")
}

func (p *Profiler) bytecodeFrame(fb *lib.TJSFunctionBytecode) ProfileFrame {
	vm := p.vm
	name := vm.atomString(fb.Ffunc_name)
	if name == "<eval>" {
		name = ""
	}
	f := ProfileFrame{Name: name, URL: vm.atomString(fb.Fdebug.Ffilename), Line: -1, Col: -1}
	if hasDebug(fb) && fb.Fdebug.Fpc2line_buf != 0 {
		buf := unsafe.Slice((*byte)(unsafe.Pointer(fb.Fdebug.Fpc2line_buf)), fb.Fdebug.Fpc2line_len)
		if l, n := uleb(buf); n > 0 {
			if c, m := uleb(buf[n:]); m > 0 {
				f.Line, f.Col = int32(l), int32(c)
			}
		}
	}
	return f
}

func hasDebug(fb *lib.TJSFunctionBytecode) bool { return fb.F__ccgo18&0x4 != 0 }

func uleb(b []byte) (uint32, int) {
	var v uint32
	for i := 0; i < 5 && i < len(b); i++ {
		v |= uint32(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// atomString is the text of an atom ("" for the null atom).
func (vm *VM) atomString(a lib.TJSAtom) string {
	if a == 0 {
		return ""
	}
	s := lib.XJS_AtomToCStringLen(vm.tls, vm.ctx, 0, a)
	if s == 0 {
		return ""
	}
	defer lib.XJS_FreeCString(vm.tls, vm.ctx, s)
	return libc.GoString(s)
}

// nativeName reads a built-in's own name property without running any
// JavaScript (an accessor is not called).
func (p *Profiler) nativeName(fv lib.TJSValue) string {
	vm := p.vm
	size := int(unsafe.Sizeof(lib.TJSPropertyDescriptor{}))
	d := vm.tls.Alloc(size)
	defer vm.tls.Free(size)
	if lib.XJS_GetOwnProperty(vm.tls, vm.ctx, d, fv, lib.EJS_ATOM_name) != 1 {
		if ex := lib.XJS_GetException(vm.tls, vm.ctx); ex.Ftag != lib.EJS_TAG_NULL {
			lib.XFreeValue(vm.tls, vm.ctx, ex)
		}
		return "(native)"
	}
	desc := (*lib.TJSPropertyDescriptor)(unsafe.Pointer(d))
	name := "(native)"
	if v := desc.Fvalue; v.Ftag == tagString {
		name = vm.Str(Value{v})
	}
	lib.XFreeValue(vm.tls, vm.ctx, desc.Fvalue)
	lib.XFreeValue(vm.tls, vm.ctx, desc.Fgetter)
	lib.XFreeValue(vm.tls, vm.ctx, desc.Fsetter)
	return name
}

// enterGo and leaveGo bracket a Go function called from JavaScript while
// a profile runs; leaveGo takes a pending sample with the function on
// top, then forgets it.
func (p *Profiler) enterGo(name string) int {
	rt := (*lib.TJSRuntime)(unsafe.Pointer(p.vm.rt))
	// A look before: a slot that went by in the JavaScript before the
	// call is not the Go function's. Skipped when the engine polled at
	// most twice since the loop's last look (this call's own poll and
	// one more: straight-line code, a few bytecodes since the last Go
	// call returned) and no tick is unanswered: a clock read is ~20 ns
	// here, and two per Go call cost 10% of a loop calling Go 2.4
	// million times a second.
	if c := p.counter(); p.lastCnt-c > 2 || p.ticks.Load() != p.seenTick || atomic.LoadInt32(p.vm.pendingFlag())&profRequest != 0 {
		p.look(p.wall(), rt.Fcurrent_stack_frame != 0 || len(p.goCalls) > 0)
		p.lastCnt = c
	}
	p.goNext++
	p.goCalls = append(p.goCalls, goCall{sf: rt.Fcurrent_stack_frame, name: name, seq: p.goNext})
	p.goSeq.Store(p.goNext)
	return len(p.goCalls) - 1
}

// counter is the engine's interrupt counter, which counts its polls
// down.
func (p *Profiler) counter() int32 {
	return atomic.LoadInt32(&(*lib.TJSContext)(unsafe.Pointer(p.vm.ctx)).Finterrupt_counter)
}

func (p *Profiler) leaveGo(depth int) {
	if depth < len(p.goCalls) {
		// A look at the clock with the function still on top: a slot
		// that went by while it ran is its.
		p.look(p.wall(), true)
		p.lastCnt = p.counter()
		p.goCalls = p.goCalls[:depth]
		if depth > 0 {
			p.goSeq.Store(p.goCalls[depth-1].seq)
		} else {
			p.goSeq.Store(0)
		}
	}
}

// Stop ends sampling and returns what was recorded. Safe from any
// goroutine, and more than once (later calls return the same data). The
// slots since the loop last looked are (idle) if it waits (a server
// stopped by a signal), else the stack it walked for them or (program).
func (p *Profiler) Stop() *Profile {
	p.mu.Lock()
	if !p.stopped {
		now := p.wall()
		switch {
		case p.waiting.Load():
			p.idleUntilLocked(now)
		case p.due.Load() <= now && p.hasProv:
			p.recordLocked(p.prov, now)
		case p.due.Load() <= now:
			p.recordLocked(programStack, now)
		}
		p.stopped = true
		p.end = p.now()
		close(p.stop)
		if p.timer != nil {
			p.timer.close()
		}
	}
	p.mu.Unlock()
	<-p.done
	return p.Profile()
}

// Profile is a copy of what was recorded so far, samples in time order.
func (p *Profiler) Profile() *Profile {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := &Profile{Start: p.start, End: p.end, Missed: p.missed, Dropped: p.dropped, Ticked: p.ticked, DelaySum: p.delaySum, DelayMax: p.delayMax}
	if !p.stopped {
		out.End = p.now()
	}
	out.Nodes = make([]ProfileNode, len(p.nodes))
	for i, n := range p.nodes {
		n.Children = append([]int32(nil), n.Children...)
		out.Nodes[i] = n
	}
	idx := make([]int, len(p.samples))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p.times[idx[a]] < p.times[idx[b]] })
	out.Samples = make([]int32, len(idx))
	out.Times = make([]int64, len(idx))
	for i, j := range idx {
		out.Samples[i], out.Times[i] = p.samples[j], p.times[j]
	}
	return out
}

// StopProfile stops the VM's profiler, if any, and detaches it (the VM's
// goroutine only).
func (vm *VM) StopProfile() *Profile {
	p := vm.prof
	if p == nil {
		return nil
	}
	vm.prof = nil
	atomic.StoreInt32(vm.pendingFlag(), 0)
	return p.Stop()
}

// snapshot reads the top of the running stack for tickSnap (ticker
// goroutine; racy by design, see tickSnap).
func (p *Profiler) snapshot(rt *lib.TJSRuntime) (s tickSnap) {
	defer func() {
		if recover() != nil {
			s = tickSnap{}
		}
	}()
	s.goSeq = p.goSeq.Load()
	s.top = atomic.LoadUintptr(&rt.Fcurrent_stack_frame)
	if s.top == 0 {
		return s
	}
	f := (*lib.TJSStackFrame)(unsafe.Pointer(s.top))
	s.prev = f.Fprev_frame
	fv := f.Fcur_func
	if fv.Ftag != tagObject {
		return s
	}
	s.fn = *(*uintptr)(unsafe.Pointer(&fv))
	s.class = uint32((*lib.TJSObject)(unsafe.Pointer(s.fn)).Fclass_id)
	switch s.class {
	case lib.EJS_CLASS_BYTECODE_FUNCTION, lib.EJS_CLASS_GENERATOR_FUNCTION,
		lib.EJS_CLASS_ASYNC_FUNCTION, lib.EJS_CLASS_ASYNC_GENERATOR_FUNCTION:
		s.code = *(*uintptr)(unsafe.Pointer(s.fn + objOpaqueOffset))
	case lib.EJS_CLASS_C_FUNCTION:
		s.code = *(*uintptr)(unsafe.Pointer(s.fn + objOpaqueOffset + unsafe.Sizeof(uintptr(0))))
	}
	return s
}

// backToTick cuts the stack walked at the poll point (top first, with
// each entry's engine frame or Go call sequence) back to what ran at the
// tick (see tickSnap). Without a usable snapshot it is left as walked.
func (p *Profiler) backToTick(st []ProfileFrame, sfs []uintptr, seqs []uint64, snap tickSnap) []ProfileFrame {
	if snap.top == 0 {
		return st
	}
	// keepAbove is the first entry to keep above entry i: the Go calls
	// made from its frame before the tick.
	keepAbove := func(i int) int {
		j := i
		for j > 0 && sfs[j-1] == 0 && seqs[j-1] != 0 && seqs[j-1] <= snap.goSeq {
			j--
		}
		return j
	}
	for i, sf := range sfs {
		if sf == snap.top {
			// The same frame, unless the tick's frame returned and a
			// call without a poll reused its place.
			fv := (*lib.TJSStackFrame)(unsafe.Pointer(sf)).Fcur_func
			if snap.fn == 0 || (fv.Ftag == tagObject && *(*uintptr)(unsafe.Pointer(&fv)) == snap.fn) {
				return st[keepAbove(i):]
			}
			break
		}
	}
	// The top frame has returned: put its function back on top of its
	// caller's frame, when that is still there.
	i := len(sfs)
	if snap.prev != 0 {
		i = slices.Index(sfs, snap.prev)
		if i < 0 {
			return st
		}
	}
	f, ok := p.snapFrame(snap)
	if !ok {
		return st
	}
	j := keepAbove(i)
	if j == 0 {
		st = append(st, ProfileFrame{})
		copy(st[1:], st)
		st[0] = f
		return st
	}
	st[j-1] = f
	return st[j-1:]
}

// snapFrame names the function of a snapshot whose frame has gone,
// after checking the engine still holds a function there: a bytecode
// object of the engine's type with live atoms for its names, or a C
// function object with the same C function (loop goroutine).
func (p *Profiler) snapFrame(s tickSnap) (f ProfileFrame, ok bool) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if recover() != nil {
			f, ok = ProfileFrame{}, false
		}
	}()
	switch s.class {
	case lib.EJS_CLASS_BYTECODE_FUNCTION, lib.EJS_CLASS_GENERATOR_FUNCTION,
		lib.EJS_CLASS_ASYNC_FUNCTION, lib.EJS_CLASS_ASYNC_GENERATOR_FUNCTION:
		if s.code == 0 || gcType(s.code) != lib.EJS_GC_OBJ_TYPE_FUNCTION_BYTECODE {
			return f, false
		}
		fb := (*lib.TJSFunctionBytecode)(unsafe.Pointer(s.code))
		if fi, ok := p.funcs[s.code]; ok && fi.name == fb.Ffunc_name && fi.file == fb.Fdebug.Ffilename && fi.fn == fb.Fbyte_code_buf {
			return fi.frame, true
		}
		if !p.liveAtom(fb.Ffunc_name) || !p.liveAtom(fb.Fdebug.Ffilename) {
			return f, false
		}
		// Not cached: a function that never reached a poll point. Its
		// object may be gone, so an unnamed one stays unnamed.
		fi := funcInfo{name: fb.Ffunc_name, file: fb.Fdebug.Ffilename, fn: fb.Fbyte_code_buf, frame: p.bytecodeFrame(fb)}
		p.funcs[s.code] = fi
		return fi.frame, true
	case lib.EJS_CLASS_C_FUNCTION:
		if s.fn == 0 || gcType(s.fn) != lib.EJS_GC_OBJ_TYPE_JS_OBJECT {
			return f, false
		}
		o := (*lib.TJSObject)(unsafe.Pointer(s.fn))
		if uint32(o.Fclass_id) != lib.EJS_CLASS_C_FUNCTION || *(*uintptr)(unsafe.Pointer(s.fn + objOpaqueOffset + unsafe.Sizeof(uintptr(0)))) != s.code {
			return f, false
		}
		if fi, ok := p.funcs[s.fn]; ok && fi.fn == s.code {
			return fi.frame, true
		}
		fv := lib.TJSValue{Ftag: tagObject}
		*(*uintptr)(unsafe.Pointer(&fv)) = s.fn
		fi := funcInfo{fn: s.code, frame: nativeFrame(p.nativeName(fv))}
		p.funcs[s.fn] = fi
		return fi.frame, true
	}
	return f, false
}

// liveAtom tells whether atom names a live entry of the atom table.
func (p *Profiler) liveAtom(a lib.TJSAtom) bool {
	if a == 0 {
		return true
	}
	rt := (*lib.TJSRuntime)(unsafe.Pointer(p.vm.rt))
	if a&(1<<31) != 0 || int64(a) >= int64(rt.Fatom_size) {
		return false
	}
	e := *(*uintptr)(unsafe.Pointer(rt.Fatom_array + uintptr(a)*unsafe.Sizeof(uintptr(0))))
	return e != 0 && e&1 == 0
}
