package runtime

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Node resets every signal to its default action when it starts (so a
// SIGINT or SIGHUP that the parent shell ignored still ends it). Go's
// runtime instead keeps an inherited SIGINT or SIGHUP ignored, ignores
// SIGUSR2 and SIGALRM unless notified, and turns SIGQUIT into a
// goroutine dump with exit status 2. InstallSignalDefaults
// makes a gnode process act like node: each of these signals that no
// JavaScript listener handles ends the process by that very signal, as
// its default action would. SIGPIPE is ignored, as node ignores it: a
// write to a closed stdout is an EPIPE 'error' on process.stdout, not the
// end of the process.
var sigDefaults struct {
	once    sync.Once
	mu      sync.Mutex
	watched map[syscall.Signal]int // JavaScript watches across all VMs of the process
}

// defaultActionSignals are those node leaves at their default action
// (terminate, or terminate with a core dump) and Go does not, plus
// SIGTERM (Go's action is node's; listed so a profile is written first).
var defaultActionSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR2, syscall.SIGALRM}

// InstallSignalDefaults is called once by the command that runs a program
// (not by Run: a test binary running programs in-process keeps Go's
// signal handling).
// beforeDeath, if not nil, runs before a signal ends the process.
func InstallSignalDefaults(beforeDeath func()) {
	sigDefaults.once.Do(func() {
		ch := make(chan os.Signal, 8)
		signal.Notify(ch, defaultActionSignals...)
		signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
		go func() {
			for s := range ch {
				sig := s.(syscall.Signal)
				sigDefaults.mu.Lock()
				n := sigDefaults.watched[sig]
				sigDefaults.mu.Unlock()
				if n == 0 {
					if beforeDeath != nil {
						beforeDeath()
					}
					dieBySignal(sig)
				}
			}
		}()
	})
}

// signalWatched counts a JavaScript watch of sig starting (+1) or ending (-1).
func signalWatched(sig syscall.Signal, delta int) {
	sigDefaults.mu.Lock()
	if sigDefaults.watched == nil {
		sigDefaults.watched = map[syscall.Signal]int{}
	}
	sigDefaults.watched[sig] += delta
	sigDefaults.mu.Unlock()
}

// dieBySignal ends the process by sig with its default action, so the
// parent sees the same wait status as for node; exit status 128+sig if
// the signal did not end it.
func dieBySignal(sig syscall.Signal) {
	if setDefaultAction(sig) {
		syscall.Kill(os.Getpid(), sig)
		time.Sleep(100 * time.Millisecond)
	}
	os.Exit(128 + int(sig))
}
