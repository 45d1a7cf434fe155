package qjs

import (
	"slices"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// QuickJS's Object.keys lists an object's own keys into a temporary atom
// table (duplicating each atom), then looks every key up again to check
// that it is still enumerable and appends it to the result with one
// JS_CreateDataPropertyUint32 each, growing the array as it goes:
// transpiled to Go that is about 1.4 µs for a five-key object, ten times
// node. objectKeysFast reads the shape of a plain ordinary object once and
// builds the result in one allocation; for anything else (primitives,
// arrays, typed arrays, String objects, arguments, Proxies, module
// namespaces, any class but Object, objects with lazy or variable-reference
// properties) it calls the engine's own Object.keys, kept in the function's
// data slot, which stays the reference: tests compare the two.
//
// The order is the engine's: array-index keys (tagged-int atoms, and string
// atoms that are canonical numbers below 2^32-1) ascending, then the other
// string keys in shape (insertion) order; symbols and private names are
// skipped, and so are non-enumerable properties. Getters are not called.

// jsAtomIsArrayIndex is JS_AtomIsArrayIndex: it stores the index at pval
// (4 bytes of C memory) and returns 1 when atom is an array index.
//
//go:linkname jsAtomIsArrayIndex modernc.org/libquickjs._JS_AtomIsArrayIndex
func jsAtomIsArrayIndex(tls *libc.TLS, ctx, pval uintptr, atom lib.TJSAtom) int32

// objectKeysFastOn makes New install the fast Object.keys; the
// differential test turns it off to keep the engine's function beside it.
var objectKeysFastOn = true

// installObjectKeys replaces Object.keys with objectKeysFast, which keeps
// the engine's function as its data value to decline to.
func (vm *VM) installObjectKeys() {
	if !objectKeysFastOn {
		return
	}
	vm.replaceObjectKeys()
}

func (vm *VM) replaceObjectKeys() {
	global := vm.Global()
	defer vm.Free(global)
	object := vm.GetV(global, "Object")
	defer vm.Free(object)
	if !object.IsObject() {
		return
	}
	for kind, name := range []string{"keys", "values", "entries"} {
		orig := vm.GetV(object, name)
		if !orig.IsObject() {
			vm.Free(orig)
			continue
		}
		vm.pin(orig.v) // the engine's function, declined to, lives as long as the VM
		kind := int32(kind)
		f := vm.Function(name, 1, func(vm *VM, this Value, args []Value) (Value, error) {
			return Value{objectKeysFast(vm.tls, vm.ctx, orig.v, this.v, args, kind)}, nil
		})
		if f.v.Ftag != tagObject {
			continue
		}
		vm.Define(object, name, f, false)
	}
}

// The magic of the three functions: what each result element is.
const (
	kindKeys = iota
	kindValues
	kindEntries
)

// objectKeysFast is Object.keys (kind kindKeys), Object.values
// (kindValues) and Object.entries (kindEntries): the engine's function orig
// for anything ownEnumKeys declines. Its result may be the engine's
// exception marker, which callGo hands back as is (the exception stays
// pending). It is a Go function (func.go), which costs less per call than
// the JS_NewCFunctionData it was.
func objectKeysFast(tls *libc.TLS, ctx uintptr, orig, this lib.TJSValue, args []Value, kind int32) lib.TJSValue {
	if len(args) >= 1 {
		arg := args[0].v
		if arg.Ftag == tagObject {
			if r, ok := ownEnumKeys(tls, ctx, *(*uintptr)(unsafe.Pointer(&arg.Fu)), kind); ok {
				return r
			}
		}
	}
	var argv uintptr
	if len(args) > 0 {
		// args is the engine's own argv (callGo's zero-copy slice).
		argv = uintptr(unsafe.Pointer(&args[0]))
	}
	return lib.XJS_Call(tls, ctx, orig, this, int32(len(args)), argv)
}

// keyIndex is an array-index key and its numeric value, for sorting.
type keyIndex struct {
	n    uint32
	prop int32
}

// ownEnumKeys returns the array of p's own enumerable string keys (or
// their values, or [key, value] pairs), or false (nothing allocated, no
// exception) when p is not a plain ordinary object. Values and entries
// also decline for an enumerable accessor: its getter could change the
// object while the engine walks it.
func ownEnumKeys(tls *libc.TLS, ctx, p uintptr, kind int32) (lib.TJSValue, bool) {
	o := (*lib.TJSObject)(unsafe.Pointer(p))
	if int32(o.Fclass_id) != lib.EJS_CLASS_OBJECT || *(*uint8)(unsafe.Pointer(p + objFlagsOff))&objExotic != 0 {
		return lib.TJSValue{}, false
	}
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	rt := (*lib.TJSContext)(unsafe.Pointer(ctx)).Frt
	atoms := (*lib.TJSRuntime)(unsafe.Pointer(rt)).Fatom_array
	props := shapeProps(sh)
	count := int(sh.Fprop_count)

	var numBuf [16]keyIndex
	var strBuf [64]int32
	nums, strs := numBuf[:0], strBuf[:0]
	var scratch uintptr // 4 bytes for JS_AtomIsArrayIndex, allocated when needed
	for i := 0; i < count; i++ {
		sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
		atom := sp.Fatom
		if atom == lib.MJS_ATOM_NULL {
			continue // deleted
		}
		pflags := *(*uint32)(unsafe.Pointer(sp)) >> 26
		if t := pflags & propTypeMask; t != lib.MJS_PROP_NORMAL && t != lib.MJS_PROP_GETSET {
			// A variable reference or a lazily created property: the
			// engine's enumerability check can instantiate or throw.
			if scratch != 0 {
				tls.Free(4)
			}
			return lib.TJSValue{}, false
		}
		if pflags&propEnumerable == 0 {
			continue
		}
		if kind != kindKeys && pflags&propTypeMask != lib.MJS_PROP_NORMAL {
			if atom&atomTaggedInt != 0 || *(*uint32)(unsafe.Pointer(*(*uintptr)(unsafe.Pointer(atoms + uintptr(atom)*8)) + 4))>>30 == lib.EJS_ATOM_TYPE_STRING {
				if scratch != 0 {
					tls.Free(4)
				}
				return lib.TJSValue{}, false
			}
		}
		if atom&atomTaggedInt != 0 {
			nums = append(nums, keyIndex{atom &^ atomTaggedInt, int32(i)})
			continue
		}
		str := *(*uintptr)(unsafe.Pointer(atoms + uintptr(atom)*8))
		if *(*uint32)(unsafe.Pointer(str + 4))>>30 != lib.EJS_ATOM_TYPE_STRING {
			continue // a symbol or a private name
		}
		if startsWithDigit(str) {
			// Numeric strings too large for a tagged int (2^31 and up)
			// are still array indices below 2^32-1.
			if scratch == 0 {
				scratch = tls.Alloc(4)
			}
			if jsAtomIsArrayIndex(tls, ctx, scratch, atom) != 0 {
				nums = append(nums, keyIndex{*(*uint32)(unsafe.Pointer(scratch)), int32(i)})
				continue
			}
		}
		strs = append(strs, int32(i))
	}
	if scratch != 0 {
		tls.Free(4)
	}
	if len(nums) > 1 {
		slices.SortFunc(nums, func(a, b keyIndex) int {
			if a.n < b.n {
				return -1
			}
			return 1
		})
	}
	n := len(nums) + len(strs)
	if n == 0 {
		return jsCreateArrayFree(tls, ctx, 0, 0), true
	}
	// The table holds the n results and, for entries, one pair.
	tab := lib.Xjs_malloc(tls, ctx, lib.Tsize_t(n*16+32))
	if tab == 0 {
		return lib.TJSValue{Ftag: lib.EJS_TAG_EXCEPTION}, true
	}
	pair := tab + uintptr(n)*16
	j := 0
	fail := func() {
		for k := 0; k < j; k++ {
			lib.XFreeValue(tls, ctx, *(*lib.TJSValue)(unsafe.Pointer(tab + uintptr(k)*16)))
		}
		lib.Xjs_free(tls, ctx, tab)
	}
	put := func(i int32) bool {
		var v lib.TJSValue
		if kind != kindValues {
			sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
			v = lib.XJS_AtomToValue(tls, ctx, sp.Fatom)
			if v.Ftag == lib.EJS_TAG_EXCEPTION {
				fail()
				return false
			}
		}
		if kind != kindKeys {
			val := lib.XDupValue(tls, ctx, *(*lib.TJSValue)(unsafe.Pointer(o.Fprop + uintptr(i)*16)))
			if kind == kindValues {
				v = val
			} else {
				*(*lib.TJSValue)(unsafe.Pointer(pair)) = v
				*(*lib.TJSValue)(unsafe.Pointer(pair + 16)) = val
				v = jsCreateArrayFree(tls, ctx, 2, pair)
				if v.Ftag == lib.EJS_TAG_EXCEPTION {
					fail()
					return false
				}
			}
		}
		*(*lib.TJSValue)(unsafe.Pointer(tab + uintptr(j)*16)) = v
		j++
		return true
	}
	for _, k := range nums {
		if !put(k.prop) {
			return lib.TJSValue{Ftag: lib.EJS_TAG_EXCEPTION}, true
		}
	}
	for _, i := range strs {
		if !put(i) {
			return lib.TJSValue{Ftag: lib.EJS_TAG_EXCEPTION}, true
		}
	}
	r := jsCreateArrayFree(tls, ctx, int32(n), tab)
	lib.Xjs_free(tls, ctx, tab)
	return r, true
}

// startsWithDigit reports whether the atom string at str begins with an
// ASCII digit (only such strings can be array indices).
func startsWithDigit(str uintptr) bool {
	hdr := *(*uint32)(unsafe.Pointer(str))
	if hdr&^strWideBit == 0 {
		return false
	}
	var c uint16
	if hdr&strWideBit == 0 {
		c = uint16(*(*byte)(unsafe.Pointer(str + strHeaderLen)))
	} else {
		c = *(*uint16)(unsafe.Pointer(str + strHeaderLen))
	}
	return c >= '0' && c <= '9'
}
