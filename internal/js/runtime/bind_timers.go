package runtime

import (
	"gnode/internal/js/qjs"
)

// bindTimers is internalBinding('timers'), see bindings/timers.md. The
// Timeout and Immediate objects live in lib/timers.js; Go owns the
// schedule and calls back setup's onTimer(id) / onImmediate(id).
func bindTimers(r *rt, obj qjs.Value) {
	r.fn(obj, "setup", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		vm.FreeAll(r.onTimer, r.onImm)
		r.onTimer = vm.Dup(qjs.Arg(args, 0))
		r.onImm = vm.Dup(qjs.Arg(args, 1))
		return qjs.Undefined, nil
	})
	r.fn(obj, "start", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		delay := vm.Float(qjs.Arg(args, 0))
		if !(delay >= 1 && delay <= 2147483647) {
			delay = 1
		}
		repeat := vm.Truthy(qjs.Arg(args, 1))
		r.nextID++
		id := r.nextID
		tm := r.loop.SetTimer(int64(delay), repeat, func() {
			v, err := vm.Call(r.onTimer, qjs.Undefined, qjs.Int(id))
			vm.Free(v)
			if tt := r.timers[id]; tt != nil && !tt.Active() {
				delete(r.timers, id)
			}
			if err != nil {
				r.handleError(err)
			}
		})
		r.timers[id] = tm
		return qjs.Int(id), nil
	})
	r.fn(obj, "clear", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(args, 0)))
		if t := r.timers[id]; t != nil {
			t.Stop()
			delete(r.timers, id)
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "ref", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		if t := r.timers[int32(vm.Int(qjs.Arg(args, 0)))]; t != nil {
			t.SetRef(vm.Truthy(qjs.Arg(args, 1)))
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "refresh", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(args, 0)))
		if t := r.timers[id]; t != nil {
			t.Refresh()
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "immediate", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		r.nextID++
		id := r.nextID
		r.immediates[id] = r.loop.SetImmediate(func() {
			delete(r.immediates, id)
			v, err := vm.Call(r.onImm, qjs.Undefined, qjs.Int(id))
			vm.Free(v)
			if err != nil {
				r.handleError(err)
			}
		})
		return qjs.Int(id), nil
	})
	r.fn(obj, "clearImmediate", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(args, 0)))
		if im := r.immediates[id]; im != nil {
			im.Clear()
			delete(r.immediates, id)
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "refImmediate", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		if im := r.immediates[int32(vm.Int(qjs.Arg(args, 0)))]; im != nil {
			im.SetRef(vm.Truthy(qjs.Arg(args, 1)))
		}
		return qjs.Undefined, nil
	})
	// microtask(slow) is queueMicrotask's native twin: a function callback
	// goes straight onto the engine's job queue (qjs.VM.EnqueueCall), in
	// the same FIFO as promise jobs, and an exception it throws fails its
	// job, which the runtime's microtask drain reports as uncaught (as
	// node reports a throwing microtask); anything else is slow's call,
	// which throws node's ERR_INVALID_ARG_TYPE.
	r.fn(obj, "microtask", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		slow := r.hold(vm.Dup(qjs.Arg(args, 0)))
		if !vm.IsFunction(slow) {
			return qjs.Undefined, nil
		}
		return vm.Function("queueMicrotask", 1, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if len(a) == 0 || !vm.IsFunction(a[0]) {
				return vm.Call(slow, this, a...)
			}
			return qjs.Undefined, vm.EnqueueCall(a[0])
		}), nil
	})
	r.fn(obj, "now", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Float(float64(r.loop.NowMS())), nil
	})
}
