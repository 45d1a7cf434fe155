// Package registryclient talks to an npm registry: packuments (the package
// documents) and tarballs.
//
// One Client serves a whole install. It shares one http.Transport
// (HTTP/1.1 keep-alive connections with TLS session resumption, HTTP/2 with
// Options.HTTP2, transparent gzip), with a lean HTTP/1.1 transport in front
// of it for the plain GETs that are nearly all of an install's requests
// (see leanTransport), bounds the requests in flight per host,
// retries network errors, 5xx and 429 with exponential backoff (never other
// 4xx), sends per-registry credentials from .npmrc, and keeps packuments in
// two caches:
//
//   - in memory for the life of the process: concurrent and repeated calls
//     for one package share one request and one decoded document;
//   - on disk under <CacheDir>/metadata/, as the document the registry
//     sent less what installs never read, with the response's ETag, Last-Modified and
//     Cache-Control max-age. A cached document is used without a request
//     while max-age says it is fresh (unless --prefer-online), otherwise
//     revalidated with
//     If-None-Match/If-Modified-Since (304 serves the cache). --prefer-offline
//     uses any cached copy without revalidating; --offline never touches the
//     network. When the network fails after every retry and a cached copy
//     exists, the stale copy is served and the failure logged.
package registryclient

import (
	"bytes"
	"context"
	"crypto/fips140"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/npm/pkgname"
)

// AcceptAbbreviated is the Accept header asking for the abbreviated
// ("corgi") packument, falling back to the full one.
const AcceptAbbreviated = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"

// AcceptFull asks for the full packument (with `time`).
const AcceptFull = "application/json"

// Options tune a Client. Zero values take the configuration's values or the
// defaults noted.
type Options struct {
	// CacheDir is the cache root; metadata goes under CacheDir/metadata.
	// "" means cfg.CacheDir().
	CacheDir string
	// NoDiskCache disables the on-disk metadata cache.
	NoDiskCache bool
	// Offline serves only from the cache (also set by the `offline` option).
	Offline bool
	// PreferOffline serves any cached copy without revalidating (also set
	// by the `prefer-offline` option).
	PreferOffline bool
	// PreferOnline revalidates cached documents even while their
	// Cache-Control max-age says they are fresh (also set by the
	// `prefer-online` option).
	PreferOnline bool
	// FullMetadata asks for full packuments (with `time`) instead of the
	// abbreviated form.
	FullMetadata bool
	// MaxConns bounds packument requests in flight per host; default
	// `maxsockets` when the user set it, else 16.
	MaxConns int
	// MaxTarballConns bounds tarball downloads in flight per host, apart
	// from MaxConns: packuments are on the resolver's critical path and
	// must never queue behind tarballs (whose slot is held until the body
	// is closed). Default MaxConns.
	MaxTarballConns int
	// MaxHostConns bounds the requests in flight to one host, packuments
	// and tarballs together, and so the connections to it (see hostGate);
	// default `maxsockets` when the user set it, else 24.
	MaxHostConns int
	// Retries is how many times a failed request is retried; 0 takes
	// `fetch-retries` (npm's default is 2), negative disables retries.
	Retries int
	// RetryBase is the first backoff; it doubles each retry, with jitter,
	// up to RetryMax. Defaults: `fetch-retry-mintimeout` and
	// `fetch-retry-maxtimeout` when the user set them, else 250 ms and 4 s.
	RetryBase, RetryMax time.Duration
	// Timeout bounds the wait for response headers of one attempt;
	// default `fetch-timeout` when the user set it, else 5 minutes.
	Timeout time.Duration
	// UserAgent is sent with every request; default "gnode".
	UserAgent string
	// Logf receives one line per retry, stale-cache use and cache error.
	Logf func(format string, args ...any)
	// Transport replaces the shared transport (tests).
	Transport http.RoundTripper
	// HTTP2 lets requests go over HTTP/2 when the registry offers it.
	// By default they use HTTP/1.1 keep-alive connections, one per
	// request in flight (at most MaxConns + MaxTarballConns per host):
	// net/http's HTTP/2 client moves every response through one read
	// loop and a pipe per stream, which cost a cold install of ~1,000
	// packuments (119 MB) twice the CPU of 64 connections (0.5 s
	// against 0.27 s) and, with the process's two cores busy decoding
	// and extracting, stalled every stream at once whenever that loop
	// waited for a core.
	HTTP2 bool
	// RequestLog, when set, receives one record per response body closed
	// (GNODE_INSTALL_HTTPLOG): when each request started, got its headers
	// and finished, to see an install's critical path.
	RequestLog func(RequestTiming)
}

// RequestTiming is one request's timeline, as offsets from the Client's
// creation.
type RequestTiming struct {
	URL      string
	Proto    string
	Status   int
	Bytes    int64
	Start    time.Duration // request sent (a connection slot held)
	Headers  time.Duration // response headers received
	Done     time.Duration // body read to its end, or closed
	Tarball  bool
	Attempts int
}

// Client fetches packuments and tarballs. It is safe for concurrent use.
type Client struct {
	cfg     *npmrc.Config
	opts    Options
	created time.Time
	// hc's transport is built on first use (see lazyTransport): an install
	// whose packages are all in the store never pays for loading the
	// system's and cafile's certificates.
	hc *http.Client
	// certClients holds one client per client certificate (`certfile` and
	// `keyfile` under a registry's nerf dart), cloned from the shared
	// transport.
	certClients map[string]*http.Client
	// dials counts the shared transport's connections.
	dials *dialCounter

	mu    sync.Mutex
	sems  map[string]chan struct{}
	hosts map[string]*hostGate
	packs map[string]*packCall
	// cacheFolders: whether each metadata folder existed when first
	// looked at (see cacheFolderExisted).
	cacheFolders map[string]bool

	// writes are metadata cache files being written in the background,
	// one at a time (writeSlot); Close waits for them.
	writes    sync.WaitGroup
	writeSlot chan struct{}
	// pendingCache is the size of the documents waiting for writeSlot.
	pendingCache atomic.Int64

	stats stats
}

type packCall struct {
	done chan struct{}
	p    *packument.Packument
	err  error
}

type stats struct {
	requests, notModified, diskHits, memHits, retries, stale, bytes atomic.Int64
}

// Stats counts what a Client did.
type Stats struct {
	// Requests is HTTP requests sent (each attempt counts).
	Requests int64
	// NotModified is 304 answers served from the disk cache.
	NotModified int64
	// DiskHits is packuments served from disk without a request.
	DiskHits int64
	// MemHits is packument calls answered from memory.
	MemHits int64
	// Retries is attempts repeated after a failure.
	Retries int64
	// Stale is packuments served from a stale cache after a failure.
	Stale int64
	// Bytes is response body bytes read (after decompression).
	Bytes int64
	// Dials is connections opened by the shared transport (a TLS
	// handshake each, for https).
	Dials int64
}

// New returns a Client for the registries cfg describes.
func New(cfg *npmrc.Config, opts Options) *Client {
	if opts.CacheDir == "" && cfg != nil {
		opts.CacheDir = cfg.CacheDir()
	}
	if cfg != nil {
		opts.Offline = opts.Offline || cfg.GetBool("offline")
		opts.PreferOffline = opts.PreferOffline || cfg.GetBool("prefer-offline")
		opts.PreferOnline = opts.PreferOnline || cfg.GetBool("prefer-online")
	}
	// npm's own defaults (maxsockets 15, retry waits from 10 s to 60 s)
	// are only taken when the user set them; gnode's defaults are tuned
	// for installs that must not stall for a minute on one bad response.
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
		if n, ok := userInt(cfg, "maxsockets"); ok && n > 0 {
			opts.MaxConns = n
		}
	}
	if opts.MaxTarballConns <= 0 {
		opts.MaxTarballConns = opts.MaxConns
	}
	if opts.MaxHostConns <= 0 {
		opts.MaxHostConns = defaultHostConns
		if n, ok := userInt(cfg, "maxsockets"); ok && n > 0 {
			opts.MaxHostConns = n
		}
	}
	if opts.RetryBase <= 0 {
		if n, ok := userInt(cfg, "fetch-retry-mintimeout"); ok && n > 0 {
			opts.RetryBase = time.Duration(n) * time.Millisecond
		}
	}
	if opts.RetryMax <= 0 {
		if n, ok := userInt(cfg, "fetch-retry-maxtimeout"); ok && n > 0 {
			opts.RetryMax = time.Duration(n) * time.Millisecond
		}
	}
	if opts.Retries == 0 {
		opts.Retries = 2
		if cfg != nil {
			opts.Retries = cfg.GetInt("fetch-retries", 2)
		}
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 250 * time.Millisecond
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 4 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Minute
		if n, ok := userInt(cfg, "fetch-timeout"); ok && n > 0 {
			opts.Timeout = time.Duration(n) * time.Millisecond
		}
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "gnode"
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	dials := &dialCounter{}
	rt := opts.Transport
	if rt == nil {
		rt = &lazyTransport{build: func() (*http.Transport, *tlsDialer) { return newTransport(cfg, opts, dials) }}
	}
	return &Client{
		dials:     dials,
		cfg:       cfg,
		opts:      opts,
		created:   time.Now(),
		hc:        &http.Client{Transport: rt},
		sems:      map[string]chan struct{}{},
		hosts:     map[string]*hostGate{},
		packs:     map[string]*packCall{},
		writeSlot: make(chan struct{}, 1),
	}
}

// lazyTransport builds the shared transport on its first request.
type lazyTransport struct {
	mu    sync.Mutex
	build func() (*http.Transport, *tlsDialer)
	t     *http.Transport
	td    *tlsDialer // nil when the transport makes TLS connections itself
	// rt is what requests go through: t, or a leanTransport in front of
	// it (see newLeanTransport).
	rt http.RoundTripper
}

func (l *lazyTransport) get() (*http.Transport, *tlsDialer) {
	t, td, _ := l.getRT()
	return t, td
}

func (l *lazyTransport) getRT() (*http.Transport, *tlsDialer, http.RoundTripper) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.t == nil {
		l.t, l.td = l.build()
		l.rt = newLeanTransport(l.t)
	}
	return l.t, l.td, l.rt
}

func (l *lazyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _, rt := l.getRT()
	return rt.RoundTrip(r)
}

// CloseIdleConnections closes the transport's idle connections if it was
// ever built.
func (l *lazyTransport) CloseIdleConnections() {
	l.mu.Lock()
	rt := l.rt
	l.mu.Unlock()
	// rt is t or a leanTransport, which closes t's too.
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// userInt returns an integer option when a layer other than npm's defaults
// sets it.
func userInt(cfg *npmrc.Config, key string) (int, bool) {
	if cfg == nil {
		return 0, false
	}
	v, where, ok := cfg.Lookup(key)
	if !ok || where == npmrc.WhereDefault {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// newTransport builds the one transport all requests share: keep-alive
// (HTTP/1.1, or HTTP/2 with Options.HTTP2), TLS from `strict-ssl` and
// `cafile`, proxy from `https-proxy` / `proxy` or the environment, at
// most MaxHostConns connections per host (counted by dials). Without a
// proxy, TLS connections are made by a tlsDialer, which verifies certificates through roots (the
// system's pool is not loaded for a registry whose chain the system bundle
// verifies); through a proxy the transport makes them with the full pool.
func newTransport(cfg *npmrc.Config, opts Options, dials *dialCounter) (*http.Transport, *tlsDialer) {
	t := &http.Transport{
		Proxy:             http.ProxyFromEnvironment,
		DialContext:       dials.dialer(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}),
		ForceAttemptHTTP2: opts.HTTP2,
		MaxIdleConns:      256,
		// Every connection a host's slots can have open stays open:
		// one closed after its response would cost a TLS handshake for
		// the next request.
		MaxIdleConnsPerHost: opts.MaxHostConns,
		// The hostGate keeps requests in flight to this many; the
		// transport's own bound makes a request whose slot was freed
		// before its connection went back to the idle pool wait for that
		// connection instead of dialling another.
		MaxConnsPerHost:       opts.MaxHostConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: opts.Timeout,
	}
	// Connections opened after the first handshake resume its session
	// (no certificate chain to verify again) when the server allows it.
	tc := &tls.Config{ClientSessionCache: tls.NewLRUClientSessionCache(64)}
	if !opts.HTTP2 {
		// A non-nil empty map turns off the transport's HTTP/2 upgrade.
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	t.TLSClientConfig = tc
	var cafile string
	var cas []string
	proxied := proxyInEnvironment()
	if cfg != nil {
		if v := cfg.Get("strict-ssl"); v == "false" {
			tc.InsecureSkipVerify = true
		}
		cafile, cas = cfg.Get("cafile"), cfg.GetList("ca")
		for _, key := range []string{"https-proxy", "proxy"} {
			if p := cfg.Get(key); p != "" && p != "null" {
				if u, err := url.Parse(p); err == nil && u.Host != "" {
					t.Proxy = http.ProxyURL(u)
					proxied = true
					break
				}
			}
		}
	}
	if !proxied {
		// No proxy can apply (none configured, none in the environment).
		t.Proxy = nil
	}
	if tc.InsecureSkipVerify {
		return t, nil
	}
	if proxied || !lazyRootsSupported() {
		tc.RootCAs = rootCAs(cafile, cas, opts.Logf)
		return t, nil
	}
	// No proxy can apply, so every https connection is the tlsDialer's
	// and the transport's own TLS configuration is never used; it is left
	// verifying against the system's roots, which trust no more than the
	// dialer's.
	td := &tlsDialer{dials: dials, roots: rootsFor(cafile, cas, opts.Logf), timeout: t.TLSHandshakeTimeout,
		net: &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}, cfg: tc.Clone()}
	if opts.HTTP2 {
		td.cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	t.DialTLSContext = td.dial
	return t, td
}

// proxyInEnvironment reports whether http.ProxyFromEnvironment could
// return a proxy for some request.
func proxyInEnvironment() bool {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		if os.Getenv(k) != "" {
			return true
		}
	}
	return false
}

// lazyRootsSupported reports whether roots can stand in for crypto/tls's
// own verification: on Linux, where crypto/x509 verifies every chain
// itself against the pool (elsewhere the system's verifier decides), and
// outside FIPS 140-3 mode (where crypto/tls also drops chains with
// algorithms the module does not allow).
func lazyRootsSupported() bool {
	return runtime.GOOS == "linux" && !fips140.Enabled()
}

// tlsDialer makes the transport's TLS connections: a TCP connection through
// the dial counter, then a handshake whose certificate check is roots.verify
// for the host dialled (see roots.config).
type tlsDialer struct {
	dials   *dialCounter
	net     *net.Dialer
	roots   *roots
	cfg     *tls.Config // session cache, ALPN, client certificate
	timeout time.Duration
}

// withCert returns a dialer presenting cert, with a session cache of its
// own: sessions set up without the certificate must not be resumed.
func (d *tlsDialer) withCert(cert tls.Certificate) *tlsDialer {
	c := *d
	c.cfg = d.cfg.Clone()
	c.cfg.Certificates = []tls.Certificate{cert}
	c.cfg.ClientSessionCache = tls.NewLRUClientSessionCache(16)
	return &c
}

func (d *tlsDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	raw, err := d.dials.dial(ctx, network, addr, d.net.DialContext)
	if err != nil {
		return nil, err
	}
	conn := tls.Client(raw, d.roots.config(d.cfg, host))
	hctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	if err := conn.HandshakeContext(hctx); err != nil {
		raw.Close()
		return nil, err
	}
	return conn, nil
}

// dialCounter counts the connections a transport opens (a TLS handshake
// each, for https).
type dialCounter struct {
	n atomic.Int64
}

func (g *dialCounter) dialer(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return g.dial(ctx, network, addr, d.DialContext)
	}
}

func (g *dialCounter) dial(ctx context.Context, network, addr string, dial func(context.Context, string, string) (net.Conn, error)) (net.Conn, error) {
	g.n.Add(1)
	return dial(ctx, network, addr)
}

// hostGate bounds the requests in flight to one host, and with them the
// connections to it (Transport.MaxConnsPerHost is the same number): each
// new connection is a TLS handshake, ~0.9 ms of CPU here, and a cold
// install of a small project opened ~90 connections for ~340 requests
// (a quarter of its CPU) when every request in flight had one of its own,
// while a registry nearby answers in a millisecond or two, so a
// connection is soon free for the next request. Packuments, which the
// resolver waits for, get a freed slot before tarballs, except that
// tarballs always keep a quarter of the slots when they want them; and a
// packument the resolver is blocked on (packument.Needed's channel
// closed) goes ahead of everything else. A cold install keeps every slot
// busy with speculative packuments, two dozen more waiting: in a trace of
// bench/fixtures/toolchain the resolver spent 0.43 s of its 0.99 s of
// waiting on documents queued here behind them.
type hostGate struct {
	mu           sync.Mutex
	n            int
	inUse, tgzIn int
	pk, tgz      []*gateWaiter
	needed       []*gateWaiter // packuments the resolver waits for
}

type gateWaiter struct {
	ready   chan struct{}
	granted bool
}

// acquire waits for a slot. needed, when not nil, is closed once the
// caller's document is needed (see packument.Needed): a packument waiting
// then moves to the front.
func (g *hostGate) acquire(ctx context.Context, tarball bool, needed <-chan struct{}) error {
	urgent := !tarball && isClosed(needed)
	g.mu.Lock()
	if g.inUse < g.n && len(g.needed) == 0 && (tarball || urgent || len(g.pk) == 0) && (!tarball || len(g.tgz) == 0) {
		g.take(tarball)
		g.mu.Unlock()
		return nil
	}
	w := &gateWaiter{ready: make(chan struct{})}
	switch {
	case tarball:
		g.tgz = append(g.tgz, w)
	case urgent:
		g.needed = append(g.needed, w)
	default:
		g.pk = append(g.pk, w)
	}
	g.dispatch()
	g.mu.Unlock()
	if tarball || urgent {
		needed = nil
	}
	for {
		select {
		case <-w.ready:
			return nil
		case <-needed:
			needed = nil
			g.mu.Lock()
			if !w.granted && removeWaiter(&g.pk, w) {
				g.needed = append(g.needed, w)
			}
			g.mu.Unlock()
		case <-ctx.Done():
			g.mu.Lock()
			if w.granted {
				g.mu.Unlock()
				g.release(tarball)
				return ctx.Err()
			}
			if !removeWaiter(&g.pk, w) && !removeWaiter(&g.needed, w) {
				removeWaiter(&g.tgz, w)
			}
			g.mu.Unlock()
			return ctx.Err()
		}
	}
}

// removeWaiter takes w out of *q, reporting whether it was there.
func removeWaiter(q *[]*gateWaiter, w *gateWaiter) bool {
	for i, x := range *q {
		if x == w {
			*q = append((*q)[:i], (*q)[i+1:]...)
			return true
		}
	}
	return false
}

func isClosed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (g *hostGate) take(tarball bool) {
	g.inUse++
	if tarball {
		g.tgzIn++
	}
}

// dispatch hands free slots to waiters; g.mu is held.
func (g *hostGate) dispatch() {
	for g.inUse < g.n && len(g.needed)+len(g.pk)+len(g.tgz) > 0 {
		var q *[]*gateWaiter
		tarball := false
		switch {
		case len(g.needed) > 0:
			q = &g.needed
		case len(g.pk) == 0 || (len(g.tgz) > 0 && g.tgzIn < g.n/4):
			q, tarball = &g.tgz, true
		default:
			q = &g.pk
		}
		w := (*q)[0]
		*q = (*q)[1:]
		g.take(tarball)
		w.granted = true
		close(w.ready)
	}
}

func (g *hostGate) release(tarball bool) {
	g.mu.Lock()
	g.inUse--
	if tarball {
		g.tgzIn--
	}
	g.dispatch()
	g.mu.Unlock()
}

// rootPools caches the certificate pool built for each (cafile, ca)
// configuration: parsing a system bundle of ~150 certificates twice (the
// system pool, then cafile naming that same bundle, as Debian's npm does)
// costs tens of milliseconds, and an install builds two clients.
var rootPools sync.Map // string -> *x509.CertPool (nil: system defaults)

// rootCAs returns the pool for cafile and inline ca certificates, nil for
// the system's defaults.
func rootCAs(cafile string, cas []string, logf func(string, ...any)) *x509.CertPool {
	if cafile == "" && len(cas) == 0 {
		return nil
	}
	key := cafile + "\x00" + strings.Join(cas, "\x00")
	if p, ok := rootPools.Load(key); ok {
		return p.(*x509.CertPool)
	}
	p := buildRootCAs(cafile, cas, logf)
	rootPools.Store(key, p)
	return p
}

func buildRootCAs(cafile string, cas []string, logf func(string, ...any)) *x509.CertPool {
	var pool *x509.CertPool
	if f := cafile; f != "" {
		// npm replaces the CA list with cafile; gnode adds it to the
		// system's, which accepts everything npm would and keeps working
		// when cafile holds only a private CA.
		if pem, err := os.ReadFile(f); err == nil {
			sys, err := x509.SystemCertPool()
			if err != nil || sys == nil {
				sys = x509.NewCertPool()
			}
			if sys.AppendCertsFromPEM(pem) {
				pool = sys
			}
		} else {
			logf("cafile %s: %v", f, err)
		}
	}
	if len(cas) > 0 {
		// `ca` holds PEM certificates inline (ca[]= for several).
		if pool == nil {
			if sys, err := x509.SystemCertPool(); err == nil && sys != nil {
				pool = sys
			} else {
				pool = x509.NewCertPool()
			}
		}
		added := false
		for _, pem := range cas {
			if pool.AppendCertsFromPEM([]byte(strings.ReplaceAll(pem, `\n`, "\n"))) {
				added = true
			}
		}
		if !added {
			logf("ca: no PEM certificate found in the `ca` option")
			if cafile == "" {
				return nil
			}
		}
	}
	return pool
}

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:    c.stats.requests.Load(),
		NotModified: c.stats.notModified.Load(),
		DiskHits:    c.stats.diskHits.Load(),
		MemHits:     c.stats.memHits.Load(),
		Retries:     c.stats.retries.Load(),
		Stale:       c.stats.stale.Load(),
		Bytes:       c.stats.bytes.Load(),
		Dials:       c.dials.n.Load(),
	}
}

// Close waits for the metadata cache writes in progress and releases idle
// connections.
func (c *Client) Close() {
	c.writes.Wait()
	c.hc.CloseIdleConnections()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, hc := range c.certClients {
		hc.CloseIdleConnections()
	}
}

// PackumentURL returns the URL a package's document is fetched from: its
// registry plus the name, with a scope's slash escaped (`@scope%2fname`) as
// npm sends it.
func (c *Client) PackumentURL(name string) (string, error) {
	reg, err := c.cfg.RegistryFor(name)
	if err != nil {
		return "", err
	}
	return reg + pkgname.Escape(name), nil
}

// Packument returns the document of package name from its registry. Calls
// for the same package share one request and one result for the life of
// the Client; the result must not be modified.
func (c *Client) Packument(ctx context.Context, name string) (*packument.Packument, error) {
	reg, err := c.cfg.RegistryFor(name)
	if err != nil {
		return nil, err
	}
	u := reg + pkgname.Escape(name)
	for {
		c.mu.Lock()
		call, shared := c.packs[u]
		if !shared {
			call = &packCall{done: make(chan struct{})}
			c.packs[u] = call
		}
		c.mu.Unlock()
		if !shared {
			call.p, call.err = c.fetchPackument(ctx, name, reg, u)
			if call.err != nil && ctx.Err() != nil {
				// A cancelled caller must not poison the shared result.
				c.mu.Lock()
				delete(c.packs, u)
				c.mu.Unlock()
			}
			close(call.done)
			return call.p, call.err
		}
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if call.err != nil && (errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded)) && ctx.Err() == nil {
			// the caller that fetched gave up; fetch again for this one
			continue
		}
		c.stats.memHits.Add(1)
		return call.p, call.err
	}
}

// Tarball opens a tarball. Credentials are sent when the URL is under a
// configured registry's credentials (npm's nerf-dart rules), or on the same
// host as a configured registry, or everywhere with the legacy always-auth.
// Failures are retried like packuments until the response starts; the
// caller must verify integrity and Close the body, which also frees the
// connection slot.
func (c *Client) Tarball(ctx context.Context, tarballURL string) (io.ReadCloser, error) {
	if c.opts.Offline {
		return nil, &OfflineError{URL: tarballURL}
	}
	resp, release, err := c.do(ctx, tarballURL, "*/*", nil, "identity", true)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return &releasingBody{ReadCloser: resp.Body, release: release, c: c, size: resp.ContentLength}, nil
	default:
		err := statusError(resp, tarballURL, "")
		resp.Body.Close()
		release()
		return nil, err
	}
}

// TarballData downloads a tarball whole into memory and frees its
// connection slot as soon as the last byte arrives, so that downloads are
// not held up by the (slower) extraction of what came before. A body that
// breaks off mid-way is fetched again, like a failed request. A tarball
// whose Content-Length is above maxInMemory is not read: it is returned as
// an open stream instead (data nil), as Tarball returns it.
func (c *Client) TarballData(ctx context.Context, tarballURL string, maxInMemory int64) (data []byte, stream io.ReadCloser, err error) {
	for tries := 0; ; tries++ {
		body, err := c.Tarball(ctx, tarballURL)
		if err != nil {
			return nil, nil, err
		}
		rb := body.(*releasingBody)
		size := rb.size
		if size > maxInMemory {
			return nil, body, nil
		}
		if size <= 0 {
			size = 64 << 10
		}
		buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
		_, rerr := buf.ReadFrom(body)
		body.Close()
		if rerr == nil {
			return buf.Bytes(), nil, nil
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if tries >= c.opts.Retries {
			return nil, nil, &NetworkError{URL: tarballURL, Op: "read response", Attempts: tries + 1, Err: rerr}
		}
		c.stats.retries.Add(1)
		c.opts.Logf("retrying GET %s: reading the response: %v", tarballURL, rerr)
		if err := c.sleep(ctx, tries+1, rerr); err != nil {
			return nil, nil, err
		}
	}
}

type releasingBody struct {
	io.ReadCloser
	size    int64 // Content-Length, -1 when unknown
	release func()
	once    sync.Once
	c       *Client
}

func (b *releasingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.c.stats.bytes.Add(int64(n))
	return n, err
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

func statusError(resp *http.Response, u, name string) error {
	if resp.StatusCode == http.StatusNotFound {
		return &NotFoundError{Name: name, URL: u}
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return &HTTPError{URL: u, Status: resp.StatusCode, Body: registryMessage(body)}
}

// registryMessage extracts {"error": ...} or {"message": ...} from an error
// body, else returns the text.
func registryMessage(body []byte) string {
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "{") {
		for _, key := range []string{`"message"`, `"error"`} {
			if i := strings.Index(s, key); i >= 0 {
				rest := strings.TrimLeft(s[i+len(key):], " :")
				if strings.HasPrefix(rest, `"`) {
					if v, err := strconv.QuotedPrefix(rest); err == nil {
						if uq, err := strconv.Unquote(v); err == nil {
							return uq
						}
					}
				}
			}
		}
	}
	return s
}

// sem returns the slot channel for host's packument requests, or for its
// tarball downloads.
func (c *Client) sem(host string, tarball bool) chan struct{} {
	key, n := host, c.opts.MaxConns
	if tarball {
		key, n = "tarball\x00"+host, c.opts.MaxTarballConns
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sems[key]
	if !ok {
		s = make(chan struct{}, n)
		c.sems[key] = s
	}
	return s
}

// hostGate returns the gate of host's requests.
func (c *Client) hostGate(host string) *hostGate {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.hosts[host]
	if !ok {
		g = &hostGate{n: c.opts.MaxHostConns}
		c.hosts[host] = g
	}
	return g
}

// defaultHostConns is Options.MaxHostConns's default.
const defaultHostConns = 24

// clientFor returns the HTTP client for u, whose credentials are a: the
// shared one, or one that presents the client certificate configured for
// u's registry.
func (c *Client) clientFor(u string, a npmrc.Auth) (*http.Client, error) {
	if a.CertFile == "" || a.KeyFile == "" {
		return c.hc, nil
	}
	key := a.CertFile + "\x00" + a.KeyFile
	c.mu.Lock()
	defer c.mu.Unlock()
	if hc, ok := c.certClients[key]; ok {
		return hc, nil
	}
	var base *http.Transport
	var td *tlsDialer
	switch t := c.hc.Transport.(type) {
	case *http.Transport:
		base = t
	case *lazyTransport:
		base, td = t.get()
	default:
		return c.hc, nil
	}
	cert, err := tls.LoadX509KeyPair(a.CertFile, a.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("client certificate for %s (%s:certfile, %s:keyfile): %w", u, a.Key, a.Key, err)
	}
	t := base.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.Certificates = []tls.Certificate{cert}
	// Sessions resumed from the shared cache were set up without this
	// certificate: a client presenting one keeps its own.
	t.TLSClientConfig.ClientSessionCache = tls.NewLRUClientSessionCache(16)
	if td != nil {
		t.DialTLSContext = td.withCert(cert).dial
	}
	hc := &http.Client{Transport: t}
	if c.certClients == nil {
		c.certClients = map[string]*http.Client{}
	}
	c.certClients[key] = hc
	return hc, nil
}

// authHeader returns the Authorization value for a request whose
// credentials are a.
func (c *Client) authHeader(a npmrc.Auth) string {
	if h := a.Header(); h != "" {
		return h
	}
	if a.AlwaysAuth {
		if reg, err := c.cfg.Registry(); err == nil {
			return c.cfg.AuthFor(reg).Header()
		}
	}
	return ""
}

// do sends GET u with retries. On success it returns a response whose
// status is not retryable, holding a connection slot until release is
// called. extra headers are added to every attempt.
func (c *Client) do(ctx context.Context, u, accept string, extra http.Header, acceptEncoding string, tarball bool) (*http.Response, func(), error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, nil, fmt.Errorf("bad URL %q: %w", u, err)
	}
	sem := c.sem(pu.Host, tarball)
	gate := c.hostGate(pu.Host)
	var auth string
	hc := c.hc
	if c.cfg != nil {
		a := c.cfg.AuthFor(u)
		auth = c.authHeader(a)
		if hc, err = c.clientFor(u, a); err != nil {
			return nil, nil, err
		}
	}
	attempts := c.opts.Retries + 1
	var lastErr error
	lastOp := ""
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 {
			c.stats.retries.Add(1)
			if err := c.sleep(ctx, attempt-1, lastErr); err != nil {
				return nil, nil, err
			}
			c.opts.Logf("retrying GET %s (attempt %d of %d) after %s: %v", u, attempt, attempts, lastOp, lastErr)
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		if err := gate.acquire(ctx, tarball, packument.Needed(ctx)); err != nil {
			<-sem
			return nil, nil, err
		}
		release := func() {
			gate.release(tarball)
			<-sem
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			release()
			return nil, nil, err
		}
		req.Header.Set("Accept", accept)
		req.Header.Set("User-Agent", c.opts.UserAgent)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		for k, vs := range extra {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		c.stats.requests.Add(1)
		sent := time.Since(c.created)
		resp, err := hc.Do(req)
		if err == nil && c.opts.RequestLog != nil {
			resp.Body = &loggedBody{ReadCloser: resp.Body, log: c.opts.RequestLog, created: c.created, t: RequestTiming{
				URL: u, Proto: resp.Proto, Status: resp.StatusCode, Start: sent, Headers: time.Since(c.created), Tarball: tarball, Attempts: attempt,
			}}
		}
		if err != nil {
			release()
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			lastErr, lastOp = err, opOf(err)
			continue
		}
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			resp.Body.Close()
			release()
			lastErr = &HTTPError{URL: u, Status: resp.StatusCode, Body: registryMessage(body)}
			lastOp = "status " + strconv.Itoa(resp.StatusCode)
			if ra := retryAfter(resp); ra > 0 {
				lastErr = &retryAfterError{err: lastErr, after: ra}
			}
			continue
		}
		return resp, release, nil
	}
	var ra *retryAfterError
	if errors.As(lastErr, &ra) {
		lastErr = ra.err
	}
	return nil, nil, &NetworkError{URL: u, Op: lastOp, Attempts: attempts, Err: lastErr}
}

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

func retryAfter(resp *http.Response) time.Duration {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// sleep waits before retry n (1-based): RetryBase·2^(n-1) with ±25% jitter,
// capped at RetryMax, or the server's Retry-After when larger (capped at
// 30 s).
func (c *Client) sleep(ctx context.Context, n int, lastErr error) error {
	d := c.opts.RetryBase << (n - 1)
	if d > c.opts.RetryMax || d <= 0 {
		d = c.opts.RetryMax
	}
	d = d*3/4 + time.Duration(rand.Int64N(int64(d/2)+1))
	var ra *retryAfterError
	if errors.As(lastErr, &ra) && ra.after > d {
		d = min(ra.after, 30*time.Second)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// opOf names what a transport error failed at.
func opOf(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		if op.Op == "dial" {
			return "connect"
		}
		return op.Op
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "dns lookup"
	}
	return "request"
}

// loggedBody reports a request's timeline to Options.RequestLog when the
// body is closed.
type loggedBody struct {
	io.ReadCloser
	log     func(RequestTiming)
	created time.Time
	t       RequestTiming
	once    sync.Once
}

func (b *loggedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.t.Bytes += int64(n)
	if err != nil && b.t.Done == 0 {
		b.t.Done = time.Since(b.created)
	}
	return n, err
}

func (b *loggedBody) Close() error {
	b.once.Do(func() {
		if b.t.Done == 0 {
			b.t.Done = time.Since(b.created)
		}
		b.log(b.t)
	})
	return b.ReadCloser.Close()
}
