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
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
