package runtime

// internalBinding('broadcast'): BroadcastChannel across the runs of one
// process (the main thread and its worker_threads), for
// lib/internal/broadcast_channel.js (see bindings/broadcast.md). Messages
// are strings made by worker_threads' structured-clone serializer, so no
// engine value leaves its VM; each is queued onto every other open channel
// of the same name, in the order posted, each run's on its own loop.

import (
	"sync"

	"gnode/internal/js/qjs"
)

type bcSub struct {
	r    *rt
	run  *bcRun
	id   int32
	name string
	open bool     // loop goroutine of r only
	hold loopHold // loop goroutine of r only
}

// bcRun is one run's side: its channels and the JS receiver.
type bcRun struct {
	subs     map[int32]*bcSub
	next     int32
	dispatch qjs.Value
}

var broadcastHub = struct {
	mu    sync.Mutex
	names map[string]map[*bcSub]struct{}
}{names: map[string]map[*bcSub]struct{}{}}

func bcLeave(s *bcSub) {
	broadcastHub.mu.Lock()
	defer broadcastHub.mu.Unlock()
	if set := broadcastHub.names[s.name]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(broadcastHub.names, s.name)
		}
	}
}

func bindBroadcast(r *rt, obj qjs.Value) {
	run := &bcRun{subs: map[int32]*bcSub{}, dispatch: qjs.Undefined}
	// setDispatch(fn(id, payload)): the receiver of this run's messages.
	r.fn(obj, "setDispatch", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if !vm.IsFunction(run.dispatch) {
			run.dispatch = vm.Dup(qjs.Arg(a, 0))
			r.held = append(r.held, run.dispatch)
		}
		return qjs.Undefined, nil
	})
	// open(name) → id: a channel that receives what others post on name.
	r.fn(obj, "open", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		run.next++
		s := &bcSub{r: r, run: run, id: run.next, name: vm.Str(qjs.Arg(a, 0)), open: true}
		run.subs[s.id] = s
		broadcastHub.mu.Lock()
		set := broadcastHub.names[s.name]
		if set == nil {
			set = map[*bcSub]struct{}{}
			broadcastHub.names[s.name] = set
		}
		set[s] = struct{}{}
		broadcastHub.mu.Unlock()
		return qjs.Int(s.id), nil
	})
	// post(id, payload): queue payload for every other channel of the
	// same name, in this and other runs.
	r.fn(obj, "post", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		from := run.subs[int32(vm.Int(qjs.Arg(a, 0)))]
		if from == nil {
			return qjs.Undefined, nil
		}
		payload := vm.Str(qjs.Arg(a, 1))
		broadcastHub.mu.Lock()
		var to []*bcSub
		for s := range broadcastHub.names[from.name] {
			switch {
			case s.r.killed.Load():
				// A terminated worker ran no exit code to leave.
				delete(broadcastHub.names[from.name], s)
			case s != from:
				to = append(to, s)
			}
		}
		broadcastHub.mu.Unlock()
		for _, s := range to {
			s := s
			s.r.loop.Enqueue(func() { s.r.bcDeliver(s, payload) })
		}
		return qjs.Undefined, nil
	})
	// close(id): stop receiving; the channel no longer holds the loop.
	r.fn(obj, "close", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		if s := run.subs[id]; s != nil {
			s.open = false
			s.hold.unref()
			delete(run.subs, id)
			bcLeave(s)
		}
		return qjs.Undefined, nil
	})
	// ref(id, on): whether the channel holds the loop (it does while it
	// has 'message' listeners and is not unref'd, as in Node).
	r.fn(obj, "ref", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s := run.subs[int32(vm.Int(qjs.Arg(a, 0)))]; s != nil {
			if vm.Truthy(qjs.Arg(a, 1)) {
				s.hold.ref(r.loop)
			} else {
				s.hold.unref()
			}
		}
		return qjs.Undefined, nil
	})
	// closeAll(): at exit, leave every channel so other runs stop queueing
	// onto this one.
	r.fn(obj, "closeAll", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		for id, s := range run.subs {
			s.open = false
			s.hold.unref()
			delete(run.subs, id)
			bcLeave(s)
		}
		return qjs.Undefined, nil
	})
}

// bcDeliver runs on s's loop.
func (r *rt) bcDeliver(s *bcSub, payload string) {
	if !s.open || r.exiting {
		return
	}
	run := s.run
	vm := r.vm
	if !vm.IsFunction(run.dispatch) {
		return
	}
	p := vm.String(payload)
	res, err := vm.Call(run.dispatch, qjs.Undefined, qjs.Int(s.id), p)
	vm.FreeAll(p, res)
	if err != nil {
		r.handleError(err)
	}
}
