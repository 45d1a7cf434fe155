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
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/testutil/fakeregistry"
)

// newLean builds the transport New builds (without a configuration), with
// at most maxConns connections per host and the given header timeout, and
// fails unless it is the lean one.
func newLean(t *testing.T, maxConns int, timeout time.Duration) (*leanTransport, *dialCounter) {
	t.Helper()
	if proxyInEnvironment() {
		t.Skip("a proxy is set in the environment: requests go through net/http")
	}
	dials := &dialCounter{}
	if timeout == 0 {
		timeout = time.Minute
	}
	ht, _ := newTransport(nil, Options{MaxHostConns: maxConns, Timeout: timeout, Logf: t.Logf}, dials)
	lt, ok := newLeanTransport(ht).(*leanTransport)
	if !ok {
		t.Fatalf("newLeanTransport returned %T", newLeanTransport(ht))
	}
	t.Cleanup(lt.CloseIdleConnections)
	return lt, dials
}

// countConns counts the connections srv accepts.
func countConns(srv *httptest.Server) *atomic.Int32 {
	var n atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	return &n
}

// get sends GET u with hdr through rt and returns the response with its
// body read.
func get(t *testing.T, rt http.RoundTripper, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	resp, body, err := tryGet(context.Background(), rt, http.MethodGet, u, hdr...)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp, body
}

func tryGet(ctx context.Context, rt http.RoundTripper, method, u string, hdr ...string) (*http.Response, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, "", err
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b), err
}

// rawServer answers each request on a connection with the next of
// responses (written as they are), then does what after says: "close"
// closes the connection, anything else keeps reading requests.
type rawServer struct {
	ln       net.Listener
	conns    atomic.Int32
	requests atomic.Int32
	reqs     chan *http.Request
}

func newRawServer(t *testing.T, respond func(n int, req *http.Request) (resp string, closeAfter bool)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln, reqs: make(chan *http.Request, 100)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					n := int(s.requests.Add(1))
					select {
					case s.reqs <- req:
					default:
					}
					resp, closeAfter := respond(n, req)
					if _, err := io.WriteString(c, resp); err != nil || closeAfter {
						return
					}
				}
			}()
		}
	}()
	return s
}

func (s *rawServer) URL() string { return "http://" + s.ln.Addr().String() }

// TestLeanKeepAlive: sequential requests share one connection.
func TestLeanKeepAlive(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "body of "+r.URL.Path)
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, dials := newLean(t, 4, 0)
	for i := range 20 {
		resp, body := get(t, lt, fmt.Sprintf("%s/p%d", srv.URL, i))
		if resp.StatusCode != 200 || body != fmt.Sprintf("body of /p%d", i) || resp.ContentLength != int64(len(body)) || resp.Proto != "HTTP/1.1" {
			t.Fatalf("response %d: %d %q, length %d, %s", i, resp.StatusCode, body, resp.ContentLength, resp.Proto)
		}
	}
	if n := conns.Load(); n != 1 || dials.n.Load() != 1 {
		t.Errorf("20 requests made %d connections (%d dials), want 1", n, dials.n.Load())
	}
	// CloseIdleConnections closes it: the next request dials again
	lt.CloseIdleConnections()
	get(t, lt, srv.URL+"/again")
	if n := conns.Load(); n != 2 || dials.n.Load() != 2 {
		t.Errorf("after CloseIdleConnections: %d connections (%d dials), want 2", n, dials.n.Load())
	}
}

// TestLeanRequest: the request as written: the path as escaped in the
// URL, the query, Host, the caller's headers, gzip asked for.
func TestLeanRequest(t *testing.T) {
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false
	})
	lt, _ := newLean(t, 4, 0)
	get(t, lt, s.URL()+"/@scope%2fname?x=1", "Accept", AcceptAbbreviated, "User-Agent", "gnode-test", "Authorization", "Bearer t")
	req := <-s.reqs
	if req.RequestURI != "/@scope%2fname?x=1" || req.Host != s.ln.Addr().String() || req.Proto != "HTTP/1.1" {
		t.Errorf("request line %s %s %s, Host %s", req.Method, req.RequestURI, req.Proto, req.Host)
	}
	for k, want := range map[string]string{"Accept": AcceptAbbreviated, "User-Agent": "gnode-test", "Authorization": "Bearer t", "Accept-Encoding": "gzip"} {
		if got := req.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	// a caller's Accept-Encoding is sent instead of gzip
	get(t, lt, s.URL()+"/t.tgz", "Accept-Encoding", "identity")
	if req := <-s.reqs; req.Header.Get("Accept-Encoding") != "identity" || req.Header.Get("User-Agent") != "Go-http-client/1.1" {
		t.Errorf("Accept-Encoding %q, User-Agent %q", req.Header.Get("Accept-Encoding"), req.Header.Get("User-Agent"))
	}
}

// TestLeanResend: a request on a kept-alive connection the server closed
// in the meantime goes again on a new one, silently; on a new connection
// it is an error, not a loop.
func TestLeanResend(t *testing.T) {
	// one response per connection, no Connection: close
	s := newRawServer(t, func(n int, _ *http.Request) (string, bool) {
		return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n%d", n%10), true
	})
	lt, dials := newLean(t, 4, 0)
	for i := 1; i <= 5; i++ {
		if _, body := get(t, lt, s.URL()+"/x"); body != fmt.Sprint(i) {
			t.Fatalf("request %d: body %q", i, body)
		}
	}
	if d, n := dials.n.Load(), s.requests.Load(); d != 5 || n != 5 {
		t.Errorf("%d dials and %d requests served, want 5 and 5", d, n)
	}

	// httptest: the server drops its idle connections between requests
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	lt, dials = newLean(t, 4, 0)
	for range 3 {
		if _, body := get(t, lt, srv.URL+"/x"); body != "ok" {
			t.Fatalf("body %q", body)
		}
		srv.CloseClientConnections()
	}
	if d := dials.n.Load(); d != 3 {
		t.Errorf("%d dials, want 3", d)
	}

	// a server that closes every connection without answering
	s = newRawServer(t, func(int, *http.Request) (string, bool) { return "", true })
	lt, dials = newLean(t, 4, 0)
	_, _, err := tryGet(context.Background(), lt, "GET", s.URL()+"/x")
	if err == nil || !strings.Contains(err.Error(), "closed the connection before sending a response") {
		t.Errorf("error %v, want the server closing before a response", err)
	}
	if d := dials.n.Load(); d != 1 {
		t.Errorf("%d dials, want 1 (no resend on a new connection)", d)
	}
}

// TestLeanChunked: chunked bodies, with and without trailers, and the
// connection reused after them.
func TestLeanChunked(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/trailer" {
			w.Header().Set("Trailer", "X-Sum")
		}
		for i := range 5 {
			fmt.Fprintf(w, "part %d;", i)
			w.(http.Flusher).Flush()
		}
		w.Write(bytes.Repeat([]byte("x"), 10000))
		if r.URL.Path == "/trailer" {
			w.Header().Set("X-Sum", "42")
		}
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, _ := newLean(t, 4, 0)
	want := "part 0;part 1;part 2;part 3;part 4;" + strings.Repeat("x", 10000)
	for _, p := range []string{"/a", "/trailer", "/b"} {
		resp, body := get(t, lt, srv.URL+p)
		if body != want || resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
			t.Fatalf("%s: %d bytes, length %d, transfer encoding %v", p, len(body), resp.ContentLength, resp.TransferEncoding)
		}
		if resp.Header.Get("Transfer-Encoding") != "" {
			t.Errorf("Transfer-Encoding left in the header")
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}

	for _, tc := range []struct{ name, resp, want string }{
		{"extensions", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b\r\nabc\r\n2 \r\nde\r\n0\r\nX: y\r\n\r\n", "abcde"},
		{"upper hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", "0123456789"},
	} {
		s := newRawServer(t, func(int, *http.Request) (string, bool) { return tc.resp, false })
		if _, body := get(t, lt, s.URL()+"/x"); body != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, body, tc.want)
		}
	}
}

// TestLeanGzip: gzip is asked for and undone as net/http does it
// (Uncompressed, no Content-Length or Content-Encoding), unless the caller
// chose an Accept-Encoding.
func TestLeanGzip(t *testing.T) {
	doc := strings.Repeat(`{"name":"a"}`, 1000)
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write([]byte(doc))
	zw.Close()
	gz := zbuf.Bytes()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			w.Header().Set("Content-Length", fmt.Sprint(len(doc)))
			io.WriteString(w, doc)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", fmt.Sprint(len(gz)))
		w.Write(gz)
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, _ := newLean(t, 4, 0)
	for range 3 {
		resp, body := get(t, lt, srv.URL+"/a")
		if body != doc || !resp.Uncompressed || resp.ContentLength != -1 || resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Length") != "" {
			t.Fatalf("gzip: %d bytes, Uncompressed %v, length %d, header %v", len(body), resp.Uncompressed, resp.ContentLength, resp.Header)
		}
	}
	resp, body := get(t, lt, srv.URL+"/a", "Accept-Encoding", "identity")
	if body != doc || resp.Uncompressed || resp.ContentLength != int64(len(doc)) {
		t.Errorf("identity: %d bytes, Uncompressed %v, length %d", len(body), resp.Uncompressed, resp.ContentLength)
	}
	resp, body = get(t, lt, srv.URL+"/a", "Accept-Encoding", "gzip")
	if body != string(gz) || resp.Uncompressed || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip asked by the caller: %d bytes, Uncompressed %v", len(body), resp.Uncompressed)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	// a corrupt gzip body is an error, not data
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nnotgz", false
	})
	if _, _, err := tryGet(context.Background(), lt, "GET", s.URL()+"/x"); err == nil {
		t.Errorf("a corrupt gzip body read without error")
	}
}

// TestLeanNoBody: 304, 204 and HEAD responses carry no body and leave
// the connection for the next request.
func TestLeanNoBody(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/304":
			w.Header().Set("ETag", `"e1"`)
			w.WriteHeader(http.StatusNotModified)
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "hello")
		}
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, _ := newLean(t, 4, 0)
	for range 2 {
		resp, body := get(t, lt, srv.URL+"/304", "If-None-Match", `"e1"`)
		if resp.StatusCode != 304 || body != "" || resp.Header.Get("ETag") != `"e1"` || resp.Body != http.NoBody {
			t.Errorf("304: %d %q etag %q", resp.StatusCode, body, resp.Header.Get("ETag"))
		}
		resp, body = get(t, lt, srv.URL+"/204")
		if resp.StatusCode != 204 || body != "" {
			t.Errorf("204: %d %q", resp.StatusCode, body)
		}
		resp, body, err := tryGet(context.Background(), lt, http.MethodHead, srv.URL+"/head")
		if err != nil || resp.StatusCode != 200 || body != "" || resp.ContentLength != 5 {
			t.Errorf("HEAD: %v %q length %d", err, body, resp.ContentLength)
		}
		if _, body := get(t, lt, srv.URL+"/get"); body != "hello" {
			t.Errorf("GET after: %q", body)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	// a 100 Continue before the response is skipped
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false
	})
	if resp, body := get(t, lt, s.URL()+"/x"); resp.StatusCode != 200 || body != "ok" || resp.Header.Get("Link") != "" {
		t.Errorf("after 1xx: %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

// TestLeanConnectionClose: Connection: close and HTTP/1.0 responses are
// read and their connections not reused; a body without a length is read
// to the end of the connection.
func TestLeanConnectionClose(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, dials := newLean(t, 4, 0)
	for range 3 {
		resp, body := get(t, lt, srv.URL+"/x")
		if body != "bye" || !resp.Close {
			t.Fatalf("%q, Close %v", body, resp.Close)
		}
	}
	if n := conns.Load(); n != 3 || dials.n.Load() != 3 {
		t.Errorf("%d connections (%d dials), want 3", n, dials.n.Load())
	}
	for _, tc := range []struct{ name, resp, want string }{
		{"HTTP/1.0 to close", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nread until the end", "read until the end"},
		{"HTTP/1.1 without length", "HTTP/1.1 200 OK\r\n\r\nno length", "no length"},
	} {
		s := newRawServer(t, func(int, *http.Request) (string, bool) { return tc.resp, true })
		for range 2 {
			resp, body := get(t, lt, s.URL()+"/x")
			if body != tc.want || !resp.Close || resp.ContentLength != -1 {
				t.Errorf("%s: %q, Close %v, length %d", tc.name, body, resp.Close, resp.ContentLength)
			}
		}
		if n := s.conns.Load(); n != 2 {
			t.Errorf("%s: %d connections, want 2", tc.name, n)
		}
	}
	// HTTP/1.0 with keep-alive keeps the connection
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", false
	})
	for range 2 {
		if resp, body := get(t, lt, s.URL()+"/x"); body != "ok" || resp.Close || resp.Proto != "HTTP/1.0" {
			t.Errorf("HTTP/1.0 keep-alive: %q, Close %v, %s", body, resp.Close, resp.Proto)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Errorf("HTTP/1.0 keep-alive: %d connections, want 1", n)
	}
}

// TestLeanEarlyClose: a body closed before its end closes its connection
// unless the rest is already buffered; the next request works either way.
func TestLeanEarlyClose(t *testing.T) {
	big := strings.Repeat("0123456789", 100000)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			io.WriteString(w, big)
			return
		}
		io.WriteString(w, "small")
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, _ := newLean(t, 4, 0)
	req, _ := http.NewRequest("GET", srv.URL+"/big", nil)
	resp, err := lt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 10)
	if _, err := io.ReadFull(resp.Body, p); err != nil || string(p) != "0123456789" {
		t.Fatalf("%q %v", p, err)
	}
	resp.Body.Close()
	if n, err := resp.Body.Read(p); n != 0 || err == nil {
		t.Errorf("read after Close: %d, %v", n, err)
	}
	if _, body := get(t, lt, srv.URL+"/small"); body != "small" {
		t.Fatalf("after an early close: %q", body)
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the unfinished one closed)", n)
	}
	// a small body arrives with its head: closing it unread keeps the
	// connection
	req, _ = http.NewRequest("GET", srv.URL+"/small", nil)
	resp, err = lt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, body := get(t, lt, srv.URL+"/small"); body != "small" {
		t.Fatalf("after closing a small body: %q", body)
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the drained one reused)", n)
	}
}

// TestLeanCancel: the request's context ends a wait for the response head
// and a body read in progress.
func TestLeanCancel(t *testing.T) {
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.Header().Set("Content-Length", "2048")
			w.Write(make([]byte, 1024))
			w.(http.Flusher).Flush()
		}
		arrived <- struct{}{}
		<-release
	}))
	defer srv.Close()
	defer close(release)
	lt, _ := newLean(t, 4, 0)

	// waiting for the head
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := tryGet(ctx, lt, "GET", srv.URL+"/head")
		errc <- err
	}()
	<-arrived
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting for the head: %v", err)
	}

	// mid-body
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/body", nil)
	resp, err := lt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	<-arrived
	if _, err := io.ReadFull(resp.Body, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	go cancel()
	_, err = io.ReadAll(resp.Body)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-body: %v", err)
	}
	resp.Body.Close()
	// the pool is usable after: a fresh request to another server
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false
	})
	if _, body := get(t, lt, s.URL()+"/x"); body != "ok" {
		t.Errorf("after cancellations: %q", body)
	}
	// an already-ended context sends nothing
	if _, _, err := tryGet(ctx, lt, "GET", s.URL()+"/y"); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
}

// TestLeanHeaderTimeout: a response head that does not come within the
// timeout is a timeout error (net.Error), not retried by the transport.
func TestLeanHeaderTimeout(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		<-release
	}))
	defer srv.Close()
	defer close(release)
	lt, _ := newLean(t, 4, 20*time.Millisecond)
	_, _, err := tryGet(context.Background(), lt, "GET", srv.URL+"/x")
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !strings.Contains(err.Error(), "timeout awaiting response headers") {
		t.Errorf("error %v, want a header timeout", err)
	}
	if opOf(err) != "timeout" {
		t.Errorf("opOf = %q", opOf(err))
	}
	if got := n.Load(); got != 1 {
		t.Errorf("the server saw %d requests, want 1", got)
	}
}

// TestLeanMalformed: responses whose head or framing is wrong are errors
// saying what is wrong.
func TestLeanMalformed(t *testing.T) {
	lt, _ := newLean(t, 4, 0)
	for _, tc := range []struct{ name, resp, want string }{
		{"duplicate Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", "more than one Content-Length"},
		{"Content-Length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "both Content-Length and chunked"},
		{"bad Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\nabc", "invalid Content-Length"},
		{"status code", "HTTP/1.1 2000 OK\r\n\r\n", "malformed status code"},
		{"protocol", "HTTP/2.0 200 OK\r\n\r\n", "not HTTP/1.0 or HTTP/1.1"},
		{"no status line", "hello\r\n\r\n", "malformed status line"},
		{"transfer encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported Transfer-Encoding"},
		{"folded header", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n", "folded"},
		{"header name", "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n", "malformed header line"},
		{"oversize head", "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 70000) + "\r\nContent-Length: 0\r\n\r\n", "over 64 KB"},
		{"101", "HTTP/1.1 101 Switching Protocols\r\n\r\n", "101"},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "malformed chunked encoding"},
		{"chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", "malformed chunked encoding"},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "unexpected EOF"},
		{"short chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc", "unexpected EOF"},
	} {
		s := newRawServer(t, func(int, *http.Request) (string, bool) { return tc.resp, true })
		_, _, err := tryGet(context.Background(), lt, "GET", s.URL()+"/x")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestLeanMaxConns: concurrent requests to one host never hold more than
// MaxConnsPerHost connections; waiting requests get the ones freed.
func TestLeanMaxConns(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	lt, dials := newLean(t, 2, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				p := fmt.Sprintf("/g%d-%d", g, i)
				_, body, err := tryGet(context.Background(), lt, "GET", srv.URL+p)
				if err != nil || body != p {
					t.Errorf("%s: %q %v", p, body, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := conns.Load(); n > 2 || dials.n.Load() != int64(n) {
		t.Errorf("%d connections (%d dials), want at most 2", n, dials.n.Load())
	}
	// a request waiting for a connection leaves the queue when its
	// context ends
	lt2, dials2 := newLean(t, 1, 0)
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	blocking := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			arrived <- struct{}{}
			<-release
		}
		io.WriteString(w, "ok")
	}))
	defer blocking.Close()
	done := make(chan error, 1)
	go func() {
		_, _, err := tryGet(context.Background(), lt2, "GET", blocking.URL+"/block")
		done <- err
	}()
	<-arrived // the only connection is busy
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := tryGet(ctx, lt2, "GET", blocking.URL+"/x")
		errc <- err
	}()
	waiters := func() (n, open int) {
		lt2.mu.Lock()
		defer lt2.mu.Unlock()
		for _, h := range lt2.hosts {
			n, open = len(h.waiters), h.open
		}
		return n, open
	}
	for {
		if n, _ := waiters(); n == 1 {
			break
		}
		time.Sleep(time.Millisecond) // waiting for the request to queue, not for time to pass
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v", err)
	}
	if n, open := waiters(); n != 0 || open != 1 {
		t.Errorf("after the cancelled wait: %d waiters, %d connections", n, open)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, lt2, blocking.URL+"/x"); body != "ok" {
		t.Errorf("after: %q", body)
	}
	if d := dials2.n.Load(); d != 1 {
		t.Errorf("%d dials, want 1", d)
	}
}

// TestLeanWaiterDials: a request waiting for a host's only connection
// dials its own when that one is closed instead of coming back.
func TestLeanWaiterDials(t *testing.T) {
	lt, dials := newLean(t, 1, 0)
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/first" {
			arrived <- struct{}{}
			<-release
			w.Header().Set("Connection", "close")
		}
		io.WriteString(w, r.URL.Path)
	}))
	defer srv.Close()
	errs := make(chan error, 2)
	for _, p := range []string{"/first", "/second"} {
		if p == "/second" {
			<-arrived
		}
		go func() {
			_, body, err := tryGet(context.Background(), lt, "GET", srv.URL+p)
			if err == nil && body != p {
				err = fmt.Errorf("%s: body %q", p, body)
			}
			errs <- err
		}()
	}
	for {
		lt.mu.Lock()
		n := 0
		for _, h := range lt.hosts {
			n = len(h.waiters)
		}
		lt.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond) // waiting for the request to queue
	}
	close(release)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if d := dials.n.Load(); d != 2 {
		t.Errorf("%d dials, want 2", d)
	}
}

// TestLeanIdleTimeout: an idle connection past the idle timeout is closed
// and leaves the pool.
func TestLeanIdleTimeout(t *testing.T) {
	s := newRawServer(t, func(int, *http.Request) (string, bool) {
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false
	})
	lt, dials := newLean(t, 4, 0)
	get(t, lt, s.URL()+"/x")
	lt.mu.Lock()
	var h *leanHost
	for _, x := range lt.hosts {
		h = x
	}
	if len(h.idle) != 1 || h.open != 1 {
		lt.mu.Unlock()
		t.Fatalf("idle %d, open %d", len(h.idle), h.open)
	}
	c := h.idle[0]
	c.idleSince = time.Now().Add(-2 * lt.idleTimeout)
	lt.mu.Unlock()
	c.idleExpired()
	lt.mu.Lock()
	idle, open := len(h.idle), h.open
	lt.mu.Unlock()
	if idle != 0 || open != 0 {
		t.Errorf("after expiry: idle %d, open %d", idle, open)
	}
	get(t, lt, s.URL()+"/x")
	if d := dials.n.Load(); d != 2 {
		t.Errorf("%d dials, want 2", d)
	}
}

// TestLeanFallback: what the lean path does not handle goes to net/http:
// proxies, HTTP/2, other methods, unusual requests.
func TestLeanFallback(t *testing.T) {
	base := func() *http.Transport {
		return &http.Transport{DialContext: (&net.Dialer{}).DialContext, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
	}
	if _, ok := newLeanTransport(base()).(*leanTransport); !ok {
		t.Fatalf("a plain transport is not fronted by the lean one")
	}
	for name, mod := range map[string]func(*http.Transport){
		"proxy":  func(t *http.Transport) { t.Proxy = http.ProxyFromEnvironment },
		"HTTP/2": func(t *http.Transport) { t.ForceAttemptHTTP2 = true },
		"h2 map": func(t *http.Transport) { t.TLSNextProto = nil },
	} {
		ht := base()
		mod(ht)
		if rt := newLeanTransport(ht); rt != http.RoundTripper(ht) {
			t.Errorf("%s: got %T, want the http.Transport", name, rt)
		}
	}

	lt, _ := newLean(t, 4, 0)
	lt.dialTLS = nil
	mk := func(method, u string, edit func(*http.Request)) *http.Request {
		r, err := http.NewRequest(method, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(r)
		}
		return r
	}
	for name, r := range map[string]*http.Request{
		"POST":         mk("POST", "http://h/x", nil),
		"user":         mk("GET", "http://u:p@h/x", nil),
		"https no tls": mk("GET", "https://h/x", nil),
		"close":        mk("GET", "http://h/x", func(r *http.Request) { r.Close = true }),
		"idn":          mk("GET", "http://bücher.example/x", nil),
		"ftp":          mk("GET", "ftp://h/x", nil),
	} {
		if _, _, ok := lt.eligible(r); ok {
			t.Errorf("%s: handled by the lean path", name)
		}
	}
	if _, _, ok := lt.eligible(mk("GET", "http://h:8080/x", nil)); !ok {
		t.Errorf("a plain GET is not handled by the lean path")
	}
	for name, edit := range map[string]func(*http.Request){
		"Connection header": func(r *http.Request) { r.Header.Set("Connection", "upgrade") },
		"newline in value":  func(r *http.Request) { r.Header["X-A"] = []string{"a\nb"} },
		"bad name":          func(r *http.Request) { r.Header["X A"] = []string{"a"} },
	} {
		r := mk("GET", "http://h/x", edit)
		if _, ok := appendRequest(nil, r, "GET", true); ok {
			t.Errorf("%s: written by the lean path", name)
		}
	}

	// a POST goes through net/http, and leaves the lean pool empty
	var method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method = r.Method
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	if resp, body, err := tryGet(context.Background(), lt, "POST", srv.URL+"/x"); err != nil || body != "ok" || method != "POST" {
		t.Errorf("POST: %v %q %s", err, body, method)
	} else {
		resp.Body.Close()
	}
	lt.mu.Lock()
	n := len(lt.hosts)
	lt.mu.Unlock()
	if n != 0 {
		t.Errorf("the POST went the lean way")
	}

	// A registry behind a proxy: the request goes through net/http to the
	// proxy (the registry's host name does not resolve).
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Host != "registry.invalid" {
			http.Error(w, "not a proxy request: "+r.URL.String(), 400)
			return
		}
		proxied.Add(1)
		io.WriteString(w, `{"name":"a","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"a","version":"1.0.0","dist":{"tarball":"x"}}}}`)
	}))
	defer proxy.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry=http://registry.invalid/\nproxy="+proxy.URL+"/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte("{}"), 0o644)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Home: dir, Env: []string{}, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	c := New(cfg, Options{NoDiskCache: true, Retries: -1})
	defer c.Close()
	if p, err := c.Packument(context.Background(), "a"); err != nil || p.Name != "a" || proxied.Load() != 1 {
		t.Fatalf("through the proxy: %v, %d proxied", err, proxied.Load())
	}
	if _, _, rt := c.hc.Transport.(*lazyTransport).getRT(); rt != http.RoundTripper(c.hc.Transport.(*lazyTransport).t) {
		t.Errorf("with a proxy, requests go through %T", rt)
	}
	// HTTP/2 on: net/http
	c2 := New(cfg, Options{NoDiskCache: true, HTTP2: true})
	defer c2.Close()
	if _, _, rt := c2.hc.Transport.(*lazyTransport).getRT(); rt != http.RoundTripper(c2.hc.Transport.(*lazyTransport).t) {
		t.Errorf("with HTTP/2, requests go through %T", rt)
	}
}

// TestLeanClientUses: a Client without proxy or HTTP/2 sends its requests
// the lean way (the other tests of the package then cover it).
func TestLeanClientUses(t *testing.T) {
	if proxyInEnvironment() {
		t.Skip("a proxy is set in the environment")
	}
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	c := e.client(Options{NoDiskCache: true})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	_, _, rt := c.hc.Transport.(*lazyTransport).getRT()
	lt, ok := rt.(*leanTransport)
	if !ok {
		t.Fatalf("requests go through %T", rt)
	}
	lt.mu.Lock()
	n := len(lt.hosts)
	lt.mu.Unlock()
	if n != 1 {
		t.Errorf("the lean pool has %d hosts, want 1", n)
	}
}

// FuzzParseResponseHead checks the head parser against net/http's: what
// it accepts, net/http accepts and reads the same way (status, protocol,
// length, framing, connection reuse, header fields).
func FuzzParseResponseHead(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\n",
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\nCache-Control: max-age=300\r\n\r\n",
		"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n",
		"HTTP/1.0 200\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: Close\r\n\r\n",
		"HTTP/1.1 200 OK\r\ncontent-length: 3\r\nx-custom-header: a\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\n",
		"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
		"HTTP/1.1 100 Continue\n\n",
		"HTTP/1.1 200 OK\r\nPragma: no-cache\r\nContent-Encoding: GZIP\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: \t a b \t\r\nContent-Length: 007\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
		"HTTP/1.1 200 OK\r\n X: 1\r\n\r\n",
		"HTTP/1.1  200  OK\r\n\r\n",
		"HTTP/1.1 999 \r\n\r\n",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, head bool) {
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		c := &leanConn{br: bufio.NewReaderSize(bytes.NewReader(data), 4<<10)}
		s, _, err := c.readHead()
		if err != nil {
			return
		}
		if !bytes.HasPrefix(data, []byte(s)) {
			t.Fatalf("readHead returned %q, not a prefix of the input", s)
		}
		var h respHead
		if err := parseResponseHead(s, method, &h); err != nil {
			if !strings.HasPrefix(err.Error(), "registry response: ") {
				t.Errorf("error %q does not say where it comes from", err)
			}
			return
		}
		if h.code < 100 || h.code > 999 || h.contentLength < -1 || (h.chunked && h.contentLength != -1 && h.body != bodyNone) {
			t.Fatalf("parsed %q to code %d, length %d, chunked %v", s, h.code, h.contentLength, h.chunked)
		}
		want, err := http.ReadResponse(bufio.NewReader(strings.NewReader(s)), &http.Request{Method: method})
		if err != nil {
			t.Fatalf("accepted %q, which net/http refuses: %v", s, err)
		}
		if want.StatusCode != h.code || want.Status != h.status || want.Proto != h.proto || want.ProtoMinor != h.minor {
			t.Errorf("%q: status %d %q %s, net/http %d %q %s", s, h.code, h.status, h.proto, want.StatusCode, want.Status, want.Proto)
		}
		if want.ContentLength != h.contentLength || want.Close != h.close || (len(want.TransferEncoding) > 0) != h.chunked {
			t.Errorf("%q: length %d close %v chunked %v, net/http %d %v %v", s, h.contentLength, h.close, h.chunked, want.ContentLength, want.Close, want.TransferEncoding)
		}
		if fmt.Sprint(map[string][]string(want.Header)) != fmt.Sprint(map[string][]string(h.header)) {
			t.Errorf("%q: header %v, net/http %v", s, h.header, want.Header)
		}
		noBody := want.Body == http.NoBody
		if noBody != (h.body == bodyNone) {
			t.Errorf("%q: body mode %d, net/http's body %T", s, h.body, want.Body)
		}
	})
}

// BenchmarkRoundTrip compares a GET through the lean transport with one
// through net/http's (the server's cost is in both).
func BenchmarkRoundTrip(b *testing.B) {
	body := strings.Repeat("x", 8000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "8000")
		w.Header().Set("ETag", `"abc"`)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	ht, _ := newTransport(nil, Options{MaxHostConns: 4, Timeout: time.Minute, Logf: b.Logf}, &dialCounter{})
	lt := newLeanTransport(ht)
	ht2, _ := newTransport(nil, Options{MaxHostConns: 4, Timeout: time.Minute, Logf: b.Logf}, &dialCounter{})
	for _, rt := range []struct {
		name string
		rt   http.RoundTripper
	}{{"lean", lt}, {"net-http", ht2}} {
		b.Run(rt.name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hc := &http.Client{Transport: rt.rt}
			buf := make([]byte, 0, 9000)
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/a", nil)
				req.Header.Set("Accept", AcceptAbbreviated)
				req.Header.Set("User-Agent", "gnode")
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				bb := bytes.NewBuffer(buf[:0])
				if _, err := bb.ReadFrom(resp.Body); err != nil || bb.Len() != 8000 {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

// FuzzChunkedBody checks the chunked decoder against net/http's: a body
// it reads whole, net/http reads to the same bytes.
func FuzzChunkedBody(f *testing.F) {
	for _, s := range []string{
		"3\r\nabc\r\n0\r\n\r\n",
		"3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n",
		"0\r\n\r\n",
		"1\nx\r\n0\r\n\r\n",
		"fffffffffffffff\r\n",
		"3\r\nabcX\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lt := &leanTransport{hosts: map[leanKey]*leanHost{}}
		a, b := net.Pipe()
		defer b.Close()
		c := &leanConn{t: lt, h: &leanHost{open: 1}, conn: a, br: bufio.NewReaderSize(bytes.NewReader(data), 4<<10)}
		body := &leanBody{c: c, ctx: context.Background(), mode: bodyChunked, keep: true}
		got, err := io.ReadAll(body)
		body.Close()
		if err != nil {
			return
		}
		want, err := io.ReadAll(httputil.NewChunkedReader(bufio.NewReader(bytes.NewReader(data))))
		if err != nil {
			t.Fatalf("read %q from %q, which net/http refuses: %v", got, data, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("read %q from %q, net/http %q", got, data, want)
		}
	})
}

// TestAppendRequestAsNetHTTP checks that the lean path writes a request
// head byte for byte as net/http's transport writes it (request line,
// Host, User-Agent, the other headers sorted, Accept-Encoding last).
func TestAppendRequestAsNetHTTP(t *testing.T) {
	r, err := http.NewRequest("GET", "http://registry.test:8080/@scope%2fname?write=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("User-Agent", "gnode")
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("If-None-Match", `"e"`)
	r.Header.Set("Npm-Command", "install")
	r.Header.Set("Accept-Encoding", "gzip")
	got, ok := appendRequest(nil, r, "GET", false)
	if !ok {
		t.Fatal("a plain GET was refused")
	}
	var want bytes.Buffer
	if err := r.Write(&want); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("lean head:\n%q\nnet/http's:\n%q", got, want.String())
	}
}
