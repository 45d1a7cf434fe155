package runtime

import (
	"strings"

	"gnode/internal/js/qjs"
	"gnode/internal/trust/capability"
)

// The permission binding, and the process-wide flags on bindings that
// were registered before this file (process's environment, fetch, dns).
// The fs, tcp, tls and process_wrap bindings call the checks themselves.
func init() {
	bindingTable["permission"] = bindPermission

	process := bindingTable["process"]
	bindingTable["process"] = func(r *rt, obj qjs.Value) {
		process(r, obj)
		f := r.permFlags()
		if f == nil {
			return
		}
		// Variables --allow-env/--deny-env keep out are not there at all:
		// reading one gives undefined, as for an unset variable.
		env := r.vm.Object()
		for _, kv := range f.FilterEnv(r.opts.Env) {
			if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
				r.vm.Set(env, k, r.vm.String(v))
			}
		}
		r.vm.Set(obj, "env", env)
	}

	if fetch, ok := bindingTable["fetch"]; ok {
		bindingTable["fetch"] = func(r *rt, obj qjs.Value) {
			fetch(r, obj)
			gateFlags(r, obj, "request", func(f *capability.Flags, a []qjs.Value) error {
				return checkURL(f, r.vm.Str(qjs.Arg(a, 1)))
			})
		}
	}
	if dns, ok := bindingTable["dns"]; ok {
		bindingTable["dns"] = func(r *rt, obj qjs.Value) {
			dns(r, obj)
			gateFlags(r, obj, "lookup", func(f *capability.Flags, a []qjs.Value) error {
				return f.CheckHost(r.vm.Str(qjs.Arg(a, 0)))
			})
			gateFlags(r, obj, "resolve", func(f *capability.Flags, a []qjs.Value) error {
				return f.CheckHost(r.vm.Str(qjs.Arg(a, 1)))
			})
		}
	}
}
