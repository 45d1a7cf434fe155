package qjs

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unsafe"

	lib "modernc.org/libquickjs"
)

func TestGCPolicyNext(t *testing.T) {
	const MB = 1 << 20
	none := uint64(math.MaxUint64)
	p := GCPolicy{Factor: 3, Floor: 8 * MB, Cap: 64 * MB}
	for _, tc := range []struct {
		name        string
		p           GCPolicy
		heap, limit uint64
		want        uint64
	}{
		{"small heap gets the floor", p, 1 * MB, none, 9 * MB},
		{"empty heap gets the floor", p, 0, none, 8 * MB},
		{"mid heap gets the factor", p, 10 * MB, none, 30 * MB},
		{"factor capped", p, 40 * MB, none, 104 * MB},
		{"big heap keeps quickjs's half", p, 200 * MB, none, 300 * MB},
		{"zero policy is quickjs's own", GCPolicy{}, 10 * MB, none, 15 * MB},
		{"factor below 1.5 never lowers quickjs's", GCPolicy{Factor: 1.1, Cap: 64 * MB}, 10 * MB, none, 15 * MB},
		{"floor without factor", GCPolicy{Floor: 4 * MB, Cap: 64 * MB}, 1 * MB, none, 5 * MB},
		{"limit: halfway to it", p, 2 * MB, 12 * MB, 7 * MB},
		{"limit far away changes nothing", p, 2 * MB, 1 << 40, 10 * MB},
		{"limit close: quickjs's half still", p, 10 * MB, 12 * MB, 15 * MB},
		{"heap above limit: quickjs's", p, 20 * MB, 12 * MB, 30 * MB},
		{"overflow saturates", GCPolicy{Factor: 3, Cap: math.MaxUint64}, math.MaxUint64 - 100, none, math.MaxUint64},
		{"huge factor saturates", GCPolicy{Factor: 1e300, Cap: math.MaxUint64}, 1 * MB, none, 1*MB + math.MaxUint64>>1},
	} {
		if got := tc.p.Next(tc.heap, tc.limit); got != tc.want {
			t.Errorf("%s: Next(%d, %d) = %d, want %d", tc.name, tc.heap, tc.limit, got, tc.want)
		}
	}
}

// growth lets the heap grow 3x (at least 8 MB, at most 64 MB more) between
// collections.
var growth = GCPolicy{Factor: 3, Floor: 8 << 20, Cap: 64 << 20}

func heapSize(vm *VM) uint64 {
	return uint64((*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_ctx.Fmalloc_state.Fmalloc_size)
}

// makeCycles leaves n two-object cycles as garbage: reference counting
// cannot free them, only the cycle collector.
func makeCycles(t *testing.T, vm *VM, n int) {
	t.Helper()
	v, err := vm.Eval(`{ for (let i = 0; i < `+itoa(n)+`; i++) { const a = { i }, b = { a }; a.b = b; } }`, "cycles.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	vm.Free(v)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// After the engine's own collection, RetuneGC moves the threshold to the
// policy's, the next collection waits for it (past where QuickJS alone
// would have collected) and still frees the cycles.
func TestRetuneGCMovesThreshold(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.SetGCPolicy(growth)
	start := vm.GCThreshold()
	vm.RetuneGC()
	if vm.GCThreshold() != start || vm.GCRetunes() != 0 {
		t.Fatalf("RetuneGC without a collection moved the threshold %d -> %d (retunes %d)", start, vm.GCThreshold(), vm.GCRetunes())
	}
	for i := 0; vm.GCThreshold() == start; i++ {
		if i == 1000 {
			t.Fatal("the engine never collected")
		}
		makeCycles(t, vm, 500)
	}
	engine := vm.GCThreshold() // QuickJS's heap + heap/2
	left := engine - engine/3
	vm.RetuneGC()
	want := growth.Next(left, math.MaxUint64) | 1
	if got := vm.GCThreshold(); got != want || vm.GCRetunes() != 1 {
		t.Fatalf("after a collection leaving %d bytes: threshold %d, retunes %d; want %d, 1", left, got, vm.GCRetunes(), want)
	}
	vm.RetuneGC()
	if vm.GCThreshold() != want || vm.GCRetunes() != 1 {
		t.Fatalf("a second RetuneGC with no collection changed the threshold to %d (retunes %d)", vm.GCThreshold(), vm.GCRetunes())
	}
	var peak uint64
	for i := 0; vm.GCThreshold() == want; i++ {
		if i == 10000 {
			t.Fatal("no collection at the policy's threshold")
		}
		peak = max(peak, heapSize(vm))
		makeCycles(t, vm, 500)
	}
	if peak <= engine {
		t.Errorf("collected before the heap passed the engine's own threshold %d (peak %d)", engine, peak)
	}
	if peak > want+64<<10 {
		t.Errorf("heap reached %d before collecting, threshold %d", peak, want)
	}
	if after := vm.GCThreshold() - vm.GCThreshold()/3; after > want/2 {
		t.Errorf("the collection left %d bytes of a %d threshold: cycles not freed", after, want)
	}
}

// cycleLoop runs rounds of cyclic garbage with a RetuneGC after each, as
// the event loop does after each callback, and returns the heap's peak
// and the number of collections seen.
func cycleLoop(t *testing.T, vm *VM, rounds, perRound int) (peak uint64, gcs int) {
	t.Helper()
	last := vm.GCThreshold()
	for range rounds {
		makeCycles(t, vm, perRound)
		peak = max(peak, heapSize(vm))
		if vm.GCThreshold() != last {
			gcs++
		}
		vm.RetuneGC()
		if vm.gcOff {
			// The engine writes the same 1.5x threshold after each
			// collection of a steady heap: nudge it to see the next.
			(*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_gc_threshold++
		}
		last = vm.GCThreshold()
	}
	return peak, gcs
}

// A loop making 800,000 garbage cycles (a few hundred MB in all)
// stays within the policy's bound, and collects far less often than the
// engine's 1.5x would.
func TestCyclicGarbageBounded(t *testing.T) {
	run := func(p GCPolicy) (uint64, int) {
		vm := newVM(t)
		defer closeVM(t, vm)
		vm.SetGCPolicy(p)
		return cycleLoop(t, vm, 4000, 200) // rounds small enough for one collection each
	}
	peak, gcs := run(growth)
	peak0, gcs0 := run(GCPolicy{})
	t.Logf("growth policy: peak %d, %d collections; engine's own: peak %d, %d collections", peak, gcs, peak0, gcs0)
	// The live heap is a few hundred KB: the floor plus one round's
	// allocation bounds the peak.
	if bound := growth.Floor + 2<<20; peak > bound {
		t.Errorf("peak heap %d with the growth policy, bound %d", peak, bound)
	}
	if gcs < 10 {
		t.Errorf("only %d collections for hundreds of MB of garbage", gcs)
	}
	if gcs*4 > gcs0 {
		t.Errorf("%d collections with the policy against %d without: not fewer", gcs, gcs0)
	}
	if peak0 >= peak {
		t.Errorf("the engine's own thresholds peaked at %d, the policy at %d: the policy held no more", peak0, peak)
	}
}

// Under a memory limit the policy collects before the limit: QuickJS
// throws out of memory at the limit without trying a collection, so a
// threshold past it would turn garbage into an error.
func TestGCPolicyMemoryLimit(t *testing.T) {
	vm, err := New(Options{MemoryLimit: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer closeVM(t, vm)
	vm.SetGCPolicy(growth)
	for range 200 {
		v, err := vm.Eval(`{ for (let i = 0; i < 4000; i++) { const a = { i }, b = { a }; a.b = b; } }`, "cycles.js", Script)
		if err != nil {
			var je *JSError
			if errors.As(err, &je) && strings.Contains(je.Error(), "out of memory") {
				t.Fatalf("out of memory under an 8 MB limit with a threshold of %d", vm.GCThreshold())
			}
			t.Fatal(err)
		}
		vm.Free(v)
		vm.RetuneGC()
		if th := vm.GCThreshold(); th > 8<<20 {
			t.Fatalf("threshold %d past the 8 MB limit", th)
		}
	}
	if vm.GCRetunes() == 0 {
		t.Fatal("no collection under the limit")
	}
}

// Cycles left uncollected under a raised threshold are freed when the VM
// closes: Close reports no leak and the arena gives its slabs back.
func TestGCPolicyCloseFreesPending(t *testing.T) {
	vm := newVM(t)
	vm.SetGCPolicy(growth)
	cycleLoop(t, vm, 20, 4000) // past the first collection: the policy's threshold is set
	if vm.GCRetunes() == 0 {
		t.Fatal("no collection")
	}
	makeCycles(t, vm, 20000)
	if err := vm.Close(); err != nil {
		t.Fatalf("close with pending cycles: %v", err)
	}
}

// ParseFast moves a threshold the policy wrote without it looking like a
// collection; one the engine wrote (a collection not yet retuned) is still
// noticed after the parse.
func TestGCPolicyParseFast(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.SetGCPolicy(growth)
	vm.jsonBuilder()
	text := vm.String(`[` + strings.Repeat(`{"a":[1,2,3],"b":"x"},`, 2000) + `0]`)
	defer vm.Free(text)
	cycleLoop(t, vm, 20, 4000)
	n := vm.GCRetunes()
	if n == 0 {
		t.Fatal("no collection")
	}
	th := vm.GCThreshold()
	heap := heapSize(vm)
	v, ok := vm.ParseFast(text)
	if !ok {
		t.Fatal("declined")
	}
	grown := heapSize(vm) - heap
	if got := vm.GCThreshold(); got != th+grown {
		t.Fatalf("threshold after the parse %d, want %d + %d", got, th, grown)
	}
	vm.RetuneGC()
	if vm.GCRetunes() != n || vm.GCThreshold() != th+grown {
		t.Fatalf("the parse looked like a collection: retunes %d -> %d, threshold %d", n, vm.GCRetunes(), vm.GCThreshold())
	}
	vm.Free(v)

	// A collection the policy has not seen yet, then a parse.
	rtp := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	rtp.Fmalloc_gc_threshold = 3 << 20 // as the engine would after leaving 2 MB
	v, ok = vm.ParseFast(text)
	if !ok {
		t.Fatal("declined")
	}
	vm.Free(v)
	vm.RetuneGC()
	if vm.GCRetunes() != n+1 {
		t.Fatalf("a collection before the parse went unnoticed (retunes %d, want %d)", vm.GCRetunes(), n+1)
	}
}

// A switched-off collector (threshold at the maximum) stays off.
func TestGCPolicyKeepsCollectorOff(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	lib.XJS_SetGCThreshold(vm.tls, vm.rt, math.MaxUint64)
	vm.RetuneGC()
	if vm.GCThreshold() != math.MaxUint64 || vm.GCRetunes() != 0 {
		t.Fatalf("threshold %d, retunes %d after switching the collector off", vm.GCThreshold(), vm.GCRetunes())
	}
	lib.XJS_SetGCThreshold(vm.tls, vm.rt, 256<<10)
}
