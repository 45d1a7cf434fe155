package runtime

// internalBinding('tcp'): TCP and Unix-domain sockets for lib/net.js and the
// HTTP/1.1 wire protocol for lib/_http_*.js (see lib/bindings/tcp.md).
//
// Each socket is a Go net.Conn with two goroutines: a reader that delivers
// chunks (or, in an HTTP mode, parsed message heads and body chunks) to the
// loop, and a writer that performs writes in order and reports each
// completion through the loop. Only the loop goroutine touches the VM; the
// goroutines talk to it through loop.Enqueue. A ref'd open handle holds the
// loop alive with a RegisterCallback token, released on unref or close.

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"gnode/internal/js/eventloop"
	"gnode/internal/js/qjs"
)

// Event kinds passed as the second argument of the JS dispatcher.
const (
	evConnection = 1 // server: (sockId, remoteAddr, remotePort, family)
	evConnect    = 2 // (errno|0, code)
	evData       = 3 // (Uint8Array)
	evEOF        = 4 // ()
	evError      = 5 // (errno, code)
	evWritten    = 6 // (reqId, errno|0, code)
	evHead       = 7 // http: (kind-specific fields, see readHTTP)
	evBody       = 8 // http: (Uint8Array)
	evBodyEnd    = 9 // http: (rawTrailers)
	evParseError = 10
	evListenErr  = 11 // server accept failure
)

// Reader modes.
const (
	modeRaw = iota
	modeServer
	modeClient
)

// loopHold refs the loop while a handle is ref'd and open.
type loopHold struct{ done func(func()) }

func (h *loopHold) ref(l *eventloop.Loop) {
	if h.done == nil {
		h.done = l.RegisterCallback()
	}
}

func (h *loopHold) unref() {
	if h.done != nil {
		h.done(func() {})
		h.done = nil
	}
}

type netHandle interface{ close() }

type netState struct {
	handles  map[int32]netHandle
	next     int32
	dispatch qjs.Value            // owned
	scratch  []byte               // writeHTTP's buffer, loop goroutine only
	strs     map[string]qjs.Value // head strings (owned), see netState.str
	objs     map[int32]qjs.Value  // handles' JavaScript objects (owned), see setHandle

	// The loop's reads (net_loopread.go): one buffer for all sockets.
	rbuf []byte

	hvals      []qjs.Value  // headArgs' scratch for the raw header list
	hargs      [7]qjs.Value // headArgs' result
	head       httpHead     // the loop's parsed head (loopRequest), reused
	cloneStage []qjs.Value  // cloneShaped's property values (bind_http.go)
}

type tcpSock struct {
	r    *rt
	ns   *netState
	id   int32
	conn net.Conn

	// guarded by mu
	mu        sync.Mutex
	cond      *sync.Cond
	reading   bool
	closed    bool
	started   bool
	mode      int
	expectsNo bool // client: the request was HEAD, its response has no body

	// wq feeds the writer goroutine, started by the first write that
	// cannot complete at once (most HTTP responses never need it). Loop
	// goroutine only, as is wqClosed.
	wq       chan writeReq
	wqClosed bool
	hold     loopHold // loop goroutine only

	// inflight counts writes queued to the writer goroutine and not yet
	// done; while it is zero the loop may write directly (tryWrite).
	inflight atomic.Int32
	raw      syscall.RawConn // nil: no direct writes (TLS, pipes)
	fdc      *fdConn         // conn when it is a bare descriptor (net_fdconn.go)

	// br is the reader goroutine's buffered reader; for plain sockets it
	// is pooled and absent while the connection is idle (awaitData).
	br    *bufio.Reader
	first *firstReader

	// Idle parking (see idlePoller), guarded by mu: parkedAt is when the
	// reader began waiting for data (0 while it is not waiting), kicked
	// that the sweeper cut that wait short to park the socket.
	parkedAt int64
	kicked   bool
	noPark   bool
	token    int32 // in idlePoll.socks while parked, else 0

	// Reading on the loop (net_loopread.go). loopable is set once, before
	// reading starts; onLoop (guarded by mu) says the loop, not the
	// reader goroutine, reads the socket now. The rest is loop goroutine
	// only: watch is the descriptor fd in the loop's epoll set, pend bytes
	// the loop read and has not delivered, readDone that reading ended.
	loopable   bool
	onLoop     bool
	fd         int
	watch      *eventloop.Watch
	pend       []byte
	pendQueued bool
	readDone   bool
	bodyLeft   int64 // bytes of the current request's body still to come
}

type writeReq struct {
	data     []byte
	reqID    int32
	shutdown bool
}

type tcpServer struct {
	r    *rt
	id   int32
	ln   net.Listener
	hold loopHold
	once sync.Once

	// Accepting on the loop (net_fdconn.go's watchAccept): the
	// listener's descriptor in the loop's epoll set. Loop goroutine only.
	watch *eventloop.Watch
	lfd   int
	unix  bool
}

func (s *tcpServer) close() {
	if s.watch != nil {
		s.watch.Close() // before the descriptor closes
		s.watch = nil
	}
	s.once.Do(func() { s.ln.Close() })
	s.hold.unref()
}

// netState returns the run's network state (loop goroutine only, as are
// the handles in it).
func (r *rt) netState() *netState {
	if r.net == nil {
		r.net = &netState{handles: map[int32]netHandle{}}
	}
	return r.net
}

// emit calls the JS dispatcher with (id, kind, args...). Args are owned
// and freed here.
func (r *rt) netEmit(id int32, kind int32, args ...qjs.Value) {
	r.netEmitTo(r.netState(), id, kind, args...)
}

// netEmitTo is netEmit for a caller that holds the run's netState.
func (r *rt) netEmitTo(ns *netState, id int32, kind int32, args ...qjs.Value) {
	vm := r.vm
	if !vm.IsFunction(ns.dispatch) {
		vm.FreeAll(args...)
		return
	}
	// The handle's JavaScript object (setHandle) comes first, so the
	// dispatcher needs no lookup of its own. It is held across the call:
	// the handle may be unregistered (and its reference dropped) during it.
	h, ok := ns.objs[id]
	if !ok {
		// Nothing registered (closed in JavaScript): nobody to tell.
		vm.FreeAll(args...)
		return
	}
	h = vm.Dup(h)
	var buf [10]qjs.Value
	all := append(append(buf[:0], h, qjs.Int(id), qjs.Int(kind)), args...)
	v, err := vm.Call(ns.dispatch, qjs.Undefined, all...)
	// Freed from the copy: args may be a reused array (headArgs) that a
	// nested event refilled during the call.
	vm.FreeAll(all[3:]...)
	vm.Free(h)
	vm.Free(v)
	if err != nil {
		r.handleError(err)
	}
}

// netErr returns the negative errno and the code name of a network error.
func netErr(err error) (int32, string) {
	if err == nil {
		return 0, ""
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		code, _ := uvName(errno)
		if code == "UNKNOWN" {
			code = netErrnoNames()[errno]
		}
		return -int32(errno), code
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return 0, "ENOTFOUND"
		}
		if dnsErr.IsTimeout {
			return 0, "ETIMEOUT"
		}
		return 0, "EAI_AGAIN"
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return -int32(syscall.ETIMEDOUT), "ETIMEDOUT"
	}
	if errors.Is(err, net.ErrClosed) {
		return -int32(syscall.ECANCELED), "ECANCELED"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return -int32(syscall.ECONNRESET), "ECONNRESET"
	}
	return -int32(syscall.EIO), "EIO"
}

var netErrnoNames = sync.OnceValue(func() map[syscall.Errno]string {
	return map[syscall.Errno]string{
		syscall.ECONNREFUSED: "ECONNREFUSED", syscall.ECONNRESET: "ECONNRESET",
		syscall.EADDRINUSE: "EADDRINUSE", syscall.EADDRNOTAVAIL: "EADDRNOTAVAIL",
		syscall.EPIPE: "EPIPE", syscall.ETIMEDOUT: "ETIMEDOUT", syscall.EHOSTUNREACH: "EHOSTUNREACH",
		syscall.ENETUNREACH: "ENETUNREACH", syscall.ECONNABORTED: "ECONNABORTED", syscall.ECANCELED: "ECANCELED",
	}
})

func (r *rt) errArgs(err error) []qjs.Value {
	n, code := netErr(err)
	return []qjs.Value{qjs.Int(n), r.vm.String(code)}
}

// addrParts splits a net.Addr into address, port and family.
func addrParts(a net.Addr) (string, int, string) {
	switch x := a.(type) {
	case *net.TCPAddr:
		fam := "IPv4"
		if x.IP.To4() == nil {
			fam = "IPv6"
		}
		ip := x.IP.String()
		if x.Zone != "" {
			ip += "%" + x.Zone
		}
		return ip, x.Port, fam
	case *net.UnixAddr:
		return x.Name, 0, "unix"
	}
	return "", 0, ""
}

func (r *rt) newSock(c net.Conn) *tcpSock {
	ns := r.netState()
	ns.next++
	s := &tcpSock{r: r, ns: ns, id: ns.next, conn: c}
	s.init()
	ns.handles[s.id] = s
	s.hold.ref(r.loop)
	return s
}

func (s *tcpSock) close() {
	s.closeWatch()
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		idlePoll.forget(s)
		s.conn.Close()
		s.cond.Broadcast()
	}
	s.mu.Unlock()
	if s.wq != nil && !s.wqClosed {
		close(s.wq)
	}
	s.wqClosed = true
	s.hold.unref()
	delete(s.ns.handles, s.id)
}

func (s *tcpSock) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// writer performs writes in order and reports completions on the loop.
func (s *tcpSock) writer() {
	var failed error
	for req := range s.wq {
		err := failed
		if err == nil {
			if req.shutdown {
				if cw, ok := s.conn.(interface{ CloseWrite() error }); ok {
					err = cw.CloseWrite()
				}
			} else {
				_, err = s.conn.Write(req.data)
			}
			if err != nil {
				failed = err
			}
		}
		s.inflight.Add(-1)
		id, reqID := s.id, req.reqID
		if reqID == 0 {
			continue
		}
		s.r.loop.Enqueue(func() {
			args := []qjs.Value{qjs.Int(reqID)}
			if err != nil {
				args = append(args, s.r.errArgs(err)...)
			} else {
				args = append(args, qjs.Int(0))
			}
			s.r.netEmit(id, evWritten, args...)
		})
	}
}

// rawConnOf returns the descriptor access of a plain TCP or Unix socket;
// TLS and other wrapped connections get nil and always use the writer.
func rawConnOf(c net.Conn) syscall.RawConn {
	switch c.(type) {
	case *net.TCPConn, *net.UnixConn, *fdConn:
		rc, err := c.(syscall.Conn).SyscallConn()
		if err == nil {
			return rc
		}
	}
	return nil
}

// tryWrite writes as much of data as the kernel takes now without
// blocking, on the loop goroutine, as libuv's uv_try_write does: a small
// response then completes before the loop looks at the next event (so
// 'finish' precedes the next request, as in node) and skips two goroutine
// hand-offs. It returns how many bytes were written; the caller queues the
// rest (and any error resurfaces from the writer's own write).
func (s *tcpSock) tryWrite(data []byte) int {
	if s.raw == nil || s.inflight.Load() != 0 {
		return 0
	}
	if s.fdc != nil {
		return writeFD(s.fdc.fd, data)
	}
	return writeNow(s.raw, data)
}

// writeFD is writeNow on a bare descriptor (an fdConn's). The descriptor
// is non-blocking, so the call is made without telling Go's scheduler
// (RawSyscall): a write on loopback can take tens of µs (it runs the
// receiver's TCP input too), and a P seen in a system call for that long
// while every P is busy is handed to another thread by sysmon, which then
// keeps polling every 20 µs — 11% of a two-loop server's CPU.
func writeFD(fd int, data []byte) int {
	n := 0
	for n < len(data) {
		m, err := rawWrite(fd, data[n:])
		if m > 0 {
			n += m
		}
		if err == syscall.EINTR {
			continue
		}
		if err != nil || m <= 0 {
			break
		}
	}
	return n
}

// rawWrite and rawRead are write(2) and read(2) on a non-blocking
// descriptor, outside the scheduler's system call accounting.
func rawWrite(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	r, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return int(r), e
	}
	return int(r), nil
}

func rawRead(fd int, b []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

// writeNow writes as much of data as the kernel takes at once on raw,
// without waiting for writability, and returns how many bytes went out.
func writeNow(raw syscall.RawConn, data []byte) int {
	n := 0
	raw.Write(func(fd uintptr) bool {
		for n < len(data) {
			m, err := syscall.Write(int(fd), data[n:])
			if m > 0 {
				n += m
			}
			if err == syscall.EINTR {
				continue
			}
			if err != nil || m <= 0 {
				break
			}
		}
		return true // never wait for writability here
	})
	return n
}

// queue hands a write to the writer goroutine, starting it on first use.
func (s *tcpSock) queue(w writeReq) {
	if s.wqClosed {
		return
	}
	if s.wq == nil {
		s.wq = make(chan writeReq, 256)
		go s.writer()
	}
	s.inflight.Add(1)
	s.wq <- w
}

// waitReading blocks until reading is on; false when the socket closed.
func (s *tcpSock) waitReading() (mode int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.reading && !s.closed {
		s.cond.Wait()
	}
	return s.mode, !s.closed
}

func (s *tcpSock) post(kind int32, mk func() []qjs.Value) {
	r, id, ns := s.r, s.id, s.ns
	r.loop.Enqueue(func() {
		if _, ok := ns.handles[id]; !ok {
			return
		}
		var args []qjs.Value
		if mk != nil {
			args = mk()
		}
		r.netEmitTo(ns, id, kind, args...)
	})
}

func (s *tcpSock) postErr(err error) {
	if s.isClosed() {
		return
	}
	if errors.Is(err, io.EOF) {
		s.post(evEOF, nil)
		return
	}
	s.post(evError, func() []qjs.Value { return s.r.errArgs(err) })
}

// reader is the socket's read goroutine.
func (s *tcpSock) reader() {
	var chunk *[]byte // from chunkPool while the connection is busy
	var buf []byte
	parked := false
	defer func() {
		if chunk != nil {
			chunkPool.Put(chunk)
		}
		// A parked socket may already have its next reader: this one
		// must not touch its state any more.
		if !parked {
			s.releaseBuffers()
		}
	}()
	for {
		if _, ok := s.waitReading(); !ok {
			return
		}
		// Wait for data before looking at the mode: an HTTP client sets
		// its mode before writing a request, and the answer may only
		// arrive after this read started. An idle connection waits
		// without buffers (see awaitData).
		if (s.br == nil || s.br.Buffered() == 0) && (s.first == nil || len(s.first.pend) == 0) {
			if chunk != nil {
				chunkPool.Put(chunk)
				chunk, buf = nil, nil
			}
			if s.handBack() {
				parked = true // the loop reads it now
				return
			}
			if err := s.awaitData(); err != nil {
				if err == errParked {
					parked = true
					return // the idle poller starts a reader when data comes
				}
				s.postErr(err)
				return
			}
		}
		if _, err := s.br.Peek(1); err != nil {
			s.postErr(err)
			return
		}
		if chunk == nil {
			chunk = chunkPool.Get().(*[]byte)
			buf = *chunk
		}
		s.mu.Lock()
		mode := s.mode
		s.mu.Unlock()
		var err error
		switch mode {
		case modeRaw:
			n, rerr := s.br.Read(buf)
			if n > 0 {
				b := append([]byte(nil), buf[:n]...)
				s.post(evData, func() []qjs.Value { return []qjs.Value{s.r.vm.NewUint8Array(b)} })
			}
			err = rerr
		case modeServer, modeClient:
			err = s.readHTTP(mode == modeServer, buf)
		}
		if err != nil {
			var pe *httpParseError
			if errors.As(err, &pe) {
				msg, raw := pe.msg, pe.code
				s.post(evParseError, func() []qjs.Value {
					return []qjs.Value{s.r.vm.String(msg), s.r.vm.String(raw)}
				})
				return
			}
			s.postErr(err)
			return
		}
	}
}

func (r *rt) sockArg(a []qjs.Value) (*tcpSock, error) {
	id := int32(r.vm.Int(qjs.Arg(a, 0)))
	if s, ok := r.netState().handles[id].(*tcpSock); ok {
		return s, nil
	}
	return nil, &sysError{errno: syscall.EBADF, syscall: "socket"}
}

// bindTCP is internalBinding('tcp'), see lib/bindings/tcp.md.
func bindTCP(r *rt, obj qjs.Value) {
	r.fn(obj, "setDispatch", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		ns := r.netState()
		if !vm.IsFunction(ns.dispatch) {
			// held values are freed when the run closes.
			ns.dispatch = vm.Dup(qjs.Arg(a, 0))
			r.held = append(r.held, ns.dispatch)
		}
		return qjs.Undefined, nil
	})
	// setHandle(id, obj) registers the JavaScript object of handle id,
	// passed to the dispatcher with its events; setHandle(id) drops it.
	r.fn(obj, "setHandle", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		ns := r.netState()
		id := int32(vm.Int(qjs.Arg(a, 0)))
		if old, ok := ns.objs[id]; ok {
			delete(ns.objs, id)
			vm.Free(old)
		}
		if v := qjs.Arg(a, 1); v.IsObject() {
			if ns.objs == nil {
				ns.objs = map[int32]qjs.Value{}
			}
			ns.objs[id] = vm.Dup(v)
		}
		return qjs.Undefined, nil
	})
	// listen(network, address) → [id, address, port, family] or throws.
	r.fn(obj, "listen", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return r.serve(vm, vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), nil)
	})
	// connect(network, address, timeoutMs) → id; evConnect follows.
	r.fn(obj, "connect", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		network, addr := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		if network == "unix" {
			addr = r.abs(addr)
		}
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
			c, err := net.DialTimeout(network, addr, 2*time.Minute)
			done(func() {
				if _, ok := ns.handles[id]; !ok || pending.canceled {
					if c != nil {
						c.Close()
					}
					return
				}
				if err != nil {
					delete(ns.handles, id)
					r.netEmit(id, evConnect, r.errArgs(err)...)
					return
				}
				delete(ns.handles, id)
				r.newSockID(c, id)
				r.netEmit(id, evConnect, qjs.Int(0))
			})
		}()
		return qjs.Int(id), nil
	})
	r.fn(obj, "readStart", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s, err := r.sockArg(a)
		if err != nil {
			return qjs.Undefined, nil
		}
		s.mu.Lock()
		s.reading = true
		onLoop := s.onLoop
		if !onLoop && !s.started {
			s.started = true
			go s.reader()
		}
		s.cond.Broadcast()
		s.mu.Unlock()
		if onLoop {
			s.loopResume()
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "readStop", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s, err := r.sockArg(a); err == nil {
			s.mu.Lock()
			s.reading = false
			s.mu.Unlock()
		}
		return qjs.Undefined, nil
	})
	// write(id, data, reqId): data is a string (UTF-8) or Uint8Array,
	// copied; reqId 0 asks for no completion event. Returns 2 when the
	// whole write completed at once (no completion event follows), true
	// when it was queued, false when the socket is closed.
	r.fn(obj, "write", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s, err := r.sockArg(a)
		if err != nil || s.isClosed() {
			return qjs.False, nil
		}
		v := qjs.Arg(a, 1)
		var data []byte
		copied := false
		if b, ok := vm.TypedArrayBytes(v); ok {
			data = b // engine memory: written now or copied below
		} else {
			data, copied = []byte(vm.Str(v)), true
		}
		n := s.tryWrite(data)
		if n == len(data) {
			return qjs.Int(2), nil
		}
		rest := data[n:]
		if !copied {
			rest = append([]byte(nil), rest...)
		}
		s.queue(writeReq{data: rest, reqID: int32(vm.Int(qjs.Arg(a, 2)))})
		return qjs.True, nil
	})
	bindHTTPWrite(r, obj)
	bindCloneShaped(r, obj)
	r.fn(obj, "shutdown", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s, err := r.sockArg(a)
		if err != nil || s.isClosed() {
			return qjs.False, nil
		}
		reqID := int32(vm.Int(qjs.Arg(a, 1)))
		if s.fdc != nil && s.inflight.Load() == 0 && !s.wqClosed {
			// Nothing queued: half-close now, without starting the
			// writer goroutine (every Connection: close response ends
			// this way); the completion still comes as an event.
			err := s.fdc.CloseWrite()
			id := s.id
			r.loop.Enqueue(func() {
				args := []qjs.Value{qjs.Int(reqID)}
				if err != nil {
					args = append(args, r.errArgs(err)...)
				} else {
					args = append(args, qjs.Int(0))
				}
				if _, ok := r.netState().handles[id]; ok {
					r.netEmit(id, evWritten, args...)
				} else {
					r.vm.FreeAll(args...)
				}
			})
			return qjs.True, nil
		}
		s.queue(writeReq{shutdown: true, reqID: reqID})
		return qjs.True, nil
	})
	r.fn(obj, "close", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		if h, ok := r.netState().handles[id]; ok {
			h.close()
			delete(r.netState().handles, id)
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "ref", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		on := vm.Truthy(qjs.Arg(a, 1))
		var h *loopHold
		switch x := r.netState().handles[id].(type) {
		case *tcpSock:
			h = &x.hold
		case *tcpServer:
			h = &x.hold
		case *pendingConn:
			h = &x.hold
		case *childProc:
			h = &x.hold
		}
		if h != nil {
			if on {
				h.ref(r.loop)
			} else {
				h.unref()
			}
		}
		return qjs.Undefined, nil
	})
	// address(id, peer) → [address, port, family] or undefined.
	r.fn(obj, "address", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		peer := vm.Truthy(qjs.Arg(a, 1))
		var ad net.Addr
		switch x := r.netState().handles[id].(type) {
		case *tcpSock:
			if peer {
				ad = x.conn.RemoteAddr()
			} else {
				ad = x.conn.LocalAddr()
			}
		case *tcpServer:
			ad = x.ln.Addr()
		}
		if ad == nil {
			return qjs.Undefined, nil
		}
		host, port, fam := addrParts(ad)
		return vm.ArrayOf(vm.String(host), qjs.Int(int32(port)), vm.String(fam)), nil
	})
	r.fn(obj, "setNoDelay", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s, err := r.sockArg(a); err == nil {
			if tc, ok := s.conn.(*net.TCPConn); ok {
				tc.SetNoDelay(vm.Truthy(qjs.Arg(a, 1)))
			} else if s.fdc != nil {
				s.fdc.setNoDelay(vm.Truthy(qjs.Arg(a, 1)))
			}
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "setKeepAlive", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s, err := r.sockArg(a); err == nil {
			if tc, ok := s.conn.(*net.TCPConn); ok {
				on := vm.Truthy(qjs.Arg(a, 1))
				tc.SetKeepAlive(on)
				if d := vm.Int(qjs.Arg(a, 2)); on && d > 0 {
					tc.SetKeepAlivePeriod(time.Duration(d) * time.Millisecond)
				}
			} else if s.fdc != nil {
				s.fdc.setKeepAlive(vm.Truthy(qjs.Arg(a, 1)), time.Duration(vm.Int(qjs.Arg(a, 2)))*time.Millisecond)
			}
		}
		return qjs.Undefined, nil
	})
	// setMode(id, mode, headRequest): 0 raw, 1 HTTP server (parse
	// requests), 2 HTTP client (parse the response to the request about
	// to be written; headRequest when it is a HEAD request).
	r.fn(obj, "setMode", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if s, err := r.sockArg(a); err == nil {
			s.mu.Lock()
			s.mode = int(vm.Int(qjs.Arg(a, 1)))
			s.expectsNo = vm.Truthy(qjs.Arg(a, 2))
			s.mu.Unlock()
		}
		return qjs.Undefined, nil
	})
}

type pendingConn struct {
	canceled bool
	hold     loopHold
}

func (p *pendingConn) close() { p.canceled = true }

// newSockID registers c under a known id (a connect's pending id).
func (r *rt) newSockID(c net.Conn, id int32) *tcpSock {
	ns := r.netState()
	s := &tcpSock{r: r, ns: ns, id: id, conn: c}
	s.init()
	ns.handles[id] = s
	s.hold.ref(r.loop)
	return s
}

func (srv *tcpServer) accept() {
	r := srv.r
	for {
		c, err := acceptFD(srv.ln)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			r.loop.Enqueue(func() {
				if _, ok := r.netState().handles[srv.id]; ok {
					r.netEmit(srv.id, evListenErr, r.errArgs(err)...)
				}
			})
			return
		}
		r.loop.Enqueue(func() {
			if _, ok := r.netState().handles[srv.id]; !ok {
				c.Close()
				return
			}
			s := r.newSock(c)
			host, port, fam := addrParts(c.RemoteAddr())
			r.netEmit(srv.id, evConnection, qjs.Int(s.id), r.vm.String(host), qjs.Int(int32(port)), r.vm.String(fam))
		})
	}
}

// Idle connections hold no buffers: a server with thousands of idle
// keep-alive connections would otherwise keep 64 KiB of read buffer and a
// chunk buffer per connection. Plain TCP and Unix sockets wait for
// readability through the descriptor and read the first bytes into a
// pooled buffer; the bufio.Reader is taken from a pool then and returned
// when everything it held was consumed.
var (
	chunkPool  = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
	readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}
	firstPool  = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}
)

// init sets the socket's reading and writing state up.
func (s *tcpSock) init() {
	s.cond = sync.NewCond(&s.mu)
	s.raw = rawConnOf(s.conn)
	if s.raw == nil {
		// TLS and other wrapped connections keep their reader.
		s.br = bufio.NewReaderSize(s.conn, 64<<10)
		return
	}
	if fc, ok := s.conn.(*fdConn); ok {
		s.fdc = fc
		if s.watchLoop() {
			return // the loop reads it (net_loopread.go)
		}
	}
	idlePoll.track(s)
}

// firstReader yields bytes already read off the socket, then reads the
// connection; its buffer goes back to the pool once consumed.
type firstReader struct {
	conn net.Conn
	buf  *[]byte
	pend []byte
}

func (f *firstReader) Read(p []byte) (int, error) {
	if len(f.pend) > 0 {
		n := copy(p, f.pend)
		f.pend = f.pend[n:]
		if len(f.pend) == 0 && f.buf != nil {
			firstPool.Put(f.buf)
			f.buf = nil
		}
		return n, nil
	}
	return f.conn.Read(p)
}

// awaitData blocks until the socket has data (or EOF or an error),
// holding no buffer while it waits, and leaves s.br ready to read it.
// Only the reader goroutine calls it.
func (s *tcpSock) awaitData() error {
	if s.raw == nil {
		return nil // s.br reads the connection itself
	}
	s.releaseBuffers()
	var (
		got  *[]byte
		n    int
		rerr error
	)
	s.mu.Lock()
	s.parkedAt = time.Now().UnixNano()
	s.mu.Unlock()
	err := s.raw.Read(func(fd uintptr) bool {
		b := firstPool.Get().(*[]byte)
		for {
			m, err := syscall.Read(int(fd), *b)
			if err == syscall.EINTR {
				continue
			}
			if err == syscall.EAGAIN {
				firstPool.Put(b)
				return false // wait for readability
			}
			got, n, rerr = b, m, err
			return true
		}
	})
	s.mu.Lock()
	s.parkedAt = 0
	kicked := s.kicked
	if kicked {
		s.kicked = false
		s.conn.SetReadDeadline(time.Time{})
	}
	s.mu.Unlock()
	if got == nil && kicked && errors.Is(err, os.ErrDeadlineExceeded) {
		if idlePoll.park(s) {
			return errParked
		}
		return s.awaitData()
	}
	if err == nil {
		err = rerr
	}
	if err == nil && n <= 0 {
		err = io.EOF
	}
	if err != nil {
		if got != nil {
			firstPool.Put(got)
		}
		return err
	}
	br := readerPool.Get().(*bufio.Reader)
	s.first = &firstReader{conn: s.conn, buf: got, pend: (*got)[:n]}
	br.Reset(s.first)
	s.br = br
	return nil
}

// releaseBuffers returns an emptied reader to the pool.
func (s *tcpSock) releaseBuffers() {
	if s.raw == nil || s.br == nil || s.br.Buffered() > 0 {
		return
	}
	if s.first != nil {
		if len(s.first.pend) > 0 {
			return // bytes read off the socket are still pending
		}
		s.first = nil
	}
	s.br.Reset(nil)
	readerPool.Put(s.br)
	s.br = nil
}

// Idle keep-alive connections park without a goroutine: a reader that has
// waited for data longer than idleAfter is woken by the sweeper (an
// expired read deadline), registers the descriptor with the idle poller's
// epoll set (one-shot, level-triggered, so data that arrived meanwhile is
// reported at once) and ends; when the descriptor becomes readable the
// poller starts a new reader. A busy connection never pays for this: the
// sweeper looks at waits older than idleAfter only, once per tick.
const idleAfter = 250 * time.Millisecond

var errParked = errors.New("socket parked in the idle poller")

type idlePoller struct {
	once  sync.Once
	epfd  int // -1 when epoll is unavailable
	mu    sync.Mutex
	all   map[*tcpSock]struct{} // plain sockets, for the sweeper
	socks map[int32]*tcpSock    // parked, by token
	next  int32
}

var idlePoll idlePoller

func (p *idlePoller) start() {
	p.once.Do(func() {
		p.all = map[*tcpSock]struct{}{}
		p.socks = map[int32]*tcpSock{}
		fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			p.epfd = -1
			return
		}
		p.epfd = fd
		go p.wait()
		go p.sweep()
	})
}

func (p *idlePoller) track(s *tcpSock) {
	p.start()
	p.mu.Lock()
	p.all[s] = struct{}{}
	p.mu.Unlock()
}

// forget drops a closing socket (s.mu held); its descriptor leaves the
// epoll set before it is closed.
func (p *idlePoller) forget(s *tcpSock) {
	if s.raw == nil {
		return
	}
	p.mu.Lock()
	delete(p.all, s)
	tok := s.token
	if tok != 0 {
		delete(p.socks, tok)
		s.token = 0
	}
	p.mu.Unlock()
	if tok != 0 && p.epfd >= 0 {
		s.raw.Control(func(fd uintptr) {
			syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_DEL, int(fd), nil)
		})
	}
}

// park registers s for readability; false when it cannot (the reader
// then keeps waiting itself, and is not kicked again).
func (p *idlePoller) park(s *tcpSock) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || p.epfd < 0 {
		s.noPark = true
		return false
	}
	p.mu.Lock()
	p.next++
	if p.next <= 0 {
		p.next = 1
	}
	tok := p.next
	p.socks[tok] = s
	p.mu.Unlock()
	s.token = tok
	var cerr error
	err := s.raw.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT, Fd: tok}
		cerr = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
		if errors.Is(cerr, syscall.EEXIST) {
			cerr = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_MOD, int(fd), &ev)
		}
	})
	if err == nil {
		err = cerr
	}
	if err != nil {
		p.mu.Lock()
		delete(p.socks, tok)
		p.mu.Unlock()
		s.token = 0
		s.noPark = true
		return false
	}
	return true
}

// wait starts a reader for each parked socket that became readable.
func (p *idlePoller) wait() {
	events := make([]syscall.EpollEvent, 128)
	for {
		n, err := syscall.EpollWait(p.epfd, events, -1)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			return
		}
		for _, ev := range events[:n] {
			p.mu.Lock()
			s := p.socks[ev.Fd]
			delete(p.socks, ev.Fd)
			p.mu.Unlock()
			if s == nil {
				continue
			}
			s.mu.Lock()
			ok := s.token == ev.Fd && !s.closed
			s.token = 0
			s.mu.Unlock()
			if ok {
				go s.reader()
			}
		}
	}
}

// sweep kicks readers that have waited longer than idleAfter.
func (p *idlePoller) sweep() {
	past := time.Unix(1, 0)
	for range time.Tick(idleAfter / 2) {
		now := time.Now().UnixNano()
		p.mu.Lock()
		socks := make([]*tcpSock, 0, len(p.all))
		for s := range p.all {
			socks = append(socks, s)
		}
		p.mu.Unlock()
		for _, s := range socks {
			s.mu.Lock()
			if s.parkedAt != 0 && !s.kicked && !s.noPark && !s.closed && now-s.parkedAt >= int64(idleAfter) {
				s.kicked = true
				s.conn.SetReadDeadline(past)
			}
			s.mu.Unlock()
		}
	}
}

// serve listens on network/address (after the permission check), wraps the
// listener (TLS) when wrap is set and starts accepting: the listen and
// listenTLS bindings. It answers [id, address, port, family], or
// [0, errno, code] when listening fails.
func (r *rt) serve(vm *qjs.VM, network, addr string, wrap func(net.Listener) net.Listener) (qjs.Value, error) {
	if network == "unix" {
		addr = r.abs(addr)
	}
	if err := r.permNet(network, addr); err != nil {
		return qjs.Undefined, err
	}
	ln, err := r.listen(network, addr)
	if err != nil {
		n, code := netErr(err)
		return vm.ArrayOf(qjs.Int(0), qjs.Int(n), vm.String(code)), nil
	}
	served := ln
	if wrap != nil {
		served = wrap(ln)
	}
	ns := r.netState()
	ns.next++
	srv := &tcpServer{r: r, id: ns.next, ln: served}
	ns.handles[srv.id] = srv
	srv.hold.ref(r.loop)
	if wrap != nil || !srv.watchAccept() {
		go srv.accept()
	}
	host, port, fam := addrParts(ln.Addr())
	return vm.ArrayOf(qjs.Int(srv.id), vm.String(host), qjs.Int(int32(port)), vm.String(fam)), nil
}
