package registryclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
)

// writeCert writes a self-signed client certificate and key.
func writeCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// TestTLS covers cafile (trusting a private CA) and client certificates
// from certfile/keyfile under the registry's nerf dart, over HTTP/1.1 (the
// default) and HTTP/2 (Options.HTTP2), and TLS session resumption.
func TestTLS(t *testing.T) {
	var sawCert, sawH2, resumed bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawCert = len(r.TLS.PeerCertificates) > 0
		sawH2 = r.ProtoMajor == 2
		resumed = r.TLS.DidResume
		io.WriteString(w, `{"name":"a","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"a","version":"1.0.0","dist":{"tarball":"x"}}}}`)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted handshake below is expected
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	certFile, keyFile := writeCert(t, dir)
	host := strings.TrimPrefix(srv.URL, "https://")
	load := func(rc string) *npmrc.Config {
		os.WriteFile(filepath.Join(dir, ".npmrc"), []byte(rc), 0o644)
		os.WriteFile(filepath.Join(dir, "package.json"), []byte("{}"), 0o644)
		cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Home: dir, Env: []string{}, NoNpmFallback: true})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	// without cafile the private CA is not trusted
	c := New(load("registry="+srv.URL+"/\n"), Options{NoDiskCache: true, Retries: -1})
	if _, err := c.Packument(ctx, "a"); err == nil {
		t.Fatalf("an untrusted certificate was accepted")
	}
	for _, h2 := range []bool{false, true} {
		cfg := load("registry=" + srv.URL + "/\ncafile=" + ca + "\n//" + host + "/:certfile=" + certFile + "\n//" + host + "/:keyfile=" + keyFile + "\n")
		c = New(cfg, Options{NoDiskCache: true, HTTP2: h2})
		if _, err := c.Packument(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if !sawCert || sawH2 != h2 {
			t.Errorf("HTTP2 option %v: client certificate sent: %v, HTTP/2: %v", h2, sawCert, sawH2)
		}
		// without the cert options, no client certificate
		c = New(load("registry="+srv.URL+"/\ncafile="+ca+"\n"), Options{NoDiskCache: true, HTTP2: h2})
		if _, err := c.Packument(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if sawCert || sawH2 != h2 || resumed {
			t.Errorf("HTTP2 option %v: client certificate sent without certfile/keyfile: %v, HTTP/2: %v, first handshake resumed: %v", h2, sawCert, sawH2, resumed)
		}
		// a new connection resumes the first one's session
		c.hc.CloseIdleConnections()
		body, err := c.Tarball(ctx, srv.URL+"/a/-/a-1.0.0.tgz")
		if err != nil {
			t.Fatal(err)
		}
		body.Close()
		if !resumed {
			t.Errorf("HTTP2 option %v: a second connection did a full handshake", h2)
		}
	}
	// strict-ssl=false accepts the untrusted certificate
	c = New(load("registry="+srv.URL+"/\nstrict-ssl=false\n"), Options{NoDiskCache: true})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Errorf("strict-ssl=false: %v", err)
	}
}
