package runtime

import (
	"unicode/utf8"
	"unsafe"

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
	var js []byte
	// qsParseObject(str, pairs) -> object with a null prototype | undefined
	r.fn(obj, "qsParseObject", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		in := qjs.Arg(a, 0)
		pairs := int(vm.Int(qjs.Arg(a, 1)))
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
		list = whatwgurl.QSParseAppend(list[:0], s, pairs)
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
		// The object is written as JSON and built by qjs's JSON reader,
		// which makes objects with a key sequence it has seen before from
		// a cached shape in one allocation (and bounds its own cache of
		// key names). The caller gives it its null prototype.
		js = append(js[:0], '{')
		for n, j := range order {
			if n > 0 {
				js = append(js, ',')
			}
			js = appendJSONString(js, list[j])
			js = append(js, ':')
			if p := j / 2; group[p] == -1 {
				js = appendJSONString(js, list[j+1])
			} else {
				js = append(js, '[')
				for ; p != -1; p = group[p] {
					js = appendJSONString(js, list[2*p+1])
					if group[p] != -1 {
						js = append(js, ',')
					}
				}
				js = append(js, ']')
			}
		}
		js = append(js, '}')
		text := vm.String(unsafe.String(unsafe.SliceData(js), len(js)))
		res, ok := vm.ParseFast(text)
		vm.Free(text)
		if !ok {
			return qjs.Undefined, nil
		}
		clear(list) // drop references to the input's characters
		return res, nil
	})
}

// appendJSONString appends s (valid UTF-8) as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[last:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		last = i + 1
	}
	b = append(b, s[last:]...)
	return append(b, '"')
}

// bindQSStringify adds qsStringify to internalBinding('url'):
// querystring.stringify with the default encoder for plain data. qjs's
// JSON writer reads the object's properties straight from the engine;
// the JSON is then rewritten as a query string (whatwgurl.QSStringifyJSON).
// JSON leaves out a property whose value is undefined (or a symbol),
// which stringify writes as "key=": a count of the object's keys catches
// that, and the binding declines.
func bindQSStringify(r *rt, obj qjs.Value) {
	protos := jsonProtos(r)
	var out []byte
	// qsStringify(obj, sep, eq) -> string | undefined
	r.fn(obj, "qsStringify", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		o := qjs.Arg(a, 0)
		sep, eq := vm.Str(qjs.Arg(a, 1)), vm.Str(qjs.Arg(a, 2))
		if !utf8.ValidString(sep) || !utf8.ValidString(eq) {
			return qjs.Undefined, nil
		}
		text, ok := vm.StringifyFast(o, "", protos)
		if !ok {
			return qjs.Undefined, nil
		}
		var n int
		out, n, ok = whatwgurl.QSStringifyJSON(out[:0], text, sep, eq)
		if !ok {
			return qjs.Undefined, nil
		}
		if keys, err := vm.Keys(o); err != nil || len(keys) != n {
			return qjs.Undefined, nil
		}
		return vm.String(unsafe.String(unsafe.SliceData(out), len(out))), nil
	})
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
