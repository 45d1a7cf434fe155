package qjs

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// A pageHeap is the allocator of a throwaway compile runtime
// (CompileIsolated). Compiling a big script is a burst: the parser holds
// a definition of every function of the file at once (typescript's 9 MB
// compiler: 21k definitions of 568 bytes, 9 MB of unfinished bytecode,
// labels, scopes), then turns them one by one into the final bytecode,
// allocating it between the definitions it frees. A slab allocator that
// hands memory back only when a whole slab empties keeps nearly all of
// that resident (the per-VM arena ended the compile holding 27 MB of
// slabs for 13 MB of live blocks). This heap gives back every 4 KiB page
// that holds no live block, a little after it empties, so the runtime's
// resident size follows its live bytes; what it still holds when the
// runtime is freed goes back with one munmap.
//
// Blocks of up to phSmallMax bytes come from 64 KiB slabs of one size
// class, carved from one reserved address range (untouched pages cost
// nothing). The slabs' bookkeeping (slot bitmaps, live blocks per page)
// lives in a header mapped at the start of the range, never inside the
// slots, so an emptied page can be dropped and later refaulted as zeros.
// Bigger blocks get a mapping each (grown with mremap). Slabs and slots
// are taken lowest address first, which packs long-lived blocks together.
//
// A pageHeap is used by one goroutine at a time, like the runtime it
// serves. It holds no Go pointers: the engine keeps its address as the
// malloc state's opaque word.
const (
	phSlab     = 64 << 10
	phPage     = 4096
	phSmallMax = 32 << 10
	// phMaxSlabs bounds the slab range (512 MiB of small blocks); a
	// compile that needs more fails as out of memory and the caller
	// compiles the ordinary way.
	phMaxSlabs = 8192
	// phPurgeBatch is how many emptied pages wait before they are
	// dropped together: a page the parser empties is often refilled
	// at once, and each drop is a system call and a fault.
	phPurgeBatch = 256
	// phBigHeader precedes each big block; it holds the mapping's length.
	phBigHeader = 16
)

// Size classes: 16-byte steps to 128, eight per doubling to 4 KiB (at
// most an eighth wasted; the parser's 568-byte function definitions fit
// 576), then whole pages to phSmallMax. Page-sized slots start on a page,
// so each is dropped on its own.
var (
	phClassSize []uint32
	phClassOf   [phSmallMax/16 + 1]uint8 // by (size+15)/16
)

func init() {
	for s := 16; s <= 128; s += 16 {
		phClassSize = append(phClassSize, uint32(s))
	}
	for base := 128; base < phPage; base *= 2 {
		for i := 1; i <= 8; i++ {
			phClassSize = append(phClassSize, uint32(base+i*base/8))
		}
	}
	for s := 2 * phPage; s <= phSmallMax; s += phPage {
		phClassSize = append(phClassSize, uint32(s))
	}
	if len(phClassSize) > phClasses {
		panic("qjs: page heap class table")
	}
	c := 0
	for i := range phClassOf {
		for uint32(i*16) > phClassSize[c] {
			c++
		}
		phClassOf[i] = uint8(c)
	}
}

const phClasses = 56

// phSlabMeta is one slab's bookkeeping.
type phSlabMeta struct {
	cls     uint8
	full    bool
	used    uint16
	nslots  uint16
	pending uint16                   // pages queued for dropping, by bit
	live    [16]uint16               // live blocks touching each page
	free    [phSlab / 16 / 64]uint64 // free slots, by bit
}

// pageHeap is the header at the start of the reserved range.
type pageHeap struct {
	slabs    uintptr // address of slab 0
	carved   int     // slabs ever used (the next new one)
	bigCount int     // big mappings not yet freed
	nPending int
	pending  [phPurgeBatch]uintptr // emptied pages to drop
	// allocated counts bytes handed out; progress is called (by handle,
	// see progressFuncs) each time it passes nextProgress.
	allocated, nextProgress uintptr
	progress                int
	empty                   [phMaxSlabs / 64]uint64
	room                    [phClasses][phMaxSlabs / 64]uint64 // slabs of each class with a free slot
	meta                    [phMaxSlabs]phSlabMeta
}

var phHeaderBytes = (unsafe.Sizeof(pageHeap{}) + phSlab - 1) &^ (phSlab - 1)

func sysMmap(n uintptr) uintptr {
	p, _, e := syscall.Syscall6(syscall.SYS_MMAP, 0, n, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE, ^uintptr(0), 0)
	if e != 0 {
		return 0
	}
	return p
}

func sysMunmap(p, n uintptr) { syscall.Syscall(syscall.SYS_MUNMAP, p, n, 0) }

func sysDontNeed(p, n uintptr) { syscall.Syscall(syscall.SYS_MADVISE, p, n, syscall.MADV_DONTNEED) }

// newPageHeap reserves a heap's address range, or returns nil.
func newPageHeap() *pageHeap {
	p := sysMmap(phHeaderBytes + phMaxSlabs*phSlab)
	if p == 0 {
		return nil
	}
	h := (*pageHeap)(unsafe.Pointer(p))
	h.slabs = p + phHeaderBytes
	registerHeap(h, true)
	return h
}

// destroy unmaps the heap. Big blocks still mapped (none once the
// runtime is freed) are left alone.
func (h *pageHeap) destroy() {
	h.setProgress(nil)
	registerHeap(h, false)
	sysMunmap(uintptr(unsafe.Pointer(h)), phHeaderBytes+phMaxSlabs*phSlab)
}

func (h *pageHeap) owns(p uintptr) bool {
	return p >= h.slabs && p < h.slabs+phMaxSlabs*phSlab
}

// lowest returns the index of the lowest set bit of set, or -1.
func lowest(set []uint64) int {
	for i, w := range set {
		if w != 0 {
			return i*64 + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// phProgressEvery is how many bytes the engine allocates between calls of
// a heap's progress function.
const phProgressEvery = 1 << 20

func (h *pageHeap) alloc(size uintptr) uintptr {
	if h.allocated += size; h.allocated >= h.nextProgress {
		h.nextProgress = h.allocated + phProgressEvery
		if h.progress != 0 {
			progressFunc(h.progress)()
		}
	}
	if size > phSmallMax {
		return h.mapBig(size)
	}
	if size == 0 {
		size = 1
	}
	c := int(phClassOf[(size+15)>>4])
	si := lowest(h.room[c][:(h.carved+63)/64])
	if si < 0 {
		if si = h.newSlab(c); si < 0 {
			return 0
		}
	}
	m := &h.meta[si]
	k := lowest(m.free[:])
	m.free[k>>6] &^= 1 << (k & 63)
	m.used++
	if m.used == m.nslots {
		m.full = true
		h.room[c][si>>6] &^= 1 << (si & 63)
	}
	sz := uintptr(phClassSize[c])
	off := uintptr(k) * sz
	for pg := off / phPage; pg <= (off+sz-1)/phPage; pg++ {
		m.live[pg]++
	}
	return h.slabs + uintptr(si)*phSlab + off
}

// newSlab readies a slab for class c (an emptied one or a new one) and
// returns its index, or -1 when the range is used up.
func (h *pageHeap) newSlab(c int) int {
	si := lowest(h.empty[:(h.carved+63)/64])
	if si >= 0 {
		h.empty[si>>6] &^= 1 << (si & 63)
	} else {
		if h.carved == phMaxSlabs {
			return -1
		}
		si = h.carved
		h.carved++
	}
	m := &h.meta[si]
	n := phSlab / int(phClassSize[c])
	pending := m.pending // pages of an emptied slab may still be queued
	*m = phSlabMeta{cls: uint8(c), nslots: uint16(n), pending: pending}
	for i := 0; i < n/64; i++ {
		m.free[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		m.free[n/64] = 1<<r - 1
	}
	h.room[c][si>>6] |= 1 << (si & 63)
	return si
}

func (h *pageHeap) free(p uintptr) {
	if !h.owns(p) {
		h.unmapBig(p)
		return
	}
	si := int((p - h.slabs) / phSlab)
	m := &h.meta[si]
	c := int(m.cls)
	sz := uintptr(phClassSize[c])
	off := (p - h.slabs) % phSlab
	k := int(off / sz)
	m.free[k>>6] |= 1 << (k & 63)
	m.used--
	if m.full {
		m.full = false
		h.room[c][si>>6] |= 1 << (si & 63)
	}
	base := h.slabs + uintptr(si)*phSlab
	for pg := off / phPage; pg <= (off+sz-1)/phPage; pg++ {
		if m.live[pg]--; m.live[pg] == 0 && m.pending&(1<<pg) == 0 {
			m.pending |= 1 << pg
			h.queue(base + pg*phPage)
		}
	}
	if m.used == 0 {
		h.room[c][si>>6] &^= 1 << (si & 63)
		h.empty[si>>6] |= 1 << (si & 63)
	}
}

// queue adds an emptied page to the batch to drop, dropping the batch
// when it is full.
func (h *pageHeap) queue(pg uintptr) {
	if h.nPending == phPurgeBatch {
		h.purge()
	}
	h.pending[h.nPending] = pg
	h.nPending++
}

// purge drops the queued pages that are still empty, joining neighbours
// into one call.
func (h *pageHeap) purge() {
	var start, end uintptr
	for _, pg := range h.pending[:h.nPending] {
		si := int((pg - h.slabs) / phSlab)
		m := &h.meta[si]
		i := (pg - h.slabs) % phSlab / phPage
		m.pending &^= 1 << i
		if m.live[i] != 0 {
			continue // refilled since it emptied
		}
		if pg == end {
			end += phPage
			continue
		}
		if end != start {
			sysDontNeed(start, end-start)
		}
		start, end = pg, pg+phPage
	}
	if end != start {
		sysDontNeed(start, end-start)
	}
	h.nPending = 0
}

func (h *pageHeap) usable(p uintptr) uintptr {
	if !h.owns(p) {
		return *(*uintptr)(unsafe.Pointer(p - phBigHeader)) - phBigHeader
	}
	return uintptr(phClassSize[h.meta[(p-h.slabs)/phSlab].cls])
}

func (h *pageHeap) mapBig(size uintptr) uintptr {
	n := (size + phBigHeader + phPage - 1) &^ (phPage - 1)
	m := sysMmap(n)
	if m == 0 {
		return 0
	}
	*(*uintptr)(unsafe.Pointer(m)) = n
	h.bigCount++
	return m + phBigHeader
}

func (h *pageHeap) unmapBig(p uintptr) {
	sysMunmap(p-phBigHeader, *(*uintptr)(unsafe.Pointer(p - phBigHeader)))
	h.bigCount--
}

func (h *pageHeap) realloc(p, size uintptr) uintptr {
	old := h.usable(p)
	if h.owns(p) {
		if size <= old && (size > old/2 || old <= 64) {
			return p
		}
	} else if size > phSmallMax {
		n := (size + phBigHeader + phPage - 1) &^ (phPage - 1)
		q, _, e := syscall.Syscall6(syscall.SYS_MREMAP, p-phBigHeader, old+phBigHeader, n, 1 /* MREMAP_MAYMOVE */, 0, 0)
		if e != 0 {
			return 0
		}
		*(*uintptr)(unsafe.Pointer(q)) = n
		return q + phBigHeader
	}
	q := h.alloc(size)
	if q == 0 {
		return 0
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(q)), min(old, size)), unsafe.Slice((*byte)(unsafe.Pointer(p)), min(old, size)))
	h.free(p)
	return q
}

// The engine's malloc functions for runtimes on a pageHeap. Accounting
// follows QuickJS's default allocator, as jsMalloc's does.
var pageHeapFuncs lib.TJSMallocFunctions

func init() {
	pageHeapFuncs.Fjs_malloc = fp(phMalloc)
	pageHeapFuncs.Fjs_free = fp(phFree)
	pageHeapFuncs.Fjs_realloc = fp(phRealloc)
	pageHeapFuncs.Fjs_malloc_usable_size = fp(phUsableSize)
}

func heapOf(s uintptr) *pageHeap {
	return (*pageHeap)(unsafe.Pointer((*lib.TJSMallocState)(unsafe.Pointer(s)).Fopaque))
}

// The usable size function gets no malloc state: a big block's header
// says its size, a slab block's heap is the live heap whose range holds it.
func phUsableSize(tls *libc.TLS, p uintptr) libc.Tsize_t {
	if p == 0 {
		return 0
	}
	for _, h := range *liveHeaps.Load() {
		if h.owns(p) {
			return libc.Tsize_t(h.usable(p))
		}
	}
	return libc.Tsize_t(*(*uintptr)(unsafe.Pointer(p - phBigHeader)) - phBigHeader)
}

// progressFuncs holds the progress functions of heaps in use, by handle
// (a heap lives outside the Go heap and holds no Go pointers).
var (
	progressMu    sync.Mutex
	progressFuncs = map[int]func(){}
	progressSeq   int
)

func progressFunc(id int) func() {
	progressMu.Lock()
	defer progressMu.Unlock()
	return progressFuncs[id]
}

// setProgress makes f run every phProgressEvery bytes h allocates.
func (h *pageHeap) setProgress(f func()) {
	progressMu.Lock()
	defer progressMu.Unlock()
	if h.progress != 0 {
		delete(progressFuncs, h.progress)
		h.progress = 0
	}
	if f != nil {
		progressSeq++
		h.progress = progressSeq
		progressFuncs[h.progress] = f
	}
}

// liveHeaps lists the heaps in use (copy on write), for phUsableSize.
var (
	liveHeapsMu sync.Mutex
	liveHeaps   atomic.Pointer[[]*pageHeap]
)

func init() { liveHeaps.Store(&[]*pageHeap{}) }

func registerHeap(h *pageHeap, add bool) {
	liveHeapsMu.Lock()
	defer liveHeapsMu.Unlock()
	var t []*pageHeap
	for _, x := range *liveHeaps.Load() {
		if x != h {
			t = append(t, x)
		}
	}
	if add {
		t = append(t, h)
	}
	liveHeaps.Store(&t)
}

func phMalloc(tls *libc.TLS, s uintptr, size libc.Tsize_t) uintptr {
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	if st.Fmalloc_size+size > st.Fmalloc_limit {
		return 0
	}
	h := heapOf(s)
	p := h.alloc(uintptr(size))
	if p != 0 {
		account(s, int64(h.usable(p))+mallocOverhead, 1)
	}
	return p
}

func phFree(tls *libc.TLS, s uintptr, p uintptr) {
	if p == 0 {
		return
	}
	h := heapOf(s)
	account(s, -int64(h.usable(p))-mallocOverhead, -1)
	h.free(p)
}

func phRealloc(tls *libc.TLS, s uintptr, p uintptr, size libc.Tsize_t) uintptr {
	if p == 0 {
		if size == 0 {
			return 0
		}
		return phMalloc(tls, s, size)
	}
	if size == 0 {
		phFree(tls, s, p)
		return 0
	}
	h := heapOf(s)
	old := h.usable(p)
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	if st.Fmalloc_size+size-libc.Tsize_t(old) > st.Fmalloc_limit {
		return 0
	}
	q := h.realloc(p, uintptr(size))
	if q != 0 {
		account(s, int64(h.usable(q))-int64(old), 0)
	}
	return q
}
