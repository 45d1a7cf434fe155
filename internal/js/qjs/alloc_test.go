package qjs

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/libquickjs"
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

// Every size up to smallMax maps to the smallest class that holds it;
// classes are 16-byte multiples (the engine's alignment) and past 128
// bytes a block wastes at most a fifth of its slot.
func TestArenaSizeClasses(t *testing.T) {
	prev := uint32(0)
	for c, sz := range classSize {
		if sz <= prev || sz%16 != 0 || sz > smallMax {
			t.Fatalf("class %d: size %d after %d", c, sz, prev)
		}
		prev = sz
	}
	if classSize[numClasses-1] != smallMax {
		t.Fatalf("last class %d, want %d", classSize[numClasses-1], smallMax)
	}
	for size := uintptr(1); size <= smallMax; size++ {
		c := classOf[(size+15)>>4]
		sz := uintptr(classSize[c])
		if sz < size || (c > 0 && uintptr(classSize[c-1]) >= size) {
			t.Fatalf("size %d: class %d of %d bytes", size, c, sz)
		}
		if size > 128 && size < smallMax && (sz-size)*5 > sz {
			t.Fatalf("size %d: slot of %d wastes more than 20%%", size, sz)
		}
	}
}

// testArena is an arena for direct tests, destroyed at the end with no
// slab left holding blocks.
func testArena(t *testing.T) (*arena, *libc.TLS) {
	t.Helper()
	if !bigBlocks {
		t.Skip("arenas exist only on Linux")
	}
	tls := libc.NewTLS()
	h := newArena(tls)
	if h == 0 {
		t.Fatal("newArena: out of memory")
	}
	a := arenaAt(h)
	t.Cleanup(func() {
		if held := a.destroy(tls); held != 0 {
			t.Errorf("destroy: %d slabs still held blocks", held)
		}
		tls.Close()
	})
	return a, tls
}

// Blocks of every class come back disjoint, aligned and as big as asked;
// freeing them all in a scrambled order returns every slab but the few
// kept for reuse.
func TestArenaAllocFree(t *testing.T) {
	a, tls := testArena(t)
	rng := rand.New(rand.NewPCG(1, 2))
	type block struct {
		p    uintptr
		n    uintptr
		fill byte
	}
	var blocks []block
	for round := 0; round < 3; round++ {
		for i := 0; i < 20000; i++ {
			var n uintptr
			switch i % 4 {
			case 0, 1:
				n = uintptr(rng.IntN(128) + 1)
			case 2:
				n = uintptr(rng.IntN(4096) + 1)
			default:
				n = uintptr(rng.IntN(smallMax) + 1)
				if rng.IntN(8) != 0 {
					continue // few big slots: they take a slab or more each
				}
			}
			p := a.alloc(tls, n)
			if p == 0 {
				t.Fatalf("alloc(%d) = 0", n)
			}
			if p%16 != 0 {
				t.Fatalf("alloc(%d) = %#x, not 16-byte aligned", n, p)
			}
			sl := ownSlab(p)
			if sl == nil || sl.arena != uintptr(unsafe.Pointer(a)) || uintptr(sl.size) < n {
				t.Fatalf("alloc(%d) = %#x: slab %+v", n, p, sl)
			}
			b := block{p, n, byte(len(blocks))}
			buf := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
			for j := range buf {
				buf[j] = b.fill
			}
			blocks = append(blocks, b)
		}
		// Free half, scrambled, checking each block kept its bytes (an
		// overlap would have overwritten some).
		rng.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
		keep := len(blocks) / 2
		if round == 2 {
			keep = 0
		}
		for _, b := range blocks[keep:] {
			for j, c := range unsafe.Slice((*byte)(unsafe.Pointer(b.p)), b.n) {
				if c != b.fill {
					t.Fatalf("block %#x (%d bytes) byte %d = %d, want %d", b.p, b.n, j, c, b.fill)
				}
			}
			a.free(tls, ownSlab(b.p), b.p)
		}
		blocks = blocks[:keep]
	}
	// What is left: at most one slab per small class (kept for reuse).
	if a.slabs > numClasses {
		t.Errorf("%d slabs in use after freeing every block", a.slabs)
	}
	for c := range a.avail {
		for h := a.avail[c]; h != 0; h = (*slab)(unsafe.Pointer(h)).next {
			if s := (*slab)(unsafe.Pointer(h)); s.used != 0 {
				t.Errorf("class %d: slab with %d blocks after freeing every block", c, s.used)
			}
		}
	}
}

// A block freed through another arena goes back to its owner, which
// frees it the next time it needs a slab (or when destroyed).
func TestArenaRemoteFree(t *testing.T) {
	a, tls := testArena(t)
	b, tlsB := testArena(t)
	var ps []uintptr
	for i := 0; i < 1000; i++ {
		ps = append(ps, a.alloc(tls, 48))
	}
	for _, p := range ps {
		b.free(tlsB, ownSlab(p), p)
	}
	if atomic.LoadUintptr(&a.remote) == 0 || b.slabs != 0 {
		t.Fatalf("remote frees: a.remote %#x, b.slabs %d", a.remote, b.slabs)
	}
	a.drainRemote(tls)
	if a.remote != 0 {
		t.Fatal("drain left blocks on the remote list")
	}
	for c := range a.avail {
		for h := a.avail[c]; h != 0; h = (*slab)(unsafe.Pointer(h)).next {
			if s := (*slab)(unsafe.Pointer(h)); s.used != 0 {
				t.Errorf("class %d: %d blocks still used after the remote frees", c, s.used)
			}
		}
	}
}

// mallocState is the engine's malloc state of vm's runtime, as the
// allocator functions receive it.
func mallocState(vm *VM) uintptr {
	return uintptr(unsafe.Pointer(&(*lib.TJSRuntime)(unsafe.Pointer(vm.rt)).Fmalloc_ctx.Fmalloc_state))
}

// Reallocation through every allocator (arena classes, libc's middle
// sizes, big mappings) keeps the bytes and the accounting: the
// runtime's malloc size follows the usable size of the block, and comes
// back to where it was once the block is freed.
func TestReallocAcrossAllocators(t *testing.T) {
	vm := newVM(t)
	defer closeVM(t, vm)
	s := mallocState(vm)
	st := (*lib.TJSMallocState)(unsafe.Pointer(s))
	size0, count0 := st.Fmalloc_size, st.Fmalloc_count
	sizes := []libc.Tsize_t{1, 16, 17, 100, 129, 1000, 4096, 5000, 20000, smallMax, smallMax + 1, 100 << 10, bigBlockMin, 300 << 10, 1 << 20, 200 << 10, 90 << 10, 40000, 3000, 200, 24, 8}
	p := jsMalloc(vm.tls, s, 1)
	*(*byte)(unsafe.Pointer(p)) = 0
	have := libc.Tsize_t(1)
	for _, n := range sizes {
		q := jsRealloc(vm.tls, s, p, n)
		if q == 0 {
			t.Fatalf("realloc to %d: 0", n)
		}
		keep := min(have, n)
		for i, c := range unsafe.Slice((*byte)(unsafe.Pointer(q)), keep) {
			if c != byte(i*7) {
				t.Fatalf("realloc to %d: byte %d = %d, want %d", n, i, c, byte(i*7))
			}
		}
		u := jsUsableSize(vm.tls, q)
		if u < n {
			t.Fatalf("realloc to %d: usable %d", n, u)
		}
		if got, want := st.Fmalloc_size, size0+u+mallocOverhead; got != want {
			t.Fatalf("realloc to %d: malloc size %d, want %d", n, got, want)
		}
		buf := unsafe.Slice((*byte)(unsafe.Pointer(q)), n)
		for i := range buf {
			buf[i] = byte(i * 7)
		}
		p, have = q, n
	}
	jsFree(vm.tls, s, p)
	if st.Fmalloc_size != size0 || st.Fmalloc_count != count0 {
		t.Errorf("after free: size %d count %d, want %d %d", st.Fmalloc_size, st.Fmalloc_count, size0, count0)
	}
}

// A block one VM's runtime allocated and another's freed is returned to
// the first arena, not to the second or to libc; both VMs close clean.
func TestCrossVMFree(t *testing.T) {
	if !arenas {
		t.Skip("arenas exist only on Linux")
	}
	a, b := newVM(t), newVM(t)
	sa, sb := mallocState(a), mallocState(b)
	p := jsMalloc(a.tls, sa, 40)
	if sl := slabOwned(p); sl == nil || sl.arena != a.arena {
		t.Fatalf("block %#x is not from a's arena", p)
	}
	jsFree(b.tls, sb, p)
	// The accounting moved with the free; put it back where it belongs.
	account(sb, int64(jsUsableSize(b.tls, p))+mallocOverhead, 1)
	account(sa, -int64(jsUsableSize(a.tls, p))-mallocOverhead, -1)
	if arenaAt(a.arena).remote != p {
		t.Errorf("a's remote list %#x, want the block %#x", arenaAt(a.arena).remote, p)
	}
	closeVM(t, b)
	closeVM(t, a)
}

// Many VMs on many goroutines at once, each allocating and freeing
// through its own arena (run with -race: arenas share no state).
func TestVMsConcurrent(t *testing.T) {
	const vms = 8
	src := `
		let out = 0;
		for (let r = 0; r < 8; r++) {
			const objs = [];
			for (let i = 0; i < 1000; i++) objs.push({ i, s: 'v' + i, a: [i, i + 1], m: new Map([[i, r]]) });
			let s = '';
			for (let i = 0; i < 3000; i++) s += String.fromCharCode(97 + i % 26);
			out += objs.length + s.length + JSON.parse(JSON.stringify(objs.slice(0, 50))).length + (/([a-z]+)z/.exec(s) || [''])[0].length;
		}
		String(out)`
	want := ""
	var wg sync.WaitGroup
	errs := make(chan error, vms)
	results := make(chan string, vms)
	for g := 0; g < vms; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vm, err := New(Options{})
			if err != nil {
				errs <- err
				return
			}
			v, err := vm.Eval(src, "concurrent.js", Script)
			if err != nil {
				errs <- err
				vm.Close()
				return
			}
			results <- vm.Str(v)
			vm.Free(v)
			vm.RunGC()
			errs <- vm.Close()
		}()
	}
	wg.Wait()
	close(errs)
	close(results)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for r := range results {
		if want == "" {
			want = r
		}
		if r != want || r == "" {
			t.Errorf("VM result %q, another VM's %q", r, want)
		}
	}
}

// The arena hands memory back: after the engine frees a large heap of
// small objects, the arena holds few slabs again.
func TestArenaReturnsMemory(t *testing.T) {
	if !arenas {
		t.Skip("arenas exist only on Linux")
	}
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.RunGC()
	a := arenaAt(vm.arena)
	before := a.slabs
	evalString(t, vm, "globalThis.big = []; for (let i = 0; i < 200000; i++) big.push({ i, s: 'k' + i }); 0")
	grown := a.slabs
	if grown < before+100 {
		t.Fatalf("slabs %d -> %d after 200k objects: not from the arena?", before, grown)
	}
	evalString(t, vm, "globalThis.big = undefined; 0")
	vm.RunGC()
	if after := a.slabs; after > before+8 {
		t.Errorf("slabs %d -> %d -> %d: freed objects' slabs were not returned", before, grown, after)
	}
}

// The engine's own small-block work with and without arenas, one VM per
// goroutine: arenas take no lock, libc's allocator serializes them all.
func BenchmarkEngineAlloc(b *testing.B) {
	src := `(() => { let n = 0; for (let i = 0; i < 2000; i++) { const o = { i, s: 'x' + i, a: [i] }; n += o.s.length + o.a.length; } return n; })()`
	for _, on := range []bool{false, true} {
		name := "libc"
		if on {
			name = "arena"
		}
		b.Run(name, func(b *testing.B) {
			if on && !bigBlocks {
				b.Skip("arenas exist only on Linux")
			}
			saved := arenas
			arenas = on
			defer func() { arenas = saved }()
			// CPU time, not wall time, is what a loaded machine lets us
			// compare.
			cpu0 := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }()
			b.RunParallel(func(pb *testing.PB) {
				vm, err := New(Options{})
				if err != nil {
					b.Error(err)
					return
				}
				defer vm.Close()
				for pb.Next() {
					v, err := vm.Eval(src, "bench.js", Script)
					if err != nil {
						b.Error(err)
						return
					}
					vm.Free(v)
				}
			})
		})
	}
}

// cpuTime is the process's user plus system time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// JS function calls on one VM per goroutine. Each bytecode call takes
// alloca memory for its frame, which modernc.org/libc serves from its
// process-wide allocator under one mutex: compare the CPU per op of -cpu
// 1 and -cpu 2 (the "loop" case makes no calls, as a control).
func BenchmarkParallelCalls(b *testing.B) {
	for _, bc := range []struct{ name, src string }{
		{"calls", `(() => { function add(a, b) { return a + b; } let s = 0; for (let i = 0; i < 10000; i++) s = add(s, i) | 0; return s; })()`},
		{"loop", `(() => { let s = 0; for (let i = 0; i < 10000; i++) s = (s + i) | 0; return s; })()`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cpu0 := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }()
			b.RunParallel(func(pb *testing.PB) {
				vm, err := New(Options{})
				if err != nil {
					b.Error(err)
					return
				}
				defer vm.Close()
				for pb.Next() {
					v, err := vm.Eval(bc.src, "bench.js", Script)
					if err != nil {
						b.Error(err)
						return
					}
					vm.Free(v)
				}
			})
		})
	}
}

// Big blocks grow without a copy, in place or moved by mremap to a new
// aligned mapping, and shrink by unmapping their tail; the bytes stay.
func TestGrowShrinkBig(t *testing.T) {
	if !bigBlocks {
		t.Skip("big blocks are mapped only on Linux")
	}
	tls := libc.NewTLS()
	defer tls.Close()
	fill := func(p, n uintptr) {
		for i, b := 0, unsafe.Slice((*byte)(unsafe.Pointer(p)), n); i < len(b); i += 4093 {
			b[i] = byte(i / 4093)
		}
	}
	check := func(what string, p, n uintptr) {
		t.Helper()
		if !isBig(p) || bigLen(p)-bigHeader < n {
			t.Fatalf("%s: %#x is not a big block of %d bytes (len %d)", what, p, n, bigLen(p))
		}
		for i, b := 0, unsafe.Slice((*byte)(unsafe.Pointer(p)), n); i < len(b); i += 4093 {
			if b[i] != byte(i/4093) {
				t.Fatalf("%s: byte %d = %d, want %d", what, i, b[i], byte(i/4093))
			}
		}
	}
	n := uintptr(bigKeepMax + 1) // never taken from or given to the kept list
	p := mapBig(tls, n)
	fill(p, n)
	// A mapping right after the block (when the kernel takes the hint)
	// makes growing in place impossible: the pages must move.
	end := p - bigHeader + bigLen(p)
	blocker := libc.Xmmap(tls, end, osPage, 3, 0x22, -1, 0)
	q := growBig(tls, p, 2*n)
	if q == 0 {
		t.Fatal("growBig: 0")
	}
	t.Logf("blocker at end: %v, moved: %v", blocker == end, q != p)
	if blocker == end && q == p {
		t.Error("grew in place over another mapping")
	}
	libc.Xmunmap(tls, blocker, osPage)
	check("moved", q, n)
	fill(q, 2*n)
	for i := 0; i < 3; i++ {
		n *= 2
		if q = growBig(tls, q, 2*n); q == 0 {
			t.Fatal("growBig: 0")
		}
		check("grown", q, n)
		fill(q, 2*n)
	}
	shrinkBig(tls, q, n/3)
	if l := bigLen(q); l != (n/3+bigHeader+osPage-1)&^(osPage-1) {
		t.Errorf("shrunk to %d bytes: mapping length %d", n/3, l)
	}
	check("shrunk", q, n/3)
	unmapBig(tls, q)
}

// A value leaked past Close (a string is not an object, so the object
// count does not see it) is reported, and its memory stays mapped: Go
// code may still point into it.
func TestLeakedStringReported(t *testing.T) {
	if !arenas {
		t.Skip("arenas exist only on Linux")
	}
	vm := newVM(t)
	v := vm.String(strings.Repeat("leak", 100))
	p := *(*uintptr)(unsafe.Pointer(&v.v.Fu))
	err := vm.Close()
	if !errors.Is(err, ErrLeak) || !strings.Contains(err.Error(), "slabs of engine memory") {
		t.Fatalf("close with a leaked string: %v, want ErrLeak for held slabs", err)
	}
	// JSString: ref count, length, hash, then the Latin-1 bytes.
	if got := string(unsafe.Slice((*byte)(unsafe.Pointer(p+12)), 8)); got != "leakleak" {
		t.Errorf("leaked string's bytes after close: %q", got)
	}
}
