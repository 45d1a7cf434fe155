package qjs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unsafe"

	lib "modernc.org/libquickjs"
)

// The fast path reads engine structs at fixed places; a libquickjs
// upgrade that moves them must fail here, not corrupt output.
func TestJSONFastLayout(t *testing.T) {
	if got := unsafe.Sizeof(lib.TJSShape{}); got != 56 {
		t.Fatalf("JSShape is %d bytes, the fast path expects 56", got)
	}
}

func jsonProtos(t *testing.T, vm *VM) (JSONProtos, func()) {
	op, err := vm.Eval("Object.prototype", "protos.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	ap, err := vm.Eval("Array.prototype", "protos.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	return NewJSONProtos(op, ap), func() { vm.FreeAll(op, ap) }
}

// checkJSON compares StringifyFast with the engine's JSON.stringify for
// the value src evaluates to. wantFast says whether the fast path must
// take it.
func checkJSON(t *testing.T, vm *VM, protos JSONProtos, src, indent string, wantFast bool) {
	t.Helper()
	v, err := vm.Eval("("+src+")", "json.js", Script)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	defer vm.Free(v)
	g := vm.Global()
	defer vm.Free(g)
	vm.Set(g, "__v", vm.Dup(v))
	vm.Set(g, "__ind", vm.String(indent))
	ref, err := vm.Eval("JSON.stringify(__v, null, __ind)", "json.js", Script)
	if err != nil {
		if wantFast {
			t.Fatalf("%s: engine threw %v", src, err)
		}
		return
	}
	defer vm.Free(ref)
	out, ok := vm.StringifyFast(v, indent, protos)
	if ok != wantFast {
		t.Fatalf("%s: fast path taken = %v, want %v", src, ok, wantFast)
	}
	if !ok {
		return
	}
	if want := vm.Str(ref); string(out) != want {
		t.Fatalf("%s (indent %q):\nfast   %s\nengine %s", src, indent, out, want)
	}
	// StringifyFastValue makes the JS string itself (a plain copy when
	// ASCII): the same code units as the engine's result.
	sv, ok := vm.StringifyFastValue(v, indent, protos)
	if !ok {
		t.Fatalf("%s: StringifyFastValue declined what StringifyFast took", src)
	}
	defer vm.Free(sv)
	if !vm.StrictEquals(sv, ref) {
		t.Fatalf("%s (indent %q): StringifyFastValue %q, engine %q", src, indent, vm.Str(sv), vm.Str(ref))
	}
}

func TestStringifyFast(t *testing.T) {
	vm := newVM(t)
	protos, done := jsonProtos(t, vm)
	defer done()
	fast := []string{
		`{}`, `[]`, `{"a":1,"b":"x","c":[1,2,{"d":null}],"e":true,"f":false}`,
		`{"u":undefined,"s":Symbol("x"),"k":1}`, `[undefined, Symbol("y"), 3]`,
		`"plain"`, `"quote\" back\\ nl\n tab\t ctl\u0001 del\u007f"`, `"caf\u00e9 \u2603 \ud83d\ude00 lone \ud800 end \udc00"`,
		`1.5`, `-0`, `1e21`, `1e-7`, `123456789012345680000`, `0.000001`, `NaN`, `-Infinity`, `2**53`, `-1.7976931348623157e308`, `5e-324`,
		`(() => { const a = [1,2,3]; a.length = 6; return a; })()`,
		`(() => { const o = {a:1, b:2, c:3}; delete o.b; return o; })()`,
		`Object.create(null)`, `(() => { const o = Object.create(null); o.x = [1]; return o; })()`,
		`(() => { const o = {}; Object.defineProperty(o, "hidden", {value: 1, enumerable: false}); o.v = 2; return o; })()`,
		`(() => { let s = ""; for (let i = 0; i < 3000; i++) s += "ab\u00e9"; return {s}; })()`,
		`JSON.parse('{"z":1,"a":[{"b":"c"}],"n":-12.5e3}')`,
		`Array.from({length: 50}, (_, i) => ({i, s: "v" + i, f: i / 7}))`,
		`{"__proto__x": 1, "4294967295": 2, "-1": 3, "01": 4}`,
	}
	for _, src := range fast {
		for _, ind := range []string{"", "  ", "\t", "--", "é"} {
			checkJSON(t, vm, protos, src, ind, true)
		}
	}
	slow := []string{
		`{"1": 1, "a": 2}`, `{"toJSON"() { return 1; }}`, `{get g() { return 1; }}`, `new Date(0)`,
		`10n`, `{f() {}}`, `(() => { const o = {}; o.o = o; return o; })()`, `new (class K { constructor() { this.a = 1; } })()`,
		`new Number(3)`, `new Map()`, `(() => { const a = []; a[5] = 1; a.x = 2; return a; })()`, `undefined`, `Symbol("s")`,
		`[1, [2, [3, {k: 10n}]]]`, `new Proxy({}, {})`, `new Uint8Array(2)`,
	}
	for _, src := range slow {
		checkJSON(t, vm, protos, src, "", false)
	}
}

// TestStringifyFastRandom builds random plain values and compares the
// fast path with the engine, numbers included.
func TestStringifyFastRandom(t *testing.T) {
	vm := newVM(t)
	protos, done := jsonProtos(t, vm)
	defer done()
	r := rand.New(rand.NewPCG(1, 2))
	var gen func(depth int) string
	str := func() string {
		var b strings.Builder
		b.WriteByte('"')
		for range r.IntN(8) {
			switch r.IntN(5) {
			case 0:
				fmt.Fprintf(&b, `\u%04x`, r.IntN(0x10000))
			case 1:
				fmt.Fprintf(&b, `\u%04x`, r.IntN(0x100))
			default:
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	num := func() string {
		switch r.IntN(4) {
		case 0:
			return strconv.Itoa(r.IntN(2000) - 1000)
		case 1:
			return strconv.FormatFloat(math.Float64frombits(r.Uint64()), 'g', -1, 64)
		case 2:
			return strconv.FormatFloat(r.NormFloat64()*math.Pow(10, float64(r.IntN(50)-25)), 'g', -1, 64)
		default:
			return strconv.FormatFloat(float64(r.IntN(1e6))/float64(1+r.IntN(1000)), 'g', -1, 64)
		}
	}
	gen = func(depth int) string {
		k := r.IntN(8)
		if depth > 3 {
			k = r.IntN(5)
		}
		switch k {
		case 0:
			return num()
		case 1:
			return str()
		case 2:
			return []string{"true", "false", "null", "undefined"}[r.IntN(4)]
		case 3, 4:
			return num()
		case 5, 6:
			var parts []string
			for range r.IntN(5) {
				parts = append(parts, str()+":"+gen(depth+1))
			}
			return "{" + strings.Join(parts, ",") + "}"
		default:
			var parts []string
			for range r.IntN(5) {
				parts = append(parts, gen(depth+1))
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
	}
	for i := 0; i < 3000; i++ {
		src := gen(0)
		if strings.Contains(src, "NaN") || strings.Contains(src, "Inf") {
			continue
		}
		// Keys that are integers make the fast path decline; that is
		// checked above, so keep keys non-numeric here.
		checkJSON(t, vm, protos, src, []string{"", " "}[i%2], !strings.HasPrefix(src, "undefined") && !hasIntKey(vm, src))
	}
}

func hasIntKey(vm *VM, src string) bool {
	v, err := vm.Eval(`(function f(v) { if (Array.isArray(v)) return v.some(f); if (v && typeof v === "object") { for (const k of Object.keys(v)) { if (String(k >>> 0) === k && k !== "4294967295" || f(v[k])) return true; } } return false; })(`+src+`)`, "k.js", Script)
	if err != nil {
		return true
	}
	defer vm.Free(v)
	return vm.Truthy(v)
}

// TestJSONFastBig: outputs past jsonKeepBuf and arrays past jsonKeepVals
// grow in mappings (growMapped); the results must still be the engine's,
// for ASCII and non-ASCII output, with and without indentation, and the
// next (small) call must not see the released buffers.
func TestJSONFastBig(t *testing.T) {
	vm := newVM(t)
	protos, done := jsonProtos(t, vm)
	defer done()
	for _, src := range []string{
		`Array.from({length: 150000}, (_, i) => ({i, s: "value" + i, f: i / 3}))`,
		`Array.from({length: 90000}, (_, i) => ({k: "caf\u00e9 " + i, n: [i, -i]}))`,
		`({big: "x".repeat(3 << 20), small: 1})`,
	} {
		for _, ind := range []string{"", "  "} {
			checkJSON(t, vm, protos, src, ind, true)
		}
		checkJSON(t, vm, protos, `{"after": [1, "two"]}`, "", true)
	}
	e := newEngineParser(t, vm)
	defer e.close()
	text := `[` + strings.Repeat(`{"a":1,"b":"x"},[2,3],"s",`, 40000) + `null]`
	u := utf16.Encode([]rune(text))
	for range 2 {
		checkParseBoth(t, vm, e, u)
	}
	checkParseBoth(t, vm, e, utf16.Encode([]rune(`[1,{"z":[]}]`)))
}
