package sigstore

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Bundle is a Sigstore bundle (media types v0.1 to v0.3) carrying a DSSE
// envelope, as npm's provenance attestations do.
type Bundle struct {
	MediaType            string `json:"mediaType"`
	VerificationMaterial struct {
		Certificate *struct {
			RawBytes string `json:"rawBytes"`
		} `json:"certificate"`
		X509CertificateChain *struct {
			Certificates []struct {
				RawBytes string `json:"rawBytes"`
			} `json:"certificates"`
		} `json:"x509CertificateChain"`
		PublicKey   json.RawMessage `json:"publicKey"`
		TlogEntries []TlogEntry     `json:"tlogEntries"`
	} `json:"verificationMaterial"`
	DSSEEnvelope *struct {
		Payload     string `json:"payload"`
		PayloadType string `json:"payloadType"`
		Signatures  []struct {
			Sig   string `json:"sig"`
			KeyID string `json:"keyid"`
		} `json:"signatures"`
	} `json:"dsseEnvelope"`
	MessageSignature json.RawMessage `json:"messageSignature"`
}

// TlogEntry is a Rekor entry as a bundle records it.
type TlogEntry struct {
	LogIndex json.Number `json:"logIndex"`
	LogID    struct {
		KeyID string `json:"keyId"`
	} `json:"logId"`
	KindVersion struct {
		Kind    string `json:"kind"`
		Version string `json:"version"`
	} `json:"kindVersion"`
	IntegratedTime   json.Number `json:"integratedTime"`
	InclusionPromise *struct {
		SignedEntryTimestamp string `json:"signedEntryTimestamp"`
	} `json:"inclusionPromise"`
	InclusionProof *struct {
		LogIndex   json.Number `json:"logIndex"`
		RootHash   string      `json:"rootHash"`
		TreeSize   json.Number `json:"treeSize"`
		Hashes     []string    `json:"hashes"`
		Checkpoint struct {
			Envelope string `json:"envelope"`
		} `json:"checkpoint"`
	} `json:"inclusionProof"`
	CanonicalizedBody string `json:"canonicalizedBody"`
}

// Statement is the in-toto statement a bundle signs.
type Statement struct {
	Type          string `json:"_type"`
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	Predicate json.RawMessage `json:"predicate"`
}

// Result is what a verified bundle establishes.
type Result struct {
	Statement   *Statement
	Certificate *Summary
	// IntegratedTime is when the transparency log recorded the signature.
	IntegratedTime time.Time
}

const inTotoPayloadType = "application/vnd.in-toto+json"

// Verify checks bundleJSON against the trusted root and returns the
// statement and the identity in its signing certificate. It does not
// judge the identity: callers compare it with what they expect.
func (tr *TrustedRoot) Verify(bundleJSON []byte) (*Result, error) {
	var b Bundle
	d := json.NewDecoder(bytes.NewReader(bundleJSON))
	d.UseNumber()
	if err := d.Decode(&b); err != nil {
		return nil, fmt.Errorf("unreadable bundle: %w", err)
	}
	if !strings.HasPrefix(b.MediaType, "application/vnd.dev.sigstore.bundle") {
		return nil, fmt.Errorf("not a sigstore bundle (media type %q)", b.MediaType)
	}
	env := b.DSSEEnvelope
	if env == nil {
		return nil, errors.New("the bundle signs no DSSE envelope (message signatures are not provenance)")
	}
	if len(env.Signatures) != 1 {
		return nil, fmt.Errorf("the envelope has %d signatures, want exactly 1", len(env.Signatures))
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		return nil, fmt.Errorf("envelope payload: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(env.Signatures[0].Sig)
	if err != nil {
		return nil, fmt.Errorf("envelope signature: %w", err)
	}
	leaf, err := b.leaf()
	if err != nil {
		return nil, err
	}

	// The transparency log: at least one entry must be proven (signed
	// timestamp or inclusion proof) and record this very signature.
	if len(b.VerificationMaterial.TlogEntries) == 0 {
		return nil, errors.New("the bundle has no transparency log entry")
	}
	var logged time.Time
	var tlogErr error
	for i := range b.VerificationMaterial.TlogEntries {
		e := &b.VerificationMaterial.TlogEntries[i]
		t, err := tr.verifyTlogEntry(e)
		if err == nil {
			err = entryMatches(e, env.PayloadType, payload, sig, leaf)
		}
		if err != nil {
			tlogErr = err
			continue
		}
		logged = t
		break
	}
	if logged.IsZero() {
		return nil, fmt.Errorf("transparency log: %w", tlogErr)
	}

	// The certificate: issued by a trusted Fulcio CA, valid when logged.
	if err := tr.verifyChain(leaf, logged); err != nil {
		return nil, err
	}
	if len(tr.CTLogs) > 0 {
		if err := tr.verifySCTs(leaf); err != nil {
			return nil, fmt.Errorf("certificate transparency: %w", err)
		}
	}

	// The signature over the envelope.
	if err := verifySignature(leaf.PublicKey, pae(env.PayloadType, payload), sig); err != nil {
		return nil, fmt.Errorf("envelope signature: %w", err)
	}
	if env.PayloadType != inTotoPayloadType {
		return nil, fmt.Errorf("the envelope carries %q, not an in-toto statement", env.PayloadType)
	}
	var st Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		return nil, fmt.Errorf("in-toto statement: %w", err)
	}
	sum, err := summarize(leaf)
	if err != nil {
		return nil, err
	}
	return &Result{Statement: &st, Certificate: sum, IntegratedTime: logged}, nil
}

func (b *Bundle) leaf() (*x509.Certificate, error) {
	vm := &b.VerificationMaterial
	var raw string
	switch {
	case vm.Certificate != nil:
		raw = vm.Certificate.RawBytes
	case vm.X509CertificateChain != nil && len(vm.X509CertificateChain.Certificates) > 0:
		raw = vm.X509CertificateChain.Certificates[0].RawBytes
	case len(vm.PublicKey) > 0:
		return nil, errors.New("the bundle is signed by a key, not a CI identity certificate")
	default:
		return nil, errors.New("the bundle has no signing certificate")
	}
	der, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	return c, nil
}

// pae is DSSE's pre-authentication encoding, what the signature covers.
func pae(payloadType string, payload []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "DSSEv1 %d %s %d ", len(payloadType), payloadType, len(payload))
	b.Write(payload)
	return b.Bytes()
}

// verifySignature checks sig over msg with key: ECDSA (SHA-256 for P-256,
// SHA-384 for P-384, SHA-512 for P-521), Ed25519, or RSA PKCS#1 v1.5 or
// PSS with SHA-256.
func verifySignature(key crypto.PublicKey, msg, sig []byte) error {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		var h hash.Hash
		switch k.Curve.Params().BitSize {
		case 384:
			h = sha512.New384()
		case 521:
			h = sha512.New()
		default:
			h = sha256.New()
		}
		h.Write(msg)
		if !ecdsa.VerifyASN1(k, h.Sum(nil), sig) {
			return errors.New("ECDSA signature does not match")
		}
		return nil
	case ed25519.PublicKey:
		if !ed25519.Verify(k, msg, sig) {
			return errors.New("Ed25519 signature does not match")
		}
		return nil
	case *rsa.PublicKey:
		d := sha256.Sum256(msg)
		if rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig) == nil || rsa.VerifyPSS(k, crypto.SHA256, d[:], sig, nil) == nil {
			return nil
		}
		return errors.New("RSA signature does not match")
	}
	return fmt.Errorf("unsupported key type %T", key)
}

func (tr *TrustedRoot) verifyChain(leaf *x509.Certificate, at time.Time) error {
	var lastErr error
	for _, ca := range tr.CAs {
		if !within(at, ca.Start, ca.End) {
			continue
		}
		roots, inters := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(ca.Root)
		for _, c := range ca.Inter {
			inters.AddCert(c)
		}
		_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}})
		if err == nil {
			return nil
		}
		lastErr = err
	}
	if lastErr == nil {
		return fmt.Errorf("no trusted Fulcio CA was issuing certificates at %s", at.UTC().Format(time.RFC3339))
	}
	return fmt.Errorf("signing certificate: %w", lastErr)
}

// verifyTlogEntry checks the entry's signed entry timestamp or its
// inclusion proof and checkpoint with the log's key, returning when the
// log recorded it.
func (tr *TrustedRoot) verifyTlogEntry(e *TlogEntry) (time.Time, error) {
	id, err := base64.StdEncoding.DecodeString(e.LogID.KeyID)
	if err != nil {
		return time.Time{}, fmt.Errorf("log id: %w", err)
	}
	lk := tr.TLogs[hex.EncodeToString(id)]
	if lk == nil {
		return time.Time{}, fmt.Errorf("entry from an unknown log %x", id)
	}
	it, err := e.IntegratedTime.Int64()
	if err != nil {
		return time.Time{}, fmt.Errorf("integrated time %q: %w", e.IntegratedTime, err)
	}
	at := time.Unix(it, 0)
	if !within(at, lk.Start, lk.End) {
		return time.Time{}, fmt.Errorf("log %s key not valid at %s", lk.BaseURL, at.UTC().Format(time.RFC3339))
	}
	body, err := base64.StdEncoding.DecodeString(e.CanonicalizedBody)
	if err != nil {
		return time.Time{}, fmt.Errorf("entry body: %w", err)
	}
	idx, err := e.LogIndex.Int64()
	if err != nil {
		return time.Time{}, fmt.Errorf("log index %q: %w", e.LogIndex, err)
	}
	var proven []string
	if e.InclusionPromise != nil && e.InclusionPromise.SignedEntryTimestamp != "" {
		set, err := base64.StdEncoding.DecodeString(e.InclusionPromise.SignedEntryTimestamp)
		if err != nil {
			return time.Time{}, fmt.Errorf("signed entry timestamp: %w", err)
		}
		// Rekor signs the canonical JSON (sorted keys) of these four.
		msg := `{"body":` + strconv.Quote(e.CanonicalizedBody) + `,"integratedTime":` + strconv.FormatInt(it, 10) +
			`,"logID":"` + hex.EncodeToString(id) + `","logIndex":` + strconv.FormatInt(idx, 10) + `}`
		if err := verifySignature(lk.Key, []byte(msg), set); err != nil {
			return time.Time{}, fmt.Errorf("signed entry timestamp: %w", err)
		}
		proven = append(proven, "set")
	}
	if p := e.InclusionProof; p != nil && p.RootHash != "" {
		if err := verifyInclusion(lk, p.LogIndex, p.TreeSize, p.RootHash, p.Hashes, p.Checkpoint.Envelope, body); err != nil {
			return time.Time{}, fmt.Errorf("inclusion proof: %w", err)
		}
		proven = append(proven, "proof")
	}
	// Only the signed entry timestamp vouches for the integrated time the
	// certificate is checked at; an inclusion proof alone proves the entry
	// exists but not when (sigstore-go then wants a timestamp authority's
	// signed time, which npm's bundles do not carry).
	if len(proven) == 0 || proven[0] != "set" {
		return time.Time{}, errors.New("the entry has no signed entry timestamp, so nothing vouches for when it was logged")
	}
	return at, nil
}

// entryMatches checks that the log entry records this signature by this
// certificate over this payload (Rekor's intoto 0.0.2 and dsse 0.0.1
// kinds, the ones npm provenance uses).
func entryMatches(e *TlogEntry, payloadType string, payload, sig []byte, leaf *x509.Certificate) error {
	body, err := base64.StdEncoding.DecodeString(e.CanonicalizedBody)
	if err != nil {
		return fmt.Errorf("entry body: %w", err)
	}
	type hashField struct {
		Algorithm string `json:"algorithm"`
		Value     string `json:"value"`
	}
	var entry struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
		Spec       struct {
			// intoto 0.0.2
			Content struct {
				Envelope struct {
					PayloadType string `json:"payloadType"`
					Signatures  []struct {
						Sig       string `json:"sig"`
						PublicKey string `json:"publicKey"`
					} `json:"signatures"`
				} `json:"envelope"`
				PayloadHash hashField `json:"payloadHash"`
			} `json:"content"`
			// dsse 0.0.1
			PayloadHash hashField `json:"payloadHash"`
			Signatures  []struct {
				Signature string `json:"signature"`
				Verifier  string `json:"verifier"`
			} `json:"signatures"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(body, &entry); err != nil {
		return fmt.Errorf("entry body: %w", err)
	}
	if entry.Kind != e.KindVersion.Kind {
		return fmt.Errorf("entry body is a %q entry, the bundle says %q", entry.Kind, e.KindVersion.Kind)
	}
	ph := sha256.Sum256(payload)
	type pair struct{ sig, key string }
	var pairs []pair
	var payloadHash hashField
	switch {
	case entry.Kind == "intoto" && entry.APIVersion == "0.0.2":
		if entry.Spec.Content.Envelope.PayloadType != payloadType {
			return errors.New("log entry is for another payload type")
		}
		for _, s := range entry.Spec.Content.Envelope.Signatures {
			// Both fields are base64 of text that is itself base64 (the
			// signature) or PEM (the certificate).
			inner, err := base64.StdEncoding.DecodeString(s.Sig)
			if err != nil {
				return fmt.Errorf("entry signature: %w", err)
			}
			pairs = append(pairs, pair{string(inner), s.PublicKey})
		}
		payloadHash = entry.Spec.Content.PayloadHash
	case entry.Kind == "dsse" && entry.APIVersion == "0.0.1":
		for _, s := range entry.Spec.Signatures {
			pairs = append(pairs, pair{s.Signature, s.Verifier})
		}
		payloadHash = entry.Spec.PayloadHash
	default:
		return fmt.Errorf("unsupported log entry kind %s %s", entry.Kind, entry.APIVersion)
	}
	if !strings.EqualFold(payloadHash.Algorithm, "sha256") || !strings.EqualFold(payloadHash.Value, hex.EncodeToString(ph[:])) {
		return errors.New("log entry records another payload")
	}
	want := base64.StdEncoding.EncodeToString(sig)
	for _, p := range pairs {
		if p.sig != want {
			continue
		}
		pemText, err := base64.StdEncoding.DecodeString(p.key)
		if err != nil {
			continue
		}
		blk, _ := pem.Decode(pemText)
		if blk != nil && bytes.Equal(blk.Bytes, leaf.Raw) {
			return nil
		}
	}
	return errors.New("log entry records another signature or certificate")
}
