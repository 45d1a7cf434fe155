package qjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unsafe"

	lib "modernc.org/libquickjs"
)

// jsonText makes a JS string holding the code units u: an 8-bit string
// (when every unit fits) or a 16-bit one, so both scanners see the text.
func jsonText(vm *VM, u []uint16, wide bool) Value {
	if !wide {
		b := make([]byte, len(u))
		for i, c := range u {
			if c >= 0x100 {
				panic("jsonText: unit does not fit an 8-bit string")
			}
			b[i] = byte(c)
		}
		return Value{jsNewString8(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(b))), int32(len(b)))}
	}
	if len(u) == 0 {
		return Value{jsNewString8(vm.tls, vm.ctx, 0, 0)}
	}
	return Value{jsNewString16(vm.tls, vm.ctx, uintptr(unsafe.Pointer(unsafe.SliceData(u))), int32(len(u)))}
}

func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

func fitsLatin1(u []uint16) bool {
	for _, c := range u {
		if c >= 0x100 {
			return false
		}
	}
	return true
}

// engineParse calls the engine's own JSON.parse on text.
type engineParser struct {
	vm *VM
	fn Value
}

func newEngineParser(t testing.TB, vm *VM) *engineParser {
	fn, err := vm.Eval("(t) => JSON.parse(t)", "parse.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	return &engineParser{vm: vm, fn: fn}
}

func (e *engineParser) parse(text Value) (Value, error) {
	return e.vm.Call(e.fn, Undefined, text)
}

func (e *engineParser) close() { e.vm.Free(e.fn) }

// strUnits reads a flat string's code units.
func strUnits(p uintptr) (u []uint16, wide bool) {
	hdr := *(*uint32)(unsafe.Pointer(p))
	n := int(hdr &^ strWideBit)
	data := unsafe.Pointer(p + strHeaderLen)
	if hdr&strWideBit != 0 {
		return append([]uint16(nil), unsafe.Slice((*uint16)(data), n)...), true
	}
	u = make([]uint16, n)
	for i, c := range unsafe.Slice((*byte)(data), n) {
		u[i] = uint16(c)
	}
	return u, false
}

// sameValue compares two JSON.parse results as the engine stores them:
// the same tags (int32 vs float64 included), bits, string contents and
// width, classes, prototypes, shapes (the same hashed shape, so the same
// keys, order and attributes) and array layout.
func sameValue(a, b lib.TJSValue, path string) error {
	if a.Ftag != b.Ftag {
		return fmt.Errorf("%s: tag %d, engine %d", path, a.Ftag, b.Ftag)
	}
	va, vb := Value{a}, Value{b}
	switch a.Ftag {
	case tagInt, tagBool:
		if va.int32() != vb.int32() {
			return fmt.Errorf("%s: %d, engine %d", path, va.int32(), vb.int32())
		}
	case tagFloat64:
		if math.Float64bits(va.float()) != math.Float64bits(vb.float()) {
			return fmt.Errorf("%s: %v, engine %v", path, va.float(), vb.float())
		}
	case tagNull:
	case tagString:
		ua, wa := strUnits(va.ptr())
		ub, wb := strUnits(vb.ptr())
		if string(utf16.Decode(ua)) != string(utf16.Decode(ub)) || len(ua) != len(ub) {
			return fmt.Errorf("%s: string %q, engine %q", path, string(utf16.Decode(ua)), string(utf16.Decode(ub)))
		}
		for i := range ua {
			if ua[i] != ub[i] {
				return fmt.Errorf("%s: unit %d is %#x, engine %#x", path, i, ua[i], ub[i])
			}
		}
		if wa != wb && len(ua) > 0 {
			return fmt.Errorf("%s: string wide=%v, engine %v", path, wa, wb)
		}
	case tagObject:
		return sameObject(va.ptr(), vb.ptr(), path)
	default:
		return fmt.Errorf("%s: unexpected tag %d", path, a.Ftag)
	}
	return nil
}

func sameObject(pa, pb uintptr, path string) error {
	oa, ob := (*lib.TJSObject)(unsafe.Pointer(pa)), (*lib.TJSObject)(unsafe.Pointer(pb))
	if oa.Fclass_id != ob.Fclass_id {
		return fmt.Errorf("%s: class %d, engine %d", path, oa.Fclass_id, ob.Fclass_id)
	}
	fa, fb := *(*uint8)(unsafe.Pointer(pa + objFlagsOff)), *(*uint8)(unsafe.Pointer(pb + objFlagsOff))
	if fa != fb {
		return fmt.Errorf("%s: object flags %#x, engine %#x", path, fa, fb)
	}
	sa, sb := (*lib.TJSShape)(unsafe.Pointer(oa.Fshape)), (*lib.TJSShape)(unsafe.Pointer(ob.Fshape))
	if sa.Fproto != sb.Fproto {
		return fmt.Errorf("%s: different prototypes", path)
	}
	if sa.Fprop_count != sb.Fprop_count || sa.Fdeleted_prop_count != sb.Fdeleted_prop_count || sa.Fis_hashed != sb.Fis_hashed {
		return fmt.Errorf("%s: shape props %d/%d hashed %d, engine %d/%d hashed %d", path,
			sa.Fprop_count, sa.Fdeleted_prop_count, sa.Fis_hashed, sb.Fprop_count, sb.Fdeleted_prop_count, sb.Fis_hashed)
	}
	if sa.Fis_hashed != 0 && sa != sb {
		return fmt.Errorf("%s: not the engine's hashed shape", path)
	}
	propsA, propsB := shapeProps(sa), shapeProps(sb)
	for i := 0; i < int(sa.Fprop_count); i++ {
		a := *(*uint32)(unsafe.Pointer(propsA + uintptr(i)*8 + 4))
		b := *(*uint32)(unsafe.Pointer(propsB + uintptr(i)*8 + 4))
		fa := *(*uint32)(unsafe.Pointer(propsA + uintptr(i)*8))
		fb := *(*uint32)(unsafe.Pointer(propsB + uintptr(i)*8))
		if a != b || fa != fb {
			return fmt.Errorf("%s: property %d atom/flags %d/%#x, engine %d/%#x", path, i, a, fa, b, fb)
		}
	}
	if int32(oa.Fclass_id) == lib.EJS_CLASS_ARRAY {
		type arr struct {
			size   uint32
			_      uint32
			values uintptr
			count  uint32
		}
		xa, xb := (*arr)(unsafe.Pointer(&oa.Fu)), (*arr)(unsafe.Pointer(&ob.Fu))
		if xa.count != xb.count {
			return fmt.Errorf("%s: %d elements, engine %d", path, xa.count, xb.count)
		}
		if err := sameValue(*(*lib.TJSValue)(unsafe.Pointer(oa.Fprop)), *(*lib.TJSValue)(unsafe.Pointer(ob.Fprop)), path+".length"); err != nil {
			return err
		}
		for i := 0; i < int(xa.count); i++ {
			if err := sameValue(*(*lib.TJSValue)(unsafe.Pointer(xa.values + uintptr(i)*16)), *(*lib.TJSValue)(unsafe.Pointer(xb.values + uintptr(i)*16)), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < int(sa.Fprop_count); i++ {
		if err := sameValue(*(*lib.TJSValue)(unsafe.Pointer(oa.Fprop + uintptr(i)*16)), *(*lib.TJSValue)(unsafe.Pointer(ob.Fprop + uintptr(i)*16)), path+"/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// checkParse parses u with ParseFast and with the engine. The fast path
// must decline exactly when the engine throws (deep nesting excepted:
// the engine's recursion limit does not bind the fast path), and give the
// engine's value otherwise.
func checkParse(t testing.TB, vm *VM, e *engineParser, u []uint16, wide bool) {
	t.Helper()
	text := jsonText(vm, u, wide)
	defer vm.Free(text)
	ref, err := e.parse(text)
	if err == nil {
		defer vm.Free(ref)
	}
	got, ok := vm.ParseFast(text)
	if ok {
		defer vm.Free(got)
	}
	show := string(utf16.Decode(u))
	if len(show) > 200 {
		show = show[:200] + "..."
	}
	switch {
	case err != nil && ok:
		if strings.Contains(err.Error(), "stack overflow") {
			return
		}
		t.Fatalf("%q (wide %v): fast path parsed what the engine rejects (%v)", show, wide, err)
	case err == nil && !ok:
		t.Fatalf("%q (wide %v): fast path declined valid JSON", show, wide)
	case ok:
		if d := sameValue(got.v, ref.v, "$"); d != nil {
			t.Fatalf("%q (wide %v): %v", show, wide, d)
		}
	}
}

func checkParseBoth(t testing.TB, vm *VM, e *engineParser, u []uint16) {
	t.Helper()
	if fitsLatin1(u) {
		checkParse(t, vm, e, u, false)
	}
	checkParse(t, vm, e, u, true)
}

var parseCases = []string{
	`0`, `-0`, `1`, `-1`, `1.0`, `1e2`, `1E+2`, `1e-2`, `-1.5e-3`, `0.1`, `2147483647`, `2147483648`, `-2147483648`, `-2147483649`,
	`123456789`, `1234567890`, `-123456789`, `9007199254740993`, `123456789012345678901234567890`, `1e400`, `-1e400`, `1e-400`, `-1e-400`,
	`4.9406564584124654e-324`, `2.2250738585072011e-308`, `1.7976931348623157e308`, `0.30000000000000004`, `1e21`, `1e-7`,
	`0.` + strings.Repeat("0", 400) + `1`, `1` + strings.Repeat("0", 400), `1.` + strings.Repeat("9", 800),
	`true`, `false`, `null`, ` null `, "\t\n\r 1 \r\n\t",
	`""`, `"a"`, `"é"`, `"\u00e9"`, `"\u0100"`, `"Ā"`, `"😀"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00"`, `"a\ud800b"`, `"\ud800\ud800"`,
	`"\"\\\/\b\f\n\r\t"`, `"\u0000"`, `"\u001f"`, `"\uFFFF"`, `"\uabcd\uABCD"`, "\"\u2028\u2029\"", "\"\x7f\"", `"` + strings.Repeat("x", 5000) + `"`,
	`[]`, `{}`, `[[]]`, `[{}]`, `{"a":[]}`, `[1,"2",[3],{"4":5}]`, ` [ 1 , 2 ] `, `{ "a" : 1 , "b" : 2 }`,
	`{"a":1,"b":2}`, `{"b":2,"a":1}`, `{"a":1,"a":2}`, `{"a":1,"b":2,"a":3}`, `[{"a":1,"a":2},{"a":1,"a":2},{"a":3,"a":4}]`,
	`{"__proto__":1}`, `{"__proto__":{"x":1}}`, `[{"__proto__":null},{"__proto__":[]}]`, `{"constructor":1,"toString":2,"hasOwnProperty":3}`,
	`{"1":1,"0":0,"a":2}`, `{"b":1,"2":2,"1":1}`, `[{"1":"a","0":"b"},{"1":"c","0":"d"}]`, `{"-1":1,"01":2,"1.5":3,"4294967295":4,"4294967294":5,"2147483647":6,"2147483648":7}`,
	`{"":1}`, `{"":1,"":2}`, `[{"":0},{"":1}]`, `{"é":1,"Ā":2,"😀":3,"\ud800":4}`, `{"\u0061":1,"a":2}`, `{"a\u0000b":1}`,
	`[{"a":1,"b":2},{"a":3,"b":4},{"a":5},{"a":6,"b":7,"c":8},{"b":1,"a":2},{"a":1,"b":2}]`,
	`[{"x":{"y":{"z":1}}},{"x":{"y":{"z":2}}},{"x":{"y":{"w":3}}}]`,
	`{"length":3}`, `[{"length":1},{"length":2}]`, `{"a":{"a":{"a":{}}}}`,
	// Rejected: the engine throws, the fast path declines.
	``, ` `, `{`, `}`, `[`, `]`, `[1,]`, `{"a":1,}`, `{,}`, `[,]`, `[1 2]`, `{"a" 1}`, `{"a":}`, `{a:1}`, `{'a':1}`, `'a'`,
	`01`, `-01`, `1.`, `.5`, `+1`, `-`, `--1`, `1e`, `1e+`, `1.e5`, `0x10`, `NaN`, `Infinity`, `-Infinity`, `tru`, `nul`, `falsey`, `nulll`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, `"\v"`, `"\'"`, "\"\t\"", "\"\n\"", "\"\x00\"", "\v1", "\f1", "\u00a01", "\ufeff1", "1\u00a0",
	`1 2`, `[1]x`, `{}{}`, `/*c*/1`, `1//c`, "\x001", "1\x00", `"a" "b"`, `[1]]`, `{"a":1}}`, `[}`, `{]`, `{"a":1]`, `[1}`,
}

func TestParseFastCases(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	e := newEngineParser(t, vm)
	defer e.close()
	for _, c := range parseCases {
		checkParseBoth(t, vm, e, units(c))
	}
}

// TestParseFastDeclines: texts the fast path must leave to the engine
// (which throws) and non-strings.
func TestParseFastDeclines(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	for _, v := range []Value{Undefined, Null, Int(1), True} {
		if _, ok := vm.ParseFast(v); ok {
			t.Fatalf("ParseFast took a non-string")
		}
	}
	for _, c := range []string{``, `[1,]`, `{"a":1,}`, `NaN`, `01`, "\v1", `"\v"`} {
		text := vm.String(c)
		if _, ok := vm.ParseFast(text); ok {
			t.Fatalf("%q: fast path took invalid JSON", c)
		}
		vm.Free(text)
	}
	if vm.HasException() {
		t.Fatal("a declined parse left an exception pending")
	}
}

// TestParseFastRope: a rope (a string built by concatenation) is
// flattened first.
func TestParseFastRope(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	text, err := vm.Eval(`let s = '['; for (let i = 0; i < 2000; i++) s += '{"k":' + i + '},'; s + '0]'`, "rope.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(text)
	v, ok := vm.ParseFast(text)
	if !ok {
		t.Fatal("fast path declined a rope")
	}
	defer vm.Free(v)
	if n := vm.Len(v); n != 2001 {
		t.Fatalf("length %d", n)
	}
}

// randomJSON writes a random JSON document: objects that share key
// sequences (the shape cache), diverge after a common prefix, repeat keys,
// use integer-like keys and __proto__, escapes, surrogates and numbers of
// every form.
type jsonGen struct {
	r *rand.Rand
	b strings.Builder
}

var genKeys = []string{"a", "b", "c", "id", "name", "__proto__", "0", "1", "2", "10", "-1", "01", "1.5",
	"4294967294", "4294967295", "2147483647", "2147483648", "", "é", "Ā", "😀", "\\ud800", "\\u0061", "a\\nb", "length", "constructor", "toJSON"}

func (g *jsonGen) ws() {
	if g.r.IntN(6) == 0 {
		g.b.WriteString([]string{" ", "\n", "\t", "\r", "  \n "}[g.r.IntN(5)])
	}
}

func (g *jsonGen) str() {
	g.b.WriteByte('"')
	for range g.r.IntN(10) {
		switch g.r.IntN(12) {
		case 0:
			fmt.Fprintf(&g.b, `\u%04x`, g.r.IntN(0x10000))
		case 1:
			fmt.Fprintf(&g.b, `\u%04X`, g.r.IntN(0x100))
		case 2:
			g.b.WriteString([]string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`}[g.r.IntN(8)])
		case 3:
			g.b.WriteRune([]rune{'é', 'ÿ', 'Ā', '€', '😀', '\u2028', 0x7f, 0x80}[g.r.IntN(8)])
		case 4:
			fmt.Fprintf(&g.b, `\u%04x`, 0xd800+g.r.IntN(0x800)) // surrogates, paired or not
		default:
			g.b.WriteByte(byte('a' + g.r.IntN(26)))
		}
	}
	g.b.WriteByte('"')
}

func (g *jsonGen) num() {
	r := g.r
	switch r.IntN(7) {
	case 0:
		g.b.WriteString(strconv.Itoa(r.IntN(2000) - 1000))
	case 1:
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			f = 1.5
		}
		g.b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case 2:
		g.b.WriteString(strconv.FormatFloat(r.NormFloat64()*math.Pow(10, float64(r.IntN(60)-30)), []byte{'e', 'E', 'f', 'g'}[r.IntN(4)], -1, 64))
	case 3:
		g.b.WriteString([]string{"-0", "0", "-0.0", "0e0", "-0e-5", "1e400", "-1e400", "1e-400", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296", "9007199254740993", "1E+2", "1e-0"}[r.IntN(16)])
	case 4:
		g.b.WriteString(strconv.FormatInt(r.Int64()>>r.IntN(64), 10))
	case 5:
		if r.IntN(2) == 0 {
			g.b.WriteByte('-')
		}
		g.b.WriteByte(byte('1' + r.IntN(9)))
		for range r.IntN(30) {
			g.b.WriteByte(byte('0' + r.IntN(10)))
		}
		if r.IntN(2) == 0 {
			g.b.WriteByte('.')
			for range 1 + r.IntN(30) {
				g.b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&g.b, "e%d", r.IntN(700)-350)
		}
	default:
		g.b.WriteString(strconv.FormatFloat(float64(r.IntN(1e6))/float64(1+r.IntN(1000)), 'g', -1, 64))
	}
}

func (g *jsonGen) object(depth int, keys []string) {
	g.b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			g.b.WriteByte(',')
		}
		g.ws()
		g.b.WriteString(`"` + k + `"`)
		g.ws()
		g.b.WriteByte(':')
		g.ws()
		g.value(depth + 1)
		g.ws()
	}
	g.b.WriteByte('}')
}

func (g *jsonGen) keys() []string {
	r := g.r
	n := r.IntN(6)
	if r.IntN(20) == 0 {
		n = 20 + r.IntN(80) // past the trie's depth now and then
	}
	ks := make([]string, n)
	for i := range ks {
		if r.IntN(4) == 0 {
			ks[i] = "k" + strconv.Itoa(r.IntN(100))
		} else {
			ks[i] = genKeys[r.IntN(len(genKeys))]
		}
	}
	return ks
}

func (g *jsonGen) value(depth int) {
	r := g.r
	k := r.IntN(10)
	if depth > 5 {
		k = 4 + r.IntN(6)
	}
	switch k {
	case 0, 1:
		g.b.WriteByte('[')
		for i := range r.IntN(6) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.ws()
			g.value(depth + 1)
			g.ws()
		}
		g.b.WriteByte(']')
	case 2:
		g.object(depth, g.keys())
	case 3:
		// Many objects with one key sequence, some diverging: the cache.
		ks := g.keys()
		g.b.WriteByte('[')
		for i := range 1 + r.IntN(8) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			use := ks
			if r.IntN(4) == 0 && len(ks) > 0 {
				use = append(append([]string(nil), ks[:r.IntN(len(ks))]...), g.keys()...)
			}
			g.object(depth+1, use)
		}
		g.b.WriteByte(']')
	case 4, 5:
		g.str()
	case 6, 7:
		g.num()
	default:
		g.b.WriteString([]string{"true", "false", "null"}[r.IntN(3)])
	}
}

var mutationUnits = append(units(`{}[]",:\ 0-.eE1tfnu`+"\x00\x0b\u00a0\u0100"), 0xd800, 0xdc00)

func TestParseFastRandom(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	e := newEngineParser(t, vm)
	defer e.close()
	g := &jsonGen{r: rand.New(rand.NewPCG(3, 4))}
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		g.b.Reset()
		g.ws()
		g.value(0)
		g.ws()
		u := units(g.b.String())
		checkParseBoth(t, vm, e, u)
		// A one-unit mutation: usually invalid, sometimes still valid.
		if len(u) > 0 {
			m := append([]uint16(nil), u...)
			i := g.r.IntN(len(m))
			switch g.r.IntN(3) {
			case 0:
				m = append(m[:i], m[i+1:]...)
			case 1:
				m[i] = mutationUnits[g.r.IntN(len(mutationUnits))]
			default:
				m = append(m[:i], append([]uint16{m[i]}, m[i:]...)...)
			}
			checkParseBoth(t, vm, e, m)
		}
	}
}

// TestParseFastDeep: nesting far past the engine's recursion limit parses
// (node parses it too), and the result is freed without recursion.
func TestParseFastDeep(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	const depth = 200000
	for _, doc := range []string{
		strings.Repeat("[", depth) + strings.Repeat("]", depth),
		strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth),
	} {
		text := vm.String(doc)
		v, ok := vm.ParseFast(text)
		vm.Free(text)
		if !ok {
			t.Fatal("deep document declined")
		}
		vm.Free(v)
	}
	text := vm.String(strings.Repeat("[", depth))
	if _, ok := vm.ParseFast(text); ok {
		t.Fatal("unterminated deep document taken")
	}
	vm.Free(text)
}

// TestParseFastNoLeaks: repeated parses (shape cache, atoms, failures
// midway through containers) leave the engine's counts unchanged.
func TestParseFastNoLeaks(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	docs := []string{
		`[{"alpha":1,"beta":"x"},{"alpha":2,"beta":"y"},{"gamma":[1,{"delta":null}]}]`,
		`{"zeta1":{"zeta2":[{"zeta3":1},{"zeta3":2}]},"zeta1":3}`,
		`[{"eta":1,"theta":2},{"eta":1,"theta":2},{"eta":"s", "theta":[` + strings.Repeat(`{"iota":"v"},`, 50) + `1]}, {"kappa": 1,]`, // fails late
		`{"lambda":"\u0100\ud800","mu":"` + strings.Repeat("é", 100) + `"}`,
	}
	run := func() {
		for _, d := range docs {
			for _, wide := range []bool{false, true} {
				u := units(d)
				if !wide && !fitsLatin1(u) {
					continue
				}
				text := jsonText(vm, u, wide)
				if v, ok := vm.ParseFast(text); ok {
					vm.Free(v)
				}
				vm.Free(text)
			}
		}
	}
	run() // let the engine settle lazily made atoms and shapes
	lib.XJS_RunGC(vm.tls, vm.rt)
	before := vm.memoryUsage()
	for range 20 {
		run()
	}
	lib.XJS_RunGC(vm.tls, vm.rt)
	after := vm.memoryUsage()
	if before.Fobj_count != after.Fobj_count || before.Fatom_count != after.Fatom_count ||
		before.Fstr_count != after.Fstr_count || before.Fshape_count != after.Fshape_count ||
		before.Fmemory_used_count != after.Fmemory_used_count {
		t.Fatalf("engine counts changed: objects %d→%d atoms %d→%d strings %d→%d shapes %d→%d blocks %d→%d",
			before.Fobj_count, after.Fobj_count, before.Fatom_count, after.Fatom_count, before.Fstr_count, after.Fstr_count,
			before.Fshape_count, after.Fshape_count, before.Fmemory_used_count, after.Fmemory_used_count)
	}
}

// TestJSONParseEngineFuncs exercises each linknamed libquickjs function
// once, so a libquickjs upgrade that changes one fails here.
func TestJSONParseEngineFuncs(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	s := []byte("héllo")
	v8 := Value{jsNewString8(vm.tls, vm.ctx, uintptr(unsafe.Pointer(&s[0])), int32(len(s)))}
	u := units("wide Ā")
	v16 := Value{jsNewString16(vm.tls, vm.ctx, uintptr(unsafe.Pointer(&u[0])), int32(len(u)))}
	if got := vm.Str(v8); got != "h\u00c3\u00a9llo" {
		t.Fatalf("string8 %q", got)
	}
	if got := vm.Str(v16); got != "wide Ā" {
		t.Fatalf("string16 %q", got)
	}
	tab := []lib.TJSValue{v8.v, v16.v, Int(3).v}
	arr := Value{jsCreateArrayFree(vm.tls, vm.ctx, 3, uintptr(unsafe.Pointer(&tab[0])))}
	if n := vm.Len(arr); n != 3 {
		t.Fatalf("array length %d", n)
	}
	obj, err := vm.Eval(`({p: 1, q: 2})`, "o.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	sh := (*lib.TJSObject)(unsafe.Pointer(obj.ptr())).Fshape
	props := []lib.TJSValue{Int(7).v, vm.Dup(arr).v}
	o2 := Value{jsNewObjectFromShape(vm.tls, vm.ctx, jsDupShape(vm.tls, sh), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(&props[0])))}
	g := vm.Global()
	vm.Set(g, "o2", o2)
	vm.Free(g)
	if got := evalString(t, vm, `JSON.stringify(o2) + Object.keys(o2)`); got != "{\"p\":7,\"q\":[\"h\u00c3\u00a9llo\",\"wide Ā\",3]}p,q" {
		t.Fatalf("object from shape: %s", got)
	}
	extra := jsDupShape(vm.tls, sh)
	jsFreeShape(vm.tls, vm.rt, extra)
	vm.FreeAll(obj, arr)
}

// FuzzParseFast: the fast path agrees with the engine on arbitrary text,
// read as Latin-1, as the same units in a 16-bit string, as UTF-8, and as
// raw UTF-16 (lone surrogates included).
func FuzzParseFast(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c))
	}
	vm := newVM(f)
	defer closeVM(f, vm)
	e := newEngineParser(f, vm)
	defer e.close()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		latin := make([]uint16, len(data))
		for i, c := range data {
			latin[i] = uint16(c)
		}
		checkParse(t, vm, e, latin, false)
		checkParse(t, vm, e, latin, true)
		checkParse(t, vm, e, units(string(data)), true)
		raw := make([]uint16, len(data)/2)
		for i := range raw {
			raw[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		checkParse(t, vm, e, raw, true)
	})
}

// TestParseFastCacheBudget: many distinct key sequences and keys push the
// per-VM cache past its budget; it is dropped and rebuilt, results stay
// the engine's and nothing leaks.
func TestParseFastCacheBudget(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	e := newEngineParser(t, vm)
	defer e.close()
	r := rand.New(rand.NewPCG(5, 6))
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	dropped := false
	for range 600 {
		var sb strings.Builder
		sb.WriteByte('[')
		for j := range 20 {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('{')
			for k := range 1 + r.IntN(8) {
				if k > 0 {
					sb.WriteByte(',')
				}
				fmt.Fprintf(&sb, `"%s":%d`, keys[r.IntN(len(keys))], k)
			}
			sb.WriteByte('}')
		}
		sb.WriteByte(']')
		before := vm.jsonBuilder().nodes
		checkParseBoth(t, vm, e, units(sb.String()))
		after := vm.jsonBuilder().nodes
		if after > jsonCacheNodes {
			t.Fatalf("cache kept %d nodes past the budget of %d", after, jsonCacheNodes)
		}
		if after < before {
			dropped = true
		}
	}
	if !dropped {
		t.Fatal("the cache never reached its node budget: the test does not exercise it")
	}
	// One object with more distinct keys than the atom budget.
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range jsonCacheAtoms + 100 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"key%d":%d`, i, i)
	}
	sb.WriteByte('}')
	checkParseBoth(t, vm, e, units(sb.String()))
	if b := vm.jsonBuilder(); len(b.atoms8)+len(b.atom16) > jsonCacheAtoms {
		t.Fatalf("cache kept %d atoms past the budget", len(b.atoms8)+len(b.atom16))
	}
}

// TestParseFastAfterMutation: objects made from a cached shape behave
// like any other when JavaScript changes them afterwards (the shape is
// shared, so the engine must copy it rather than edit it in place).
func TestParseFastAfterMutation(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	text := vm.String(`[{"a":1,"b":2},{"a":3,"b":4},{"a":5,"b":6}]`)
	v, ok := vm.ParseFast(text)
	vm.Free(text)
	if !ok {
		t.Fatal("declined")
	}
	g := vm.Global()
	vm.Set(g, "arr", v)
	vm.Free(g)
	got := evalString(t, vm, `
		arr[0].c = 7; delete arr[1].a; arr[2].b = 'x';
		Object.defineProperty(arr[2], 'a', { enumerable: false });
		const again = JSON.parse('{"a":8,"b":9}');
		JSON.stringify(arr) + ' ' + Object.keys(arr[2]) + ' ' + JSON.stringify(again) + ' ' + Object.keys(again)`)
	if want := `[{"a":1,"b":2,"c":7},{"b":4},{"b":"x"}] b {"a":8,"b":9} a,b`; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// nodeDump is evaluated by node and by the VM: a canonical text for a
// JSON.parse result (key order, prototypes, number bits, string units).
const nodeDump = `(function dump(v) {
	const units = (s) => Array.from(s, (c) => c.length > 1 ? c.charCodeAt(0).toString(16) + '.' + c.charCodeAt(1).toString(16) : c.charCodeAt(0).toString(16)).join('.');
	if (v === null || typeof v === 'boolean') return String(v);
	if (typeof v === 'number') { const u = new Uint32Array(new Float64Array([v]).buffer); return 'n' + u[1].toString(16) + ':' + u[0].toString(16); }
	if (typeof v === 'string') return 's' + units(v);
	if (Array.isArray(v)) return (Object.getPrototypeOf(v) === Array.prototype ? '' : '!proto') + '[' + v.map(dump).join(',') + ']';
	const names = Object.getOwnPropertyNames(v);
	if (names.length !== Object.keys(v).length) return '!hidden';
	return (Object.getPrototypeOf(v) === Object.prototype ? '' : '!proto') + '{' + names.map((k) => units(k) + ':' + dump(v[k])).join(',') + '}';
})`

// TestParseFastNode parses random documents with node's JSON.parse and
// with the fast path and compares canonical dumps (skipped without node).
func TestParseFastNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test against node needs it")
	}
	g := &jsonGen{r: rand.New(rand.NewPCG(7, 8))}
	var docs [][]uint16
	for _, c := range parseCases {
		docs = append(docs, units(c))
	}
	for range 500 {
		g.b.Reset()
		g.value(0)
		docs = append(docs, units(g.b.String()))
	}
	docs = append(docs, units(strings.Repeat("[", 1000)+strings.Repeat("]", 1000)))
	in, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	script := `const dump = ` + nodeDump + `;
		const docs = JSON.parse(require('fs').readFileSync(0, 'latin1'));
		for (const d of docs) {
			let s = '';
			for (let i = 0; i < d.length; i += 8192) s += String.fromCharCode(...d.slice(i, i + 8192));
			let out;
			try { out = dump(JSON.parse(s)); } catch (e) { out = 'throws ' + e.name; }
			console.log(out);
		}`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(docs) {
		t.Fatalf("node printed %d lines for %d documents", len(want), len(docs))
	}
	vm := newVM(t)
	defer closeVM(t, vm)
	dump, err := vm.Eval(nodeDump, "dump.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(dump)
	for i, d := range docs {
		for _, wide := range []bool{false, true} {
			if !wide && !fitsLatin1(d) {
				continue
			}
			text := jsonText(vm, d, wide)
			v, ok := vm.ParseFast(text)
			vm.Free(text)
			got := "throws SyntaxError"
			if ok {
				r, err := vm.Call(dump, Undefined, v)
				vm.Free(v)
				if err != nil {
					t.Fatalf("dump: %v", err)
				}
				got = vm.Str(r)
				vm.Free(r)
			}
			if got != want[i] {
				show := string(utf16.Decode(d))
				if len(show) > 200 {
					show = show[:200] + "..."
				}
				t.Fatalf("%q (wide %v):\nfast %s\nnode %s", show, wide, got, want[i])
			}
		}
	}
}

// TestParseFastGCThreshold: a parse does not run the cycle collector (a
// garbage cycle made before it survives it), and the threshold afterwards
// is the old one moved up by the bytes the parse allocated (a disabled
// collector stays disabled).
func TestParseFastGCThreshold(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	rtp := (*lib.TJSRuntime)(unsafe.Pointer(vm.rt))
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range 20000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"i":%d,"s":"v%d"}`, i, i)
	}
	sb.WriteByte(']')
	text := vm.String(sb.String())
	defer vm.Free(text)
	vm.jsonBuilder() // its pinned holder is an object too: make it first
	for _, threshold := range []uint64{1 << 20, math.MaxUint64} {
		cycle, err := vm.Eval(`{ const a = {}, b = { a }; a.b = b; }`, "cycle.js", Script)
		if err != nil {
			t.Fatal(err)
		}
		vm.Free(cycle)
		lib.XJS_SetGCThreshold(vm.tls, vm.rt, threshold)
		heap := rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_size
		objs := vm.memoryUsage().Fobj_count
		v, ok := vm.ParseFast(text)
		if !ok {
			t.Fatal("declined")
		}
		if got := vm.memoryUsage().Fobj_count; got != objs+20001 {
			t.Fatalf("threshold %d: %d objects after the parse, want %d (the collector ran)", threshold, got, objs+20001)
		}
		grown := rtp.Fmalloc_ctx.Fmalloc_state.Fmalloc_size - heap
		want := threshold + grown
		if threshold == math.MaxUint64 {
			want = threshold
		}
		if got := rtp.Fmalloc_gc_threshold; got != want {
			t.Fatalf("threshold %d after a parse that allocated %d: got %d, want %d", threshold, grown, got, want)
		}
		vm.Free(v)
		lib.XJS_RunGC(vm.tls, vm.rt)
	}
	lib.XJS_SetGCThreshold(vm.tls, vm.rt, 256*1024)
}

// TestScanPlain compares the word-at-a-time string scanners with a plain
// loop on random text made of boundary values.
func TestScanPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alpha8 := []byte{0x00, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff, 'a'}
	alpha16 := []uint16{0x00, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0xff, 0x100, 0x2200, 0x5c00, 0x2222, 0x7fff, 0x8000, 0x8022, 0xff1f, 0xffff, 'a'}
	for range 20000 {
		n := r.IntN(40)
		start := 0
		if n > 0 {
			start = r.IntN(n + 1)
		}
		s8 := make([]byte, n)
		s16 := make([]uint16, n)
		for i := range n {
			if r.IntN(4) == 0 {
				s8[i], s16[i] = alpha8[r.IntN(len(alpha8))], alpha16[r.IntN(len(alpha16))]
			} else {
				s8[i], s16[i] = 'a', 'a'
			}
		}
		want8 := start
		for want8 < n && s8[want8] != '"' && s8[want8] != '\\' && s8[want8] >= 0x20 {
			want8++
		}
		if got := scanPlain8(s8, start); got != want8 {
			t.Fatalf("scanPlain8(%x, %d) = %d, want %d", s8, start, got, want8)
		}
		want16, wide := start, false
		for want16 < n && s16[want16] != '"' && s16[want16] != '\\' && s16[want16] >= 0x20 {
			wide = wide || s16[want16] >= 0x100
			want16++
		}
		if got, gw := scanPlain16(s16, start); got != want16 || gw != wide {
			t.Fatalf("scanPlain16(%x, %d) = %d %v, want %d %v", s16, start, got, gw, want16, wide)
		}
	}
}

func TestNarrow(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		u := make([]uint16, r.IntN(30))
		for i := range u {
			u[i] = uint16(r.IntN(0x100))
		}
		dst := make([]byte, len(u))
		narrow(dst, u)
		for i := range u {
			if dst[i] != byte(u[i]) {
				t.Fatalf("narrow(%x) = %x", u, dst)
			}
		}
	}
}

// TestParseFastOutOfMemory: under a memory limit the parse fails midway
// (in strings, objects from cached shapes, first objects, arrays); the
// fast path declines without a pending exception, frees what it built
// and the VM goes on working.
func TestParseFastOutOfMemory(t *testing.T) {
	vm, err := New(Options{MemoryLimit: 6 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer closeVM(t, vm)
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range 20000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"name":"user%d","tags":["a","b"],"k%d":{"x":"%s"}}`, i, i, i%50, strings.Repeat("y", i%100))
	}
	sb.WriteByte(']')
	doc := sb.String()
	for _, wide := range []bool{false, true} {
		u := units(doc)
		text := jsonText(vm, u, wide)
		if text.tag() != tagString {
			t.Fatal("could not make the text under the limit")
		}
		if v, ok := vm.ParseFast(text); ok {
			vm.Free(v)
			t.Fatal("a parse needing far more than the limit succeeded")
		}
		vm.Free(text)
		if vm.HasException() {
			t.Fatal("a declined parse left an exception pending")
		}
		small := vm.String(`[{"id":1,"name":"a"},{"id":2,"name":"b"}]`)
		v, ok := vm.ParseFast(small)
		vm.Free(small)
		if !ok {
			t.Fatal("a small parse after running out of memory failed")
		}
		vm.Free(v)
	}
}
