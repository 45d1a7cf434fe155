package runtime

import (
	goruntime "runtime"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
	"gnode/internal/js/whatwgurl"
)

// bindQS adds qsParseObject to internalBinding('url'): querystring.parse
// with the default separators and decoder, building the result object here
// (a property store per key costs more in JavaScript than the whole scan).
func bindQS(r *rt, obj qjs.Value) {
	var list []string
	var order []int // index in list of each distinct key, first occurrence order
	var group []int // per pair: the next pair with the same key (-1: none)
	var tail []int  // per first pair of a key: the last pair with that key
	shapes := newQSShapes(r)
	// qsParseObject(str, pairs[, sep, eq]) -> object with a null
	// prototype | undefined; sep and eq are strings ('&' and '=' when
	// left out), declined unless ASCII.
	r.fn(obj, "qsParseObject", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		in := qjs.Arg(a, 0)
		pairs := int(vm.Int(qjs.Arg(a, 1)))
		sep, eq := "&", "="
		if len(a) > 2 {
			sep, eq = vm.Str(qjs.Arg(a, 2)), vm.Str(qjs.Arg(a, 3))
			if sep == "" || eq == "" || !asciiOnly(sep) || !asciiOnly(eq) {
				return qjs.Undefined, nil
			}
		}
		// An ASCII string is read in place (its pieces alias the engine's
		// characters until the strings are made); others are converted.
		latin1, wide, flat, ok := vm.StringData(in)
		if !ok {
			return qjs.Undefined, nil
		}
		defer vm.Free(flat)
		var s string
		if wide == nil && asciiOnly(unsafe.String(unsafe.SliceData(latin1), len(latin1))) {
			s = unsafe.String(unsafe.SliceData(latin1), len(latin1))
		} else {
			s = vm.Str(in)
			if !utf8.ValidString(s) {
				return qjs.Undefined, nil
			}
		}
		if sep == "&" && eq == "=" {
			list = whatwgurl.QSParseAppend(list[:0], s, pairs)
		} else {
			list = whatwgurl.QSParseSepAppend(list[:0], s, sep, eq, pairs)
		}
		// Keys keep the position of their first occurrence; a repeated
		// key's values become an array, as querystring.parse's stores do.
		order, group, tail = order[:0], group[:0], tail[:0]
		var index map[string]int
		for i := 0; i < len(list); i += 2 {
			k := list[i]
			group, tail = append(group, -1), append(tail, i/2)
			// The first pair with key k: a scan of the few keys so far,
			// or an index once there are more.
			first := -1
			if index != nil {
				if j, ok := index[k]; ok {
					first = j
				}
			} else {
				for _, j := range order {
					if list[j] == k {
						first = j
						break
					}
				}
			}
			if first == -1 {
				order = append(order, i)
				if index != nil {
					index[k] = i
				} else if len(order) > 16 {
					index = make(map[string]int, 2*len(order))
					for _, j := range order {
						index[list[j]] = j
					}
				}
				continue
			}
			// Append pair i/2 to the chain that starts at the first.
			group[tail[first/2]] = i / 2
			tail[first/2] = i / 2
		}
		// The object is made here with its null prototype (a prototype
		// set afterwards clones the object's shape) and one property per
		// key, through the engine's API: atoms for keys are created and
		// released per object, so untrusted keys cannot grow a cache.
		res, ok := shapes.build(vm, list, order, group)
		clear(list) // drop references to the input's characters
		if !ok {
			return qjs.Undefined, nil
		}
		return res, nil
	})
}

// build creates querystring.parse's result: an object with a null
// prototype and, for each distinct key in first-occurrence order (order
// holds the index in list of each key's first pair), the value, or an
// array of the values of the pairs chained through group. ok is false when
// the engine adapter is unavailable (the caller declines) or the engine
// ran out of memory.
func (c *qsShapes) build(vm *qjs.VM, list []string, order, group []int) (qjs.Value, bool) {
	tls, ctx, ok := engineOf(vm)
	if !ok {
		return qjs.Undefined, false
	}
	slot := c.lookup(list, order)
	if slot >= 0 {
		// The values in key order, then one allocation for the object.
		vals := c.vals[:0]
		for _, j := range order {
			vals = append(vals, qsValue(vm, tls, ctx, list, j, group, &c.items))
		}
		c.vals = vals
		tmpl := (*lib.TJSObject)(c.shapes[slot])
		// NewObjectFromShape takes the values, or frees them on failure.
		obj := engineNewObjectFromShape(tls, ctx, engineDupShape(tls, tmpl.Fshape), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(unsafe.SliceData(vals))))
		clear(c.vals)
		if obj.Ftag == lib.EJS_TAG_EXCEPTION {
			return qjs.Undefined, false
		}
		return qsFromRaw(obj), true
	}
	obj := lib.XJS_NewObjectProto(tls, ctx, lib.TJSValue{Ftag: lib.EJS_TAG_NULL})
	if obj.Ftag == lib.EJS_TAG_EXCEPTION {
		return qjs.Undefined, false
	}
	for _, j := range order {
		v := qsValue(vm, tls, ctx, list, j, group, &c.items)
		k := list[j]
		atom := lib.XJS_NewAtomLen(tls, ctx, qsStrPtr(k), libc.Tsize_t(len(k)))
		goruntime.KeepAlive(k)
		if atom == 0 {
			lib.XFreeValue(tls, ctx, v)
			lib.XFreeValue(tls, ctx, obj)
			return qjs.Undefined, false
		}
		r := lib.XJS_DefinePropertyValue(tls, ctx, obj, atom, v, lib.MJS_PROP_C_W_E)
		lib.XJS_FreeAtom(tls, ctx, atom)
		if r < 0 {
			lib.XFreeValue(tls, ctx, obj)
			return qjs.Undefined, false
		}
	}
	c.adopt(vm, tls, ctx, list, order)
	return qsFromRaw(obj), true
}

// qsValue is the engine value of key list[j]: its pair's value, or an
// array of the values of the pairs chained through group.
func qsValue(vm *qjs.VM, tls *libc.TLS, ctx uintptr, list []string, j int, group []int, items *[]qjs.Value) lib.TJSValue {
	p := j / 2
	if group[p] == -1 {
		return qsNewString(tls, ctx, list[j+1])
	}
	*items = (*items)[:0]
	for ; p != -1; p = group[p] {
		*items = append(*items, qsFromRaw(qsNewString(tls, ctx, list[2*p+1])))
	}
	return qsRawValue(vm.ArrayOf(*items...))
}

// qsShapes caches, per sequence of keys, an object querystring.parse made
// (a template, kept in an engine array so the runtime frees it at close)
// whose shape later objects with the same keys are made from in one
// allocation, as qjs.ParseFast does for JSON: defining each property
// costs a shape lookup per key. The cache is small and bounded in the
// length of the key sequences it keeps, so untrusted input cannot grow
// it.
type qsShapes struct {
	held   qjs.Value        // engine array holding the templates, slot by slot
	index  map[string]int   // encoded key sequence -> slot
	keys   []string         // per slot: its encoded key sequence ("" empty)
	shapes []unsafe.Pointer // per slot: the template's JSObject (engine memory)
	next   int              // the slot the next adoption replaces
	enc    []byte
	vals   []lib.TJSValue
	items  []qjs.Value
}

const (
	qsShapeSlots  = 32
	qsShapeMaxKey = 256 // longest encoded key sequence cached
)

func newQSShapes(r *rt) *qsShapes {
	held := r.vm.Array()
	r.held = append(r.held, held)
	return &qsShapes{held: held, index: make(map[string]int), keys: make([]string, qsShapeSlots), shapes: make([]unsafe.Pointer, qsShapeSlots)}
}

// encode writes the key sequence as length-prefixed keys into c.enc; ok is
// false when it is too long to cache.
func (c *qsShapes) encode(list []string, order []int) bool {
	c.enc = c.enc[:0]
	for _, j := range order {
		k := list[j]
		if len(c.enc)+len(k)+2 > qsShapeMaxKey {
			return false
		}
		c.enc = append(c.enc, byte(len(k)), byte(len(k)>>8))
		c.enc = append(c.enc, k...)
	}
	return len(order) > 0
}

func (c *qsShapes) lookup(list []string, order []int) int {
	if !c.encode(list, order) {
		return -1
	}
	if slot, ok := c.index[string(c.enc)]; ok {
		return slot
	}
	return -1
}

// adopt makes the template for the key sequence of list and order (which
// lookup encoded in c.enc): an object only the cache sees, with the keys
// in order (undefined values), whose shape is the one the engine gives
// every object built with those keys. It is kept when that shape is a
// shared one holding exactly the keys as plain data properties.
func (c *qsShapes) adopt(vm *qjs.VM, tls *libc.TLS, ctx uintptr, list []string, order []int) {
	if !c.encode(list, order) {
		return
	}
	tmpl := lib.XJS_NewObjectProto(tls, ctx, lib.TJSValue{Ftag: lib.EJS_TAG_NULL})
	if tmpl.Ftag == lib.EJS_TAG_EXCEPTION {
		return
	}
	for _, j := range order {
		k := list[j]
		atom := lib.XJS_NewAtomLen(tls, ctx, qsStrPtr(k), libc.Tsize_t(len(k)))
		goruntime.KeepAlive(k)
		if atom == 0 {
			lib.XFreeValue(tls, ctx, tmpl)
			return
		}
		r := lib.XJS_DefinePropertyValue(tls, ctx, tmpl, atom, lib.TJSValue{Ftag: lib.EJS_TAG_UNDEFINED}, lib.MJS_PROP_C_W_E)
		lib.XJS_FreeAtom(tls, ctx, atom)
		if r < 0 {
			lib.XFreeValue(tls, ctx, tmpl)
			return
		}
	}
	o := (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&tmpl.Fu)))
	sh := (*lib.TJSShape)(*(*unsafe.Pointer)(unsafe.Pointer(&o.Fshape)))
	if sh.Fis_hashed == 0 || int(sh.Fprop_count) != len(order) || sh.Fdeleted_prop_count != 0 || sh.Fproto != 0 {
		lib.XFreeValue(tls, ctx, tmpl)
		return
	}
	slot := c.next
	c.next = (c.next + 1) % qsShapeSlots
	if c.keys[slot] != "" {
		delete(c.index, c.keys[slot])
	}
	key := string(c.enc)
	c.keys[slot], c.shapes[slot] = key, unsafe.Pointer(o)
	c.index[key] = slot
	// The array holds the template (and so its shape) until the slot is
	// reused; the old template is freed then.
	vm.SetIndex(c.held, uint32(slot), qsFromRaw(tmpl))
}

func qsRawValue(v qjs.Value) lib.TJSValue { return *(*lib.TJSValue)(unsafe.Pointer(&v)) }
func qsFromRaw(v lib.TJSValue) qjs.Value  { return *(*qjs.Value)(unsafe.Pointer(&v)) }

// qsEmpty gives empty strings a valid pointer.
var qsEmpty = [1]byte{}

func qsStrPtr(s string) uintptr {
	if len(s) == 0 {
		return uintptr(unsafe.Pointer(&qsEmpty[0]))
	}
	return uintptr(unsafe.Pointer(unsafe.StringData(s)))
}

// qsNewString makes an engine string from s, which must be valid UTF-8
// (the engine's decoder then never reads past its end), read in place:
// Go's heap does not move, and KeepAlive holds s until it is copied.
func qsNewString(tls *libc.TLS, ctx uintptr, s string) lib.TJSValue {
	v := lib.XJS_NewStringLen(tls, ctx, qsStrPtr(s), libc.Tsize_t(len(s)))
	goruntime.KeepAlive(s)
	return v
}

// bindQSStringify adds qsStringify and qsStringifyEntry to
// internalBinding('url'): querystring.stringify with the default encoder,
// written straight from the engine's layout for ordinary objects with
// plain data properties (qsStringifyDirect).
func bindQSStringify(r *rt, obj qjs.Value) {
	var out []byte
	// qsStringify(obj, sep, eq) -> string | undefined
	r.fn(obj, "qsStringify", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		sep, ok1 := qsSepString(vm, qjs.Arg(a, 1), "&")
		eq, ok2 := qsSepString(vm, qjs.Arg(a, 2), "=")
		tls, ctx, ok := engineOf(vm)
		if !ok1 || !ok2 || !ok {
			return qjs.Undefined, nil
		}
		var res lib.TJSValue
		if out, res, ok = qsStringifyDirect(vm, tls, ctx, out[:0], qjs.Arg(a, 0), sep, eq); !ok {
			return qjs.Undefined, nil
		}
		return qsFromRaw(res), nil
	})
	// qsStringifyEntry(stringify, exports, escape) -> function | undefined:
	// querystring.stringify itself as a native function (name and length
	// stringify's). stringify(obj) with the module's escape unchanged is
	// written here; every other call goes to the JavaScript stringify. On
	// the interpreter the JavaScript entry's argument checks cost more than
	// writing a small object does.
	r.fn(obj, "qsStringifyEntry", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		tls, ctx, ok := engineOf(vm)
		if !ok || len(a) != 3 || !a[1].IsObject() {
			return qjs.Undefined, nil
		}
		slow, exports, escape := vm.Dup(a[0]), vm.Dup(a[1]), vm.Dup(a[2])
		// The atom of "escape", kept valid by holding its string.
		atom := lib.XJS_NewAtomLen(tls, ctx, qsStrPtr("escape"), 6)
		if atom == 0 {
			vm.FreeAll(slow, exports, escape)
			return qjs.Undefined, nil
		}
		name := qsFromRaw(lib.XJS_AtomToString(tls, ctx, atom))
		lib.XJS_FreeAtom(tls, ctx, atom)
		r.held = append(r.held, slow, exports, escape, name)
		return vm.Function("stringify", 4, func(vm *qjs.VM, this qjs.Value, args []qjs.Value) (qjs.Value, error) {
			if len(args) >= 1 && args[0].IsObject() && (len(args) < 2 || args[1].IsUndefined()) &&
				(len(args) < 3 || args[2].IsUndefined()) && (len(args) < 4 || args[3].IsUndefined()) {
				cur := lib.XGetProperty(tls, ctx, qsRawValue(exports), atom)
				same := cur.Ftag == lib.EJS_TAG_OBJECT && rawPtr(cur) == rawPtr(qsRawValue(escape))
				lib.XFreeValue(tls, ctx, cur)
				if same {
					var res lib.TJSValue
					if out, res, ok = qsStringifyDirect(vm, tls, ctx, out[:0], args[0], "&", "="); ok {
						return qsFromRaw(res), nil
					}
				}
			}
			return vm.Call(slow, this, args...)
		}), nil
	})
}

// qsSepString returns a separator argument as UTF-8 (def, with no
// allocation, when it is that one-character string); ok is false when it
// is not a string or not valid UTF-16.
func qsSepString(vm *qjs.VM, v qjs.Value, def string) (string, bool) {
	latin1, wide, flat, ok := vm.StringData(v)
	if !ok {
		return "", false
	}
	if len(latin1) == 1 && latin1[0] == def[0] {
		vm.Free(flat)
		return def, true
	}
	vm.Free(flat)
	if wide != nil && !isUSVString(vm, v) {
		return "", false
	}
	return vm.Str(v), true
}

// qsStringifyDirect writes querystring.stringify(obj, sep, eq) with the
// default encoder into out, reading obj from the engine: an ordinary
// object (class Object, not exotic) whose enumerable own properties are
// plain data properties with string keys that are not array indices, in
// shape order (Object.keys's order for such keys). Values are written as
// stringify converts them: strings escaped, numbers as String(n) (escaped;
// nothing for NaN and the infinities), booleans, and for anything else
// nothing; an array (a dense one: others decline) as one pair per element,
// none when empty. It declines (ok false, nothing allocated) for getters,
// Proxies (Array.isArray sees through them), BigInts, ropes it cannot
// flatten and strings with lone surrogates, which the JavaScript handles.
// The result is ASCII but for sep and eq (valid UTF-8).
func qsStringifyDirect(vm *qjs.VM, tls *libc.TLS, ctx uintptr, out []byte, obj qjs.Value, sep, eq string) ([]byte, lib.TJSValue, bool) {
	raw := qsRawValue(obj)
	if raw.Ftag != lib.EJS_TAG_OBJECT {
		return out, lib.TJSValue{}, false
	}
	o := engineObject(obj)
	if int32(o.Fclass_id) != lib.EJS_CLASS_OBJECT || o.F__ccgo16&0x08 != 0 { // is_exotic
		return out, lib.TJSValue{}, false
	}
	sh := (*lib.TJSShape)(enginePtr(o.Fshape))
	atoms := (*lib.TJSRuntime)(enginePtr((*lib.TJSContext)(enginePtr(ctx)).Frt)).Fatom_array
	props := o.Fshape + unsafe.Sizeof(*sh) + uintptr(sh.Fprop_hash_mask+1)*4
	first := true
	var ok bool
	for i := 0; i < int(sh.Fprop_count); i++ {
		word := *(*uint32)(enginePtr(props + uintptr(i)*8))
		atom := *(*uint32)(enginePtr(props + uintptr(i)*8 + 4))
		flags := word >> 26
		if atom == 0 {
			continue // deleted
		}
		if flags&lib.MJS_PROP_TMASK != 0 {
			if flags&lib.MJS_PROP_TMASK != lib.MJS_PROP_GETSET || flags&lib.MJS_PROP_ENUMERABLE != 0 {
				return out, lib.TJSValue{}, false // a getter, or a lazy or variable-reference property
			}
			continue
		}
		if flags&lib.MJS_PROP_ENUMERABLE == 0 {
			continue
		}
		if atom&(1<<31) != 0 {
			return out, lib.TJSValue{}, false // an integer key: Object.keys lists those first
		}
		key := *(*uintptr)(enginePtr(atoms + uintptr(atom)*8))
		if *(*uint32)(enginePtr(key + 4))>>30 != lib.EJS_ATOM_TYPE_STRING {
			continue // a symbol or a private name
		}
		klen, kwide := rawStrLen(key), *(*uint32)(enginePtr(key))&(1<<31) != 0
		if klen > 0 && !kwide && rawStrBytes(key)[0]-'0' < 10 {
			return out, lib.TJSValue{}, false // maybe an array index (2^31 and up are string atoms)
		}
		v := *(*lib.TJSValue)(enginePtr(o.Fprop + uintptr(i)*16))
		// The key, escaped, then eq: ks in node's loop.
		ksStart := len(out)
		if !first {
			out = append(out, sep...)
			ksStart = len(out)
		}
		if out, ok = qsAppendEscapedString(vm, out, qsFromRaw(lib.TJSValue{Fu: *(*lib.TJSValueUnion)(unsafe.Pointer(&key)), Ftag: lib.EJS_TAG_STRING})); !ok {
			return out, lib.TJSValue{}, false
		}
		out = append(out, eq...)
		ksEnd := len(out)
		if v.Ftag != lib.EJS_TAG_OBJECT {
			if out, ok = qsAppendPrimitive(vm, out, v); !ok {
				return out, lib.TJSValue{}, false
			}
			first = false
			continue
		}
		vo := (*lib.TJSObject)(enginePtr(rawPtr(v)))
		switch int32(vo.Fclass_id) {
		case lib.EJS_CLASS_ARRAY:
		case lib.EJS_CLASS_PROXY:
			return out, lib.TJSValue{}, false // maybe an array behind it
		default:
			first = false
			continue // any other object: "key="
		}
		elems, dense := arrayElements(qsFromRaw(v))
		if !dense {
			return out, lib.TJSValue{}, false
		}
		if len(elems) == 0 {
			out = out[:ksStart] // no pair, and no separator for it
			if !first {
				out = out[:ksStart-len(sep)]
			}
			continue
		}
		// ks is out[ksStart:ksEnd]; each later element repeats it.
		for j, e := range elems {
			if j > 0 {
				out = append(out, sep...)
				out = append(out, out[ksStart:ksEnd]...)
			}
			switch {
			case e.Ftag != lib.EJS_TAG_OBJECT:
				if out, ok = qsAppendPrimitive(vm, out, e); !ok {
					return out, lib.TJSValue{}, false
				}
			case int32((*lib.TJSObject)(enginePtr(rawPtr(e))).Fclass_id) == lib.EJS_CLASS_PROXY:
				// Nothing is written for an object element; a Proxy's
				// typeof could still be "function" or throw: leave it.
				return out, lib.TJSValue{}, false
			}
		}
		first = false
	}
	var res lib.TJSValue
	if asciiOnly(sep) && asciiOnly(eq) {
		res = urlNewString8(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(out))), int32(len(out)))
		goruntime.KeepAlive(out)
	} else {
		res = qsNewString(tls, ctx, unsafe.String(unsafe.SliceData(out), len(out)))
	}
	if res.Ftag == lib.EJS_TAG_EXCEPTION {
		return out, res, false
	}
	return out, res, true
}

// qsAppendPrimitive appends what querystring.stringify writes for a value
// that is not an object; ok is false for what it leaves to the
// JavaScript (BigInts, strings with lone surrogates).
func qsAppendPrimitive(vm *qjs.VM, out []byte, v lib.TJSValue) ([]byte, bool) {
	switch v.Ftag {
	case lib.EJS_TAG_STRING, lib.EJS_TAG_STRING_ROPE:
		return qsAppendEscapedString(vm, out, qsFromRaw(v))
	case lib.EJS_TAG_INT:
		return strconv.AppendInt(out, int64(rawInt(v)), 10), true
	case lib.EJS_TAG_FLOAT64:
		return whatwgurl.AppendQSNumber(out, *(*float64)(unsafe.Pointer(&v.Fu))), true
	case lib.EJS_TAG_BOOL:
		if rawInt(v) != 0 {
			return append(out, "true"...), true
		}
		return append(out, "false"...), true
	case lib.EJS_TAG_UNDEFINED, lib.EJS_TAG_NULL, lib.EJS_TAG_SYMBOL:
		return out, true
	}
	return out, false
}

// qsAppendEscapedString appends querystring.escape of the engine string
// s; ok is false when s holds a lone surrogate or cannot be read.
func qsAppendEscapedString(vm *qjs.VM, out []byte, s qjs.Value) ([]byte, bool) {
	latin1, wide, flat, ok := vm.StringData(s)
	if !ok {
		return out, false
	}
	if wide != nil {
		out, ok = whatwgurl.AppendQSEscapedUTF16(out, wide)
	} else {
		out = whatwgurl.AppendQSEscapedLatin1(out, latin1)
	}
	vm.Free(flat)
	return out, ok
}

// jsonProtos is what qjs.StringifyFast needs to know plain objects and
// arrays by: Object.prototype and Array.prototype, held until the VM
// closes.
func jsonProtos(r *rt) qjs.JSONProtos {
	vm := r.vm
	g := vm.Global()
	objCtor := vm.GetV(g, "Object")
	arrCtor := vm.GetV(g, "Array")
	op := vm.GetV(objCtor, "prototype")
	ap := vm.GetV(arrCtor, "prototype")
	vm.FreeAll(objCtor, arrCtor, g)
	r.held = append(r.held, op, ap)
	return qjs.NewJSONProtos(op, ap)
}
