package runtime

// Server connections are accepted as bare non-blocking descriptors
// (fdConn), outside Go's network poller. The loop watches them in its own
// epoll set (net_loopread.go) and reads and writes them with plain system
// calls. A descriptor also registered with Go's poller (as every net.Conn
// is, edge-triggered) would wake an idle thread blocked in Go's epoll_wait
// for every request that arrives, only for it to find nothing to run:
// measured, those wake-ups were 40% of the server's context switches.
//
// fdConn is still a net.Conn, so the code that needs one (the reader and
// writer goroutines for request bodies and slow clients, CloseWrite,
// deadlines, handle passing) keeps working: the first such use makes a Go
// connection over a duplicate of the descriptor (goConn), which from then
// on is in Go's poller as any other connection.

import (
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"gnode/internal/js/qjs"
)

type fdConn struct {
	fd     int
	local  net.Addr // from getsockname, made on first use
	remote net.Addr
	unix   bool

	mu     sync.Mutex
	gc     net.Conn // over a duplicate of fd, made on first use
	closed bool

	share *sharedHandle // accepted on a loop from a --workers share: counted there while open
}

var (
	_ net.Conn     = (*fdConn)(nil)
	_ syscall.Conn = (*fdConn)(nil)
)

// acceptFD accepts one connection of a listener and, for plain TCP and
// Unix connections, returns it as an fdConn: Go's Accept (which set the
// socket options up: no Nagle delay, keep-alive probes) then a duplicate
// of its descriptor, and the Go connection closed, which takes it out of
// Go's poller (closing one of two descriptors leaves the connection open).
// A listener's descriptor cannot be waited on outside Go's Accept.
func acceptFD(ln net.Listener) (net.Conn, error) {
	c, err := ln.Accept()
	if err != nil {
		return nil, err
	}
	var unix bool
	switch c.(type) {
	case *net.TCPConn:
	case *net.UnixConn:
		unix = true
	default:
		return c, nil
	}
	rc, err := c.(syscall.Conn).SyscallConn()
	if err != nil {
		return c, nil
	}
	nfd := -1
	var derr error
	if err := rc.Control(func(fd uintptr) { nfd, derr = dupCloexec(int(fd)) }); err != nil || derr != nil {
		return c, nil
	}
	fc := &fdConn{fd: nfd, unix: unix, local: c.LocalAddr(), remote: c.RemoteAddr()}
	c.Close()
	return fc, nil
}

// sockaddrAddr converts a socket address to a net.Addr.
func sockaddrAddr(sa syscall.Sockaddr, unix bool) net.Addr {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return &net.TCPAddr{IP: append(net.IP(nil), a.Addr[:]...), Port: a.Port}
	case *syscall.SockaddrInet6:
		ad := &net.TCPAddr{IP: append(net.IP(nil), a.Addr[:]...), Port: a.Port}
		if a.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(a.ZoneId)); err == nil {
				ad.Zone = ifi.Name
			}
		}
		return ad
	case *syscall.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	}
	if unix {
		return &net.UnixAddr{Net: "unix"}
	}
	return &net.TCPAddr{}
}

// goConn returns the Go connection over a duplicate of the descriptor,
// making it on first use.
func (c *fdConn) goConn() (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gc != nil {
		return c.gc, nil
	}
	if c.closed {
		return nil, net.ErrClosed
	}
	d, err := dupCloexec(c.fd)
	if err != nil {
		return nil, os.NewSyscallError("dup", err)
	}
	f := os.NewFile(uintptr(d), "socket")
	gc, err := net.FileConn(f) // duplicates d again
	f.Close()
	if err != nil {
		return nil, err
	}
	c.gc = gc
	return gc, nil
}

func (c *fdConn) Read(p []byte) (int, error) {
	gc, err := c.goConn()
	if err != nil {
		return 0, err
	}
	return gc.Read(p)
}

func (c *fdConn) Write(p []byte) (int, error) {
	gc, err := c.goConn()
	if err != nil {
		return 0, err
	}
	return gc.Write(p)
}

// Close closes the descriptor and the Go connection, if there is one.
// The caller has removed the descriptor from the loop's epoll set.
func (c *fdConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return net.ErrClosed
	}
	c.closed = true
	if c.gc != nil {
		c.gc.Close()
	}
	if c.share != nil {
		c.share.live.Add(-1)
	}
	return syscall.Close(c.fd)
}

// CloseWrite shuts the sending side down (end()).
func (c *fdConn) CloseWrite() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return net.ErrClosed
	}
	return os.NewSyscallError("shutdown", syscall.Shutdown(c.fd, syscall.SHUT_WR))
}

func (c *fdConn) LocalAddr() net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.local == nil && !c.closed {
		if sa, err := syscall.Getsockname(c.fd); err == nil {
			c.local = sockaddrAddr(sa, c.unix)
		}
	}
	if c.local == nil {
		return sockaddrAddr(nil, c.unix)
	}
	return c.local
}

func (c *fdConn) RemoteAddr() net.Addr { return c.remote }

func (c *fdConn) SetDeadline(t time.Time) error {
	gc, err := c.goConn()
	if err != nil {
		return err
	}
	return gc.SetDeadline(t)
}

func (c *fdConn) SetReadDeadline(t time.Time) error {
	gc, err := c.goConn()
	if err != nil {
		return err
	}
	return gc.SetReadDeadline(t)
}

func (c *fdConn) SetWriteDeadline(t time.Time) error {
	gc, err := c.goConn()
	if err != nil {
		return err
	}
	return gc.SetWriteDeadline(t)
}

// SyscallConn gives the descriptor for Control (handle passing dups it);
// Read and Write wait through the Go connection.
func (c *fdConn) SyscallConn() (syscall.RawConn, error) { return fdRaw{c}, nil }

type fdRaw struct{ c *fdConn }

func (r fdRaw) Control(f func(fd uintptr)) error {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	if r.c.closed {
		return net.ErrClosed
	}
	f(uintptr(r.c.fd))
	return nil
}

func (r fdRaw) Read(f func(fd uintptr) bool) error {
	rc, err := r.goRaw()
	if err != nil {
		return err
	}
	return rc.Read(f)
}

func (r fdRaw) Write(f func(fd uintptr) bool) error {
	rc, err := r.goRaw()
	if err != nil {
		return err
	}
	return rc.Write(f)
}

func (r fdRaw) goRaw() (syscall.RawConn, error) {
	gc, err := r.c.goConn()
	if err != nil {
		return nil, err
	}
	sc, ok := gc.(syscall.Conn)
	if !ok {
		return nil, errors.New("socket has no descriptor")
	}
	return sc.SyscallConn()
}

// setNoDelay and setKeepAlive are the socket options of the binding's
// setNoDelay/setKeepAlive on a bare descriptor.
func (c *fdConn) setNoDelay(on bool) {
	if !c.unix {
		syscall.SetsockoptInt(c.fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, boolInt(on))
	}
}

func (c *fdConn) setKeepAlive(on bool, period time.Duration) {
	if c.unix {
		return
	}
	syscall.SetsockoptInt(c.fd, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, boolInt(on))
	if on && period > 0 {
		secs := int(max(period/time.Second, 1))
		syscall.SetsockoptInt(c.fd, syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, secs)
		syscall.SetsockoptInt(c.fd, syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, secs)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// watchAccept makes the loop accept the server's connections itself: the
// listening descriptor goes in the loop's epoll set and each readiness
// accepts one connection (the loop drains ticks between two, as node
// does), straight into an fdConn that never enters Go's poller. The
// listener stays open in Go (its address, handle passing and close work
// as before). False for listeners that are not plain TCP or Unix, or a
// loop without a poller: the accept goroutine serves those.
func (srv *tcpServer) watchAccept() bool {
	var sc syscall.Conn
	unix := false
	ln := srv.ln
	if h, ok := ln.(*sharedHandle); ok {
		// A --workers share: every run's loop watches the one socket
		// (workers.go).
		ln = h.s.ln
	}
	switch l := ln.(type) {
	case *net.TCPListener:
		sc = l
	case *net.UnixListener:
		sc, unix = l, true
	default:
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	fd := -1
	if rc.Control(func(d uintptr) { fd = int(d) }) != nil || fd < 0 {
		return false
	}
	w, err := srv.r.loop.Watch(fd, srv.onAcceptable)
	if err != nil {
		return false
	}
	if w.SetReadable(true) != nil {
		w.Close()
		return false
	}
	srv.lfd, srv.watch, srv.unix = fd, w, unix
	if h, ok := srv.ln.(*sharedHandle); ok {
		h.onLoop.Store(true)
	}
	return true
}

// pauseAccept leaves the shared socket's next connections to the other
// runs for a millisecond (this run holds more than its share of the open
// connections, workers.go): the watch goes off, since the socket stays
// readable until someone accepts.
func (srv *tcpServer) pauseAccept(h *sharedHandle) {
	if h.paused {
		return
	}
	h.paused = true
	srv.watch.SetReadable(false)
	srv.r.loop.SetTimer(1, false, func() {
		h.paused = false
		if srv.watch != nil {
			srv.watch.SetReadable(true)
		}
	})
}

// onAcceptable accepts one connection on the loop.
func (srv *tcpServer) onAcceptable() {
	r := srv.r
	if srv.watch == nil {
		return
	}
	share, _ := srv.ln.(*sharedHandle)
	if share != nil && share.ahead() {
		srv.pauseAccept(share)
		return
	}
	var nfd int
	var sa syscall.Sockaddr
	var err error
	for {
		nfd, sa, err = syscall.Accept4(srv.lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err != syscall.EINTR && err != syscall.ECONNABORTED {
			break
		}
	}
	if err == syscall.EAGAIN {
		return
	}
	if err != nil {
		// As the accept goroutine: report and stop accepting.
		srv.watch.Close()
		srv.watch = nil
		ad := srv.ln.Addr()
		r.netEmit(srv.id, evListenErr, r.errArgs(&net.OpError{Op: "accept", Net: ad.Network(), Addr: ad, Err: os.NewSyscallError("accept4", err)})...)
		return
	}
	c := &fdConn{fd: nfd, unix: srv.unix, remote: sockaddrAddr(sa, srv.unix)}
	if share != nil {
		share.live.Add(1)
		c.share = share
	}
	if !srv.unix {
		// What Go's Accept sets up, so connections behave as before: no
		// Nagle delay, keep-alive probes after 15 s idle every 15 s.
		syscall.SetsockoptInt(nfd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		syscall.SetsockoptInt(nfd, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 1)
		syscall.SetsockoptInt(nfd, syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, 15)
		syscall.SetsockoptInt(nfd, syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, 15)
		syscall.SetsockoptInt(nfd, syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, 9)
	}
	s := r.newSock(c)
	host, port, fam := addrParts(c.RemoteAddr())
	r.netEmit(srv.id, evConnection, qjs.Int(s.id), r.vm.String(host), qjs.Int(int32(port)), r.vm.String(fam))
}
