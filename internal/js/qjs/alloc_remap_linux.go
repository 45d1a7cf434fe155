package qjs

import (
	"bytes"
	"os"
	"sync"
	"syscall"
)

const (
	mremapMaymove = 1
	mremapFixed   = 2
)

// mremap is Linux's mremap(2); it returns the new address, or ^0.
func mremap(old, oldLen, newLen uintptr, flags int, newAddr uintptr) uintptr {
	r, _, errno := syscall.Syscall6(syscall.SYS_MREMAP, old, oldLen, newLen, uintptr(flags), newAddr, 0)
	if errno != 0 {
		return ^uintptr(0)
	}
	return r
}

// adviseHuge asks for transparent huge pages over [p, p+n) (p and n
// multiples of 2 MiB), and with collapse also for the pages already
// touched there to be moved into huge pages now. It reports whether the
// kernel took the advice; a failed collapse is ignored (the kernel's
// background collapsing may still get to them).
func adviseHuge(p, n uintptr, collapse bool) bool {
	const madvHugepage, madvCollapse = 14, 25
	if thpNever() {
		return false
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, p, n, madvHugepage); errno != 0 {
		return false
	}
	if collapse {
		syscall.Syscall(syscall.SYS_MADVISE, p, n, madvCollapse)
	}
	return true
}

// thpNever reports whether the administrator switched transparent huge
// pages off, which MADV_COLLAPSE would not respect.
var thpNever = sync.OnceValue(func() bool {
	b, _ := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return bytes.Contains(b, []byte("[never]"))
})
