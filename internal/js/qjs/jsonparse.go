package qjs

import (
	"encoding/binary"
	"math"
	"strconv"
	"sync"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// QuickJS's JSON.parse converts the whole text to UTF-8, tokenizes it into
// fresh strings, turns every key into an atom through a string allocation
// and a hash lookup, and adds properties one at a time (a shape lookup and
// often a reallocation each). Transpiled to Go that is 4-5x node on big
// documents. ParseFast reads the text in place and builds the same values
// the engine would build:
//
//   - strings, numbers (int32 when the double is an exact int32 and not
//     -0, as JS_NewFloat64 stores them), booleans and null as the engine
//     makes them;
//   - arrays in one allocation (js_create_array_free);
//   - objects: the first object with a given key sequence is built the
//     engine's way (JS_NewObject, then JS_DefinePropertyValue per key with
//     JS_PROP_C_W_E, exactly what json_parse_value does, so duplicate keys,
//     __proto__ and integer-like keys behave identically); its final shape
//     is one of the engine's hashed, shared shapes, and every later object
//     with the same key sequence is made from that shape with its values in
//     one JS_NewObjectFromShape, which is how the engine itself shares
//     shapes between objects built alike.
//
// Key sequences are tracked in a trie whose edges hold each key's atom, so
// a repeated key costs a byte comparison, not an atom lookup. The trie, its
// atoms and shape references persist per VM between parses (servers parse
// the same shapes over and over), within a budget: past it the cache is
// dropped after the parse and starts again. They are released when the VM
// closes, through a pinned host object whose finalizer drops them before
// the context is freed.
//
// Only strict JSON (RFC 8259) is taken. Anything else — a syntax error,
// whatever the engine would reject or read differently — returns ok=false
// and the caller runs the engine's JSON.parse, which throws its own error:
// error messages never come from here. Nesting depth has no limit here
// (the engine throws "stack overflow" near 10^5 levels; node parses them).

const (
	// jsonTrieFanout caps the distinct keys followed from one trie node
	// (objects used as maps have many); past it, objects at that point
	// are built without a cached shape.
	jsonTrieFanout = 16
	// jsonTrieDepth caps the keys per object tracked by the trie.
	jsonTrieDepth = 64
	// jsonCacheNodes and jsonCacheAtoms bound what a VM's cache holds
	// (shape references and atoms) between parses.
	jsonCacheNodes = 4096
	jsonCacheAtoms = 16384
	// jsonKeepVals caps the capacity of the value and key stacks and of
	// the string buffers kept between parses.
	jsonKeepVals = 1 << 16
)

const (
	shapeUnknown = iota // no object with this key sequence built yet
	shapeCached         // shape holds a reference to a hashed shape
	shapeNone           // the engine's object did not have a shareable shape
)

type jsonNode struct {
	edges []jsonEdge
	shape uintptr
	state uint8
}

type jsonEdge struct {
	key  string // Latin-1 bytes, or UTF-16 code units when wide
	wide bool
	atom lib.TJSAtom // borrowed from jsonBuild's atom maps
	next *jsonNode
}

type jsonFrame struct {
	obj    bool
	vstart int // index in vals of the first element or member value
	kstart int // index in keys of the first member's atom
	node   *jsonNode
}

// jsonBuild holds the state shared by the Latin-1 and UTF-16 scanners and
// the VM's cache (root, cached, atom maps, nodes); one per VM.
type jsonBuild struct {
	vm   *VM
	tls  *libc.TLS
	ctx  uintptr
	vals []lib.TJSValue // owned values of the open containers
	// valsMapped: vals lives in a mapping (growMapped), unmapped by finish.
	valsMapped bool
	keys       []lib.TJSAtom // borrowed atoms of the open objects' members
	frames     []jsonFrame
	root       jsonNode
	cached     []*jsonNode // nodes holding a shape reference
	nodes      int         // trie nodes
	atoms8     map[string]lib.TJSAtom
	atom16     map[string]lib.TJSAtom
	buf8       []byte
	buf16      []uint16
	sbuf       []byte // StringifyFastValue's output buffer
	oom        bool   // the engine failed (out of memory): an exception is pending
	once       bool   // not registered for release at Close: drop after each parse
}

// ParseFast returns JSON.parse(text) (no reviver) when text is a string
// holding strict JSON, or ok=false when the engine's JSON.parse must run:
// text is not a string, is not valid JSON (the engine then throws its
// SyntaxError), or memory ran out.
func (vm *VM) ParseFast(text Value) (v Value, ok bool) {
	latin1, wide, flat, ok := vm.StringData(text)
	if !ok {
		return Undefined, false
	}
	b := vm.jsonBuilder()
	// The cycle collector runs when the heap passes a threshold, and each
	// run marks every live object. What a parse allocates is one acyclic
	// tree that is certainly live (it is the result), so collecting in
	// the middle of it is wasted work (with 200k objects already alive it
	// doubled the parse time). The parse's own bytes are kept out of the
	// count instead: the threshold is lifted during the parse and then
	// moved up by what the parse allocated, so the next collection comes
	// after the same amount of other allocation as it would have.
	rtp := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	threshold := rtp.Fmalloc_gc_threshold
	mine := threshold == vm.gcSet
	heap := rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_size
	rtp.Fmalloc_gc_threshold = math.MaxUint64
	var r lib.TJSValue
	if wide != nil {
		raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(wide))), 2*len(wide))
		p := jsonScan[uint16]{b: b, s: wide, raw: raw, wide: true}
		r, ok = p.parse()
	} else {
		p := jsonScan[byte]{b: b, s: latin1, raw: latin1}
		r, ok = p.parse()
	}
	b.finish()
	if grown := rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_size; grown > heap && threshold+(grown-heap) > threshold {
		threshold += grown - heap
	}
	rtp.Fmalloc_gc_threshold = threshold
	if mine {
		vm.gcSet = threshold // the policy's threshold, moved
	}
	vm.Free(flat)
	if !ok {
		return Undefined, false
	}
	return Value{r}, true
}

var jsonBuilders sync.Map // *VM -> *jsonBuild

const jsonCacheClass = "gnode.JSONParseCache"

// jsonBuilder returns vm's parser state and cache. The cache's engine
// references are owned by an instance of a host class pinned in the VM:
// Close frees pinned values before the context, and the finalizer drops
// the cache then.
func (vm *VM) jsonBuilder() *jsonBuild {
	if b, ok := jsonBuilders.Load(vm); ok {
		return b.(*jsonBuild)
	}
	b := &jsonBuild{vm: vm, tls: vm.tls, ctx: vm.ctx}
	c, err := vm.NewClass(jsonCacheClass, func(obj any) {
		if b, ok := obj.(*jsonBuild); ok {
			b.drop()
			jsonBuilders.Delete(b.vm)
		}
	})
	if err != nil {
		b.once = true
		return b
	}
	inst := vm.NewInstance(c, Undefined, b)
	if inst.tag() != tagObject {
		vm.Free(inst)
		vm.clearException()
		b.once = true
		return b
	}
	vm.pin(inst.v)
	jsonBuilders.Store(vm, b)
	return b
}

// finish ends a parse: it frees the values of unfinished containers (after
// an error), clears an out-of-memory exception, and drops the cache when
// it grew past its budget (or was never registered to be freed at Close).
func (b *jsonBuild) finish() {
	for _, v := range b.vals {
		lib.XFreeValue(b.tls, b.ctx, v)
	}
	if b.valsMapped {
		unmapSlice(b.vals)
		b.vals, b.valsMapped = nil, false
	} else if cap(b.vals) > jsonKeepVals {
		b.vals = nil
	}
	if cap(b.keys) > jsonKeepVals {
		b.keys = nil
	}
	if cap(b.buf8) > jsonKeepVals {
		b.buf8 = nil
	}
	if cap(b.buf16) > jsonKeepVals {
		b.buf16 = nil
	}
	b.vals = b.vals[:0]
	b.keys = b.keys[:0]
	b.frames = b.frames[:0]
	if b.oom {
		b.oom = false
		b.vm.clearException()
	}
	if b.once || b.nodes > jsonCacheNodes || len(b.atoms8)+len(b.atom16) > jsonCacheAtoms {
		b.drop()
	}
}

// drop releases the cache: shape references and atoms.
func (b *jsonBuild) drop() {
	for _, n := range b.cached {
		jsFreeShape(b.tls, b.vm.rt, n.shape)
		n.shape = 0
	}
	for _, a := range b.atoms8 {
		lib.XJS_FreeAtom(b.tls, b.ctx, a)
	}
	for _, a := range b.atom16 {
		lib.XJS_FreeAtom(b.tls, b.ctx, a)
	}
	b.cached, b.atoms8, b.atom16 = nil, nil, nil
	b.root = jsonNode{}
	b.nodes = 0
}

func (b *jsonBuild) fail() bool {
	b.oom = true
	return false
}

// atom returns the atom for a key (narrow: Latin-1 bytes; wide: UTF-16),
// made the way json_parse_value makes it (JS_ValueToAtom of the string,
// so "1" is an integer atom). The map keeps the reference.
func (b *jsonBuild) atom(k8 []byte, k16 []uint16) (lib.TJSAtom, bool) {
	var m *map[string]lib.TJSAtom
	var key string
	if k16 != nil {
		m, key = &b.atom16, unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(k16))), 2*len(k16))
	} else {
		m, key = &b.atoms8, unsafe.String(unsafe.SliceData(k8), len(k8))
	}
	if a, ok := (*m)[key]; ok {
		return a, true
	}
	s := b.newString(k8, k16)
	if s.Ftag == tagException {
		return 0, b.fail()
	}
	a := lib.XJS_ValueToAtom(b.tls, b.ctx, s)
	lib.XFreeValue(b.tls, b.ctx, s)
	if a == lib.MJS_ATOM_NULL {
		return 0, b.fail()
	}
	if *m == nil {
		*m = make(map[string]lib.TJSAtom)
	}
	(*m)[string([]byte(key))] = a // copy: key may alias the text
	return a, true
}

func (b *jsonBuild) newString(k8 []byte, k16 []uint16) lib.TJSValue {
	if k16 != nil {
		return jsNewString16(b.tls, b.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(k16))), int32(len(k16)))
	}
	return jsNewString8(b.tls, b.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(k8))), int32(len(k8)))
}

// key records the next member's key of the innermost object.
func (b *jsonBuild) key(k8 []byte, k16 []uint16) bool {
	f := &b.frames[len(b.frames)-1]
	if n := f.node; n != nil {
		wide := k16 != nil
		var key string
		if wide {
			key = unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(k16))), 2*len(k16))
		} else {
			key = unsafe.String(unsafe.SliceData(k8), len(k8))
		}
		for i := range n.edges {
			e := &n.edges[i]
			if e.key == key && e.wide == wide {
				b.keys = append(b.keys, e.atom)
				f.node = e.next
				return true
			}
		}
		a, ok := b.atom(k8, k16)
		if !ok {
			return false
		}
		b.keys = append(b.keys, a)
		if len(n.edges) >= jsonTrieFanout || len(b.keys)-f.kstart > jsonTrieDepth {
			f.node = nil
			return true
		}
		next := &jsonNode{}
		b.nodes++
		n.edges = append(n.edges, jsonEdge{key: string([]byte(key)), wide: wide, atom: a, next: next})
		f.node = next
		return true
	}
	a, ok := b.atom(k8, k16)
	if !ok {
		return false
	}
	b.keys = append(b.keys, a)
	return true
}

// pushVal appends v to the value stack, which grows in a mapping once
// past jsonKeepVals (a big array's elements; see growMapped).
func (b *jsonBuild) pushVal(v lib.TJSValue) {
	if len(b.vals) == cap(b.vals) && cap(b.vals) >= jsonKeepVals {
		if nv := growMapped(b.vals, b.valsMapped, 1); nv != nil {
			b.vals, b.valsMapped = nv, true
		}
	}
	b.vals = append(b.vals, v)
}

func (b *jsonBuild) push(v lib.TJSValue) bool {
	if v.Ftag == tagException {
		return b.fail()
	}
	b.pushVal(v)
	return true
}

func (b *jsonBuild) open(obj bool) {
	f := jsonFrame{obj: obj, vstart: len(b.vals), kstart: len(b.keys)}
	if obj {
		f.node = &b.root
	}
	b.frames = append(b.frames, f)
}

// closeObject replaces the innermost object's member values with the
// object.
func (b *jsonBuild) closeObject() bool {
	f := b.frames[len(b.frames)-1]
	b.frames = b.frames[:len(b.frames)-1]
	vals := b.vals[f.vstart:]
	keys := b.keys[f.kstart:]
	b.keys = b.keys[:f.kstart]
	if n := f.node; n != nil && n.state == shapeCached {
		// NewObjectFromShape takes the values, or frees them on failure.
		b.vals = b.vals[:f.vstart]
		return b.push(jsNewObjectFromShape(b.tls, b.ctx, jsDupShape(b.tls, n.shape), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(unsafe.SliceData(vals)))))
	}
	obj := lib.XJS_NewObject(b.tls, b.ctx)
	if obj.Ftag == tagException {
		return b.fail()
	}
	for i, v := range vals {
		// DefinePropertyValue takes v even when it fails.
		vals[i] = lib.TJSValue{Ftag: tagUndefined}
		if lib.XJS_DefinePropertyValue(b.tls, b.ctx, obj, keys[i], v, lib.MJS_PROP_C_W_E) < 0 {
			lib.XFreeValue(b.tls, b.ctx, obj)
			return b.fail()
		}
	}
	b.vals = b.vals[:f.vstart]
	if n := f.node; n != nil && n.state == shapeUnknown && len(keys) > 0 {
		b.adopt(n, obj, keys)
	}
	b.pushVal(obj)
	return true
}

// adopt caches obj's shape for its key sequence when later objects can
// share it: a hashed shape (the engine's shared kind) holding exactly the
// keys in order, all plain data properties. Duplicate keys fail the check.
func (b *jsonBuild) adopt(n *jsonNode, obj lib.TJSValue, keys []lib.TJSAtom) {
	n.state = shapeNone
	o := (*lib.TJSObject)(unsafe.Pointer(Value{obj}.ptr()))
	sh := (*lib.TJSShape)(unsafe.Pointer(o.Fshape))
	if sh.Fis_hashed == 0 || int(sh.Fprop_count) != len(keys) || sh.Fdeleted_prop_count != 0 {
		return
	}
	props := shapeProps(sh)
	for i, a := range keys {
		sp := (*lib.TJSShapeProperty)(unsafe.Pointer(props + uintptr(i)*8))
		if sp.Fatom != a || *(*uint32)(unsafe.Pointer(sp))>>26 != lib.MJS_PROP_C_W_E {
			return
		}
	}
	n.shape = jsDupShape(b.tls, o.Fshape)
	n.state = shapeCached
	b.cached = append(b.cached, n)
}

func (b *jsonBuild) closeArray() bool {
	f := b.frames[len(b.frames)-1]
	b.frames = b.frames[:len(b.frames)-1]
	vals := b.vals[f.vstart:]
	b.vals = b.vals[:f.vstart]
	// js_create_array_free takes the values, or frees them on failure.
	return b.push(jsCreateArrayFree(b.tls, b.ctx, int32(len(vals)), uintptr(unsafe.Pointer(unsafe.SliceData(vals)))))
}

// jsonScan reads the text: Latin-1 bytes or UTF-16 code units.
type jsonScan[T byte | uint16] struct {
	b    *jsonBuild
	s    []T
	raw  []byte // the text's bytes (two per code unit when wide)
	i    int
	wide bool
}

func (p *jsonScan[T]) ws() {
	s, i := p.s, p.i
	for i < len(s) {
		switch s[i] {
		case ' ':
			i++
			// Indentation: runs of spaces, a word at a time.
			if p.wide {
				for i+4 <= len(s) && binary.NativeEndian.Uint64(p.raw[2*i:]) == lanes16*' ' {
					i += 4
				}
			} else {
				for i+8 <= len(s) && binary.NativeEndian.Uint64(p.raw[i:]) == lanes8*' ' {
					i += 8
				}
			}
		case '\t', '\n', '\r':
			i++
		default:
			p.i = i
			return
		}
	}
	p.i = i
}

// plain returns the end of the run of plain string characters at i (see
// scanPlain8) and whether it holds a code unit of 0x100 or above.
func (p *jsonScan[T]) plain(i int) (int, bool) {
	if p.wide {
		return scanPlain16(unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(p.s))), len(p.s)), i)
	}
	return scanPlain8(p.raw, i), false
}

// peek returns the character at i, or 0 at the end (NUL is invalid
// everywhere in JSON, so it never matches anything expected).
func (p *jsonScan[T]) peek() T {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *jsonScan[T]) parse() (lib.TJSValue, bool) {
	b := p.b
	if !p.run() {
		return lib.TJSValue{}, false
	}
	p.ws()
	if p.i != len(p.s) || len(b.vals) != 1 {
		return lib.TJSValue{}, false
	}
	v := b.vals[0]
	b.vals = b.vals[:0]
	return v, true
}

// run parses one value, iteratively: containers open frames, and after
// each value the innermost frame decides what may follow.
func (p *jsonScan[T]) run() bool {
	b := p.b
	for {
		// A value.
		p.ws()
		switch c := p.peek(); {
		case c == '{':
			p.i++
			p.ws()
			if p.peek() == '}' {
				p.i++
				if !b.push(lib.XJS_NewObject(b.tls, b.ctx)) {
					return false
				}
				break
			}
			b.open(true)
			if !p.member() {
				return false
			}
			continue
		case c == '[':
			p.i++
			p.ws()
			if p.peek() == ']' {
				p.i++
				if !b.push(lib.XJS_NewArray(b.tls, b.ctx)) {
					return false
				}
				break
			}
			b.open(false)
			continue
		case c == '"':
			if !p.strValue() {
				return false
			}
		case c == '-' || c >= '0' && c <= '9':
			if !p.number() {
				return false
			}
		case c == 't':
			if !p.lit("true") {
				return false
			}
			b.pushVal(True.v)
		case c == 'f':
			if !p.lit("false") {
				return false
			}
			b.pushVal(False.v)
		case c == 'n':
			if !p.lit("null") {
				return false
			}
			b.pushVal(Null.v)
		default:
			return false
		}
		// What follows a value.
		for {
			if len(b.frames) == 0 {
				return true
			}
			p.ws()
			c := p.peek()
			if b.frames[len(b.frames)-1].obj {
				if c == ',' {
					p.i++
					if !p.member() {
						return false
					}
					break
				}
				if c != '}' {
					return false
				}
				p.i++
				if !b.closeObject() {
					return false
				}
				continue
			}
			if c == ',' {
				p.i++
				break
			}
			if c != ']' {
				return false
			}
			p.i++
			if !b.closeArray() {
				return false
			}
		}
	}
}

// member reads `"key" :` in an object.
func (p *jsonScan[T]) member() bool {
	p.ws()
	if p.peek() != '"' {
		return false
	}
	k8, k16, ok := p.keyUnits()
	if !ok || !p.b.key(k8, k16) {
		return false
	}
	p.ws()
	if p.peek() != ':' {
		return false
	}
	p.i++
	return true
}

func (p *jsonScan[T]) lit(word string) bool {
	if len(p.s)-p.i < len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if p.s[p.i+k] != T(word[k]) {
			return false
		}
	}
	p.i += len(word)
	return true
}

// str reads a string at p.i (the opening quote). A string without escapes
// is left in the text, between start and end; one with escapes is decoded
// into b.buf16 (esc). wide says whether a code unit is 0x100 or above.
func (p *jsonScan[T]) str() (start, end int, esc, wide bool, ok bool) {
	s := p.s
	start = p.i + 1
	i, wide := p.plain(start)
	if i >= len(s) || s[i] < 0x20 {
		return 0, 0, false, false, false
	}
	if s[i] == '"' {
		p.i = i + 1
		return start, i, false, wide, true
	}
	// Escapes: decode into buf16.
	buf := p.b.buf16[:0]
	for _, c := range s[start:i] {
		buf = append(buf, uint16(c))
	}
	for {
		if i >= len(s) {
			return 0, 0, false, false, false
		}
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			p.b.buf16 = buf
			return 0, 0, true, wide, true
		case c < 0x20:
			return 0, 0, false, false, false
		case c == '\\':
			if i+1 >= len(s) {
				return 0, 0, false, false, false
			}
			var u uint16
			switch s[i+1] {
			case '"':
				u = '"'
			case '\\':
				u = '\\'
			case '/':
				u = '/'
			case 'b':
				u = '\b'
			case 'f':
				u = '\f'
			case 'n':
				u = '\n'
			case 'r':
				u = '\r'
			case 't':
				u = '\t'
			case 'u':
				if i+6 > len(s) {
					return 0, 0, false, false, false
				}
				for _, h := range s[i+2 : i+6] {
					var d T
					switch {
					case h >= '0' && h <= '9':
						d = h - '0'
					case h >= 'a' && h <= 'f':
						d = h - 'a' + 10
					case h >= 'A' && h <= 'F':
						d = h - 'A' + 10
					default:
						return 0, 0, false, false, false
					}
					u = u<<4 | uint16(d)
				}
				i += 4
			default:
				return 0, 0, false, false, false
			}
			i += 2
			if u >= 0x100 {
				wide = true
			}
			buf = append(buf, u)
			// The plain run up to the next quote, escape or control.
			j, w := p.plain(i)
			for _, c := range s[i:j] {
				buf = append(buf, uint16(c))
			}
			wide = wide || w
			i = j
		default:
			return 0, 0, false, false, false // unreachable: plain stops only at the cases above
		}
	}
}

// strValue reads a string and pushes it: copied from the text in one
// step when it has no escapes, as an 8-bit string when every code unit
// fits (as the engine's string buffer makes them).
func (p *jsonScan[T]) strValue() bool {
	b := p.b
	start, end, esc, wide, ok := p.str()
	if !ok {
		return false
	}
	var v lib.TJSValue
	switch {
	case esc && wide:
		v = jsNewString16(b.tls, b.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b.buf16))), int32(len(b.buf16)))
	case esc:
		v = b.narrowString(b.buf16)
	case start == end:
		v = jsNewString8(b.tls, b.ctx, 0, 0)
	case !p.wide:
		v = jsNewString8(b.tls, b.ctx, uintptr(unsafe.Pointer(&p.s[start])), int32(end-start))
	case wide:
		v = jsNewString16(b.tls, b.ctx, uintptr(unsafe.Pointer(&p.s[start])), int32(end-start))
	default:
		v = b.narrowString(unsafe.Slice((*uint16)(unsafe.Pointer(&p.s[start])), end-start))
	}
	return b.push(v)
}

// keyUnits reads a key and returns its code units: k8 when all fit in a
// byte (aliasing the text or b.buf8), else k16. Both are nil for "".
func (p *jsonScan[T]) keyUnits() (k8 []byte, k16 []uint16, ok bool) {
	b := p.b
	start, end, esc, wide, ok := p.str()
	if !ok {
		return nil, nil, false
	}
	var u []uint16
	switch {
	case esc:
		u = b.buf16
	case start == end:
		return nil, nil, true
	case !p.wide:
		return unsafe.Slice((*byte)(unsafe.Pointer(&p.s[start])), end-start), nil, true
	default:
		u = unsafe.Slice((*uint16)(unsafe.Pointer(&p.s[start])), end-start)
	}
	if len(u) == 0 {
		return nil, nil, true
	}
	if wide {
		return nil, u, true
	}
	buf := b.buf8[:0]
	for _, c := range u {
		buf = append(buf, byte(c))
	}
	b.buf8 = buf
	return buf, nil, true
}

// narrowString makes an 8-bit string of units (all below 0x100), written
// straight into the engine's allocation.
func (b *jsonBuild) narrowString(u []uint16) lib.TJSValue {
	if len(u) == 0 {
		return jsNewString8(b.tls, b.ctx, 0, 0)
	}
	str := jsAllocString(b.tls, b.ctx, int32(len(u)), 0)
	if str == 0 {
		return lib.TJSValue{Ftag: tagException}
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(str+strHeaderLen)), len(u)+1)
	narrow(dst, u)
	dst[len(u)] = 0 // 8-bit strings keep a terminating NUL
	var v lib.TJSValue
	*(*uintptr)(unsafe.Pointer(&v)) = str
	v.Ftag = tagString
	return v
}

// narrow writes the units u (all below 0x100) as bytes into dst, four at
// a time: the low byte of each 16-bit lane is gathered into 32 bits. In
// native byte order the first unit lands in the first byte on either
// endianness.
func narrow(dst []byte, u []uint16) {
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(u))), 2*len(u))
	i := 0
	for ; i+4 <= len(u); i += 4 {
		x := binary.NativeEndian.Uint64(raw[2*i:])
		x = (x | x>>8) & 0x0000ffff0000ffff
		x = (x | x>>16) & 0xffffffff
		binary.NativeEndian.PutUint32(dst[i:], uint32(x))
	}
	for ; i < len(u); i++ {
		dst[i] = byte(u[i])
	}
}

// The scanners below stop at the first '"', '\\' or control character,
// eight bytes (or four code units) at a time: a lane-wise subtraction
// borrows into a lane's top bit exactly when some lane is below the
// subtrahend, which finds a zero (x^c) or a small value in one step.

const (
	lanes8  = 0x0101010101010101
	high8   = 0x8080808080808080
	lanes16 = 0x0001000100010001
	high16  = 0x8000800080008000
)

func scanPlain8(s []byte, i int) int {
	for ; i+8 <= len(s); i += 8 {
		x := binary.NativeEndian.Uint64(s[i:])
		q, b := x^(lanes8*'"'), x^(lanes8*'\\')
		if ((q-lanes8)&^q|(b-lanes8)&^b|(x-lanes8*0x20)&^x)&high8 != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// scanPlain16 also reports whether a code unit of 0x100 or above was
// passed.
func scanPlain16(s []uint16, i int) (int, bool) {
	var acc uint64
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 2*len(s))
	for ; i+4 <= len(s); i += 4 {
		x := binary.NativeEndian.Uint64(raw[2*i:])
		q, b := x^(lanes16*'"'), x^(lanes16*'\\')
		if ((q-lanes16)&^q|(b-lanes16)&^b|(x-lanes16*0x20)&^x)&high16 != 0 {
			break
		}
		acc |= x
	}
	wide := acc&^(lanes16*0xff) != 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' || c < 0x20 {
			return i, wide
		}
		if c >= 0x100 {
			wide = true
		}
	}
	return i, wide
}

// number reads a number at p.i and pushes it as JS_NewFloat64 would store
// it: an int32 when the double is exactly one (not -0), else a float64.
func (p *jsonScan[T]) number() bool {
	s := p.s
	start := p.i
	i := start
	neg := false
	if s[i] == '-' {
		neg = true
		i++
	}
	digits := i
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	if s[i] == '0' {
		i++
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	simple := true
	if i < len(s) && s[i] == '.' {
		simple = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		simple = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	p.i = i
	if simple && i-digits <= 9 {
		n := int32(0)
		for _, c := range s[digits:i] {
			n = n*10 + int32(c-'0')
		}
		if neg {
			if n == 0 {
				p.b.pushVal(jsonNumber(math.Copysign(0, -1)))
				return true
			}
			n = -n
		}
		p.b.pushVal(Int(n).v)
		return true
	}
	var text string
	if !p.wide {
		text = unsafe.String((*byte)(unsafe.Pointer(&s[start])), i-start)
	} else {
		buf := p.b.buf8[:0]
		for _, c := range s[start:i] {
			buf = append(buf, byte(c))
		}
		p.b.buf8 = buf
		text = unsafe.String(unsafe.SliceData(buf), len(buf))
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !isRangeErr(err) {
		return false
	}
	p.b.pushVal(jsonNumber(f))
	return true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// jsonNumber stores f as JS_NewFloat64 does.
func jsonNumber(f float64) lib.TJSValue {
	if f >= math.MinInt32 && f <= math.MaxInt32 {
		n := int32(f)
		if math.Float64bits(float64(n)) == math.Float64bits(f) {
			return Int(n).v
		}
	}
	var v lib.TJSValue
	*(*float64)(unsafe.Pointer(&v)) = f
	v.Ftag = tagFloat64
	return v
}
