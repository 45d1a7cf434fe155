package qjs

import (
	"gnode/internal/js/jsnum"
	"math"
	"runtime"
	"strconv"
	"unsafe"

	lib "modernc.org/libquickjs"
)

// QuickJS's JSON.stringify walks objects through its generic property
// machinery; transpiled to Go that costs about 3 µs per small object, 20x
// node. StringifyFast serializes the plain data that servers send (object
// literals and JSON.parse results, dense arrays, strings, numbers,
// booleans, null) by reading the engine's object layout directly, and
// declines everything else so the caller can use the engine's own
// JSON.stringify, which stays the reference: tests compare the two.
//
// Layout facts used (modernc.org/libquickjs v0.14.0, checked by tests):
// the byte at object+16 holds the flag bits (is_exotic 0x08, fast_array
// 0x10); a shape's property table follows the shape struct and its hash
// table; each shape entry is a word whose top 6 bits are the property
// flags, then the atom; property values are 16-byte JSValues at
// object.prop; atoms with the top bit set are integer keys; an atom's
// string has its atom type in the top 2 bits of its second word.

const (
	objFlagsOff    = 16
	objExotic      = 0x08
	objFastArray   = 0x10
	propEnumerable = lib.MJS_PROP_ENUMERABLE
	propTypeMask   = lib.MJS_PROP_TMASK
	atomTaggedInt  = 1 << 31
	maxJSONDepth   = 1000
)

// JSONProtos are the prototypes a plain object and array must have for
// StringifyFast to take them (pointers of Object.prototype and
// Array.prototype, borrowed from values the caller keeps alive).
type JSONProtos struct{ object, array uintptr }

// NewJSONProtos records the prototypes (the values stay owned by the
// caller, who must keep them alive).
func NewJSONProtos(objectProto, arrayProto Value) JSONProtos {
	return JSONProtos{object: objectProto.ptr(), array: arrayProto.ptr()}
}

type jsonEnc struct {
	vm     *VM
	p      JSONProtos
	atoms  uintptr
	indent string
	buf    []byte
	stack  []uintptr
	// offHeap lets buf move out of the Go heap once it passes
	// jsonKeepBuf (mapped is then true and the caller unmaps it).
	offHeap, mapped bool
	// nonASCII is set when buf may hold a byte of 0x80 or above; an ASCII
	// result becomes a JS string by a plain copy.
	nonASCII bool
}

// StringifyFast returns JSON.stringify(v, null, indent) when v is plain
// data, or ok=false when the engine must do it (toJSON, class instances,
// getters, integer-like keys, cycles, BigInt, functions, Dates, ...).
// The second result is false too when v itself serializes to undefined.
func (vm *VM) StringifyFast(v Value, indent string, protos JSONProtos) (out []byte, ok bool) {
	rt := (*lib.TJSContext)(unsafe.Pointer(vm.ctx)).Frt
	e := &jsonEnc{vm: vm, p: protos, indent: indent,
		atoms: (*lib.TJSRuntime)(unsafe.Pointer(rt)).Fatom_array}
	wrote, ok := e.value(v.v)
	if !ok || !wrote {
		return nil, false
	}
	return e.buf, true
}

// jsonKeepBuf caps the output buffer a VM keeps between stringify calls.
const jsonKeepBuf = 1 << 20

// jsonSlack is what reserve asks for before each element or property:
// room for its separator, a number or a literal (strings reserve their
// own).
const jsonSlack = 64

// StringifyFastValue is StringifyFast returning the JavaScript string: an
// ASCII result is copied into an 8-bit string as is (no UTF-8 decoding),
// and the output buffer is reused between calls.
func (vm *VM) StringifyFastValue(v Value, indent string, protos JSONProtos) (Value, bool) {
	b := vm.jsonBuilder()
	rt := (*lib.TJSContext)(unsafe.Pointer(vm.ctx)).Frt
	e := &jsonEnc{vm: vm, p: protos, indent: indent, buf: b.sbuf[:0], offHeap: true,
		atoms: (*lib.TJSRuntime)(unsafe.Pointer(rt)).Fatom_array}
	for i := 0; i < len(indent); i++ {
		if indent[i] >= 0x80 {
			e.nonASCII = true
		}
	}
	wrote, ok := e.value(v.v)
	if e.mapped {
		defer unmapSlice(e.buf)
	} else if cap(e.buf) <= jsonKeepBuf {
		b.sbuf = e.buf[:0]
	}
	if !ok || !wrote {
		return Undefined, false
	}
	if e.nonASCII {
		return vm.String(unsafe.String(unsafe.SliceData(e.buf), len(e.buf))), true
	}
	r := Value{jsNewString8(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(e.buf))), int32(len(e.buf)))}
	runtime.KeepAlive(e.buf)
	return r, true
}

// reserve makes room for n more bytes. Past jsonKeepBuf an off-heap
// encoder moves its buffer into a mapping and grows it there (see
// growMapped); otherwise, or when mapping fails, append grows it.
func (e *jsonEnc) reserve(n int) {
	if cap(e.buf)-len(e.buf) >= n || !e.offHeap || len(e.buf)+n <= jsonKeepBuf {
		return
	}
	if nb := growMapped(e.buf, e.mapped, n); nb != nil {
		e.buf, e.mapped = nb, true
	}
}

// value appends v; wrote is false for values JSON skips (undefined,
// symbols) and ok is false when the fast path must give up.
func (e *jsonEnc) value(v lib.TJSValue) (wrote, ok bool) {
	val := Value{v}
	switch v.Ftag {
	case tagInt:
		e.buf = strconv.AppendInt(e.buf, int64(val.int32()), 10)
	case tagFloat64:
		e.buf = appendJSNumber(e.buf, val.float())
	case tagBool:
		if val.int32() != 0 {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case tagNull:
		e.buf = append(e.buf, "null"...)
	case tagUndefined, tagSymbol:
		return false, true
	case tagString:
		e.quoteString(val.ptr())
	case tagRope:
		flat := Value{lib.XJS_ToString(e.vm.tls, e.vm.ctx, v)}
		if flat.tag() != tagString {
			e.vm.Free(flat)
			e.vm.clearException()
			return false, false
		}
		e.quoteString(flat.ptr())
		e.vm.Free(flat)
	case tagObject:
		return true, e.object(val.ptr())
	default:
		return false, false
	}
	return true, true
}

func (e *jsonEnc) object(p uintptr) bool {
	for _, q := range e.stack {
		if q == p {
			return false // a cycle: the engine throws its TypeError
		}
	}
	if len(e.stack) >= maxJSONDepth {
		return false
	}
	o := (*lib.TJSObject)(unsafe.Pointer(p))
	flags := *(*uint8)(unsafe.Pointer(p + objFlagsOff))
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	e.stack = append(e.stack, p)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	switch int32(o.Fclass_id) {
	case lib.EJS_CLASS_ARRAY:
		if flags&objFastArray == 0 || sh.Fproto != e.p.array {
			return false
		}
		return e.array(o, sh)
	case lib.EJS_CLASS_OBJECT:
		if flags&objExotic != 0 || (sh.Fproto != e.p.object && sh.Fproto != 0) {
			return false
		}
		return e.plain(o, sh)
	}
	return false
}

// shapeProps is the shape's property table: it follows the shape struct
// and its hash table of prop_hash_mask+1 words.
func shapeProps(sh *lib.TJSShape) uintptr {
	return uintptr(unsafe.Pointer(sh)) + unsafe.Sizeof(*sh) + uintptr(sh.Fprop_hash_mask+1)*4
}

func (e *jsonEnc) array(o *lib.TJSObject, sh *lib.TJSShape) bool {
	// An array's first property is its length.
	if sh.Fprop_count < 1 || (*lib.TJSShapeProperty)(unsafe.Pointer(shapeProps(sh))).Fatom != lib.EJS_ATOM_length {
		return false
	}
	lv := Value{*(*lib.TJSValue)(unsafe.Pointer(o.Fprop))}
	var n int
	switch lv.tag() {
	case tagInt:
		n = int(uint32(lv.int32()))
	case tagFloat64:
		n = int(lv.float())
	default:
		return false
	}
	arr := (*struct {
		size   uint32
		_      uint32
		values uintptr
		count  uint32
	})(unsafe.Pointer(&o.Fu))
	count := min(int(arr.count), n)
	e.buf = append(e.buf, '[')
	for i := 0; i < n; i++ {
		e.reserve(jsonSlack + len(e.indent)*len(e.stack))
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.newline(len(e.stack))
		if i >= count {
			e.buf = append(e.buf, "null"...)
			continue
		}
		wrote, ok := e.value(*(*lib.TJSValue)(unsafe.Pointer(arr.values + uintptr(i)*16)))
		if !ok {
			return false
		}
		if !wrote {
			e.buf = append(e.buf, "null"...)
		}
	}
	if n > 0 {
		e.newline(len(e.stack) - 1)
	}
	e.buf = append(e.buf, ']')
	return true
}

func (e *jsonEnc) plain(o *lib.TJSObject, sh *lib.TJSShape) bool {
	props := shapeProps(sh)
	e.buf = append(e.buf, '{')
	empty := true
	for i := 0; i < int(sh.Fprop_count); i++ {
		sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
		atom := sp.Fatom
		if atom == lib.MJS_ATOM_NULL {
			continue // deleted
		}
		if atom&atomTaggedInt != 0 {
			return false // integer keys come first in key order: engine
		}
		pflags := *(*uint32)(unsafe.Pointer(sp)) >> 26
		str := *(*uintptr)(unsafe.Pointer(e.atoms + uintptr(atom)*8))
		if *(*uint32)(unsafe.Pointer(str + 4))>>30 != lib.EJS_ATOM_TYPE_STRING {
			continue // symbols are not serialized
		}
		if startsWithDigit(str) && isLargeIndexString(str) {
			return false // an index of 2^31 or more: also first in key order
		}
		if pflags&propEnumerable == 0 {
			continue
		}
		if pflags&propTypeMask != lib.MJS_PROP_NORMAL {
			return false // getter, setter or lazy property
		}
		if atom == lib.EJS_ATOM_toJSON {
			return false
		}
		e.reserve(jsonSlack + len(e.indent)*len(e.stack))
		mark := len(e.buf)
		if !empty {
			e.buf = append(e.buf, ',')
		}
		e.newline(len(e.stack))
		e.quoteString(str)
		e.buf = append(e.buf, ':')
		if e.indent != "" {
			e.buf = append(e.buf, ' ')
		}
		wrote, ok := e.value(*(*lib.TJSValue)(unsafe.Pointer(o.Fprop + uintptr(i)*16)))
		if !ok {
			return false
		}
		if !wrote {
			e.buf = e.buf[:mark]
			continue
		}
		empty = false
	}
	if !empty {
		e.newline(len(e.stack) - 1)
	}
	e.buf = append(e.buf, '}')
	return true
}

func (e *jsonEnc) newline(depth int) {
	if e.indent == "" {
		return
	}
	e.buf = append(e.buf, '\n')
	for range depth {
		e.buf = append(e.buf, e.indent...)
	}
}

const hexDigits = "0123456789abcdef"

// quoteString appends the flat string at p as JSON.stringify quotes it:
// the short escapes, \u00XX below 0x20, lone surrogates as \uXXXX, the
// rest as UTF-8.
func (e *jsonEnc) quoteString(p uintptr) {
	hdr := *(*uint32)(unsafe.Pointer(p))
	n := int(hdr &^ strWideBit)
	data := unsafe.Pointer(p + strHeaderLen)
	e.reserve(6*n + 2) // every unit escaped as \uXXXX at worst
	e.buf = append(e.buf, '"')
	if hdr&strWideBit == 0 {
		s := unsafe.Slice((*byte)(data), n)
		start := 0
		for i, c := range s {
			if c >= 0x20 && c < 0x80 && c != '"' && c != '\\' {
				continue
			}
			e.buf = append(e.buf, s[start:i]...)
			start = i + 1
			if c >= 0x80 {
				e.nonASCII = true
				e.buf = append(e.buf, 0xC0|c>>6, 0x80|c&0x3F)
			} else {
				e.escape(uint16(c))
			}
		}
		e.buf = append(e.buf, s[start:]...)
	} else {
		e.nonASCII = true // (conservatively: most wide strings are not ASCII)
		u := unsafe.Slice((*uint16)(data), n)
		for i := 0; i < len(u); i++ {
			c := u[i]
			switch {
			case c < 0x80:
				if c < 0x20 || c == '"' || c == '\\' {
					e.escape(c)
				} else {
					e.buf = append(e.buf, byte(c))
				}
			case c < 0x800:
				e.buf = append(e.buf, 0xC0|byte(c>>6), 0x80|byte(c&0x3F))
			case c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000:
				r := 0x10000 + (rune(c)-0xD800)<<10 + rune(u[i+1]) - 0xDC00
				e.buf = append(e.buf, 0xF0|byte(r>>18), 0x80|byte(r>>12)&0x3F, 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
				i++
			case c >= 0xD800 && c < 0xE000:
				e.escape(c) // a lone surrogate
			default:
				e.buf = append(e.buf, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
			}
		}
	}
	e.buf = append(e.buf, '"')
}

func (e *jsonEnc) escape(c uint16) {
	switch c {
	case '"':
		e.buf = append(e.buf, '\\', '"')
	case '\\':
		e.buf = append(e.buf, '\\', '\\')
	case '\b':
		e.buf = append(e.buf, '\\', 'b')
	case '\f':
		e.buf = append(e.buf, '\\', 'f')
	case '\n':
		e.buf = append(e.buf, '\\', 'n')
	case '\r':
		e.buf = append(e.buf, '\\', 'r')
	case '\t':
		e.buf = append(e.buf, '\\', 't')
	default:
		e.buf = append(e.buf, '\\', 'u', hexDigits[c>>12], hexDigits[c>>8&15], hexDigits[c>>4&15], hexDigits[c&15])
	}
}

// appendJSNumber formats f as JavaScript's Number.prototype.toString does
// (shortest round-trip digits; exponent form outside [1e-7, 1e21)), with
// NaN and the infinities as null, as JSON.stringify writes them.
func appendJSNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return jsnum.Append(b, f)
}

// isLargeIndexString reports whether the atom string at str is an array
// index too large for a tagged integer atom (2^31 through 2^32-2, written
// canonically): such keys come before other strings in key order.
func isLargeIndexString(str uintptr) bool {
	hdr := *(*uint32)(unsafe.Pointer(str))
	n := int(hdr &^ strWideBit)
	if n != 10 { // 2^31 and 2^32-2 both have ten digits
		return false
	}
	var v uint64
	for i := 0; i < n; i++ {
		var c uint16
		if hdr&strWideBit == 0 {
			c = uint16(*(*byte)(unsafe.Pointer(str + strHeaderLen + uintptr(i))))
		} else {
			c = *(*uint16)(unsafe.Pointer(str + strHeaderLen + uintptr(i)*2))
		}
		if c < '0' || c > '9' || (i == 0 && c == '0') {
			return false
		}
		v = v*10 + uint64(c-'0')
	}
	return v >= 1<<31 && v <= 1<<32-2
}
