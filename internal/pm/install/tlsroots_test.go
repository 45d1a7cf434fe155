package install

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"gnode/internal/testutil/testcert"
	"io"
	"log"
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

// TestChecksTransportVerifies: the checks' connections trust the system's
// roots plus npm's cafile, check the host name, and fail with crypto/tls's
// verification error otherwise; a request body goes through.
func TestChecksTransportVerifies(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(append([]byte("echo:"), b...))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshakes are expected
	defer srv.Close()
	dir := t.TempDir()
	// The test server's certificate is trusted through npm's cafile only,
	// in a bundle after another root.
	bundle := filepath.Join(dir, "bundle.pem")
	pemOf := func(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }
	os.WriteFile(bundle, append(pemOf(selfSigned(t).Raw), pemOf(srv.Certificate().Raw)...), 0o644)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))

	post := func(tr *checksTransport, url string) (string, error) {
		resp, err := checksClient(tr).Post(url, "text/plain", strings.NewReader("body"))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), nil
	}
	if got, err := post(newChecksTransport("", bundle, nil), srv.URL); err != nil || got != "echo:body" {
		t.Fatalf("trusted through cafile: %q, %v", got, err)
	}
	// The certificate names 127.0.0.1 and example.com, not localhost.
	for name, tc := range map[string]struct{ cafile, url string }{
		"without cafile":  {"", srv.URL},
		"wrong host name": {bundle, "https://localhost:" + port},
	} {
		_, err := post(newChecksTransport("", tc.cafile, nil), tc.url)
		var ve *tls.CertificateVerificationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v, want a certificate verification error", name, err)
		}
	}
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

	for round := 0; round < 2; round++ {
		tr := newChecksTransport(dir, bundle, nil)
		before := conns.Load()
		tr.predial(srv.URL + "/registry/")
		resp, err := checksClient(tr).Get(srv.URL + "/-/x")
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		if n := tr.freshDials.Load(); n != 0 {
			t.Errorf("round %d: %d connections dialled on demand; the predialed one was not used", round, n)
		}
		if n := conns.Load() - before; n != 1 {
			t.Errorf("round %d: the server saw %d connections, want 1", round, n)
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

func selfSigned(t *testing.T) *x509.Certificate {
	return testcert.Issue(t, nil, testcert.CATemplate("other test root")).Cert
}
