// Package qjs is gnode's binding layer over the QuickJS C API transpiled to Go
// (modernc.org/libquickjs). It exposes values with explicit ownership, Go
// functions and host classes callable from JavaScript through integer handles
// (never Go pointers stored in engine memory), zero-copy views of
// ArrayBuffers, exceptions in both directions, ES module loader hooks,
// pending jobs, interrupts, memory accounting and bytecode serialization.
//
// A VM is one QuickJS runtime with one context. It is not safe for
// concurrent use: only the goroutine that runs the event loop may touch it,
// except Interrupt, which any goroutine may call.
//
// Ownership: every Value returned by a VM method is owned by the caller and
// must be released with VM.Free, unless the method says it borrows. Values
// passed to a Func as this and args are borrowed for the call. Methods whose
// names say Take (SetTake, ...) consume the value passed in.
package qjs

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// ErrLeak is returned by Close when JavaScript objects were still alive after
// the context was freed: a Dup without its Free somewhere.
var ErrLeak = errors.New("qjs: leaked javascript objects at close")

// Options configure a VM.
type Options struct {
	// MemoryLimit caps the engine's heap in bytes; 0 means no limit.
	MemoryLimit int
	// MaxStackSlots caps the JS call depth (see libquickjs.MaxStackSlots);
	// 0 keeps the default.
	MaxStackSlots int
}

// VM is a QuickJS runtime and its single context.
type VM struct {
	tls   *libc.TLS
	rt    uintptr
	ctx   uintptr
	id    int32
	arena uintptr // *arena for the engine's small blocks, 0 where arenas are off

	funcs     []funcEntry
	freeFuncs []int32

	objs     []any // host-class opaque objects, by handle
	freeObjs []int32
	classes  map[string]*Class

	pinned   map[int32]lib.TJSValue
	pinSeq   int32
	atoms    map[string]lib.TJSAtom
	intr     uintptr // C int32 flag read by the interrupt handler
	loader   ModuleLoader
	rejTrack func(promise, reason Value, handled bool)
	buffers  []any // Go byte slices backing ArrayBuffers, by handle
	freeBufs []int32

	// ErrorValue converts a Go error returned by a Func into the JS value
	// thrown. nil means new Error(err.Error()).
	ErrorValue func(vm *VM, err error) Value

	tmp    []Value
	closed bool
	shapes []uintptr // object shapes held by ShapeOf, released at Close

	// The cycle collector's policy (gcpolicy.go): the threshold RetuneGC
	// last wrote, so a collection shows as a different one.
	gcPolicy  GCPolicy
	gcOff     bool
	gcSet     libc.Tsize_t
	gcRetunes int
	gen       tenure // gcgen.go

	prof *Profiler // profile.go; nil unless a profile runs
}

var (
	vmsMu sync.Mutex
	vms   atomic.Pointer[[]*VM] // copy-on-write table indexed by VM id
)

func lookupVM(ctx uintptr) *VM {
	id := int32(lib.XJS_GetContextOpaque(nil, ctx))
	t := *vms.Load()
	return t[id]
}

func registerVM(vm *VM) {
	vmsMu.Lock()
	defer vmsMu.Unlock()
	var old []*VM
	if p := vms.Load(); p != nil {
		old = *p
	}
	t := make([]*VM, len(old), len(old)+1)
	copy(t, old)
	for i, v := range t {
		if v == nil {
			t[i] = vm
			vm.id = int32(i)
			vms.Store(&t)
			return
		}
	}
	vm.id = int32(len(t))
	t = append(t, vm)
	vms.Store(&t)
}

func unregisterVM(vm *VM) {
	vmsMu.Lock()
	defer vmsMu.Unlock()
	old := *vms.Load()
	t := make([]*VM, len(old))
	copy(t, old)
	t[vm.id] = nil
	vms.Store(&t)
}

func init() {
	empty := []*VM{}
	vms.Store(&empty)
}

// New creates a VM.
func New(opts Options) (*VM, error) {
	tls := libc.NewTLS()
	var ar uintptr
	if arenas {
		if ar = newArena(tls); ar == 0 {
			tls.Close()
			return nil, errors.New("qjs: cannot create a runtime: out of memory")
		}
	}
	rt := lib.XJS_NewRuntime2(tls, uintptr(unsafe.Pointer(&mallocFuncs)), ar)
	if rt == 0 {
		if ar != 0 {
			arenaAt(ar).destroy(tls)
		}
		tls.Close()
		return nil, errors.New("qjs: cannot create a runtime: out of memory")
	}
	slots := opts.MaxStackSlots
	if slots == 0 {
		slots = lib.MaxStackSlots
	}
	lib.XJS_SetMaxStackSize(tls, rt, libc.Tsize_t(slots))
	if opts.MemoryLimit > 0 {
		lib.XJS_SetMemoryLimit(tls, rt, libc.Tsize_t(opts.MemoryLimit))
	}
	ctx := lib.XJS_NewContext(tls, rt)
	if ctx == 0 {
		lib.XJS_FreeRuntime(tls, rt)
		if ar != 0 {
			arenaAt(ar).destroy(tls)
		}
		tls.Close()
		return nil, errors.New("qjs: cannot create a context: out of memory")
	}
	vm := &VM{
		tls:     tls,
		rt:      rt,
		ctx:     ctx,
		arena:   ar,
		classes: map[string]*Class{},
		pinned:  map[int32]lib.TJSValue{},
		atoms:   map[string]lib.TJSAtom{},
	}
	vm.funcs = append(vm.funcs, funcEntry{}) // handle 0 is never valid
	vm.objs = append(vm.objs, nil)
	vm.buffers = append(vm.buffers, nil)
	registerVM(vm)
	lib.XJS_SetContextOpaque(tls, ctx, uintptr(vm.id))
	lib.XJS_SetRuntimeOpaque(tls, rt, uintptr(vm.id))
	vm.intr = libc.Xcalloc(tls, 1, 8)
	lib.XJS_SetInterruptHandler(tls, rt, fp(interruptHandler), vm.intr)
	lib.XJS_SetHostPromiseRejectionTracker(tls, rt, fp(rejectionTracker), uintptr(vm.id))
	if err := vm.initFuncClass(); err != nil {
		vm.Close()
		return nil, err
	}
	vm.installObjectKeys() // objkeys.go
	vm.tenureInit()
	vm.SetGCPolicy(DefaultGCPolicy)
	vm.gcSet = (*lib.TJSRuntime)(unsafe.Pointer(rt)).Fmalloc_gc_threshold
	return vm, nil
}

// Close frees the context and the runtime. It returns ErrLeak (wrapped with
// the count) when objects outlived the context; the runtime's memory is then
// deliberately not freed, because QuickJS would abort the process.
func (vm *VM) Close() error {
	if vm.closed {
		return nil
	}
	vm.closed = true
	vm.StopProfile()
	tls := vm.tls
	for _, v := range vm.pinned {
		lib.XFreeValue(tls, vm.ctx, v)
	}
	vm.pinned = nil
	for _, sh := range vm.shapes {
		jsFreeShape(tls, vm.rt, sh)
	}
	vm.shapes = nil
	for _, a := range vm.atoms {
		lib.XJS_FreeAtom(tls, vm.ctx, a)
	}
	vm.atoms = nil
	vm.loader = nil
	lib.XJS_SetModuleLoaderFunc2(tls, vm.rt, 0, 0, 0, 0)
	vm.untenure()
	lib.XJS_FreeContext(tls, vm.ctx)
	lib.XJS_RunGC(tls, vm.rt)
	mu := vm.memoryUsage()
	var err error
	if mu.Fobj_count != 0 {
		err = fmt.Errorf("%w: %d objects still alive", ErrLeak, mu.Fobj_count)
	} else {
		lib.XJS_FreeRuntime(tls, vm.rt)
		if vm.arena != 0 {
			if held := arenaAt(vm.arena).destroy(tls); held != 0 {
				err = fmt.Errorf("%w: %d slabs of engine memory still held after the runtime was freed", ErrLeak, held)
			}
		}
	}
	libc.Xfree(tls, vm.intr)
	if vm.gen.old != 0 {
		libc.Xfree(tls, vm.gen.old)
	}
	unregisterVM(vm)
	tls.Close()
	vm.funcs, vm.objs, vm.buffers = nil, nil, nil
	return err
}

// The engine's memory comes from modernc.org/libc's allocator, except for
// big blocks: that allocator rounds a big request up to a power of two and,
// when it is freed, keeps the region committed for reuse (a 9 MB module
// source string freed after compiling stayed resident as a 16 MB region,
// and so did each step of a growing buffer). Blocks of bigBlockMin bytes
// or more are mapped from the OS directly and unmapped when freed.
//
// A big block is a mapping aligned to bigAlign whose first 16 bytes hold
// its length; the block starts after them. libc's allocator never returns
// an address 16 bytes past a bigAlign boundary (its 64 KiB pages start
// with a 32-byte header and its slots are 16-byte aligned after it), so
// the address alone says which allocator owns a block.
const (
	bigBlockMin = 128 << 10
	bigAlign    = 64 << 10
	bigHeader   = 16
	osPage      = 4096
	// mallocOverhead is what QuickJS's default allocator adds per block
	// to its accounting (MALLOC_OVERHEAD); kept so GC thresholds match.
	mallocOverhead = 8
)

// bigBlocks is on for Linux only, where the address test above is known
// to hold for libc's default allocator (modernc.org/memory; the
// libc.membrk and libc.memgrind build tags replace it) and libc's mmap is
// real (on Windows it is a stub): elsewhere every block comes from libc.
var bigBlocks = goruntime.GOOS == "linux"

// arenas gives each new VM its own allocator for small blocks (alloc.go)
// where big blocks are on: it relies on the same address test and on
// libc's mmap. A VM without an arena (opaque word 0) takes its small
// blocks from libc; the two kinds can live side by side.
var arenas = bigBlocks

var mallocFuncs lib.TJSMallocFunctions

func init() {
	mallocFuncs.Fjs_malloc = fp(jsMalloc)
	mallocFuncs.Fjs_free = fp(jsFree)
	mallocFuncs.Fjs_realloc = fp(jsRealloc)
	mallocFuncs.Fjs_malloc_usable_size = fp(jsUsableSize)
}

// isBig reports whether p is a big block. Where big blocks are off, every
// block is libc's, whatever its address.
func isBig(p uintptr) bool { return bigBlocks && p&(bigAlign-1) == bigHeader }

// bigLen is the length of the mapping holding big block p.
func bigLen(p uintptr) uintptr { return *(*uintptr)(unsafe.Pointer(p - bigHeader)) }

func setBigLen(p, n uintptr) { *(*uintptr)(unsafe.Pointer(p - bigHeader)) = n }

// Freed big blocks of up to bigKeepMax bytes are kept, bigKeepTotal bytes
// at most, for the next big request that fits: a program converting
// megabyte buffers to strings frees and maps the same sizes over and over,
// and a fresh mapping costs a page fault per 4 KiB (about 25% of
// Buffer.toString('hex'/'base64') of 1 MiB). Bigger blocks (a module's
// source text) still go back to the OS at once.
const (
	bigKeepMax   = 4 << 20
	bigKeepTotal = 8 << 20
)

var bigKept struct {
	sync.Mutex
	blocks []uintptr // big block pointers (bigLen holds each mapping's length)
	total  uintptr
}

// takeKept returns a kept block whose mapping holds n bytes and is less
// than twice that, or 0.
func takeKept(n uintptr) uintptr {
	bigKept.Lock()
	defer bigKept.Unlock()
	best := -1
	for i, p := range bigKept.blocks {
		if l := bigLen(p); l >= n && l < 2*n && (best < 0 || l < bigLen(bigKept.blocks[best])) {
			best = i
		}
	}
	if best < 0 {
		return 0
	}
	p := bigKept.blocks[best]
	bigKept.blocks = append(bigKept.blocks[:best], bigKept.blocks[best+1:]...)
	bigKept.total -= bigLen(p)
	return p
}

// keep holds freed big block p for reuse when it is small enough and the
// kept total allows; it reports whether it did.
func keep(p uintptr) bool {
	l := bigLen(p)
	if l > bigKeepMax {
		return false
	}
	bigKept.Lock()
	defer bigKept.Unlock()
	if bigKept.total+l > bigKeepTotal {
		return false
	}
	bigKept.blocks = append(bigKept.blocks, p)
	bigKept.total += l
	return true
}

// mapBig maps a big block of at least size usable bytes, or returns 0.
func mapBig(tls *libc.TLS, size uintptr) uintptr {
	n := (size + bigHeader + osPage - 1) &^ (osPage - 1)
	if p := takeKept(n); p != 0 {
		return p
	}
	base := mapAligned(tls, n)
	if base == 0 {
		return 0
	}
	p := base + bigHeader
	setBigLen(p, n)
	return p
}

// mapAligned maps n bytes (a multiple of osPage) at a bigAlign boundary,
// or returns 0: it over-maps by the alignment, then unmaps the slack at
// both ends.
func mapAligned(tls *libc.TLS, n uintptr) uintptr {
	m := libc.Xmmap(tls, 0, libc.Tsize_t(n+bigAlign), 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0)
	if m == ^uintptr(0) || m == 0 {
		return 0
	}
	base := (m + bigAlign - 1) &^ (bigAlign - 1)
	if base > m {
		libc.Xmunmap(tls, m, libc.Tsize_t(base-m))
	}
	if end, mend := base+n, m+n+bigAlign; mend > end {
		libc.Xmunmap(tls, end, libc.Tsize_t(mend-end))
	}
	return base
}

// growBig grows big block p to hold size bytes without copying it: in
// place when the addresses after its mapping are free, else by moving its
// pages (mremap) to the start of a new aligned mapping. A copy would hold
// the old and the new block at once, the peak of a growing buffer (the
// parser's, compiling a big module). It returns 0 when neither works.
func growBig(tls *libc.TLS, p, size uintptr) uintptr {
	base, oldLen := p-bigHeader, bigLen(p)
	n := (size + bigHeader + osPage - 1) &^ (osPage - 1)
	if r := mremap(base, oldLen, n, 0, 0); r == base {
		setBigLen(p, n)
		return p
	}
	nb := mapAligned(tls, n)
	if nb == 0 {
		return 0
	}
	if r := mremap(base, oldLen, oldLen, mremapMaymove|mremapFixed, nb); r != nb {
		libc.Xmunmap(tls, nb, libc.Tsize_t(n))
		return 0
	}
	q := nb + bigHeader
	setBigLen(q, n)
	return q
}

// shrinkBig gives the pages of big block p past size bytes back to the OS.
func shrinkBig(tls *libc.TLS, p, size uintptr) {
	n := (size + bigHeader + osPage - 1) &^ (osPage - 1)
	if l := bigLen(p); n < l {
		libc.Xmunmap(tls, p-bigHeader+n, libc.Tsize_t(l-n))
		setBigLen(p, n)
	}
}

func unmapBig(tls *libc.TLS, p uintptr) {
	if keep(p) {
		return
	}
	libc.Xmunmap(tls, p-bigHeader, libc.Tsize_t(bigLen(p)))
}

func jsUsableSize(tls *libc.TLS, p uintptr) libc.Tsize_t {
	if p == 0 {
		return 0
	}
	if isBig(p) {
		return libc.Tsize_t(bigLen(p) - bigHeader)
	}
	if sl := slabOwned(p); sl != nil {
		return libc.Tsize_t(sl.size)
	}
	return libc.Xmalloc_usable_size(tls, p)
}

// account adds delta bytes and dn blocks to the runtime's malloc state,
// as QuickJS's default allocator does.
func account(s uintptr, delta int64, dn int64) {
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	st.Fmalloc_size = libc.Tsize_t(int64(st.Fmalloc_size) + delta)
	st.Fmalloc_count = libc.Tsize_t(int64(st.Fmalloc_count) + dn)
}

// arenaOf is the arena of the runtime whose malloc state is s (its
// opaque word, set by New), or nil.
func arenaOf(s uintptr) *arena {
	return arenaAt((*lib.TJSMallocState)(unsafe.Pointer(s)).Fopaque)
}

// slabOwned returns the arena slab holding p, or nil for libc's and big
// blocks. Only where the address test holds (bigBlocks) can an arena
// block exist.
func slabOwned(p uintptr) *slab {
	if !bigBlocks || isBig(p) {
		return nil
	}
	return ownSlab(p)
}

// Who serves a request of a given size: the VM's arena, a mapping of its
// own, or libc (the sizes between, and every size where arenas are off).
const (
	fromLibc = iota
	fromArena
	fromBig
)

func servedBy(a *arena, size libc.Tsize_t) int {
	switch {
	case a != nil && size <= smallMax:
		return fromArena
	case bigBlocks && size >= bigBlockMin:
		return fromBig
	}
	return fromLibc
}

// alloc returns a block of at least size bytes without accounting it.
func alloc(tls *libc.TLS, s uintptr, size libc.Tsize_t) uintptr {
	a := arenaOf(s)
	switch servedBy(a, size) {
	case fromArena:
		if size == 0 {
			size = 1
		}
		return a.alloc(tls, uintptr(size))
	case fromBig:
		return mapBig(tls, uintptr(size))
	}
	return libc.Xmalloc(tls, size)
}

// freeSlot frees arena block p (in slab sl) for the runtime whose malloc
// state is s; a runtime without an arena hands it to the block's own.
func freeSlot(tls *libc.TLS, s uintptr, sl *slab, p uintptr) {
	if a := arenaOf(s); a != nil {
		a.free(tls, sl, p)
		return
	}
	arenaAt(sl.arena).pushRemote(p)
}

// release frees block p without accounting it.
func release(tls *libc.TLS, s uintptr, p uintptr) {
	if isBig(p) {
		unmapBig(tls, p)
		return
	}
	if sl := slabOwned(p); sl != nil {
		freeSlot(tls, s, sl, p)
		return
	}
	libc.Xfree(tls, p)
}

func jsMalloc(tls *libc.TLS, s uintptr, size libc.Tsize_t) uintptr {
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	if st.Fmalloc_size+size > st.Fmalloc_limit {
		return 0
	}
	p := alloc(tls, s, size)
	if p == 0 {
		return 0
	}
	account(s, int64(jsUsableSize(tls, p))+mallocOverhead, 1)
	return p
}

func jsFree(tls *libc.TLS, s uintptr, p uintptr) {
	if p == 0 {
		return
	}
	if sl := slabOwned(p); sl != nil {
		account(s, -int64(sl.size)-mallocOverhead, -1)
		freeSlot(tls, s, sl, p)
		return
	}
	account(s, -int64(jsUsableSize(tls, p))-mallocOverhead, -1)
	release(tls, s, p)
}

func jsRealloc(tls *libc.TLS, s uintptr, p uintptr, size libc.Tsize_t) uintptr {
	if p == 0 {
		if size == 0 {
			return 0
		}
		return jsMalloc(tls, s, size)
	}
	old := jsUsableSize(tls, p)
	if size == 0 {
		jsFree(tls, s, p)
		return 0
	}
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	if st.Fmalloc_size+size-old > st.Fmalloc_limit {
		return 0
	}
	big := isBig(p)
	var q uintptr
	switch {
	case size <= old && !big && (size > old/2 || old <= 32):
		return p // fits the slot (or libc block) it is in and uses more than half of it
	case big && size <= old && size >= bigBlockMin/2:
		shrinkBig(tls, p, uintptr(size))
		q = p
	case big && size > old:
		if q = growBig(tls, p, uintptr(size)); q == 0 {
			q = move(tls, s, p, old, size)
		}
	case !big && servedBy(arenaOf(s), size) == fromLibc && slabOwned(p) == nil:
		q = libc.Xrealloc(tls, p, size)
	default:
		// Between allocators, or between size classes of the arena.
		q = move(tls, s, p, old, size)
	}
	if q == 0 {
		return 0
	}
	account(s, int64(jsUsableSize(tls, q))-int64(old), 0)
	return q
}

// move copies block p (old usable bytes) into a new block of size bytes
// and frees p; 0 (p untouched) when there is no memory.
func move(tls *libc.TLS, s, p uintptr, old, size libc.Tsize_t) uintptr {
	q := alloc(tls, s, size)
	if q == 0 {
		return 0
	}
	n := min(old, size)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(q)), n), unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
	release(tls, s, p)
	return q
}

// MemoryUsage is a summary of JS_ComputeMemoryUsage.
type MemoryUsage struct {
	MallocSize, MallocLimit, MemoryUsed int64
	Objects, Strings, Atoms, Functions  int64
	Arrays, BinaryObjects               int64
}

func (vm *VM) memoryUsage() lib.TJSMemoryUsage {
	p := vm.tls.Alloc(int(unsafe.Sizeof(lib.TJSMemoryUsage{})))
	defer vm.tls.Free(int(unsafe.Sizeof(lib.TJSMemoryUsage{})))
	vm.withOldListed(func() { lib.XJS_ComputeMemoryUsage(vm.tls, vm.rt, p) })
	return *(*lib.TJSMemoryUsage)(unsafe.Pointer(p))
}

// MemoryUsage reports the engine's heap statistics.
func (vm *VM) MemoryUsage() MemoryUsage {
	m := vm.memoryUsage()
	return MemoryUsage{
		MallocSize: m.Fmalloc_size, MallocLimit: m.Fmalloc_limit, MemoryUsed: m.Fmemory_used_size,
		Objects: m.Fobj_count, Strings: m.Fstr_count, Atoms: m.Fatom_count, Functions: m.Fjs_func_count,
		Arrays: m.Farray_count, BinaryObjects: m.Fbinary_object_count,
	}
}

// RunGC runs the cycle collector.
func (vm *VM) RunGC() {
	vm.untenure()
	lib.XJS_RunGC(vm.tls, vm.rt)
	vm.gen.full = false
	vm.gen.lastFull = uint64((*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_ctx.Fmalloc_state.Fmalloc_size)
}

// SetMemoryLimit caps the heap in bytes (0: none).
func (vm *VM) SetMemoryLimit(n int) {
	if n <= 0 {
		n = -1
	}
	lib.XJS_SetMemoryLimit(vm.tls, vm.rt, libc.Tsize_t(n))
}

// Interrupt asks running JavaScript to stop with an uncatchable
// "interrupted" error. Safe from any goroutine; cleared by ClearInterrupt.
func (vm *VM) Interrupt() {
	atomic.StoreInt32((*int32)(unsafe.Pointer(vm.intr)), 1)
}

// ClearInterrupt lets JavaScript run again after Interrupt.
func (vm *VM) ClearInterrupt() {
	atomic.StoreInt32((*int32)(unsafe.Pointer(vm.intr)), 0)
}

func interruptHandler(tls *libc.TLS, rt, opaque uintptr) int32 {
	// The second word is a profiler's sample request (profile.go).
	if f := (*int32)(unsafe.Pointer(opaque + 4)); atomic.LoadInt32(f) != 0 {
		profileInterrupt(rt, f)
	}
	return atomic.LoadInt32((*int32)(unsafe.Pointer(opaque)))
}

// fp turns a top-level Go function into the function pointer the
// transpiled C code calls.
func fp(f any) uintptr {
	type iface [2]uintptr
	return (*iface)(unsafe.Pointer(&f))[1]
}

// cstring copies s into C memory on the TLS stack; release with the
// returned size via tls.Free in reverse order. NUL-terminated.
func (vm *VM) cstring(s string) (uintptr, int) {
	n := len(s) + 1
	p := vm.tls.Alloc(n)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), n), s)
	*(*byte)(unsafe.Pointer(p + uintptr(len(s)))) = 0
	return p, n
}

// cmalloc copies s into malloc'ed C memory (for large inputs).
func cmalloc(tls *libc.TLS, s string) uintptr {
	p := libc.Xmalloc(tls, libc.Tsize_t(len(s)+1))
	if p == 0 {
		return 0
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), len(s)), s)
	*(*byte)(unsafe.Pointer(p + uintptr(len(s)))) = 0
	return p
}

// SetStripSource makes functions compiled from now on keep no copy of
// their source text (Function.prototype.toString then returns a
// "[native code]" body). QuickJS keeps each function's text, so a big
// bundle's text is stored again at every nesting level; gnode strips it
// for very large files only.
func (vm *VM) SetStripSource(on bool) {
	flags := lib.XJS_GetStripInfo(vm.tls, vm.rt) &^ lib.MJS_STRIP_SOURCE
	if on {
		flags |= lib.MJS_STRIP_SOURCE
	}
	lib.XJS_SetStripInfo(vm.tls, vm.rt, flags)
}
