package qjs

import (
	"math"
	"unsafe"

	lib "modernc.org/libquickjs"
)

// QuickJS frees garbage by reference counting as soon as the last
// reference goes; only cycles wait for its cycle collector. That collector
// runs when an object allocation finds the heap above a threshold, marks
// every live object (its cost is the live heap, not the garbage), and then
// sets the next threshold to 1.5x the heap it left. On a server whose heap
// is mostly long-lived code and state (Express: ~10 MB of functions,
// shapes and closures), requests leave a trickle of small cycles, and 1.5x
// means a walk of the whole heap every few hundred requests: 13% of the
// Express JSON route's CPU, and a pause that lands in the latency tail.
//
// GCPolicy moves the threshold after each collection: the heap may grow by
// max(heap*(Factor-1), Floor) before the next one, but never by more than
// Cap, and never by less than QuickJS's own heap/2 (so big heaps keep the
// engine's behaviour and memory-heavy programs stay bounded). The runtime
// calls RetuneGC once per event-loop callback; a collection is recognised
// by the threshold no longer being the one the policy wrote.

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
}

// DefaultGCPolicy is what New gives a VM. Measured on the Express JSON
// route (6.4 MB left after each collection, ~11 KB of cycles per request):
// a collection costs ~6 ms for the live heap plus ~1.7 ms per MB of
// garbage, so growth past ~2x the heap saves little more CPU while each
// pause (and the latency tail) keeps growing with it.
var DefaultGCPolicy = GCPolicy{Factor: 2, Floor: 4 << 20, Cap: 32 << 20}

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
	next := vm.gcPolicy.Next(heap, uint64(rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_limit))
	rtp.Fmalloc_gc_threshold = next
	vm.gcSet = rtp.Fmalloc_gc_threshold
}
