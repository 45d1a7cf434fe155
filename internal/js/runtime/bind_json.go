package runtime

import (
	"gnode/internal/js/qjs"
)

// bindJSON is internalBinding('json'): stringify(value, indent) serializes
// plain data in Go (qjs.StringifyFast) and returns undefined when the
// engine's JSON.stringify must do it; parse(text) likewise for JSON.parse
// (qjs.ParseFast). lib/internal/json_fast.js decides when to ask.
func bindJSON(r *rt, obj qjs.Value) {
	vm := r.vm
	g := vm.Global()
	objCtor := vm.GetV(g, "Object")
	arrCtor := vm.GetV(g, "Array")
	// The prototypes live as long as the VM: keep one reference each.
	op := vm.GetV(objCtor, "prototype")
	ap := vm.GetV(arrCtor, "prototype")
	vm.FreeAll(objCtor, arrCtor, g)
	protos := qjs.NewJSONProtos(op, ap)
	r.held = append(r.held, op, ap)
	r.fn(obj, "stringify", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		indent := ""
		if ind := qjs.Arg(a, 1); ind.IsString() {
			indent = vm.Str(ind)
		}
		out, ok := vm.StringifyFastValue(qjs.Arg(a, 0), indent, protos)
		if !ok {
			return qjs.Undefined, nil
		}
		return out, nil
	})
	// parse(text) is JSON.parse(text) for strict JSON text (qjs.ParseFast),
	// or undefined (which no JSON text yields) when the engine must parse.
	r.fn(obj, "parse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		v, ok := vm.ParseFast(qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, nil
		}
		return v, nil
	})
}
