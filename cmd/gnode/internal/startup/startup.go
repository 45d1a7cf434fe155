// Package startup holds process settings that must take effect before the
// rest of gnode's package initialisation runs. It imports only the runtime,
// syscall and internal/pm/early (which imports nothing larger), so Go's
// initialisation order (dependencies first, then import path order) runs
// it ahead of the large packages (modernc's libc and QuickJS, esbuild,
// x/text) whose initialisation allocates.
package startup

import (
	"runtime"
	"syscall"

	"gnode/internal/pm/early"
)

func init() {
	runtime.MemProfileRate = memProfileRate(runtime.MemProfileRate)
	// A warm install's layout starts now, on the core the rest of the
	// initialisation leaves idle (see package early).
	early.Start()
}

// memProfileRate is the allocation sampling rate gnode runs with. The
// binary links runtime/pprof (CPU profiles), so Go samples one allocation
// per 512 KB by default: each sample unwinds the stack and files it in a
// 1.4 MB bucket table, page faults included, in every process. Only
// GNODE_INSTALL_HEAPPROFILE reads those samples; without it (and without
// an explicit GODEBUG memprofilerate) sampling is turned off.
func memProfileRate(current int) int {
	if _, ok := syscall.Getenv("GNODE_INSTALL_HEAPPROFILE"); ok {
		return current
	}
	if d, _ := syscall.Getenv("GODEBUG"); contains(d, "memprofilerate=") {
		return current
	}
	return 0
}

// contains is strings.Contains, written out so that this package imports
// nothing that would make it wait in the initialisation order.
func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
