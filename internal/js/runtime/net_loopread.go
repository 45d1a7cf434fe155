package runtime

// Plain TCP and Unix sockets are read by their event loop, as libuv does:
// each socket's descriptor is in the loop's epoll set (eventloop.Watch),
// and when it is readable the loop reads it itself and delivers what it
// read (raw chunks, or whole HTTP requests without a body) in the same
// callback. A busy server then handles every ready socket per wake-up, and
// a request costs no goroutine hand-off: before this, each chunk woke the
// socket's reader goroutine, which woke the loop (about 0.3 voluntary
// context switches per request against node's 0.03).
//
// Everything else — request bodies, chunked framing, upgrades, HTTP
// client responses, heads longer than maxHeaderSize — goes to the
// socket's reader goroutine (bind_net.go's reader, with the bytes the loop
// already read), which hands the socket back to the loop once it has
// consumed everything it buffered. At any time exactly one of the two
// owns the socket's reading: the loop while s.onLoop is set, else the
// goroutine.

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"syscall"
	"unsafe"
)

// loopReadBufSize is the loop's read buffer, shared by its sockets.
const loopReadBufSize = 64 << 10

// watchLoop puts a plain socket in its loop's epoll set; false when the
// loop has no poller (the socket keeps a reader goroutine).
func (s *tcpSock) watchLoop() bool {
	fd := -1
	if err := s.raw.Control(func(d uintptr) { fd = int(d) }); err != nil || fd < 0 {
		return false
	}
	w, err := s.r.loop.Watch(fd, s.onReadable)
	if err != nil {
		return false
	}
	s.fd, s.watch, s.loopable, s.onLoop = fd, w, true, true
	return true
}

// loopResume starts (again) reporting readability to the loop, and
// delivers what the loop read before reading stopped (loop goroutine).
func (s *tcpSock) loopResume() {
	s.mu.Lock()
	ok := s.onLoop && s.reading && !s.closed
	s.mu.Unlock()
	if !ok || s.watch == nil || s.readDone {
		return
	}
	s.watch.SetReadable(true)
	if len(s.pend) > 0 && !s.pendQueued {
		s.pendQueued = true
		s.r.loop.Enqueue(func() {
			s.pendQueued = false
			if s.watch != nil && !s.readDone && len(s.pend) > 0 {
				data := s.pend
				s.pend = nil
				s.consume(data, true)
			}
		})
	}
}

// onReadable is the watch's callback: one read, then delivery.
func (s *tcpSock) onReadable() {
	s.mu.Lock()
	reading, onLoop, closed := s.reading, s.onLoop, s.closed
	s.mu.Unlock()
	if closed || s.watch == nil {
		return
	}
	if !reading || !onLoop || s.readDone {
		// Stopping is lazy: readStop and readStart in one callback cost
		// no epoll_ctl.
		s.watch.SetReadable(false)
		return
	}
	ns := s.ns
	if ns.rbuf == nil {
		ns.rbuf = make([]byte, loopReadBufSize)
	}
	var n int
	var err error
	for {
		n, err = rawRead(s.fd, ns.rbuf)
		if err != syscall.EINTR {
			break
		}
	}
	switch {
	case err == syscall.EAGAIN:
		return
	case err != nil:
		s.stopLoopRead()
		s.r.netEmitTo(ns, s.id, evError, s.r.errArgs(err)...)
		return
	case n == 0:
		if s.bodyLeft > 0 {
			// The body was cut short, reported as the reader does.
			s.stopLoopRead()
			s.r.netEmitTo(ns, s.id, evError, s.r.errArgs(io.ErrUnexpectedEOF)...)
			return
		}
		if len(s.pend) > 0 {
			// A message cut short: the reader reports it as it
			// would have (it reads the same bytes, then EOF).
			data := s.pend
			s.pend = nil
			s.toGoroutine(data)
			return
		}
		s.stopLoopRead()
		s.r.netEmitTo(ns, s.id, evEOF)
		return
	}
	data := ns.rbuf[:n]
	owned := false
	if len(s.pend) > 0 {
		// A head arriving in pieces grows one buffer (amortized), not a
		// copy of everything so far per piece.
		data = append(s.pend, data...)
		s.pend = nil
		owned = true
	}
	s.consume(data, owned)
}

// stopLoopRead ends reading for good (EOF, a read error, a parse error),
// as the reader goroutine ends.
func (s *tcpSock) stopLoopRead() {
	s.readDone = true
	s.pend = nil
	if s.watch != nil {
		s.watch.SetReadable(false)
	}
}

// consume delivers data read by the loop. Unless owned, data is the
// shared read buffer, and whatever is kept is copied.
func (s *tcpSock) consume(data []byte, owned bool) {
	keep := func(b []byte) []byte {
		if owned {
			return b
		}
		return append([]byte(nil), b...)
	}
	for len(data) > 0 {
		s.mu.Lock()
		mode, reading, closed := s.mode, s.reading, s.closed
		s.mu.Unlock()
		if closed || s.watch == nil {
			return
		}
		if !reading {
			s.pend = keep(data)
			return
		}
		if s.bodyLeft > 0 {
			// A request body of known length, delivered as it comes.
			n := int(min(int64(len(data)), s.bodyLeft))
			b := append([]byte(nil), data[:n]...)
			s.bodyLeft -= int64(n)
			data = data[n:]
			s.r.netEmitTo(s.ns, s.id, evBody, s.r.vm.NewUint8Array(b))
			if s.bodyLeft == 0 && !s.isClosed() {
				s.r.netEmitTo(s.ns, s.id, evBodyEnd, s.r.vm.StringArray(nil))
			}
			continue
		}
		switch mode {
		case modeRaw:
			b := append([]byte(nil), data...)
			s.r.netEmitTo(s.ns, s.id, evData, s.r.vm.NewUint8Array(b))
			return
		case modeServer:
			n := s.loopRequest(data)
			switch {
			case n > 0:
				data = data[n:]
			case n == needMore && len(data) <= maxHeaderSize:
				s.pend = keep(data)
				return
			case n == parseFailed:
				return
			default:
				s.toGoroutine(data)
				return
			}
		default:
			s.toGoroutine(data)
			return
		}
	}
}

// loopRequest results other than a byte count.
const (
	needMore    = 0  // the head is not complete yet
	handOff     = -1 // the reader goroutine must take this message
	parseFailed = -2 // evParseError was emitted; reading ended
)

// loopRequest delivers the head of the request at the start of data if
// it is complete and the body has no framing or a Content-Length (its
// bytes follow through s.bodyLeft), returning the bytes it took.
func (s *tcpSock) loopRequest(data []byte) int {
	end := headEnd(data)
	if end < 0 {
		return needMore
	}
	ns := s.ns
	h := &ns.head
	// The head is parsed in place: its strings point into data (the
	// loop's read buffer, or the socket's pending bytes), which nothing
	// overwrites before the head has been delivered below. Whatever
	// outlives this call is copied: the JavaScript strings headArgs makes,
	// and netState.str's cache keys. A copy per head was the run's only
	// Go allocation per request (a GC cycle every ~40k hello requests,
	// each stopping both loops of a --workers run for 0.1-20 ms).
	if err := parseHead(headSrc{s: unsafe.String(unsafe.SliceData(data), end)}, true, h); err != nil {
		var pe *httpParseError
		if !errors.As(err, &pe) {
			return handOff
		}
		s.stopLoopRead()
		s.r.netEmitTo(ns, s.id, evParseError, s.r.vm.String(pe.msg), s.r.vm.String(pe.code))
		return parseFailed
	}
	flags, bodyKind, upgrade := s.classify(h, true)
	if upgrade || bodyKind > 1 {
		return handOff
	}
	if bodyKind == 1 {
		s.bodyLeft = h.contentLength
	}
	s.r.netEmitTo(ns, s.id, evHead, s.headArgs(h, true, flags, nil)...)
	return end
}

// headEnd returns the length of the message head at the start of data
// (through the empty line that ends it), or -1 when it is not complete.
// Lines end with LF, a CR before it optional, and empty lines before the
// head are skipped, as readHead reads them.
func headEnd(data []byte) int {
	i, started := 0, false
	for {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return -1
		}
		empty := j == 0 || (j == 1 && data[i] == '\r')
		i += j + 1
		if empty && started {
			return i
		}
		if !empty {
			started = true
		}
	}
}

// toGoroutine hands the socket's reading to its reader goroutine, data
// (read by the loop, not yet delivered) first.
func (s *tcpSock) toGoroutine(data []byte) {
	s.watch.SetReadable(false)
	s.pend = nil
	if len(data) > 0 {
		s.first = &firstReader{conn: s.conn, pend: append([]byte(nil), data...)}
		br := readerPool.Get().(*bufio.Reader)
		br.Reset(s.first)
		s.br = br
	}
	s.mu.Lock()
	s.onLoop = false
	s.started = true
	s.mu.Unlock()
	go s.reader()
}

// handBack returns the socket's reading to the loop when the reader
// goroutine has nothing buffered (reader goroutine); false when the
// socket stays with the goroutine.
func (s *tcpSock) handBack() bool {
	if !s.loopable {
		return false
	}
	s.releaseBuffers()
	if s.br != nil {
		return false
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	s.onLoop = true
	s.started = false
	s.mu.Unlock()
	s.r.loop.Enqueue(s.loopResume)
	return true
}

// closeWatch leaves the loop's epoll set before the descriptor closes
// (loop goroutine).
func (s *tcpSock) closeWatch() {
	if s.watch != nil {
		s.watch.Close()
		s.watch = nil
	}
	s.pend = nil
}
