//go:build !unix

package runtime

// Socket options need a Unix descriptor; elsewhere they report ENOSYS.

import (
	"net"
	"net/netip"
	"syscall"
)

type udpBindOpts struct {
	reuseAddr, v6, v6only bool
	rcvbuf, sndbuf        int
}

func (o udpBindOpts) control(_, _ string, _ syscall.RawConn) error {
	if o.reuseAddr || o.rcvbuf > 0 || o.sndbuf > 0 {
		return syscall.ENOSYS
	}
	return nil
}

func udpConnect(*net.UDPConn, netip.AddrPort, bool) error          { return syscall.ENOSYS }
func udpSetOpt(*net.UDPConn, bool, int, int) error                 { return syscall.ENOSYS }
func udpGetOpt(*net.UDPConn, int) (int, error)                     { return 0, syscall.ENOSYS }
func udpMulticastIf(*net.UDPConn, bool, string) error              { return syscall.ENOSYS }
func udpMembership(*net.UDPConn, bool, string, string, bool) error { return syscall.ENOSYS }
