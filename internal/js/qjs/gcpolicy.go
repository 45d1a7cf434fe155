package qjs

import (
	"math"
	"unsafe"

	lib "modernc.org/libquickjs"
)

// QuickJS frees garbage by reference counting as soon as the last
// reference goes; only cycles wait for its cycle collector. That collector
// runs when an object allocation finds the heap above a threshold, walks
// every GC object on the engine's list (live ones and the garbage), frees
// the cycles, and sets the next threshold to 1.5x the heap it left. On the
// Express JSON route it was 16% of the CPU (a Go profile): ~11 KB of
// cycles per request (req, res and Express's closures over them), a
// collection every ~280 requests, each one a 7-12 ms pause.
//
// The runtime calls RetuneGC once per event-loop callback; a collection is
// recognised by the threshold no longer being the one RetuneGC wrote. Two
// levers act there: tenuring (gcgen.go), which takes long-lived objects
// out of the collector's walk, and growth, which lets the heap grow by
// max(heap*(Factor-1), Floor) before the next collection, never by more
// than Cap and never by less than QuickJS's own heap/2 (so big heaps keep
// the engine's behaviour and memory-heavy programs stay bounded).

// GCPolicy is how far the heap may grow past what the cycle collector left
// before it runs again.
type GCPolicy struct {
	// Factor: the next collection waits until the heap reaches
	// heap*Factor (at least 1.5, QuickJS's own).
	Factor float64
	// Floor is the least growth allowed, in bytes: small heaps would
	// otherwise collect every few kilobytes of cyclic garbage.
	Floor uint64
	// Cap is the most growth Factor and Floor may allow, in bytes (the
	// engine's heap/2 still applies above it).
	Cap uint64
	// Tenure keeps objects that survived two collections out of the
	// collector's walk until a full collection (gcgen.go).
	Tenure bool
}

// DefaultGCPolicy is what New gives a VM: the engine's own thresholds,
// with tenuring. Measured on the Express JSON route (6.4 MB left after each
// collection, ~11 KB of cycles per request, /work/notes/bench-gc.md): a
// collection's cost is mostly the garbage it frees, so letting the heap
// grow further (2x) saved little CPU while each pause grew with the
// garbage; tenuring took a third off the collector's CPU and a fifth off
// each pause at the same memory.
var DefaultGCPolicy = GCPolicy{Tenure: true}

// quickjsGrowth is the growth QuickJS allows after a collection: heap/2.
func quickjsGrowth(heap uint64) uint64 { return heap >> 1 }

// Next returns the threshold for the next collection when the collector
// left heap bytes allocated, under a memory limit of limit bytes
// (math.MaxUint64: none).
func (p GCPolicy) Next(heap, limit uint64) uint64 {
	grow := quickjsGrowth(heap)
	want := p.Floor
	if p.Factor > 1 {
		f := float64(heap) * (p.Factor - 1)
		if f >= float64(math.MaxUint64>>1) {
			want = math.MaxUint64 >> 1
		} else if uint64(f) > want {
			want = uint64(f)
		}
	}
	want = min(want, p.Cap)
	grow = max(grow, want)
	switch {
	case limit == math.MaxUint64:
	case heap >= limit:
		grow = quickjsGrowth(heap)
	default:
		// QuickJS does not collect when an allocation fails against the
		// limit (it throws out of memory), so collect at the latest
		// halfway to it, or where QuickJS would have.
		grow = min(grow, max(quickjsGrowth(heap), (limit-heap)/2))
	}
	if heap > math.MaxUint64-grow {
		return math.MaxUint64
	}
	return heap + grow
}

// SetGCPolicy replaces the VM's collection policy (from the next
// collection on). The zero GCPolicy keeps QuickJS's own thresholds.
func (vm *VM) SetGCPolicy(p GCPolicy) {
	if !p.Tenure {
		vm.untenure()
	}
	vm.gcPolicy = p
	vm.gcOff = p == GCPolicy{}
}

// GCThreshold is the heap size, in bytes, at which the next object
// allocation runs the cycle collector (math.MaxUint64: never).
func (vm *VM) GCThreshold() uint64 {
	return uint64((*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_gc_threshold)
}

// GCRetunes counts the collections RetuneGC has noticed (several between
// two calls count once).
func (vm *VM) GCRetunes() int { return vm.gcRetunes }

// RetuneGC applies the VM's GCPolicy when the cycle collector ran since the
// last call (QuickJS then rewrote the threshold); otherwise it costs a
// load and a compare. Call it at quiet points, e.g. after each event-loop
// callback: until then the engine's own 1.5x threshold applies.
func (vm *VM) RetuneGC() {
	if (*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_gc_threshold != vm.gcSet {
		vm.retuneGC()
	}
}

func (vm *VM) retuneGC() {
	rtp := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	th := uint64(rtp.Fmalloc_gc_threshold)
	if th == math.MaxUint64 || vm.gcOff {
		// Collection switched off by the embedder, or no policy.
		vm.gcSet = rtp.Fmalloc_gc_threshold
		return
	}
	vm.gcRetunes++
	// QuickJS wrote heap + heap/2 for the heap its collection left.
	heap := th - th/3
	if vm.gcPolicy.Tenure {
		vm.tenureAfterGC(heap, vm.gcPolicy.Floor)
	}
	next := vm.gcPolicy.Next(heap, uint64(rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_limit))
	// Odd: the engine's own thresholds are even (heap + heap/2 with the
	// heap counted in 8-byte units), so the next collection shows even
	// when it leaves the same heap and the policy is the engine's.
	rtp.Fmalloc_gc_threshold = next | 1
	vm.gcSet = rtp.Fmalloc_gc_threshold
}
