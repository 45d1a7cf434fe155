package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// RegistryKey is one entry of a registry's /-/npm/v1/keys document.
type RegistryKey struct {
	KeyID   string     `json:"keyid"`
	KeyType string     `json:"keytype"`
	Scheme  string     `json:"scheme"`
	Key     string     `json:"key"` // base64 DER SubjectPublicKeyInfo
	Expires *time.Time `json:"expires"`

	pub crypto.PublicKey
}

// Keys is a registry's signing keys, by keyid.
type Keys map[string]*RegistryKey

// ParseKeys decodes a /-/npm/v1/keys document.
func ParseKeys(doc []byte) (Keys, error) {
	var d struct {
		Keys []*RegistryKey `json:"keys"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("registry keys document: %w", err)
	}
	keys := Keys{}
	for _, k := range d.Keys {
		der, err := base64.StdEncoding.DecodeString(k.Key)
		if err != nil {
			return nil, fmt.Errorf("registry key %s: %w", k.KeyID, err)
		}
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			return nil, fmt.Errorf("registry key %s: %w", k.KeyID, err)
		}
		k.pub = pub
		keys[k.KeyID] = k
	}
	return keys, nil
}

// Signature is one entry of dist.signatures.
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   string `json:"sig"`
}

// SignatureError says why a version failed verification; Code matches npm's
// (EMISSINGSIGNATURE, EMISSINGSIGNATUREKEY, EEXPIREDSIGNATUREKEY, EINTEGRITYSIGNATURE).
type SignatureError struct {
	Code    string
	Package string // name@version
	Detail  string
}

func (e *SignatureError) Error() string {
	return fmt.Sprintf("%s: %s (%s)", e.Package, e.Detail, e.Code)
}

// VerifySignatures checks every signature of name@version over
// "<name>@<version>:<integrity>" against keys (fail closed: a registry that
// publishes keys must sign every version). published is time[version], used
// for key expiry.
func VerifySignatures(keys Keys, name, version, integrity string, sigs []Signature, published time.Time) error {
	id := name + "@" + version
	if len(sigs) == 0 {
		return &SignatureError{Code: "EMISSINGSIGNATURE", Package: id, Detail: "the registry publishes signing keys but this version carries no signature"}
	}
	msg := []byte(id + ":" + integrity)
	digest := sha256.Sum256(msg)
	for _, s := range sigs {
		k, ok := keys[s.KeyID]
		if !ok {
			return &SignatureError{Code: "EMISSINGSIGNATUREKEY", Package: id, Detail: fmt.Sprintf("signed with keyid %s, which the registry does not publish", s.KeyID)}
		}
		if k.Expires != nil && !published.IsZero() && !published.Before(*k.Expires) {
			return &SignatureError{Code: "EEXPIREDSIGNATUREKEY", Package: id, Detail: fmt.Sprintf("signed with key %s that expired %s", s.KeyID, k.Expires.Format(time.RFC3339))}
		}
		raw, err := base64.StdEncoding.DecodeString(s.Sig)
		if err != nil {
			return &SignatureError{Code: "EINTEGRITYSIGNATURE", Package: id, Detail: "signature is not base64"}
		}
		valid := false
		switch pub := k.pub.(type) {
		case *ecdsa.PublicKey:
			valid = ecdsa.VerifyASN1(pub, digest[:], raw)
		case *rsa.PublicKey:
			valid = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], raw) == nil
		case ed25519.PublicKey:
			valid = ed25519.Verify(pub, msg, raw)
		}
		if !valid {
			return &SignatureError{Code: "EINTEGRITYSIGNATURE", Package: id, Detail: fmt.Sprintf("invalid registry signature with keyid %s: the version's integrity or the signature was tampered with", s.KeyID)}
		}
	}
	return nil
}
