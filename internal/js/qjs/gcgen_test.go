package qjs

import (
	"testing"

	lib "modernc.org/libquickjs"
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

// gcTypes counts the GC objects of each type on the engine's list and on
// the old one.
func gcTypes(vm *VM) (young, old [8]int) {
	head := vm.gcList()
	for el := listNext(head); el != head; el = listNext(el) {
		young[gcType(el)]++
	}
	if vm.gen.old != 0 {
		for el := listNext(vm.gen.old); el != vm.gen.old; el = listNext(el) {
			old[gcType(el)]++
		}
	}
	return young, old
}

// Shapes and closure variables that survive are tenured too: closures
// keep reading and writing their variables, objects whose shape is old
// gain, change and lose properties, a global whose variable is old can be
// deleted and defined again, and a full collection gives them all back
// (Close finds nothing leaked).
func TestTenureShapesAndVarRefs(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	evalString(t, vm, `
		globalThis.counters = [];
		for (let i = 0; i < 300; i++) counters.push((() => { let n = i; return () => ++n; })());
		globalThis.shaped = [];
		for (let i = 0; i < 100; i++) { const o = { base: i }; o['p' + i] = i; shaped.push(o); }
		globalThis.solo = { a: 1, b: 2 }; delete solo.a;
		globalThis.gv = 1; globalThis.readGv = () => gv; readGv();
		globalThis.gd = 1; (() => { const f = () => gd; f(); })();
		''`)
	young0, _ := gcTypes(vm)
	collections(t, vm, 3)
	_, old := gcTypes(vm)
	if old[lib.EJS_GC_OBJ_TYPE_VAR_REF] < 300 || old[lib.EJS_GC_OBJ_TYPE_SHAPE] < 100 {
		t.Fatalf("old generation holds %d closure variables and %d shapes, want the 300 counters' and the 100 objects' at least",
			old[lib.EJS_GC_OBJ_TYPE_VAR_REF], old[lib.EJS_GC_OBJ_TYPE_SHAPE])
	}

	evalTrue(t, vm, `counters.every((f, i) => f() === i + 1)`)
	// Hashed old shapes: gaining a property, sharing the transition with a
	// new object, changing flags (a clone each time).
	evalTrue(t, vm, `(shaped.forEach((o, i) => { o.extra = i; o['q' + i] = -i; }), shaped.every((o, i) => o.base === i && o['p' + i] === i && o.extra === i && o['q' + i] === -i && Object.keys(o).join() === 'base,p' + i + ',extra,q' + i))`)
	evalTrue(t, vm, `(() => { const o = { base: 7 }; o.p7 = 7; o.extra = 1; return Object.keys(o).join() === 'base,p7,extra' && o.p7 === 7; })()`)
	evalTrue(t, vm, `(Object.freeze(shaped[3]), Object.isFrozen(shaped[3]) && !Object.isFrozen(shaped[4]) && (shaped[4].x = 1, shaped[4].x === 1) && (shaped[3].x = 1, shaped[3].x === undefined))`)
	// An unhashed old shape outgrowing its table (the engine reallocates
	// it), then compacted by deletes.
	evalTrue(t, vm, `(() => { for (let i = 0; i < 60; i++) solo['k' + i] = i; return solo.b === 2 && solo.k59 === 59 && Object.keys(solo).length === 61; })()`)
	evalTrue(t, vm, `(() => { for (let i = 0; i < 50; i++) delete solo['k' + i]; return Object.keys(solo).join() === 'b,k50,k51,k52,k53,k54,k55,k56,k57,k58,k59'; })()`)
	// Globals whose variables are old, with and without live closures.
	evalTrue(t, vm, `delete globalThis.gv && (() => { try { readGv(); return false; } catch (e) { return e instanceof ReferenceError; } })()`)
	evalTrue(t, vm, `(globalThis.gv = 2, 'gv' in globalThis && globalThis.gv === 2)`)
	evalTrue(t, vm, `delete globalThis.gd && typeof gd === 'undefined' && !('gd' in globalThis) && new Function('try { gd; return false } catch (e) { return e instanceof ReferenceError }')()`)
	evalTrue(t, vm, `(gd = 5, globalThis.gd === 5 && new Function('return gd')() === 5)`)

	// A full collection hands everything back; closures still see their
	// variables, and what became garbage is freed.
	vm.RunGC()
	if pinned, _ := vm.GCGenerations(); pinned != 0 {
		t.Fatalf("%d pinned after a full collection", pinned)
	}
	evalTrue(t, vm, `counters.every((f, i) => f() === i + 2)`)
	evalString(t, vm, `counters = null; shaped = null; ''`)
	vm.RunGC()
	young, _ := gcTypes(vm)
	if young[lib.EJS_GC_OBJ_TYPE_VAR_REF] > young0[lib.EJS_GC_OBJ_TYPE_VAR_REF]-300+50 {
		t.Errorf("%d closure variables after the counters were freed, %d with them", young[lib.EJS_GC_OBJ_TYPE_VAR_REF], young0[lib.EJS_GC_OBJ_TYPE_VAR_REF])
	}
	if young[lib.EJS_GC_OBJ_TYPE_SHAPE] > young0[lib.EJS_GC_OBJ_TYPE_SHAPE]-100+50 {
		t.Errorf("%d shapes after the objects were freed, %d with them", young[lib.EJS_GC_OBJ_TYPE_SHAPE], young0[lib.EJS_GC_OBJ_TYPE_SHAPE])
	}
}

// Closing a VM while shapes and closure variables are pinned frees them.
func TestTenureCloseWithPinnedShapesAndVarRefs(t *testing.T) {
	vm := newVM(t)
	evalString(t, vm, `globalThis.fs = []; for (let i = 0; i < 200; i++) { const o = {}; o['k' + i] = i; let v = o; fs.push(() => v); } ''`)
	collections(t, vm, 3)
	if _, old := gcTypes(vm); old[lib.EJS_GC_OBJ_TYPE_VAR_REF] < 200 || old[lib.EJS_GC_OBJ_TYPE_SHAPE] < 200 {
		t.Fatalf("old generation: %d closure variables, %d shapes; want 200 of each at least", old[lib.EJS_GC_OBJ_TYPE_VAR_REF], old[lib.EJS_GC_OBJ_TYPE_SHAPE])
	}
	if err := vm.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}
