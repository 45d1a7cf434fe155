package qjs

import (
	"bytes"
	"strings"
	"testing"
)

// TestViews checks the layout-reading accessors against what the engine's
// public API and JavaScript itself say about the same values.
func TestViews(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	cases := []struct {
		src   string
		want  []byte
		ok    bool
		uint8 bool
	}{
		{`new Uint8Array([1, 2, 3])`, []byte{1, 2, 3}, true, true},
		{`new Uint8Array(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2)`, []byte{8, 7}, true, true},
		{`new Uint16Array([0x0201, 0x0403])`, []byte{1, 2, 3, 4}, true, false},
		{`new Float64Array(1)`, make([]byte, 8), true, false},
		{`new Int8Array([-1])`, []byte{0xff}, true, false},
		{`new Uint8ClampedArray([300])`, []byte{255}, true, false},
		{`new Uint8Array(0)`, []byte{}, true, true},
		{`(() => { const a = new ArrayBuffer(4); const u = new Uint8Array(a); a.transfer(); return u; })()`, []byte{}, true, true},
		{`new DataView(new Uint8Array([5, 6, 7]).buffer, 1)`, []byte{6, 7}, true, false},
		{`new Uint8Array([4, 5]).buffer`, []byte{4, 5}, true, false},
		{`({length: 2, 0: 1, 1: 2})`, nil, false, false},
		{`[1, 2]`, nil, false, false},
		{`"ab"`, nil, false, false},
		{`(class extends Uint8Array {}).from([7])`, []byte{7}, true, true},
	}
	for _, c := range cases {
		v, err := vm.Eval(c.src, "views.js", Script)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		b, ok := vm.ViewBytes(v)
		if ok != c.ok || !bytes.Equal(b, c.want) || (ok && b == nil) {
			t.Errorf("ViewBytes(%s) = %v, %v; want %v, %v", c.src, b, ok, c.want, c.ok)
		}
		if want, _ := vm.TypedArrayBytes(v); ok && len(want) > 0 && !bytes.Equal(b, want) {
			t.Errorf("ViewBytes(%s) = %v, TypedArrayBytes %v", c.src, b, want)
		}
		u, uok := vm.Uint8ArrayBytes(v)
		if uok != c.uint8 || IsUint8Array(v) != c.uint8 || (uok && !bytes.Equal(u, c.want)) {
			t.Errorf("Uint8ArrayBytes(%s) = %v, %v; want uint8 %v", c.src, u, uok, c.uint8)
		}
		vm.Free(v)
	}
	if _, ok := vm.ViewBytes(Int(1)); ok {
		t.Error("ViewBytes(1) ok")
	}
}

func TestNewLatin1AndUTF8String(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	s, mem, ok := vm.NewLatin1(3)
	if !ok || len(mem) != 3 {
		t.Fatalf("NewLatin1(3) = %v, %d", ok, len(mem))
	}
	copy(mem, []byte{'a', 0xe9, 'z'})
	if got := vm.Str(s); got != "aéz" {
		t.Errorf("latin1 string = %q", got)
	}
	vm.Free(s)
	for _, n := range []int{0, -1, 1<<30 + 1} {
		if _, _, ok := vm.NewLatin1(n); ok {
			t.Errorf("NewLatin1(%d) ok", n)
		}
	}
	for _, in := range []string{"", "plain", "héllo ✓ 😀"} {
		v := vm.UTF8String([]byte(in))
		if got := vm.Str(v); got != in {
			t.Errorf("UTF8String(%q) = %q", in, got)
		}
		vm.Free(v)
	}
}

func TestNewUint8View(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	setup, err := vm.Eval(`(() => {
		class Fast extends Uint8Array {}
		Fast.prototype.tag = 'fast';
		return { proto: Fast.prototype, ab: new Uint8Array([1, 2, 3, 4, 5]).buffer, Fast };
	})()`, "view.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(setup)
	proto, ab := vm.GetV(setup, "proto"), vm.GetV(setup, "ab")
	defer vm.FreeAll(proto, ab)
	if n, ok := ArrayBufferLen(ab); !ok || n != 5 {
		t.Fatalf("ArrayBufferLen = %d, %v", n, ok)
	}
	v, ok := vm.NewUint8View(ab, 1, 3, proto)
	if !ok {
		t.Fatal("NewUint8View failed")
	}
	check, _ := vm.Eval(`((s, v) => [v instanceof s.Fast, v.tag, v.length, v.byteOffset, v.buffer === s.ab, Array.from(v).join(), Object.getPrototypeOf(v) === s.Fast.prototype].join(' '))`, "check.js", Script)
	res, err := vm.Call(check, Undefined, setup, v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := vm.Str(res), "true fast 3 1 true 2,3,4 true"; got != want {
		t.Errorf("view: %q, want %q", got, want)
	}
	vm.FreeAll(res, check, v)
	for _, r := range [][2]int{{0, 6}, {6, 0}, {-1, 1}, {2, 4}, {5, -1}} {
		if v, ok := vm.NewUint8View(ab, r[0], r[1], proto); ok {
			vm.Free(v)
			t.Errorf("NewUint8View(%d, %d) ok", r[0], r[1])
		}
	}
	if v, ok := vm.NewUint8View(ab, 5, 0, proto); !ok {
		t.Error("an empty view at the end failed")
	} else {
		vm.Free(v)
	}
	if v, ok := vm.NewUint8View(proto, 0, 0, proto); ok {
		vm.Free(v)
		t.Error("a view of a non-ArrayBuffer was made")
	}
	z := vm.NewArrayBufferZero(16)
	if b, ok := vm.ArrayBufferBytes(z); !ok || !bytes.Equal(b, make([]byte, 16)) {
		t.Errorf("NewArrayBufferZero(16) = %v, %v", b, ok)
	}
	vm.Free(z)
}

func TestUint8ArrayRangeAndKeys(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	o, err := vm.Eval(`(() => {
		const ab = new ArrayBuffer(10);
		const sym = Symbol('state');
		return { ab, view: new Uint8Array(ab, 3, 4), u16: new Uint16Array(ab), empty: new Uint8Array(0), sym, obj: { [sym]: 42, plain: 'p' } };
	})()`, "range.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(o)
	get := func(name string) Value { return vm.GetV(o, name) }
	ab, view, u16, empty, sym, obj := get("ab"), get("view"), get("u16"), get("empty"), get("sym"), get("obj")
	defer vm.FreeAll(ab, view, u16, empty, sym, obj)
	got, off, n, ok := vm.Uint8ArrayRange(view)
	if !ok || !got.Same(ab) || off != 3 || n != 4 {
		t.Errorf("Uint8ArrayRange(view) = %v %d %d %v", got.Same(ab), off, n, ok)
	}
	for _, v := range []Value{u16, empty, ab, Int(1)} {
		if _, _, _, ok := vm.Uint8ArrayRange(v); ok {
			t.Errorf("Uint8ArrayRange of a non-Uint8Array or empty view ok")
		}
	}
	k, err := vm.KeyOf(sym)
	if err != nil {
		t.Fatal(err)
	}
	v, err := vm.GetKey(obj, k)
	if err != nil || vm.Int(v) != 42 {
		t.Errorf("GetKey(symbol) = %d, %v", vm.Int(v), err)
	}
	p, _ := vm.GetKey(obj, vm.Key("plain"))
	if vm.Str(p) != "p" {
		t.Errorf("GetKey(plain) = %q", vm.Str(p))
	}
	vm.Free(p)
}

func TestShapeOf(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	ex, _ := vm.Eval(`({ read: 0, written: 0 })`, "shape.js", Script)
	s, ok := vm.ShapeOf(ex)
	vm.Free(ex)
	if !ok {
		t.Fatal("ShapeOf({read, written}) failed")
	}
	o := vm.NewObjectOf(s, Int(3), vm.String("w"))
	check, _ := vm.Eval(`((o) => JSON.stringify(o) + ' ' + Object.keys(o) + ' ' + (Object.getPrototypeOf(o) === Object.prototype) + ' ' + JSON.stringify(Object.getOwnPropertyDescriptor(o, 'written')))`, "check.js", Script)
	res, err := vm.Call(check, Undefined, o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"read":3,"written":"w"} read,written true {"value":"w","writable":true,"enumerable":true,"configurable":true}`
	if got := vm.Str(res); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	vm.FreeAll(res, check, o)
	for _, src := range []string{`[1]`, `Object.defineProperty({}, 'x', { value: 1 })`, `({ get x() { return 1; } })`, `(() => { const o = { a: 1, b: 2 }; delete o.a; return o; })()`, `1`} {
		v, _ := vm.Eval(src, "shape.js", Script)
		if _, ok := vm.ShapeOf(v); ok {
			t.Errorf("ShapeOf(%s) ok", src)
		}
		vm.Free(v)
	}
}

func TestArrayElems(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	for _, tc := range []struct {
		src  string
		want string // elements joined by ",", or "-" when declined
	}{
		{"[1, 'a', true]", "1,a,true"},
		{"[]", ""},
		{"[1, , 3]", "-"},
		{"const a = [1, 2]; a.length = 3; a", "-"},
		{"const a = [1, 2, 3]; a.length = 2; a", "1,2"},
		{"new Proxy([1], {})", "-"},
		{"({ 0: 1, length: 1 })", "-"},
		{"const a = []; a[5] = 1; a", "-"},
		{"const a = [1]; a.x = 2; a", "1"},
		{"'str'", "-"},
	} {
		body := tc.src
		if i := strings.LastIndex(body, "; "); i >= 0 {
			body = body[:i+2] + "return " + body[i+2:]
		} else {
			body = "return " + body
		}
		v, err := vm.Eval("(() => { "+body+" })()", "t.js", Script)
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if els, ok := ArrayElems(v); ok {
			parts := make([]string, len(els))
			for i, e := range els {
				parts[i] = vm.Str(e)
			}
			got = strings.Join(parts, ",")
		}
		vm.Free(v)
		if got != tc.want {
			t.Errorf("ArrayElems(%s) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestOwnData(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	v, err := vm.Eval("globalThis.o = function f() {}; o.a = 1; o.size = 8; o", "t.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(v)
	k := vm.Key("size")
	var c SlotCache
	read := func() string {
		r, ok := OwnData(v, k, &c)
		if !ok {
			return "-"
		}
		return vm.Str(r)
	}
	for _, step := range []struct{ src, want string }{
		{"", "8"},
		{"o.size = 16", "16"},
		{"o.b = 2; o.size = 'x'", "x"},
		{"delete o.a", "x"},
		{"delete o.size", "-"},
		{"o.size = 32", "32"},
		{"Object.defineProperty(o, 'size', { get() { return 64 }, configurable: true })", "-"},
		{"Object.defineProperty(o, 'size', { value: 128, writable: true, configurable: true })", "128"},
		{"Object.setPrototypeOf(o, { size: 1 }); delete o.size", "-"},
	} {
		if step.src != "" {
			r, err := vm.Eval(step.src, "t.js", Script)
			if err != nil {
				t.Fatal(err)
			}
			vm.Free(r)
		}
		if got := read(); got != step.want {
			t.Errorf("after %q: OwnData = %s, want %s", step.src, got, step.want)
		}
	}
	arr, _ := vm.Eval("[1, 2]", "t.js", Script)
	defer vm.Free(arr)
	if _, ok := OwnData(arr, vm.Key("length"), &c); ok {
		t.Error("OwnData read an exotic object's slot")
	}
}

func TestUTF8StringASCII(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	for _, s := range []string{"a", "hello", "exactly8", "seventeen chars!!", "GET /api/v1/users/12345?fields=name,email HTTP/1.1", "héllo", "ascii then ✓", "\x7f\x00\x01", "\x80"} {
		v := vm.UTF8String([]byte(s))
		want := s
		if s == "\x80" {
			want = "\ufffd" // the engine's replacement (callers validate first)
		}
		if got := vm.Str(v); got != want {
			t.Errorf("UTF8String(%q) = %q", s, got)
		}
		vm.Free(v)
	}
}
