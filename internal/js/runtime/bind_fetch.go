package runtime

// internalBinding('fetch'): the network half of fetch() for
// lib/internal/fetch.js (see lib/bindings/fetch.md).
//
// One shared net/http client (keep-alive pool, HTTP/2 over TLS) serves
// every run. A request runs on a goroutine and hands its response head
// back through the loop; the body is read one chunk per read() call, so
// the JS ReadableStream's pull drives the network (backpressure) and an
// unread body does not hold the loop. Each pending operation holds the
// loop through RegisterCallback until its result is delivered.

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"

	"gnode/internal/js/qjs"
)

// Event kinds passed to the JS dispatcher as (id, kind, ...).
const (
	fetchEvHead  = 1 // (status, statusText, [name, value, ...], url, redirected)
	fetchEvChunk = 2 // (Uint8Array)
	fetchEvError = 3 // (message, code, errno, syscall, address, port)
	fetchEvEnd   = 4 // ()
)

// fetchTransport is shared by all runs, as undici's global dispatcher is
// shared by all fetches of a process. Compression is handled here rather
// than by the transport so that deflate and br are decoded too and the
// request keeps the accept-encoding the program chose.
//
// TLS follows Node's switches: NODE_EXTRA_CA_CERTS (a PEM file read at
// start, added to the system roots) and NODE_TLS_REJECT_UNAUTHORIZED=0
// (read from process.env at each fetch, as Node reads it per connection).
// Each combination gets its own transport, kept for the process.
type fetchTLSKey struct {
	insecure bool
	extraCA  string
}

var (
	fetchTransportsMu sync.Mutex
	fetchTransports   = map[fetchTLSKey]*http.Transport{}
)

func fetchTransport(key fetchTLSKey) *http.Transport {
	fetchTransportsMu.Lock()
	defer fetchTransportsMu.Unlock()
	if t := fetchTransports[key]; t != nil {
		return t
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 64
	// undici's headersTimeout default.
	t.ResponseHeaderTimeout = 300 * time.Second
	cfg := &tls.Config{InsecureSkipVerify: key.insecure}
	if key.extraCA != "" {
		if pem, err := os.ReadFile(key.extraCA); err == nil {
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			pool.AppendCertsFromPEM(pem)
			cfg.RootCAs = pool
		}
	}
	t.TLSClientConfig = cfg
	fetchTransports[key] = t
	return t
}

type fetchReq struct {
	cancel context.CancelFunc
	body   io.ReadCloser // set once the head arrived; read on a goroutine
	mu     sync.Mutex    // serializes reads with close
}

type fetchState struct {
	reqs     map[int32]*fetchReq
	next     int32
	dispatch qjs.Value // owned, freed with r.held
}

var (
	fetchStatesMu sync.Mutex
	fetchStates   = map[*rt]*fetchState{}
)

func (r *rt) fetchState() *fetchState { return r.fetchStateNoLoop() }

// fetchStateNoLoop returns (creating) the run's state; it touches no VM.
func (r *rt) fetchStateNoLoop() *fetchState {
	fetchStatesMu.Lock()
	defer fetchStatesMu.Unlock()
	fs := fetchStates[r]
	if fs == nil {
		fs = &fetchState{reqs: map[int32]*fetchReq{}}
		fetchStates[r] = fs
	}
	return fs
}

// fetchEmit calls the dispatcher with (id, kind, args...); args are owned.
func (r *rt) fetchEmit(id, kind int32, args ...qjs.Value) {
	vm := r.vm
	fs := r.fetchState()
	if !vm.IsFunction(fs.dispatch) {
		vm.FreeAll(args...)
		return
	}
	all := append([]qjs.Value{qjs.Int(id), qjs.Int(kind)}, args...)
	v, err := vm.Call(fs.dispatch, qjs.Undefined, all...)
	vm.FreeAll(args...)
	vm.Free(v)
	if err != nil {
		r.handleError(err)
	}
}

// fetchErrorArgs describes err as Node's network errors do: a message
// such as "connect ECONNREFUSED 127.0.0.1:1" with code, errno, syscall,
// address and port when the failure came from a socket.
func (r *rt) fetchErrorArgs(err error) []qjs.Value {
	vm := r.vm
	msg, code, syscallName, address := err.Error(), "", "", ""
	errno, port := int32(0), int32(0)
	var op *net.OpError
	var en syscall.Errno
	switch {
	case errors.Is(err, context.Canceled):
		code = "ABORT_ERR"
		msg = "This operation was aborted"
	case errors.As(err, &op) && errors.As(err, &en):
		n, c := netErr(en)
		errno, code = n, c
		syscallName = op.Op
		if syscallName == "dial" {
			syscallName = "connect"
		}
		if ta, ok := op.Addr.(*net.TCPAddr); ok {
			address, port = ta.IP.String(), int32(ta.Port)
			msg = fmt.Sprintf("%s %s %s:%d", syscallName, code, address, port)
		} else {
			msg = syscallName + " " + code
		}
	default:
		var dns *net.DNSError
		if errors.As(err, &dns) {
			errno, code = netErr(err)
			syscallName = "getaddrinfo"
			msg = fmt.Sprintf("getaddrinfo %s %s", code, dns.Name)
		} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
			code, msg = "UND_ERR_SOCKET", "other side closed"
		} else if errors.Is(err, errFetchRedirect) {
			msg = "unexpected redirect"
		} else if ce := (*codedError)(nil); errors.As(err, &ce) {
			code, msg = ce.code, ce.msg // e.g. a redirect hop --allow-net refuses
		} else {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				code, msg = "UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error"
			}
			// Go's *url.Error prefixes "Get \"url\": "; keep the cause.
			if i := strings.LastIndex(msg, "\": "); i >= 0 && code == "" {
				msg = msg[i+3:]
			}
		}
	}
	return []qjs.Value{vm.String(msg), vm.String(code), qjs.Int(errno), vm.String(syscallName), vm.String(address), qjs.Int(port)}
}

var errFetchRedirect = errors.New("unexpected redirect")

// decodeBody undoes the content codings fetch decodes, outermost last.
func decodeBody(body io.ReadCloser, enc string) io.ReadCloser {
	codings := strings.Split(enc, ",")
	var rd io.Reader = body
	for i := len(codings) - 1; i >= 0; i-- {
		switch strings.ToLower(strings.TrimSpace(codings[i])) {
		case "gzip", "x-gzip":
			rd = &lazyReader{mk: func(src io.Reader) func() (io.Reader, error) {
				return func() (io.Reader, error) { return gzip.NewReader(src) }
			}(rd)}
		case "deflate":
			rd = &lazyReader{mk: func(src io.Reader) func() (io.Reader, error) {
				return func() (io.Reader, error) {
					// zlib-wrapped, as the RFC says; raw deflate as
					// servers often send it.
					br := &peekReader{src: src}
					hdr, err := br.peek(2)
					if err == nil && len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
						return zlib.NewReader(br)
					}
					return flate.NewReader(br), nil
				}
			}(rd)}
		case "br":
			rd = brotli.NewReader(rd)
		case "", "identity":
		default:
			return body
		}
	}
	return struct {
		io.Reader
		io.Closer
	}{rd, body}
}

type lazyReader struct {
	mk  func() (io.Reader, error)
	rd  io.Reader
	err error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.rd == nil && l.err == nil {
		l.rd, l.err = l.mk()
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.rd.Read(p)
}

type peekReader struct {
	src io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		k, err := p.src.Read(b)
		p.buf = append(p.buf, b[:k]...)
		if err != nil {
			return p.buf, err
		}
	}
	return p.buf, nil
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.src.Read(b)
}

func (p *peekReader) ReadByte() (byte, error) {
	var b [1]byte
	_, err := io.ReadFull(p, b[:])
	return b[0], err
}

// bindFetch is internalBinding('fetch'), see lib/bindings/fetch.md.
func bindFetch(r *rt, obj qjs.Value) {
	r.fn(obj, "setDispatch", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		fs := r.fetchState()
		if !vm.IsFunction(fs.dispatch) {
			fs.dispatch = vm.Dup(qjs.Arg(a, 0))
			r.held = append(r.held, fs.dispatch)
		}
		return qjs.Undefined, nil
	})
	// request(method, url, [name, value, ...], body, redirect) → id.
	r.fn(obj, "request", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		method, target := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		hv := qjs.Arg(a, 2)
		n := vm.Len(hv)
		hdr := http.Header{}
		for i := 0; i+1 < n; i += 2 {
			k, _ := vm.GetIndex(hv, uint32(i))
			v, _ := vm.GetIndex(hv, uint32(i+1))
			hdr.Add(vm.Str(k), vm.Str(v))
			vm.FreeAll(k, v)
		}
		var body []byte
		hasBody := false
		if b, ok := vm.TypedArrayBytes(qjs.Arg(a, 3)); ok {
			body, hasBody = append([]byte(nil), b...), true
		}
		redirect := vm.Str(qjs.Arg(a, 4))
		tlsKey := fetchTLSKey{insecure: vm.Truthy(qjs.Arg(a, 5)), extraCA: envLookup(r.opts.Env, "NODE_EXTRA_CA_CERTS")}
		if tlsKey.extraCA != "" {
			tlsKey.extraCA = r.abs(tlsKey.extraCA)
		}

		fs := r.fetchState()
		fs.next++
		id := fs.next
		ctx, cancel := context.WithCancel(context.Background())
		fr := &fetchReq{cancel: cancel}
		fs.reqs[id] = fr

		var rdr io.Reader
		if hasBody {
			rdr = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, rdr)
		done := r.loop.RegisterCallback()
		if err != nil {
			done(func() {
				delete(fs.reqs, id)
				r.fetchEmit(id, fetchEvError, r.fetchErrorArgs(err)...)
			})
			return qjs.Int(id), nil
		}
		if host := hdr.Get("Host"); host != "" {
			req.Host = host
			hdr.Del("Host")
		}
		req.Header = hdr
		redirected := false
		client := &http.Client{
			Transport: fetchTransport(tlsKey),
			CheckRedirect: func(next *http.Request, via []*http.Request) error {
				// fetch sends no Referer by default (Go's client adds one).
				next.Header.Del("Referer")
				switch redirect {
				case "manual":
					return http.ErrUseLastResponse
				case "error":
					return errFetchRedirect
				}
				if len(via) > 20 {
					return errors.New("redirect count exceeded")
				}
				// --allow-net applies to every hop, not only the first URL.
				if f := r.permFlags(); f != nil {
					if err := checkURL(f, next.URL.String()); err != nil {
						return permissionError(err)
					}
				}
				redirected = true
				return nil
			},
		}
		go func() {
			resp, err := client.Do(req)
			done(func() {
				if err != nil {
					delete(fs.reqs, id)
					r.fetchEmit(id, fetchEvError, r.fetchErrorArgs(err)...)
					return
				}
				if _, ok := fs.reqs[id]; !ok {
					resp.Body.Close()
					return
				}
				fr.body = decodeBody(resp.Body, resp.Header.Get("Content-Encoding"))
				if method == "HEAD" {
					fr.body = http.NoBody
				}
				text := strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode)))
				flat := make([]string, 0, 2*len(resp.Header))
				if len(resp.TransferEncoding) > 0 {
					// Go moves transfer-encoding out of the header map.
					flat = append(flat, "transfer-encoding", strings.Join(resp.TransferEncoding, ", "))
				}
				for k, vs := range resp.Header {
					for _, v := range vs {
						flat = append(flat, strings.ToLower(k), v)
					}
				}
				r.fetchEmit(id, fetchEvHead, qjs.Int(int32(resp.StatusCode)), vm.String(text),
					vm.StringArray(flat), vm.String(resp.Request.URL.String()), qjs.Bool(redirected))
			})
		}()
		return qjs.Int(id), nil
	})
	// read(id): the next body chunk arrives as a chunk, end or error event.
	r.fn(obj, "read", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		fs := r.fetchState()
		fr, ok := fs.reqs[id]
		if !ok || fr.body == nil {
			return qjs.False, nil
		}
		done := r.loop.RegisterCallback()
		go func() {
			fr.mu.Lock()
			buf := make([]byte, 64<<10)
			n, err := fr.body.Read(buf)
			fr.mu.Unlock()
			done(func() {
				if n > 0 {
					r.fetchEmit(id, fetchEvChunk, vm.NewUint8Array(buf[:n]))
					if err == nil {
						return
					}
				}
				if _, ok := fs.reqs[id]; !ok {
					return
				}
				delete(fs.reqs, id)
				fr.body.Close()
				fr.cancel()
				if err == io.EOF || (err == nil && n == 0) {
					r.fetchEmit(id, fetchEvEnd)
					return
				}
				if err == nil {
					r.fetchEmit(id, fetchEvEnd)
					return
				}
				r.fetchEmit(id, fetchEvError, r.fetchErrorArgs(err)...)
			})
		}()
		return qjs.True, nil
	})
	// abort(id): cancels the request or its body; pending operations
	// finish with an ABORT_ERR error event.
	r.fn(obj, "abort", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		fs := r.fetchState()
		if fr, ok := fs.reqs[id]; ok {
			fr.cancel()
			if fr.body != nil {
				delete(fs.reqs, id)
				go func() {
					fr.mu.Lock()
					fr.body.Close()
					fr.mu.Unlock()
				}()
			}
		}
		return qjs.Undefined, nil
	})
}

// closeFetch cancels the run's unfinished requests and forgets its state.
// rt.close (runtime.go) should call it; until then a run that ends with a
// request in flight leaves that request to finish on its own (its
// callbacks are dropped with the loop) and its small state in fetchStates.
func (r *rt) closeFetch() {
	fetchStatesMu.Lock()
	fs := fetchStates[r]
	delete(fetchStates, r)
	fetchStatesMu.Unlock()
	if fs == nil {
		return
	}
	for id, fr := range fs.reqs {
		fr.cancel()
		if fr.body != nil {
			go fr.body.Close()
		}
		delete(fs.reqs, id)
	}
}
