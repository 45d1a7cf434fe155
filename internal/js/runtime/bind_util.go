package runtime

import (
	"gnode/internal/js/qjs"
)

// bindUtil is internalBinding('util_native'), see bindings/util_native.md:
// engine introspection util.inspect needs.
func bindUtil(r *rt, obj qjs.Value) {
	// getPromiseDetails(p) -> [state, result]: state 0 pending, 1
	// fulfilled, 2 rejected; undefined when p is not a promise.
	r.fn(obj, "getPromiseDetails", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p := qjs.Arg(a, 0)
		st := vm.PromiseState(p)
		if st < 0 {
			return qjs.Undefined, nil
		}
		if st == qjs.PromisePending {
			return vm.ArrayOf(qjs.Int(0)), nil
		}
		return vm.ArrayOf(qjs.Int(int32(st)), vm.PromiseResult(p)), nil
	})
	// getProxyDetails(p, full) -> [target, handler] (full) or target;
	// undefined when p is not a proxy.
	r.fn(obj, "getProxyDetails", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		t, h, ok := vm.ProxyTarget(qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, nil
		}
		if len(a) > 1 && !vm.Truthy(a[1]) {
			return vm.Dup(t), nil
		}
		return vm.ArrayOf(vm.Dup(t), vm.Dup(h)), nil
	})
	r.fn(obj, "isProxy", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		_, _, ok := vm.ProxyTarget(qjs.Arg(a, 0))
		return qjs.Bool(ok), nil
	})
	// getClassID(v) -> QuickJS class id, for util.types checks that
	// JavaScript cannot do (isExternal, isModuleNamespaceObject).
	r.fn(obj, "getClassID", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Int(int32(vm.ClassID(qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "isModuleNamespace", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(vm.ClassID(qjs.Arg(a, 0)) == 11), nil
	})
	r.fn(obj, "isError", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(vm.IsError(qjs.Arg(a, 0))), nil
	})
}

// bindUtilInspect is internalBinding('util') as lib/internal/util/inspect.js
// and types.js use it: getPromiseState(p) -> [state, result] and
// getProxyDetails(v) -> [target, handler], undefined for other values.
// previewEntries is absent (QuickJS cannot look inside iterators and weak
// collections), which inspect degrades gracefully without.
func bindUtilInspect(r *rt, obj qjs.Value) {
	r.fn(obj, "getPromiseState", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p := qjs.Arg(a, 0)
		st := vm.PromiseState(p)
		if st < 0 {
			return qjs.Undefined, nil
		}
		if st == qjs.PromisePending {
			return vm.ArrayOf(qjs.Int(0), qjs.Undefined), nil
		}
		return vm.ArrayOf(qjs.Int(int32(st)), vm.PromiseResult(p)), nil
	})
	r.fn(obj, "getProxyDetails", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		t, h, ok := vm.ProxyTarget(qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, nil
		}
		return vm.ArrayOf(vm.Dup(t), vm.Dup(h)), nil
	})
}
