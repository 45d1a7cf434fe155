package qjs

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// thpEligible reads /proc/self/smaps: whether the mapping holding addr may
// be backed by transparent huge pages (found is false when no mapping
// holds it).
func thpEligible(t *testing.T, addr uintptr) (eligible, found bool) {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(line, ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(addr) >= a && uint64(addr) < b
				continue
			}
		}
		if in {
			if v, ok := strings.CutPrefix(line, "THPeligible:"); ok {
				return strings.TrimSpace(v) == "1", true
			}
		}
	}
	return false, false
}

// An arena's chunks are 2 MiB aligned. The first hugeAfterChunks keep
// 4 KiB pages (small programs keep the resident size they touch); once it
// maps more, every chunk, the first ones included, may be huge pages. The
// cache of empty slabs then follows the slabs in use: after everything is
// freed it holds at most a chunk's worth.
func TestArenaHugeChunks(t *testing.T) {
	a, tls := testArena(t)
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || strings.Contains(string(b), "[never]") {
		t.Skip("no transparent huge pages here")
	}
	var blocks []uintptr
	alloc := func() {
		p := a.alloc(tls, 4096)
		if p == 0 {
			t.Fatal("alloc: out of memory")
		}
		*(*byte)(unsafe.Pointer(p)) = byte(len(blocks))
		blocks = append(blocks, p)
	}
	for a.chunks < hugeAfterChunks {
		alloc()
	}
	for i, c := range a.first {
		if c == 0 || c%chunkBytes != 0 {
			t.Fatalf("chunk %d at %#x: not 2 MiB aligned", i, c)
		}
	}
	if always, _ := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); !strings.Contains(string(always), "[always]") {
		if eligible, found := thpEligible(t, a.first[0]); !found || eligible {
			t.Fatalf("first chunk before the threshold: eligible %v (mapping found: %v), want 4 KiB pages", eligible, found)
		}
	}
	for a.chunks <= hugeAfterChunks+1 {
		alloc()
	}
	if !a.huge {
		t.Fatalf("%d chunks mapped and the arena did not switch to huge pages", a.chunks)
	}
	last := blocks[len(blocks)-1] &^ (chunkBytes - 1)
	for _, c := range []uintptr{a.first[0], a.first[hugeAfterChunks-1], last} {
		if eligible, found := thpEligible(t, c); !found || !eligible {
			t.Errorf("chunk %#x: huge-page eligible %v (mapping found: %v), want true", c, eligible, found)
		}
	}
	for i, p := range blocks {
		if got := *(*byte)(unsafe.Pointer(p)); got != byte(i) {
			t.Fatalf("block %d reads %d after the collapse, want %d", i, got, byte(i))
		}
		a.free(tls, ownSlab(p), p)
	}
	if a.nEmpty > keepEmptyHuge {
		t.Errorf("%d empty slabs cached after freeing everything (%d in use), want at most %d", a.nEmpty, a.slabs, keepEmptyHuge)
	}
}

// A big engine heap walked in address-unrelated order, with the arena's
// chunks on 4 KiB pages and on huge pages: the cycle collector's full walk
// (RunGC) and JavaScript reading one property of objects picked across
// the heap.
func BenchmarkHeapWalk(b *testing.B) {
	for _, huge := range []bool{false, true} {
		name := "4k"
		if huge {
			name = "huge"
		}
		b.Run(name, func(b *testing.B) {
			if !bigBlocks {
				b.Skip("arenas exist only on Linux")
			}
			saved := hugeChunks
			hugeChunks = huge
			defer func() { hugeChunks = saved }()
			vm := newVM(b)
			defer closeVM(b, vm)
			// 200k objects of a few shapes, each holding a string and a
			// small array; the array keeps them in creation order, the
			// reads go through a stride that crosses the heap.
			v, err := vm.Eval(`globalThis.objs = [];
for (let i = 0; i < 200000; i++) objs.push(i % 3 ? { v: i, s: 'k' + i, a: [i] } : { v: i, t: i, s: 'k' + i });
globalThis.walk = () => { let n = 0; const len = objs.length; for (let i = 0, j = 0; i < len; i++, j = (j + 7919) % len) n += objs[j].v; return n; };
''`, "<bench>", Script)
			if err != nil {
				b.Fatal(err)
			}
			vm.Free(v)
			walk, err := vm.Eval(`walk`, "<bench>", Script)
			if err != nil {
				b.Fatal(err)
			}
			defer vm.Free(walk)
			if a := arenaAt(vm.arena); huge != (a.chunks > hugeAfterChunks) && huge {
				b.Fatalf("%d chunks: the heap did not pass the threshold", a.chunks)
			}
			// CPU time as well: on a loaded machine wall time mostly
			// measures the wait for a CPU.
			b.Run("gc", func(b *testing.B) {
				cpu0 := cpuTime()
				defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }()
				for i := 0; i < b.N; i++ {
					vm.RunGC()
				}
			})
			b.Run("read", func(b *testing.B) {
				cpu0 := cpuTime()
				defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }()
				for i := 0; i < b.N; i++ {
					r, err := vm.Call(walk, Undefined)
					if err != nil {
						b.Fatal(err)
					}
					vm.Free(r)
				}
			})
		})
	}
}
