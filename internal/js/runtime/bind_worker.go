package runtime

import (
	"encoding/json"
	"path/filepath"
	"sync"
	"sync/atomic"

	"gnode/internal/js/qjs"
)

// Worker threads: each Worker is a whole run (its own VM, loop and
// goroutine, see Run) linked to its parent by a workerLink. Messages cross
// as strings produced by lib/worker_threads.js's serializer, so no engine
// value ever leaves its VM.

var nextThreadID atomic.Int32

// workerLink joins a parent run and one child run.
type workerLink struct {
	id       int32
	data     string // serialized workerData
	parent   *rt
	parentCB func(kind, payload string) // runs on the parent's loop

	mu     sync.Mutex
	child  *rt      // set once the child's loop exists
	inbox  []string // messages posted before the child started
	ended  bool     // the child run returned
	killed bool     // terminate() asked before the child started
	refd   bool     // the parent loop is held by this worker
}

// deliverToChild queues a message onto the child's loop.
func (w *workerLink) deliverToChild(msg string) {
	w.mu.Lock()
	c := w.child
	if c == nil {
		if !w.ended {
			w.inbox = append(w.inbox, msg)
		}
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	c.loop.Enqueue(func() { c.workerDispatch("message", msg) })
}

// toParent queues an event for the parent's loop.
func (w *workerLink) toParent(kind, payload string) {
	w.parent.loop.Enqueue(func() { w.parentCB(kind, payload) })
}

// workerDispatch calls the child's parentPort handler (set by
// worker_threads.js) on its own loop.
func (r *rt) workerDispatch(kind, payload string) {
	if r.exiting || r.workerHandler.IsUndefined() {
		return
	}
	vm := r.vm
	k, p := vm.String(kind), vm.String(payload)
	v, err := vm.Call(r.workerHandler, qjs.Undefined, k, p)
	vm.FreeAll(k, p, v)
	if err != nil {
		r.handleError(err)
	}
	r.afterCallback()
}

func bindWorker(r *rt, obj qjs.Value) {
	vm := r.vm
	link := r.opts.worker
	info := vm.Object()
	vm.Set(info, "isMainThread", qjs.Bool(link == nil))
	if link != nil {
		vm.Set(info, "threadId", qjs.Int(link.id))
		vm.Set(info, "workerData", vm.String(link.data))
	} else {
		vm.Set(info, "threadId", qjs.Int(0))
	}
	vm.Set(obj, "info", info)

	workers := map[int32]*workerLink{}
	onEvent := qjs.Undefined // parent side: onEvent(id, kind, payload)

	// setParentHandler(fn(kind, payload)): the child's receiver of
	// messages from its parent.
	r.fn(obj, "setParentHandler", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		vm.Free(r.workerHandler)
		r.workerHandler = vm.Dup(qjs.Arg(a, 0))
		return qjs.Undefined, nil
	})
	// setWorkerHandler(fn(id, kind, payload)): the parent's receiver of
	// events from its workers ("online", "message", "error", "exit").
	r.fn(obj, "setWorkerHandler", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		onEvent = vm.Dup(qjs.Arg(a, 0))
		r.held = append(r.held, onEvent)
		return qjs.Undefined, nil
	})
	// refParent(bool): the child's loop stays alive while parentPort has
	// 'message' listeners, as in Node.
	parentRefd := false
	r.fn(obj, "refParent", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		on := vm.Truthy(qjs.Arg(a, 0))
		if on != parentRefd {
			parentRefd = on
			if on {
				r.loop.Ref()
			} else {
				r.loop.Unref()
			}
		}
		return qjs.Undefined, nil
	})
	// postToParent(serialized)
	r.fn(obj, "postToParent", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if link != nil {
			link.toParent("message", vm.Str(qjs.Arg(a, 0)))
		}
		return qjs.Undefined, nil
	})
	// reportError(serialized): the child's uncaught exception, for the
	// parent's 'error' event (the child then exits with 1).
	r.fn(obj, "reportError", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if link != nil {
			link.toParent("error", vm.Str(qjs.Arg(a, 0)))
		}
		return qjs.Undefined, nil
	})
	// spawn(filename, isEval, serializedData, argvJSON) -> threadId
	r.fn(obj, "spawn", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		w := &workerLink{id: nextThreadID.Add(1), data: vm.Str(qjs.Arg(a, 2)), parent: r, refd: true}
		opts := r.opts
		opts.worker = w
		// The parent's writers were made shareable at its start if it
		// might have children; see Run.
		opts.Preload, opts.Print, opts.StdinScript, opts.Stdin = nil, false, false, nil
		opts.HasEval, opts.Eval, opts.Script = false, "", ""
		opts.Args = nil
		// argv arrives as a JSON array of strings.
		_ = json.Unmarshal([]byte(vm.Str(qjs.Arg(a, 3))), &opts.Args)
		if vm.Truthy(qjs.Arg(a, 1)) {
			opts.HasEval, opts.Eval = true, vm.Str(qjs.Arg(a, 0))
		} else {
			opts.Script = vm.Str(qjs.Arg(a, 0))
			if !filepath.IsAbs(opts.Script) {
				opts.Script = filepath.Join(r.opts.Cwd, opts.Script)
			}
		}
		workers[w.id] = w
		w.parentCB = func(kind, payload string) {
			if kind == "exit" {
				delete(workers, w.id)
				if w.refd {
					w.refd = false
					r.loop.Unref()
				}
			}
			if r.exiting || onEvent.IsUndefined() {
				return
			}
			id, k, p := qjs.Int(w.id), vm.String(kind), vm.String(payload)
			v, err := vm.Call(onEvent, qjs.Undefined, id, k, p)
			vm.FreeAll(k, p, v)
			if err != nil {
				r.handleError(err)
			}
			r.afterCallback()
		}
		r.loop.Ref()
		go func() {
			code := Run(opts)
			w.mu.Lock()
			w.ended, w.child, w.inbox = true, nil, nil
			w.mu.Unlock()
			w.toParent("exit", itoa(code))
		}()
		return qjs.Int(w.id), nil
	})
	// post(id, serialized)
	r.fn(obj, "post", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if w := workers[int32(vm.Int(qjs.Arg(a, 0)))]; w != nil {
			w.deliverToChild(vm.Str(qjs.Arg(a, 1)))
		}
		return qjs.Undefined, nil
	})
	// terminate(id): stop the worker as soon as possible (exit code 1).
	r.fn(obj, "terminate", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if w := workers[int32(vm.Int(qjs.Arg(a, 0)))]; w != nil {
			w.mu.Lock()
			c := w.child
			if c == nil {
				w.killed = true
			}
			w.mu.Unlock()
			if c != nil {
				c.terminate()
			}
		}
		return qjs.Undefined, nil
	})
	// ref(id, bool): worker.ref()/unref().
	r.fn(obj, "ref", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if w := workers[int32(vm.Int(qjs.Arg(a, 0)))]; w != nil {
			on := vm.Truthy(qjs.Arg(a, 1))
			if on != w.refd {
				w.refd = on
				if on {
					r.loop.Ref()
				} else {
					r.loop.Unref()
				}
			}
		}
		return qjs.Undefined, nil
	})
}

// terminate ends a worker's run from another goroutine: the interrupt
// stops running JavaScript, the loop stops at its next check.
func (r *rt) terminate() {
	r.killed.Store(true)
	r.vm.Interrupt()
	r.loop.Stop()
}

// startWorker attaches a child run to its link once its loop exists and
// delivers the messages posted before.
func (r *rt) startWorker() bool {
	w := r.opts.worker
	w.mu.Lock()
	w.child = r
	inbox, killed := w.inbox, w.killed
	w.inbox = nil
	w.mu.Unlock()
	if killed {
		return false
	}
	for _, m := range inbox {
		m := m
		r.loop.Enqueue(func() { r.workerDispatch("message", m) })
	}
	w.toParent("online", "")
	return true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
