//go:build linux

package qjs

import (
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
)

// isolatedScripts exercise what the compiler turns into constants and
// nested functions; each evaluates to a string, and the last line of
// each names the position of a thrown error.
var isolatedScripts = []struct{ name, src string }{
	{"closures", `let n = 0; function outer(a) { return function inner(b) { return () => a + b + (++n); }; }
String(outer(1)(2)()) + String(outer(3)(4)())`},
	{"literals", "const re = /a(?<x>b+)c/gu; const t = (s, ...v) => s.raw.join('|') + v.join();\n" +
		"[re.exec('xabbbc').groups.x, t`a${1}b\\n${2}`, 10n ** 20n, 0.1 + 0.2, 'é☃😀', `multi\nline`].join(';')"},
	{"classes", `class A { #p = 1; static s = 'S'; get p() { return this.#p; } *g() { yield this.#p; yield 2; } }
class B extends A { async m() { return super.p; } }
const b = new B(); [A.s, b.p, [...b.g()].join(), typeof b.m, b instanceof A].join()`},
	{"stack", "function where() {\n  return new Error('x').stack.split('\\n')[1].trim();\n}\nwhere()"},
	{"labels and switch", `let out = []; outer: for (let i = 0; i < 4; i++) { switch (i) { case 1: continue outer; case 3: break outer; default: out.push(i); } }
out.join()`},
}

// mapped copies b into memory outside the Go heap, as the runtime's
// callers give it (the engine's pointer arithmetic over a Go slice trips
// checkptr under -race).
func mapped(t *testing.T, b []byte) []byte {
	t.Helper()
	m, err := syscall.Mmap(-1, 0, len(b)+1, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(m) })
	copy(m, b)
	return m[:len(b)]
}

// cSource is src with its terminating zero byte, outside the Go heap.
func cSource(t *testing.T, src string) []byte {
	return mapped(t, append([]byte(src), 0))
}

func compileIsolatedValue(t *testing.T, vm *VM, src, file string, strip bool) string {
	t.Helper()
	var bc []byte
	err := CompileIsolated(cSource(t, src), file, IsolatedOptions{StripSource: strip}, func(b []byte) error {
		bc = mapped(t, b)
		return nil
	})
	if err != nil {
		t.Fatalf("CompileIsolated: %v", err)
	}
	f, err := vm.ReadBytecode(bc)
	if err != nil {
		t.Fatalf("ReadBytecode: %v", err)
	}
	v, err := vm.EvalFunction(f)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	defer vm.Free(v)
	return vm.Str(v)
}

// TestCompileIsolated: bytecode compiled in a runtime of its own runs in
// a VM as the same script compiled there does, stack positions included.
func TestCompileIsolated(t *testing.T) {
	for _, tc := range isolatedScripts {
		t.Run(tc.name, func(t *testing.T) {
			vm, other := newVM(t), newVM(t)
			defer closeVM(t, vm)
			defer closeVM(t, other)
			want := evalString(t, vm, tc.src)
			if got := compileIsolatedValue(t, other, tc.src, "test.js", false); got != want {
				t.Errorf("isolated: %q, want %q", got, want)
			}
			inVM, err := vm.Compile(tc.src, "test.js", Script)
			if err != nil {
				t.Fatal(err)
			}
			var isolated []byte
			CompileIsolated(cSource(t, tc.src), "test.js", IsolatedOptions{}, func(b []byte) error {
				isolated = append([]byte(nil), b...)
				return nil
			})
			if string(isolated) != string(inVM) {
				t.Errorf("isolated bytecode (%d bytes) differs from the VM's (%d bytes)", len(isolated), len(inVM))
			}
		})
	}
	if n := len(*liveHeaps.Load()); n != 0 {
		t.Errorf("%d page heaps still registered", n)
	}
}

// TestCompileIsolatedStripSource: with StripSource, functions keep no
// text, as VM.SetStripSource gives.
func TestCompileIsolatedStripSource(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	src := "(function named(a) { return a; }).toString()"
	if got := compileIsolatedValue(t, vm, src, "t.js", false); got != "function named(a) { return a; }" {
		t.Errorf("kept source: %q", got)
	}
	vm.SetStripSource(true)
	want := evalString(t, vm, src)
	vm.SetStripSource(false)
	if got := compileIsolatedValue(t, vm, src, "t.js", true); got != want || strings.Contains(got, "return a") {
		t.Errorf("stripped: %q, want %q", got, want)
	}
}

func TestCompileIsolatedErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"syntax", "let x = ;\x00", "SyntaxError"},
		{"no terminator", "1 + 1", "zero byte"},
		{"empty", "", "zero byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			src := []byte(tc.src)
			if len(src) > 0 {
				src = mapped(t, src)
			}
			err := CompileIsolated(src, "bad.js", IsolatedOptions{}, func([]byte) error { called = true; return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) || called {
				t.Errorf("err %v (emit called %v), want one mentioning %q", err, called, tc.want)
			}
		})
	}
	if n := len(*liveHeaps.Load()); n != 0 {
		t.Errorf("%d page heaps still registered", n)
	}
}

// testHeap is a page heap with a malloc state for driving its malloc
// functions directly.
type testHeap struct {
	h  *pageHeap
	st *lib.TJSMallocState
	s  uintptr
}

func newTestHeap(t *testing.T) *testHeap {
	h := newPageHeap()
	if h == nil {
		t.Fatal("newPageHeap: no memory")
	}
	// The state lives outside the Go heap, as the engine's does.
	mem := mapped(t, make([]byte, unsafe.Sizeof(lib.TJSMallocState{})))
	st := (*lib.TJSMallocState)(unsafe.Pointer(unsafe.SliceData(mem)))
	*st = lib.TJSMallocState{Fmalloc_limit: ^libc.Tsize_t(0), Fopaque: uintptr(unsafe.Pointer(h))}
	th := &testHeap{h: h, st: st, s: uintptr(unsafe.Pointer(st))}
	t.Cleanup(func() {
		if th.h.bigCount != 0 {
			t.Errorf("%d big blocks still mapped", th.h.bigCount)
		}
		th.h.destroy()
	})
	return th
}

func fill(p uintptr, n int, seed byte) {
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
}

func check(t *testing.T, p uintptr, n int, seed byte) {
	t.Helper()
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
	for i := range b {
		if b[i] != seed+byte(i*7) {
			t.Fatalf("block %#x byte %d of %d: %d, want %d", p, i, n, b[i], seed+byte(i*7))
		}
	}
}

// TestPageHeap drives the heap through random mallocs, reallocs (within
// and across classes and tiers) and frees, checking every block's bytes
// and the accounting, then that nothing is left.
func TestPageHeap(t *testing.T) {
	th := newTestHeap(t)
	rng := rand.New(rand.NewSource(1))
	type block struct {
		p    uintptr
		n    int
		seed byte
	}
	var live []block
	size := func() int {
		switch rng.Intn(10) {
		case 0:
			return 32<<10 + rng.Intn(300<<10) // big
		case 1, 2:
			return 4096 - rng.Intn(64) // QuickJS's arenas
		default:
			return 1 + rng.Intn(3000)
		}
	}
	for i := 0; i < 20000; i++ {
		switch op := rng.Intn(10); {
		case op < 5 || len(live) == 0:
			n := size()
			p := phMalloc(nil, th.s, libc.Tsize_t(n))
			if p == 0 {
				t.Fatalf("malloc %d failed", n)
			}
			if u := phUsableSize(nil, p); int(u) < n {
				t.Fatalf("usable %d < %d", u, n)
			}
			b := block{p, n, byte(i)}
			fill(p, n, b.seed)
			live = append(live, b)
		case op < 7:
			k := rng.Intn(len(live))
			b := live[k]
			n := size()
			q := phRealloc(nil, th.s, b.p, libc.Tsize_t(n))
			if q == 0 {
				t.Fatalf("realloc %d -> %d failed", b.n, n)
			}
			check(t, q, min(b.n, n), b.seed)
			b.p, b.n, b.seed = q, n, byte(i)
			fill(q, n, b.seed)
			live[k] = b
		default:
			k := rng.Intn(len(live))
			check(t, live[k].p, live[k].n, live[k].seed)
			phFree(nil, th.s, live[k].p)
			live[k] = live[len(live)-1]
			live = live[:len(live)-1]
		}
	}
	for _, b := range live {
		check(t, b.p, b.n, b.seed)
		phFree(nil, th.s, b.p)
	}
	if th.st.Fmalloc_size != 0 || th.st.Fmalloc_count != 0 {
		t.Errorf("accounting after freeing everything: %d bytes in %d blocks", th.st.Fmalloc_size, th.st.Fmalloc_count)
	}
	for si := 0; si < th.h.carved; si++ {
		if m := &th.h.meta[si]; m.used != 0 {
			t.Errorf("slab %d: %d slots still used", si, m.used)
		}
	}
}

// TestPageHeapReturnsPages: pages whose blocks are all freed leave the
// resident set (mincore), while a page holding a live block stays.
func TestPageHeapReturnsPages(t *testing.T) {
	th := newTestHeap(t)
	const n = 600 // 600-byte blocks: several per page, some across two
	var ps []uintptr
	for i := 0; i < n; i++ {
		p := phMalloc(nil, th.s, 600)
		fill(p, 600, byte(i))
		ps = append(ps, p)
	}
	keep := ps[n/2]
	for _, p := range ps {
		if p != keep {
			phFree(nil, th.s, p)
		}
	}
	th.h.purge()
	first, last := ps[0]&^(phPage-1), (ps[n-1]+600+phPage-1)&^(phPage-1)
	vec := make([]byte, (last-first)/phPage)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, first, last-first, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Skipf("mincore: %v", e)
	}
	resident := 0
	for i, v := range vec {
		pg := first + uintptr(i)*phPage
		in := v&1 != 0
		if in {
			resident++
		}
		if holdsKeep := keep < pg+phPage && keep+600 > pg; holdsKeep && !in {
			t.Errorf("page %#x holding a live block was dropped", pg)
		}
	}
	if resident > 2 {
		t.Errorf("%d of %d pages still resident with one 600-byte block alive", resident, len(vec))
	}
	check(t, keep, 600, byte(n/2%256))
	phFree(nil, th.s, keep)
}

// TestCompileIsolatedProgress: the progress function runs as the
// compiler allocates, about once a megabyte.
func TestCompileIsolatedProgress(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("function f" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "(a) { return [a, a + 1, { k: a }]; }\n")
	}
	calls := 0
	err := CompileIsolated(cSource(t, b.String()), "big.js", IsolatedOptions{Progress: func() { calls++ }}, func([]byte) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 {
		t.Errorf("progress called %d times compiling 1 MB of functions, want several", calls)
	}
}

// TestCompileIsolatedModule: an ES module compiled in a runtime of its
// own reads back as the same module bytecode the VM writes for it.
func TestCompileIsolatedModule(t *testing.T) {
	src := "export const x = 6 * 7;\nexport function where() { return new Error('m').stack; }\nexport default import.meta;\n"
	var isolated []byte
	err := CompileIsolated(cSource(t, src), "file:///m.mjs", IsolatedOptions{Module: true}, func(b []byte) error {
		isolated = append([]byte(nil), b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	vm := newVM(t)
	defer closeVM(t, vm)
	m, err := vm.Eval(src, "file:///m.mjs", Module|CompileOnly)
	if err != nil {
		t.Fatal(err)
	}
	inVM, err := vm.WriteBytecode(m)
	vm.Free(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(isolated) != string(inVM) {
		t.Errorf("isolated module bytecode (%d bytes) differs from the VM's (%d bytes)", len(isolated), len(inVM))
	}
	if err := CompileIsolated(cSource(t, "export const = 1;"), "file:///bad.mjs", IsolatedOptions{Module: true}, func([]byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "SyntaxError") {
		t.Errorf("syntax error: %v", err)
	}
}
