package qjs

import (
	"math"
	"runtime"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// Value is a JavaScript value. Values that hold objects, strings, symbols or
// BigInts are reference counted: see the package comment for ownership.
// The layout is QuickJS's JSValue, so a []Value can alias engine memory.
type Value struct{ v lib.TJSValue }

// Tags.
const (
	tagBigInt    = lib.EJS_TAG_BIG_INT
	tagSymbol    = lib.EJS_TAG_SYMBOL
	tagString    = lib.EJS_TAG_STRING
	tagRope      = lib.EJS_TAG_STRING_ROPE
	tagModule    = lib.EJS_TAG_MODULE
	tagObject    = lib.EJS_TAG_OBJECT
	tagInt       = lib.EJS_TAG_INT
	tagBool      = lib.EJS_TAG_BOOL
	tagNull      = lib.EJS_TAG_NULL
	tagUndefined = lib.EJS_TAG_UNDEFINED
	tagException = lib.EJS_TAG_EXCEPTION
	tagShortBig  = lib.EJS_TAG_SHORT_BIG_INT
	tagFloat64   = lib.EJS_TAG_FLOAT64
)

var (
	// Undefined is JavaScript's undefined (not reference counted).
	Undefined = Value{lib.TJSValue{Ftag: tagUndefined}}
	// Null is JavaScript's null.
	Null = Value{lib.TJSValue{Ftag: tagNull}}
	// True and False are the booleans.
	True      = Value{mkval(tagBool, 1)}
	False     = Value{mkval(tagBool, 0)}
	exception = Value{lib.TJSValue{Ftag: tagException}}
)

func mkval(tag int64, n int32) (r lib.TJSValue) {
	*(*uint64)(unsafe.Pointer(&r)) = uint64(uint32(n))
	r.Ftag = tag
	return r
}

func (v Value) tag() int64     { return v.v.Ftag }
func (v Value) int32() int32   { return int32(*(*uint64)(unsafe.Pointer(&v.v))) }
func (v Value) float() float64 { return *(*float64)(unsafe.Pointer(&v.v)) }
func (v Value) ptr() uintptr   { return *(*uintptr)(unsafe.Pointer(&v.v)) }

// refCounted reports whether v carries a reference count.
func (v Value) refCounted() bool { return v.v.Ftag < 0 }

// IsUndefined and friends test the type.
func (v Value) IsUndefined() bool { return v.tag() == tagUndefined }
func (v Value) IsNull() bool      { return v.tag() == tagNull }
func (v Value) IsNullish() bool   { return v.tag() == tagNull || v.tag() == tagUndefined }
func (v Value) IsBool() bool      { return v.tag() == tagBool }
func (v Value) IsNumber() bool    { return v.tag() == tagInt || v.tag() == tagFloat64 }
func (v Value) IsString() bool    { return v.tag() == tagString || v.tag() == tagRope }
func (v Value) IsSymbol() bool    { return v.tag() == tagSymbol }
func (v Value) IsObject() bool    { return v.tag() == tagObject }
func (v Value) IsBigInt() bool    { return v.tag() == tagBigInt || v.tag() == tagShortBig }
func (v Value) IsException() bool { return v.tag() == tagException }

// Same reports whether a and b are the same value as JavaScript's === does
// for objects (identity), cheaply, without a VM.
func (a Value) Same(b Value) bool { return a.v == b.v }

// Int returns a number.
func Int(n int32) Value { return Value{mkval(tagInt, n)} }

// Float returns a number; integral values in int32 range use the int tag as
// QuickJS's JS_NewNumber does, so === and Object.is behave.
func Float(f float64) Value {
	if f >= math.MinInt32 && f <= math.MaxInt32 && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)) {
		return Int(int32(f))
	}
	var r lib.TJSValue
	*(*float64)(unsafe.Pointer(&r)) = f
	r.Ftag = tagFloat64
	return Value{r}
}

// Bool returns a boolean.
func Bool(b bool) Value {
	if b {
		return True
	}
	return False
}

// Dup returns a new reference to v.
func (vm *VM) Dup(v Value) Value {
	if v.refCounted() {
		return Value{lib.XDupValue(vm.tls, vm.ctx, v.v)}
	}
	return v
}

// Free releases a reference.
func (vm *VM) Free(v Value) {
	if v.refCounted() {
		lib.XFreeValue(vm.tls, vm.ctx, v.v)
	}
}

// FreeAll releases several references.
func (vm *VM) FreeAll(vs ...Value) {
	for _, v := range vs {
		vm.Free(v)
	}
}

// String creates a JavaScript string from UTF-8 (invalid sequences become
// U+FFFD).
func (vm *VM) String(s string) Value {
	if len(s) < 4096 {
		p, n := vm.cstring(s)
		r := lib.XJS_NewStringLen(vm.tls, vm.ctx, p, libc.Tsize_t(len(s)))
		vm.tls.Free(n)
		return Value{r}
	}
	if s[len(s)-1] < 0x80 {
		// Read the Go string in place: Go's heap does not move, and
		// KeepAlive holds it until QuickJS has copied it. A string ending
		// in a multi-byte sequence takes the copy below, so a truncated
		// sequence can never make the decoder read past the end.
		r := lib.XJS_NewStringLen(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.StringData(s))), libc.Tsize_t(len(s)))
		runtime.KeepAlive(s)
		return Value{r}
	}
	p := cmalloc(vm.tls, s)
	r := lib.XJS_NewStringLen(vm.tls, vm.ctx, p, libc.Tsize_t(len(s)))
	libc.Xfree(vm.tls, p)
	return Value{r}
}

// Latin1String creates a string whose code units are the bytes of b.
func (vm *VM) Latin1String(b []byte) Value {
	// QuickJS reads UTF-8 in NewStringLen; build from code units instead.
	u := make([]byte, 0, len(b)*2)
	for _, c := range b {
		if c < 0x80 {
			u = append(u, c)
		} else {
			u = append(u, 0xC0|c>>6, 0x80|c&0x3F)
		}
	}
	return vm.String(unsafe.String(unsafe.SliceData(u), len(u)))
}

// Number converts n.
func (vm *VM) Number(n float64) Value { return Float(n) }

// BigInt creates a BigInt.
func (vm *VM) BigInt(n int64) Value { return Value{lib.XJS_NewBigInt64(vm.tls, vm.ctx, n)} }

// BigUint creates a BigInt from an unsigned integer.
func (vm *VM) BigUint(n uint64) Value { return Value{lib.XJS_NewBigUint64(vm.tls, vm.ctx, n)} }

// Object creates {}.
func (vm *VM) Object() Value { return Value{lib.XJS_NewObject(vm.tls, vm.ctx)} }

// ObjectProto creates an object with the given prototype (borrowed).
func (vm *VM) ObjectProto(proto Value) Value {
	return Value{lib.XJS_NewObjectProto(vm.tls, vm.ctx, proto.v)}
}

// Array creates [].
func (vm *VM) Array() Value { return Value{lib.XJS_NewArray(vm.tls, vm.ctx)} }

// ArrayOf creates an array taking ownership of items, in one engine
// allocation (the values are copied to the TLS stack first: items may
// live on the goroutine stack, which can move during the call).
func (vm *VM) ArrayOf(items ...Value) Value {
	if len(items) == 0 || len(items) > 64 {
		a := vm.Array()
		for i, it := range items {
			lib.XJS_SetPropertyUint32(vm.tls, vm.ctx, a.v, uint32(i), it.v)
		}
		return a
	}
	size := int(unsafe.Sizeof(lib.TJSValue{}))
	n := len(items) * size
	p := vm.tls.Alloc(n)
	for i, it := range items {
		*(*lib.TJSValue)(unsafe.Pointer(p + uintptr(i*size))) = it.v
	}
	a := Value{jsCreateArrayFree(vm.tls, vm.ctx, int32(len(items)), p)}
	vm.tls.Free(n)
	return a
}

// StringArray creates an array of strings.
func (vm *VM) StringArray(items []string) Value {
	a := vm.Array()
	for i, it := range items {
		lib.XJS_SetPropertyUint32(vm.tls, vm.ctx, a.v, uint32(i), vm.String(it).v)
	}
	return a
}

// Date creates a Date from milliseconds since the epoch.
func (vm *VM) Date(ms float64) Value { return Value{lib.XJS_NewDate(vm.tls, vm.ctx, ms)} }

// Global returns the global object (owned).
func (vm *VM) Global() Value { return Value{lib.XJS_GetGlobalObject(vm.tls, vm.ctx)} }

// ToString converts v like String(v) does. A conversion that throws returns
// the JS error.
func (vm *VM) ToString(v Value) (string, error) {
	if v.IsString() {
		return vm.goString(v.v), nil
	}
	s := lib.XJS_ToString(vm.tls, vm.ctx, v.v)
	if s.Ftag == tagException {
		return "", vm.exception()
	}
	r := vm.goString(s)
	lib.XFreeValue(vm.tls, vm.ctx, s)
	return r, nil
}

// Str converts v to a Go string, returning "" when conversion throws (the
// exception is discarded).
func (vm *VM) Str(v Value) string {
	s, err := vm.ToString(v)
	if err != nil {
		return ""
	}
	return s
}

func (vm *VM) goString(v lib.TJSValue) string {
	pl := vm.tls.Alloc(8)
	p := lib.XJS_ToCStringLen2(vm.tls, vm.ctx, pl, v, 0)
	n := *(*libc.Tsize_t)(unsafe.Pointer(pl))
	vm.tls.Free(8)
	if p == 0 {
		vm.clearException()
		return ""
	}
	s := string(unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
	lib.XJS_FreeCString(vm.tls, vm.ctx, p)
	return s
}

// ToFloat converts v like Number(v).
func (vm *VM) ToFloat(v Value) (float64, error) {
	switch v.tag() {
	case tagInt:
		return float64(v.int32()), nil
	case tagFloat64:
		return v.float(), nil
	}
	p := vm.tls.Alloc(8)
	defer vm.tls.Free(8)
	if lib.XJS_ToFloat64(vm.tls, vm.ctx, p, v.v) < 0 {
		return 0, vm.exception()
	}
	return *(*float64)(unsafe.Pointer(p)), nil
}

// Float returns v as a float64 (NaN when conversion throws).
func (vm *VM) Float(v Value) float64 {
	f, err := vm.ToFloat(v)
	if err != nil {
		return math.NaN()
	}
	return f
}

// Int returns ToInt32-like integer (0 when conversion throws), as int64
// preserving numbers up to 2^53.
func (vm *VM) Int(v Value) int64 {
	if v.tag() == tagInt {
		return int64(v.int32())
	}
	f := vm.Float(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return int64(f)
}

// ToInt64 converts a BigInt or number to int64.
func (vm *VM) ToInt64(v Value) (int64, error) {
	p := vm.tls.Alloc(8)
	defer vm.tls.Free(8)
	if v.IsBigInt() {
		if lib.XJS_ToBigInt64(vm.tls, vm.ctx, p, v.v) < 0 {
			return 0, vm.exception()
		}
	} else if lib.XJS_ToInt64Ext(vm.tls, vm.ctx, p, v.v) < 0 {
		return 0, vm.exception()
	}
	return *(*int64)(unsafe.Pointer(p)), nil
}

// Truthy is ToBoolean.
func (vm *VM) Truthy(v Value) bool {
	switch v.tag() {
	case tagBool, tagInt:
		return v.int32() != 0
	case tagUndefined, tagNull:
		return false
	}
	return lib.XJS_ToBool(vm.tls, vm.ctx, v.v) > 0
}

// IsFunction reports whether v is callable.
func (vm *VM) IsFunction(v Value) bool {
	return v.IsObject() && lib.XJS_IsFunction(vm.tls, vm.ctx, v.v) != 0
}

// IsArray reports Array.isArray(v).
func (vm *VM) IsArray(v Value) bool { return lib.XJS_IsArray(vm.tls, vm.ctx, v.v) > 0 }

// IsError reports whether v is an Error object.
func (vm *VM) IsError(v Value) bool { return lib.XJS_IsError(vm.tls, vm.ctx, v.v) != 0 }

// ClassID returns QuickJS's class id of an object (0 for primitives).
func (vm *VM) ClassID(v Value) uint32 {
	if !v.IsObject() {
		return 0
	}
	return lib.XJS_GetClassID(vm.tls, v.v)
}

// StrictEquals is ===.
func (vm *VM) StrictEquals(a, b Value) bool { return lib.XJS_StrictEq(vm.tls, vm.ctx, a.v, b.v) != 0 }

// Atom interns a property name. Atoms are cached per VM and freed at Close.
func (vm *VM) atom(name string) lib.TJSAtom {
	if a, ok := vm.atoms[name]; ok {
		return a
	}
	p, n := vm.cstring(name)
	a := lib.XJS_NewAtomLen(vm.tls, vm.ctx, p, libc.Tsize_t(len(name)))
	vm.tls.Free(n)
	vm.atoms[name] = a
	return a
}

// Get returns obj[name] (owned). An exception is returned as an error.
func (vm *VM) Get(obj Value, name string) (Value, error) {
	r := lib.XGetProperty(vm.tls, vm.ctx, obj.v, vm.atom(name))
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// GetV returns obj[name] or undefined if the getter throws (the exception
// is discarded).
func (vm *VM) GetV(obj Value, name string) Value {
	v, err := vm.Get(obj, name)
	if err != nil {
		return Undefined
	}
	return v
}

// GetIndex returns obj[i] (owned).
func (vm *VM) GetIndex(obj Value, i uint32) (Value, error) {
	r := lib.XJS_GetPropertyUint32(vm.tls, vm.ctx, obj.v, i)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// GetValue returns obj[key] for any key value (borrowed).
func (vm *VM) GetValue(obj, key Value) (Value, error) {
	a := lib.XJS_ValueToAtom(vm.tls, vm.ctx, key.v)
	if a == 0 {
		return Undefined, vm.exception()
	}
	r := lib.XGetProperty(vm.tls, vm.ctx, obj.v, a)
	lib.XJS_FreeAtom(vm.tls, vm.ctx, a)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// Set sets obj[name] = val, taking ownership of val.
func (vm *VM) Set(obj Value, name string, val Value) error {
	if lib.XSetProperty(vm.tls, vm.ctx, obj.v, vm.atom(name), val.v) < 0 {
		return vm.exception()
	}
	return nil
}

// SetIndex sets obj[i] = val, taking ownership of val.
func (vm *VM) SetIndex(obj Value, i uint32, val Value) error {
	if lib.XJS_SetPropertyUint32(vm.tls, vm.ctx, obj.v, i, val.v) < 0 {
		return vm.exception()
	}
	return nil
}

// Define defines a non-enumerable, writable, configurable property (taking
// ownership of val), as built-in methods are.
func (vm *VM) Define(obj Value, name string, val Value, enumerable bool) error {
	flags := int32(lib.MJS_PROP_WRITABLE | lib.MJS_PROP_CONFIGURABLE)
	if enumerable {
		flags |= lib.MJS_PROP_ENUMERABLE
	}
	if lib.XJS_DefinePropertyValue(vm.tls, vm.ctx, obj.v, vm.atom(name), val.v, flags) < 0 {
		return vm.exception()
	}
	return nil
}

// Len returns obj.length as an int.
func (vm *VM) Len(obj Value) int {
	l := vm.GetV(obj, "length")
	n := vm.Int(l)
	vm.Free(l)
	return int(n)
}

// Keys returns the own enumerable string keys of obj.
func (vm *VM) Keys(obj Value) ([]string, error) {
	ptab := vm.tls.Alloc(16)
	defer vm.tls.Free(16)
	plen := ptab + 8
	if lib.XJS_GetOwnPropertyNames(vm.tls, vm.ctx, ptab, plen, obj.v, lib.MJS_GPN_STRING_MASK|lib.MJS_GPN_ENUM_ONLY) < 0 {
		return nil, vm.exception()
	}
	tab := *(*uintptr)(unsafe.Pointer(ptab))
	n := *(*uint32)(unsafe.Pointer(plen))
	keys := make([]string, n)
	for i := range keys {
		e := (*lib.TJSPropertyEnum)(unsafe.Pointer(tab + uintptr(i)*unsafe.Sizeof(lib.TJSPropertyEnum{})))
		s := lib.XJS_AtomToString(vm.tls, vm.ctx, e.Fatom)
		keys[i] = vm.goString(s)
		lib.XFreeValue(vm.tls, vm.ctx, s)
	}
	lib.XJS_FreePropertyEnum(vm.tls, vm.ctx, tab, n)
	return keys, nil
}

// Call calls fn with this and args (all borrowed); the result is owned.
func (vm *VM) Call(fn, this Value, args ...Value) (Value, error) {
	argv, n := vm.cargs(args)
	r := lib.XJS_Call(vm.tls, vm.ctx, fn.v, this.v, int32(len(args)), argv)
	vm.tls.Free(n)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// New calls a constructor.
func (vm *VM) New(ctor Value, args ...Value) (Value, error) {
	argv, n := vm.cargs(args)
	r := lib.XJS_CallConstructor(vm.tls, vm.ctx, ctor.v, int32(len(args)), argv)
	vm.tls.Free(n)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// CallMethod calls obj[name](...args).
func (vm *VM) CallMethod(obj Value, name string, args ...Value) (Value, error) {
	f, err := vm.Get(obj, name)
	if err != nil {
		return Undefined, err
	}
	defer vm.Free(f)
	return vm.Call(f, obj, args...)
}

// ParseJSON parses JSON text; filename is used in syntax errors.
func (vm *VM) ParseJSON(text, filename string) (Value, error) {
	p := cmalloc(vm.tls, text)
	fn, n := vm.cstring(filename)
	r := lib.XJS_ParseJSON(vm.tls, vm.ctx, p, libc.Tsize_t(len(text)), fn)
	vm.tls.Free(n)
	libc.Xfree(vm.tls, p)
	if r.Ftag == tagException {
		return Undefined, vm.exception()
	}
	return Value{r}, nil
}

// JSONStringify is JSON.stringify(v).
func (vm *VM) JSONStringify(v Value) (string, error) {
	r := lib.XJS_JSONStringify(vm.tls, vm.ctx, v.v, Undefined.v, Undefined.v)
	if r.Ftag == tagException {
		return "", vm.exception()
	}
	defer lib.XFreeValue(vm.tls, vm.ctx, r)
	if r.Ftag == tagUndefined {
		return "undefined", nil
	}
	return vm.goString(r), nil
}

// PromiseState values.
const (
	PromisePending   = lib.EJS_PROMISE_PENDING
	PromiseFulfilled = lib.EJS_PROMISE_FULFILLED
	PromiseRejected  = lib.EJS_PROMISE_REJECTED
)

// PromiseState returns the state of a promise, or -1 when v is not one.
func (vm *VM) PromiseState(v Value) int {
	return int(lib.XJS_PromiseState(vm.tls, vm.ctx, v.v))
}

// PromiseResult returns the settled value of a promise (owned).
func (vm *VM) PromiseResult(v Value) Value {
	return Value{lib.XJS_PromiseResult(vm.tls, vm.ctx, v.v)}
}

// NewPromise returns a promise with its resolve and reject functions (all
// owned).
func (vm *VM) NewPromise() (promise, resolve, reject Value) {
	p := vm.tls.Alloc(32)
	defer vm.tls.Free(32)
	pr := lib.XJS_NewPromiseCapability(vm.tls, vm.ctx, p)
	resolve = *(*Value)(unsafe.Pointer(p))
	reject = *(*Value)(unsafe.Pointer(p + 16))
	return Value{pr}, resolve, reject
}

// ProxyTarget returns the target and handler of a Proxy (borrowed; valid
// while the proxy lives), and ok=false when v is not a proxy.
func (vm *VM) ProxyTarget(v Value) (target, handler Value, ok bool) {
	if vm.ClassID(v) != lib.EJS_CLASS_PROXY {
		return Undefined, Undefined, false
	}
	d := lib.XJS_GetOpaque(vm.tls, v.v, lib.EJS_CLASS_PROXY)
	if d == 0 {
		return Undefined, Undefined, false
	}
	pd := (*lib.TJSProxyData)(unsafe.Pointer(d))
	return Value{pd.Ftarget}, Value{pd.Fhandler}, true
}

// cargs copies args into C memory on the TLS stack: the engine may keep
// reading argv while JavaScript runs and the goroutine stack moves.
func (vm *VM) cargs(args []Value) (uintptr, int) {
	n := len(args) * 16
	if n == 0 {
		n = 16
	}
	p := vm.tls.Alloc(n)
	copy(unsafe.Slice((*Value)(unsafe.Pointer(p)), len(args)), args)
	return p, n
}

// UTF16 returns the UTF-16 code units of a string value, lone surrogates
// included (QuickJS hands them out as 3-byte WTF-8 sequences, which Go's
// UTF-8 decoding would turn into three U+FFFD).
func (vm *VM) UTF16(v Value) []uint16 {
	pl := vm.tls.Alloc(8)
	var p uintptr
	if v.IsString() {
		p = lib.XJS_ToCStringLen2(vm.tls, vm.ctx, pl, v.v, 0)
	} else {
		s := lib.XJS_ToString(vm.tls, vm.ctx, v.v)
		if s.Ftag == tagException {
			vm.tls.Free(8)
			vm.clearException()
			return nil
		}
		p = lib.XJS_ToCStringLen2(vm.tls, vm.ctx, pl, s, 0)
		lib.XFreeValue(vm.tls, vm.ctx, s)
	}
	n := *(*libc.Tsize_t)(unsafe.Pointer(pl))
	vm.tls.Free(8)
	if p == 0 {
		vm.clearException()
		return nil
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
	out := make([]uint16, 0, n)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			out = append(out, uint16(c))
			i++
		case c < 0xE0 && i+1 < len(b):
			out = append(out, uint16(c&0x1F)<<6|uint16(b[i+1]&0x3F))
			i += 2
		case c < 0xF0 && i+2 < len(b):
			out = append(out, uint16(c&0x0F)<<12|uint16(b[i+1]&0x3F)<<6|uint16(b[i+2]&0x3F))
			i += 3
		case i+3 < len(b):
			r := rune(c&0x07)<<18 | rune(b[i+1]&0x3F)<<12 | rune(b[i+2]&0x3F)<<6 | rune(b[i+3]&0x3F)
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			i += 4
		default:
			out = append(out, 0xFFFD)
			i++
		}
	}
	lib.XJS_FreeCString(vm.tls, vm.ctx, p)
	return out
}
