package service

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"

	"gnode/internal/registry/meta"
)

// Signer holds the registry's ECDSA P-256 key. Every version the registry
// serves carries dist.signatures over "<name>@<version>:<integrity>", the
// message npm's clients verify against /-/npm/v1/keys.
type Signer struct {
	key   *ecdsa.PrivateKey
	KeyID string
	// PublicDER is the SubjectPublicKeyInfo, base64-encoded in the keys endpoint.
	PublicDER []byte
}

const signingKeySetting = "signing-key"

// LoadSigner loads the key from the metadata store, generating it on first
// start. SetSettingOnce makes processes sharing one database agree on one key.
func LoadSigner(ctx context.Context, m meta.Store) (*Signer, error) {
	stored, err := m.Setting(ctx, signingKeySetting)
	if errors.Is(err, meta.ErrNotFound) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		stored, err = m.SetSettingOnce(ctx, signingKeySetting, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})))
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	block, _ := pem.Decode([]byte(stored))
	if block == nil {
		return nil, fmt.Errorf("stored signing key is not PEM")
	}
	k, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse stored signing key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	return &Signer{key: k, KeyID: sshFingerprint(&k.PublicKey), PublicDER: pub}, nil
}

// sshFingerprint is the keyid npm uses: "SHA256:" + unpadded base64 of the
// sha256 of the OpenSSH wire encoding of the public key.
func sshFingerprint(pub *ecdsa.PublicKey) string {
	point, _ := pub.ECDH()
	var blob []byte
	put := func(b []byte) {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(b)))
		blob = append(blob, b...)
	}
	put([]byte("ecdsa-sha2-nistp256"))
	put([]byte("nistp256"))
	put(point.Bytes())
	sum := sha256.Sum256(blob)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Sign returns the base64 DER signature of "<name>@<version>:<integrity>".
func (s *Signer) Sign(name, version, integrity string) (string, error) {
	digest := sha256.Sum256([]byte(name + "@" + version + ":" + integrity))
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// KeysDocument is the body of GET /-/npm/v1/keys.
func (s *Signer) KeysDocument() map[string]any {
	return map[string]any{"keys": []map[string]any{{
		"expires": nil,
		"keyid":   s.KeyID,
		"keytype": "ecdsa-sha2-nistp256",
		"scheme":  "ecdsa-sha2-nistp256",
		"key":     base64.StdEncoding.EncodeToString(s.PublicDER),
	}}}
}
