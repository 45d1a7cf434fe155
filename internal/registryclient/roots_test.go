package registryclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/testutil/testcert"
)

// Aliases of the shared test certificate helpers.
type testCA = testcert.CA

var (
	issue        = testcert.Issue
	caTemplate   = testcert.CATemplate
	leafTemplate = testcert.LeafTemplate
	pemOf        = testcert.PEM
)

// TestRootsVerify checks roots.verify against crypto/x509 with the full
// pool on chains that verify through the indexed files, through the full
// pool only, or not at all (unknown or impostor root, wrong host name or
// IP, expired, client-only usage), and that the full pool is built only
// when the indexed roots do not verify a chain.
func TestRootsVerify(t *testing.T) {
	rootA := issue(t, nil, caTemplate("root A"))      // in the bundle file
	rootB := issue(t, nil, caTemplate("root B"))      // only in the full pool (a certificate directory)
	rootC := issue(t, nil, caTemplate("root C"))      // trusted nowhere
	rootD := issue(t, nil, caTemplate("root D"))      // the `ca` option
	impostor := issue(t, nil, caTemplate("root A"))   // root A's name, another key
	inter := issue(t, rootA, caTemplate("interm A1")) // under root A
	// A bundle also holding a certificate with headers (skipped, as
	// x509 skips it) and one that does not parse.
	bundle := filepath.Join(t.TempDir(), "bundle.pem")
	junk := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}})
	withHeaders := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Headers: map[string]string{"X": "y"}, Bytes: rootB.Cert.Raw})
	os.WriteFile(bundle, append(append(append(pemOf(rootC.Cert)[:0:0], junk...), withHeaders...), pemOf(rootA.Cert)...), 0o644)

	full := x509.NewCertPool()
	for _, c := range []*x509.Certificate{rootA.Cert, rootB.Cert, rootD.Cert} {
		full.AddCert(c)
	}
	chain := func(leaf *testCA, parents ...*testCA) []*x509.Certificate {
		out := []*x509.Certificate{leaf.Cert}
		for _, p := range parents {
			out = append(out, p.Cert)
		}
		return out
	}
	expired := leafTemplate("reg.test")
	expired.NotBefore, expired.NotAfter = time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour)
	clientOnly := leafTemplate("reg.test")
	clientOnly.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	ipLeaf := leafTemplate()
	ipLeaf.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}

	tests := []struct {
		name      string
		host      string
		certs     []*x509.Certificate
		ok, built bool // accepted; the full pool was needed
	}{
		{"through an intermediate to the bundle's root", "reg.test", chain(issue(t, inter, leafTemplate("reg.test")), inter), true, false},
		{"root sent along", "reg.test", chain(issue(t, inter, leafTemplate("reg.test")), inter, rootA), true, false},
		{"the ca option's root", "reg.test", chain(issue(t, rootD, leafTemplate("reg.test"))), true, false},
		{"a root only the full pool has", "reg.test", chain(issue(t, rootB, leafTemplate("reg.test"))), true, true},
		{"unknown root", "reg.test", chain(issue(t, rootC, leafTemplate("reg.test"))), false, true},
		{"impostor with a trusted root's name", "reg.test", chain(issue(t, impostor, leafTemplate("reg.test"))), false, true},
		{"missing intermediate", "reg.test", chain(issue(t, inter, leafTemplate("reg.test"))), false, true},
		{"wrong host name", "other.test", chain(issue(t, inter, leafTemplate("reg.test")), inter), false, true},
		{"expired", "reg.test", chain(issue(t, inter, expired), inter), false, true},
		{"client authentication only", "reg.test", chain(issue(t, inter, clientOnly), inter), false, true},
		{"IP address", "127.0.0.1", chain(issue(t, inter, ipLeaf), inter), true, false},
		{"other IP address", "127.0.0.2", chain(issue(t, inter, ipLeaf), inter), false, true},
		{"no certificate", "reg.test", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var built int
			r := newRoots([]string{bundle, filepath.Join(t.TempDir(), "absent.pem")}, pemOf(rootD.Cert), func() *x509.CertPool { built++; return full })
			err := r.verify(tt.host, tt.certs)
			if (err == nil) != tt.ok {
				t.Fatalf("verify = %v, want accepted %v", err, tt.ok)
			}
			if built > 1 || (built == 1) != tt.built {
				t.Errorf("full pool built %d times, want needed=%v", built, tt.built)
			}
			if len(tt.certs) == 0 {
				return
			}
			// The reference: crypto/tls's own check with the full pool.
			opts := x509.VerifyOptions{DNSName: tt.host, Roots: full, Intermediates: x509.NewCertPool()}
			for _, c := range tt.certs[1:] {
				opts.Intermediates.AddCert(c)
			}
			_, want := tt.certs[0].Verify(opts)
			if (err == nil) != (want == nil) {
				t.Errorf("verify = %v, x509 with the full pool = %v", err, want)
			}
			var ve *tls.CertificateVerificationError
			if err != nil && (!errors.As(err, &ve) || errors.Unwrap(ve) == nil || ve.Err.Error() != want.Error()) {
				t.Errorf("error %#v, want a *tls.CertificateVerificationError wrapping %q", err, want)
			}
		})
	}
}

// TestRawSubject: the subject read without parsing is x509's RawSubject,
// for generated certificates and every certificate of the system bundle.
func TestRawSubject(t *testing.T) {
	var ders [][]byte
	root := issue(t, nil, caTemplate("root"))
	ders = append(ders, root.Cert.Raw, issue(t, root, leafTemplate("a.test")).Cert.Raw)
	for _, f := range systemBundles {
		if data, err := os.ReadFile(f); err == nil {
			for {
				var b *pem.Block
				if b, data = pem.Decode(data); b == nil {
					break
				}
				ders = append(ders, b.Bytes)
			}
			break
		}
	}
	for i, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		got, ok := rawSubject(der)
		if !ok || string(got) != string(c.RawSubject) {
			t.Errorf("certificate %d (%s): rawSubject = %x, %v; x509 %x", i, c.Subject, got, ok, c.RawSubject)
		}
	}
	if len(ders) < 10 {
		t.Logf("no system bundle: %d generated certificates only", len(ders))
	}
}

// FuzzRawSubject: whatever the bytes, rawSubject does not panic, and for a
// certificate x509 parses it finds x509's RawSubject or nothing.
func FuzzRawSubject(f *testing.F) {
	root := issue(f, nil, caTemplate("root"))
	f.Add(root.Cert.Raw)
	f.Add(issue(f, root, leafTemplate("a.test")).Cert.Raw)
	f.Add([]byte{0x30, 0x82, 0x01})
	f.Fuzz(func(t *testing.T, der []byte) {
		got, ok := rawSubject(der)
		if c, err := x509.ParseCertificate(der); err == nil && ok && string(got) != string(c.RawSubject) {
			t.Errorf("rawSubject = %x, x509 %x", got, c.RawSubject)
		}
	})
}

// TestHostGate: at most n requests hold a slot; a freed slot goes to a
// waiting packument before a waiting tarball, except that tarballs get one
// while they hold fewer than a quarter of the slots; a waiter whose
// context ends leaves the queue.
func TestHostGate(t *testing.T) {
	g := &hostGate{n: 4}
	for i := 0; i < 4; i++ {
		if err := g.acquire(ctx, false, nil); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	queued := func(pk, tgz int) {
		for {
			g.mu.Lock()
			done := len(g.pk) == pk && len(g.tgz) == tgz
			g.mu.Unlock()
			if done {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	wait := func(name string, tarball bool) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.acquire(ctx, tarball, nil); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		}()
	}
	wait("t1", true)
	queued(0, 1)
	wait("t2", true)
	queued(0, 2)
	wait("p1", false)
	queued(1, 2)
	wait("p2", false)
	queued(2, 2)
	gone, cancel := context.WithCancel(ctx)
	cancelled := make(chan error)
	go func() { cancelled <- g.acquire(gone, false, nil) }()
	queued(3, 2)
	cancel()
	if err := <-cancelled; err == nil {
		t.Fatal("a cancelled wait got a slot")
	}
	queued(2, 2)
	got := func(want ...string) {
		t.Helper()
		for {
			mu.Lock()
			n := len(order)
			mu.Unlock()
			if n >= len(want) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		if strings.Join(order, " ") != strings.Join(want, " ") {
			t.Fatalf("slots went to %v, want %v", order, want)
		}
	}
	g.release(false)
	got("t1") // no tarball in flight: a quarter of the slots is theirs
	g.release(false)
	got("t1", "p1")
	g.release(false)
	got("t1", "p1", "p2")
	g.release(false)
	got("t1", "p1", "p2", "t2")
	wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inUse != 4 || g.tgzIn != 2 {
		t.Errorf("in use %d (tarballs %d), want 4 (2)", g.inUse, g.tgzIn)
	}
}

// TestHostGateNeeded: a packument whose needed channel is closed while it
// waits moves ahead of the waiting packuments and tarballs, one that
// arrives needed goes behind the needed ones already waiting, and a
// needed waiter whose context ends leaves the queue.
func TestHostGateNeeded(t *testing.T) {
	g := &hostGate{n: 4}
	for i := 0; i < 4; i++ {
		if err := g.acquire(ctx, false, nil); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	queued := func(pk, needed, tgz int) {
		t.Helper()
		for {
			g.mu.Lock()
			done := len(g.pk) == pk && len(g.needed) == needed && len(g.tgz) == tgz
			g.mu.Unlock()
			if done {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	wait := func(c context.Context, name string, tarball bool, needed <-chan struct{}) chan error {
		errc := make(chan error, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := g.acquire(c, tarball, needed)
			if err == nil {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
			}
			errc <- err
		}()
		return errc
	}
	closed := make(chan struct{})
	close(closed)
	wait(ctx, "t1", true, nil)
	queued(0, 0, 1)
	wait(ctx, "p1", false, make(chan struct{}))
	queued(1, 0, 1)
	later := make(chan struct{})
	wait(ctx, "p2", false, later)
	queued(2, 0, 1)
	close(later) // p2 is needed now
	queued(1, 1, 1)
	wait(ctx, "p3", false, closed) // needed from the start
	queued(1, 2, 1)
	gone, cancel := context.WithCancel(ctx)
	cancelled := wait(gone, "p4", false, closed)
	queued(1, 3, 1)
	cancel()
	if err := <-cancelled; err == nil {
		t.Fatal("a cancelled wait got a slot")
	}
	queued(1, 2, 1)
	for i := 1; i <= 4; i++ {
		g.release(false)
		for { // one grant at a time, so order is the order of grants
			mu.Lock()
			n := len(order)
			mu.Unlock()
			if n == i {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	wg.Wait()
	if got := strings.Join(order, " "); got != "p2 p3 t1 p1" {
		t.Fatalf("slots went to %v, want p2 p3 t1 p1", got)
	}
	if g.inUse != 4 {
		t.Errorf("in use %d, want 4", g.inUse)
	}
}

// TestConnectionsPerHost: many requests at once to one host share
// MaxHostConns connections (one TLS handshake each), and all succeed.
func TestConnectionsPerHost(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".tgz") {
			w.Write([]byte("tarball"))
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		io.WriteString(w, `{"name":"`+name+`","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"`+name+`","version":"1.0.0","dist":{"tarball":"x"}}}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	cfg := tlsConfig(t, srv, "")
	c := New(cfg, Options{NoDiskCache: true, MaxConns: 32, MaxTarballConns: 32, MaxHostConns: 3})
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				if _, err := c.Packument(ctx, "p"+string(rune('a'+i%26))+string(rune('a'+i/26))); err != nil {
					t.Error(err)
				}
				return
			}
			data, _, err := c.TarballData(ctx, srv.URL+"/x/-/x-1.0.0.tgz", 1<<20)
			if err != nil || string(data) != "tarball" {
				t.Errorf("tarball %q, %v", data, err)
			}
		}()
	}
	wg.Wait()
	if n := conns.Load(); n > 3 {
		t.Errorf("the server saw %d connections, want at most 3", n)
	}
	if st := c.Stats(); st.Dials != int64(conns.Load()) {
		t.Errorf("Stats.Dials = %d, the server saw %d", st.Dials, conns.Load())
	}
}

// TestHostNameChecked: a certificate the cafile trusts is still refused
// for a host name it does not carry (it names 127.0.0.1, not localhost).
func TestHostNameChecked(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"name":"a","versions":{}}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
	c := New(tlsConfig(t, srv, "https://localhost:"+port), Options{NoDiskCache: true, Retries: -1})
	_, err := c.Packument(ctx, "a")
	var ve *tls.CertificateVerificationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a certificate verification error", err)
	}
	var he x509.HostnameError
	if !errors.As(err, &he) {
		t.Errorf("error %v, want a host name error", err)
	}
	// The same server by the name its certificate carries is accepted.
	c = New(tlsConfig(t, srv, ""), Options{NoDiskCache: true, Retries: -1})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
}

// tlsConfig is a configuration whose registry is srv (or registry when
// set) with srv's certificate trusted through cafile.
func tlsConfig(t *testing.T, srv *httptest.Server, registry string) *npmrc.Config {
	t.Helper()
	dir := t.TempDir()
	rc := ""
	if srv != nil {
		ca := filepath.Join(dir, "ca.pem")
		os.WriteFile(ca, pemOf(srv.Certificate()), 0o644)
		rc = "cafile=" + ca + "\n"
		if registry == "" {
			registry = srv.URL
		}
	}
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+registry+"/\n"+rc), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte("{}"), 0o644)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Home: dir, Env: []string{}, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
