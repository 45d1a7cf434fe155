package registryclient

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"sync"
)

// roots verifies a registry's certificate chain against the authorities
// the client trusts: the system's, as crypto/x509 loads them, plus npm's
// `cafile` and `ca` options (the pool rootCAs builds).
//
// Loading that pool parses every certificate of the system bundle and of
// each file in the certificate directories (with Debian's npm, whose
// global config names the bundle as cafile, three times over): ~580
// certificates and ~20 ms of CPU, 5% of a cold install of a small project,
// to verify chains that all end at one or two roots. roots verifies with
// crypto/x509 as crypto/tls does, but first against a pool of only the
// roots whose subject is the issuer (or the subject) of a certificate the
// server sent, taken from the system bundle file, cafile and ca, which are
// indexed by subject without parsing the rest. x509 finds a certificate's
// possible parents by issuer name and nothing else, so from the same
// files that pool yields the chains the full pool would. When it yields
// none (a root only in a certificate directory, or a chain that is bad
// anyway) the full pool decides. So no chain is accepted that the full
// pool would reject, and none rejected that it would accept.
type roots struct {
	files  []string // PEM bundles indexed for the first verification
	inline []byte   // the `ca` option's certificates, PEM
	full   func() *x509.CertPool

	indexOnce sync.Once
	bySubject map[string][][]byte // raw subject -> DER of the certificates with it

	mu     sync.Mutex
	parsed map[string]*x509.Certificate // by DER

	fullOnce sync.Once
	fullPool *x509.CertPool
}

// systemBundles are the files crypto/x509 reads on Linux, in its order;
// it takes the first it can read (SSL_CERT_FILE replaces the list).
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

var rootsByConfig sync.Map // cafile + "\x00" + ca... -> *roots

// rootsFor returns the shared roots for npm's cafile and ca options.
func rootsFor(cafile string, cas []string, logf func(string, ...any)) *roots {
	key := cafile + "\x00" + strings.Join(cas, "\x00")
	if r, ok := rootsByConfig.Load(key); ok {
		return r.(*roots)
	}
	bundle := ""
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		bundle = f
	} else {
		for _, f := range systemBundles {
			if _, err := os.Stat(f); err == nil {
				bundle = f
				break
			}
		}
	}
	var files []string
	if bundle != "" {
		files = append(files, bundle)
	}
	if cafile != "" && cafile != bundle {
		files = append(files, cafile)
	}
	var inline []byte
	for _, c := range cas {
		inline = append(inline, strings.ReplaceAll(c, `\n`, "\n")...)
		inline = append(inline, '\n')
	}
	r := newRoots(files, inline, func() *x509.CertPool { return rootCAs(cafile, cas, logf) })
	v, _ := rootsByConfig.LoadOrStore(key, r)
	return v.(*roots)
}

// newRoots indexes files and inline for the first verification; full
// returns the pool that decides when that fails (nil: the system's).
func newRoots(files []string, inline []byte, full func() *x509.CertPool) *roots {
	return &roots{files: files, inline: inline, full: full, parsed: map[string]*x509.Certificate{}}
}

func (r *roots) index() {
	r.bySubject = map[string][][]byte{}
	add := func(data []byte) {
		for len(data) > 0 {
			var b *pem.Block
			b, data = pem.Decode(data)
			if b == nil {
				return
			}
			// x509.CertPool.AppendCertsFromPEM skips the same blocks.
			if b.Type != "CERTIFICATE" || len(b.Headers) != 0 {
				continue
			}
			if subject, ok := rawSubject(b.Bytes); ok {
				r.bySubject[string(subject)] = append(r.bySubject[string(subject)], b.Bytes)
			}
		}
	}
	for _, f := range r.files {
		if data, err := os.ReadFile(f); err == nil {
			add(data)
		}
	}
	add(r.inline)
}

// rawSubject returns a DER certificate's subject as x509 keeps it in
// RawSubject (the whole SEQUENCE), without parsing the rest. A
// certificate it misreads is only looked up under the wrong name: the
// full pool still decides for it.
func rawSubject(der []byte) ([]byte, bool) {
	cert, _, ok := derElement(der, 0x30)
	if !ok {
		return nil, false
	}
	tbs, _, ok := derElement(derContent(cert), 0x30)
	if !ok {
		return nil, false
	}
	rest := derContent(tbs)
	if len(rest) > 0 && rest[0] == 0xa0 { // [0] version
		if _, rest, ok = derElement(rest, 0xa0); !ok {
			return nil, false
		}
	}
	// serial number, signature algorithm, issuer, validity
	for _, tag := range []byte{0x02, 0x30, 0x30, 0x30} {
		if _, rest, ok = derElement(rest, tag); !ok {
			return nil, false
		}
	}
	subject, _, ok := derElement(rest, 0x30)
	return subject, ok
}

// derElement splits the DER element with the given (one-byte) tag off the
// front of b: the element with its header, and what follows it.
func derElement(b []byte, tag byte) (elem, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, nil, false
	}
	n, hdr := int(b[1]), 2
	if n >= 0x80 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < 2+k {
			return nil, nil, false
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		hdr += k
	}
	if len(b)-hdr < n {
		return nil, nil, false
	}
	return b[:hdr+n], b[hdr+n:], true
}

// derContent is an element's content, without its header.
func derContent(elem []byte) []byte {
	if elem[1] < 0x80 {
		return elem[2:]
	}
	return elem[2+int(elem[1]&0x7f):]
}

// candidates is a pool of the indexed roots that can be the parent of (or
// be) one of the certificates the server sent; nil when there is none.
func (r *roots) candidates(certs []*x509.Certificate) *x509.CertPool {
	r.indexOnce.Do(r.index)
	var pool *x509.CertPool
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	for _, c := range certs {
		for _, name := range [][]byte{c.RawIssuer, c.RawSubject} {
			for _, der := range r.bySubject[string(name)] {
				if seen[string(der)] {
					continue
				}
				seen[string(der)] = true
				root, ok := r.parsed[string(der)]
				if !ok {
					root, _ = x509.ParseCertificate(der) // nil when unparsable, as AppendCertsFromPEM skips it
					r.parsed[string(der)] = root
				}
				if root == nil {
					continue
				}
				if pool == nil {
					pool = x509.NewCertPool()
				}
				pool.AddCert(root)
			}
		}
	}
	return pool
}

func (r *roots) fullRoots() *x509.CertPool {
	r.fullOnce.Do(func() { r.fullPool = r.full() })
	return r.fullPool
}

// verify checks the chain a server sent for host as crypto/tls does
// (x509 verification for server authentication at the current time), and
// returns the error crypto/tls would: a *tls.CertificateVerificationError.
func (r *roots) verify(host string, certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return &tls.CertificateVerificationError{Err: errors.New("tls: server sent no certificate")}
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	if pool := r.candidates(certs); pool != nil {
		opts.Roots = pool
		if _, err := certs[0].Verify(opts); err == nil {
			return nil
		}
	}
	opts.Roots = r.fullRoots() // nil: the system's pool
	if _, err := certs[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// TLSConfig returns a copy of base (nil: an empty configuration) for a
// connection to host that verifies host's certificate chain as the Client
// does: against the system's roots plus npm's cafile and ca options,
// through VerifyConnection without loading the system's whole pool when
// the system bundle, cafile or ca verify the chain (see roots), or, where
// crypto/x509 does not verify chains itself (not Linux, FIPS 140-3 mode),
// with RootCAs set to that pool.
func TLSConfig(base *tls.Config, host, cafile string, cas []string) *tls.Config {
	if !lazyRootsSupported() {
		cfg := cloneConfig(base)
		cfg.ServerName = host
		cfg.RootCAs = rootCAs(cafile, cas, func(string, ...any) {})
		return cfg
	}
	return rootsFor(cafile, cas, func(string, ...any) {}).config(base, host)
}

// config is base set up to verify host's chain with r.verify. crypto/tls's
// own check is replaced, not skipped: VerifyConnection runs on every
// handshake, resumed ones included, and its error fails the handshake.
func (r *roots) config(base *tls.Config, host string) *tls.Config {
	cfg := cloneConfig(base)
	cfg.ServerName = host
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		return r.verify(host, cs.PeerCertificates)
	}
	return cfg
}

func cloneConfig(c *tls.Config) *tls.Config {
	if c == nil {
		return &tls.Config{}
	}
	return c.Clone()
}
