package runtime

import (
	"syscall"
	"unsafe"
)

// setDefaultAction sets sig's disposition to SIG_DFL behind the Go
// runtime's back (os/signal cannot: Reset restores an inherited SIG_IGN).
// Only used on the way out of the process.
func setDefaultAction(sig syscall.Signal) bool {
	var act struct {
		handler  uintptr // SIG_DFL
		flags    uint64
		restorer uintptr
		mask     uint64
	}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
	return errno == 0
}
