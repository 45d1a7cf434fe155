package runtime

import "gnode/internal/js/qjs"

// The TLS functions live on the tcp binding (same ids and dispatcher).
func init() {
	plain := bindingTable["tcp"]
	bindingTable["tcp"] = func(r *rt, obj qjs.Value) {
		plain(r, obj)
		bindTLSFuncs(r, obj)
	}
}
