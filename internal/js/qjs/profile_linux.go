package qjs

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

const haveProcessCPUTime = true

// processCPUTime is the CPU time of the process so far, in nanoseconds.
func processCPUTime() int64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts)
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
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	every := unix.NsecToTimespec(int64(d))
	spec := unix.ItimerSpec{Interval: every, Value: every}
	if err := unix.TimerfdSettime(fd, 0, &spec, nil); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &tickTimer{os.NewFile(uintptr(fd), "cpu-prof timer")}, nil
}

// wait blocks until the next expiry; an error once closed.
func (t *tickTimer) wait() error {
	var b [8]byte
	_, err := t.f.Read(b[:])
	return err
}

func (t *tickTimer) close() { t.f.Close() }
