package install

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestChecksTransportRootHint: the first request verifies against the full
// pool and records the root; a later transport verifies against that root
// alone without building the full pool; a stale hint falls back to the
// full pool and the request (with its body) still goes through.
func TestChecksTransportRootHint(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(append([]byte("echo:"), b...))
	}))
	defer srv.Close()
	dir := t.TempDir()
	// The test server's certificate is trusted through npm's cafile only.
	bundle := filepath.Join(dir, "bundle.pem")
	other := selfSigned(t)
	pemOf := func(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }
	os.WriteFile(bundle, append(pemOf(other.Raw), pemOf(srv.Certificate().Raw)...), 0o644)
	cache := filepath.Join(dir, "cache")
	os.MkdirAll(cache, 0o755)
	host := strings.Split(strings.TrimPrefix(srv.URL, "https://"), ":")[0]

	post := func(tr *checksTransport) string {
		t.Helper()
		resp, err := checksClient(tr).Post(srv.URL, "text/plain", strings.NewReader("body"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	first := newChecksTransport(cache, bundle, nil)
	if got := post(first); got != "echo:body" {
		t.Fatalf("first request: %q", got)
	}
	hints := readHints(t, cache)
	if hints[host] == "" {
		t.Fatalf("no root recorded for %s: %v", host, hints)
	}

	second := newChecksTransport(cache, bundle, nil)
	if got := post(second); got != "echo:body" {
		t.Fatalf("hinted request: %q", got)
	}
	if second.full != nil {
		t.Error("the full pool was built although the hinted root verified the server")
	}

	// A hint naming another trusted root fails verification: the request
	// is sent again, body included, over a fully verified connection.
	stale := map[string]string{host: digestOf(other)}
	b, _ := json.Marshal(stale)
	os.WriteFile(filepath.Join(cache, rootHintsFile), b, 0o644)
	third := newChecksTransport(cache, bundle, nil)
	if got := post(third); got != "echo:body" {
		t.Fatalf("request after a stale hint: %q", got)
	}
	if third.full == nil || !third.stale.Load() {
		t.Error("a stale hint did not fall back to the full pool")
	}
	if readHints(t, cache)[host] != hints[host] {
		t.Error("the stale hint was not replaced")
	}

	// Without cafile the server is not trusted at all, hint or not.
	untrusted := newChecksTransport(cache, "", nil)
	untrusted.bundles = nil
	if _, err := checksClient(untrusted).Get(srv.URL); err == nil {
		t.Fatal("an untrusted server was accepted")
	}
}

func readHints(t *testing.T, cache string) map[string]string {
	t.Helper()
	var h map[string]string
	b, _ := os.ReadFile(filepath.Join(cache, rootHintsFile))
	json.Unmarshal(b, &h)
	return h
}

func digestOf(c *x509.Certificate) string { return hexSHA256(c.Raw) }

func selfSigned(t *testing.T) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "other test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestChecksTransportPredial: the first request uses the connection
// predial opened (no dial on demand), and a predialed connection nobody
// takes is closed by closeIdle.
func TestChecksTransportPredial(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)

	for _, hinted := range []bool{false, true} {
		tr := newChecksTransport(dir, bundle, nil)
		if hinted != (len(tr.hints) > 0) {
			t.Fatalf("hinted=%v but hints are %v", hinted, tr.hints)
		}
		before := conns.Load()
		tr.predial(srv.URL + "/registry/")
		resp, err := checksClient(tr).Get(srv.URL + "/-/x")
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		if n := tr.freshDials.Load(); n != 0 {
			t.Errorf("hinted=%v: %d connections dialled on demand; the predialed one was not used", hinted, n)
		}
		if n := conns.Load() - before; n != 1 {
			t.Errorf("hinted=%v: the server saw %d connections, want 1", hinted, n)
		}
		tr.closeIdle()
	}

	// Unclaimed: closed by closeIdle.
	tr := newChecksTransport(dir, bundle, nil)
	tr.predial(srv.URL)
	tr.mu.Lock()
	p := tr.pre[strings.TrimPrefix(srv.URL, "https://")]
	tr.mu.Unlock()
	if p == nil {
		t.Fatal("predial registered nothing")
	}
	tr.closeIdle()
	<-p.done
	if p.conn == nil {
		t.Fatalf("predial failed: %v", p.err)
	}
	// A closed connection refuses writes (eventually, once discard ran).
	for i := 0; ; i++ {
		if _, err := p.conn.Write([]byte("x")); err != nil {
			break
		}
		if i > 1000 {
			t.Fatal("the unclaimed connection was not closed")
		}
		time.Sleep(time.Millisecond)
	}
	// Plain HTTP is never predialed.
	tr.predial("http://127.0.0.1:1/")
	tr.mu.Lock()
	n := len(tr.pre)
	tr.mu.Unlock()
	if n != 0 {
		t.Fatal("plain HTTP was predialed")
	}
}
