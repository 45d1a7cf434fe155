package qjs

import (
	"testing"
)

// evalTrue evaluates src and fails the test unless it is true.
func evalTrue(t *testing.T, vm *VM, src string) {
	t.Helper()
	if got := evalString(t, vm, "String("+src+")"); got != "true" {
		t.Fatalf("%s = %s, want true", src, got)
	}
}

// collections runs rounds of garbage cycles with a RetuneGC after each
// until the engine has collected n more times.
func collections(t *testing.T, vm *VM, n int) {
	t.Helper()
	start := vm.GCRetunes()
	for i := 0; vm.GCRetunes() < start+n; i++ {
		if i == 20000 {
			t.Fatalf("only %d of %d collections", vm.GCRetunes()-start, n)
		}
		makeCycles(t, vm, 300)
		vm.RetuneGC()
	}
}

// Objects alive at two consecutive collections are pinned in the old
// generation; the heap figures still count them; values reachable from
// them stay intact.
func TestTenurePromotesSurvivors(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	evalString(t, vm, `globalThis.keep = []; for (let i = 0; i < 5000; i++) keep.push({ i, s: 'v' + i }); ''`)
	objs := vm.MemoryUsage().Objects
	collections(t, vm, 3)
	pinned, _ := vm.GCGenerations()
	if pinned < 5000 {
		t.Fatalf("%d objects pinned after three collections, want the 5000 kept ones at least", pinned)
	}
	if got := vm.MemoryUsage().Objects; got < objs {
		t.Errorf("MemoryUsage counts %d objects with the old generation, %d before it", got, objs)
	}
	evalTrue(t, vm, `keep.length === 5000 && keep.every((o, i) => o.i === i && o.s === 'v' + i)`)
}

// A young object (in a cycle) reachable only from an old one survives any
// number of young collections.
func TestTenureYoungHeldByOld(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	evalString(t, vm, `globalThis.holder = { name: 'old' }; ''`)
	collections(t, vm, 3)
	if pinned, _ := vm.GCGenerations(); pinned == 0 {
		t.Fatal("nothing pinned")
	}
	evalString(t, vm, `{ const c = { v: 42, list: [1, 2, 3] }; c.self = c; holder.child = c; } ''`)
	collections(t, vm, 5)
	evalTrue(t, vm, `holder.child.v === 42 && holder.child.self === holder.child && holder.child.list.join() === '1,2,3'`)
}

// Old objects that become garbage (cycles too) are freed by the next full
// collection: automatically once the heap has grown enough, and at once
// by RunGC.
func TestTenureOldGarbageFreed(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	base := vm.MemoryUsage().Objects
	evalString(t, vm, `globalThis.big = []; for (let i = 0; i < 20000; i++) { const a = { i }, b = { a }; a.b = b; big.push(a); } ''`)
	collections(t, vm, 3)
	if pinned, _ := vm.GCGenerations(); pinned < 40000 {
		t.Fatalf("%d pinned, want the 40000 objects of big at least", pinned)
	}
	evalString(t, vm, `big = null; ''`)
	collections(t, vm, 2)
	if got := vm.MemoryUsage().Objects; got < base+40000 {
		t.Fatalf("%d objects after young collections, want the old garbage (%d+40000) still there", got, base)
	}
	// The heap grows (live objects) or collections go by: a full
	// collection comes and frees the old garbage.
	evalString(t, vm, `globalThis.live = []; ''`)
	_, fulls := vm.GCGenerations()
	for i := 0; ; i++ {
		if _, f := vm.GCGenerations(); f > fulls {
			break
		}
		if i == 500 {
			t.Fatal("no full collection")
		}
		evalString(t, vm, `for (let i = 0; i < 100; i++) live.push({ i }); ''`)
		collections(t, vm, 1)
	}
	if got, live := vm.MemoryUsage().Objects, int64(evalNum(t, vm, `live.length`)); got > base+live+1000 {
		t.Errorf("%d objects after a full collection, from %d before the old garbage and %d live since", got, base, live)
	}
	evalString(t, vm, `live = null; ''`)
	vm.RunGC()
	base = vm.MemoryUsage().Objects

	evalString(t, vm, `globalThis.big2 = []; for (let i = 0; i < 5000; i++) { const a = { i }; a.self = a; big2.push(a); } ''`)
	collections(t, vm, 3)
	evalString(t, vm, `big2 = null; ''`)
	vm.RunGC()
	if got := vm.MemoryUsage().Objects; got > base+1000 {
		t.Errorf("%d objects after RunGC, from %d", got, base)
	}
}

// An old object whose references all come from young objects (its old
// holder let go of it) is neither freed while one of them lives nor
// counted wrongly: Close finds nothing leaked.
func TestTenureOldHeldByYoungOnly(t *testing.T) {
	vm := newVM(t)
	evalString(t, vm, `globalThis.holder = { o: { tag: 'x', inner: { n: 1 } } }; holder.o.inner.back = holder.o; ''`)
	collections(t, vm, 3)
	evalString(t, vm, `{ const o = holder.o; globalThis.young = { o }; const g = { o }; g.g = g; holder.o = null; } ''`)
	collections(t, vm, 4)
	evalTrue(t, vm, `young.o.tag === 'x' && young.o.inner.back === young.o`)
	evalString(t, vm, `young = null; ''`)
	collections(t, vm, 4)
	if err := vm.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

// A WeakRef to an old object that became garbage is cleared by a full
// collection.
func TestTenureWeakRef(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	evalString(t, vm, `globalThis.target = { v: 1 }; target.self = target; globalThis.w = new WeakRef(target); ''`)
	collections(t, vm, 3)
	evalString(t, vm, `target = null; ''`)
	vm.RunGC()
	vm.RunGC()
	evalTrue(t, vm, `w.deref() === undefined`)
}

// Turning tenuring off hands every pinned object back.
func TestTenureOff(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	evalString(t, vm, `globalThis.keep = []; for (let i = 0; i < 1000; i++) keep.push({ i }); ''`)
	collections(t, vm, 3)
	if pinned, _ := vm.GCGenerations(); pinned == 0 {
		t.Fatal("nothing pinned")
	}
	vm.SetGCPolicy(GCPolicy{Factor: 1.5})
	if pinned, _ := vm.GCGenerations(); pinned != 0 {
		t.Fatalf("%d still pinned with tenuring off", pinned)
	}
	collections(t, vm, 2)
	evalTrue(t, vm, `keep.length === 1000 && keep[999].i === 999`)
}

func evalNum(t *testing.T, vm *VM, src string) float64 {
	t.Helper()
	v, err := vm.Eval(src, "num.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(v)
	return vm.Float(v)
}
