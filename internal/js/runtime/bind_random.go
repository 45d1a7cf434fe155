package runtime

import (
	"crypto/rand"

	"gnode/internal/js/qjs"
)

// bindRandom is internalBinding('random'): the CSPRNG behind the global
// crypto.getRandomValues and crypto.randomUUID.
func bindRandom(r *rt, obj qjs.Value) {
	// fill(u8) fills a Uint8Array view in place.
	r.fn(obj, "fill", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		b, ok := vm.TypedArrayBytes(qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, vm.TypeError("fill needs a typed array")
		}
		rand.Read(b)
		return qjs.Undefined, nil
	})
}
