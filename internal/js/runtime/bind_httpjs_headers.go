package runtime

import (
	"encoding/binary"
	"math"
	"strconv"

	"gnode/internal/js/qjs"
)

// Native helpers for the HTTP modules' per-response work, added to the
// buffer binding (internalBinding('buffer'); the libtest shim has none of
// them, and the JavaScript keeps its own path when one is missing). Under
// the interpreter each bytecode operation costs tens of nanoseconds, so a
// loop over a response's headers in JavaScript (Express sets four) costs
// more than one native call that does the same work over engine memory.

// Flags of headerBlock's result, the same bits as _http_outgoing.js's
// kSawContLen and kSawDate.
const (
	hbSawContLen = 2
	hbSawDate    = 8
)

// bindHTTPJSHeaders adds to obj:
//
//   - httpHeaderOut(f64): f64 is a Float64Array of 2 that headerBlock
//     writes its side results into: [0] the flags (content-length 2, date
//     8), [1] the Content-Length value when flag 2 is set.
//   - httpHeaderBlock(entries): entries is Object.values of an
//     OutgoingMessage's stored headers, [name, value] pairs. It returns the
//     head lines "name: value\r\n" of all of them in order, or undefined
//     when one needs JavaScript: a value that is not a Latin-1 string or a
//     safe integer, a name that is not Latin-1, a Connection,
//     Transfer-Encoding, Expect or Trailer header (they change the
//     message's framing), or a Content-Length whose text is not plain
//     decimal digits.
func bindHTTPJSHeaders(r *rt, obj qjs.Value) {
	var out []byte
	var buf []byte
	r.fn(obj, "httpHeaderOut", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		b, ok := vm.TypedArrayBytes(qjs.Arg(a, 0))
		if !ok || len(b) < 16 {
			return qjs.Undefined, vm.TypeError("httpHeaderOut: a Float64Array of 2 is required")
		}
		// Held for the run: out aliases its memory.
		r.hold(vm.Dup(qjs.Arg(a, 0)))
		out = b[:16]
		return qjs.Undefined, nil
	})
	r.fn(obj, "httpHeaderBlock", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		entries, ok := qjs.ArrayElems(qjs.Arg(a, 0))
		if !ok || out == nil {
			return qjs.Undefined, nil
		}
		b, flags, cl, ok := headerBlock(vm, entries, buf[:0])
		buf = b[:0]
		if !ok {
			return qjs.Undefined, nil
		}
		binary.NativeEndian.PutUint64(out, math.Float64bits(float64(flags)))
		binary.NativeEndian.PutUint64(out[8:], math.Float64bits(cl))
		if len(b) == 0 {
			return vm.String(""), nil
		}
		s, mem, ok := vm.NewLatin1(len(b))
		if !ok {
			return qjs.Undefined, nil
		}
		copy(mem, b)
		return s, nil
	})
}

// headerBlock appends the head lines of entries to b (see
// bindHTTPJSHeaders); ok is false when JavaScript must do it.
func headerBlock(vm *qjs.VM, entries []qjs.Value, b []byte) (_ []byte, flags int, cl float64, ok bool) {
	for _, e := range entries {
		kv, ok := qjs.ArrayElems(e)
		if !ok || len(kv) != 2 {
			return b, 0, 0, false
		}
		// A name or value made by concatenation may be a rope: StringData
		// flattens it into flat, freed once its text is copied.
		name, _, nflat, ok := vm.StringData(kv[0])
		if !ok || len(name) == 0 {
			vm.Free(nflat)
			return b, 0, 0, false
		}
		value := kv[1]
		var text []byte
		vflat := qjs.Undefined
		num, isNum := 0.0, false
		if value.IsString() {
			var w []uint16
			text, w, vflat, ok = vm.StringData(value)
			if !ok || w != nil {
				vm.FreeAll(nflat, vflat)
				return b, 0, 0, false
			}
		} else if n, ok := qjs.Num(value); ok && n == math.Trunc(n) && math.Abs(n) < 1e15 {
			num, isNum = n, true
		} else {
			vm.Free(nflat)
			return b, 0, 0, false
		}
		b, flags, cl, ok = headerLine(b, name, text, num, isNum, flags, cl)
		vm.FreeAll(nflat, vflat)
		if !ok {
			return b, 0, 0, false
		}
	}
	return b, flags, cl, true
}

// headerLine appends one head line, noting Content-Length and Date in
// flags; ok is false for the headers JavaScript must see.
func headerLine(b, name, text []byte, num float64, isNum bool, flags int, cl float64) (_ []byte, _ int, _ float64, ok bool) {
	switch len(name) {
	case 14:
		if asciiLowerIs(name, "content-length") {
			flags |= hbSawContLen
			if isNum {
				cl = num
			} else if v, ok := plainDecimal(text); ok {
				cl = v
			} else {
				return b, 0, 0, false
			}
		}
	case 4:
		if asciiLowerIs(name, "date") {
			flags |= hbSawDate
		}
	case 10:
		if asciiLowerIs(name, "connection") {
			return b, 0, 0, false
		}
	case 17:
		if asciiLowerIs(name, "transfer-encoding") {
			return b, 0, 0, false
		}
	case 6:
		if asciiLowerIs(name, "expect") {
			return b, 0, 0, false
		}
	case 7:
		if asciiLowerIs(name, "trailer") {
			return b, 0, 0, false
		}
	}
	b = append(b, name...)
	b = append(b, ':', ' ')
	if isNum {
		if num == 0 {
			// -0 prints as 0 in JavaScript.
			num = 0
		}
		b = strconv.AppendInt(b, int64(num), 10)
	} else {
		b = append(b, text...)
	}
	b = append(b, '\r', '\n')
	return b, flags, cl, true
}

// asciiLowerIs reports whether b lower-cased (ASCII) is lower.
func asciiLowerIs(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// plainDecimal is +text for 1-15 decimal digits (the exact integer);
// ok is false for any other text, whose number JavaScript works out.
func plainDecimal(text []byte) (float64, bool) {
	if len(text) == 0 || len(text) > 15 {
		return 0, false
	}
	n := int64(0)
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return float64(n), true
}

// bindHTTPJSHeaderMethods adds httpHeaderMethods(slow, kOutHeaders) to
// obj: it returns native setHeader and getHeader for
// OutgoingMessage.prototype, twins of slow's JavaScript ones (called for
// anything else: a header already sent, a name that is not a plain token
// or not yet known, a value that is not a valid string or a number, a
// message whose fields are not plain). The stored form is the
// JavaScript's: this[kOutHeaders] is a null-prototype object from the
// lower-cased name to [name, value].
func bindHTTPJSHeaderMethods(r *rt, obj qjs.Value) {
	r.fn(obj, "httpHeaderMethods", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		slow, sym := qjs.Arg(a, 0), qjs.Arg(a, 1)
		if !sym.IsSymbol() {
			return qjs.Undefined, vm.TypeError("httpHeaderMethods: kOutHeaders must be a symbol")
		}
		kOut, err := vm.KeyOf(sym)
		if err != nil {
			return qjs.Undefined, err
		}
		h := &hdrMethods{kOut: kOut, kHeader: vm.Key("_header"), set: map[string]qjs.PropKey{}, get: map[string]qjs.PropKey{}}
		m := vm.Object()
		def := r.twinDefiner(vm, slow, m)
		def("setHeader", h.setHeader)
		def("getHeader", h.getHeader)
		return m, nil
	})
}

// hdrMethods is the state of one run's native setHeader/getHeader.
type hdrMethods struct {
	kOut, kHeader qjs.PropKey
	cOut, cHeader qjs.SlotCache
	cEntry        qjs.SlotCache
	// set maps a header name setHeader took (validated) to its lower-cased
	// key, get a name getHeader looked up; each holds at most
	// maxHeaderNames names, as the JavaScript's caches do, so names made
	// up per request cannot grow them (past that, the JavaScript runs).
	set, get map[string]qjs.PropKey
}

const maxHeaderNames = 1024

// latin1Chars borrows the characters of a flat one-byte string (a header
// name); a wide or rope string, or a non-string, is false and left to the
// JavaScript.
func latin1Chars(vm *qjs.VM, v qjs.Value) ([]byte, bool) {
	l1, w, flat, ok := vm.StringData(v)
	if !ok || w != nil || !flat.IsUndefined() {
		vm.Free(flat)
		return nil, false
	}
	return l1, true
}

// prop reads obj[k], from its own slot when it is a plain own property
// (owned false: borrowed) or through the engine.
func prop(vm *qjs.VM, obj qjs.Value, k qjs.PropKey, c *qjs.SlotCache) (v qjs.Value, owned bool, err error) {
	if v, ok := qjs.OwnData(obj, k, c); ok {
		return v, false, nil
	}
	v, err = vm.GetKey(obj, k)
	return v, true, err
}

func (h *hdrMethods) setHeader(vm *qjs.VM, this qjs.Value, a []qjs.Value, slow qjs.Value) (qjs.Value, error) {
	if len(a) < 2 || !this.IsObject() {
		return vm.Call(slow, this, a...)
	}
	name, value := a[0], a[1]
	hv, owned, err := prop(vm, this, h.kHeader, &h.cHeader)
	if err != nil {
		return qjs.Undefined, err
	}
	sent := !hv.IsNullish()
	if owned {
		vm.Free(hv)
	}
	if sent {
		return vm.Call(slow, this, a...)
	}
	l1, ok := latin1Chars(vm, name)
	if !ok {
		return vm.Call(slow, this, a...)
	}
	key, ok := h.set[string(l1)]
	if !ok {
		if len(h.set) >= maxHeaderNames || !isHTTPToken(l1) {
			return vm.Call(slow, this, a...)
		}
		key = vm.Key(asciiLower(l1))
		h.set[string(l1)] = key
	}
	if value.IsString() {
		vl, vw, vflat, ok := vm.StringData(value)
		valid := ok && validHeaderLatin1(vl) && validHeaderWide(vw)
		vm.Free(vflat)
		if !valid {
			return vm.Call(slow, this, a...)
		}
	} else if !value.IsNumber() {
		return vm.Call(slow, this, a...)
	}
	headers, owned, err := prop(vm, this, h.kOut, &h.cOut)
	if err != nil {
		return qjs.Undefined, err
	}
	if headers.IsNull() {
		headers, owned = vm.ObjectProto(qjs.Null), true
		if err := vm.SetKey(this, h.kOut, vm.Dup(headers)); err != nil {
			vm.Free(headers)
			return qjs.Undefined, err
		}
	} else if !headers.IsObject() {
		if owned {
			vm.Free(headers)
		}
		return vm.Call(slow, this, a...)
	}
	err = vm.SetKey(headers, key, vm.ArrayOf(vm.Dup(name), vm.Dup(value)))
	if owned {
		vm.Free(headers)
	}
	if err != nil {
		return qjs.Undefined, err
	}
	return vm.Dup(this), nil
}

func (h *hdrMethods) getHeader(vm *qjs.VM, this qjs.Value, a []qjs.Value, slow qjs.Value) (qjs.Value, error) {
	name := qjs.Arg(a, 0)
	if !name.IsString() || !this.IsObject() {
		return vm.Call(slow, this, a...)
	}
	l1, ok := latin1Chars(vm, name)
	if !ok {
		return vm.Call(slow, this, a...)
	}
	key, ok := h.set[string(l1)]
	if !ok {
		if key, ok = h.get[string(l1)]; !ok {
			if len(h.get) >= maxHeaderNames || !isASCIIBytes(l1) {
				return vm.Call(slow, this, a...)
			}
			key = vm.Key(asciiLower(l1))
			h.get[string(l1)] = key
		}
	}
	headers, owned, err := prop(vm, this, h.kOut, &h.cOut)
	if err != nil {
		return qjs.Undefined, err
	}
	defer func() {
		if owned {
			vm.Free(headers)
		}
	}()
	if headers.IsNull() {
		return qjs.Undefined, nil
	}
	if !headers.IsObject() {
		return vm.Call(slow, this, a...)
	}
	e, ok := qjs.OwnData(headers, key, &h.cEntry)
	if !ok {
		// Not an own plain property: absent (the common case), or read
		// through the engine as the JavaScript would.
		e, err := vm.GetKey(headers, key)
		if err != nil || e.IsUndefined() {
			return qjs.Undefined, err
		}
		defer vm.Free(e)
		return vm.GetIndex(e, 1)
	}
	if kv, ok := qjs.ArrayElems(e); ok && len(kv) == 2 {
		return vm.Dup(kv[1]), nil
	}
	return vm.GetIndex(e, 1)
}

// isHTTPToken is _http_common.js's tokenRegExp: a non-empty run of
// letters, digits and ^_`-!#$%&'*+.|~.
func isHTTPToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '^' || c == '_' || c == '`' || c == '-' || c == '!' || c == '#' || c == '$' ||
			c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '.' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return true
}

// validHeaderLatin1 and validHeaderWide are the negation of
// headerCharRegex (/[^\t\x20-\x7e\x80-\xff]/).
func validHeaderLatin1(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func validHeaderWide(u []uint16) bool {
	for _, c := range u {
		if c < 0x20 && c != '\t' || c == 0x7f || c > 0xff {
			return false
		}
	}
	return true
}

// asciiLower returns b with A-Z lower-cased.
func asciiLower(b []byte) string {
	s := []byte(string(b))
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			s[i] = c + 'a' - 'A'
		}
	}
	return string(s)
}

// isASCIIBytes reports whether b has no byte above 0x7F.
func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// bindHTTPJSHeadersFromRaw adds httpHeadersFromRaw(raw) to obj:
// message.headers built from a rawHeaders list ([name, value, ...]) as
// _http_common.js's headersFromRaw does, names lower-cased through a
// bounded map; undefined (the JavaScript runs) when a name repeats, a name
// is set-cookie or not ASCII, or an entry is not a string: the cases with
// node's joining and dropping rules.
func bindHTTPJSHeadersFromRaw(r *rt, obj qjs.Value) {
	keys := map[string]rawKey{}
	var seen []string
	r.fn(obj, "httpHeadersFromRaw", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		raw, ok := qjs.ArrayElems(qjs.Arg(a, 0))
		if !ok || len(raw)%2 != 0 || len(raw) > 128 {
			return qjs.Undefined, nil
		}
		// Check every entry before building anything (views into raw
		// stay valid: no JavaScript runs until the object is made).
		seen = seen[:0]
		ks := make([]qjs.PropKey, 0, 16)
		for i := 0; i < len(raw); i += 2 {
			if !raw[i+1].IsString() {
				return qjs.Undefined, nil
			}
			l1, ok := latin1Chars(vm, raw[i])
			if !ok || !isASCIIBytes(l1) {
				return qjs.Undefined, nil
			}
			k, ok := keys[string(l1)]
			if !ok {
				if len(keys) >= maxHeaderNames {
					return qjs.Undefined, nil
				}
				lower := asciiLower(l1)
				k = rawKey{vm.Key(lower), lower}
				keys[string(l1)] = k
			}
			if k.lower == "set-cookie" {
				return qjs.Undefined, nil
			}
			for _, s := range seen {
				if s == k.lower {
					return qjs.Undefined, nil
				}
			}
			seen = append(seen, k.lower)
			ks = append(ks, k.key)
		}
		h := vm.Object()
		for i, k := range ks {
			if err := vm.SetKey(h, k, vm.Dup(raw[2*i+1])); err != nil {
				vm.Free(h)
				return qjs.Undefined, err
			}
		}
		return h, nil
	})
}

// rawKey is a header name's lower-cased form and its interned key.
type rawKey struct {
	key   qjs.PropKey
	lower string
}
