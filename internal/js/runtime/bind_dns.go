package runtime

// internalBinding('dns'): name resolution for lib/dns.js on goroutines
// through Go's resolver (which reads /etc/hosts and resolv.conf as
// getaddrinfo does); see lib/bindings/dns.md.

import (
	"context"
	"errors"
	"net"
	"strings"

	"gnode/internal/js/qjs"
)

type dnsMX struct {
	exchange string
	priority int
}

type dnsSRV struct {
	name                   string
	port, priority, weight int
}

// dnsCode is the c-ares style code Node reports for a failed lookup.
func dnsCode(err error, lookup bool) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return "ENOTFOUND"
		case de.IsTimeout:
			return "ETIMEOUT"
		}
		if lookup {
			return "EAI_AGAIN"
		}
		return "ESERVFAIL"
	}
	return "ECONNREFUSED"
}

func (r *rt) dnsValue(v any) qjs.Value {
	vm := r.vm
	switch x := v.(type) {
	case []string:
		return vm.StringArray(x)
	case []dnsMX:
		a := vm.Array()
		for i, m := range x {
			o := vm.Object()
			vm.Set(o, "exchange", vm.String(m.exchange))
			vm.Set(o, "priority", qjs.Int(int32(m.priority)))
			vm.SetIndex(a, uint32(i), o)
		}
		return a
	case [][]string:
		a := vm.Array()
		for i, t := range x {
			vm.SetIndex(a, uint32(i), vm.StringArray(t))
		}
		return a
	case []dnsSRV:
		a := vm.Array()
		for i, s := range x {
			o := vm.Object()
			vm.Set(o, "name", vm.String(s.name))
			vm.Set(o, "port", qjs.Int(int32(s.port)))
			vm.Set(o, "priority", qjs.Int(int32(s.priority)))
			vm.Set(o, "weight", qjs.Int(int32(s.weight)))
			vm.SetIndex(a, uint32(i), o)
		}
		return a
	}
	return qjs.Undefined
}

// dnsAsync runs work on a goroutine and calls cb(code|null, result) on the
// loop.
func (r *rt) dnsAsync(cb qjs.Value, lookup bool, work func() (any, error)) {
	vm := r.vm
	cb = vm.Dup(cb)
	done := r.loop.RegisterCallback()
	go func() {
		res, err := work()
		done(func() {
			var args []qjs.Value
			if err != nil {
				args = []qjs.Value{vm.String(dnsCode(err, lookup))}
			} else {
				args = []qjs.Value{qjs.Null, r.dnsValue(res)}
			}
			v, cerr := vm.Call(cb, qjs.Undefined, args...)
			vm.FreeAll(args...)
			vm.FreeAll(v, cb)
			if cerr != nil {
				r.handleError(cerr)
			}
		})
	}()
}

func bindDNS(r *rt, obj qjs.Value) {
	// lookup(hostname, family, cb): cb(code, [addr, family, addr, family...]).
	r.fn(obj, "lookup", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		host := vm.Str(qjs.Arg(a, 0))
		family := vm.Int(qjs.Arg(a, 1))
		r.dnsAsync(qjs.Arg(a, 2), true, func() (any, error) {
			network := "ip"
			switch family {
			case 4:
				network = "ip4"
			case 6:
				network = "ip6"
			}
			ips, err := net.DefaultResolver.LookupIP(context.Background(), network, host)
			if err != nil {
				return nil, err
			}
			var out []string
			for _, ip := range ips {
				if v4 := ip.To4(); v4 != nil {
					out = append(out, v4.String(), "4")
				} else {
					out = append(out, ip.String(), "6")
				}
			}
			if len(out) == 0 {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			return out, nil
		})
		return qjs.Undefined, nil
	})
	// resolve(rrtype, name, cb)
	r.fn(obj, "resolve", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		rr := strings.ToUpper(vm.Str(qjs.Arg(a, 0)))
		name := vm.Str(qjs.Arg(a, 1))
		res := net.DefaultResolver
		ctx := context.Background()
		r.dnsAsync(qjs.Arg(a, 2), false, func() (any, error) {
			switch rr {
			case "A", "AAAA":
				network := "ip4"
				if rr == "AAAA" {
					network = "ip6"
				}
				ips, err := res.LookupIP(ctx, network, name)
				if err != nil {
					return nil, err
				}
				var out []string
				for _, ip := range ips {
					out = append(out, ip.String())
				}
				return out, nil
			case "CNAME":
				c, err := res.LookupCNAME(ctx, name)
				if err != nil {
					return nil, err
				}
				return []string{strings.TrimSuffix(c, ".")}, nil
			case "NS":
				ns, err := res.LookupNS(ctx, name)
				if err != nil {
					return nil, err
				}
				var out []string
				for _, n := range ns {
					out = append(out, strings.TrimSuffix(n.Host, "."))
				}
				return out, nil
			case "PTR":
				names, err := res.LookupAddr(ctx, name)
				if err != nil {
					return nil, err
				}
				for i := range names {
					names[i] = strings.TrimSuffix(names[i], ".")
				}
				return names, nil
			case "MX":
				mx, err := res.LookupMX(ctx, name)
				if err != nil {
					return nil, err
				}
				var out []dnsMX
				for _, m := range mx {
					out = append(out, dnsMX{strings.TrimSuffix(m.Host, "."), int(m.Pref)})
				}
				return out, nil
			case "TXT":
				txt, err := res.LookupTXT(ctx, name)
				if err != nil {
					return nil, err
				}
				var out [][]string
				for _, t := range txt {
					out = append(out, []string{t})
				}
				return out, nil
			case "SRV":
				_, srv, err := res.LookupSRV(ctx, "", "", name)
				if err != nil {
					return nil, err
				}
				var out []dnsSRV
				for _, s := range srv {
					out = append(out, dnsSRV{strings.TrimSuffix(s.Target, "."), int(s.Port), int(s.Priority), int(s.Weight)})
				}
				return out, nil
			}
			return nil, errors.New("unsupported record type")
		})
		return qjs.Undefined, nil
	})
}
