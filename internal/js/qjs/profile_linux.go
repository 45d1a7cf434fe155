package qjs

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

const haveProcessCPUTime = true

// processCPUTime is the CPU time of the process so far, in nanoseconds.
func processCPUTime() int64 {
	var ts syscall.Timespec
	const clockProcessCPUTime = 2 // CLOCK_PROCESS_CPUTIME_ID
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// tickTimer is a periodic timerfd read through Go's poller: the kernel
// wakes the poller's thread at each expiry, to the microsecond, and the
// ticker goroutine runs on a free P. (Go's timers tick at best every
// millisecond, and they fire when a P passes through the scheduler,
// often when the loop enters a system call: the samples then favoured
// the loop's writes. A goroutine sleeping in nanosleep holds its P in a
// system call, which the scheduler takes back at every tick: a third
// more CPU per request.)
type tickTimer struct{ f *os.File }

func newTickTimer(d time.Duration) (*tickTimer, error) {
	const clockMonotonic = 1
	fd, _, e := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		return nil, e
	}
	spec := [2]syscall.Timespec{syscall.NsecToTimespec(int64(d)), syscall.NsecToTimespec(int64(d))}
	if _, _, e := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); e != 0 {
		syscall.Close(int(fd))
		return nil, e
	}
	return &tickTimer{os.NewFile(fd, "cpu-prof timer")}, nil
}

// wait blocks until the next expiry; an error once closed.
func (t *tickTimer) wait() error {
	var b [8]byte
	_, err := t.f.Read(b[:])
	return err
}

func (t *tickTimer) close() { t.f.Close() }
