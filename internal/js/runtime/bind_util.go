package runtime

import (
	"gnode/internal/js/qjs"
	"sync"
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
	// getConstructorName(obj) -> the engine's class name of obj, as V8's
	// GetConstructorName gives for objects without a usable constructor
	// (null prototypes): "Object", "Array", "Map", ...
	r.fn(obj, "getConstructorName", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		name := classNames()[vm.ClassID(qjs.Arg(a, 0))]
		if name == "" {
			name = "Object"
		}
		return vm.String(name), nil
	})
}

// classNames maps QuickJS's built-in class ids to constructor names.
var classNames = sync.OnceValue(func() map[uint32]string {
	return map[uint32]string{
		1: "Object", 2: "Array", 3: "Error", 4: "Number", 5: "String", 6: "Boolean", 7: "Symbol",
		8: "Object", 9: "Object", 10: "Date", 11: "Object", 12: "Function", 13: "Function",
		14: "Function", 15: "Function", 16: "GeneratorFunction", 18: "RegExp", 19: "ArrayBuffer",
		20: "SharedArrayBuffer", 21: "Uint8ClampedArray", 22: "Int8Array", 23: "Uint8Array",
		24: "Int16Array", 25: "Uint16Array", 26: "Int32Array", 27: "Uint32Array",
		28: "BigInt64Array", 29: "BigUint64Array", 30: "Float16Array", 31: "Float32Array",
		32: "Float64Array", 33: "DataView", 34: "BigInt", 35: "Map", 36: "Set", 37: "WeakMap",
		38: "WeakSet", 43: "Map Iterator", 44: "Set Iterator", 45: "Array Iterator",
		46: "String Iterator", 47: "RegExp String Iterator", 48: "Generator", 52: "Promise",
		55: "AsyncFunction", 59: "AsyncGeneratorFunction", 60: "AsyncGenerator", 61: "WeakRef",
		62: "FinalizationRegistry",
	}
})
