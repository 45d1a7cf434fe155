//go:build linux

// Package exepages keeps the gnode binary's read-only pages from inflating
// a process's resident memory.
//
// gnode is one 45 MB binary carrying the JavaScript engine, the package
// manager, the registry and the bundler; any one command runs a small part
// of it. When a code page faults in, Linux also maps the neighbouring
// pages already in the page cache ("fault-around", up to 64 KB and more
// with large folios), so a short `gnode -e 0` ends up with some 17 MB of
// the binary resident, most of it code it never ran. Marking those
// mappings MADV_RANDOM turns fault-around (and readahead) off for them:
// only pages actually used are mapped, at the cost of one minor fault per
// page. The pages stay in the page cache, so nothing is read from disk
// again.
package exepages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Advice values for Apply.
const (
	// Random disables fault-around for the binary's read-only mappings.
	Random = syscall.MADV_RANDOM
	// Drop unmaps them (they fault back in on use): for a long-running
	// process after start-up.
	Drop = syscall.MADV_DONTNEED
)

// Apply gives advice to every read-only mapping (code, rodata, pclntab) of
// the running executable and returns the bytes covered. Writable segments
// are never touched. Errors are ignored: this tunes resident memory, not
// behaviour.
func Apply(advice int) (n int) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 00400000-0127d000 r-xp 00000000 fe:00 10975213 /path/to/gnode
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != exe {
			continue
		}
		if perms := fields[1]; perms != "r-xp" && perms != "r--p" {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), uintptr(advice)); errno == 0 {
			n += int(end - start)
		}
	}
	return n
}
