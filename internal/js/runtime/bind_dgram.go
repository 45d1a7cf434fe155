package runtime

// internalBinding('udp'): UDP sockets for lib/dgram.js (see
// lib/bindings/udp.md).
//
// A socket is created bound (Go's net has no unbound UDP socket; dgram.js
// binds lazily the way Node's does, so nothing shows). Each bound socket has
// one reader goroutine that hands every datagram to the loop with
// loop.Enqueue; only the loop goroutine touches the VM. A ref'd socket holds
// the loop with a RegisterCallback token (loopHold), dropped on unref or
// close, so an unref'd socket never keeps the process alive. Sends are
// performed on the loop goroutine: a UDP send does not block. Under
// --allow-net, bind, connect and each send to an address are checked; a
// denial throws ERR_GNODE_PERMISSION from the call (dgram.js reports it as
// it reports the call's other errors).

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"

	"gnode/internal/js/qjs"
)

// Events passed to the dispatcher as (id, kind, ...).
const (
	udpEvMessage = 1 // (Uint8Array, address, port, family 4|6)
	udpEvError   = 2 // (errno): a failed receive (recvmsg)
)

// Socket options of setOpt/getOpt.
const (
	udpOptBroadcast = 1
	udpOptTTL       = 2
	udpOptMcastTTL  = 3
	udpOptMcastLoop = 4
	udpOptRcvBuf    = 5
	udpOptSndBuf    = 6
)

type udpSock struct {
	id     int32
	conn   *net.UDPConn
	v6     bool
	hold   loopHold
	closed bool
	remote netip.AddrPort // valid while connected
}

type udpState struct {
	socks    map[int32]*udpSock
	next     int32
	dispatch qjs.Value // held in r.held
}

// udpErrno is the negative errno of a socket error (EINVAL when Go reports
// no errno, as for an address of the wrong family).
func udpErrno(err error) int32 {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return -int32(errno)
	}
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return -int32(syscall.EINVAL)
	}
	if errors.Is(err, net.ErrClosed) {
		return -int32(syscall.EBADF)
	}
	return -int32(syscall.EINVAL)
}

func bindUDP(r *rt, obj qjs.Value) {
	st := &udpState{socks: map[int32]*udpSock{}}
	sock := func(vm *qjs.VM, a []qjs.Value) *udpSock {
		s := st.socks[int32(vm.Int(qjs.Arg(a, 0)))]
		if s == nil || s.closed {
			return nil
		}
		return s
	}
	ebadf := qjs.Int(-int32(syscall.EBADF))

	// setDispatch(fn): fn(id, kind, ...) receives the sockets' events.
	r.fn(obj, "setDispatch", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		st.dispatch = vm.Dup(qjs.Arg(a, 0))
		r.held = append(r.held, st.dispatch)
		return qjs.Undefined, nil
	})

	// bind(v6, ip, port, reuseAddr, ipv6Only, rcvbuf, sndbuf) -> id > 0 or
	// a negative errno.
	r.fn(obj, "bind", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		v6 := vm.Truthy(qjs.Arg(a, 0))
		ip, err := netip.ParseAddr(vm.Str(qjs.Arg(a, 1)))
		if err != nil {
			return qjs.Int(-int32(syscall.EINVAL)), nil
		}
		if !v6 && !ip.Is4() || v6 && ip.Is4() {
			return qjs.Int(-int32(syscall.EINVAL)), nil
		}
		port := int(vm.Int(qjs.Arg(a, 2))) & 0xffff
		if err := r.permNet("udp", netip.AddrPortFrom(ip, uint16(port)).String()); err != nil {
			return qjs.Undefined, err
		}
		opts := udpBindOpts{
			reuseAddr: vm.Truthy(qjs.Arg(a, 3)),
			v6:        v6,
			v6only:    vm.Truthy(qjs.Arg(a, 4)),
			rcvbuf:    int(vm.Int(qjs.Arg(a, 5))),
			sndbuf:    int(vm.Int(qjs.Arg(a, 6))),
		}
		network := "udp4"
		if v6 {
			network = "udp6"
		}
		lc := net.ListenConfig{Control: opts.control}
		pc, err := lc.ListenPacket(context.Background(), network, netip.AddrPortFrom(ip, uint16(port)).String())
		if err != nil {
			return qjs.Int(udpErrno(err)), nil
		}
		st.next++
		s := &udpSock{id: st.next, conn: pc.(*net.UDPConn), v6: v6}
		st.socks[s.id] = s
		s.hold.ref(r.loop)
		go r.udpRead(st, s)
		return qjs.Int(s.id), nil
	})

	addrArray := func(vm *qjs.VM, ap netip.AddrPort) qjs.Value {
		fam := "IPv4"
		if !ap.Addr().Is4() {
			fam = "IPv6"
		}
		return vm.ArrayOf(vm.String(ap.Addr().String()), qjs.Int(int32(ap.Port())), vm.String(fam))
	}
	// address(id) -> [address, port, family] or a negative errno.
	r.fn(obj, "address", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		ua, ok := s.conn.LocalAddr().(*net.UDPAddr)
		if !ok {
			return ebadf, nil
		}
		return addrArray(vm, ua.AddrPort()), nil
	})
	// remoteAddress(id) -> [address, port, family] or a negative errno.
	r.fn(obj, "remoteAddress", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		if !s.remote.IsValid() {
			return qjs.Int(-int32(syscall.ENOTCONN)), nil
		}
		return addrArray(vm, s.remote), nil
	})
	// connect(id, ip, port) -> 0 or a negative errno.
	r.fn(obj, "connect", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		ip, err := netip.ParseAddr(vm.Str(qjs.Arg(a, 1)))
		if err != nil {
			return qjs.Int(-int32(syscall.EINVAL)), nil
		}
		if s.v6 && ip.Is4() {
			ip = netip.AddrFrom16(ip.As16())
		}
		ap := netip.AddrPortFrom(ip, uint16(vm.Int(qjs.Arg(a, 2))))
		if err := r.permNet("udp", ap.String()); err != nil {
			return qjs.Undefined, err
		}
		if err := udpConnect(s.conn, ap, s.v6); err != nil {
			return qjs.Int(udpErrno(err)), nil
		}
		s.remote = ap
		return qjs.Int(0), nil
	})
	// disconnect(id) -> 0 or a negative errno.
	r.fn(obj, "disconnect", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		if err := udpConnect(s.conn, netip.AddrPort{}, s.v6); err != nil {
			return qjs.Int(udpErrno(err)), nil
		}
		s.remote = netip.AddrPort{}
		return qjs.Int(0), nil
	})
	// send(id, bytes, port, ip) -> bytes sent or a negative errno; ip ""
	// sends to the connected peer.
	r.fn(obj, "send", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		b, ok := vm.Uint8ArrayBytes(qjs.Arg(a, 1))
		if !ok {
			return qjs.Int(-int32(syscall.EINVAL)), nil
		}
		var n int
		var err error
		if host := vm.Str(qjs.Arg(a, 3)); host == "" {
			n, err = s.conn.Write(b)
		} else {
			ip, perr := netip.ParseAddr(host)
			if perr != nil {
				return qjs.Int(-int32(syscall.EINVAL)), nil
			}
			if s.v6 && ip.Is4() {
				ip = netip.AddrFrom16(ip.As16())
			} else if !s.v6 && !ip.Is4() {
				return qjs.Int(-int32(syscall.EINVAL)), nil
			}
			to := netip.AddrPortFrom(ip, uint16(vm.Int(qjs.Arg(a, 2))))
			if err := r.permNet("udp", to.String()); err != nil {
				return qjs.Undefined, err
			}
			n, err = s.conn.WriteToUDPAddrPort(b, to)
		}
		if err != nil {
			return qjs.Int(udpErrno(err)), nil
		}
		return qjs.Int(int32(n)), nil
	})
	// close(id)
	r.fn(obj, "close", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s := sock(vm, a); s != nil {
			s.closed = true
			delete(st.socks, s.id)
			s.hold.unref()
			s.conn.Close()
		}
		return qjs.Undefined, nil
	})
	// ref(id, on)
	r.fn(obj, "ref", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s := sock(vm, a); s != nil {
			if vm.Truthy(qjs.Arg(a, 1)) {
				s.hold.ref(r.loop)
			} else {
				s.hold.unref()
			}
		}
		return qjs.Undefined, nil
	})
	// setOpt(id, opt, value) -> 0 or a negative errno.
	r.fn(obj, "setOpt", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		return udpStatus(udpSetOpt(s.conn, s.v6, int(vm.Int(qjs.Arg(a, 1))), int(vm.Int(qjs.Arg(a, 2))))), nil
	})
	// getOpt(id, opt) -> value (>= 0) or a negative errno.
	r.fn(obj, "getOpt", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		v, err := udpGetOpt(s.conn, int(vm.Int(qjs.Arg(a, 1))))
		if err != nil {
			return qjs.Int(udpErrno(err)), nil
		}
		return qjs.Int(int32(v)), nil
	})
	// setMulticastInterface(id, address) -> 0 or a negative errno.
	r.fn(obj, "setMulticastInterface", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		return udpStatus(udpMulticastIf(s.conn, s.v6, vm.Str(qjs.Arg(a, 1)))), nil
	})
	// membership(id, group, iface, add) -> 0 or a negative errno.
	r.fn(obj, "membership", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s := sock(vm, a)
		if s == nil {
			return ebadf, nil
		}
		return udpStatus(udpMembership(s.conn, s.v6, vm.Str(qjs.Arg(a, 1)), vm.Str(qjs.Arg(a, 2)), vm.Truthy(qjs.Arg(a, 3)))), nil
	})
}

// udpRead delivers s's datagrams to the loop until the socket closes. A
// failed receive (an ICMP error on a connected socket) is reported and
// reading goes on, as libuv does.
func (r *rt) udpRead(st *udpState, s *udpSock) {
	buf := make([]byte, 64*1024)
	for {
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			var errno syscall.Errno
			if !errors.As(err, &errno) {
				return // closed
			}
			r.loop.Enqueue(func() { r.udpEmit(st, s, udpEvError, qjs.Int(-int32(errno))) })
			continue
		}
		msg := append([]byte(nil), buf[:n]...)
		r.loop.Enqueue(func() {
			if s.closed {
				return
			}
			vm := r.vm
			fam := int32(4)
			if !from.Addr().Is4() {
				fam = 6
			}
			r.udpEmit(st, s, udpEvMessage, vm.NewUint8Array(msg), vm.String(from.Addr().String()), qjs.Int(int32(from.Port())), qjs.Int(fam))
		})
	}
}

// udpEmit calls the dispatcher with (id, kind, args...); args are owned.
func (r *rt) udpEmit(st *udpState, s *udpSock, kind int32, args ...qjs.Value) {
	vm := r.vm
	if s.closed || !vm.IsFunction(st.dispatch) {
		vm.FreeAll(args...)
		return
	}
	all := append([]qjs.Value{qjs.Int(s.id), qjs.Int(kind)}, args...)
	v, err := vm.Call(st.dispatch, qjs.Undefined, all...)
	vm.FreeAll(args...)
	vm.Free(v)
	if err != nil {
		r.handleError(err)
	}
}

// udpStatus is a binding call's result for err: 0, or the negative errno.
func udpStatus(err error) qjs.Value {
	if err != nil {
		return qjs.Int(udpErrno(err))
	}
	return qjs.Int(0)
}
