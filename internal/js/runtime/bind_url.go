package runtime

import (
	"errors"

	"gnode/internal/js/qjs"
	"gnode/internal/js/whatwgurl"
)

// bindURL is internalBinding('url'), see bindings/url.md: the WHATWG URL
// parser in Go, so lib/internal/url.js only builds its record from one
// array per parse instead of running the state machine in JavaScript.
func bindURL(r *rt, obj qjs.Value) {
	// The base of a run of relative parses is usually the same string.
	var lastBase string
	var lastBaseURL *whatwgurl.URL
	var lastBaseErr error
	parse := func(vm *qjs.VM, a []qjs.Value) (*whatwgurl.URL, error) {
		var base *whatwgurl.URL
		if b := qjs.Arg(a, 1); b.IsString() {
			s := vm.Str(b)
			if lastBaseURL == nil && lastBaseErr == nil || s != lastBase {
				lastBase = s
				lastBaseURL, lastBaseErr = whatwgurl.Parse(s, nil)
			}
			if lastBaseErr != nil {
				return nil, lastBaseErr
			}
			base = lastBaseURL
		}
		return whatwgurl.Parse(vm.Str(qjs.Arg(a, 0)), base)
	}
	optString := func(vm *qjs.VM, s string, ok bool) qjs.Value {
		if !ok {
			return qjs.Null
		}
		return vm.String(s)
	}
	// parse(input, base) -> false | undefined | [scheme, username,
	// password, host|null, port|null, pathname, opaque, query|null,
	// fragment|null]
	r.fn(obj, "parse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		u, err := parse(vm, a)
		if err != nil {
			if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
				return qjs.Undefined, nil
			}
			return qjs.False, nil
		}
		port := qjs.Null
		if u.Port >= 0 {
			port = qjs.Int(int32(u.Port))
		}
		return vm.ArrayOf(
			vm.String(u.Scheme),
			vm.String(u.Username),
			vm.String(u.Password),
			optString(vm, u.Host, u.HasHost),
			port,
			vm.String(u.Pathname()),
			qjs.Bool(u.Opaque),
			optString(vm, u.Query, u.HasQuery),
			optString(vm, u.Fragment, u.HasFragment),
		), nil
	})
	// canParse(input, base) -> true | false | undefined
	r.fn(obj, "canParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		_, err := parse(vm, a)
		if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
			return qjs.Undefined, nil
		}
		return qjs.Bool(err == nil), nil
	})
}
