package registryclient

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
)

// leanTransport is the registry client's HTTP/1.1 transport for the common
// case: a GET (or HEAD) without a body to an http or https registry, no
// proxy, HTTP/2 off. It keeps a pool of persistent connections per host,
// writes each request with one Write and reads the response head on the
// caller's goroutine; the body reads straight from the connection.
// Everything else goes to the http.Transport it stands in front of
// (fallback), which also keeps doing proxies, HTTP/2 and client
// certificates, so the rare paths keep net/http's behaviour.
//
// net/http moves every response through two goroutines per connection (a
// read loop and a write loop) and channels between them and the caller,
// and builds more per request: ~25 µs more CPU per request than this, or
// ~45 ms of a cold install of bench/fixtures/toolchain (1,734 requests;
// notes/s14/http.md measured a prototype). What it does that installs rely
// on is kept: dials through the same dialers (tlsDialer, dial counting),
// MaxConnsPerHost, the idle timeout, ResponseHeaderTimeout, cancellation
// by the request's context (mid-body too), transparent gzip with
// Response.Uncompressed, and the silent resend of a request whose reused
// keep-alive connection turns out closed before any byte of a response.
type leanTransport struct {
	fallback *http.Transport
	dialTCP  func(ctx context.Context, network, addr string) (net.Conn, error)
	dialTLS  func(ctx context.Context, network, addr string) (net.Conn, error) // nil: https goes to fallback

	maxPerHost    int           // connections per host, dialling, busy or idle (0: no bound)
	idleTimeout   time.Duration // an idle connection is closed after this (0: never)
	headerTimeout time.Duration // wait for a response head (0: no bound)
	noGzip        bool          // fallback.DisableCompression

	mu    sync.Mutex
	hosts map[leanKey]*leanHost
}

var _ http.RoundTripper = (*leanTransport)(nil)

// newLeanTransport returns the transport requests should go through: a
// leanTransport in front of t when t's configuration is one the lean path
// reproduces (no proxy, no HTTP/2), else t itself.
func newLeanTransport(t *http.Transport) http.RoundTripper {
	if t.Proxy != nil || t.ForceAttemptHTTP2 || t.TLSNextProto == nil || len(t.TLSNextProto) > 0 ||
		t.DialContext == nil || t.DisableKeepAlives || t.OnProxyConnectResponse != nil || t.GetProxyConnectHeader != nil {
		return t
	}
	return &leanTransport{
		fallback:      t,
		dialTCP:       t.DialContext,
		dialTLS:       t.DialTLSContext,
		maxPerHost:    t.MaxConnsPerHost,
		idleTimeout:   t.IdleConnTimeout,
		headerTimeout: t.ResponseHeaderTimeout,
		noGzip:        t.DisableCompression,
		hosts:         map[leanKey]*leanHost{},
	}
}

// leanKey names a host's pool: the scheme and the URL's host as written.
type leanKey struct {
	https bool
	host  string
}

// leanHost is one host's connections.
type leanHost struct {
	addr    string           // host:port to dial
	idle    []*leanConn      // most recently used last
	open    int              // dialling, busy or idle
	waiters []chan *leanConn // requests waiting for a connection: one, or nil for leave to dial
}

// leanConn is one persistent connection; one request uses it at a time.
type leanConn struct {
	t     *leanTransport
	h     *leanHost
	conn  net.Conn
	br    *bufio.Reader
	tls   *tls.ConnectionState
	head  []byte // the response head being read
	abort func() // closes conn; run by context.AfterFunc
	// served is how many responses the connection has carried: a request
	// on a connection that served one may be resent (see roundTrip).
	served int

	idle      bool // in h.idle (t.mu)
	idleSince time.Time
	idleTimer *time.Timer
}

const (
	// maxHeadBytes bounds a response head (status line and headers) and a
	// chunked body's trailer. Node's parser allows 16 KB; registries send
	// ~1 KB.
	maxHeadBytes = 64 << 10
	// max1xx bounds the informational responses skipped before the final one.
	max1xx = 5
	// maxResends bounds the silent resends of one request.
	maxResends = 16
)

// RoundTrip sends req over a pooled connection, or through the fallback
// transport when req is not one the lean path handles.
func (t *leanTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	key, method, ok := t.eligible(req)
	if !ok {
		return t.fallback.RoundTrip(req)
	}
	addGzip := !t.noGzip && method == http.MethodGet && req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == ""
	bp := reqBufs.Get().(*[]byte)
	buf, ok := appendRequest((*bp)[:0], req, method, addGzip)
	if !ok {
		*bp = buf[:0]
		reqBufs.Put(bp)
		return t.fallback.RoundTrip(req)
	}
	defer func() {
		*bp = buf[:0]
		reqBufs.Put(bp)
	}()
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for tries := 0; ; tries++ {
		c, err := t.getConn(ctx, key)
		if err != nil {
			return nil, err
		}
		resp, resend, err := c.roundTrip(ctx, req, buf, method, addGzip)
		if err == nil {
			return resp, nil
		}
		if !resend || tries >= maxResends {
			return nil, err
		}
	}
}

// eligible reports whether req goes the lean way, with its pool key and
// method.
func (t *leanTransport) eligible(req *http.Request) (leanKey, string, bool) {
	u := req.URL
	if u == nil || u.Opaque != "" || u.User != nil || !validHost(u.Host) {
		return leanKey{}, "", false
	}
	var key leanKey
	switch u.Scheme {
	case "https":
		if t.dialTLS == nil {
			return leanKey{}, "", false
		}
		key.https = true
	case "http":
	default:
		return leanKey{}, "", false
	}
	key.host = u.Host
	method := req.Method
	switch method {
	case "":
		method = http.MethodGet
	case http.MethodGet, http.MethodHead:
	default:
		return leanKey{}, "", false
	}
	if (req.Body != nil && req.Body != http.NoBody) || req.ContentLength != 0 || len(req.TransferEncoding) > 0 ||
		req.Close || req.Trailer != nil || req.Cancel != nil || (req.Host != "" && !validHost(req.Host)) {
		return leanKey{}, "", false
	}
	if httptrace.ContextClientTrace(req.Context()) != nil {
		return leanKey{}, "", false
	}
	return key, method, true
}

// validHost reports whether h is a host[:port] the lean path writes and
// dials as it is: ASCII letters, digits and the punctuation of names, IPv4
// and bracketed IPv6 addresses (no zone, no percent-encoding, no IDN).
func validHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']':
		default:
			return false
		}
	}
	return true
}

var reqBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// appendRequest appends req's head to buf as net/http writes it: the
// request line, Host, User-Agent, the other headers sorted, then
// Accept-Encoding: gzip when the transport asks for it. ok is false when a
// header or the URL holds what net/http would refuse or rewrite; the
// request then goes to the fallback, which reports it.
func appendRequest(buf []byte, req *http.Request, method string, addGzip bool) ([]byte, bool) {
	u := req.URL
	buf = append(buf, method...)
	buf = append(buf, ' ')
	start := len(buf)
	p := u.EscapedPath()
	if p == "" {
		buf = append(buf, '/')
	} else if p[0] != '/' {
		return buf, false
	} else {
		buf = append(buf, p...)
	}
	if u.ForceQuery || u.RawQuery != "" {
		buf = append(buf, '?')
		buf = append(buf, u.RawQuery...)
	}
	for _, c := range buf[start:] {
		if c <= ' ' || c == 0x7f {
			return buf, false
		}
	}
	buf = append(buf, " HTTP/1.1\r\nHost: "...)
	if req.Host != "" {
		buf = append(buf, req.Host...)
	} else {
		buf = append(buf, u.Host...)
	}
	buf = append(buf, "\r\n"...)
	// net/http's default User-Agent, none when the header is set empty
	ua := "Go-http-client/1.1"
	if vs, ok := req.Header["User-Agent"]; ok {
		ua = ""
		if len(vs) > 0 {
			ua = vs[0]
		}
	}
	if ua != "" {
		if !httpguts.ValidHeaderFieldValue(ua) {
			return buf, false
		}
		buf = append(buf, "User-Agent: "...)
		buf = append(buf, textproto.TrimString(ua)...)
		buf = append(buf, "\r\n"...)
	}
	var small [16]string
	keys := small[:0]
	for k := range req.Header {
		switch k {
		case "Host", "User-Agent":
			continue
		case "Connection", "Proxy-Connection", "Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length":
			// hop-by-hop or framing headers: net/http's business
			return buf, false
		}
		if !httpguts.ValidHeaderFieldName(k) {
			return buf, false
		}
		keys = append(keys, k)
	}
	slices.Sort(keys) // net/http writes them sorted
	for _, k := range keys {
		for _, v := range req.Header[k] {
			if !httpguts.ValidHeaderFieldValue(v) {
				return buf, false
			}
			buf = append(buf, k...)
			buf = append(buf, ": "...)
			buf = append(buf, textproto.TrimString(v)...)
			buf = append(buf, "\r\n"...)
		}
	}
	if addGzip {
		buf = append(buf, "Accept-Encoding: gzip\r\n"...)
	}
	buf = append(buf, "\r\n"...)
	return buf, true
}

// getConn returns an idle connection to key's host, or dials one when the
// host has fewer than maxPerHost, or waits for one.
func (t *leanTransport) getConn(ctx context.Context, key leanKey) (*leanConn, error) {
	t.mu.Lock()
	h := t.hosts[key]
	if h == nil {
		h = &leanHost{addr: dialAddr(key)}
		t.hosts[key] = h
	}
	if n := len(h.idle); n > 0 {
		c := h.idle[n-1]
		h.idle[n-1] = nil
		h.idle = h.idle[:n-1]
		c.idle = false
		t.mu.Unlock()
		return c, nil
	}
	if t.maxPerHost <= 0 || h.open < t.maxPerHost {
		h.open++
		t.mu.Unlock()
		return t.dial(ctx, key, h)
	}
	w := make(chan *leanConn, 1)
	h.waiters = append(h.waiters, w)
	t.mu.Unlock()
	select {
	case c := <-w:
		if c == nil {
			return t.dial(ctx, key, h)
		}
		return c, nil
	case <-ctx.Done():
		t.mu.Lock()
		for i, x := range h.waiters {
			if x == w {
				h.waiters = append(h.waiters[:i], h.waiters[i+1:]...)
				t.mu.Unlock()
				return nil, ctx.Err()
			}
		}
		t.mu.Unlock()
		// handed a connection (or leave to dial) as the context ended:
		// pass it on
		if c := <-w; c != nil {
			t.putIdle(c)
		} else {
			t.mu.Lock()
			h.open--
			t.handOff(h)
			t.mu.Unlock()
		}
		return nil, ctx.Err()
	}
}

// dialAddr is the host:port a pool dials.
func dialAddr(key leanKey) string {
	port := "80"
	if key.https {
		port = "443"
	}
	host, p, err := net.SplitHostPort(key.host)
	if err != nil {
		// no port
		host = strings.TrimSuffix(strings.TrimPrefix(key.host, "["), "]")
	} else if p != "" {
		port = p
	}
	return net.JoinHostPort(host, port)
}

// dial opens a connection for h, whose open count already includes it.
func (t *leanTransport) dial(ctx context.Context, key leanKey, h *leanHost) (*leanConn, error) {
	dial := t.dialTCP
	if key.https {
		dial = t.dialTLS
	}
	conn, err := dial(ctx, "tcp", h.addr)
	if err != nil {
		t.mu.Lock()
		h.open--
		t.handOff(h)
		t.mu.Unlock()
		return nil, err
	}
	c := &leanConn{t: t, h: h, conn: conn, br: bufio.NewReaderSize(conn, 4<<10)}
	if tc, ok := conn.(*tls.Conn); ok {
		cs := tc.ConnectionState()
		c.tls = &cs
	}
	c.abort = func() { c.conn.Close() }
	return c, nil
}

// handOff lets the first waiter of h dial, now that h has room; t.mu is
// held.
func (t *leanTransport) handOff(h *leanHost) {
	if len(h.waiters) > 0 && (t.maxPerHost <= 0 || h.open < t.maxPerHost) {
		w := h.waiters[0]
		h.waiters = h.waiters[1:]
		h.open++
		w <- nil
	}
}

// putIdle returns c to its host's pool (or to a request waiting for it).
// A connection with unread bytes is in a state nothing can know, and
// closed.
func (t *leanTransport) putIdle(c *leanConn) {
	if c.br.Buffered() > 0 {
		t.closeConn(c)
		return
	}
	h := c.h
	t.mu.Lock()
	if len(h.waiters) > 0 {
		w := h.waiters[0]
		h.waiters = h.waiters[1:]
		t.mu.Unlock()
		w <- c
		return
	}
	c.idle = true
	h.idle = append(h.idle, c)
	if t.idleTimeout > 0 {
		c.idleSince = time.Now()
		if c.idleTimer == nil {
			c.idleTimer = time.AfterFunc(t.idleTimeout, c.idleExpired)
		} else {
			c.idleTimer.Reset(t.idleTimeout)
		}
	}
	t.mu.Unlock()
}

// idleExpired closes c if it is still idle and has been for the timeout.
func (c *leanConn) idleExpired() {
	t := c.t
	t.mu.Lock()
	if !c.idle || time.Since(c.idleSince) < t.idleTimeout {
		t.mu.Unlock()
		return
	}
	h := c.h
	for i, x := range h.idle {
		if x == c {
			h.idle = append(h.idle[:i], h.idle[i+1:]...)
			break
		}
	}
	c.idle = false
	h.open--
	t.handOff(h)
	t.mu.Unlock()
	c.conn.Close()
}

// closeConn closes a connection taken from the pool (or dialled) and
// frees its place.
func (t *leanTransport) closeConn(c *leanConn) {
	c.conn.Close()
	if c.idleTimer != nil {
		c.idleTimer.Stop()
	}
	t.mu.Lock()
	c.h.open--
	t.handOff(c.h)
	t.mu.Unlock()
}

// CloseIdleConnections closes the idle connections of both transports.
func (t *leanTransport) CloseIdleConnections() {
	t.mu.Lock()
	var idle []*leanConn
	for _, h := range t.hosts {
		for _, c := range h.idle {
			c.idle = false
			idle = append(idle, c)
		}
		h.open -= len(h.idle)
		h.idle = nil
	}
	t.mu.Unlock()
	for _, c := range idle {
		c.conn.Close()
	}
	t.fallback.CloseIdleConnections()
}

// roundTrip sends the request head buf and reads the response head. On
// an error, resend says whether the request may go again on another
// connection: net/http's rule, for a request without a body on a
// connection that had served a response before (an idle keep-alive
// connection the server closed), when the failure came before any byte
// of a response and was not a timeout or the context's end.
func (c *leanConn) roundTrip(ctx context.Context, req *http.Request, buf []byte, method string, addedGzip bool) (resp *http.Response, resend bool, err error) {
	t := c.t
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, c.abort)
	}
	fail := func(err error, received bool) (*http.Response, bool, error) {
		t.closeConn(c)
		if stop != nil {
			stop()
		}
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, false, errHeaderTimeout
		}
		if !received && c.served > 0 {
			return nil, true, err
		}
		if !received && errors.Is(err, io.EOF) {
			err = errClosedBeforeResponse
		}
		return nil, false, err
	}
	if t.headerTimeout > 0 {
		c.conn.SetReadDeadline(time.Now().Add(t.headerTimeout))
	}
	if _, err := c.conn.Write(buf); err != nil {
		return fail(err, false)
	}
	var h respHead
	for n1xx := 0; ; n1xx++ {
		s, received, err := c.readHead()
		if err != nil {
			return fail(err, received)
		}
		if err := parseResponseHead(s, method, &h); err != nil {
			return fail(err, true)
		}
		if h.code >= 200 {
			break
		}
		if h.code == http.StatusSwitchingProtocols {
			return fail(errors.New("registry response: 101 Switching Protocols to a request that asked for no upgrade"), true)
		}
		if n1xx >= max1xx {
			return fail(errors.New("registry response: too many 1xx informational responses"), true)
		}
	}
	c.served++
	resp = &http.Response{
		Status:        h.status,
		StatusCode:    h.code,
		Proto:         h.proto,
		ProtoMajor:    1,
		ProtoMinor:    h.minor,
		Header:        h.header,
		ContentLength: h.contentLength,
		Close:         h.close,
		Request:       req,
		TLS:           c.tls,
	}
	if h.chunked {
		resp.TransferEncoding = []string{"chunked"}
	}
	mode := h.body
	if mode == bodyNone {
		resp.Body = http.NoBody
		if stop != nil && !stop() {
			t.closeConn(c)
		} else if h.close {
			t.closeConn(c)
		} else {
			t.putIdle(c)
		}
		return resp, false, nil
	}
	if t.headerTimeout > 0 {
		c.conn.SetReadDeadline(time.Time{})
	}
	b := &leanBody{c: c, ctx: ctx, stop: stop, mode: mode, left: h.contentLength, keep: !h.close}
	if mode == bodyChunked {
		b.left = 0
	}
	resp.Body = b
	if addedGzip && h.gzip {
		resp.Body = &gzipBody{body: b}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	return resp, false, nil
}

var (
	errHeaderTimeout        = &leanTimeoutError{}
	errClosedBeforeResponse = fmt.Errorf("the server closed the connection before sending a response: %w", io.ErrUnexpectedEOF)
	errBodyClosed           = errors.New("http: read on closed response body")
)

// leanTimeoutError is a response head that did not come in time
// (ResponseHeaderTimeout); a net.Error whose Timeout is true, as net/http's.
type leanTimeoutError struct{}

func (*leanTimeoutError) Error() string   { return "timeout awaiting response headers" }
func (*leanTimeoutError) Timeout() bool   { return true }
func (*leanTimeoutError) Temporary() bool { return true }

// readHead reads one response head, through its blank line, as a string.
// received is whether any byte of it came.
func (c *leanConn) readHead() (s string, received bool, err error) {
	c.head = c.head[:0]
	lineStart := 0
	for {
		seg, err := c.br.ReadSlice('\n')
		c.head = append(c.head, seg...)
		if len(c.head) > maxHeadBytes {
			return "", true, fmt.Errorf("registry response: the response head is over %d KB", maxHeadBytes>>10)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(c.head) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return "", len(c.head) > 0, err
		}
		// a blank line ends the head (after the status line)
		line := c.head[lineStart:]
		if lineStart > 0 && (len(line) == 1 || (len(line) == 2 && line[0] == '\r')) {
			return string(c.head), true, nil
		}
		lineStart = len(c.head)
	}
}

// respHead is a parsed response head.
type respHead struct {
	proto         string
	minor         int
	status        string // "200 OK"
	code          int
	header        http.Header
	contentLength int64 // -1: none (or chunked)
	chunked       bool
	close         bool // the connection closes after this response
	gzip          bool // Content-Encoding: gzip
	body          bodyMode
}

type bodyMode uint8

const (
	bodyNone    bodyMode = iota // no body (HEAD, 1xx, 204, 304, Content-Length: 0)
	bodyLength                  // Content-Length bytes
	bodyChunked                 // chunked transfer coding
	bodyToClose                 // everything until the server closes
)

// headError is a malformed or unsupported response head.
func headError(format string, args ...any) error {
	return fmt.Errorf("registry response: "+format, args...)
}

// parseResponseHead parses s, a response head through its blank line (as
// readHead returns it), to a request of method. It accepts a subset of
// what net/http accepts, and reads it the same way: where net/http is
// lenient it is strict, as Node's parser is (duplicate Content-Length,
// Content-Length with chunked, folded header lines are errors), and it
// rejects responses whose framing cannot be trusted.
func parseResponseHead(s, method string, h *respHead) error {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return headError("no status line")
	}
	line := strings.TrimSuffix(s[:i], "\r")
	rest := s[i+1:]
	for j := 0; j < len(line); j++ {
		if c := line[j]; (c < ' ' && c != '\t') || c == 0x7f {
			return headError("malformed status line %q", line)
		}
	}
	proto, status, ok := strings.Cut(line, " ")
	if !ok {
		return headError("malformed status line %q", line)
	}
	switch proto {
	case "HTTP/1.1":
		h.proto, h.minor = "HTTP/1.1", 1
	case "HTTP/1.0":
		h.proto, h.minor = "HTTP/1.0", 0
	default:
		return headError("malformed status line %q: not HTTP/1.0 or HTTP/1.1", line)
	}
	status = strings.TrimLeft(status, " ")
	if len(status) < 3 || (len(status) > 3 && status[3] != ' ') {
		return headError("malformed status code in %q", line)
	}
	code := 0
	for j := 0; j < 3; j++ {
		c := status[j]
		if c < '0' || c > '9' {
			return headError("malformed status code in %q", line)
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return headError("malformed status code in %q", line)
	}
	h.status, h.code = status, code

	n := strings.Count(rest, "\n") - 1
	if n < 0 {
		return headError("no end of the header")
	}
	hdr := make(http.Header, n)
	vals := make([]string, n)
	var cl, te, conn []string
	for {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			return headError("no end of the header")
		}
		line := strings.TrimSuffix(rest[:i], "\r")
		rest = rest[i+1:]
		if line == "" {
			if rest != "" {
				return headError("bytes after the header")
			}
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return headError("folded or indented header line %q", line)
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || !httpguts.ValidHeaderFieldName(k) {
			return headError("malformed header line %q", line)
		}
		if !httpguts.ValidHeaderFieldValue(v) {
			return headError("malformed header line %q", line)
		}
		v = strings.Trim(v, " \t")
		if !isCanonical(k) {
			k = textproto.CanonicalMIMEHeaderKey(k)
		}
		vv := hdr[k]
		if vv == nil && len(vals) > 0 {
			vv, vals = vals[:1:1], vals[1:]
			vv[0] = v
		} else {
			vv = append(vv, v)
		}
		hdr[k] = vv
		switch k {
		case "Content-Length":
			cl = vv
		case "Transfer-Encoding":
			te = vv
		case "Connection":
			conn = vv
		}
	}
	h.header = hdr

	// Connection: close, or HTTP/1.0 without keep-alive
	hasClose := httpguts.HeaderValuesContainsToken(conn, "close")
	if h.minor == 0 {
		h.close = hasClose || !httpguts.HeaderValuesContainsToken(conn, "keep-alive")
	} else {
		h.close = hasClose
		if hasClose {
			delete(hdr, "Connection")
		}
	}

	h.chunked = false
	if te != nil {
		delete(hdr, "Transfer-Encoding")
		if h.minor > 0 {
			if len(te) != 1 || !strings.EqualFold(te[0], "chunked") {
				return headError("unsupported Transfer-Encoding %q", te)
			}
			h.chunked = true
		}
	}
	h.contentLength = -1
	if cl != nil {
		if len(cl) > 1 {
			return headError("more than one Content-Length: %q", cl)
		}
		if h.chunked {
			return headError("both Content-Length and chunked Transfer-Encoding")
		}
		n, ok := parseLength(cl[0])
		if !ok {
			return headError("invalid Content-Length %q", cl[0])
		}
		h.contentLength = n
	}
	if pr, ok := hdr["Pragma"]; ok && len(pr) > 0 && pr[0] == "no-cache" {
		if _, ok := hdr["Cache-Control"]; !ok {
			hdr["Cache-Control"] = []string{"no-cache"}
		}
	}
	ce := hdr["Content-Encoding"]
	h.gzip = len(ce) > 0 && strings.EqualFold(ce[0], "gzip")

	switch {
	case method == http.MethodHead:
		h.body = bodyNone
	case code < 200 || code == http.StatusNoContent || code == http.StatusNotModified:
		h.body = bodyNone
		h.contentLength = 0
	case h.chunked:
		h.body = bodyChunked
	case h.contentLength == 0:
		h.body = bodyNone
	case h.contentLength > 0:
		h.body = bodyLength
	default:
		// no length: the body ends when the connection does
		h.body = bodyToClose
		h.close = true
	}
	return nil
}

// isCanonical reports whether the token k is in canonical MIME form
// (Content-Length): the first letter and each after a hyphen upper case,
// the others lower case.
func isCanonical(k string) bool {
	upper := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return true
}

// parseLength parses a Content-Length: decimal digits, at most 2^63-1.
func parseLength(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		// 18 digits stay below 2^63
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// leanBody is a response body read straight from its connection. At its
// end the connection goes back to the pool; closed early, the connection
// is kept only when the rest of the body is already buffered (it is
// discarded), and otherwise closed.
type leanBody struct {
	c    *leanConn
	ctx  context.Context
	stop func() bool // stops the context's AfterFunc; nil without one
	mode bodyMode
	left int64 // bytes left of the body (bodyLength) or of the current chunk
	keep bool  // the connection may serve another request after this body
	// chunked state
	inChunk bool // between a chunk's size line and its CRLF

	mu      sync.Mutex
	reading bool  // a Read is using the connection
	closed  bool  // Close was called
	done    bool  // the connection was given back or closed
	err     error // what Read returns from now on (io.EOF at the end)
}

func (b *leanBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return 0, errBodyClosed
	}
	if b.err != nil {
		err := b.err
		b.mu.Unlock()
		return 0, err
	}
	b.reading = true
	b.mu.Unlock()

	var n int
	var err error
	switch b.mode {
	case bodyLength:
		n, err = b.readLength(p)
	case bodyChunked:
		n, err = b.readChunked(p)
	default:
		n, err = b.c.br.Read(p)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	b.reading = false
	if b.closed {
		// Close ran meanwhile and closed the connection
		if err == nil || err == io.EOF {
			return n, err
		}
		return n, errBodyClosed
	}
	if err != nil {
		if err == io.EOF {
			b.finish(b.keep && b.mode != bodyToClose)
		} else {
			if b.ctx.Err() != nil {
				err = b.ctx.Err()
			}
			b.finish(false)
		}
		b.err = err
	}
	return n, err
}

func (b *leanBody) readLength(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.c.br.Read(p)
	b.left -= int64(n)
	if b.left == 0 {
		return n, io.EOF
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

var errChunked = errors.New("registry response: malformed chunked encoding")

func (b *leanBody) readChunked(p []byte) (int, error) {
	br := b.c.br
	for b.left == 0 {
		if b.inChunk {
			// the CRLF after a chunk's data
			if cr, err := br.ReadByte(); err != nil {
				return 0, noEOF(err)
			} else if cr != '\r' {
				return 0, errChunked
			}
			if lf, err := br.ReadByte(); err != nil {
				return 0, noEOF(err)
			} else if lf != '\n' {
				return 0, errChunked
			}
			b.inChunk = false
		}
		line, err := br.ReadSlice('\n')
		if err != nil {
			if err == bufio.ErrBufferFull {
				return 0, errChunked
			}
			return 0, noEOF(err)
		}
		size, ok := parseChunkSize(line)
		if !ok {
			return 0, errChunked
		}
		if size == 0 {
			// trailer fields, then a blank line
			total := 0
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					if err == bufio.ErrBufferFull {
						return 0, errChunked
					}
					return 0, noEOF(err)
				}
				total += len(line)
				if total > maxHeadBytes {
					return 0, errChunked
				}
				if len(line) == 1 || (len(line) == 2 && line[0] == '\r') {
					return 0, io.EOF
				}
			}
		}
		b.left, b.inChunk = size, true
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := br.Read(p)
	b.left -= int64(n)
	return n, noEOF(err)
}

// noEOF turns an end of the connection inside a body into
// io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseChunkSize parses a chunk-size line: hex digits, optional
// extensions after ';', CRLF.
func parseChunkSize(line []byte) (int64, bool) {
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return 0, false
	}
	line = line[:len(line)-2]
	for _, c := range line {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return 0, false
		}
	}
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	for len(line) > 0 && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t') {
		line = line[:len(line)-1]
	}
	if len(line) == 0 || len(line) > 15 {
		// 15 hex digits stay below 2^63
		return 0, false
	}
	var n int64
	for _, c := range line {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | int64(c)
	}
	return n, true
}

// Close ends the body. Unread bytes already buffered are discarded and
// the connection kept; otherwise an unfinished body closes its connection.
func (b *leanBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.done {
		return nil
	}
	if b.reading {
		// another goroutine is in Read: closing the connection ends it
		b.finish(false)
		return nil
	}
	keep := false
	if b.mode == bodyLength && b.keep && b.left <= int64(b.c.br.Buffered()) {
		b.c.br.Discard(int(b.left))
		b.left = 0
		keep = true
	}
	b.finish(keep)
	return nil
}

// finish gives the connection back (keep) or closes it, once; b.mu is
// held.
func (b *leanBody) finish(keep bool) {
	if b.done {
		return
	}
	b.done = true
	if b.stop != nil && !b.stop() {
		// the context ended: its AfterFunc closed the connection
		keep = false
	}
	if keep {
		b.c.t.putIdle(b.c)
	} else {
		b.c.t.closeConn(b.c)
	}
}

// gzipBody decompresses a body the transport asked gzip for, as
// net/http's transparent decompression does.
type gzipBody struct {
	body *leanBody
	zr   *gzip.Reader
	err  error
}

var gzipReaders sync.Pool // *gzip.Reader

func (g *gzipBody) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	g.body.mu.Lock()
	closed := g.body.closed
	g.body.mu.Unlock()
	if closed {
		return 0, errBodyClosed
	}
	if g.zr == nil {
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			zr = new(gzip.Reader)
		}
		if err := zr.Reset(g.body); err != nil {
			g.err = err
			return 0, err
		}
		g.zr = zr
	}
	n, err := g.zr.Read(p)
	if err != nil {
		g.err = err
		if err == io.EOF {
			// the body is at its end too (gzip reads through it)
			gzipReaders.Put(g.zr)
			g.zr = nil
		}
	}
	return n, err
}

func (g *gzipBody) Close() error {
	return g.body.Close()
}
