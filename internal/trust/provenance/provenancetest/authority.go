// Package provenancetest is a miniature Sigstore for tests: a Fulcio-like
// CA that issues CI identity certificates, a Rekor-like log key that signs
// entry timestamps and checkpoints, and the trusted_root.json that makes a
// verifier trust them. Bundles it makes are verified by the same code as
// real ones.
//
// sigstore-go's own pkg/testing/ca cannot be imported by gnode: it pulls in
// rekor's PGP support, which needs golang.org/x/crypto/openpgp, gone from
// the x/crypto version gnode uses. This is a small standard-library
// equivalent that also sets the Fulcio CI extensions provenance relies on.
package provenancetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"
)

// Authority is a test Fulcio CA plus a test Rekor log.
type Authority struct {
	rootCert, interCert *x509.Certificate
	interKey            *ecdsa.PrivateKey
	logKey              *ecdsa.PrivateKey
	start               time.Time
}

// New makes a fresh authority.
func New() (*Authority, error) {
	a := &Authority{start: time.Now().Add(-time.Hour).Truncate(time.Second)}
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gnode-test-fulcio-root", Organization: []string{"gnode test"}},
		NotBefore: a.start, NotAfter: a.start.Add(48 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	if a.rootCert, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	if a.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	interTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "gnode-test-fulcio-intermediate", Organization: []string{"gnode test"}},
		NotBefore: a.start, NotAfter: a.start.Add(48 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		BasicConstraintsValid: true, IsCA: true,
	}
	if der, err = x509.CreateCertificate(rand.Reader, interTmpl, a.rootCert, &a.interKey.PublicKey, rootKey); err != nil {
		return nil, err
	}
	if a.interCert, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	if a.logKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Authority) logID() []byte {
	der, _ := x509.MarshalPKIXPublicKey(&a.logKey.PublicKey)
	sum := sha256.Sum256(der)
	return sum[:]
}

// TrustedRoot is the trusted_root.json that trusts this authority (no CT
// logs, so verifiers do not require SCTs).
func (a *Authority) TrustedRoot() []byte {
	logDER, _ := x509.MarshalPKIXPublicKey(&a.logKey.PublicKey)
	start := a.start.UTC().Format(time.RFC3339)
	doc := map[string]any{
		"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
		"tlogs": []any{map[string]any{
			"baseUrl": "https://rekor.localhost", "hashAlgorithm": "SHA2_256",
			"publicKey": map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(logDER), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": map[string]any{"start": start}},
			"logId":     map[string]any{"keyId": base64.StdEncoding.EncodeToString(a.logID())},
		}},
		"certificateAuthorities": []any{map[string]any{
			"subject": map[string]any{"organization": "gnode test", "commonName": "gnode-test-fulcio"},
			"uri":     "https://fulcio.localhost",
			"certChain": map[string]any{"certificates": []any{
				map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(a.interCert.Raw)},
				map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(a.rootCert.Raw)},
			}},
			"validFor": map[string]any{"start": start},
		}},
		"ctlogs":               []any{},
		"timestampAuthorities": []any{},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return b
}

// Builder is the CI identity a bundle is signed as.
type Builder struct {
	Repository string // https://github.com/acme/http-kit
	Workflow   string // .github/workflows/release.yml
	Ref        string // refs/tags/v1.0.0 (default refs/heads/main)
}

// Fulcio certificate extension OIDs (1.3.6.1.4.1.57264.1.x).
func fulcioOID(n int) asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, n}
}

func utf8Ext(n int, s string) pkix.Extension {
	v, _ := asn1.MarshalWithParams(s, "utf8")
	return pkix.Extension{Id: fulcioOID(n), Value: v}
}

// Statement is an npm SLSA v1 provenance statement for name@version whose
// tarball has the given sha512 SRI integrity.
func Statement(name, version, integrity string, b Builder) []byte {
	d, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(strings.Fields(integrity)[0], "sha512-"))
	st := map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "pkg:npm/" + strings.Replace(name, "@", "%40", 1) + "@" + version, "digest": map[string]string{"sha512": hex.EncodeToString(d)}}},
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
				"externalParameters": map[string]any{"workflow": map[string]any{"ref": b.ref(), "repository": b.Repository, "path": b.Workflow}},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://github.com/actions/runner/github-hosted"}},
		},
	}
	out, _ := json.Marshal(st)
	return out
}

func (b Builder) ref() string {
	if b.Ref == "" {
		return "refs/heads/main"
	}
	return b.Ref
}

// Bundle signs statement as builder and returns a v0.3 Sigstore bundle
// (certificate, DSSE envelope, Rekor dsse entry with signed entry
// timestamp and inclusion proof).
func (a *Authority) Bundle(statement []byte, b Builder) ([]byte, error) {
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now().Add(-time.Minute).Truncate(time.Second)
	buildConfig := strings.TrimSuffix(b.Repository, "/") + "/" + b.Workflow + "@" + b.ref()
	san, err := url.Parse(buildConfig)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()), NotBefore: now, NotAfter: now.Add(10 * time.Minute),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		URIs: []*url.URL{san},
		ExtraExtensions: []pkix.Extension{
			{Id: fulcioOID(1), Value: []byte("https://token.actions.githubusercontent.com")},
			utf8Ext(8, "https://token.actions.githubusercontent.com"),
			utf8Ext(9, buildConfig),
			utf8Ext(12, b.Repository),
			utf8Ext(13, "0123456789abcdef0123456789abcdef01234567"),
			utf8Ext(14, b.ref()),
			utf8Ext(18, buildConfig),
			utf8Ext(20, "push"),
		},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.interCert, &leafKey.PublicKey, a.interKey)
	if err != nil {
		return nil, err
	}

	// DSSE: the signature covers the pre-authentication encoding.
	const payloadType = "application/vnd.in-toto+json"
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(statement), statement)
	h := sha256.Sum256([]byte(pae))
	sig, err := ecdsa.SignASN1(rand.Reader, leafKey, h[:])
	if err != nil {
		return nil, err
	}
	envelope := map[string]any{
		"payload": base64.StdEncoding.EncodeToString(statement), "payloadType": payloadType,
		"signatures": []any{map[string]string{"sig": base64.StdEncoding.EncodeToString(sig), "keyid": ""}},
	}
	envJSON, _ := json.Marshal(envelope)

	// The Rekor dsse v0.0.1 entry, canonical JSON (sorted keys, no spaces).
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	envHash := sha256.Sum256(envJSON)
	payloadHash := sha256.Sum256(statement)
	body := fmt.Sprintf(`{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":{"algorithm":"sha256","value":"%x"},"payloadHash":{"algorithm":"sha256","value":"%x"},"signatures":[{"signature":"%s","verifier":"%s"}]}}`,
		envHash, payloadHash, base64.StdEncoding.EncodeToString(sig), base64.StdEncoding.EncodeToString(certPEM))

	integrated := now.Add(30 * time.Second).Unix()
	logID := a.logID()
	// Signed entry timestamp over the canonical {body, integratedTime, logID, logIndex}.
	set := fmt.Sprintf(`{"body":"%s","integratedTime":%d,"logID":"%x","logIndex":0}`, base64.StdEncoding.EncodeToString([]byte(body)), integrated, logID)
	sh := sha256.Sum256([]byte(set))
	setSig, err := ecdsa.SignASN1(rand.Reader, a.logKey, sh[:])
	if err != nil {
		return nil, err
	}
	// A one-leaf tree: the root is the leaf hash, the proof is empty.
	leaf := sha256.Sum256(append([]byte{0}, body...))
	note := fmt.Sprintf("rekor.localhost - 1\n1\n%s\n", base64.StdEncoding.EncodeToString(leaf[:]))
	nh := sha256.Sum256([]byte(note))
	noteSig, err := ecdsa.SignASN1(rand.Reader, a.logKey, nh[:])
	if err != nil {
		return nil, err
	}
	logDER, _ := x509.MarshalPKIXPublicKey(&a.logKey.PublicKey)
	kh := sha256.Sum256(logDER)
	hint := make([]byte, 4)
	binary.BigEndian.PutUint32(hint, binary.BigEndian.Uint32(kh[:4]))
	checkpoint := note + "\n\u2014 rekor.localhost " + base64.StdEncoding.EncodeToString(append(hint, noteSig...)) + "\n"

	bundle := map[string]any{
		"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
		"verificationMaterial": map[string]any{
			"certificate": map[string]string{"rawBytes": base64.StdEncoding.EncodeToString(der)},
			"tlogEntries": []any{map[string]any{
				"logIndex":          "0",
				"logId":             map[string]string{"keyId": base64.StdEncoding.EncodeToString(logID)},
				"kindVersion":       map[string]string{"kind": "dsse", "version": "0.0.1"},
				"integratedTime":    fmt.Sprint(integrated),
				"inclusionPromise":  map[string]string{"signedEntryTimestamp": base64.StdEncoding.EncodeToString(setSig)},
				"inclusionProof":    map[string]any{"logIndex": "0", "rootHash": base64.StdEncoding.EncodeToString(leaf[:]), "treeSize": "1", "hashes": []string{}, "checkpoint": map[string]string{"envelope": checkpoint}},
				"canonicalizedBody": base64.StdEncoding.EncodeToString([]byte(body)),
			}},
		},
		"dsseEnvelope": envelope,
	}
	return json.Marshal(bundle)
}

// Document wraps a provenance bundle as the registry's attestations
// endpoint serves it.
func Document(bundle []byte) []byte {
	b, _ := json.Marshal(map[string]any{"attestations": []any{map[string]any{"predicateType": "https://slsa.dev/provenance/v1", "bundle": json.RawMessage(bundle)}}})
	return b
}

// PublishDocument is the PUT /<name> body `npm publish --provenance`
// sends: the version object, the tarball attachment and the bundle as a
// second attachment whose data is the bundle JSON itself (not base64).
// bundle may be nil for a publish without provenance.
func PublishDocument(pkgJSON map[string]any, tgz, bundle []byte) []byte {
	name, _ := pkgJSON["name"].(string)
	version, _ := pkgJSON["version"].(string)
	s5 := sha512.Sum512(tgz)
	s1 := sha1.Sum(tgz)
	v := map[string]any{}
	for k, val := range pkgJSON {
		v[k] = val
	}
	v["_id"] = name + "@" + version
	v["dist"] = map[string]any{"integrity": "sha512-" + base64.StdEncoding.EncodeToString(s5[:]), "shasum": hex.EncodeToString(s1[:])}
	base := name[strings.LastIndexByte(name, '/')+1:]
	atts := map[string]any{base + "-" + version + ".tgz": map[string]any{"content_type": "application/octet-stream", "data": base64.StdEncoding.EncodeToString(tgz), "length": len(tgz)}}
	if bundle != nil {
		atts[name+"-"+version+".sigstore"] = map[string]any{"content_type": "application/vnd.dev.sigstore.bundle.v0.3+json", "data": string(bundle), "length": len(bundle)}
	}
	doc, _ := json.Marshal(map[string]any{
		"_id": name, "name": name, "dist-tags": map[string]string{"latest": version},
		"versions": map[string]any{version: v}, "access": nil, "_attachments": atts,
	})
	return doc
}

// Integrity is the sha512 SRI of data.
func Integrity(data []byte) string {
	s := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}
