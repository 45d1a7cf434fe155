package qjs

import "syscall"

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
