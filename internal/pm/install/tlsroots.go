package install

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/registryclient"
)

// The registry checks (advisory query, signing keys, provenance) are the
// only requests of a warm install. Their connections verify the registry's
// certificate with registryclient.TLSConfig, as the registry client does:
// against the trusted roots that can have issued the chain the server
// sent, without parsing the system's whole pool first (~300 certificates
// and 20 ms of CPU on Debian, a fifth of a warm install of a small
// project). Earlier versions kept, per host, a hint of the root that
// verified it in the cache folder (tls-root-hints-v1.json); it is no
// longer needed or read.

// checksTransport is http.DefaultTransport with TLS connections made by
// dialTLS: verified as above, and taken from predial when one was opened.
type checksTransport struct {
	cafile string   // npm's cafile option
	cas    []string // npm's ca option

	once sync.Once
	tr   *http.Transport

	mu  sync.Mutex
	pre map[string]*predialed // by host:port, taken by the first dial

	freshDials atomic.Int32 // connections dialled on demand (for tests)
}

// predialed is a TLS connection opened before the first request needs it.
type predialed struct {
	done chan struct{}
	conn net.Conn
	err  error
}

// newChecksTransport builds the transport; cafile and cas are npm's
// options, trusted in addition to the system's roots as the registry
// client does. The cache folder is not used any more (see above).
func newChecksTransport(_, cafile string, cas []string) *checksTransport {
	return &checksTransport{cafile: cafile, cas: cas, pre: map[string]*predialed{}}
}

func (t *checksTransport) transport() *http.Transport {
	t.once.Do(func() {
		t.tr = http.DefaultTransport.(*http.Transport).Clone()
		t.tr.DialTLSContext = t.dialTLS
	})
	return t.tr
}

func (t *checksTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.transport().RoundTrip(req)
}

// dialTLS hands out the connection predial opened to addr, or dials one.
func (t *checksTransport) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	t.mu.Lock()
	p := t.pre[addr]
	delete(t.pre, addr)
	t.mu.Unlock()
	if p != nil {
		select {
		case <-p.done:
		case <-ctx.Done():
			go p.discard()
			return nil, ctx.Err()
		}
		var ve *tls.CertificateVerificationError
		if p.err == nil || errors.As(p.err, &ve) {
			return p.conn, p.err
		}
		// A failure worth a second try: dialled again now.
	}
	t.freshDials.Add(1)
	return t.dialTLSWith(ctx, network, addr)
}

// discard closes a predialed connection nobody will use.
func (p *predialed) discard() {
	<-p.done
	if p.conn != nil {
		p.conn.Close()
	}
}

// closeIdle closes predialed connections no request took (an install that
// stopped before its checks).
func (t *checksTransport) closeIdle() {
	t.mu.Lock()
	pre := t.pre
	t.pre = map[string]*predialed{}
	t.mu.Unlock()
	for _, p := range pre {
		go p.discard()
	}
}

func (t *checksTransport) dialTLSWith(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	c := registryclient.TLSConfig(&tls.Config{NextProtos: []string{"h2", "http/1.1"}}, host, t.cafile, t.cas)
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}, Config: c}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return d.DialContext(ctx, network, addr)
}

// predial opens, in the background, the TLS connection the first check
// will use for registry, so that its handshake (a round trip or two, and
// the certificate verification) overlaps reading the lockfile and the
// store instead of delaying the advisory query. Nothing is sent on it. It
// does nothing for plain HTTP or when a proxy would carry the request.
func (t *checksTransport) predial(registry string) {
	u, err := url.Parse(registry)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return
	}
	if p, err := http.ProxyFromEnvironment(&http.Request{URL: u}); err != nil || p != nil {
		return
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	p := &predialed{done: make(chan struct{})}
	t.mu.Lock()
	if t.pre[addr] != nil {
		t.mu.Unlock()
		return
	}
	t.pre[addr] = p // registered now, so a request made before the dial ends waits for it
	t.mu.Unlock()
	go func() {
		defer close(p.done)
		p.conn, p.err = t.dialTLSWith(context.Background(), "tcp", addr)
	}()
}

// checksClient is the HTTP client of the registry checks.
func checksClient(t *checksTransport) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: t}
}
