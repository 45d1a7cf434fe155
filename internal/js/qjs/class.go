package qjs

import (
	"sync"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Class is a host class: JavaScript objects whose opaque data is a Go
// value, referenced by an integer handle into the VM's table.
type Class struct {
	id       uint32
	name     string
	finalize func(obj any)
}

// NewClass registers a host class. finalize (may be nil) runs when an
// instance is collected.
func (vm *VM) NewClass(name string, finalize func(obj any)) (*Class, error) {
	if c, ok := vm.classes[name]; ok {
		return c, nil
	}
	id := classIDFor(vm, name)
	if err := vm.newClassDef(id, name, fp(hostFinalizer), 0); err != nil {
		return nil, err
	}
	c := &Class{id: id, name: name, finalize: finalize}
	vm.classes[name] = c
	return c, nil
}

// classIDs maps a host class's name to its QuickJS class id. Ids are
// process-wide in QuickJS (JS_NewClassID bumps one global counter without
// a lock) while classes are registered per runtime, so every VM, including
// the --workers runs and worker_threads starting at the same time, takes
// the same id for the same name: no race on the counter, and the ids (and
// each runtime's class table, sized by the largest id) stop growing with
// every VM made.
var classIDs struct {
	sync.Mutex
	byName map[string]uint32
}

// classIDFor returns the process-wide class id for name, allocating it on
// first use.
func classIDFor(vm *VM, name string) uint32 {
	classIDs.Lock()
	defer classIDs.Unlock()
	if id, ok := classIDs.byName[name]; ok {
		return id
	}
	p := libc.Xcalloc(vm.tls, 1, 4)
	lib.XJS_NewClassID(vm.tls, p)
	id := *(*uint32)(unsafe.Pointer(p))
	libc.Xfree(vm.tls, p)
	if classIDs.byName == nil {
		classIDs.byName = make(map[string]uint32)
	}
	classIDs.byName[name] = id
	return id
}

// SetProto sets the prototype instances of c get (borrowed).
func (vm *VM) SetProto(c *Class, proto Value) {
	lib.XJS_SetClassProto(vm.tls, vm.ctx, c.id, vm.Dup(proto).v)
}

// NewInstance creates an object of class c holding obj. proto (borrowed)
// may be Undefined to use the class prototype.
func (vm *VM) NewInstance(c *Class, proto Value, obj any) Value {
	var v lib.TJSValue
	if proto.IsUndefined() {
		v = lib.XJS_NewObjectClass(vm.tls, vm.ctx, int32(c.id))
	} else {
		v = lib.XJS_NewObjectProtoClass(vm.tls, vm.ctx, proto.v, c.id)
	}
	if v.Ftag != tagObject {
		return Value{v}
	}
	var h int32
	if n := len(vm.freeObjs); n > 0 {
		h = vm.freeObjs[n-1]
		vm.freeObjs = vm.freeObjs[:n-1]
		vm.objs[h] = obj
	} else {
		h = int32(len(vm.objs))
		vm.objs = append(vm.objs, obj)
	}
	lib.XJS_SetOpaque(vm.tls, v, uintptr(h))
	return Value{v}
}

// Opaque returns the Go value held by an instance of c.
func (vm *VM) Opaque(v Value, c *Class) (any, bool) {
	if !v.IsObject() {
		return nil, false
	}
	h := lib.XJS_GetOpaque(vm.tls, v.v, c.id)
	if h == 0 || int(h) >= len(vm.objs) {
		return nil, false
	}
	return vm.objs[h], true
}

func hostFinalizer(tls *libc.TLS, rt uintptr, val lib.TJSValue) {
	vm := vmByID(lib.XJS_GetRuntimeOpaque(tls, rt))
	if vm == nil {
		return
	}
	id := lib.XJS_GetClassID(tls, val)
	h := int32(lib.XJS_GetOpaque(tls, val, id))
	if h <= 0 || int(h) >= len(vm.objs) {
		return
	}
	obj := vm.objs[h]
	vm.objs[h] = nil
	vm.freeObjs = append(vm.freeObjs, h)
	for _, c := range vm.classes {
		if c.id == id && c.finalize != nil {
			c.finalize(obj)
		}
	}
}
