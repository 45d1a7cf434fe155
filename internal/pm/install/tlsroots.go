package install

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/pm/manifest"
)

// The registry checks (advisory query, signing keys, provenance) are the
// only requests of a warm install, and verifying the registry's certificate
// needed every trusted root parsed first: Go's system pool parses the
// bundle and then each certificate of /etc/ssl/certs again, about 300
// certificates and 20 ms of CPU on Debian, a fifth of a warm install of a
// small project. checksTransport remembers, per host, which trusted root
// verified its chain last time (a hint in the cache folder) and verifies
// against a pool holding only that root, taken from the same trusted
// bundle; a failure of that verification (the hint is stale, the root was
// removed) retries with the full pool before anything is sent. The hint
// names a root by digest and can only choose among roots the bundle
// already trusts.

// rootHintsFile is kept in the cache folder: {"host": "sha256 hex", ...}.
const rootHintsFile = "tls-root-hints-v1.json"

// certBundles are the system bundles Go's x509 reads on Linux, in its
// order; the first that exists is searched for a hinted root.
var certBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// checksTransport verifies with a hinted root first and the full pool
// (the system's roots plus npm's cafile and ca) when that fails.
type checksTransport struct {
	hintsPath string
	bundles   []string // where hinted roots are looked for
	inline    []byte   // npm's ca option, PEM
	cafile    string

	fullOnce sync.Once
	full     *http.Transport

	mu    sync.Mutex
	hints map[string]string // host -> root digest
	fast  map[string]*http.Transport
	pre   map[string]*predialed // by host:port, taken by the first dial

	cfgMu   sync.Mutex
	dialCfg map[*http.Transport]*tls.Config // what each transport verifies with
	stale   atomic.Bool                     // a hinted pool failed: hints are not used again in this process

	freshDials atomic.Int32 // connections dialled on demand (for tests)
}

// predialed is a TLS connection opened before the first request needs it.
type predialed struct {
	done chan struct{}
	cfg  *tls.Config // the configuration it was verified with
	conn net.Conn
	err  error
}

// newChecksTransport builds the transport; cafile and cas are npm's
// options, trusted in addition to the system's roots as the registry
// client does.
func newChecksTransport(cacheDir, cafile string, cas []string) *checksTransport {
	t := &checksTransport{cafile: cafile, fast: map[string]*http.Transport{}, pre: map[string]*predialed{}}
	if cacheDir != "" {
		t.hintsPath = filepath.Join(cacheDir, rootHintsFile)
	}
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		t.bundles = []string{f}
	} else {
		for _, f := range certBundles {
			if _, err := os.Stat(f); err == nil {
				t.bundles = []string{f}
				break
			}
		}
	}
	var inline []byte
	for _, c := range cas {
		inline = append(inline, strings.ReplaceAll(c, `\n`, "\n")...)
		inline = append(inline, '\n')
	}
	if cafile != "" {
		t.bundles = append(t.bundles, cafile)
	}
	t.inline = inline
	if t.hintsPath != "" {
		if b, err := os.ReadFile(t.hintsPath); err == nil {
			json.Unmarshal(b, &t.hints)
		}
	}
	return t
}

// fullTransport verifies against every trusted root; the pool is built
// on first use, so a process whose hinted roots work never parses it.
func (t *checksTransport) fullTransport() *http.Transport {
	t.fullOnce.Do(func() {
		cfg := &tls.Config{}
		if t.cafile != "" || len(t.inline) > 0 {
			cfg.RootCAs = fullPool(t.cafile, t.inline)
		}
		t.full = t.transport(cfg)
	})
	return t.full
}

// fullPool is the system pool with cafile's and the inline certificates
// added, as registryclient builds it.
func fullPool(cafile string, inline []byte) *x509.CertPool {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if cafile != "" {
		if b, err := os.ReadFile(cafile); err == nil {
			pool.AppendCertsFromPEM(b)
		}
	}
	if len(inline) > 0 {
		pool.AppendCertsFromPEM(inline)
	}
	return pool
}

func (t *checksTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if req.URL.Scheme == "https" && !t.stale.Load() {
		if fast := t.fastFor(host); fast != nil {
			resp, err := fast.RoundTrip(req)
			var ve *tls.CertificateVerificationError
			if !errors.As(err, &ve) {
				return resp, err
			}
			// The handshake failed, so nothing of the request was sent:
			// it is sent again over a fully verified connection.
			t.stale.Store(true)
			if req.Body != nil && req.Body != http.NoBody {
				if req.GetBody == nil {
					return nil, err
				}
				body, gerr := req.GetBody()
				if gerr != nil {
					return nil, err
				}
				req = req.Clone(req.Context())
				req.Body = body
			}
		}
	}
	resp, err := t.fullTransport().RoundTrip(req)
	if err == nil && resp.TLS != nil && len(resp.TLS.VerifiedChains) > 0 {
		chain := resp.TLS.VerifiedChains[0]
		t.remember(host, chain[len(chain)-1])
	}
	return resp, err
}

// fastFor returns a transport whose pool holds only host's hinted root,
// or nil when there is no usable hint.
func (t *checksTransport) fastFor(host string) *http.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr, ok := t.fast[host]; ok {
		return tr
	}
	var tr *http.Transport
	if want := t.hints[host]; want != "" {
		if root := findRoot(t.bundles, t.inline, want); root != nil {
			pool := x509.NewCertPool()
			pool.AddCert(root)
			tr = t.transport(&tls.Config{RootCAs: pool})
		}
	}
	t.fast[host] = tr
	return tr
}

// transport is http.DefaultTransport with TLS made by dialTLS under cfg.
// cfg is not the transport's TLSClientConfig: the transport edits that
// one (HTTP/2 protocols) while predial may be reading cfg.
func (t *checksTransport) transport(cfg *tls.Config) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return t.dialTLS(ctx, cfg, network, addr)
	}
	t.cfgMu.Lock()
	if t.dialCfg == nil {
		t.dialCfg = map[*http.Transport]*tls.Config{}
	}
	t.dialCfg[tr] = cfg
	t.cfgMu.Unlock()
	return tr
}

// dialTLS hands out the connection predial opened to addr, when it was
// verified under the same configuration, or dials one.
func (t *checksTransport) dialTLS(ctx context.Context, cfg *tls.Config, network, addr string) (net.Conn, error) {
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
		switch {
		case p.cfg != cfg:
			p.discard()
		case p.err == nil || errors.As(p.err, &ve):
			return p.conn, p.err
		}
		// Another configuration, or a failure worth a second try: dialled
		// again now.
	}
	t.freshDials.Add(1)
	return dialTLSWith(ctx, cfg, network, addr)
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

func dialTLSWith(ctx context.Context, cfg *tls.Config, network, addr string) (net.Conn, error) {
	c := cfg.Clone()
	if c.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		c.ServerName = host
	}
	if len(c.NextProtos) == 0 {
		c.NextProtos = []string{"h2", "http/1.1"}
	}
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
		var tr *http.Transport
		if !t.stale.Load() {
			tr = t.fastFor(u.Hostname())
		}
		if tr == nil {
			tr = t.fullTransport()
		}
		t.cfgMu.Lock()
		p.cfg = t.dialCfg[tr]
		t.cfgMu.Unlock()
		p.conn, p.err = dialTLSWith(context.Background(), p.cfg, "tcp", addr)
	}()
}

// findRoot returns the certificate with the given SHA-256 digest (hex, of
// its DER bytes) from the PEM bundles, parsing only that one.
func findRoot(bundles []string, inline []byte, digest string) *x509.Certificate {
	find := func(data []byte) *x509.Certificate {
		for {
			var b *pem.Block
			b, data = pem.Decode(data)
			if b == nil {
				return nil
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			if hexSHA256(b.Bytes) == digest {
				c, err := x509.ParseCertificate(b.Bytes)
				if err != nil {
					return nil
				}
				return c
			}
		}
	}
	for _, f := range bundles {
		if data, err := os.ReadFile(f); err == nil {
			if c := find(data); c != nil {
				return c
			}
		}
	}
	return find(inline)
}

// remember records the root that verified host's chain, when it changed.
func (t *checksTransport) remember(host string, root *x509.Certificate) {
	d := hexSHA256(root.Raw)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.hints[host] == d || t.hintsPath == "" {
		return
	}
	if t.hints == nil {
		t.hints = map[string]string{}
	}
	t.hints[host] = d
	if b, err := json.Marshal(t.hints); err == nil {
		manifest.WriteFileAtomic(t.hintsPath, b) // an optimisation: errors only cost the next install the full pool
	}
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checksClient is the HTTP client of the registry checks.
func checksClient(t *checksTransport) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: t}
}
