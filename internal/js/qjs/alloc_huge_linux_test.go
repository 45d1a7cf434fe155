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
