package runtime

import (
	"errors"

	"gnode/internal/js/qjs"
	"gnode/internal/js/whatwgurl"
)

// bindURL is internalBinding('url'), see bindings/url.md: the WHATWG URL
// parser in Go. A URL object in lib/internal/url.js holds the array
// components returns (the href and its parts' offsets), so a parse
// crosses the boundary once and creates one string.
func bindURL(r *rt, obj qjs.Value) {
	// The base of a run of relative parses is usually the same string.
	var lastBase string
	var lastBaseURL *whatwgurl.URL
	var lastBaseErr error
	parse := func(vm *qjs.VM, a []qjs.Value) (*whatwgurl.URL, string, error) {
		var base *whatwgurl.URL
		if b := qjs.Arg(a, 1); b.IsString() {
			s := vm.Str(b)
			if (lastBaseURL == nil && lastBaseErr == nil) || s != lastBase {
				lastBase = s
				lastBaseURL, lastBaseErr = whatwgurl.Parse(whatwgurl.ScalarValues(s), nil)
			}
			if lastBaseErr != nil {
				return nil, "", lastBaseErr
			}
			base = lastBaseURL
		}
		in := vm.Str(qjs.Arg(a, 0))
		u, err := whatwgurl.Parse(whatwgurl.ScalarValues(in), base)
		return u, in, err
	}
	// components builds the array; an input that is already its own href
	// (most URLs in practice) is returned as the same string value instead
	// of a new one.
	components := func(vm *qjs.VM, u *whatwgurl.URL, input qjs.Value, inputStr string) qjs.Value {
		c := u.Components()
		href := qjs.Undefined
		if c.Href == inputStr {
			href = vm.Dup(input)
		} else {
			href = vm.String(c.Href)
		}
		return componentsArray(vm, c, href)
	}
	// parse(input, base) -> false | undefined | components
	r.fn(obj, "parse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		u, in, err := parse(vm, a)
		if err != nil {
			if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
				return qjs.Undefined, nil
			}
			return qjs.False, nil
		}
		return components(vm, u, qjs.Arg(a, 0), in), nil
	})
	// canParse(input, base) -> true | false | undefined
	r.fn(obj, "canParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		_, _, err := parse(vm, a)
		if errors.Is(err, whatwgurl.ErrNeedsIDNA) {
			return qjs.Undefined, nil
		}
		return qjs.Bool(err == nil), nil
	})
	// set(href, setter, value) -> components | undefined
	r.fn(obj, "set", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		u, err := whatwgurl.ParseHref(vm.Str(qjs.Arg(a, 0)))
		if err != nil {
			return qjs.Undefined, nil
		}
		which := whatwgurl.Setter(vm.Int(qjs.Arg(a, 1)))
		if err := u.Set(which, whatwgurl.ScalarValues(vm.Str(qjs.Arg(a, 2)))); err != nil {
			return qjs.Undefined, nil
		}
		c := u.Components()
		return componentsArray(vm, c, vm.String(c.Href)), nil
	})
	bindURLQuery(r, obj)
}

// bindURLQuery adds parseQuery and serializeQuery (URLSearchParams).
func bindURLQuery(r *rt, obj qjs.Value) {
	// parseQuery(text) -> [[name, value], ...]
	r.fn(obj, "parseQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		pairs := whatwgurl.ParseQuery(whatwgurl.ScalarValues(vm.Str(qjs.Arg(a, 0))))
		list := vm.Array()
		for i, p := range pairs {
			vm.SetIndex(list, uint32(i), vm.ArrayOf(vm.String(p[0]), vm.String(p[1])))
		}
		return list, nil
	})
	// serializeQuery(list) -> string, list as parseQuery returns it
	r.fn(obj, "serializeQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		list := qjs.Arg(a, 0)
		n := vm.Len(list)
		pairs := make([][2]string, n)
		for i := range pairs {
			p, err := vm.GetIndex(list, uint32(i))
			if err != nil {
				return qjs.Undefined, err
			}
			for k := range 2 {
				v, err := vm.GetIndex(p, uint32(k))
				if err != nil {
					vm.Free(p)
					return qjs.Undefined, err
				}
				pairs[i][k] = whatwgurl.ScalarValues(vm.Str(v))
				vm.Free(v)
			}
			vm.Free(p)
		}
		return vm.String(whatwgurl.SerializeQuery(pairs)), nil
	})
}

// componentsArray is the array bindings/url.md describes; it takes
// ownership of href.
func componentsArray(vm *qjs.VM, c whatwgurl.Components, href qjs.Value) qjs.Value {
	flags := int32(0)
	if c.HasHost {
		flags |= 1
	}
	if c.Opaque {
		flags |= 2
	}
	return vm.ArrayOf(
		href,
		qjs.Int(int32(c.SchemeEnd)),
		qjs.Int(int32(c.UserStart)),
		qjs.Int(int32(c.UserEnd)),
		qjs.Int(int32(c.PassEnd)),
		qjs.Int(int32(c.HostStart)),
		qjs.Int(int32(c.HostEnd)),
		qjs.Int(int32(c.Port)),
		qjs.Int(int32(c.PathStart)),
		qjs.Int(int32(c.QueryStart)),
		qjs.Int(int32(c.FragmentStart)),
		qjs.Int(flags),
	)
}
