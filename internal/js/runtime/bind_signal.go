package runtime

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"gnode/internal/js/qjs"
)

// signalNames are the signals process.on can listen to.
var signalNames = sync.OnceValue(func() map[string]syscall.Signal {
	return map[string]syscall.Signal{
		"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
		"SIGTERM": syscall.SIGTERM, "SIGUSR1": syscall.SIGUSR1, "SIGUSR2": syscall.SIGUSR2,
		"SIGPIPE": syscall.SIGPIPE, "SIGWINCH": syscall.SIGWINCH, "SIGCHLD": syscall.SIGCHLD,
		"SIGCONT": syscall.SIGCONT, "SIGTSTP": syscall.SIGTSTP, "SIGALRM": syscall.SIGALRM,
	}
})

type signalWatch struct {
	ch   chan os.Signal
	done chan struct{}
}

// watchSignal(name, on): while on, the signal is delivered to
// process.emit(name) on the loop instead of its default action. Like
// Node's signal handles, a watch does not keep the loop alive.
func (r *rt) watchSignal(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
	name := vm.Str(qjs.Arg(a, 0))
	sig, ok := signalNames()[name]
	if !ok {
		return qjs.False, nil
	}
	if r.signals == nil {
		r.signals = map[string]*signalWatch{}
	}
	w := r.signals[name]
	if vm.Truthy(qjs.Arg(a, 1)) {
		if w != nil {
			return qjs.True, nil
		}
		w = &signalWatch{ch: make(chan os.Signal, 4), done: make(chan struct{})}
		r.signals[name] = w
		signalWatched(sig, 1)
		signal.Notify(w.ch, sig)
		go func() {
			for {
				select {
				case <-w.ch:
					r.loop.Enqueue(func() {
						n := vm.String(name)
						v := r.callHook("emitSignal", n)
						vm.FreeAll(n, v)
					})
				case <-w.done:
					return
				}
			}
		}()
		return qjs.True, nil
	}
	if w != nil {
		signal.Stop(w.ch)
		signalWatched(sig, -1)
		close(w.done)
		delete(r.signals, name)
	}
	return qjs.True, nil
}

func (r *rt) stopSignals() {
	for name, w := range r.signals {
		signal.Stop(w.ch)
		signalWatched(signalNames()[name], -1)
		close(w.done)
		delete(r.signals, name)
	}
}
