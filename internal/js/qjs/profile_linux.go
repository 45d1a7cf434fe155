package qjs

import (
	"syscall"
	"time"
)

const haveNanosleep = true

// preciseSleep sleeps d in the kernel (the thread blocks; Go hands its P
// to another thread meanwhile).
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
