package qjs

import (
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Tenuring: a two-generation cycle collector built from QuickJS's own.
//
// QuickJS's collector walks rt.gc_obj_list, every GC object of the heap,
// on each run. A server's heap is mostly objects that live for the whole
// process (Express's ~13,000 functions, prototypes and closures), and
// walking them is about half of each collection's cost. Objects,
// function bytecode, shapes and closure variables that have been on the
// list at two consecutive collections are moved to a list of the VM's own (old), which the
// collector never walks, and pinned with one extra reference for as long
// as they stay there.
//
// Why this is sound: the collector subtracts the references that listed
// objects hold and keeps whatever still has references left. An old
// object's references to others are never subtracted, so everything it
// points to survives (old objects act as roots: conservative, never
// wrong). The pin keeps an old object's own count above zero whatever
// the young objects pointing to it do, so the collector never moves it
// between lists (moving one back would make the collector add back
// references it never subtracted). Old garbage, cycles or not, waits for
// a full collection: when the heap left after a collection has grown by
// half (or the policy's floor) since the last full one, or after
// fullEvery collections, the pins are
// dropped and the old list goes back to the engine, so its next run walks
// everything.
//
// Shapes and closure variables (var refs) are tenured the same way: on
// the Express JSON route ~3,700 closure variables and ~830 shapes survive
// every collection, about a tenth of the ~38,000 GC objects each young
// collection walked once objects and bytecode were old (most of the rest
// is the requests' dead closure variables). The engine does not export
// their release functions; untenure reaches them by linkname
// (tenuredFree). A pin on them changes the engine's path in three places,
// each to one with the same result:
//   - a hashed shape whose count is not 1 is cloned instead of modified
//     in place when its object gains a property or changes one (the
//     tenured original stays in the shape table, for other objects to
//     share, until its pin is dropped);
//   - when an object's property table grows or is compacted, the engine
//     reallocates the unhashed shape the object owns whatever its count:
//     the old shape, pin included, is freed and unlinked from the old
//     list, the new one is young with the object's one reference
//     (pinned then overcounts until the next untenure);
//   - deleting a global property whose variable has other references
//     keeps the variable, uninitialized and non-lexical, in the global
//     variable object, where it reads as absent (as a missing global).
// Async function states, modules and contexts stay on the engine's list.

type tenure struct {
	old      uintptr // list head in C memory (objects link to it)
	seen     map[uintptr]struct{}
	seenNext map[uintptr]struct{}
	pinned   int
	lastFull uint64 // heap left by the last full collection, 0 before one
	full     bool   // the old list was handed back: the next run is full
	fulls    int
	young    int // collections since the last full one
}

// fullEvery bounds how long old garbage waits when the heap does not grow
// (a finalizer, a WeakRef, memory that only old objects hold): every
// fullEvery-th collection is a full one.
const fullEvery = 32

func (vm *VM) gcList() uintptr {
	return vm.rt + unsafe.Offsetof(lib.TJSRuntime{}.Fgc_obj_list)
}

func listNext(el uintptr) uintptr { return (*lib.Tlist_head)(unsafe.Pointer(el)).Fnext }

func listDel(el uintptr) {
	l := (*lib.Tlist_head)(unsafe.Pointer(el))
	(*lib.Tlist_head)(unsafe.Pointer(l.Fprev)).Fnext = l.Fnext
	(*lib.Tlist_head)(unsafe.Pointer(l.Fnext)).Fprev = l.Fprev
	l.Fprev, l.Fnext = 0, 0
}

func listAddTail(head, el uintptr) {
	h := (*lib.Tlist_head)(unsafe.Pointer(head))
	l := (*lib.Tlist_head)(unsafe.Pointer(el))
	last := h.Fprev
	(*lib.Tlist_head)(unsafe.Pointer(last)).Fnext = el
	l.Fprev, l.Fnext = last, head
	h.Fprev = el
}

// listSplice moves every element of from to the end of to.
func listSplice(to, from uintptr) {
	f := (*lib.Tlist_head)(unsafe.Pointer(from))
	if f.Fnext == from {
		return
	}
	t := (*lib.Tlist_head)(unsafe.Pointer(to))
	first, last := f.Fnext, f.Fprev
	(*lib.Tlist_head)(unsafe.Pointer(t.Fprev)).Fnext = first
	(*lib.Tlist_head)(unsafe.Pointer(first)).Fprev = t.Fprev
	(*lib.Tlist_head)(unsafe.Pointer(last)).Fnext = to
	t.Fprev = last
	f.Fprev, f.Fnext = from, from
}

// gcHeader is the block header QuickJS keeps before each GC object: the
// type in the low 7 bits of byte 3, the reference count after it.
func gcHeader(p uintptr) *lib.TJSMallocBlockHeader {
	return (*lib.TJSMallocBlockHeader)(unsafe.Pointer(p - 8))
}

func gcType(p uintptr) int32 { return int32(*(*uint8)(unsafe.Pointer(p - 8 + 3)) & 0x7f) }

func (vm *VM) tenureInit() {
	t := &vm.gen
	t.old = libc.Xcalloc(vm.tls, 1, libc.Tsize_t(unsafe.Sizeof(lib.Tlist_head{})))
	h := (*lib.Tlist_head)(unsafe.Pointer(t.old))
	h.Fprev, h.Fnext = t.old, t.old
	t.seen = map[uintptr]struct{}{}
	t.seenNext = map[uintptr]struct{}{}
}

// tenureAfterGC runs when a collection left heap bytes: it decides
// whether the next collection is a full one and promotes the objects seen
// at the previous collection too.
func (vm *VM) tenureAfterGC(heap, floor uint64) {
	t := &vm.gen
	if t.old == 0 {
		return
	}
	switch {
	case t.full || t.lastFull == 0:
		t.full = false
		t.lastFull = heap
		t.fulls++
	case heap > t.lastFull+max(t.lastFull/2, floor) || t.young >= fullEvery:
		vm.untenure()
		t.full = true
		t.young = 0
		return
	}
	t.young++
	vm.promote()
}

// promote pins and moves to the old list the GC objects of the tenurable
// types that were on the engine's list at the previous call too.
func (vm *VM) promote() {
	t := &vm.gen
	head := vm.gcList()
	for el := listNext(head); el != head; {
		next := listNext(el)
		if tenurable(gcType(el)) {
			if _, ok := t.seen[el]; ok {
				gcHeader(el).Fref_count++
				listDel(el)
				listAddTail(t.old, el)
				t.pinned++
			} else {
				t.seenNext[el] = struct{}{}
			}
		}
		el = next
	}
	clear(t.seen)
	t.seen, t.seenNext = t.seenNext, t.seen
}

// untenure drops every pin and gives the old list back to the engine.
// Objects whose pin was their last reference are released through the
// engine, which frees them (and what only they held) properly.
func (vm *VM) untenure() {
	t := &vm.gen
	clear(t.seen)
	if t.old == 0 || t.pinned == 0 {
		return
	}
	var dead []uintptr
	for el := listNext(t.old); el != t.old; el = listNext(el) {
		h := gcHeader(el)
		if h.Fref_count == 1 {
			dead = append(dead, el) // unreferenced: nothing can reach it while the others are released
		} else {
			h.Fref_count--
		}
	}
	listSplice(vm.gcList(), t.old)
	t.pinned = 0
	for _, p := range dead {
		vm.tenuredFree(p)
	}
}

// tenurable reports whether promote may move a GC object of type typ to
// the old list: those untenure knows how to release.
func tenurable(typ int32) bool {
	switch typ {
	case lib.EJS_GC_OBJ_TYPE_JS_OBJECT, lib.EJS_GC_OBJ_TYPE_FUNCTION_BYTECODE,
		lib.EJS_GC_OBJ_TYPE_SHAPE, lib.EJS_GC_OBJ_TYPE_VAR_REF:
		return true
	}
	return false
}

// tenuredFree drops the last reference to tenured GC object p (its pin),
// through the engine's release function for its type.
func (vm *VM) tenuredFree(p uintptr) {
	switch gcType(p) {
	case lib.EJS_GC_OBJ_TYPE_SHAPE:
		jsFreeShape(vm.tls, vm.rt, p)
	case lib.EJS_GC_OBJ_TYPE_VAR_REF:
		jsFreeVarRef(vm.tls, vm.rt, p)
	default:
		tag := int64(lib.EJS_TAG_OBJECT)
		if gcType(p) == lib.EJS_GC_OBJ_TYPE_FUNCTION_BYTECODE {
			tag = lib.EJS_TAG_FUNCTION_BYTECODE
		}
		var v lib.TJSValue
		*(*uintptr)(unsafe.Pointer(&v.Fu)) = p
		v.Ftag = tag
		lib.XFreeValue(vm.tls, vm.ctx, v)
	}
}

// jsFreeVarRef drops a reference to a closure variable (free_var_ref);
// the last one frees it, its value, and detaches it from a live frame.
//
//go:linkname jsFreeVarRef modernc.org/libquickjs._free_var_ref
func jsFreeVarRef(tls *libc.TLS, rt, varRef uintptr)

// withOldListed runs f with the old list spliced into the engine's (pins
// kept), for the engine's functions that count the heap by walking it.
func (vm *VM) withOldListed(f func()) {
	t := &vm.gen
	if t.old == 0 || t.pinned == 0 {
		f()
		return
	}
	head := vm.gcList()
	h := (*lib.Tlist_head)(unsafe.Pointer(head))
	o := (*lib.Tlist_head)(unsafe.Pointer(t.old))
	// Put the old list at the front, then cut it back out by its ends.
	first, last := o.Fnext, o.Fprev
	oldFirst := h.Fnext
	h.Fnext = first
	(*lib.Tlist_head)(unsafe.Pointer(first)).Fprev = head
	(*lib.Tlist_head)(unsafe.Pointer(last)).Fnext = oldFirst
	(*lib.Tlist_head)(unsafe.Pointer(oldFirst)).Fprev = last
	o.Fnext, o.Fprev = t.old, t.old
	f()
	// f only read the lists: first..last is still the front segment.
	after := (*lib.Tlist_head)(unsafe.Pointer(last)).Fnext
	h.Fnext = after
	(*lib.Tlist_head)(unsafe.Pointer(after)).Fprev = head
	o.Fnext, o.Fprev = first, last
	(*lib.Tlist_head)(unsafe.Pointer(first)).Fprev = t.old
	(*lib.Tlist_head)(unsafe.Pointer(last)).Fnext = t.old
}

// GCGenerations reports the objects pinned in the old generation now and
// the full collections seen so far.
func (vm *VM) GCGenerations() (pinned, fulls int) { return vm.gen.pinned, vm.gen.fulls }
