package registry

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseExecutablePages drops this process's mappings of the gnode
// binary's read-only segments (code, rodata, pclntab). The binary carries
// the JavaScript runtime, the bundler and the package manager too; start-up
// and the kernel's large-folio fault-around map most of its 45 MB into the
// process although the registry never runs that code. MADV_DONTNEED on a
// private, never-written file mapping only removes page-table entries: the
// pages stay in the page cache and code that does run is mapped back on its
// next use by a minor fault. Writable segments are never touched (that
// would reset data to the file's contents). Errors are ignored: this is an
// optimisation of resident memory, not of correctness.
func releaseExecutablePages() (released int) {
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
		// 00402000-0123f000 r-xp 00002000 fe:00 10086330 /path/to/gnode
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
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED); errno == 0 {
			released += int(end - start)
		}
	}
	return released
}
