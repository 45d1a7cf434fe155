package sigstore

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var oidSCTList = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// verifySCTs requires one signed certificate timestamp embedded in the
// certificate (RFC 6962 precertificate SCTs) from a CT log of the trusted
// root to verify.
func (tr *TrustedRoot) verifySCTs(leaf *x509.Certificate) error {
	var list []byte
	for _, e := range leaf.Extensions {
		if e.Id.Equal(oidSCTList) {
			if _, err := asn1.Unmarshal(e.Value, &list); err != nil {
				return fmt.Errorf("SCT list: %w", err)
			}
		}
	}
	if list == nil {
		return errors.New("the certificate carries no SCT")
	}
	issuer, err := tr.issuerOf(leaf)
	if err != nil {
		return err
	}
	keyHash := sha256.Sum256(issuer.RawSubjectPublicKeyInfo)
	tbs, err := tbsWithoutSCTs(leaf.RawTBSCertificate)
	if err != nil {
		return err
	}
	s := cryptobyte.String(list)
	var all cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&all) {
		return errors.New("malformed SCT list")
	}
	lastErr := errors.New("no SCT from a known CT log")
	for !all.Empty() {
		var sct cryptobyte.String
		if !all.ReadUint16LengthPrefixed(&sct) {
			return errors.New("malformed SCT list")
		}
		var version uint8
		var logID []byte
		var ts uint64
		var ext, sig cryptobyte.String
		var hashAlg, sigAlg uint8
		if !sct.ReadUint8(&version) || !sct.ReadBytes(&logID, 32) || !sct.ReadUint64(&ts) ||
			!sct.ReadUint16LengthPrefixed(&ext) || !sct.ReadUint8(&hashAlg) || !sct.ReadUint8(&sigAlg) ||
			!sct.ReadUint16LengthPrefixed(&sig) || version != 0 {
			lastErr = errors.New("malformed SCT")
			continue
		}
		lk := tr.CTLogs[hex.EncodeToString(logID)]
		if lk == nil {
			continue
		}
		var msg bytes.Buffer
		msg.WriteByte(0) // v1
		msg.WriteByte(0) // certificate_timestamp
		binary.Write(&msg, binary.BigEndian, ts)
		msg.Write([]byte{0, 1}) // precert_entry
		msg.Write(keyHash[:])
		msg.Write([]byte{byte(len(tbs) >> 16), byte(len(tbs) >> 8), byte(len(tbs))})
		msg.Write(tbs)
		binary.Write(&msg, binary.BigEndian, uint16(len(ext)))
		msg.Write(ext)
		if err := verifySignature(lk.Key, msg.Bytes(), sig); err != nil {
			lastErr = fmt.Errorf("SCT from %s: %w", lk.BaseURL, err)
			continue
		}
		return nil
	}
	return lastErr
}

// issuerOf finds the trusted CA certificate that signed leaf.
func (tr *TrustedRoot) issuerOf(leaf *x509.Certificate) (*x509.Certificate, error) {
	for _, ca := range tr.CAs {
		for _, c := range append(append([]*x509.Certificate{}, ca.Inter...), ca.Root) {
			if leaf.CheckSignatureFrom(c) == nil {
				return c, nil
			}
		}
	}
	return nil, errors.New("no trusted CA certificate signed the signing certificate")
}

// tbsWithoutSCTs re-encodes a TBSCertificate without its SCT list
// extension: the precertificate the CT log signed.
func tbsWithoutSCTs(raw []byte) ([]byte, error) {
	in := cryptobyte.String(raw)
	var tbs cryptobyte.String
	if !in.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, errors.New("malformed TBSCertificate")
	}
	var b cryptobyte.Builder
	var failed bool
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for !tbs.Empty() {
			var elem cryptobyte.String
			var tag cbasn1.Tag
			if !tbs.ReadAnyASN1Element(&elem, &tag) {
				failed = true
				return
			}
			extTag := cbasn1.Tag(3).Constructed().ContextSpecific()
			if tag != extTag {
				b.AddBytes(elem)
				continue
			}
			var outer, exts cryptobyte.String
			if !elem.ReadASN1(&outer, extTag) || !outer.ReadASN1(&exts, cbasn1.SEQUENCE) {
				failed = true
				return
			}
			b.AddASN1(extTag, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for !exts.Empty() {
						var ext, body cryptobyte.String
						if !exts.ReadASN1Element(&ext, cbasn1.SEQUENCE) {
							failed = true
							return
						}
						body = ext
						var inner cryptobyte.String
						var oid asn1.ObjectIdentifier
						if !body.ReadASN1(&inner, cbasn1.SEQUENCE) || !inner.ReadASN1ObjectIdentifier(&oid) {
							failed = true
							return
						}
						if !oid.Equal(oidSCTList) {
							b.AddBytes(ext)
						}
					}
				})
			})
		}
	})
	out, err := b.Bytes()
	if err != nil || failed {
		return nil, errors.New("malformed TBSCertificate extensions")
	}
	return out, nil
}
