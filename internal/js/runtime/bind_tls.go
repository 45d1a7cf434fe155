package runtime

// TLS for lib/tls.js and lib/https.js: the tcp binding's sockets and
// servers over crypto/tls. A TLS connection is a net.Conn like any other,
// so the reader/writer goroutines, the dispatcher and the HTTP parser modes
// are the tcp binding's (see lib/bindings/tcp.md, "TLS").

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"time"

	"gnode/internal/js/qjs"
)

type tlsOpts struct {
	servername         string
	rejectUnauthorized bool
	ca                 []string
	cert, key          string
	alpn               []string
	requestCert        bool
}

func (r *rt) readTLSOpts(o qjs.Value) tlsOpts {
	vm := r.vm
	str := func(name string) string {
		v := vm.GetV(o, name)
		defer vm.Free(v)
		if v == qjs.Undefined || v == qjs.Null {
			return ""
		}
		if b, ok := vm.TypedArrayBytes(v); ok {
			return string(b)
		}
		return vm.Str(v)
	}
	list := func(name string) []string {
		v := vm.GetV(o, name)
		defer vm.Free(v)
		var out []string
		for i := 0; i < vm.Len(v); i++ {
			e, _ := vm.GetIndex(v, uint32(i))
			if b, ok := vm.TypedArrayBytes(e); ok {
				out = append(out, string(b))
			} else {
				out = append(out, vm.Str(e))
			}
			vm.Free(e)
		}
		return out
	}
	ru := vm.GetV(o, "rejectUnauthorized")
	rc := vm.GetV(o, "requestCert")
	t := tlsOpts{
		servername:         str("servername"),
		rejectUnauthorized: vm.Truthy(ru),
		ca:                 list("ca"),
		cert:               str("cert"),
		key:                str("key"),
		alpn:               list("ALPNProtocols"),
		requestCert:        vm.Truthy(rc),
	}
	vm.FreeAll(ru, rc)
	return t
}

func (t tlsOpts) config(server bool) (*tls.Config, error) {
	cfg := &tls.Config{NextProtos: t.alpn, ServerName: t.servername, MinVersion: tls.VersionTLS12}
	if len(t.ca) > 0 {
		pool := x509.NewCertPool()
		for _, pem := range t.ca {
			if !pool.AppendCertsFromPEM([]byte(pem)) {
				return nil, errors.New("tls: no certificate found in ca")
			}
		}
		if server {
			cfg.ClientCAs = pool
		} else {
			cfg.RootCAs = pool
		}
	}
	if t.cert != "" || t.key != "" {
		pair, err := tls.X509KeyPair([]byte(t.cert), []byte(t.key))
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if server && t.requestCert {
		cfg.ClientAuth = tls.RequestClientCert
		if t.rejectUnauthorized {
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
		}
	}
	if !server && !t.rejectUnauthorized {
		cfg.InsecureSkipVerify = true
	}
	return cfg, nil
}

// tlsErr maps a handshake failure to the OpenSSL-flavoured code and
// message Node reports.
func tlsErr(err error) (code, msg string) {
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	switch {
	case errors.As(err, &ue):
		if c := ue.Cert; c != nil && bytes.Equal(c.RawIssuer, c.RawSubject) &&
			c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil {
			return "DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"
		}
		return "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"
	case errors.As(err, &he):
		return "ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames: " + he.Error()
	case errors.As(err, &ce):
		if ce.Reason == x509.Expired {
			return "CERT_HAS_EXPIRED", "certificate has expired"
		}
		return "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"
	}
	return "ERR_SSL_HANDSHAKE_FAILURE", err.Error()
}

func bindTLSFuncs(r *rt, obj qjs.Value) {
	// listenTLS(network, address, opts) → as listen.
	r.fn(obj, "listenTLS", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		network, addr := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		cfg, err := r.readTLSOpts(qjs.Arg(a, 2)).config(true)
		if err != nil {
			return vm.ArrayOf(qjs.Int(0), qjs.Int(0), vm.String("ERR_OSSL_PEM"), vm.String(err.Error())), nil
		}
		return r.serve(vm, network, addr, func(ln net.Listener) net.Listener { return tls.NewListener(ln, cfg) })
	})
	// connectTLS(network, address, opts) → id; kind 2 follows after the
	// handshake, with (errno, code, message) on failure.
	r.fn(obj, "connectTLS", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		network, addr := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		cfg, cerr := r.readTLSOpts(qjs.Arg(a, 2)).config(false)
		if err := r.permNet(network, addr); err != nil {
			return qjs.Undefined, err
		}
		ns := r.netState()
		ns.next++
		id := ns.next
		pending := &pendingConn{}
		ns.handles[id] = pending
		done := r.loop.RegisterCallback()
		go func() {
			var c net.Conn
			var err error
			tlsFail := false
			if cerr != nil {
				err, tlsFail = cerr, true
			} else {
				var raw net.Conn
				raw, err = net.DialTimeout(network, addr, 2*time.Minute)
				if err == nil {
					tc := tls.Client(raw, cfg)
					tc.SetDeadline(time.Now().Add(2 * time.Minute))
					if err = tc.Handshake(); err != nil {
						raw.Close()
						tlsFail = true
					} else {
						tc.SetDeadline(time.Time{})
						c = tc
					}
				}
			}
			done(func() {
				if _, ok := ns.handles[id]; !ok || pending.canceled {
					if c != nil {
						c.Close()
					}
					return
				}
				delete(ns.handles, id)
				if err != nil {
					if tlsFail {
						code, msg := tlsErr(err)
						r.netEmit(id, evConnect, qjs.Int(0), vm.String(code), vm.String(msg))
					} else {
						r.netEmit(id, evConnect, r.errArgs(err)...)
					}
					return
				}
				r.newSockID(c, id)
				r.netEmit(id, evConnect, qjs.Int(0))
			})
		}()
		return qjs.Int(id), nil
	})
	// tlsInfo(id) → [protocol, alpnProtocol, cipherName, servername] of a
	// TLS socket (after the handshake; a server socket completes it on
	// first read), or undefined.
	r.fn(obj, "tlsInfo", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s, err := r.sockArg(a)
		if err != nil {
			return qjs.Undefined, nil
		}
		tc, ok := s.conn.(*tls.Conn)
		if !ok {
			return qjs.Undefined, nil
		}
		st := tc.ConnectionState()
		if !st.HandshakeComplete {
			return qjs.Undefined, nil
		}
		proto := map[uint16]string{tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3"}[st.Version]
		return vm.ArrayOf(vm.String(proto), vm.String(st.NegotiatedProtocol), vm.String(tls.CipherSuiteName(st.CipherSuite)), vm.String(st.ServerName)), nil
	})
}
