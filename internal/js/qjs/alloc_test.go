package qjs

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Big blocks are mapped apart from libc's allocator and unmapped when
// freed: the engine's accounting must come back to where it started, and
// strings, arrays and buffers living in big blocks must read back intact
// through growth (realloc across the threshold) and shrinking.
func TestBigBlocks(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.RunGC()
	before := vm.MemoryUsage().MallocSize
	for _, tc := range []struct{ src, want string }{
		// A 4 MB string: one big block.
		{"let s = 'x'.repeat(4 << 20); s.length + ':' + s.charCodeAt(4194303)", "4194304:120"},
		// An array grown by push from small to big, element by element.
		{"let a = []; for (let i = 0; i < 200000; i++) a.push(i); a.length + ':' + a[199999] + ':' + a[12345]", "200000:199999:12345"},
		// Shrinking it again (realloc down across the threshold).
		{"a.length = 10; for (let i = 0; i < 5; i++) a.push(-i); a.join()", "0,1,2,3,4,5,6,7,8,9,0,-1,-2,-3,-4"},
		// An ArrayBuffer made big by resizing.
		{"let b = new ArrayBuffer(16, { maxByteLength: 1 << 22 }); new Uint8Array(b)[3] = 7; b.resize(1 << 21); (() => { const u = new Uint8Array(b); u[(1 << 21) - 1] = 9; return u[3] + ':' + u[(1 << 21) - 1]; })()", "7:9"},
	} {
		if got := evalString(t, vm, tc.src); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
		}
	}
	if grown := vm.MemoryUsage().MallocSize; grown < before+4<<20 {
		t.Errorf("malloc size %d after building a 4 MB string, from %d: big blocks are not accounted", grown, before)
	}
	evalString(t, vm, "s = a = b = undefined; 0")
	vm.RunGC()
	if after := vm.MemoryUsage().MallocSize; after > before+1<<20 {
		t.Errorf("malloc size %d after freeing, from %d", after, before)
	}
}

// The memory limit still holds for blocks mapped directly.
func TestBigBlocksMemoryLimit(t *testing.T) {
	vm, err := New(Options{MemoryLimit: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer closeVM(t, vm)
	_, err = vm.Eval("'y'.repeat(16 << 20)", "limit.js", Script)
	var je *JSError
	if !errors.As(err, &je) || !strings.Contains(je.Error(), "out of memory") {
		t.Fatalf("a 16 MB string under an 8 MB limit: err = %v, want out of memory", err)
	}
	je.Release()
	if got := evalString(t, vm, "'ok'.repeat(2)"); got != "okok" {
		t.Errorf("after the failed allocation: %q", got)
	}
}

func TestEvalWrapped(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	for _, tc := range []struct{ name, body, want string }{
		{"ascii", "return a + 1;", "2"},
		{"latin-1", "return a + ' é ÿ'.length + ' é';", "5 é"},
		{"wide", "return a + '☃ 😀'.length + '☃😀';", "5☃😀"},
		{"big latin-1", "return a + '" + strings.Repeat("é", 1<<17) + "'.length;", "131073"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := vm.String(tc.body)
			defer vm.Free(body)
			fn, ok, err := vm.EvalWrapped("(function (a) {", body, "\n})", "wrapped.js", Script)
			if !ok || err != nil {
				t.Fatalf("EvalWrapped: ok=%v err=%v", ok, err)
			}
			defer vm.Free(fn)
			r, err := vm.Call(fn, Undefined, Int(1))
			if err != nil {
				t.Fatal(err)
			}
			defer vm.Free(r)
			if got := vm.Str(r); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// A lone surrogate becomes U+FFFD, as String conversion gives it.
	lone, err := vm.Eval(`"return '\uD800x';"`, "lone.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(lone)
	fn, _, err := vm.EvalWrapped("(function () {", lone, "\n})", "lone.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(fn)
	r, _ := vm.Call(fn, Undefined)
	defer vm.Free(r)
	if got := vm.Str(r); got != "\uFFFDx" {
		t.Errorf("lone surrogate: %q", got)
	}
	if _, ok, _ := vm.EvalWrapped("(", Int(3), ")", "n.js", Script); ok {
		t.Error("EvalWrapped of a number: ok, want not a string")
	}
	// Errors are positioned in the assembled source, named as given.
	body := vm.String("\n\n  throw new Error('boom');")
	defer vm.Free(body)
	fn2, _, err := vm.EvalWrapped("(function () {", body, "\n})", "where.js", Script)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(fn2)
	_, err = vm.Call(fn2, Undefined)
	if !errors.As(err, new(*JSError)) || !strings.Contains(err.(*JSError).Stack, "where.js:3") {
		t.Errorf("stack of a throw on line 3: %v", err)
	}
	releaseErr(err)
}

func releaseErr(err error) {
	var je *JSError
	if errors.As(err, &je) {
		je.Release()
	}
}

func TestWriteBytecodeTo(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	f, err := vm.Eval("(function (x) { return x * 6 + 'é☃'; })", "bc.js", Script|CompileOnly)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := vm.WriteBytecodeTo(f, &buf); err != nil {
		t.Fatal(err)
	}
	want, err := vm.WriteBytecode(f)
	vm.Free(f)
	if err != nil || !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("WriteBytecodeTo differs from WriteBytecode (err %v)", err)
	}
	g, err := vm.ReadBytecode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	fn, err := vm.EvalFunction(g)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(fn)
	r, err := vm.Call(fn, Undefined, Int(7))
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Free(r)
	if got := vm.Str(r); got != "42é☃" {
		t.Errorf("round trip: %q", got)
	}
	if _, err := vm.ReadBytecode(buf.Bytes()[:buf.Len()/2]); err == nil {
		t.Error("truncated bytecode read without error")
	} else {
		releaseErr(err)
	}
}

// Freed big blocks up to bigKeepMax are kept for the next request that
// fits (and read back as fresh memory through the engine); bigger ones
// and those past bigKeepTotal go back to the OS.
func TestBigBlocksKept(t *testing.T) {
	if !bigBlocks {
		t.Skip("big blocks are mapped only on Linux")
	}
	vm := newVM(t)
	defer closeVM(t, vm)
	for i := 0; i < 3; i++ {
		if got := evalString(t, vm, "(() => { const s = String(globalThis.k = 'y'.repeat(3 << 20)); return s.length + ':' + s[5] })()"); got != "3145728:y" {
			t.Fatalf("round %d: %q", i, got)
		}
		evalString(t, vm, "globalThis.k = undefined; 0")
	}
	n := uintptr(1<<20+bigHeader+osPage-1) &^ (osPage - 1)
	p := mapBig(vm.tls, 1<<20)
	unmapBig(vm.tls, p)
	if q := mapBig(vm.tls, 1<<20); q != p {
		t.Errorf("a freed 1 MiB block was not reused: %#x then %#x", p, q)
	} else if l := bigLen(q); l < n || l >= 2*n {
		t.Errorf("reused block length %d, want at least %d and less than twice that", l, n)
	} else {
		unmapBig(vm.tls, q)
	}
	big := mapBig(vm.tls, bigKeepMax+1)
	unmapBig(vm.tls, big)
	bigKept.Lock()
	for _, b := range bigKept.blocks {
		if b == big {
			t.Errorf("a block over bigKeepMax was kept")
		}
	}
	if bigKept.total > bigKeepTotal {
		t.Errorf("kept %d bytes, more than %d", bigKept.total, bigKeepTotal)
	}
	bigKept.Unlock()
}
