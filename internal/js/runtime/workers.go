package runtime

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"

	"gnode/internal/js/eventloop"
)

// gnode run --workers N: N isolated runs of the same program (each its own
// VM, event loop and goroutine) in one process, sharing listening sockets
// so a server scales with cores without cluster. Only the first run reads
// stdin; each sees GNODE_WORKER_INDEX (0..N-1) in process.env.

// runGroup is what the runs of one --workers start share.
type runGroup struct {
	mu        sync.Mutex
	listeners map[string]*sharedListener
}

// runWorkers runs opts.Workers copies of the program and returns the
// first non-zero exit code (0 when every run ended cleanly).
func runWorkers(opts Options) int {
	n := opts.Workers
	opts.Stdout, opts.Stderr = shareableWriter(opts.Stdout), shareableWriter(opts.Stderr)
	g := &runGroup{listeners: map[string]*sharedListener{}}
	// One loop per CPU: each keeps its thread on a CPU of its own.
	eventloop.SpreadLoops(n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		o := opts
		o.Workers = 0
		o.group = g
		o.Env = append(append([]string{}, opts.Env...), fmt.Sprintf("GNODE_WORKER_INDEX=%d", i))
		if i > 0 {
			o.Stdin = nil
			o.StdinScript = false
		}
		wg.Add(1)
		go func(i int, o Options) {
			defer wg.Done()
			codes[i] = Run(o)
		}(i, o)
	}
	wg.Wait()
	for _, c := range codes {
		if c != 0 {
			return c
		}
	}
	return 0
}

// listen opens a listening socket. Runs of one --workers group share one
// Go listener per (network, address) as written (port 0 included, as
// Node's cluster does). A plain TCP or Unix server accepts on its own
// loop (watchAccept puts the shared descriptor in every run's epoll set;
// whichever loop looks first takes the connection, as node's cluster does
// with SCHED_NONE); other servers (TLS) pull connections from one
// goroutine that accepts for them and hands the connections round-robin
// to the runs that pull. The socket closes when the last run closes it.
func (r *rt) listen(network, addr string) (net.Listener, error) {
	if ln, ok, err := r.clusterWorkerListen(network, addr); ok { // bind_cluster.go
		return ln, err
	}
	g := r.opts.group
	if g == nil {
		return net.Listen(network, addr)
	}
	key := network + " " + addr
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.listeners[key]
	if s == nil {
		ln, err := net.Listen(network, addr)
		if err != nil {
			return nil, err
		}
		s = &sharedListener{ln: ln, g: g, key: key}
		g.listeners[key] = s
	}
	h := &sharedHandle{s: s, conns: make(chan net.Conn), done: make(chan struct{}), dead: make(chan struct{})}
	s.mu.Lock()
	s.handles = append(s.handles, h)
	s.mu.Unlock()
	return h, nil
}

type sharedListener struct {
	ln  net.Listener
	g   *runGroup
	key string

	mu      sync.Mutex
	handles []*sharedHandle
	next    int
	err     error // the listener's final Accept error
	started sync.Once
}

// acceptLoop accepts for the runs that pull connections (Accept) and
// gives each connection to the next of them in turn (a run whose handle
// closed meanwhile is skipped). It starts with the first Accept: runs
// that accept on their loops never start it.
func (s *sharedListener) acceptLoop() {
	for {
		c, err := acceptFD(s.ln)
		if err != nil {
			s.mu.Lock()
			s.err = err
			hs := s.handles
			s.mu.Unlock()
			for _, h := range hs {
				h.fail()
			}
			return
		}
		delivered := false
		for !delivered {
			s.mu.Lock()
			var pulling []*sharedHandle
			for _, x := range s.handles {
				if x.pulls.Load() {
					pulling = append(pulling, x)
				}
			}
			if len(pulling) == 0 {
				s.mu.Unlock()
				break
			}
			h := pulling[s.next%len(pulling)]
			s.next++
			s.mu.Unlock()
			select {
			case h.conns <- c:
				delivered = true
			case <-h.done:
			}
		}
		if !delivered {
			c.Close()
		}
	}
}

// sharedHandle is one run's view of a shared listener.
type sharedHandle struct {
	s     *sharedListener
	conns chan net.Conn
	done  chan struct{}
	dead  chan struct{} // closed when the shared socket failed
	once  sync.Once
	fails sync.Once
	pulls atomic.Bool // Accept was called: the accept goroutine serves this run

	// Accepting on the loop (net_fdconn.go): how many connections this
	// run accepted that are still open (fdConn.Close counts them out),
	// and whether its loop watches the socket; paused is the loop's own
	// (loop goroutine only).
	live   atomic.Int64
	onLoop atomic.Bool
	paused bool
}

// acceptSlack is how many more open connections a run accepting on its
// loop may hold than the run holding fewest before it leaves the next
// ones to the others. Whichever loop looks first would otherwise take
// them: wrk's 50 connections split 5/46 in one try, where node's cluster
// hands them round-robin. Open connections rather than connections
// accepted: a run that serves and closes short connections faster takes
// more of them (counting every accept paused the faster run again and
// again under Connection: close, 8.9k -> 5k req/s).
const acceptSlack = 2

// ahead reports whether this run holds more than its share of the open
// connections of the runs accepting on their loops.
func (h *sharedHandle) ahead() bool {
	mine := h.live.Load()
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.handles {
		if x != h && x.onLoop.Load() && mine > x.live.Load()+acceptSlack {
			return true
		}
	}
	return false
}

func (h *sharedHandle) fail() { h.fails.Do(func() { close(h.dead) }) }

func (h *sharedHandle) Accept() (net.Conn, error) {
	if !h.pulls.Load() {
		h.pulls.Store(true)
		h.s.started.Do(func() { go h.s.acceptLoop() })
	}
	select {
	case c := <-h.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	case <-h.dead:
		h.s.mu.Lock()
		defer h.s.mu.Unlock()
		return nil, h.s.err
	}
}

// Close releases this run's share; the last one closes the socket, which
// ends the accept loop.
func (h *sharedHandle) Close() error {
	var err error
	h.once.Do(func() {
		close(h.done)
		s := h.s
		s.g.mu.Lock()
		defer s.g.mu.Unlock()
		s.mu.Lock()
		for i, x := range s.handles {
			if x == h {
				s.handles = append(s.handles[:i:i], s.handles[i+1:]...)
				break
			}
		}
		last := len(s.handles) == 0
		s.mu.Unlock()
		if last {
			delete(s.g.listeners, s.key)
			err = s.ln.Close()
		}
	})
	return err
}

func (h *sharedHandle) Addr() net.Addr { return h.s.ln.Addr() }

// lockedWriter serializes writes from the runs that share one output
// (worker threads, --workers). An *os.File needs no lock (each write is
// one system call) and stays unwrapped so TTY checks still see it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func shareableWriter(w io.Writer) io.Writer {
	switch w.(type) {
	case *os.File, *lockedWriter:
		return w
	}
	return &lockedWriter{w: w}
}
