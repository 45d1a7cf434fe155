package packument

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Decode reads a full or abbreviated packument and normalises every version.
//
// Full packuments are large (several MB for typescript or @types/node) and
// mostly text an install never reads (readmes, descriptions, maintainers of
// every version), so Decode is a purpose-built single-pass decoder: it
// skips unknown values without building them, reads each known field in
// whatever shape old documents use, and interns the dependency names and
// ranges that repeat across versions. On real documents it is 4-5x faster
// than encoding/json (DecodeForInstall up to 9x: typescript's 10 MB
// packument in 30 ms instead of 280 ms), and it is tested to give the same
// result as the encoding/json decoder (decodeStd) on every well-typed
// document.
//
// The result is read-only: versions whose dependency maps, engines,
// platform lists or peerDependenciesMeta have the same text share one
// map or slice, and strings share a few large allocations.
func Decode(data []byte) (*Packument, error) {
	return decode(data, false)
}

// DecodeForInstall is Decode without what installing dependencies never
// reads: devDependencies of versions (only the root project's are
// installed) and scripts (HasInstallScript is still derived from them).
// It is what the registry client uses; big packuments decode faster and
// take less memory.
func DecodeForInstall(data []byte) (*Packument, error) {
	return decode(data, true)
}

// DecodeForInstallCompact is DecodeForInstall that also compacts data in
// place: it returns data's first bytes rewritten as the same document
// without the members DecodeForInstall steps over unread (devDependencies,
// scripts without an install script, readmes, contributors, exports and
// every other field it does not know), which DecodeForInstall decodes to
// the same Packument. The registry client caches that instead of the
// document as sent: about half of a full packument's bytes, written for
// every cold install. On error data is left as it was.
func DecodeForInstallCompact(data []byte) (*Packument, []byte, error) {
	cuts := getCuts()
	defer putCuts(cuts)
	d := &decoder{data: data, intern: map[string]string{}, forInstall: true, cuts: (*cuts)[:0]}
	p, err := d.run()
	*cuts = d.cuts
	if err != nil {
		return nil, data, err
	}
	return p, compact(data, d.cuts), nil
}

// span is a byte range [start, end) of the document.
type span struct{ start, end int }

// compact removes the cut ranges (in document order, not overlapping) from
// data in place.
func compact(data []byte, cuts []span) []byte {
	if len(cuts) == 0 {
		return data
	}
	w := cuts[0].start
	for i, c := range cuts {
		next := len(data)
		if i+1 < len(cuts) {
			next = cuts[i+1].start
		}
		w += copy(data[w:], data[c.end:next])
	}
	return data[:w]
}

func decode(data []byte, forInstall bool) (*Packument, error) {
	d := &decoder{data: data, intern: map[string]string{}, forInstall: forInstall}
	return d.run()
}

func (d *decoder) run() (*Packument, error) {
	data := d.data
	d.arena.chunk = min(max(len(data)/8, 1<<10), 64<<10)
	if d.lazy != nil {
		// The first pass of DecodeLazy keeps few strings (the versions'
		// keys, a few heads): about a byte in 200 of a full packument.
		// Chunks sized for the eager decoder were ~8 MB per cold
		// install, mostly never written but kept as long as the
		// packuments.
		d.arena.chunk = min(max(len(data)/128, 1<<10), 16<<10)
	}
	d.shared = map[sharedKey]any{}
	p := &Packument{}
	d.ws()
	if d.peek() != '{' {
		return nil, fmt.Errorf("packument: not a JSON object")
	}
	d.object(func(key []byte) { d.packumentField(p, key) })
	if d.err == nil {
		d.ws()
		if d.pos != len(d.data) {
			d.fail("data after the document")
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("packument: %w", d.err)
	}
	finish(p)
	if d.lazy != nil {
		d.finishLazy(p)
	}
	return p, nil
}

// DecodeManifest reads one version document (GET /name/version, or a
// package.json) and normalises it.
func DecodeManifest(data []byte) (*Manifest, error) {
	d := &decoder{data: data, intern: map[string]string{}}
	m := &Manifest{}
	d.ws()
	if d.peek() != '{' {
		return nil, fmt.Errorf("manifest: not a JSON object")
	}
	d.object(func(key []byte) { d.manifestField(m, key) })
	if d.err == nil {
		d.ws()
		if d.pos != len(d.data) {
			d.fail("data after the document")
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("manifest: %w", d.err)
	}
	m.Normalize()
	return m, nil
}

type decoder struct {
	data       []byte
	pos        int
	err        error
	intern     map[string]string
	buf        []byte
	forInstall bool
	// cuts, when not nil, collects the members whose values were
	// stepped over unread, with their separating comma (see object), for
	// DecodeForInstallCompact; ignored is set by a field that read
	// nothing of its value.
	cuts    []span
	ignored bool
	arena   arena
	// shared holds the values decoded from dependency maps, engines and
	// platform lists by their text: most versions of a package repeat
	// the previous one's (engines {"node": ">=6.9.0"} in thousands of
	// versions), and each is decoded and allocated once. Its keys alias
	// data: it must not outlive the decode.
	shared map[sharedKey]any
	// lazy, when set, makes the "versions" and "time" members lazy
	// (DecodeLazy); vindex maps a version key to its entry while they
	// are read.
	lazy   *lazyDoc
	vindex map[string]int32
}

// sharedKey is a value's kind and its text.
type sharedKey struct {
	kind byte
	raw  string
}

// The kinds of values shared.
const (
	sharedStringMap = iota // dependencies and the like
	sharedEngines
	sharedList // os, cpu, libc
	sharedPeerMeta
)

// arena holds the text of a decoded document's strings: one allocation
// per chunk instead of one per string (a cold install decodes ~70,000
// versions, each with a tarball URL, integrity, shasum, signature and
// publish time). Every string of a document lives as long as the
// document, so nothing is kept longer than before except the unused end
// of the last chunk.
type arena struct {
	buf   []byte
	chunk int
}

// str returns b as a string stored in the arena. Bytes written to the
// arena are never changed, which is what makes the unsafe.String sound.
func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > a.chunk/4 {
		return string(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, max(a.chunk, 64))
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[n], len(b))
}

// bytes returns a copy of b in the arena, capped so that appending to it
// cannot write into its neighbours.
func (a *arena) bytes(b []byte) []byte {
	s := a.str(b)
	return unsafe.Slice(unsafe.StringData(s), len(s))[:len(s):len(s)]
}

// SyntaxError is malformed JSON at an offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: d.pos, Msg: msg}
		d.pos = len(d.data)
	}
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// object calls field for each key of the object at pos; field must
// consume the value.
func (d *decoder) object(field func(key []byte)) {
	d.ws()
	if d.peek() != '{' {
		d.fail("expected {")
		return
	}
	d.pos++
	d.ws()
	if d.peek() == '}' {
		d.pos++
		return
	}
	// For cuts: a member whose value was ignored goes with the comma
	// before it when a member before it stays, else with the comma after
	// it, so what stays is still an object.
	kept, comma := false, 0
	for d.err == nil {
		d.ws()
		memberStart := d.pos
		key := d.rawString()
		if d.err != nil {
			return
		}
		d.ws()
		if d.peek() != ':' {
			d.fail("expected :")
			return
		}
		d.pos++
		d.ws()
		start := d.pos
		d.ignored = false
		field(key)
		ignored := d.ignored
		d.ignored = false
		if d.err != nil {
			return
		}
		if d.pos == start {
			d.fail("expected a value")
			return
		}
		end := d.pos
		d.ws()
		switch d.peek() {
		case ',':
			if d.cuts != nil {
				switch {
				case !ignored:
					kept = true
				case kept:
					d.cut(span{comma, end})
				default:
					d.cut(span{memberStart, d.pos + 1})
				}
				comma = d.pos
			}
			d.pos++
		case '}':
			if d.cuts != nil && ignored {
				if kept {
					d.cut(span{comma, end})
				} else {
					d.cut(span{memberStart, end})
				}
			}
			d.pos++
			return
		default:
			d.fail("expected , or }")
			return
		}
	}
}

// cut records s, merged into the cut before it when they touch: the
// members a version does not need come in runs (a full packument's
// version has a dozen ignored members around a few kept ones), and each
// cut is a range compactCopy copies around.
func (d *decoder) cut(s span) {
	if n := len(d.cuts); n > 0 && d.cuts[n-1].end == s.start {
		d.cuts[n-1].end = s.end
		return
	}
	d.cuts = append(d.cuts, s)
}

// array calls elem for each element of the array at pos.
func (d *decoder) array(elem func()) {
	if d.peek() != '[' {
		d.fail("expected [")
		return
	}
	d.pos++
	d.ws()
	if d.peek() == ']' {
		d.pos++
		return
	}
	for d.err == nil {
		d.ws()
		start := d.pos
		elem()
		if d.err != nil {
			return
		}
		if d.pos == start {
			d.fail("expected a value")
			return
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return
		default:
			d.fail("expected , or ]")
			return
		}
	}
}

// rawString reads a string and returns its decoded bytes, which alias the
// input when there are no escapes and are only valid until the next call.
func (d *decoder) rawString() []byte {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '"' {
		d.fail("expected a string")
		return nil
	}
	start := d.pos + 1
	i := start
	ascii := true
	for {
		// Eight bytes at a time to the first that needs a look (most of
		// a packument's strings are plain ASCII: URLs, hashes, versions).
		for i+8 <= len(data) {
			if m := lookMask(binary.LittleEndian.Uint64(data[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(data) && !needsLookByte(data[i]) {
			i++
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if c == '"' {
			d.pos = i + 1
			if ascii || utf8.Valid(data[start:i]) {
				return data[start:i]
			}
			return d.unescape(start, i)
		}
		if c == '\\' {
			end := d.stringEnd(i)
			if d.err != nil {
				return nil
			}
			d.pos = end + 1
			return d.unescape(start, end)
		}
		if c < 0x20 {
			d.pos = i
			d.fail("control character in string")
			return nil
		}
		ascii = false // c >= 0x80
		i++
	}
	d.pos = len(data)
	d.fail("unterminated string")
	return nil
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// The masks below have the high bit set in each byte of x that is one of
// the bytes a scan stops at. Each is built from the classic "has a zero
// byte" expression (v-lows)&^v&highs on x with the byte of interest
// xored (or subtracted) away. A borrow can only flag a byte above a real
// match, so the lowest set bit is always a real match: bits.TrailingZeros64
// of a mask / 8 is the index of the first byte to look at.

// lookMask flags quotes, backslashes, control characters and non-ASCII
// bytes: where a string being read needs a look.
func lookMask(x uint64) uint64 {
	q := x ^ (lows * '"')
	b := x ^ (lows * '\\')
	return ((q-lows)&^q | (b-lows)&^b | (x-lows*0x20)&^x | x) & highs
}

func needsLookByte(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }

// stringEnd finds the closing quote of a string whose escape starts at i.
func (d *decoder) stringEnd(i int) int {
	for i < len(d.data) {
		switch c := d.data[i]; {
		case c == '\\':
			i += 2
		case c == '"':
			return i
		case c < 0x20:
			d.pos = i
			d.fail("control character in string")
			return 0
		default:
			i++
		}
	}
	d.pos = len(d.data)
	d.fail("unterminated string")
	return 0
}

// unescape decodes data[start:end] (the inside of a string) the way
// encoding/json does: escapes resolved, invalid UTF-8 and unpaired
// surrogates replaced by U+FFFD.
func (d *decoder) unescape(start, end int) []byte {
	b := d.buf[:0]
	s := d.data[start:end]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				d.fail("bad escape")
				return nil
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/', '\'':
				if e == '\'' {
					d.fail("bad escape")
					return nil
				}
				b = append(b, e)
				i += 2
			case 'b':
				b, i = append(b, '\b'), i+2
			case 'f':
				b, i = append(b, '\f'), i+2
			case 'n':
				b, i = append(b, '\n'), i+2
			case 'r':
				b, i = append(b, '\r'), i+2
			case 't':
				b, i = append(b, '\t'), i+2
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					d.fail("bad \\u escape")
					return nil
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(-1), false
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2, ok2 = hex4(s, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				d.fail("bad escape")
				return nil
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	d.buf = b
	return b
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

func (d *decoder) str() string { return d.arena.str(d.rawString()) }

// istr reads a string and interns it: dependency names and ranges repeat
// across the versions of a package. A decoder without an intern map (one
// lazily decoded version) copies it.
func (d *decoder) istr() string {
	b := d.rawString()
	if d.intern == nil {
		return d.arena.str(b)
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := d.arena.str(b)
	d.intern[s] = s
	return s
}

// skip steps over any value without building it.
func (d *decoder) skip() {
	switch c := d.peek(); {
	case c == '"':
		end, _ := skipString(d.data, d.pos+1, false)
		if end < 0 {
			d.pos = len(d.data)
			d.fail("unterminated string")
			return
		}
		d.pos = end
	case c == '{' || c == '[':
		d.skipComposite(false)
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	default:
		d.fail("unexpected character")
	}
}

// skipComposite steps over the object or array at pos by its structure
// alone: strings are jumped (skipString) and brackets must nest and
// match, but what lies between them (commas, colons, literals) is not
// checked. Skipped values are thrown away (readmes, maintainers,
// repository, scripts of other versions), and a full packument is mostly
// such values: walking them key by key was about a third of decoding one.
// A document cut off or unbalanced is still an error. With note set it
// reports whether the value's text holds `install"` or `\u` (see
// skipScriptsWithoutInstall).
func (d *decoder) skipComposite(note bool) (noted bool) {
	var stackBuf [32]byte
	stack := stackBuf[:0] // the closing bracket each open one expects
	data := d.data
	for i := d.pos; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			end, n := skipString(data, i+1, note)
			if end < 0 {
				d.pos = len(data)
				d.fail("unterminated string")
				return false
			}
			noted = noted || n
			i = end - 1
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				d.pos = i
				d.fail("mismatched bracket")
				return false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				d.pos = i + 1
				return noted
			}
		}
	}
	d.pos = len(data)
	d.fail("unterminated value")
	return false
}

// skipString returns the offset after the string whose text starts at i
// (after its opening quote), or -1 when it is not closed; like skip it
// does not check what the string holds. Most strings of a packument are
// short (keys, ranges, versions, paths, hashes): they are searched eight
// bytes at a time for a quote or a backslash, which costs less than a
// call to bytes.IndexByte per string; past 32 bytes the rest is left to
// IndexByte. With note set, noted reports whether the string's text, with
// its closing quote, holds `install"` or `\u` (escaped or not).
func skipString(data []byte, i int, note bool) (end int, noted bool) {
	open := i - 1
	for words := 0; ; {
		if words < 4 {
			if i+8 <= len(data) {
				m := quoteMask(binary.LittleEndian.Uint64(data[i:]))
				if m == 0 {
					i += 8
					words++
					continue
				}
				i += bits.TrailingZeros64(m) >> 3
			} else {
				for i < len(data) && data[i] != '"' && data[i] != '\\' {
					i++
				}
				if i >= len(data) {
					return -1, noted
				}
			}
			if data[i] == '\\' {
				if note && i+2 < len(data) && (data[i+1] == 'u' || data[i+1] == '\\' && data[i+2] == 'u') {
					noted = true
				}
				i += 2
				continue
			}
		} else {
			// A long string (a readme, a description): the next quote,
			// escaped when an odd run of backslashes is before it.
			k := bytes.IndexByte(data[i:], '"')
			if k < 0 {
				return -1, noted
			}
			k += i
			if note && bytes.Contains(data[i:k], []byte(`\u`)) {
				noted = true
			}
			b := k - 1
			for b >= i && data[b] == '\\' {
				b--
			}
			if (k-b-1)%2 != 0 {
				i = k + 1
				continue
			}
			i = k
		}
		// the closing quote at i
		if note && i-7 > open && string(data[i-7:i]) == "install" {
			noted = true
		}
		return i + 1, noted
	}
}

// quoteMask flags quotes and backslashes (see lookMask).
func quoteMask(x uint64) uint64 {
	q := x ^ (lows * '"')
	b := x ^ (lows * '\\')
	return ((q-lows)&^q | (b-lows)&^b) & highs
}

func (d *decoder) literal(lit string) {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		d.fail("bad literal")
		return
	}
	d.pos += len(lit)
}

// number consumes a JSON number and returns its text.
func (d *decoder) number() []byte {
	start := d.pos
	i := d.pos
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d.data) && d.data[i] == '0' {
		i++
	} else if digits() == 0 {
		d.fail("bad number")
		return nil
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.fail("bad number")
			return nil
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.fail("bad number")
			return nil
		}
	}
	d.pos = i
	return d.data[start:i]
}

// boolean reads true/false; other values are skipped and give false, as a
// type mismatch leaves the field unset in encoding/json.
func (d *decoder) boolean(dst *bool) {
	switch d.peek() {
	case 't':
		d.literal("true")
		*dst = true
	case 'f':
		d.literal("false")
		*dst = false
	default:
		d.skip()
	}
}

func (d *decoder) integer(bits int) (int64, bool) {
	if c := d.peek(); c == '-' || c >= '0' && c <= '9' {
		n, err := strconv.ParseInt(string(d.number()), 10, bits)
		return n, err == nil
	}
	d.skip()
	return 0, false
}

// stringValue reads a string into dst; null leaves it; other types are
// skipped.
func (d *decoder) stringValue(dst *string) {
	if d.peek() == '"' {
		*dst = d.str()
		return
	}
	d.skip()
}

// stringMap reads {k: "v"} keeping string values (merging into an
// existing map like encoding/json), or ["k", ...] as {k: listValue} (old
// dependency lists); null leaves dst; other shapes give nil.
func (d *decoder) stringMap(dst *map[string]string, listValue string) {
	switch d.peek() {
	case '{':
		m := *dst
		if m == nil {
			m = map[string]string{}
		}
		d.object(func(key []byte) {
			if d.peek() == '"' {
				k := d.internBytes(key)
				m[k] = d.istr()
				return
			}
			d.skip()
		})
		*dst = m
	case '[':
		m := map[string]string{}
		d.array(func() {
			if d.peek() == '"' {
				if s := d.istr(); s != "" {
					m[s] = listValue
				}
				return
			}
			d.skip()
		})
		*dst = m
	case 'n':
		d.skip()
	default:
		d.skip()
		*dst = nil
	}
}

func (d *decoder) internBytes(b []byte) string {
	if d.intern == nil {
		return d.arena.str(b)
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := d.arena.str(b)
	d.intern[s] = s
	return s
}

// sharedValue returns the value decoded earlier in this document from
// the same text as the value at pos (of the same kind), stepping over
// it; otherwise it returns nil, false, leaves pos alone and gives a
// function that records the value once decoded. Only decode uses it (see
// decoder.shared): DecodeManifest's single version has nothing to share.
func (d *decoder) sharedValue(kind byte) (v any, ok bool, remember func(any)) {
	if d.shared == nil {
		return nil, false, func(any) {}
	}
	start := d.pos
	d.skip()
	if d.err != nil {
		return nil, true, nil
	}
	raw := d.data[start:d.pos]
	key := sharedKey{kind, unsafe.String(&raw[0], len(raw))} // data outlives shared
	if v, ok := d.shared[key]; ok {
		return v, true, nil
	}
	d.pos = start
	return nil, false, func(v any) { d.shared[key] = v }
}

// sharedStringMap is stringMap for a version's dependency maps, shared
// between versions with the same text. A key seen twice in one object
// merges into the first map (as encoding/json does), which must then be
// a copy of its own.
func (d *decoder) sharedStringMap(dst *map[string]string, listValue string) {
	if c := d.peek(); c != '{' && c != '[' {
		d.stringMap(dst, listValue)
		return
	}
	if *dst != nil {
		*dst = maps.Clone(*dst)
		d.stringMap(dst, listValue)
		return
	}
	v, ok, remember := d.sharedValue(sharedStringMap)
	if ok {
		*dst, _ = v.(map[string]string)
		return
	}
	d.stringMap(dst, listValue)
	if d.err == nil {
		remember(*dst)
	}
}

// sharedStringList is stringList for lists shared between versions.
func (d *decoder) sharedStringList() StringList {
	if d.peek() != '[' {
		return d.stringList()
	}
	v, ok, remember := d.sharedValue(sharedList)
	if ok {
		l, _ := v.(StringList)
		return l
	}
	l := d.stringList()
	if d.err == nil {
		remember(l)
	}
	return l
}

// stringList reads "s" as [s] or an array keeping its strings.
func (d *decoder) stringList() StringList {
	switch d.peek() {
	case '"':
		return StringList{d.istr()}
	case '[':
		out := StringList{}
		d.array(func() {
			if d.peek() == '"' {
				out = append(out, d.istr())
				return
			}
			d.skip()
		})
		return out
	}
	d.skip()
	return nil
}

func (d *decoder) packumentField(p *Packument, key []byte) {
	switch string(key) {
	case "_id":
		d.stringValue(&p.ID)
	case "name":
		d.stringValue(&p.Name)
	case "_rev":
		d.stringValue(&p.Rev)
	case "modified":
		d.stringValue(&p.Modified)
	case "description":
		d.stringValue(&p.Description)
	case "dist-tags":
		d.stringMap(&p.DistTags, "")
	case "time":
		if d.lazy != nil {
			d.lazyTime()
			return
		}
		if d.peek() == '{' {
			if p.Time == nil {
				p.Time = make(map[string]string, 64)
			}
			d.object(func(k []byte) {
				if d.peek() == '"' {
					key := d.arena.str(k)
					p.Time[key] = d.str()
					return
				}
				d.skip()
			})
			return
		}
		d.skip()
	case "versions":
		if d.lazy != nil {
			d.lazyVersions()
			return
		}
		if d.peek() != '{' {
			d.skip()
			return
		}
		if p.Versions == nil {
			p.Versions = make(map[string]*Manifest, 64)
		}
		d.object(func(k []byte) {
			v := d.arena.str(k)
			switch d.peek() {
			case '{':
				// A key given again replaces the version, as
				// encoding/json (and JSON.parse) do.
				m := &Manifest{}
				p.Versions[v] = m
				d.object(func(fk []byte) { d.manifestField(m, fk) })
			case 'n':
				d.skip()
				p.Versions[v] = nil
			default:
				d.skip()
			}
		})
	default:
		d.skip()
		d.ignored = true
	}
}

func (d *decoder) manifestField(m *Manifest, key []byte) {
	switch string(key) {
	case "_id":
		d.stringValue(&m.ID)
	case "name":
		d.stringValue(&m.Name)
	case "version":
		d.stringValue(&m.Version)
	case "dependencies":
		d.sharedStringMap(&m.Dependencies, "*")
	case "optionalDependencies":
		d.sharedStringMap(&m.OptionalDependencies, "*")
	case "peerDependencies":
		d.sharedStringMap(&m.PeerDependencies, "*")
	case "devDependencies":
		if d.forInstall {
			d.skip()
			d.ignored = true
			return
		}
		d.stringMap(&m.DevDependencies, "*")
	case "acceptDependencies":
		d.sharedStringMap(&m.AcceptDependencies, "*")
	case "scripts":
		if d.forInstall {
			if d.skipScriptsWithoutInstall() {
				return
			}
			mark, sawInstall := len(d.cuts), false
			d.object(func(k []byte) {
				switch string(k) {
				case "preinstall", "install", "postinstall":
					sawInstall = true
					if d.peek() != '"' {
						d.skip()
					} else if len(d.rawString()) > 0 {
						m.HasInstallScript = true
					}
				default:
					d.skip()
					d.ignored = true // the other scripts are not cached
				}
			})
			d.scriptsRead(mark, sawInstall)
			return
		}
		d.stringMap(&m.Scripts, "*")
	case "peerDependenciesMeta":
		if d.peek() != '{' {
			d.skip()
			return
		}
		if m.PeerDependenciesMeta == nil {
			v, ok, remember := d.sharedValue(sharedPeerMeta)
			if ok {
				m.PeerDependenciesMeta, _ = v.(map[string]PeerDependencyMeta)
				return
			}
			defer func() {
				if d.err == nil {
					remember(m.PeerDependenciesMeta)
				}
			}()
			m.PeerDependenciesMeta = map[string]PeerDependencyMeta{}
		} else {
			m.PeerDependenciesMeta = maps.Clone(m.PeerDependenciesMeta)
		}
		d.object(func(k []byte) {
			name := d.internBytes(k)
			meta := m.PeerDependenciesMeta[name]
			if d.peek() == '{' {
				d.object(func(fk []byte) {
					if string(fk) == "optional" {
						d.boolean(&meta.Optional)
						return
					}
					d.skip()
				})
				m.PeerDependenciesMeta[name] = meta
				return
			}
			d.skip()
		})
	case "bundleDependencies", "bundledDependencies":
		var b *Bundle
		switch d.peek() {
		case 'n':
			d.skip()
		case 't':
			d.skip()
			b = &Bundle{All: true}
		case '[':
			b = &Bundle{Names: []string(d.stringList())}
		default:
			d.skip()
			b = &Bundle{}
		}
		if string(key) == "bundleDependencies" {
			if b != nil || d.peekPrevNull() {
				m.BundleDependencies = b
			}
		} else if b != nil || d.peekPrevNull() {
			m.BundledDependencies = b
		}
	case "os":
		m.OS = d.sharedStringList()
	case "cpu":
		m.CPU = d.sharedStringList()
	case "libc":
		m.Libc = d.sharedStringList()
	case "engines":
		m.Engines = d.sharedEngines()
	case "bin":
		m.Bin = d.bin()
	case "directories":
		if d.peek() != '{' {
			d.skip()
			return
		}
		if m.Directories == nil {
			m.Directories = &Directories{}
		}
		d.object(func(k []byte) {
			if string(k) == "bin" {
				d.stringValue(&m.Directories.Bin)
				return
			}
			d.skip()
		})
	case "hasInstallScript":
		d.boolean(&m.HasInstallScript)
	case "_hasShrinkwrap":
		d.boolean(&m.HasShrinkwrap)
	case "gypfile":
		d.boolean(&m.Gypfile)
	case "deprecated":
		m.Deprecated = d.deprecated()
	case "dist":
		if d.peek() != '{' {
			d.skip()
			return
		}
		d.dist(&m.Dist)
	case "license":
		m.License = d.license()
	case "funding":
		start := d.pos
		d.skip()
		if d.err == nil {
			// skip is lenient; keep only valid JSON, since it is copied
			// verbatim into caches and lockfiles
			if raw := d.data[start:d.pos]; string(raw) != "null" && json.Valid(raw) {
				m.Funding = json.RawMessage(d.arena.bytes(raw))
			}
		}
	default:
		d.skip()
		d.ignored = true
	}
}

// deprecated reads a version's "deprecated" value.
func (d *decoder) deprecated() Deprecated {
	switch d.peek() {
	case '"':
		return Deprecated(d.str())
	case 't':
		d.skip()
		return "deprecated"
	}
	d.skip()
	return ""
}

// sharedEngines reads a version's "engines" value, shared between
// versions with the same text.
func (d *decoder) sharedEngines() Engines {
	if c := d.peek(); c == '{' || c == '[' {
		v, ok, remember := d.sharedValue(sharedEngines)
		if ok {
			e, _ := v.(Engines)
			return e
		}
		e := d.engines()
		if d.err == nil {
			remember(e)
		}
		return e
	}
	return d.engines()
}

// peekPrevNull reports whether the value just consumed was null; used to
// clear a bundle list like encoding/json clears a pointer.
func (d *decoder) peekPrevNull() bool {
	return d.pos >= 4 && string(d.data[d.pos-4:d.pos]) == "null"
}

func (d *decoder) dist(dist *Dist) {
	d.object(func(k []byte) {
		switch string(k) {
		case "tarball":
			d.stringValue(&dist.Tarball)
		case "integrity":
			d.stringValue(&dist.Integrity)
		case "shasum":
			d.stringValue(&dist.Shasum)
		case "fileCount":
			if n, ok := d.integer(strconv.IntSize); ok {
				dist.FileCount = int(n)
			}
		case "unpackedSize":
			if n, ok := d.integer(64); ok {
				dist.UnpackedSize = n
			}
		case "signatures":
			if d.peek() != '[' {
				d.skip()
				return
			}
			sigs := dist.Signatures[:0]
			d.array(func() {
				var s Signature
				if d.peek() == '{' {
					d.object(func(k []byte) {
						switch string(k) {
						case "keyid":
							d.stringValue(&s.KeyID)
						case "sig":
							d.stringValue(&s.Sig)
						default:
							d.skip()
						}
					})
				} else {
					d.skip()
				}
				sigs = append(sigs, s)
			})
			dist.Signatures = sigs
		case "attestations":
			d.attestations(&dist.Attestations)
		default:
			// npm-signature (a PGP signature of most versions published
			// 2018-2023) and the like: not cached
			d.skip()
			d.ignored = true
		}
	})
}

// attestations reads dist.attestations into *dst (merging into what an
// earlier key put there, as encoding/json does).
func (d *decoder) attestations(dst **Attestations) {
	if d.peek() != '{' {
		d.skip()
		return
	}
	if *dst == nil {
		*dst = &Attestations{}
	}
	a := *dst
	d.object(func(k []byte) {
		switch string(k) {
		case "url":
			d.stringValue(&a.URL)
		case "provenance":
			if d.peek() != '{' {
				d.skip()
				return
			}
			d.object(func(k []byte) {
				if string(k) == "predicateType" {
					d.stringValue(&a.Provenance.PredicateType)
					return
				}
				d.skip()
			})
		default:
			d.skip()
		}
	})
}

func (d *decoder) engines() Engines {
	switch d.peek() {
	case '{':
		out := Engines{}
		d.object(func(k []byte) {
			if d.peek() == '"' {
				key := d.internBytes(k)
				out[key] = d.istr()
				return
			}
			d.skip()
		})
		return out
	case '[':
		out := Engines{}
		d.array(func() {
			if d.peek() != '"' {
				d.skip()
				return
			}
			s := strings.TrimSpace(d.str())
			name, rng, _ := strings.Cut(s, " ")
			if name != "" {
				out[name] = strings.TrimSpace(rng)
			}
		})
		return out
	}
	d.skip()
	return nil
}

func (d *decoder) bin() Bin {
	switch d.peek() {
	case '"':
		return Bin{stringBinKey: d.str()}
	case '{':
		out := Bin{}
		d.object(func(k []byte) {
			if d.peek() == '"' {
				key := d.arena.str(k)
				v := d.str()
				if !strings.Contains(key, stringBinKey) {
					out[key] = v
				}
				return
			}
			d.skip()
		})
		return out
	}
	d.skip()
	return nil
}

func (d *decoder) license() License {
	switch d.peek() {
	case '"':
		return License(d.istr())
	case '{':
		var l License
		d.object(func(k []byte) {
			if string(k) == "type" {
				if d.peek() == '"' {
					l = License(d.istr())
				} else {
					d.skip()
					l = ""
				}
				return
			}
			d.skip()
		})
		return l
	case '[':
		var parts []string
		d.array(func() {
			if l := d.license(); l != "" {
				parts = append(parts, string(l))
			}
		})
		return License(strings.Join(parts, " OR "))
	}
	d.skip()
	return ""
}

// scriptsRead ends a "scripts" object read member by member (from the
// cuts at mark on): with no install script's key in it, the whole member
// is cut instead of its members, as skipScriptsWithoutInstall cuts it (so
// that compacting again changes nothing).
func (d *decoder) scriptsRead(mark int, anyInstallKey bool) {
	if !anyInstallKey && d.err == nil {
		d.cuts = d.cuts[:mark]
		d.ignored = true
	}
}

// skipScriptsWithoutInstall steps over a "scripts" value that cannot name
// an install script (not an object, or no key ending in install" and no
// escape that could spell one) and reports true; otherwise it leaves the
// position at the object for the caller to read. Most scripts objects
// name none: stepping over one and looking for the key's tail is cheaper
// than reading it key by key (scripts are a tenth of a full packument).
func (d *decoder) skipScriptsWithoutInstall() bool {
	if d.peek() != '{' {
		d.skip()
		d.ignored = true
		return true
	}
	start := d.pos
	if noted := d.skipComposite(true); d.err != nil || !noted {
		d.ignored = true
		return true
	}
	d.pos = start
	return false
}
