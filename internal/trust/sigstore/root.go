// Package sigstore verifies Sigstore bundles (the npm provenance format)
// with the standard library alone: the DSSE signature by a Fulcio-issued
// certificate, the certificate's chain to a trusted Fulcio CA at the time
// the transparency log recorded the entry, the Rekor entry's signed
// timestamp or inclusion proof with its signed checkpoint, the
// certificate's embedded SCTs when the trusted root lists CT logs, and
// that the log entry is this signature over this payload.
//
// gnode used sigstore-go for this first; its verifier pulls in gRPC,
// OpenTelemetry and go-openapi, which made the binary 14 MB bigger and
// every gnode command's start-up RSS about 20 MB higher, for code that
// runs only when a package carries provenance. sigstore-go stays the
// reference in tests (see the provenance package's tests).
package sigstore

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// TrustedRoot is the parts of a Sigstore trusted_root.json that bundle
// verification uses.
type TrustedRoot struct {
	CAs    []CA
	TLogs  map[string]*LogKey // by hex log ID
	CTLogs map[string]*LogKey // by hex log ID
}

// CA is one Fulcio certificate authority: its chain (issuing certificate
// first, root last) and the period it issued certificates in.
type CA struct {
	URI        string
	Root       *x509.Certificate
	Inter      []*x509.Certificate
	Start, End time.Time
}

// LogKey is a transparency log's (or CT log's) public key.
type LogKey struct {
	BaseURL    string
	Key        crypto.PublicKey
	Start, End time.Time
}

type rawTimeRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type rawLog struct {
	BaseURL   string `json:"baseUrl"`
	PublicKey struct {
		RawBytes string       `json:"rawBytes"`
		ValidFor rawTimeRange `json:"validFor"`
	} `json:"publicKey"`
	LogID struct {
		KeyID string `json:"keyId"`
	} `json:"logId"`
}

type rawRoot struct {
	TLogs  []rawLog `json:"tlogs"`
	CTLogs []rawLog `json:"ctlogs"`
	CAs    []struct {
		URI       string `json:"uri"`
		CertChain struct {
			Certificates []struct {
				RawBytes string `json:"rawBytes"`
			} `json:"certificates"`
		} `json:"certChain"`
		ValidFor rawTimeRange `json:"validFor"`
	} `json:"certificateAuthorities"`
}

func parseRange(r rawTimeRange) (start, end time.Time, err error) {
	if r.Start != "" {
		if start, err = time.Parse(time.RFC3339, r.Start); err != nil {
			return
		}
	}
	if r.End != "" {
		end, err = time.Parse(time.RFC3339, r.End)
	}
	return
}

func (r rawTimeRange) String() string { return r.Start + ".." + r.End }

// ParseTrustedRoot reads a trusted_root.json.
func ParseTrustedRoot(b []byte) (*TrustedRoot, error) {
	var raw rawRoot
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("trusted root: %w", err)
	}
	tr := &TrustedRoot{TLogs: map[string]*LogKey{}, CTLogs: map[string]*LogKey{}}
	logs := func(list []rawLog, into map[string]*LogKey, what string) error {
		for _, l := range list {
			der, err := base64.StdEncoding.DecodeString(l.PublicKey.RawBytes)
			if err != nil {
				return fmt.Errorf("trusted root: %s %s: key: %w", what, l.BaseURL, err)
			}
			key, err := x509.ParsePKIXPublicKey(der)
			if err != nil {
				return fmt.Errorf("trusted root: %s %s: key: %w", what, l.BaseURL, err)
			}
			id, err := base64.StdEncoding.DecodeString(l.LogID.KeyID)
			if err != nil {
				return fmt.Errorf("trusted root: %s %s: log id: %w", what, l.BaseURL, err)
			}
			lk := &LogKey{BaseURL: l.BaseURL, Key: key}
			if lk.Start, lk.End, err = parseRange(l.PublicKey.ValidFor); err != nil {
				return fmt.Errorf("trusted root: %s %s: validFor %s: %w", what, l.BaseURL, l.PublicKey.ValidFor, err)
			}
			into[hex.EncodeToString(id)] = lk
		}
		return nil
	}
	if err := logs(raw.TLogs, tr.TLogs, "tlog"); err != nil {
		return nil, err
	}
	if err := logs(raw.CTLogs, tr.CTLogs, "ctlog"); err != nil {
		return nil, err
	}
	for _, c := range raw.CAs {
		var chain []*x509.Certificate
		for _, cert := range c.CertChain.Certificates {
			der, err := base64.StdEncoding.DecodeString(cert.RawBytes)
			if err != nil {
				return nil, fmt.Errorf("trusted root: CA %s: %w", c.URI, err)
			}
			x, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("trusted root: CA %s: %w", c.URI, err)
			}
			chain = append(chain, x)
		}
		if len(chain) == 0 {
			return nil, fmt.Errorf("trusted root: CA %s has no certificates", c.URI)
		}
		ca := CA{URI: c.URI, Root: chain[len(chain)-1], Inter: chain[:len(chain)-1]}
		var err error
		if ca.Start, ca.End, err = parseRange(c.ValidFor); err != nil {
			return nil, fmt.Errorf("trusted root: CA %s: validFor: %w", c.URI, err)
		}
		tr.CAs = append(tr.CAs, ca)
	}
	if len(tr.CAs) == 0 || len(tr.TLogs) == 0 {
		return nil, fmt.Errorf("trusted root: needs at least one certificate authority and one transparency log")
	}
	return tr, nil
}

func within(t, start, end time.Time) bool {
	return (start.IsZero() || !t.Before(start)) && (end.IsZero() || !t.After(end))
}
