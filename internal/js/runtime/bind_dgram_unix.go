//go:build unix

package runtime

// Socket options of internalBinding('udp') through the descriptor of Go's
// UDPConn (setsockopt before bind in ListenConfig.Control, after it
// through SyscallConn).

import (
	"net"
	"net/netip"
	"syscall"
	"unsafe"
)

type udpBindOpts struct {
	reuseAddr, v6, v6only bool
	rcvbuf, sndbuf        int
}

// control runs on the new socket before bind.
func (o udpBindOpts) control(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		set := func(level, opt, v int) {
			if serr == nil {
				serr = syscall.SetsockoptInt(int(fd), level, opt, v)
			}
		}
		if o.reuseAddr {
			set(syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		}
		if o.v6 {
			// Node's udp6 sockets are dual-stack unless ipv6Only is set.
			v := 0
			if o.v6only {
				v = 1
			}
			set(syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, v)
		}
		if o.rcvbuf > 0 {
			set(syscall.SOL_SOCKET, syscall.SO_RCVBUF, o.rcvbuf)
		}
		if o.sndbuf > 0 {
			set(syscall.SOL_SOCKET, syscall.SO_SNDBUF, o.sndbuf)
		}
	})
	if err != nil {
		return err
	}
	return serr
}

func udpControl(c *net.UDPConn, f func(fd int) error) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := raw.Control(func(fd uintptr) { ferr = f(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// udpConnect sets (or, for an invalid ap, clears) the socket's default
// peer: connect(2), and connect with AF_UNSPEC to disconnect.
func udpConnect(c *net.UDPConn, ap netip.AddrPort, v6 bool) error {
	return udpControl(c, func(fd int) error {
		if !ap.IsValid() {
			var sa syscall.RawSockaddr
			sa.Family = syscall.AF_UNSPEC
			_, _, e := syscall.Syscall(syscall.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
			if e != 0 {
				return e
			}
			return nil
		}
		if v6 {
			return syscall.Connect(fd, &syscall.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()})
		}
		return syscall.Connect(fd, &syscall.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()})
	})
}

func udpSetOpt(c *net.UDPConn, v6 bool, opt, v int) error {
	level, name := syscall.SOL_SOCKET, 0
	switch opt {
	case udpOptBroadcast:
		name = syscall.SO_BROADCAST
	case udpOptTTL:
		if v < 1 || v > 255 {
			return syscall.EINVAL
		}
		level, name = syscall.IPPROTO_IP, syscall.IP_TTL
		if v6 {
			level, name = syscall.IPPROTO_IPV6, syscall.IPV6_UNICAST_HOPS
		}
	case udpOptMcastTTL:
		if v < 0 || v > 255 {
			return syscall.EINVAL
		}
		level, name = syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL
		if v6 {
			level, name = syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_HOPS
		}
	case udpOptMcastLoop:
		level, name = syscall.IPPROTO_IP, syscall.IP_MULTICAST_LOOP
		if v6 {
			level, name = syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_LOOP
		}
	case udpOptRcvBuf:
		name = syscall.SO_RCVBUF
	case udpOptSndBuf:
		name = syscall.SO_SNDBUF
	default:
		return syscall.EINVAL
	}
	return udpControl(c, func(fd int) error { return syscall.SetsockoptInt(fd, level, name, v) })
}

func udpGetOpt(c *net.UDPConn, opt int) (int, error) {
	name := syscall.SO_RCVBUF
	if opt == udpOptSndBuf {
		name = syscall.SO_SNDBUF
	}
	var v int
	err := udpControl(c, func(fd int) error {
		var err error
		v, err = syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, name)
		return err
	})
	return v, err
}

// ifaceIndexOf is the index of the interface holding address ip (0 for
// none given).
func ifaceIndexOf(ip netip.Addr) (int, error) {
	if !ip.IsValid() {
		return 0, nil
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return 0, err
	}
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if pn, ok := a.(*net.IPNet); ok {
				if x, ok := netip.AddrFromSlice(pn.IP); ok && x.Unmap() == ip.Unmap() {
					return ifc.Index, nil
				}
			}
		}
	}
	return 0, syscall.EADDRNOTAVAIL
}

// parseIfaceAddr parses an interface address, "" meaning none and an IPv6
// scope ("::%eth0") naming the interface.
func parseIfaceAddr(s string) (netip.Addr, int, error) {
	if s == "" {
		return netip.Addr{}, 0, nil
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, 0, syscall.EINVAL
	}
	if z := ip.Zone(); z != "" {
		ifc, err := net.InterfaceByName(z)
		if err != nil {
			return netip.Addr{}, 0, syscall.EINVAL
		}
		return ip.WithZone(""), ifc.Index, nil
	}
	return ip, 0, nil
}

func udpMulticastIf(c *net.UDPConn, v6 bool, iface string) error {
	ip, idx, err := parseIfaceAddr(iface)
	if err != nil {
		return err
	}
	if !v6 {
		if !ip.Is4() {
			return syscall.EINVAL
		}
		return udpControl(c, func(fd int) error {
			return syscall.SetsockoptInet4Addr(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, ip.As4())
		})
	}
	if idx == 0 && ip.IsValid() && !ip.IsUnspecified() {
		if idx, err = ifaceIndexOf(ip); err != nil {
			return err
		}
	}
	return udpControl(c, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_IF, idx)
	})
}

func udpMembership(c *net.UDPConn, v6 bool, group, iface string, add bool) error {
	g, err := netip.ParseAddr(group)
	if err != nil || !g.IsMulticast() {
		return syscall.EINVAL
	}
	ip, idx, err := parseIfaceAddr(iface)
	if err != nil {
		return err
	}
	if !v6 {
		if !g.Is4() {
			return syscall.EINVAL
		}
		mreq := &syscall.IPMreq{Multiaddr: g.As4()}
		if ip.IsValid() {
			if !ip.Is4() {
				return syscall.EINVAL
			}
			mreq.Interface = ip.As4()
		}
		opt := syscall.IP_ADD_MEMBERSHIP
		if !add {
			opt = syscall.IP_DROP_MEMBERSHIP
		}
		return udpControl(c, func(fd int) error { return syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, opt, mreq) })
	}
	if g.Is4() {
		return syscall.EINVAL
	}
	if idx == 0 && ip.IsValid() {
		if idx, err = ifaceIndexOf(ip); err != nil {
			return err
		}
	}
	mreq := &syscall.IPv6Mreq{Multiaddr: g.As16(), Interface: uint32(idx)}
	opt := syscall.IPV6_JOIN_GROUP
	if !add {
		opt = syscall.IPV6_LEAVE_GROUP
	}
	return udpControl(c, func(fd int) error { return syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, opt, mreq) })
}
