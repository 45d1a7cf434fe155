package qjs

import (
	"encoding/binary"
	"runtime"
	"strconv"
	"unsafe"
	_ "unsafe" // go:linkname

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Zero-copy access to typed arrays and strings for the native Buffer and
// TextEncoder/TextDecoder paths, where a call's fixed cost matters more than
// its byte loop (a 20-byte toString). They read QuickJS's object layout as
// modernc.org/libquickjs v0.14.0 transpiles it:
//
//   - a typed array keeps its element pointer and count in JSObject.u.array
//     ({u1 8 bytes, ptr 8 bytes, count uint32}), what the engine's own
//     indexed access reads; a detached or out-of-bounds array has count 0;
//   - an ArrayBuffer's JSObject.u.array_buffer points to a JSArrayBuffer.
//
// TestViews checks each accessor against the engine's public API.

// jsTypedArrayInit is typed_array_init: it makes obj (an object of a typed
// array class) a view of len elements of buffer from byte offset, taking
// one reference to buffer. The caller has checked the range.
//
//go:linkname jsTypedArrayInit modernc.org/libquickjs._typed_array_init
func jsTypedArrayInit(tls *libc.TLS, ctx uintptr, obj, buffer lib.TJSValue, offset, n uint64, trackRAB int32) int32

// object returns the JSObject behind an object value.
func (v Value) object() *lib.TJSObject { return (*lib.TJSObject)(unsafe.Pointer(v.ptr())) }

// typedShift is log2 of the element size of a typed array class, or -1 for
// any other class.
func typedShift(class uint16) int {
	switch int32(class) {
	case lib.EJS_CLASS_UINT8_ARRAY, lib.EJS_CLASS_UINT8C_ARRAY, lib.EJS_CLASS_INT8_ARRAY:
		return 0
	case lib.EJS_CLASS_UINT16_ARRAY, lib.EJS_CLASS_INT16_ARRAY, lib.EJS_CLASS_FLOAT16_ARRAY:
		return 1
	case lib.EJS_CLASS_UINT32_ARRAY, lib.EJS_CLASS_INT32_ARRAY, lib.EJS_CLASS_FLOAT32_ARRAY:
		return 2
	case lib.EJS_CLASS_BIG_UINT64_ARRAY, lib.EJS_CLASS_BIG_INT64_ARRAY, lib.EJS_CLASS_FLOAT64_ARRAY:
		return 3
	}
	return -1
}

// arrayData reads JSObject.u.array of a typed array: its data pointer and
// element count.
func arrayData(o *lib.TJSObject) (unsafe.Pointer, int) {
	u := unsafe.Pointer(&o.Fu)
	return *(*unsafe.Pointer)(unsafe.Add(u, 8)), int(*(*uint32)(unsafe.Add(u, 16)))
}

// ViewBytes is a zero-copy view of the bytes of a typed array of any element
// type, a DataView or an ArrayBuffer (ok false for anything else). A
// detached or out-of-bounds typed array has no bytes. The slice aliases
// engine memory: use it before any JavaScript runs.
func (vm *VM) ViewBytes(v Value) ([]byte, bool) {
	if v.tag() != tagObject {
		return nil, false
	}
	o := v.object()
	shift := typedShift(o.Fclass_id)
	if shift < 0 {
		return vm.TypedArrayBytes(v)
	}
	data, n := arrayData(o)
	if n == 0 || data == nil {
		return []byte{}, true
	}
	return unsafe.Slice((*byte)(data), n<<shift), true
}

// Uint8ArrayBytes is ViewBytes for a Uint8Array (a Buffer is one) only: ok
// is false for every other value, other typed arrays included (Node's
// isUint8Array).
func (vm *VM) Uint8ArrayBytes(v Value) ([]byte, bool) {
	if v.tag() != tagObject {
		return nil, false
	}
	o := v.object()
	if int32(o.Fclass_id) != lib.EJS_CLASS_UINT8_ARRAY {
		return nil, false
	}
	data, n := arrayData(o)
	if n == 0 || data == nil {
		return []byte{}, true
	}
	return unsafe.Slice((*byte)(data), n), true
}

// IsUint8Array reports whether v is a Uint8Array (or a subclass instance,
// such as a Buffer).
func IsUint8Array(v Value) bool {
	return v.tag() == tagObject && int32(v.object().Fclass_id) == lib.EJS_CLASS_UINT8_ARRAY
}

// NewLatin1 allocates an 8-bit string of n characters and returns it with
// its character memory, which the caller must fill completely before any
// JavaScript runs (the string is not valid until then). n must be > 0; ok
// is false when n is out of range or memory is exhausted (no exception is
// left pending).
func (vm *VM) NewLatin1(n int) (s Value, chars []byte, ok bool) {
	if n <= 0 || n > 1<<30 {
		return Undefined, nil, false
	}
	p := jsAllocString(vm.tls, vm.ctx, int32(n), 0)
	if p == 0 {
		vm.clearException()
		return Undefined, nil, false
	}
	// p is engine memory (not Go's heap): nothing moves or frees it before
	// the string is released.
	mem := unsafe.Slice((*byte)(unsafe.Pointer(p+strHeaderLen)), n+1)
	mem[n] = 0 // 8-bit strings keep a terminating NUL
	var r lib.TJSValue
	*(*uintptr)(unsafe.Pointer(&r.Fu)) = p
	r.Ftag = tagString
	return Value{r}, mem[:n], true
}

// UTF8String makes a string from valid UTF-8 (the engine replaces invalid
// sequences its own way, which is not WHATWG's), reading b in place: b may
// alias engine memory, such as a Buffer's bytes.
func (vm *VM) UTF8String(b []byte) Value {
	if len(b) == 0 {
		return vm.String("")
	}
	if isASCII(b) {
		// The engine would make the same 8-bit string, after checking the
		// bytes one at a time (JS_NewStringLen's count_ascii).
		if s, mem, ok := vm.NewLatin1(len(b)); ok {
			copy(mem, b)
			return s
		}
	}
	r := lib.XJS_NewStringLen(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b))), libc.Tsize_t(len(b)))
	runtime.KeepAlive(b) // b may be Go memory, passed as an address
	return Value{r}
}

// ArrayBufferLen returns the byte length of an ArrayBuffer that is not
// detached (ok false for anything else, SharedArrayBuffers included).
func ArrayBufferLen(ab Value) (int, bool) {
	if ab.tag() != tagObject || int32(ab.object().Fclass_id) != lib.EJS_CLASS_ARRAY_BUFFER {
		return 0, false
	}
	a := (*lib.TJSArrayBuffer)(unsafe.Pointer(*(*uintptr)(unsafe.Pointer(&ab.object().Fu))))
	if a.Fdetached != 0 {
		return 0, false
	}
	return int(a.Fbyte_length), true
}

// NewUint8View is `new C(ab, off, n)` for a Uint8Array subclass C whose
// prototype is proto (Buffer's FastBuffer), without running a constructor:
// a Uint8Array of n bytes of the ArrayBuffer ab from byte off, made with
// proto as its prototype. ok is false (and nothing is made) when ab is not
// a live ArrayBuffer, the range is outside it, or memory is exhausted.
func (vm *VM) NewUint8View(ab Value, off, n int, proto Value) (Value, bool) {
	size, ok := ArrayBufferLen(ab)
	if !ok || off < 0 || n < 0 || off > size || n > size-off || proto.tag() != tagObject {
		return Undefined, false
	}
	obj := lib.XJS_NewObjectProtoClass(vm.tls, vm.ctx, proto.v, lib.EJS_CLASS_UINT8_ARRAY)
	if obj.Ftag == tagException {
		vm.clearException()
		return Undefined, false
	}
	vm.Dup(ab) // typed_array_init takes a reference, even when it fails
	if jsTypedArrayInit(vm.tls, vm.ctx, obj, ab.v, uint64(off), uint64(n), 0) < 0 {
		lib.XFreeValue(vm.tls, vm.ctx, obj)
		vm.clearException()
		return Undefined, false
	}
	return Value{obj}, true
}

// NewArrayBufferZero is `new ArrayBuffer(n)` in engine memory: n zero
// bytes, or Undefined when the engine cannot allocate them.
func (vm *VM) NewArrayBufferZero(n int) Value {
	if n <= 0 {
		return vm.NewArrayBufferCopy(nil)
	}
	// With no source the engine allocates the bytes zeroed (js_mallocz).
	r := lib.XJS_NewArrayBufferCopy(vm.tls, vm.ctx, 0, libc.Tsize_t(n))
	if r.Ftag == tagException {
		vm.clearException()
		return Undefined
	}
	return Value{r}
}

// Uint8ArrayRange returns the ArrayBuffer under a Uint8Array (borrowed: Dup
// it to keep it) and the byte offset and length of the view. ok is false
// for anything but a Uint8Array, and for one that is detached or out of
// bounds (its length reads 0 then).
func (vm *VM) Uint8ArrayRange(v Value) (ab Value, off, n int, ok bool) {
	if !IsUint8Array(v) {
		return Undefined, 0, 0, false
	}
	o := v.object()
	_, count := arrayData(o)
	ta := (*lib.TJSTypedArray)(unsafe.Pointer(*(*uintptr)(unsafe.Pointer(&o.Fu))))
	if count == 0 || ta == nil || ta.Fbuffer == 0 {
		return Undefined, 0, 0, false
	}
	var r lib.TJSValue
	*(*uintptr)(unsafe.Pointer(&r.Fu)) = ta.Fbuffer
	r.Ftag = tagObject
	return Value{r}, int(ta.Foffset), count, true
}

// PropKey is a property key interned once, for Go code that reads the same
// property on every call (no name lookup per read).
type PropKey struct{ a lib.TJSAtom }

// Key interns a property name (kept until Close).
func (vm *VM) Key(name string) PropKey { return PropKey{vm.atom(name)} }

// KeyOf interns any property key value, a Symbol included (kept until
// Close).
func (vm *VM) KeyOf(key Value) (PropKey, error) {
	a := lib.XJS_ValueToAtom(vm.tls, vm.ctx, key.v)
	if a == 0 {
		return PropKey{}, vm.exception()
	}
	// Filed with the named atoms, under a name no property string can
	// take, so Close frees it with them.
	vm.atoms["\x00key"+strconv.Itoa(len(vm.atoms))] = a
	return PropKey{a}, nil
}

// GetKey returns obj[k] (owned). An exception is returned as an error.
func (vm *VM) GetKey(obj Value, k PropKey) (Value, error) {
	r := lib.XGetProperty(vm.tls, vm.ctx, obj.v, k.a)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// Num returns the value of a number without calling into the engine; ok is
// false for anything that is not a number.
func Num(v Value) (float64, bool) {
	switch v.tag() {
	case tagInt:
		return float64(v.int32()), true
	case tagFloat64:
		return v.float(), true
	}
	return 0, false
}

// SmallInt returns v when it is an int-tagged number, without calling
// into the engine. QuickJS keeps most integers in int32 range that way, but
// arithmetic can leave one as a float64 (4 / 2), which SmallInt does not
// report: use Num for those.
func SmallInt(v Value) (int, bool) {
	if v.tag() == tagInt {
		return int(v.int32()), true
	}
	return 0, false
}

// IsArrayObject reports whether v is an Array object itself (not a Proxy
// of one, which Array.isArray also accepts).
func IsArrayObject(v Value) bool {
	return v.tag() == tagObject && int32(v.object().Fclass_id) == lib.EJS_CLASS_ARRAY
}

// SetKey sets obj[k] = val, taking ownership of val.
func (vm *VM) SetKey(obj Value, k PropKey, val Value) error {
	if lib.XSetProperty(vm.tls, vm.ctx, obj.v, k.a, val.v) < 0 {
		return vm.exception()
	}
	return nil
}

// IsView is ArrayBuffer.isView: a typed array or a DataView.
func IsView(v Value) bool {
	if v.tag() != tagObject {
		return false
	}
	id := int32(v.object().Fclass_id)
	return id >= lib.EJS_CLASS_UINT8C_ARRAY && id <= lib.EJS_CLASS_DATAVIEW
}

// ObjectShape is the layout of plain objects with the same data properties
// in the same order, for making many of them without a property
// definition each (encodeInto's {read, written}).
type ObjectShape struct {
	sh uintptr
	n  int
}

// ShapeOf takes the layout of example, a plain object whose properties are
// all ordinary data properties (writable, enumerable, configurable); ok is
// false for anything else. The layout is held until Close.
func (vm *VM) ShapeOf(example Value) (ObjectShape, bool) {
	if example.tag() != tagObject || int32(example.object().Fclass_id) != lib.EJS_CLASS_OBJECT {
		return ObjectShape{}, false
	}
	o := example.object()
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	if sh.Fis_hashed == 0 || sh.Fdeleted_prop_count != 0 {
		return ObjectShape{}, false
	}
	props := shapeProps(sh)
	for i := 0; i < int(sh.Fprop_count); i++ {
		sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
		if *(*uint32)(unsafe.Pointer(sp))>>26 != lib.MJS_PROP_C_W_E {
			return ObjectShape{}, false
		}
	}
	p := jsDupShape(vm.tls, o.Fshape)
	vm.shapes = append(vm.shapes, p)
	return ObjectShape{p, int(sh.Fprop_count)}, true
}

// NewObjectOf makes a plain object of layout s with the given property
// values, in the layout's order (it takes ownership of them). It panics
// when the count differs from the layout's.
func (vm *VM) NewObjectOf(s ObjectShape, vals ...Value) Value {
	if len(vals) != s.n || s.sh == 0 {
		panic("qjs: NewObjectOf: values do not match the shape")
	}
	// The values go through engine memory: the engine reads them after
	// calls that may move a goroutine stack.
	p := vm.tls.Alloc(16 * len(vals))
	for i, v := range vals {
		*(*lib.TJSValue)(unsafe.Pointer(p + uintptr(i)*16)) = v.v
	}
	r := jsNewObjectFromShape(vm.tls, vm.ctx, jsDupShape(vm.tls, s.sh), lib.EJS_CLASS_OBJECT, p)
	vm.tls.Free(16 * len(vals))
	if r.Ftag == tagException {
		vm.clearException()
		return Undefined
	}
	return Value{r}
}

// HasProto reports whether v is an object whose prototype is proto (read
// from the object's shape, no engine call; a Proxy reports its own).
func HasProto(v, proto Value) bool {
	if v.tag() != tagObject || proto.tag() != tagObject {
		return false
	}
	sh := (*lib.TJSShape)(unsafe.Pointer(v.object().Fshape))
	return sh.Fproto == proto.ptr()
}

// ArrayElems returns the elements of a dense fast Array (its length equal
// to the element count the engine stores inline) as a view of engine
// memory, without an engine call per element: borrowed, valid only until
// JavaScript runs or the array changes (Dup what must outlive that). ok is
// false for anything else: a Proxy, an array with holes or a length past
// its elements, a non-fast (sparse) array.
func ArrayElems(v Value) ([]Value, bool) {
	if !IsArrayObject(v) {
		return nil, false
	}
	p := v.ptr()
	if *(*uint8)(unsafe.Pointer(p + objFlagsOff))&objFastArray == 0 {
		return nil, false
	}
	o := v.object()
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	// An array's first property is its length.
	if sh.Fprop_count < 1 || (*lib.TJSShapeProperty)(unsafe.Pointer(shapeProps(sh))).Fatom != lib.EJS_ATOM_length {
		return nil, false
	}
	lv := Value{*(*lib.TJSValue)(unsafe.Pointer(o.Fprop))}
	if lv.tag() != tagInt {
		return nil, false
	}
	arr := (*struct {
		size   uint32
		_      uint32
		values uintptr
		count  uint32
	})(unsafe.Pointer(&o.Fu))
	n := int(uint32(lv.int32()))
	if n != int(arr.count) {
		return nil, false
	}
	if n == 0 {
		return []Value{}, true
	}
	return unsafe.Slice((*Value)(unsafe.Pointer(arr.values)), n), true
}

// SlotCache remembers where an object keeps a property, for OwnData.
type SlotCache struct{ i int32 }

// OwnData returns obj's own plain data property k (borrowed: Dup to keep
// it) read from the object's property slot, with c remembering the slot so
// that a repeated read of a property whose value programs may change (a
// setting such as Buffer.poolSize) costs no engine lookup. ok is false when
// obj is not an ordinary object or k is not one of its own data properties
// (deleted, an accessor, inherited): the caller asks the engine then.
func OwnData(obj Value, k PropKey, c *SlotCache) (Value, bool) {
	if obj.tag() != tagObject {
		return Undefined, false
	}
	p := obj.ptr()
	if *(*uint8)(unsafe.Pointer(p + objFlagsOff))&objExotic != 0 {
		return Undefined, false
	}
	o := obj.object()
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	props, n := shapeProps(sh), int32(sh.Fprop_count)
	plain := func(i int32) bool {
		sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
		return sp.Fatom == k.a && (*(*uint32)(unsafe.Pointer(sp))>>26)&propTypeMask == lib.MJS_PROP_NORMAL
	}
	i := c.i
	if i < 0 || i >= n || !plain(i) {
		for i = 0; i < n && !plain(i); i++ {
		}
		if i == n {
			return Undefined, false
		}
		c.i = i
	}
	return Value{*(*lib.TJSValue)(unsafe.Pointer(o.Fprop + uintptr(i)*16))}, true
}

// isASCII reports whether b has no byte above 0x7F, eight bytes at a time.
func isASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}
