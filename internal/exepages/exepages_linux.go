//go:build linux

// Package exepages keeps the gnode binary's read-only pages from inflating
// a process's resident memory.
//
// gnode is one 45 MB binary carrying the JavaScript engine, the package
// manager, the registry and the bundler; any one command runs a small part
// of it. Package initialisation and the kernel's (large-folio) fault-around
// map far more of it than a command uses: a bare `gnode -e 0` ended with
// 17 MB of the binary resident. Release drops those mappings; what is used
// afterwards faults back in from the page cache.
package exepages

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Release drops this process's mappings of the running binary's read-only
// segments (code, rodata, pclntab) and returns the bytes of address space
// released. MADV_DONTNEED on a private file mapping whose pages were never
// written only removes page-table entries: the pages stay in the page
// cache and code that does run is mapped back on its next use by a minor
// fault.
//
// A mapping holding any anonymous page is left alone: those are pages the
// process wrote (copy-on-write), such as a GOT that a dynamic loader
// relocates and then makes read-only (GNU_RELRO, an r--p mapping of the
// binary); dropping them would silently restore the file's unrelocated
// bytes. Writable mappings are never touched. Errors are ignored: this
// saves resident memory, correctness never depends on it.
func Release() int {
	if n, ok := releaseStatic(); ok {
		return n
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0
	}
	return ReleaseFile(exe)
}

// ReleaseFile drops the read-only private mappings of file path that hold
// no anonymous page, returning how many bytes of address space it released.
func ReleaseFile(path string) (released int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0
	}
	defer f.Close()
	type mapping struct {
		start, end uint64
		eligible   bool // read-only, private, of the executable
		anonymous  bool // has copy-on-write pages (or the field was unreadable)
	}
	var cur *mapping
	flush := func() {
		if cur == nil || !cur.eligible || cur.anonymous {
			return
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(cur.start), uintptr(cur.end-cur.start), syscall.MADV_DONTNEED); errno == 0 {
			released += int(cur.end - cur.start)
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			// A mapping's header: 00402000-0123f000 r-xp 00002000 fe:00 10086330 /path/to/gnode
			flush()
			cur = &mapping{anonymous: true}
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 != nil || err2 != nil || end <= start || len(fields) < 6 {
				continue
			}
			cur.start, cur.end = start, end
			perms := fields[1]
			cur.eligible = fields[5] == path && (perms == "r-xp" || perms == "r--p")
			continue
		}
		if cur != nil && fields[0] == "Anonymous:" && len(fields) >= 2 {
			n, err := strconv.ParseUint(fields[1], 10, 64)
			cur.anonymous = err != nil || n != 0
		}
	}
	flush()
	return released
}

// releaseStatic is Release for a statically linked, position-dependent
// executable (what CGO_ENABLED=0 builds): its program headers give the
// read-only segments' addresses, so there is no /proc/self/smaps to read,
// whose page-table walk cost a runtime start about 0.3 ms, and no written
// page to keep (nothing relocates such a binary; it has no RELRO segment).
// Only whole pages inside each segment are dropped. ok is false for any
// other binary; Release then goes through smaps.
func releaseStatic() (released int, ok bool) {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var eh [64]byte
	if _, err := io.ReadFull(f, eh[:]); err != nil {
		return 0, false
	}
	le := binary.LittleEndian
	const etExec = 2
	if string(eh[:4]) != "\x7fELF" || eh[4] != 2 /* 64-bit */ || eh[5] != 1 /* little-endian */ || le.Uint16(eh[16:]) != etExec {
		return 0, false
	}
	phoff, phentsize, phnum := le.Uint64(eh[32:]), int(le.Uint16(eh[54:])), int(le.Uint16(eh[56:]))
	if phentsize < 56 || phnum == 0 || phnum > 64 {
		return 0, false
	}
	ph := make([]byte, phentsize*phnum)
	if _, err := f.ReadAt(ph, int64(phoff)); err != nil {
		return 0, false
	}
	const (
		ptLoad     = 1
		ptDynamic  = 2
		ptInterp   = 3
		ptGNURelro = 0x6474e552
		pfW        = 2
	)
	type span struct{ start, end uint64 }
	var spans []span
	page := uint64(os.Getpagesize())
	for i := 0; i < phnum; i++ {
		h := ph[i*phentsize:]
		switch le.Uint32(h) {
		case ptDynamic, ptInterp, ptGNURelro:
			return 0, false
		case ptLoad:
			if le.Uint32(h[4:])&pfW != 0 {
				continue
			}
			vaddr, filesz := le.Uint64(h[16:]), le.Uint64(h[32:])
			start, end := (vaddr+page-1)&^(page-1), (vaddr+filesz)&^(page-1)
			if end > start {
				spans = append(spans, span{start, end})
			}
		}
	}
	for _, s := range spans {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(s.start), uintptr(s.end-s.start), syscall.MADV_DONTNEED); errno == 0 {
			released += int(s.end - s.start)
		}
	}
	return released, true
}
