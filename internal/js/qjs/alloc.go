package qjs

import (
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
)

// Each VM has its own allocator for the engine's small blocks (an arena),
// touched only by the goroutine running that VM, so allocating and freeing
// take no lock. modernc.org/libc's malloc serializes every VM of the
// process on one mutex (and takes it twice per call, once more for the
// usable size), which made two event loops slower than one.
//
// An arena hands out blocks of up to smallMax bytes from 64 KiB slabs
// aligned to slabSize. A slab holds slots of one size class; its header
// (the first slabHeader bytes) says which arena owns it and how big its
// slots are, so the owner and the usable size of a block are found by
// masking its address. Freed slots go on their slab's free list; a slab
// with room is on its class's list; a slab whose last block is freed goes
// to a small cache of empty slabs (reused by any class) or back to the OS,
// so an arena's resident memory follows what the engine holds. Blocks the
// arena did not make (libc's, for the sizes between smallMax and
// bigBlockMin, and big blocks) are told apart by the header's magic word:
// libc's 64 KiB pages start with a slot count, never that word.
//
// Nothing frees one VM's engine memory from another VM today (worker
// messages cross as strings; SharedArrayBuffers are not shared between
// runtimes), but a block freed by an arena that does not own it is not
// lost or corrupted: it is pushed onto its owner's remote list (atomically)
// and the owner frees it the next time it needs a slab.
const (
	slabSize   = 64 << 10
	slabHeader = 64
	smallMax   = slabSize - slabHeader
	// slabMagic marks a slab header. libc's page header begins with the
	// page's slot count (at most a few thousand).
	slabMagic = 0x676e6f64_61726e61
	// chunkSlabs is how many slabs one mapping holds: mapping and
	// aligning cost three system calls, paid once per chunk. A chunk is
	// one transparent huge page (2 MiB, aligned to its size), see
	// hugeAfterChunks.
	chunkSlabs = 32
	chunkBytes = chunkSlabs * slabSize
	// hugeAfterChunks: an arena that maps more chunks than this asks the
	// kernel to back its chunks with transparent huge pages (MADV_HUGEPAGE
	// on each new chunk, and the first chunks collapsed into huge pages
	// then). A server's engine heap is 5-15 MB of objects, shapes and
	// bytecode spread over thousands of 4 KiB pages; the interpreter's
	// property lookups and the cycle collector's walks over them missed
	// the TLB so often that huge pages took 10-12% off the CPU per
	// request of the Express static route and 5% off its JSON route on
	// the 2-core VM at load 2-8, more when busier, and a fifth off a
	// full collection of 200k objects (/work/notes/s12/engine.md). Small
	// programs never reach the threshold and keep 4 KiB pages, so their
	// resident memory stays what they touch (a huge page is resident
	// whole: `-e 0` would take 2.7 MB more).
	hugeAfterChunks = 2
	// keepEmpty is how many empty slabs an arena keeps for reuse; more
	// go back to the OS. Once its chunks are huge pages it keeps as many
	// empty slabs as it has slabs in use, and at least a chunk's worth:
	// giving back 64 KiB of a huge page splits it into 4 KiB pages again,
	// and a server's heap empties and refills that much at every cycle
	// collection (the collector runs when the heap is 1.5 times what the
	// last one left), so the slabs given back were mapped and faulted in
	// again a moment later (12 a second on the Express static route).
	keepEmpty     = 4
	keepEmptyHuge = chunkSlabs
	// keepOnlyMax is the biggest slot size for which a class's only
	// slab is kept when it empties (so a class that allocates and frees
	// one block over and over does not map a slab each time); emptied
	// slabs of bigger slots hold more pages and go to the cache.
	keepOnlyMax = 4096
)

// slab is the header at the start of each slab.
type slab struct {
	magic      uint64
	arena      uintptr // *arena
	free       uintptr // freed slots, linked through their first word
	bump       uintptr // next never-used slot
	end        uintptr // bump limit
	next, prev uintptr // the class's list of slabs with room, or the empty cache
	size       uint32  // slot size
	used       uint16  // slots handed out
	cls        uint8
	full       bool // off its class's list because it had no room
}

// arena is one VM's allocator state. It lives in memory mapped for it,
// outside the Go heap (the engine keeps its address as the malloc state's
// opaque word), and holds no Go pointers.
type arena struct {
	avail    [numClasses]uintptr // each class's slabs with room, most recent first
	empty    uintptr             // cached empty slabs, linked by next
	nEmpty   int
	fresh    uintptr // the current chunk's never-used slabs
	freshEnd uintptr
	remote   uintptr // blocks freed by other arenas, linked through their first word
	slabs    int     // slabs holding or ready to hold blocks (not cached, not fresh)
	chunks   int     // chunks mapped so far
	huge     bool    // its chunks were advised to be huge pages
	// first holds the first chunks' addresses, advised and collapsed into
	// huge pages when the arena maps more (hugeAfterChunks).
	first [hugeAfterChunks]uintptr
}

const arenaBytes = (unsafe.Sizeof(arena{}) + osPage - 1) &^ (osPage - 1)

func init() {
	if unsafe.Sizeof(slab{}) > slabHeader {
		panic("qjs: slab header too big")
	}
}

// Size classes: every 16 bytes up to 128, then four per doubling (a block
// past 128 bytes wastes at most a fifth of its slot), up to smallMax.
var (
	classSize [numClasses]uint32
	classOf   [smallMax/16 + 1]uint8 // by (size+15)/16
)

const numClasses = 8 + 4*9

func init() {
	n := 0
	for s := 16; s <= 128; s += 16 {
		classSize[n] = uint32(s)
		n++
	}
	for base := 128; base < slabSize; base *= 2 {
		for i := 1; i <= 4; i++ {
			s := base + i*base/4
			if s > smallMax {
				s = smallMax // the last class takes the whole slab
			}
			classSize[n] = uint32(s)
			n++
		}
	}
	if n != numClasses {
		panic("qjs: size class table")
	}
	c := 0
	for i := range classOf {
		for uint32(i*16) > classSize[c] {
			c++
		}
		classOf[i] = uint8(c)
	}
}

func slabOf(p uintptr) *slab { return (*slab)(unsafe.Pointer(p &^ (slabSize - 1))) }

// ownSlab returns the slab holding block p, or nil when p is not an
// arena's (a libc block). p must not be a big block.
func ownSlab(p uintptr) *slab {
	if s := slabOf(p); s.magic == slabMagic {
		return s
	}
	return nil
}

func arenaAt(p uintptr) *arena { return (*arena)(unsafe.Pointer(p)) }

// newArena maps an arena, or returns 0.
func newArena(tls *libc.TLS) uintptr {
	m := libc.Xmmap(tls, 0, libc.Tsize_t(arenaBytes), 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0)
	if m == ^uintptr(0) || m == 0 {
		return 0
	}
	return m
}

// alloc returns a block of at least size bytes (1 to smallMax), or 0.
func (a *arena) alloc(tls *libc.TLS, size uintptr) uintptr {
	c := classOf[(size+15)>>4]
	if h := a.avail[c]; h != 0 {
		s := (*slab)(unsafe.Pointer(h))
		if p := s.free; p != 0 {
			s.free = *(*uintptr)(unsafe.Pointer(p))
			s.used++
			return p
		}
		if p := s.bump; p < s.end {
			s.bump = p + uintptr(s.size)
			s.used++
			return p
		}
	}
	return a.allocSlow(tls, c)
}

func (a *arena) allocSlow(tls *libc.TLS, c uint8) uintptr {
	a.drainRemote(tls)
	// Slabs that filled up leave the list; the first with room serves.
	for h := a.avail[c]; h != 0; h = a.avail[c] {
		s := (*slab)(unsafe.Pointer(h))
		if s.free != 0 || s.bump < s.end {
			return a.alloc(tls, uintptr(classSize[c]))
		}
		a.unlink(s)
		s.full = true
	}
	s := a.newSlab(tls, c)
	if s == nil {
		return 0
	}
	a.push(s)
	p := s.bump
	s.bump += uintptr(s.size)
	s.used++
	return p
}

// free releases block p, which an arena made.
func (a *arena) free(tls *libc.TLS, s *slab, p uintptr) {
	if s.arena != uintptr(unsafe.Pointer(a)) {
		arenaAt(s.arena).pushRemote(p)
		return
	}
	*(*uintptr)(unsafe.Pointer(p)) = s.free
	s.free = p
	s.used--
	if s.full || s.used == 0 {
		a.freeSlow(tls, s)
	}
}

func (a *arena) freeSlow(tls *libc.TLS, s *slab) {
	if s.full {
		s.full = false
		a.push(s)
	}
	if s.used != 0 {
		return
	}
	if s.size <= keepOnlyMax && s.prev == 0 && s.next == 0 {
		return // the class's only slab: keep it
	}
	a.unlink(s)
	a.release(tls, s)
}

// push puts s at the head of its class's list.
func (a *arena) push(s *slab) {
	h := uintptr(unsafe.Pointer(s))
	s.prev = 0
	s.next = a.avail[s.cls]
	if s.next != 0 {
		(*slab)(unsafe.Pointer(s.next)).prev = h
	}
	a.avail[s.cls] = h
}

func (a *arena) unlink(s *slab) {
	if s.prev != 0 {
		(*slab)(unsafe.Pointer(s.prev)).next = s.next
	} else {
		a.avail[s.cls] = s.next
	}
	if s.next != 0 {
		(*slab)(unsafe.Pointer(s.next)).prev = s.prev
	}
	s.next, s.prev = 0, 0
}

// release retires empty slab s (on no list) to the cache or the OS.
func (a *arena) release(tls *libc.TLS, s *slab) {
	a.slabs--
	s.next = a.empty
	a.empty = uintptr(unsafe.Pointer(s))
	a.nEmpty++
	keep := keepEmpty
	if a.huge {
		keep = max(keepEmptyHuge, a.slabs)
	}
	// The cache's limit follows the slabs in use down.
	for a.nEmpty > keep {
		e := (*slab)(unsafe.Pointer(a.empty))
		a.empty = e.next
		a.nEmpty--
		e.magic = 0
		libc.Xmunmap(tls, uintptr(unsafe.Pointer(e)), slabSize)
	}
}

// newSlab makes a slab of class c from the cache, the current chunk or a
// new chunk; nil when the OS has no memory.
func (a *arena) newSlab(tls *libc.TLS, c uint8) *slab {
	var h uintptr
	switch {
	case a.empty != 0:
		h = a.empty
		a.empty = (*slab)(unsafe.Pointer(h)).next
		a.nEmpty--
	case a.fresh < a.freshEnd:
		h = a.fresh
		a.fresh += slabSize
	default:
		const n = chunkBytes
		m := libc.Xmmap(tls, 0, libc.Tsize_t(2*n), 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0)
		if m == ^uintptr(0) || m == 0 {
			return nil
		}
		base := (m + n - 1) &^ (n - 1)
		if base > m {
			libc.Xmunmap(tls, m, libc.Tsize_t(base-m))
		}
		if end, mend := base+n, m+2*n; mend > end {
			libc.Xmunmap(tls, end, libc.Tsize_t(mend-end))
		}
		a.newChunk(base)
		h = base
		a.fresh, a.freshEnd = base+slabSize, base+n
	}
	a.slabs++
	s := (*slab)(unsafe.Pointer(h))
	size := classSize[c]
	*s = slab{
		magic: slabMagic,
		arena: uintptr(unsafe.Pointer(a)),
		bump:  h + slabHeader,
		end:   h + slabHeader + uintptr((smallMax/size)*size),
		size:  size,
		cls:   c,
	}
	return s
}

// hugeChunks lets new arenas ask for huge pages (tests and benchmarks
// compare with 4 KiB pages).
var hugeChunks = true

// newChunk notes chunk base, just mapped and not yet touched; past
// hugeAfterChunks chunks it is advised to be backed by huge pages, and
// so are the first chunks, collapsed into huge pages right away (the
// kernel's background collapsing could take minutes to reach them). Where
// transparent huge pages are off, or the kernel has no MADV_COLLAPSE,
// the advice fails and the chunks keep 4 KiB pages.
func (a *arena) newChunk(base uintptr) {
	a.chunks++
	switch {
	case !hugeChunks:
		return
	case a.chunks <= hugeAfterChunks:
		a.first[a.chunks-1] = base
		return
	case a.chunks == hugeAfterChunks+1:
		if a.huge = adviseHuge(base, chunkBytes, false); a.huge {
			for _, c := range a.first {
				adviseHuge(c, chunkBytes, true)
			}
		}
	case a.huge:
		adviseHuge(base, chunkBytes, false)
	}
}

// pushRemote queues block p, freed by another arena, for its owner a.
func (a *arena) pushRemote(p uintptr) {
	for {
		old := atomic.LoadUintptr(&a.remote)
		*(*uintptr)(unsafe.Pointer(p)) = old
		if atomic.CompareAndSwapUintptr(&a.remote, old, p) {
			return
		}
	}
}

// drainRemote frees the blocks other arenas queued for a.
func (a *arena) drainRemote(tls *libc.TLS) {
	if atomic.LoadUintptr(&a.remote) == 0 {
		return
	}
	for p := atomic.SwapUintptr(&a.remote, 0); p != 0; {
		next := *(*uintptr)(unsafe.Pointer(p))
		a.free(tls, slabOf(p), p)
		p = next
	}
}

// destroy unmaps the arena once the engine has freed everything. It
// returns how many slabs still held blocks (0 unless a value leaked);
// those stay mapped, since something may still point into them.
func (a *arena) destroy(tls *libc.TLS) int {
	a.drainRemote(tls)
	held := 0
	for c := range a.avail {
		for h := a.avail[c]; h != 0; {
			s := (*slab)(unsafe.Pointer(h))
			h = s.next
			a.slabs--
			if s.used != 0 {
				// Blocks the engine never freed (a leaked value): leave
				// them mapped, as libc's leaked blocks stayed.
				held++
				continue
			}
			s.magic = 0
			libc.Xmunmap(tls, uintptr(unsafe.Pointer(s)), slabSize)
		}
	}
	for h := a.empty; h != 0; {
		s := (*slab)(unsafe.Pointer(h))
		h = s.next
		s.magic = 0
		libc.Xmunmap(tls, uintptr(unsafe.Pointer(s)), slabSize)
	}
	if a.fresh < a.freshEnd {
		libc.Xmunmap(tls, a.fresh, libc.Tsize_t(a.freshEnd-a.fresh))
	}
	// Full slabs are on no list (and stay mapped); a.slabs counts them.
	held += a.slabs
	libc.Xmunmap(tls, uintptr(unsafe.Pointer(a)), libc.Tsize_t(arenaBytes))
	return held
}
