package runtime

import (
	"errors"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
	"gnode/internal/js/whatwgurl"
)

// bindURL is internalBinding('url'), see bindings/url.md: the WHATWG URL
// parser in Go. A URL object in lib/internal/url.js holds the record array
// parse returns (the href and seven offsets of its parts), so a parse
// crosses the boundary once and creates at most one string.
func bindURL(r *rt, obj qjs.Value) {
	// The base of a run of relative parses is usually the same string:
	// it is parsed once, and compared in place when it is ASCII.
	var lastBase string
	var lastBaseASCII, haveBase bool
	var lastBaseURL *whatwgurl.URL
	var lastBaseRec whatwgurl.Components
	var lastBaseErr error
	baseOf := func(vm *qjs.VM, b qjs.Value) (*whatwgurl.URL, error) {
		same := false
		if haveBase && lastBaseASCII {
			latin1, wide, flat, ok := vm.StringData(b)
			same = ok && wide == nil && unsafe.String(unsafe.SliceData(latin1), len(latin1)) == lastBase
			vm.Free(flat)
		}
		if !same {
			s := vm.Str(b)
			lastBase, lastBaseASCII, haveBase = s, asciiOnly(s), true
			lastBaseURL, lastBaseErr = whatwgurl.Parse(whatwgurl.ScalarValues(s), nil)
			if lastBaseErr == nil {
				lastBaseRec = lastBaseURL.Components()
			}
		}
		return lastBaseURL, lastBaseErr
	}
	// scratch holds the href the fast paths build; QuickJS copies it.
	var scratch []byte
	parse := func(vm *qjs.VM, a []qjs.Value) (*whatwgurl.URL, string, error) {
		var base *whatwgurl.URL
		if b := qjs.Arg(a, 1); b.IsString() {
			var err error
			if base, err = baseOf(vm, b); err != nil {
				return nil, "", err
			}
		}
		in := vm.Str(qjs.Arg(a, 0))
		u, err := whatwgurl.Parse(whatwgurl.ScalarValues(in), base)
		return u, in, err
	}
	// fast runs whatwgurl.AppendFast (and AppendRelative against base when
	// there is one) over the characters of an 8-bit input in place (no
	// copy into Go). It returns the record, or Undefined when the input is
	// not of the shapes the fast paths take. An input that is already its
	// own href (most absolute URLs in practice) is returned as the same
	// string value.
	fast := func(vm *qjs.VM, input qjs.Value, base *whatwgurl.Components, build bool) (qjs.Value, bool) {
		latin1, wide, flat, ok := vm.StringData(input)
		if !ok || wide != nil || len(latin1) == 0 {
			vm.Free(flat)
			return qjs.Undefined, false
		}
		in := unsafe.String(unsafe.SliceData(latin1), len(latin1))
		b, o, ok := whatwgurl.AppendFast(scratch[:0], in)
		if !ok && base != nil {
			b, o, ok = whatwgurl.AppendRelative(scratch[:0], *base, in)
		}
		scratch = b
		if !ok || !build {
			vm.Free(flat)
			return qjs.Undefined, ok
		}
		var href qjs.Value
		switch {
		case string(b) != in:
			href = vm.String(unsafe.String(unsafe.SliceData(b), len(b)))
			vm.Free(flat)
		case flat.IsUndefined():
			href = vm.Dup(input)
		default:
			href = flat // the flattened rope: getters slice it without flattening again
		}
		return recordArray(vm, href, o), true
	}
	// fastWithBase is fast for parse and canParse: with a base argument it
	// needs a valid base first (an invalid base fails even an absolute
	// input), which the slow path then reports.
	fastWithBase := func(vm *qjs.VM, a []qjs.Value, build bool) (qjs.Value, bool) {
		b := qjs.Arg(a, 1)
		if !b.IsString() {
			return fast(vm, qjs.Arg(a, 0), nil, build)
		}
		if _, err := baseOf(vm, b); err != nil {
			return qjs.Undefined, false
		}
		return fast(vm, qjs.Arg(a, 0), &lastBaseRec, build)
	}
	// record builds the array for a URL the state machine parsed.
	record := func(vm *qjs.VM, u *whatwgurl.URL, input qjs.Value, inputStr string) qjs.Value {
		c := u.Components()
		href := qjs.Undefined
		if c.Href == inputStr {
			href = vm.Dup(input)
		} else {
			href = vm.String(c.Href)
		}
		return recordArray(vm, href, c.Offsets)
	}
	// parse(input, base) -> false | undefined | record
	r.fn(obj, "parse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if rec, ok := fastWithBase(vm, a, true); ok {
			return rec, nil
		}
		u, in, err := parse(vm, a)
		if err != nil {
			if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
				return qjs.Undefined, nil
			}
			return qjs.False, nil
		}
		return record(vm, u, qjs.Arg(a, 0), in), nil
	})
	// canParse(input, base) -> true | false | undefined
	r.fn(obj, "canParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if _, ok := fastWithBase(vm, a, false); ok {
			return qjs.True, nil
		}
		_, _, err := parse(vm, a)
		if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
			return qjs.Undefined, nil
		}
		return qjs.Bool(err == nil), nil
	})
	// set(href, setter, value) -> record | undefined
	r.fn(obj, "set", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		u, err := whatwgurl.ParseHref(vm.Str(qjs.Arg(a, 0)))
		if err != nil {
			return qjs.Undefined, nil
		}
		which := whatwgurl.Setter(vm.Int(qjs.Arg(a, 1)))
		if err := u.Set(which, whatwgurl.ScalarValues(vm.Str(qjs.Arg(a, 2)))); err != nil {
			return qjs.Undefined, nil
		}
		c := u.Components()
		return recordArray(vm, vm.String(c.Href), c.Offsets), nil
	})
	bindURLAccessors(r, obj)
	bindURLQuery(r, obj)
	bindLegacyURL(r, obj)
	bindQS(r, obj)
	bindQSStringify(r, obj)
}

// The URL accessors bindURLAccessors makes natively, in the order
// urlAccessors takes their JavaScript versions and returns the natives.
const (
	accHref = iota
	accOrigin
	accProtocol
	accUsername
	accPassword
	accHost
	accHostname
	accPort
	accPathname
	accSearch
	accHash
	accSearchParams
	accToString
	accToJSON
	accCount
)

var accNames = [accCount]string{"get href", "get origin", "get protocol", "get username", "get password",
	"get host", "get hostname", "get port", "get pathname", "get search", "get hash", "get searchParams",
	"toString", "toJSON"}

// bindURLAccessors adds urlAccessors(sample, ...slow, spTemplate,
// WeakRef) -> [native, ...] | undefined: URL's getters (and
// toString/toJSON) as native functions. On the interpreter a JavaScript
// getter costs its call, the private field read and
// String.prototype.slice (about 0.6 µs together); a native one reads the
// record straight from the engine. The record is URL's private field #c,
// which Go cannot name; it finds it by shape instead: sample is a URL made
// by the constructor, whose only own property is #c, and every URL the
// constructor makes has that same (shared) shape, since the engine's
// shapes are keyed by prototype and properties. An object with exactly
// that shape is therefore a plain URL whose first property slot holds the
// record. Anything else (a subclass instance, a URL given own properties
// or frozen, another receiver, a record whose href is not a flat 8-bit
// string) calls the JavaScript accessor, which reads or throws as before.
// sample is held until the VM closes, so the shape cannot be freed and
// its address reused.
//
// searchParams, on its first read, is made here as the JavaScript getter
// makes it: an object of spTemplate's shape (URLSearchParams.prototype,
// then the hidden query text and a WeakRef to the URL), stored in the
// record's slot 8.
func bindURLAccessors(r *rt, obj qjs.Value) {
	r.fn(obj, "urlAccessors", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		sample := qjs.Arg(a, 0)
		if !engineOK || len(a) != 3+accCount || !sample.IsObject() || !a[1+accCount].IsObject() {
			return qjs.Undefined, nil
		}
		so := engineObject(sample)
		sh := (*lib.TJSShape)(enginePtr(so.Fshape))
		if sh.Fprop_count != 1 || sh.Fis_hashed == 0 {
			return qjs.Undefined, nil
		}
		if _, _, ok := urlRecord(so.Fshape, sample); !ok {
			return qjs.Undefined, nil
		}
		// The template's shape: two hidden data properties, hashed.
		tmpl := a[1+accCount]
		to := engineObject(tmpl)
		tsh := (*lib.TJSShape)(enginePtr(to.Fshape))
		if int32(to.Fclass_id) != lib.EJS_CLASS_OBJECT || tsh.Fprop_count != 2 || tsh.Fis_hashed == 0 || tsh.Fdeleted_prop_count != 0 {
			return qjs.Undefined, nil
		}
		shape, spShape := so.Fshape, to.Fshape
		held := make([]qjs.Value, 0, len(a))
		for _, v := range a {
			held = append(held, vm.Dup(v))
		}
		r.held = append(r.held, held...)
		weakRef := held[2+accCount]
		natives := make([]qjs.Value, accCount)
		scratch := new([]byte) // origin's characters (heap: the engine reads them by address)
		spVals := new([2]lib.TJSValue)
		for i := range natives {
			slow := held[1+i]
			which := i
			natives[i] = vm.Function(accNames[i], 0, func(vm *qjs.VM, this qjs.Value, args []qjs.Value) (qjs.Value, error) {
				if rec, elems, ok := urlRecord(shape, this); ok {
					if v, ok := urlAccess(vm, which, elems, scratch); ok {
						return v, nil
					}
					if which == accSearchParams && len(elems) == 8 {
						return newSearchParams(vm, this, rec, elems, spShape, weakRef, spVals)
					}
				}
				return vm.Call(slow, this, args...)
			})
		}
		return vm.ArrayOf(natives...), nil
	})
}

// newSearchParams makes a URL's searchParams (see bindURLAccessors) and
// stores it in the record's slot 8. Failures are the engine's (out of
// memory) and are thrown: the result is then the exception marker.
func newSearchParams(vm *qjs.VM, url, rec qjs.Value, elems []lib.TJSValue, spShape uintptr, weakRef qjs.Value, vals *[2]lib.TJSValue) (qjs.Value, error) {
	tls, ctx, _ := engineOf(vm)
	p := rawPtr(elems[0])
	n := rawStrLen(p)
	q, f := rawInt(elems[6]), rawInt(elems[7])
	var text lib.TJSValue
	switch {
	case q < 0:
		text = urlNewString8(tls, ctx, p, 0)
	case f >= 0:
		text = urlNewString8(tls, ctx, p+12+uintptr(q+1), int32(f-q-1))
	default:
		text = urlNewString8(tls, ctx, p+12+uintptr(q+1), int32(n-q-1))
	}
	if text.Ftag == lib.EJS_TAG_EXCEPTION {
		return qsFromRaw(text), nil
	}
	ref, err := vm.New(weakRef, url)
	if err != nil {
		lib.XFreeValue(tls, ctx, text)
		return qjs.Undefined, err
	}
	vals[0], vals[1] = text, qsRawValue(ref)
	// NewObjectFromShape takes the values (or frees them on failure).
	sp := engineNewObjectFromShape(tls, ctx, engineDupShape(tls, spShape), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(vals)))
	*vals = [2]lib.TJSValue{}
	if sp.Ftag == lib.EJS_TAG_EXCEPTION {
		return qsFromRaw(sp), nil
	}
	if lib.XJS_SetPropertyUint32(tls, ctx, qsRawValue(rec), 8, lib.XDupValue(tls, ctx, sp)) < 0 {
		lib.XFreeValue(tls, ctx, sp)
		return qsFromRaw(lib.TJSValue{Ftag: lib.EJS_TAG_EXCEPTION}), nil
	}
	return qsFromRaw(sp), nil
}

// engineObject is the engine object v holds (v must be an object).
func engineObject(v qjs.Value) *lib.TJSObject {
	r := qsRawValue(v)
	return (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&r.Fu)))
}

// urlRecord returns the record of a URL whose object has shape (see
// bindURLAccessors), borrowed, and its elements, read in place, when the
// first is a flat 8-bit string and the next seven are integers.
func urlRecord(shape uintptr, v qjs.Value) (qjs.Value, []lib.TJSValue, bool) {
	if qsRawValue(v).Ftag != lib.EJS_TAG_OBJECT {
		return qjs.Undefined, nil, false
	}
	o := engineObject(v)
	if o.Fshape != shape {
		return qjs.Undefined, nil, false
	}
	rec := qsFromRaw(*(*lib.TJSValue)(enginePtr(o.Fprop)))
	elems, ok := arrayElements(rec)
	if !ok || len(elems) < 8 || elems[0].Ftag != lib.EJS_TAG_STRING {
		return qjs.Undefined, nil, false
	}
	if *(*uint32)(enginePtr(rawPtr(elems[0])))&(1<<31) != 0 {
		return qjs.Undefined, nil, false // 16-bit characters (an href is ASCII; not seen)
	}
	for _, e := range elems[1:8] {
		if e.Ftag != lib.EJS_TAG_INT {
			return qjs.Undefined, nil, false
		}
	}
	return rec, elems, true
}

func rawPtr(v lib.TJSValue) uintptr { return *(*uintptr)(unsafe.Pointer(&v.Fu)) }
func rawInt(v lib.TJSValue) int     { return int(*(*int32)(unsafe.Pointer(&v.Fu))) }
func rawStrLen(p uintptr) int       { return int(*(*uint32)(enginePtr(p)) &^ (1 << 31)) }
func rawStrBytes(p uintptr) []byte  { return unsafe.Slice((*byte)(enginePtr(p+12)), rawStrLen(p)) }

// urlNewString8 is QuickJS's js_new_string8_len: a string of n Latin-1
// characters copied from buf (the empty string's atom for n <= 0).
//
//go:linkname urlNewString8 modernc.org/libquickjs._js_new_string8_len
func urlNewString8(tls *libc.TLS, ctx, buf uintptr, n int32) lib.TJSValue

// urlAccess computes accessor which over a record urlRecord accepted, as
// the JavaScript accessors in lib/internal/url.js do; ok false leaves it
// to them.
func urlAccess(vm *qjs.VM, which int, rec []lib.TJSValue, scratch *[]byte) (qjs.Value, bool) {
	tls, ctx, _ := engineOf(vm)
	hrefV := rec[0]
	p := rawPtr(hrefV)
	n := rawStrLen(p)
	schemeEnd, userEnd, hostStart, hostEnd := rawInt(rec[1]), rawInt(rec[2]), rawInt(rec[3]), rawInt(rec[4])
	pathStart, queryStart, fragStart := rawInt(rec[5]), rawInt(rec[6]), rawInt(rec[7])
	if schemeEnd < 1 || schemeEnd > userEnd || userEnd > hostStart || hostStart > hostEnd || hostEnd > pathStart || pathStart > n ||
		queryStart >= n || fragStart >= n || queryStart >= 0 && queryStart < pathStart || fragStart >= 0 && fragStart < pathStart {
		return qjs.Undefined, false
	}
	slice := func(start, end int) (qjs.Value, bool) {
		if start >= end {
			return qsFromRaw(urlNewString8(tls, ctx, p, 0)), true
		}
		if start == 0 && end == n {
			return vm.Dup(qsFromRaw(hrefV)), true
		}
		return qsFromRaw(urlNewString8(tls, ctx, p+12+uintptr(start), int32(end-start))), true
	}
	switch which {
	case accHref, accToString, accToJSON:
		return vm.Dup(qsFromRaw(hrefV)), true
	case accProtocol:
		return slice(0, schemeEnd)
	case accUsername:
		if start := schemeEnd + 2; userEnd > start {
			return slice(start, userEnd)
		}
		return slice(0, 0)
	case accPassword:
		if end := hostStart - 1; end > userEnd {
			return slice(userEnd+1, end)
		}
		return slice(0, 0)
	case accHost:
		return slice(hostStart, pathStart)
	case accHostname:
		return slice(hostStart, hostEnd)
	case accPort:
		if hostEnd < pathStart {
			return slice(hostEnd+1, pathStart)
		}
		return slice(0, 0)
	case accPathname:
		end := n
		if queryStart >= 0 {
			end = queryStart
		} else if fragStart >= 0 {
			end = fragStart
		}
		return slice(pathStart, end)
	case accSearch:
		if queryStart < 0 {
			return slice(0, 0)
		}
		end := n
		if fragStart >= 0 {
			end = fragStart
		}
		if end-queryStart <= 1 {
			return slice(0, 0)
		}
		return slice(queryStart, end)
	case accHash:
		if fragStart < 0 || fragStart == n-1 {
			return slice(0, 0)
		}
		return slice(fragStart, n)
	case accOrigin:
		b := rawStrBytes(p)
		switch string(b[:schemeEnd]) {
		case "http:", "https:", "ws:", "wss:", "ftp:":
			o := append(append(append((*scratch)[:0], b[:schemeEnd]...), "//"...), b[hostStart:pathStart]...)
			*scratch = o
			return qsFromRaw(urlNewString8(tls, ctx, uintptr(unsafe.Pointer(unsafe.SliceData(o))), int32(len(o)))), true
		case "blob:":
			return qjs.Undefined, false
		}
		return vm.String("null"), true
	case accSearchParams:
		if len(rec) > 8 && rec[8].Ftag == lib.EJS_TAG_OBJECT {
			return vm.Dup(qsFromRaw(rec[8])), true
		}
	}
	return qjs.Undefined, false
}

// legacyURLFields are the own properties of a legacy Url object in the
// order its constructor creates them (Object.keys and format depend on it).
var legacyURLFields = [...]struct {
	name  string
	field whatwgurl.LegacyField
}{
	{"protocol", whatwgurl.LegacyProtocol},
	{"slashes", 0},
	{"auth", whatwgurl.LegacyAuth},
	{"host", whatwgurl.LegacyHost},
	{"port", whatwgurl.LegacyPort},
	{"hostname", whatwgurl.LegacyHostname},
	{"hash", whatwgurl.LegacyHash},
	{"search", whatwgurl.LegacySearch},
	{"query", whatwgurl.LegacyQuery},
	{"pathname", whatwgurl.LegacyPathname},
	{"path", whatwgurl.LegacyPath},
	{"href", 0},
}

// bindLegacyURL adds legacyParse, the common inputs of Node's legacy
// url.parse (whatwgurl.LegacyParse), building the Url object here: its
// dozen property stores and slices are most of what the JavaScript parser
// costs on the interpreter.
func bindLegacyURL(r *rt, obj qjs.Value) {
	// legacyParse(url, slashesDenoteHost, proto) -> Url | undefined
	r.fn(obj, "legacyParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		in, proto := qjs.Arg(a, 0), qjs.Arg(a, 2)
		if !proto.IsObject() {
			return qjs.Undefined, nil
		}
		latin1, wide, flat, ok := vm.StringData(in)
		if !ok || wide != nil {
			vm.Free(flat)
			return qjs.Undefined, nil
		}
		s := unsafe.String(unsafe.SliceData(latin1), len(latin1))
		u, ok := whatwgurl.LegacyParse(s, vm.Truthy(qjs.Arg(a, 1)))
		if !ok {
			vm.Free(flat)
			return qjs.Undefined, nil
		}
		// The fields alias the input's characters: every string is made
		// before flat is freed. An href equal to the input is the input.
		var href qjs.Value
		switch {
		case u.Href != s:
			href = vm.String(u.Href)
		case flat.IsUndefined():
			href = vm.Dup(in)
		default:
			href = vm.Dup(flat)
		}
		res := vm.ObjectProto(proto)
		pathname := qjs.Undefined
		for _, f := range legacyURLFields {
			v := qjs.Null
			switch {
			case f.name == "slashes":
				if u.Slashes {
					v = qjs.True
				}
			case f.name == "href":
				v = href
			case !u.Has(f.field):
			case f.field == whatwgurl.LegacyPath && u.Path == u.Pathname && !pathname.IsUndefined():
				v = vm.Dup(pathname)
			case f.field == whatwgurl.LegacyPath && u.Path == u.Href:
				v = vm.Dup(href)
			default:
				v = vm.String(u.Field(f.field))
				if f.field == whatwgurl.LegacyPathname {
					pathname = v
				}
			}
			vm.Define(res, f.name, v, true)
		}
		vm.Free(flat)
		return res, nil
	})
}

// bindURLQuery adds parseQuery and serializeQuery (URLSearchParams), and
// qsEscape and qsParse (lib/querystring.js).
func bindURLQuery(r *rt, obj qjs.Value) {
	// qsEscape(str) -> string | undefined (not valid UTF-8: JS handles it)
	r.fn(obj, "qsEscape", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		in := qjs.Arg(a, 0)
		s := vm.Str(in)
		out, ok := whatwgurl.QSEscape(s)
		switch {
		case !ok:
			return qjs.Undefined, nil
		case len(out) == len(s):
			return vm.Dup(in), nil
		}
		return vm.String(out), nil
	})
	// qsParse(str, pairs) -> [key, value, key, value, ...] | undefined
	r.fn(obj, "qsParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		list, ok := whatwgurl.QSParse(vm.Str(qjs.Arg(a, 0)), int(vm.Int(qjs.Arg(a, 1))))
		if !ok {
			return qjs.Undefined, nil
		}
		arr := vm.Array()
		for i, s := range list {
			vm.SetIndex(arr, uint32(i), vm.String(s))
		}
		return arr, nil
	})
	// parseQuery(text) -> [name, value, name, value, ...]
	r.fn(obj, "parseQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return flatList(vm, whatwgurl.ParseQuery(whatwgurl.ScalarValues(vm.Str(qjs.Arg(a, 0))))), nil
	})
	// serializeQuery(list) -> string: list is a flat list as parseQuery
	// returns it, or query text (a URLSearchParams not parsed yet), which
	// serializes as its list would.
	serialize := querySerializer(r)
	r.fn(obj, "serializeQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return serialize(vm, qjs.Arg(a, 0))
	})
	// sortQuery(list) -> a new flat list, sorted as URLSearchParams's sort
	// does; list as serializeQuery takes it.
	r.fn(obj, "sortQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return sortedList(vm, qjs.Arg(a, 0))
	})
	bindSearchParamsMethods(r, obj, serialize)
}

// sortedList is a new flat list of list's pairs (list a flat list or
// query text) sorted as URLSearchParams's sort does.
func sortedList(vm *qjs.VM, list qjs.Value) (qjs.Value, error) {
	var pairs [][2]string
	if list.IsString() {
		pairs = whatwgurl.ParseQuery(whatwgurl.ScalarValues(vm.Str(list)))
	} else {
		flat, err := stringList(vm, list)
		if err != nil {
			return qjs.Undefined, err
		}
		pairs = make([][2]string, len(flat)/2)
		for i := range pairs {
			pairs[i] = [2]string{flat[2*i], flat[2*i+1]}
		}
	}
	whatwgurl.SortQuery(pairs)
	return flatList(vm, pairs), nil
}

// querySerializer returns serializeQuery's function: the serialization
// of a flat list, or of the list query text parses into.
func querySerializer(r *rt) func(vm *qjs.VM, list qjs.Value) (qjs.Value, error) {
	protos := jsonProtos(r)
	var out []byte
	return func(vm *qjs.VM, list qjs.Value) (qjs.Value, error) {
		if list.IsString() {
			text := vm.Str(list)
			out := whatwgurl.SerializeQuery(whatwgurl.ParseQuery(whatwgurl.ScalarValues(text)))
			if out == text {
				return vm.Dup(list), nil // already serialized: the same string
			}
			return vm.String(out), nil
		}
		// A dense array's strings are read in place.
		if elems, ok := arrayElements(list); ok && len(elems)%2 == 0 {
			out = out[:0]
			for i, e := range elems {
				switch {
				case i&1 == 1:
					out = append(out, '=')
				case i > 0:
					out = append(out, '&')
				}
				v := qsFromRaw(e)
				latin1, wide, flat, ok := vm.StringData(v)
				if !ok {
					break
				}
				if wide == nil && asciiOnly(unsafe.String(unsafe.SliceData(latin1), len(latin1))) {
					out = whatwgurl.AppendFormEncoded(out, unsafe.String(unsafe.SliceData(latin1), len(latin1)))
				} else {
					out = whatwgurl.AppendFormEncoded(out, whatwgurl.ScalarValues(vm.Str(v)))
				}
				vm.Free(flat)
				if i == len(elems)-1 {
					return vm.String(unsafe.String(unsafe.SliceData(out), len(out))), nil
				}
			}
			if len(elems) == 0 {
				return vm.String(""), nil
			}
		}
		// qjs's JSON writer reads the list straight from the engine (one
		// crossing instead of a property read per string).
		if text, ok := vm.StringifyFast(list, "", protos); ok {
			if out, ok = whatwgurl.SerializeQueryJSON(out[:0], text); ok {
				return vm.String(unsafe.String(unsafe.SliceData(out), len(out))), nil
			}
		}
		flat, err := stringList(vm, list)
		if err != nil {
			return qjs.Undefined, err
		}
		pairs := make([][2]string, len(flat)/2)
		for i := range pairs {
			pairs[i] = [2]string{flat[2*i], flat[2*i+1]}
		}
		return vm.String(whatwgurl.SerializeQuery(pairs)), nil
	}
}

// flatList makes the engine array [name, value, name, value, ...] of
// pairs, sized once for short lists.
func flatList(vm *qjs.VM, pairs [][2]string) qjs.Value {
	if len(pairs) > 32 {
		flat := make([]string, 0, 2*len(pairs))
		for _, p := range pairs {
			flat = append(flat, p[0], p[1])
		}
		return vm.StringArray(flat)
	}
	var buf [64]qjs.Value
	items := buf[:0]
	tls, ctx, ok := engineOf(vm)
	for _, p := range pairs {
		if ok {
			items = append(items, qsFromRaw(qsNewString(tls, ctx, p[0])), qsFromRaw(qsNewString(tls, ctx, p[1])))
		} else {
			items = append(items, vm.String(p[0]), vm.String(p[1]))
		}
	}
	return vm.ArrayOf(items...)
}

// stringList reads an array of strings (USV strings: lone surrogates are
// replaced) into Go.
func stringList(vm *qjs.VM, list qjs.Value) ([]string, error) {
	n := vm.Len(list)
	out := make([]string, n)
	for i := range out {
		v, err := vm.GetIndex(list, uint32(i))
		if err != nil {
			return nil, err
		}
		out[i] = whatwgurl.ScalarValues(vm.Str(v))
		vm.Free(v)
	}
	return out, nil
}

// bindSearchParamsMethods adds searchParamsMethods(kList, kURL, updateURL,
// get, getAll, has, append, set, toString, kIterTarget, kIterState, next,
// sort, spSample, urlSPSample, iterSample, resultSample, keys, values,
// entries) -> [get, getAll, has, append, set, toString, next, sort, hide,
// keys, values, entries]: URLSearchParams's methods (and its iterators'
// next) as native functions,
// each given the JavaScript one to call for what it does not handle, plus
// hide(obj, key, value), a non-enumerable define. A method on the
// interpreter pays for its rest parameter (the argument count decides
// between get() and get(undefined)) and a loop over the list more than
// the work costs in Go, where the argument count is known. The fast paths
// take a URLSearchParams (this[kList] a dense array of strings, or query
// text not parsed yet, which lookups search and toString and sort read
// without building the list) and string arguments that are USV strings;
// everything else calls the JavaScript method (which converts arguments
// and throws Node's errors). Changes reach the owning URL through
// updateURL when this[kURL] is set. The samples give the shapes of the
// objects the methods read in place (see spShapes). Undefined when the
// engine adapter is off: the JavaScript methods stay.
func bindSearchParamsMethods(r *rt, obj qjs.Value, serialize func(*qjs.VM, qjs.Value) (qjs.Value, error)) {
	r.fn(obj, "searchParamsMethods", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if !engineOK {
			return qjs.Undefined, nil // the JavaScript methods stay
		}
		held := make([]qjs.Value, 20)
		for i := range held {
			held[i] = vm.Dup(qjs.Arg(a, i))
		}
		r.held = append(r.held, held...)
		kList, kURL, updateURL := held[0], held[1], held[2]
		slowGet, slowGetAll, slowHas, slowAppend, slowSet, slowToString := held[3], held[4], held[5], held[6], held[7], held[8]
		kIterTarget, kIterState, slowNext, slowSort := held[9], held[10], held[11], held[12]
		// The iterator kinds' methods, by kind (0 keys, 1 values, 2 entries).
		slowIters := [3]qjs.Value{held[17], held[18], held[19]}
		sh := newSPShapes(held[13], held[14], held[15], held[16])
		var found []string
		// lookup returns the values named name (only the first when
		// first): from the text, or the list's own strings.
		lookup := func(vm *qjs.VM, this, name qjs.Value, first bool) ([]qjs.Value, bool) {
			if !extensible(vm, this) {
				return nil, false
			}
			nm, ok := usvString(vm, name)
			if !ok {
				return nil, false
			}
			l, err := sh.getList(vm, this, kList)
			if err != nil {
				return nil, false
			}
			defer vm.Free(l)
			if l.IsString() {
				// ASCII text is searched in place (the values found alias
				// it until they are made strings).
				latin1, wide, flat, ok := vm.StringData(l)
				if !ok {
					return nil, false
				}
				var text string
				if wide == nil && asciiOnly(unsafe.String(unsafe.SliceData(latin1), len(latin1))) {
					text = unsafe.String(unsafe.SliceData(latin1), len(latin1))
				} else {
					text = whatwgurl.ScalarValues(vm.Str(l))
				}
				found = whatwgurl.QueryLookup(found[:0], text, nm, first)
				vals := make([]qjs.Value, len(found))
				tls, ctx, _ := engineOf(vm)
				for i, v := range found {
					vals[i] = qsFromRaw(qsNewString(tls, ctx, v))
				}
				clear(found)
				vm.Free(flat)
				return vals, true
			}
			if !vm.IsArray(l) {
				return nil, false
			}
			var vals []qjs.Value
			if elems, ok := arrayElements(l); ok {
				// Read in place: nothing below runs JavaScript.
				for i := 0; i+1 < len(elems); i += 2 {
					if strEquals(vm, qsFromRaw(elems[i]), nm) {
						vals = append(vals, vm.Dup(qsFromRaw(elems[i+1])))
						if first {
							break
						}
					}
				}
				return vals, true
			}
			n := vm.Len(l)
			for i := 0; i+1 < n; i += 2 {
				k, err := vm.GetIndex(l, uint32(i))
				if err != nil {
					vm.FreeAll(vals...)
					return nil, false
				}
				eq := strEquals(vm, k, nm)
				vm.Free(k)
				if !eq {
					continue
				}
				v, err := vm.GetIndex(l, uint32(i+1))
				if err != nil {
					vm.FreeAll(vals...)
					return nil, false
				}
				vals = append(vals, v)
				if first {
					break
				}
			}
			return vals, true
		}
		get := vm.Function("get", 1, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) == 1 {
				if vals, ok := lookup(vm, this, a[0], true); ok {
					if len(vals) == 0 {
						return qjs.Null, nil
					}
					return vals[0], nil
				}
			}
			return vm.Call(slowGet, this, a...)
		})
		getAll := vm.Function("getAll", 1, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) == 1 {
				if vals, ok := lookup(vm, this, a[0], false); ok {
					return vm.ArrayOf(vals...), nil
				}
			}
			return vm.Call(slowGetAll, this, a...)
		})
		has := vm.Function("has", 1, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) == 1 || len(a) == 2 && a[1].IsUndefined() {
				if vals, ok := lookup(vm, this, a[0], true); ok {
					vm.FreeAll(vals...)
					return qjs.Bool(len(vals) > 0), nil
				}
			}
			return vm.Call(slowHas, this, a...)
		})
		// list returns this's list as an array, parsing its text first
		// (owned; ok false: not a URLSearchParams).
		list := func(vm *qjs.VM, this qjs.Value) (qjs.Value, bool) {
			if !extensible(vm, this) {
				return qjs.Undefined, false
			}
			l, err := sh.getList(vm, this, kList)
			if err != nil {
				return qjs.Undefined, false
			}
			if vm.IsArray(l) {
				return l, true
			}
			if !l.IsString() {
				vm.Free(l)
				return qjs.Undefined, false
			}
			arr := flatList(vm, whatwgurl.ParseQuery(whatwgurl.ScalarValues(vm.Str(l))))
			vm.Free(l)
			if !sh.setList(vm, this, kList, vm.Dup(arr)) {
				vm.Free(arr)
				return qjs.Undefined, false
			}
			return arr, true
		}
		// changed tells this's URL, if it has one, of a change.
		changed := func(vm *qjs.VM, this qjs.Value) error {
			u, err := sh.getURL(vm, this, kURL)
			if err != nil {
				return err
			}
			linked := vm.Truthy(u)
			vm.Free(u)
			if !linked {
				return nil
			}
			res, err := vm.Call(updateURL, qjs.Undefined, this)
			vm.Free(res)
			return err
		}
		appendFn := vm.Function("append", 2, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) >= 2 && isUSVString(vm, a[0]) && isUSVString(vm, a[1]) {
				if l, ok := list(vm, this); ok {
					var n uint32
					if elems, ok := arrayElements(l); ok {
						n = uint32(len(elems))
					} else {
						n = uint32(vm.Len(l))
					}
					err := vm.SetIndex(l, n, vm.Dup(a[0]))
					if err == nil {
						err = vm.SetIndex(l, n+1, vm.Dup(a[1]))
					}
					vm.Free(l)
					if err == nil {
						err = changed(vm, this)
					}
					return qjs.Undefined, err
				}
			}
			return vm.Call(slowAppend, this, a...)
		})
		// set: the first pair named name takes the value, later ones go;
		// none: the pair is appended. The list is replaced by a new array.
		setFn := vm.Function("set", 2, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) >= 2 && isUSVString(vm, a[1]) {
				if nm, ok := usvString(vm, a[0]); ok {
					if l, ok := list(vm, this); ok {
						elems, dense := arrayElements(l)
						n := len(elems)
						if !dense {
							n = vm.Len(l)
						}
						items := make([]qjs.Value, 0, n+2)
						found := false
						var err error
						if dense {
							// Read in place: nothing below runs JavaScript.
							for i := 0; i+1 < len(elems); i += 2 {
								k := qsFromRaw(elems[i])
								switch {
								case !strEquals(vm, k, nm):
									items = append(items, vm.Dup(k), vm.Dup(qsFromRaw(elems[i+1])))
								case !found:
									found = true
									items = append(items, vm.Dup(k), vm.Dup(a[1]))
								}
							}
							n = 0 // done
						}
						for i := 0; i+1 < n && err == nil; i += 2 {
							var k, v qjs.Value
							if k, err = vm.GetIndex(l, uint32(i)); err != nil {
								break
							}
							if !strEquals(vm, k, nm) {
								if v, err = vm.GetIndex(l, uint32(i+1)); err != nil {
									vm.Free(k)
									break
								}
								items = append(items, k, v)
								continue
							}
							if found {
								vm.Free(k)
								continue
							}
							found = true
							items = append(items, k, vm.Dup(a[1]))
						}
						vm.Free(l)
						if err != nil {
							vm.FreeAll(items...)
							return qjs.Undefined, err
						}
						if !found {
							items = append(items, vm.Dup(a[0]), vm.Dup(a[1]))
						}
						if !sh.setList(vm, this, kList, vm.ArrayOf(items...)) {
							return qjs.Undefined, vm.TypeError("cannot store the URLSearchParams list")
						}
						return qjs.Undefined, changed(vm, this)
					}
				}
			}
			return vm.Call(slowSet, this, a...)
		})
		toString := vm.Function("toString", 0, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if extensible(vm, this) {
				l, err := sh.getList(vm, this, kList)
				if err == nil && (l.IsString() || vm.IsArray(l)) {
					defer vm.Free(l)
					return serialize(vm, l)
				}
				vm.Free(l)
			}
			return vm.Call(slowToString, this, a...)
		})
		// next of the iterators: the state is index<<2 | kind (0 keys, 1
		// values, 2 entries), the list read in place when it is a dense
		// array (query text, odd receivers: the JavaScript next).
		next := vm.Function("next", 0, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if res, ok := sh.iterNext(vm, this, kIterTarget, kIterState, kList); ok {
				return res, nil
			}
			return vm.Call(slowNext, this, a...)
		})
		sortFn := vm.Function("sort", 0, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if extensible(vm, this) {
				l, err := sh.getList(vm, this, kList)
				if err == nil && (l.IsString() || vm.IsArray(l)) {
					sorted, err := sortedList(vm, l)
					vm.Free(l)
					if err != nil {
						return qjs.Undefined, err
					}
					if !sh.setList(vm, this, kList, sorted) {
						return qjs.Undefined, vm.TypeError("cannot store the URLSearchParams list")
					}
					return qjs.Undefined, changed(vm, this)
				}
				vm.Free(l)
			}
			return vm.Call(slowSort, this, a...)
		})
		// keys, values and entries: the list parsed (as spList does),
		// then an iterator made from its shape.
		iterFns := make([]qjs.Value, 3)
		for kind, name := range []string{"keys", "values", "entries"} {
			slow := slowIters[kind]
			iterFns[kind] = vm.Function(name, 0, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
				if extensible(vm, this) {
					if l, ok := list(vm, this); ok {
						vm.Free(l)
						if it, ok := sh.newIter(vm, this, kind); ok {
							return it, nil
						}
					}
				}
				return vm.Call(slow, this, a...)
			})
		}
		// hide(obj, key, value) defines obj[key] = value, not enumerable
		// (what Object.defineProperty with a descriptor does, without
		// reading one).
		hide := vm.Function("hide", 3, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			tls, ctx, _ := engineOf(vm)
			if len(a) < 3 || !a[0].IsObject() {
				return qjs.False, nil
			}
			atom := lib.XJS_ValueToAtom(tls, ctx, qsRawValue(a[1]))
			if atom == 0 {
				return qjs.False, nil
			}
			r := lib.XJS_DefinePropertyValue(tls, ctx, qsRawValue(a[0]), atom, qsRawValue(vm.Dup(a[2])), lib.MJS_PROP_CONFIGURABLE|lib.MJS_PROP_WRITABLE)
			lib.XJS_FreeAtom(tls, ctx, atom)
			return qjs.Bool(r >= 0), nil
		})
		return vm.ArrayOf(get, getAll, has, appendFn, setFn, toString, next, sortFn, hide, iterFns[0], iterFns[1], iterFns[2]), nil
	})
}

// spShapes knows the objects lib/internal/url.js makes for
// URLSearchParams by their shapes (as bindURLAccessors knows URLs): one
// made by the constructor ({kList}), a URL's searchParams ({kList,
// kURL}), an iterator ({kIterTarget, kIterState}) and an iterator result
// ({value, done}). An object with one of the first three shapes has those
// properties, writable, in those slots, so the methods read and write
// them in place instead of through a property lookup each; any other
// object goes through the engine's property access as before. The samples
// are held (in r.held) until the VM closes, so the shapes stay alive.
type spShapes struct {
	ctor, url, iter, result uintptr
	vals                    *[2]lib.TJSValue // engine reads these by address: heap, not stack
}

func newSPShapes(ctorSample, urlSample, iterSample, resultSample qjs.Value) *spShapes {
	shapeOf := func(v qjs.Value, props int) uintptr {
		if !engineOK || qsRawValue(v).Ftag != lib.EJS_TAG_OBJECT {
			return 0
		}
		o := engineObject(v)
		sh := (*lib.TJSShape)(enginePtr(o.Fshape))
		if int32(o.Fclass_id) != lib.EJS_CLASS_OBJECT || int(sh.Fprop_count) != props || sh.Fis_hashed == 0 || sh.Fdeleted_prop_count != 0 {
			return 0
		}
		// Plain data properties, writable.
		base := o.Fshape + unsafe.Sizeof(*sh) + uintptr(sh.Fprop_hash_mask+1)*4
		for i := 0; i < props; i++ {
			flags := *(*uint32)(enginePtr(base + uintptr(i)*8)) >> 26
			if flags&lib.MJS_PROP_TMASK != 0 || flags&lib.MJS_PROP_WRITABLE == 0 {
				return 0
			}
		}
		return o.Fshape
	}
	return &spShapes{ctor: shapeOf(ctorSample, 1), url: shapeOf(urlSample, 2), iter: shapeOf(iterSample, 2),
		result: shapeOf(resultSample, 2), vals: new([2]lib.TJSValue)}
}

// slot returns the address of property slot i of v when v is an object of
// one of shapes (nonzero), else 0.
func slot(v qjs.Value, i int, shapes ...uintptr) uintptr {
	if qsRawValue(v).Ftag != lib.EJS_TAG_OBJECT {
		return 0
	}
	o := engineObject(v)
	for _, s := range shapes {
		if s != 0 && o.Fshape == s {
			return o.Fprop + uintptr(i)*16
		}
	}
	return 0
}

// getList returns this[kList] (owned).
func (sh *spShapes) getList(vm *qjs.VM, this, kList qjs.Value) (qjs.Value, error) {
	if p := slot(this, 0, sh.ctor, sh.url); p != 0 {
		return vm.Dup(qsFromRaw(*(*lib.TJSValue)(enginePtr(p)))), nil
	}
	return vm.GetValue(this, kList)
}

// setList stores this[kList] = v (taking v).
func (sh *spShapes) setList(vm *qjs.VM, this, kList, v qjs.Value) bool {
	if p := slot(this, 0, sh.ctor, sh.url); p != 0 {
		tls, ctx, _ := engineOf(vm)
		old := *(*lib.TJSValue)(enginePtr(p))
		*(*lib.TJSValue)(enginePtr(p)) = qsRawValue(v)
		lib.XFreeValue(tls, ctx, old)
		return true
	}
	return setValue(vm, this, kList, v)
}

// getURL returns this[kURL] (owned): undefined for one the constructor
// made.
func (sh *spShapes) getURL(vm *qjs.VM, this, kURL qjs.Value) (qjs.Value, error) {
	if slot(this, 0, sh.ctor) != 0 {
		return qjs.Undefined, nil
	}
	if p := slot(this, 1, sh.url); p != 0 {
		return vm.Dup(qsFromRaw(*(*lib.TJSValue)(enginePtr(p)))), nil
	}
	return vm.GetValue(this, kURL)
}

// newIter makes an iterator over target (which it holds) of kind, as
// `new URLSearchParamsIterator(target, kind)` does; ok false when the
// shapes are unknown.
func (sh *spShapes) newIter(vm *qjs.VM, target qjs.Value, kind int) (qjs.Value, bool) {
	if sh.iter == 0 {
		return qjs.Undefined, false
	}
	tls, ctx, _ := engineOf(vm)
	sh.vals[0], sh.vals[1] = qsRawValue(vm.Dup(target)), qsRawValue(qjs.Int(int32(kind)))
	it := engineNewObjectFromShape(tls, ctx, engineDupShape(tls, sh.iter), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(sh.vals)))
	*sh.vals = [2]lib.TJSValue{}
	return qsFromRaw(it), true // the exception marker on failure: thrown
}

// iterNext is a URLSearchParams iterator's next for an iterator whose
// target's list is a dense array; ok false for anything else.
func (sh *spShapes) iterNext(vm *qjs.VM, this, kIterTarget, kIterState, kList qjs.Value) (qjs.Value, bool) {
	tls, ctx, ok := engineOf(vm)
	if !ok || !this.IsObject() {
		return qjs.Undefined, false
	}
	var target, st qjs.Value
	stSlot := slot(this, 1, sh.iter)
	if stSlot != 0 {
		target = vm.Dup(qsFromRaw(*(*lib.TJSValue)(enginePtr(slot(this, 0, sh.iter)))))
		st = vm.Dup(qsFromRaw(*(*lib.TJSValue)(enginePtr(stSlot))))
	} else {
		var err error
		if target, err = vm.GetValue(this, kIterTarget); err != nil {
			return qjs.Undefined, false
		}
		if st, err = vm.GetValue(this, kIterState); err != nil {
			vm.Free(target)
			return qjs.Undefined, false
		}
	}
	if qsRawValue(st).Ftag != lib.EJS_TAG_INT || !extensible(vm, target) {
		vm.FreeAll(st, target)
		return qjs.Undefined, false
	}
	l, err := sh.getList(vm, target, kList)
	vm.Free(target)
	if err != nil {
		return qjs.Undefined, false
	}
	defer vm.Free(l)
	elems, ok := arrayElements(l)
	if !ok {
		return qjs.Undefined, false
	}
	state := int(vm.Int(st))
	i, kind := state>>2, state&3
	var v lib.TJSValue
	done := i >= len(elems)
	switch {
	case done:
		v = lib.TJSValue{Ftag: lib.EJS_TAG_UNDEFINED}
	case i+1 >= len(elems) || kind > 2:
		return qjs.Undefined, false
	case kind == 0:
		v = qsRawValue(vm.Dup(qsFromRaw(elems[i])))
	case kind == 1:
		v = qsRawValue(vm.Dup(qsFromRaw(elems[i+1])))
	default:
		v = qsRawValue(vm.ArrayOf(vm.Dup(qsFromRaw(elems[i])), vm.Dup(qsFromRaw(elems[i+1]))))
	}
	if !done {
		if stSlot != 0 {
			*(*lib.TJSValue)(enginePtr(stSlot)) = qsRawValue(qjs.Int(int32(state + 8))) // an int: nothing to free
		} else if !setValue(vm, this, kIterState, qjs.Int(int32(state+8))) {
			lib.XFreeValue(tls, ctx, v)
			return qjs.Undefined, false
		}
	}
	// The engine's iterator result: {value, done}, plain data properties,
	// made from the template's shape when there is one.
	if sh.result != 0 {
		sh.vals[0], sh.vals[1] = v, qsRawValue(qjs.Bool(done))
		res := engineNewObjectFromShape(tls, ctx, engineDupShape(tls, sh.result), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(sh.vals)))
		*sh.vals = [2]lib.TJSValue{}
		return qsFromRaw(res), true
	}
	res := lib.XJS_NewObject(tls, ctx)
	if res.Ftag == lib.EJS_TAG_EXCEPTION {
		lib.XFreeValue(tls, ctx, v)
		return qjs.Undefined, false
	}
	lib.XJS_DefinePropertyValue(tls, ctx, res, lib.EJS_ATOM_value, v, lib.MJS_PROP_C_W_E)
	lib.XJS_DefinePropertyValue(tls, ctx, res, lib.EJS_ATOM_done, qsRawValue(qjs.Bool(done)), lib.MJS_PROP_C_W_E)
	return qsFromRaw(res), true
}

// extensible reports whether v is an extensible object. The native
// methods leave the others (frozen ones in particular, whose state
// lib/internal/url.js keeps aside) to the JavaScript methods.
func extensible(vm *qjs.VM, v qjs.Value) bool {
	tls, ctx, ok := engineOf(vm)
	return ok && v.IsObject() && lib.XJS_IsExtensible(tls, ctx, qsRawValue(v)) > 0
}

// arrayElements returns the elements of a dense array in place (borrowed:
// valid until JavaScript runs or the array changes), as the engine's own
// fast indexed access reads them; ok false when a is not such an array
// or the engine adapter is off.
func arrayElements(a qjs.Value) ([]lib.TJSValue, bool) {
	r := qsRawValue(a)
	if !engineOK || r.Ftag != lib.EJS_TAG_OBJECT {
		return nil, false
	}
	o := (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&r.Fu)))
	// The flag byte after the GC header: fast_array is 0x10 (see qjs's
	// jsonfast.go).
	if o.Fclass_id != lib.EJS_CLASS_ARRAY || o.F__ccgo16&0x10 == 0 {
		return nil, false
	}
	// JSObject.u.array: {u1 (8 bytes), values pointer, count uint32}.
	arr := (*struct {
		size   uint32
		_      uint32
		values unsafe.Pointer
		count  uint32
	})(unsafe.Pointer(&o.Fu))
	// The length (the first property) must be the element count: a
	// length set past the elements leaves holes.
	if sh := (*lib.TJSShape)(*(*unsafe.Pointer)(unsafe.Pointer(&o.Fshape))); sh.Fprop_count < 1 {
		return nil, false
	}
	if l := *(*lib.TJSValue)(*(*unsafe.Pointer)(unsafe.Pointer(&o.Fprop))); l.Ftag != lib.EJS_TAG_INT || *(*uint32)(unsafe.Pointer(&l.Fu)) != arr.count {
		return nil, false
	}
	if arr.count == 0 || arr.values == nil {
		return nil, true
	}
	return unsafe.Slice((*lib.TJSValue)(arr.values), arr.count), true
}

// isUSVString reports whether v is a string without lone surrogates.
func isUSVString(vm *qjs.VM, v qjs.Value) bool {
	_, wide, flat, ok := vm.StringData(v)
	vm.Free(flat)
	if !ok {
		return false
	}
	for i := 0; i < len(wide); i++ {
		c := wide[i]
		if c < 0xd800 || c > 0xdfff {
			continue
		}
		if c > 0xdbff || i+1 == len(wide) || wide[i+1] < 0xdc00 || wide[i+1] > 0xdfff {
			return false
		}
		i++
	}
	return true
}

// setValue stores obj[key] = val (taking val), key a symbol or string.
func setValue(vm *qjs.VM, obj, key, val qjs.Value) bool {
	tls, ctx, ok := engineOf(vm)
	if !ok {
		vm.Free(val)
		return false
	}
	atom := lib.XJS_ValueToAtom(tls, ctx, qsRawValue(key))
	if atom == 0 {
		vm.Free(val)
		return false
	}
	res := lib.XSetProperty(tls, ctx, qsRawValue(obj), atom, qsRawValue(val))
	lib.XJS_FreeAtom(tls, ctx, atom)
	return res >= 0
}

// usvString returns the string v as UTF-8, ok false when v is not a
// string or holds a lone surrogate (a USV string only after conversion).
// An ASCII string may be returned in place: use it only while v is held
// and before JavaScript runs.
func usvString(vm *qjs.VM, v qjs.Value) (string, bool) {
	latin1, wide, flat, ok := vm.StringData(v)
	if !ok {
		return "", false
	}
	defer vm.Free(flat)
	if wide == nil {
		if asciiOnly(unsafe.String(unsafe.SliceData(latin1), len(latin1))) {
			if flat.IsUndefined() {
				// v's own characters: v is an argument, alive for the call.
				return unsafe.String(unsafe.SliceData(latin1), len(latin1)), true
			}
			return string(latin1), true
		}
		return vm.Str(v), true
	}
	for i := 0; i < len(wide); i++ {
		c := wide[i]
		if c < 0xd800 || c > 0xdfff {
			continue
		}
		if c > 0xdbff || i+1 == len(wide) || wide[i+1] < 0xdc00 || wide[i+1] > 0xdfff {
			return "", false
		}
		i++
	}
	return vm.Str(v), true
}

// strEquals reports whether the engine string k equals s (UTF-8).
func strEquals(vm *qjs.VM, k qjs.Value, s string) bool {
	latin1, wide, flat, ok := vm.StringData(k)
	if !ok {
		return false
	}
	defer vm.Free(flat)
	if wide == nil && asciiOnly(s) {
		return unsafe.String(unsafe.SliceData(latin1), len(latin1)) == s
	}
	if wide == nil && len(latin1) > len(s) {
		return false
	}
	return vm.Str(k) == s
}

// recordArray is the record bindings/url.md describes, [href, schemeEnd,
// userEnd, hostStart, hostEnd, pathStart, queryStart, fragmentStart]; it
// takes ownership of href.
func recordArray(vm *qjs.VM, href qjs.Value, o whatwgurl.Offsets) qjs.Value {
	return vm.ArrayOf(
		href,
		qjs.Int(int32(o.SchemeEnd)),
		qjs.Int(int32(o.UserEnd)),
		qjs.Int(int32(o.HostStart)),
		qjs.Int(int32(o.HostEnd)),
		qjs.Int(int32(o.PathStart)),
		qjs.Int(int32(o.QueryStart)),
		qjs.Int(int32(o.FragmentStart)),
	)
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
