package registry_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/registry"
)

// `npm audit signatures` first refreshes sigstore's TUF repository (it
// holds the public registry's keys) and only then, for a registry the
// repository does not list, asks the registry's /-/npm/v1/keys. The TUF
// mirror cannot be reached from the test machine, so the test stands in
// for it: npm's TUF cache is seeded with a root of the test's own, and the
// mirror's host is served through an HTTPS proxy (https_proxy) with a
// certificate from a test CA (NODE_EXTRA_CA_CERTS). The repository lists no
// target for the gnode registry, so npm takes gnode's keys, exactly as it
// does against any private registry.

// tufMirrorURL asks npm's bundled @sigstore/tuf for its default mirror.
func tufMirrorURL(t *testing.T) *url.URL {
	t.Helper()
	root, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skipf("npm root -g: %v", err)
	}
	mod := filepath.Join(strings.TrimSpace(string(root)), "npm", "node_modules", "@sigstore", "tuf")
	out, err := exec.Command("node", "-e", "process.stdout.write(require(process.argv[1]).DEFAULT_MIRROR_URL)", mod).Output()
	if err != nil {
		t.Skipf("cannot read the TUF mirror npm uses from %s: %v", mod, err)
	}
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		t.Skipf("unexpected TUF mirror %q: %v", out, err)
	}
	return u
}

// tufRepo is a minimal TUF repository (root, timestamp, snapshot, targets,
// one ed25519 key for every role) listing the given targets.
type tufRepo struct {
	files map[string][]byte
}

func newTUFRepo(t *testing.T, targets map[string][]byte) *tufRepo {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pub)
	kid := hex.EncodeToString(sum[:])
	expires := time.Now().Add(24 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	role := map[string]any{"keyids": []string{kid}, "threshold": 1}
	// sign wraps a role's "signed" part: TUF signs its canonical JSON (sorted
	// keys, no spaces; json.Marshal gives the same bytes for these plain
	// ASCII strings and integers).
	sign := func(signed map[string]any) []byte {
		signed["spec_version"] = "1.0.31"
		signed["version"] = 1
		signed["expires"] = expires
		canon, err := json.Marshal(signed)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := json.Marshal(map[string]any{
			"signed":     json.RawMessage(canon),
			"signatures": []map[string]string{{"keyid": kid, "sig": hex.EncodeToString(ed25519.Sign(priv, canon))}},
		})
		return doc
	}
	targetsMeta := map[string]any{}
	files := map[string][]byte{}
	for name, data := range targets {
		h := sha256.Sum256(data)
		targetsMeta[name] = map[string]any{"length": len(data), "hashes": map[string]string{"sha256": hex.EncodeToString(h[:])}}
		files["targets/"+name] = data
	}
	files["root.json"] = sign(map[string]any{
		"_type":               "root",
		"consistent_snapshot": false,
		"keys":                map[string]any{kid: map[string]any{"keytype": "ed25519", "scheme": "ed25519", "keyval": map[string]string{"public": hex.EncodeToString(pub)}}},
		"roles":               map[string]any{"root": role, "timestamp": role, "snapshot": role, "targets": role},
	})
	files["timestamp.json"] = sign(map[string]any{"_type": "timestamp", "meta": map[string]any{"snapshot.json": map[string]int{"version": 1}}})
	files["snapshot.json"] = sign(map[string]any{"_type": "snapshot", "meta": map[string]any{"targets.json": map[string]int{"version": 1}}})
	files["targets.json"] = sign(map[string]any{"_type": "targets", "targets": targetsMeta})
	return &tufRepo{files: files}
}

// testCA issues a certificate for host, returning the server certificate
// and the CA in PEM for NODE_EXTRA_CA_CERTS.
func testCA(t *testing.T, host string) (tls.Certificate, []byte) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gnode test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
}

// tunnelProxy answers CONNECT by tunnelling to target (whatever host was
// asked for) and forwards plain proxied HTTP requests as they are.
func tunnelProxy(t *testing.T, target string) *httptest.Server {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			r.RequestURI = ""
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body)
			return
		}
		up, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			up.Close()
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		wg.Add(2)
		go func() { defer wg.Done(); io.Copy(up, bufio.NewReader(buf)); up.(*net.TCPConn).CloseWrite() }()
		go func() { defer wg.Done(); io.Copy(conn, up); conn.Close() }()
	}))
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return srv
}

// TestRealNPMAuditSignatures: `npm audit signatures` verifies the
// registry signatures of packages installed from a gnode registry.
func TestRealNPMAuditSignatures(t *testing.T) {
	haveTool(t, "npm")
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	mirror := tufMirrorURL(t)
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "@alice/signed", "1.0.0")
	r.mustPublish(tok, "plain-signed", "2.0.0")
	npm := newNPM(t, r, tok)

	var repoMu sync.Mutex
	repo := newTUFRepo(t, nil)
	var tufHits sync.Map
	cert, caPEM := testCA(t, mirror.Hostname())
	tufSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name := strings.TrimPrefix(req.URL.Path, strings.TrimSuffix(mirror.Path, "/")+"/")
		tufHits.Store(name, true)
		repoMu.Lock()
		b, ok := repo.files[name]
		repoMu.Unlock()
		if ok && name != "root.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write(b)
			return
		}
		http.NotFound(w, req) // 2.root.json: the seeded root is the newest
	}))
	tufSrv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	tufSrv.StartTLS()
	t.Cleanup(tufSrv.Close)
	proxy := tunnelProxy(t, tufSrv.Listener.Addr().String())

	caFile := filepath.Join(npm.home, "ca.pem")
	os.WriteFile(caFile, caPEM, 0o644)
	// npm keeps the TUF cache under its cache folder, one folder per
	// mirror (named by the URL-encoded host and path).
	tufCache := filepath.Join(npm.home, "cache", "_tuf")
	seed := func(root []byte) {
		dir := filepath.Join(tufCache, url.PathEscape(mirror.Host+strings.TrimSuffix(mirror.Path, "/")))
		os.RemoveAll(tufCache)
		os.MkdirAll(filepath.Join(dir, "targets"), 0o755)
		os.WriteFile(filepath.Join(dir, "root.json"), root, 0o644)
	}
	seed(repo.files["root.json"])
	env := append(append([]string{}, npm.env...),
		"https_proxy="+proxy.URL, "HTTPS_PROXY="+proxy.URL, "no_proxy=127.0.0.1,localhost", "NO_PROXY=127.0.0.1,localhost",
		"NODE_EXTRA_CA_CERTS="+caFile)
	run := func(dir string, args ...string) (string, error) {
		cmd := exec.Command("npm", args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	app := t.TempDir()
	writePkg(t, app, "app", "1.0.0", nil)
	if out, err := run(app, "install", "@alice/signed@1.0.0", "plain-signed@2.0.0"); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	out, err := run(app, "audit", "signatures")
	if err != nil || !strings.Contains(out, "audited 2 packages") || !strings.Contains(out, "2 packages have verified registry signatures") {
		t.Fatalf("npm audit signatures: %v\n%s", err, out)
	}
	if _, ok := tufHits.Load("timestamp.json"); !ok {
		t.Errorf("npm did not go through the stand-in TUF mirror; the check proves less than it claims")
	}

	// The same packages checked against another key under gnode's key id
	// (published for this registry through TUF, which npm prefers to the
	// registry's own list): npm must call the signatures invalid.
	_, kb := r.do("GET", "-/npm/v1/keys", "", "", nil)
	var keys struct{ Keys []struct{ KeyID string } }
	if err := json.Unmarshal(kb, &keys); err != nil || len(keys.Keys) == 0 {
		t.Fatalf("registry keys: %v %s", err, kb)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&other.PublicKey)
	target, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"keyId": keys.Keys[0].KeyID, "keyUsage": "npm:signatures",
		"publicKey": map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(der), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": map[string]string{"start": "2020-01-01T00:00:00.000Z"}},
	}}})
	u, _ := url.Parse(r.URL)
	wrong := newTUFRepo(t, map[string][]byte{u.Host + strings.TrimSuffix(u.Path, "/") + "/keys.json": target})
	repoMu.Lock()
	repo = wrong
	repoMu.Unlock()
	seed(wrong.files["root.json"])
	out, err = run(app, "audit", "signatures")
	if err == nil || !strings.Contains(out, "invalid registry signature") {
		t.Errorf("npm audit signatures with a key that did not sign the packages: %v\n%s", err, out)
	}
}
