package runtime

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"

	"gnode/internal/js/qjs"
)

// plainHead's fields of a ServerResponse, in the order of phFields.
const (
	phStatusCode = iota
	phStatusMessage
	phExpectContinue
	phRemovedConnection
	phRemovedContLen
	phUseChunked
	phShouldKeepAlive
	phAgent
	phMaxReached
	phKeepAliveTimeout
	phDefaultKeepAlive
	phMaxRequests
	phSendDate
	phHasBody
	phChunked
	phLast
	phCount
)

var phFields = [phCount]string{
	"statusCode", "statusMessage", "_expect_continue", "_removedConnection", "_removedContLen",
	"useChunkedEncodingByDefault", "shouldKeepAlive", "agent", "maxRequestsOnConnectionReached",
	"_keepAliveTimeout", "_defaultKeepAlive", "_maxRequestsPerSocket", "sendDate", "_hasBody",
	"chunkedEncoding", "_last",
}

// plainHeadState is one run's native plainHead: the interned field
// names, where a response keeps each (responses are cloned from one
// template, so the slot is the same every time), the reasons of the
// status codes, and the last head made with what it was made from.
type plainHeadState struct {
	r       *rt
	k       [phCount]qjs.PropKey
	kCL     qjs.PropKey // _contentLength
	c       [phCount]qjs.SlotCache
	reasons map[int]string    // STATUS_CODES
	msgs    map[int]qjs.Value // STATUS_CODES values as JavaScript strings (held)
	holder  qjs.Value         // holds last (index 0)
	last    qjs.Value         // borrowed from holder
	lastKey plainHeadKey
	dateSec int64
	date    string
	buf     []byte
	block   []byte
	out     []byte // plainHeadOut's memory (held): the body's length
	// The last Connection/Keep-Alive lines made for a timeout other than
	// 5 s or with a request limit (made again only when those change).
	connKA, connMR int
	connStr        string
	// endHead's: kOutHeaders, the stock writeHead and _implicitHeader
	// (held), Object.values (held), and the field keys it reads.
	kOut, kWriteHead, kImplicit qjs.PropKey
	cOut                        qjs.SlotCache
	writeHead, implicit, values qjs.Value
}

type plainHeadKey struct {
	code    int
	dateSec int64 // -1: no Date line
	conn    string
	cl      int
}

// bindHTTPJSPlainHead adds httpPlainHead(STATUS_CODES) to obj: it returns
// the native twin of _http_server.js's plainHead(res, len), which makes
// the whole head of a response that has no stored headers (the state most
// res.end(string) calls see) and sets the fields that making it sets; it
// returns undefined, having changed nothing, for anything the JavaScript
// must look at (the JavaScript plainHead then runs).
//
// Called as plainHead(res, len, entries), with entries the stored
// headers' Object.values, it is what ServerResponse#end's one-write path
// does with them (writeHead(statusCode) of _implicitHeader, then
// _storeHeader): the header lines as httpHeaderBlock makes them, then the
// Date, Connection and Content-Length lines _storeHeader adds, with the
// same field changes (statusMessage, _contentLength from a stored
// Content-Length, _last, chunkedEncoding); it declines whatever
// httpHeaderBlock declines and a response whose chunkedEncoding is set.
func bindHTTPJSPlainHead(r *rt, obj qjs.Value) {
	r.fn(obj, "httpPlainHead", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		codes := qjs.Arg(a, 0)
		keys, err := vm.Keys(codes)
		if err != nil {
			return qjs.Undefined, err
		}
		s := &plainHeadState{r: r, reasons: map[int]string{}, msgs: map[int]qjs.Value{}, dateSec: -1}
		for i, f := range phFields {
			s.k[i] = vm.Key(f)
		}
		s.kCL = vm.Key("_contentLength")
		for _, k := range keys {
			code, err := strconv.Atoi(k)
			if err != nil {
				continue
			}
			v := vm.GetV(codes, k)
			if v.IsString() {
				s.reasons[code] = vm.Str(v)
				s.msgs[code] = r.hold(v)
			} else {
				vm.Free(v)
			}
		}
		s.holder = r.hold(vm.Array())
		s.last = qjs.Undefined
		if out, ok := vm.TypedArrayBytes(qjs.Arg(a, 1)); ok && len(out) >= 8 {
			// Held for the run: s.out aliases its memory.
			r.hold(vm.Dup(qjs.Arg(a, 1)))
			s.out = out[:8]
		}
		fn := vm.Function("plainHead", 2, s.plainHead)
		// Given kOutHeaders, ServerResponse's writeHead and
		// _implicitHeader and Object.values as well, the function also
		// carries endHead (see there).
		if sym := qjs.Arg(a, 2); sym.IsSymbol() && vm.IsFunction(qjs.Arg(a, 3)) && vm.IsFunction(qjs.Arg(a, 4)) &&
			vm.IsFunction(qjs.Arg(a, 5)) && s.out != nil {
			kOut, err := vm.KeyOf(sym)
			if err != nil {
				vm.Free(fn)
				return qjs.Undefined, err
			}
			s.kOut, s.kWriteHead, s.kImplicit = kOut, vm.Key("writeHead"), vm.Key("_implicitHeader")
			s.writeHead, s.implicit, s.values = r.hold(vm.Dup(a[3])), r.hold(vm.Dup(a[4])), r.hold(vm.Dup(a[5]))
			if err := vm.Set(fn, "endHead", vm.Function("endHead", 3, s.endHead)); err != nil {
				vm.Free(fn)
				return qjs.Undefined, err
			}
		}
		return fn, nil
	})
}

// endHead(res, chunk, encoding) is ServerResponse#end's one-write head in
// one call: the checks end made in JavaScript before asking plainHead (a
// UTF-8 string or a Uint8Array body, the stock writeHead and
// _implicitHeader), the stored headers (this[kOutHeaders] and their
// Object.values) read here, then plainHead's work with the body given.
// It returns the head, or undefined having changed nothing (end's
// JavaScript then decides as before).
func (s *plainHeadState) endHead(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
	res, chunk, enc := qjs.Arg(a, 0), qjs.Arg(a, 1), qjs.Arg(a, 2)
	if !res.IsObject() {
		return qjs.Undefined, nil
	}
	if chunk.IsString() {
		if !enc.IsUndefined() {
			if !enc.IsString() {
				return qjs.Undefined, nil
			}
			if e, ok := latin1Chars(vm, enc); !ok || string(e) != "utf8" && string(e) != "utf-8" {
				return qjs.Undefined, nil
			}
		}
	} else if !qjs.IsUint8Array(chunk) || vm.IsFunction(enc) {
		return qjs.Undefined, nil
	}
	for _, m := range [2]struct {
		k    qjs.PropKey
		want qjs.Value
	}{{s.kWriteHead, s.writeHead}, {s.kImplicit, s.implicit}} {
		v, err := vm.GetKey(res, m.k)
		if err != nil {
			return qjs.Undefined, err
		}
		same := v == m.want
		vm.Free(v)
		if !same {
			return qjs.Undefined, nil
		}
	}
	stored, owned, err := prop(vm, res, s.kOut, &s.cOut)
	if err != nil {
		return qjs.Undefined, err
	}
	if stored.IsNull() {
		return s.head(vm, res, chunk, false, nil)
	}
	if !stored.IsObject() {
		if owned {
			vm.Free(stored)
		}
		return qjs.Undefined, nil
	}
	entries, err := vm.Call(s.values, qjs.Undefined, stored)
	if owned {
		vm.Free(stored)
	}
	if err != nil {
		return qjs.Undefined, err
	}
	defer vm.Free(entries)
	list, ok := qjs.ArrayElems(entries)
	if !ok {
		return qjs.Undefined, nil
	}
	return s.head(vm, res, chunk, true, list)
}

// read returns res[field]: borrowed when it is a plain own property,
// else owned (the caller frees it). A field the responses do not have
// (agent) is asked of the engine every time.
func (s *plainHeadState) read(vm *qjs.VM, res qjs.Value, f int) (v qjs.Value, owned bool, err error) {
	if v, ok := qjs.OwnData(res, s.k[f], &s.c[f]); ok {
		return v, false, nil
	}
	v, err = vm.GetKey(res, s.k[f])
	return v, err == nil, err
}

// truthy is JavaScript's ToBoolean without an engine call for the usual
// field values.
func truthy(vm *qjs.VM, v qjs.Value) bool {
	switch {
	case v.IsNullish():
		return false
	case v.IsBool():
		return v == qjs.True
	}
	if n, ok := qjs.Num(v); ok {
		return n != 0 && !math.IsNaN(n)
	}
	return vm.Truthy(v)
}

// intField is a number field holding an integer of at most 15 digits.
func intField(v qjs.Value) (int, bool) {
	if n, ok := qjs.SmallInt(v); ok {
		return n, true
	}
	f, ok := qjs.Num(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) >= 1e15 {
		return 0, false
	}
	return int(f), true
}

func (s *plainHeadState) plainHead(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
	var entries []qjs.Value
	stored := len(a) > 2
	if stored {
		var ok bool
		if entries, ok = qjs.ArrayElems(a[2]); !ok {
			return qjs.Undefined, nil
		}
	}
	return s.head(vm, qjs.Arg(a, 0), qjs.Arg(a, 1), stored, entries)
}

// head is plainHead's work: res's head for a body of lenArg bytes (or the
// body itself), with the stored headers' Object.values when stored.
func (s *plainHeadState) head(vm *qjs.VM, res, lenArg qjs.Value, stored bool, entries []qjs.Value) (qjs.Value, error) {
	n, ok := intField(lenArg)
	body := false // given the body: measure it, set _contentLength, report the length
	if !ok && s.out != nil {
		if lenArg.IsString() {
			n, ok, body = utf8Len(vm, lenArg), true, true
		} else if qjs.IsUint8Array(lenArg) {
			if b, isU8 := vm.Uint8ArrayBytes(lenArg); isU8 {
				n, ok, body = len(b), true, true
			}
		}
	}
	if !res.IsObject() || !ok || n < 0 || s.r.tickInfo == nil {
		return qjs.Undefined, nil
	}
	// The stored headers' lines, when there are stored headers.
	var block []byte
	var flags int
	var storedCL float64
	if stored {
		if block, flags, storedCL, ok = headerBlock(vm, entries, s.block[:0]); !ok {
			s.block = block[:0]
			return qjs.Undefined, nil
		}
		s.block = block[:0]
	}
	sawCL, sawDate := flags&hbSawContLen != 0, flags&hbSawDate != 0
	var fv [phCount]qjs.Value
	// The values read from the engine, freed on return: a fixed array, so
	// that a response costs no Go allocation (a slice grown here did, for
	// agent, which responses do not have).
	var owned [phCount]qjs.Value
	no := 0
	defer func() { vm.FreeAll(owned[:no]...) }()
	for f := range fv {
		v, own, err := s.read(vm, res, f)
		if err != nil {
			return qjs.Undefined, err
		}
		if own {
			owned[no] = v
			no++
		}
		fv[f] = v
	}
	code, ok := intField(fv[phStatusCode])
	if !ok || code < 200 || code > 999 || code == 204 || code == 304 ||
		truthy(vm, fv[phStatusMessage]) || truthy(vm, fv[phExpectContinue]) ||
		truthy(vm, fv[phRemovedConnection]) || truthy(vm, fv[phRemovedContLen]) ||
		stored && truthy(vm, fv[phChunked]) {
		return qjs.Undefined, nil
	}
	useChunked := truthy(vm, fv[phUseChunked])
	last := false
	var conn string
	if truthy(vm, fv[phShouldKeepAlive]) && (sawCL || useChunked || truthy(vm, fv[phAgent])) {
		if truthy(vm, fv[phMaxReached]) {
			conn = "Connection: close\r\n"
		} else {
			ka, ok := intField(fv[phKeepAliveTimeout])
			if !ok && !fv[phKeepAliveTimeout].IsNullish() {
				return qjs.Undefined, nil
			}
			// Keep-Alive's max= is written when ~~limit > 0, as node does
			// (a limit that is not a 32-bit integer is left to the
			// JavaScript).
			mr := 0
			if truthy(vm, fv[phMaxRequests]) {
				if mr, ok = intField(fv[phMaxRequests]); !ok || mr != int(int32(mr)) {
					return qjs.Undefined, nil
				}
			}
			switch {
			case ka == 0 || !truthy(vm, fv[phDefaultKeepAlive]):
				conn = "Connection: keep-alive\r\n"
			case mr > 0:
				conn = s.keepAliveLines(ka, mr)
			case ka == 5000:
				conn = "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
			default:
				conn = s.keepAliveLines(ka, 0)
			}
		}
	} else {
		last = true
		conn = "Connection: close\r\n"
	}
	dateSec := int64(-1)
	if !sawDate && truthy(vm, fv[phSendDate]) {
		ms := math.Float64frombits(binary.NativeEndian.Uint64(s.r.tickInfo[8:16]))
		dateSec = int64(math.Floor(ms / 1000))
	}
	cl := n
	clearChunked := false
	if sawCL {
		// A stored Content-Length: no line of _storeHeader's own.
		cl = -1
	} else if !truthy(vm, fv[phHasBody]) {
		clearChunked = truthy(vm, fv[phChunked])
		cl = -1
	} else if !useChunked {
		last = true
		cl = -1
	}
	msg, ok := s.msgs[code]
	if !ok {
		msg = qjs.Undefined
	}
	// Decided: the fields the JavaScript sets.
	if msg.IsUndefined() {
		if err := vm.SetKey(res, s.k[phStatusMessage], vm.String("unknown")); err != nil {
			return qjs.Undefined, err
		}
	} else if err := vm.SetKey(res, s.k[phStatusMessage], vm.Dup(msg)); err != nil {
		return qjs.Undefined, err
	}
	if clearChunked {
		if err := vm.SetKey(res, s.k[phChunked], qjs.False); err != nil {
			return qjs.Undefined, err
		}
	}
	if last && !truthy(vm, fv[phLast]) {
		if err := vm.SetKey(res, s.k[phLast], qjs.True); err != nil {
			return qjs.Undefined, err
		}
	}
	if sawCL {
		if err := vm.SetKey(res, s.kCL, vm.Number(storedCL)); err != nil {
			return qjs.Undefined, err
		}
	} else if body {
		if err := vm.SetKey(res, s.kCL, qjs.Float(float64(n))); err != nil {
			return qjs.Undefined, err
		}
	}
	if body {
		binary.NativeEndian.PutUint64(s.out, math.Float64bits(float64(n)))
	}
	key := plainHeadKey{code, dateSec, conn, cl}
	if !stored && key == s.lastKey && !s.last.IsUndefined() {
		return vm.Dup(s.last), nil
	}
	b := s.buf[:0]
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	if reason, ok := s.reasons[code]; ok && reason != "" {
		b = append(b, reason...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, "\r\n"...)
	b = append(b, block...)
	if dateSec >= 0 {
		if dateSec != s.dateSec {
			s.dateSec = dateSec
			// Date.prototype.toUTCString's form.
			s.date = "Date: " + time.Unix(dateSec, 0).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT") + "\r\n"
		}
		b = append(b, s.date...)
	}
	b = append(b, conn...)
	if cl < 0 {
		b = append(b, "\r\n"...)
	} else {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(cl), 10)
		b = append(b, "\r\n\r\n"...)
	}
	s.buf = b
	head, mem, ok := vm.NewLatin1(len(b))
	if !ok {
		return qjs.Undefined, nil
	}
	copy(mem, b)
	if stored {
		return head, nil
	}
	if err := vm.SetIndex(s.holder, 0, vm.Dup(head)); err != nil {
		vm.Free(head)
		return qjs.Undefined, err
	}
	s.last, s.lastKey = head, key
	return head, nil
}

// keepAliveLines returns the Connection and Keep-Alive lines for a
// keep-alive timeout of ka ms and a request limit mr (0: none), reusing
// the last ones made.
func (s *plainHeadState) keepAliveLines(ka, mr int) string {
	if s.connStr == "" || ka != s.connKA || mr != s.connMR {
		c := "Connection: keep-alive\r\nKeep-Alive: timeout=" + strconv.Itoa(floorDiv1000(ka))
		if mr != 0 {
			c += ", max=" + strconv.Itoa(mr)
		}
		s.connKA, s.connMR, s.connStr = ka, mr, c+"\r\n"
	}
	return s.connStr
}

// floorDiv1000 is Math.floor(ka / 1000) for an integer.
func floorDiv1000(ka int) int {
	return int(math.Floor(float64(ka) / 1000))
}
