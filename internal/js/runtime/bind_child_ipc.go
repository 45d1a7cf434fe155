package runtime

// IPC channels of child_process.fork (lib/internal/child_process_ipc.js).
// The channel is a Unix stream socketpair; the child finds its end at the
// descriptor named by NODE_CHANNEL_FD, as in Node. The wire format is one
// of Node's two serializations, so a gnode parent talks to a node child
// and the other way round: 'json' (one JSON text per line) or 'advanced'
// (each message a 4-byte big-endian length and that many bytes of V8
// serializer output, which JavaScript encodes and decodes). A handle (the
// listening socket a cluster primary shares with its workers) travels as
// SCM_RIGHTS with the first bytes of its NODE_HANDLE message, which is how
// libuv sends it. The Go side itself reads and writes only cluster's
// envelopes (the synchronous listen, NODE_HANDLE_ACK): as JSON lines, or in
// 'advanced' mode through the small V8-format codec in bind_cluster.go.
//
// Each channel has a reader goroutine (lines and received descriptors go
// to the loop) and a writer goroutine (writes in order; each write holds
// the loop until it is done, as a pending uv_write does, and a close is
// queued behind the writes so disconnect() flushes first).

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gnode/internal/js/qjs"
)

// Event kinds of a channel on the tcp dispatcher.
const (
	evIPCMessage = 30 // (jsonLine or ArrayBuffer, handleId|0, handleKind: 1 socket, 2 server)
	evIPCEnd     = 31 // () the other end closed
	evIPCWritten = 32 // (reqId, errno|0, code)
)

type ipcChan struct {
	r    *rt
	id   int32
	conn *net.UnixConn
	hold loopHold // loop goroutine only

	wq chan ipcWrite
	// queued counts writes handed to the writer and not yet done; while
	// it is zero the loop may write directly (tryWrite).
	queued atomic.Int32
	raw    syscall.RawConn

	// advanced is the framing ('advanced': length-prefixed frames), fixed
	// by start before the reader reads anything.
	advanced bool
	started  chan struct{}
	// readDone closes when the reader has queued its last delivery and
	// the channel's end: the child's 'exit' waits for it (briefly), so a
	// message sent just before exiting comes before 'exit', as in node.
	readDone chan struct{}

	mu      sync.Mutex
	closed  bool
	waiters map[int64]chan ipcReply // synchronous requests (cluster listen) by ack
}

type ipcWrite struct {
	data  []byte
	fd    int          // descriptor to pass (closed after the write), or -1
	done  func(func()) // the loop hold of this write, or nil
	reqID int32
	close bool
}

// ipcReply is an answer to a synchronous request: the inner message and
// the descriptor that came with it (-1 for none; ok false when the
// channel closed first).
type ipcReply struct {
	msg json.RawMessage
	fd  int
	ok  bool
}

func (r *rt) newIPCChan(conn *net.UnixConn) *ipcChan {
	ns := r.netState()
	ns.next++
	c := &ipcChan{r: r, id: ns.next, conn: conn, wq: make(chan ipcWrite, 256), waiters: map[int64]chan ipcReply{}, started: make(chan struct{}), readDone: make(chan struct{})}
	c.raw, _ = conn.SyscallConn()
	ns.handles[c.id] = c
	go c.reader()
	go c.writer()
	return c
}

// close is the netHandle close: later sends are refused, queued writes
// still go out, then the socket closes. Loop goroutine only.
func (c *ipcChan) close() {
	c.start(c.advanced)
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		c.wq <- ipcWrite{close: true, fd: -1}
		close(c.wq)
	}
	c.mu.Unlock()
	c.hold.unref()
	delete(c.r.netState().handles, c.id)
}

// drained waits up to d for the reader to have queued everything the
// other end sent before it closed; false when it did not finish in time
// (the channel not set up yet, or another process holding the other end).
func (c *ipcChan) drained(d time.Duration) bool {
	select {
	case <-c.started:
	default:
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.readDone:
		return true
	case <-t.C:
		return false
	}
}

// start fixes the serialization and lets the reader go: JavaScript calls
// it when it sets the channel up, before any message can be delivered.
// Loop goroutine only; later calls change nothing.
func (c *ipcChan) start(advanced bool) {
	select {
	case <-c.started:
	default:
		c.advanced = advanced
		close(c.started)
	}
}

// send queues a write; false once the channel is closed.
func (c *ipcChan) send(w ipcWrite) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.queued.Add(1)
	c.wq <- w
	return true
}

// tryWrite writes as much of data as the socket takes now, from the loop
// goroutine, when nothing is queued ahead of it (as the tcp binding's
// tryWrite does): most messages then skip two goroutine hand-offs.
func (c *ipcChan) tryWrite(data []byte) int {
	if c.raw == nil || c.queued.Load() != 0 {
		return 0
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return 0
	}
	return writeNow(c.raw, data)
}

func (c *ipcChan) writer() {
	var failed error
	for w := range c.wq {
		if w.close {
			c.conn.Close()
			continue
		}
		err := failed
		if err == nil {
			err = c.write(w.data, w.fd)
			failed = err
		}
		if w.fd >= 0 {
			syscall.Close(w.fd)
		}
		c.queued.Add(-1)
		if w.done != nil {
			id, reqID := c.id, w.reqID
			w.done(func() {
				// Reported even after the channel closed: JavaScript keeps
				// listening until its pending write callbacks are answered
				// (a send callback that closes the sent server must run).
				if reqID == 0 {
					return
				}
				args := []qjs.Value{qjs.Int(reqID)}
				if err != nil {
					args = append(args, c.r.errArgs(err)...)
				} else {
					args = append(args, qjs.Int(0))
				}
				c.r.netEmit(id, evIPCWritten, args...)
			})
		}
	}
}

func (c *ipcChan) write(data []byte, fd int) error {
	if fd >= 0 {
		n, _, err := c.conn.WriteMsgUnix(data, syscall.UnixRights(fd), nil)
		if err != nil {
			return err
		}
		data = data[n:]
	}
	_, err := c.conn.Write(data)
	return err
}

func (c *ipcChan) reader() {
	defer close(c.readDone)
	<-c.started
	buf := make([]byte, 64<<10)
	oob := make([]byte, syscall.CmsgSpace(16*4))
	var acc []byte
	var fds []int
	// Advanced framing pairs a descriptor with the frame that starts in
	// the read it came with: the kernel never merges bytes read before a
	// message carrying SCM_RIGHTS into the same read, and libuv sends the
	// descriptor with the first byte of its message. fdAt is the stream
	// offset of each pending descriptor's read; pos the offset of acc[0].
	var fdAt []int64
	var pos int64
	for {
		n, oobn, _, _, err := c.conn.ReadMsgUnix(buf, oob)
		n, oobn = max(n, 0), max(oobn, 0) // -1 on some errors
		if oobn > 0 {
			got := parseRights(oob[:oobn])
			fds = append(fds, got...)
			for range got {
				fdAt = append(fdAt, pos+int64(len(acc)))
			}
		}
		if c.advanced {
			var frames [][]byte
			var starts []int64
			frames, starts, acc = splitIPCFrames(append(acc, buf[:n]...), pos)
			pos += sumFrameLen(frames)
			for i, f := range frames {
				fd := -1
				// A descriptor that came with an earlier frame's bytes
				// belongs to none: close it rather than misdeliver it.
				for len(fds) > 0 && fdAt[0] < starts[i] {
					syscall.Close(fds[0])
					fds, fdAt = fds[1:], fdAt[1:]
				}
				if len(fds) > 0 && fdAt[0] == starts[i] {
					fd, fds, fdAt = fds[0], fds[1:], fdAt[1:]
				}
				c.deliverFrame(f, fd)
			}
		} else {
			var lines []string
			lines, acc = splitIPCLines(append(acc, buf[:n]...))
			for _, line := range lines {
				fd := -1
				if len(fds) > 0 && isHandleLine(line) {
					fd, fds = fds[0], fds[1:]
				}
				c.deliver(line, fd)
			}
		}
		if err != nil || (n == 0 && oobn == 0) {
			for _, fd := range fds {
				syscall.Close(fd)
			}
			c.mu.Lock()
			for k, w := range c.waiters {
				w <- ipcReply{fd: -1}
				delete(c.waiters, k)
			}
			c.mu.Unlock()
			r, id := c.r, c.id
			r.loop.Enqueue(func() {
				if _, ok := r.netState().handles[id]; ok {
					r.netEmit(id, evIPCEnd)
				}
			})
			return
		}
	}
}

// maxIPCFrame bounds the length an 'advanced' frame may announce, so a
// corrupt prefix cannot make the reader buffer without end.
const maxIPCFrame = 1 << 30

// splitIPCFrames returns the payloads of the complete length-prefixed
// frames in acc (copies), the stream offset of each frame's prefix (acc[0]
// is at offset pos), and the unfinished rest moved to the front of acc.
// A prefix larger than maxIPCFrame ends the scan: nothing after it can be
// framed, so it stays unconsumed (the channel then stalls, as node's does
// on garbage).
func splitIPCFrames(acc []byte, pos int64) (frames [][]byte, starts []int64, rest []byte) {
	off := 0
	for len(acc)-off >= 4 {
		n := int(acc[off])<<24 | int(acc[off+1])<<16 | int(acc[off+2])<<8 | int(acc[off+3])
		if n > maxIPCFrame || len(acc)-off-4 < n {
			break
		}
		frames = append(frames, append([]byte(nil), acc[off+4:off+4+n]...))
		starts = append(starts, pos+int64(off))
		off += 4 + n
	}
	return frames, starts, append(acc[:0], acc[off:]...)
}

func sumFrameLen(frames [][]byte) int64 {
	var n int64
	for _, f := range frames {
		n += 4 + int64(len(f))
	}
	return n
}

// splitIPCLines returns the complete lines in acc (without their '\n')
// and the bytes of the unfinished last one, moved to the front of acc.
func splitIPCLines(acc []byte) (lines []string, rest []byte) {
	start := 0
	for {
		i := bytes.IndexByte(acc[start:], '\n')
		if i < 0 {
			break
		}
		lines = append(lines, string(acc[start:start+i]))
		start += i + 1
	}
	return lines, append(acc[:0], acc[start:]...)
}

func parseRights(oob []byte) []int {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil
	}
	var fds []int
	for i := range msgs {
		if f, err := syscall.ParseUnixRights(&msgs[i]); err == nil {
			fds = append(fds, f...)
		}
	}
	return fds
}

// ipcEnvelope is the part of a message the Go side looks at.
type ipcEnvelope struct {
	Cmd string          `json:"cmd"`
	Msg json.RawMessage `json:"msg"`
	Ack *int64          `json:"ack"`
}

// isHandleLine reports whether a line is a NODE_HANDLE message, the only
// kind a descriptor comes with.
func isHandleLine(line string) bool {
	if !bytes.Contains([]byte(line), []byte(`"NODE_HANDLE"`)) {
		return false
	}
	var e ipcEnvelope
	return json.Unmarshal([]byte(line), &e) == nil && e.Cmd == "NODE_HANDLE"
}

// deliver hands a line to a synchronous waiter or to JavaScript.
func (c *ipcChan) deliver(line string, fd int) {
	if c.trySync(line, fd) {
		return
	}
	c.emitMessage(fd, func(vm *qjs.VM) qjs.Value { return vm.String(line) })
}

// emitMessage emits a message on the loop, with the handle made from fd
// (if any), unless the channel is gone by then (fd is closed instead).
// message builds the message's value on the loop goroutine.
func (c *ipcChan) emitMessage(fd int, message func(vm *qjs.VM) qjs.Value) {
	r, id := c.r, c.id
	r.loop.Enqueue(func() {
		if _, ok := r.netState().handles[id]; !ok {
			if fd >= 0 {
				syscall.Close(fd)
			}
			return
		}
		hid, kind := int32(0), int32(0)
		if fd >= 0 {
			hid, kind = r.adoptFD(fd)
		}
		r.netEmit(id, evIPCMessage, message(r.vm), qjs.Int(hid), qjs.Int(kind))
	})
}

// deliverFrame hands an 'advanced' payload to JavaScript as an
// ArrayBuffer (JavaScript runs the V8 deserializer over it).
func (c *ipcChan) deliverFrame(payload []byte, fd int) {
	c.mu.Lock()
	waiting := len(c.waiters) > 0
	c.mu.Unlock()
	if waiting {
		// A synchronous listen waits: cluster's envelopes are plain
		// objects, which the Go side reads (bind_cluster.go).
		if text, ok := v8FrameToJSON(payload); ok && c.trySync(text, fd) {
			return
		}
	}
	c.emitMessage(fd, func(vm *qjs.VM) qjs.Value { return vm.NewArrayBuffer(payload) })
}

// adoptFD turns a received descriptor into a handle of the tcp binding:
// a listening socket becomes a server (kind 2), anything else a socket
// (kind 1). It returns 0, 0 when the descriptor is of no usable kind.
func (r *rt) adoptFD(fd int) (int32, int32) {
	f := os.NewFile(uintptr(fd), "ipc-handle")
	defer f.Close()
	listening, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ACCEPTCONN)
	if err != nil {
		return 0, 0
	}
	if listening == 1 {
		ln, err := net.FileListener(f)
		if err != nil {
			return 0, 0
		}
		ns := r.netState()
		ns.next++
		srv := &tcpServer{r: r, id: ns.next, ln: ln}
		ns.handles[srv.id] = srv
		srv.hold.ref(r.loop)
		go srv.accept()
		return srv.id, 2
	}
	conn, err := net.FileConn(f)
	if err != nil {
		return 0, 0
	}
	return r.newSock(conn).id, 1
}

// handleFD duplicates the descriptor behind a handle of the tcp binding
// for sending: a cluster socket, a plain TCP or Unix server or socket.
func handleFD(h netHandle) (int, bool) {
	var sc syscall.Conn
	switch x := h.(type) {
	case *clusterHandle:
		sc, _ = x.ln.(syscall.Conn)
	case *tcpServer:
		sc, _ = x.ln.(syscall.Conn)
	case *tcpSock:
		sc, _ = x.conn.(syscall.Conn)
	}
	if sc == nil {
		return -1, false
	}
	fd, err := dupFD(sc)
	return fd, err == nil
}

func (c *ipcChan) trySync(line string, fd int) bool {
	c.mu.Lock()
	n := len(c.waiters)
	c.mu.Unlock()
	if n == 0 {
		return false
	}
	var e ipcEnvelope
	if json.Unmarshal([]byte(line), &e) != nil {
		return false
	}
	inner, handle := json.RawMessage(line), false
	if e.Cmd == "NODE_HANDLE" {
		handle, inner = true, e.Msg
		e = ipcEnvelope{}
		if json.Unmarshal(inner, &e) != nil {
			return false
		}
	}
	if e.Cmd != "NODE_CLUSTER" || e.Ack == nil {
		return false
	}
	c.mu.Lock()
	w := c.waiters[*e.Ack]
	delete(c.waiters, *e.Ack)
	c.mu.Unlock()
	if w == nil {
		return false
	}
	if handle {
		// The sender waits for this before it sends another handle.
		if data, err := c.encodeEnvelope([]byte(`{"cmd":"NODE_HANDLE_ACK"}`)); err == nil {
			c.send(ipcWrite{data: data, fd: -1})
		}
	}
	w <- ipcReply{msg: inner, fd: fd, ok: true}
	return true
}

// encodeEnvelope turns a JSON text the Go side sends (cluster's
// messages, NODE_HANDLE_ACK) into the channel's wire form.
func (c *ipcChan) encodeEnvelope(text []byte) ([]byte, error) {
	if c.advanced {
		return v8FrameFromJSON(text)
	}
	return append(append([]byte(nil), text...), '\n'), nil
}

// request sends a NODE_CLUSTER message with sequence number seq and waits
// for the answer acknowledging it. It blocks the loop goroutine, as the
// synchronous listen it serves does, at most for timeout.
func (c *ipcChan) request(seq int64, msg []byte, timeout time.Duration) ipcReply {
	w := make(chan ipcReply, 1)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ipcReply{fd: -1}
	}
	c.waiters[seq] = w
	c.mu.Unlock()
	data, err := c.encodeEnvelope(msg)
	if err != nil || !c.send(ipcWrite{data: data, fd: -1}) {
		c.mu.Lock()
		delete(c.waiters, seq)
		c.mu.Unlock()
		return ipcReply{fd: -1}
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case rep := <-w:
		return rep
	case <-t.C:
		c.mu.Lock()
		delete(c.waiters, seq)
		c.mu.Unlock()
		return ipcReply{fd: -1}
	}
}

// dupFD duplicates the descriptor of a listener (close-on-exec) without
// touching its blocking mode, which a shared open file description would
// carry over to every process holding it.
func dupFD(sc syscall.Conn) (int, error) {
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	nfd := -1
	var derr error
	err = rc.Control(func(fd uintptr) {
		nfd, derr = dupCloexec(int(fd))
	})
	if err != nil {
		return -1, err
	}
	return nfd, derr
}

func dupCloexec(fd int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return -1, err
	}
	syscall.CloseOnExec(nfd)
	return nfd, nil
}

// socketpairFiles returns the two ends of a close-on-exec Unix stream
// socketpair.
func socketpairFiles() (*os.File, *os.File, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "ipc"), os.NewFile(uintptr(fds[1]), "ipc"), nil
}

// unixConnOf turns one end of a socketpair into a net.UnixConn (the file
// is closed; the connection holds its own descriptor).
func unixConnOf(f *os.File) (*net.UnixConn, error) {
	defer f.Close()
	c, err := net.FileConn(f)
	if err != nil {
		return nil, err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, errors.New("ipc channel descriptor is not a unix socket")
	}
	return uc, nil
}

// bindChildIPC adds the channel functions to internalBinding('process_wrap').
func bindChildIPC(r *rt, obj qjs.Value) {
	// openChannel(fd) → channel id, or 0 when fd is not a usable socket:
	// the child's end named by NODE_CHANNEL_FD.
	r.fn(obj, "openChannel", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		fd := vm.Int(qjs.Arg(a, 0))
		if fd < 0 {
			return qjs.Int(0), nil
		}
		uc, err := unixConnOf(os.NewFile(uintptr(fd), "ipc"))
		if err != nil {
			return qjs.Int(0), nil
		}
		return qjs.Int(r.newIPCChan(uc).id), nil
	})
	// ipcStart(id, advanced): the channel's serialization ('advanced'
	// when true, else 'json'); the reader waits for it.
	r.fn(obj, "ipcStart", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if c, ok := r.netState().handles[int32(vm.Int(qjs.Arg(a, 0)))].(*ipcChan); ok {
			c.start(vm.Truthy(qjs.Arg(a, 1)))
		}
		return qjs.Undefined, nil
	})
	// ipcSend(id, data, handleId, reqId) → 2 when data (a JSON line, or
	// an 'advanced' frame as a Uint8Array) was written at once (no
	// evIPCWritten follows), true when queued, false when the channel is
	// closed, -1 when the handle cannot be sent. handleId (0:
	// none) names a handle of the tcp binding (a plain TCP/Unix socket or
	// server, or a cluster socket) whose descriptor goes with the line;
	// reqId (0: none) asks for evIPCWritten.
	r.fn(obj, "ipcSend", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		ns := r.netState()
		c, ok := ns.handles[int32(vm.Int(qjs.Arg(a, 0)))].(*ipcChan)
		if !ok {
			return qjs.False, nil
		}
		var data []byte
		if b, ok := vm.TypedArrayBytes(qjs.Arg(a, 1)); ok {
			// An 'advanced' frame, prefix included; copied because the
			// writer may hold it past this call.
			data = append([]byte(nil), b...)
		} else {
			data = []byte(vm.Str(qjs.Arg(a, 1)))
		}
		w := ipcWrite{data: data, fd: -1, reqID: int32(vm.Int(qjs.Arg(a, 3)))}
		if hid := int32(vm.Int(qjs.Arg(a, 2))); hid != 0 {
			fd, ok := handleFD(ns.handles[hid])
			if !ok {
				return qjs.Int(-1), nil
			}
			w.fd = fd
		}
		if w.fd < 0 {
			n := c.tryWrite(w.data)
			if n == len(w.data) {
				return qjs.Int(2), nil
			}
			w.data = w.data[n:]
		}
		w.done = r.loop.RegisterCallback()
		if !c.send(w) {
			w.done(func() {})
			if w.fd >= 0 {
				syscall.Close(w.fd)
			}
			return qjs.False, nil
		}
		return qjs.True, nil
	})
	// ipcRef(id, on): whether the channel holds the loop.
	r.fn(obj, "ipcRef", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if c, ok := r.netState().handles[int32(vm.Int(qjs.Arg(a, 0)))].(*ipcChan); ok {
			if vm.Truthy(qjs.Arg(a, 1)) {
				c.hold.ref(r.loop)
			} else {
				c.hold.unref()
			}
		}
		return qjs.Undefined, nil
	})
	bindCluster(r, obj)
}
