package install

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
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
	stale atomic.Bool // a hinted pool failed: hints are not used again in this process
}

// newChecksTransport builds the transport; cafile and cas are npm's
// options, trusted in addition to the system's roots as the registry
// client does.
func newChecksTransport(cacheDir, cafile string, cas []string) *checksTransport {
	t := &checksTransport{cafile: cafile, fast: map[string]*http.Transport{}}
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
		t.full = http.DefaultTransport.(*http.Transport).Clone()
		if t.cafile != "" || len(t.inline) > 0 {
			t.full.TLSClientConfig = &tls.Config{RootCAs: fullPool(t.cafile, t.inline)}
		}
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
			tr = http.DefaultTransport.(*http.Transport).Clone()
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
		}
	}
	t.fast[host] = tr
	return tr
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
