package provenance_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"

	"gnode/internal/trust/provenance"
	"gnode/internal/trust/provenance/provenancetest"
)

// sigstoreGo verifies like gnode used to, with sigstore-go: the reference
// gnode's own verifier must agree with on every bundle below.
func sigstoreGo(t *testing.T, trustedRoot, bundleJSON []byte, integrity string) error {
	t.Helper()
	tr, err := root.NewTrustedRootFromJSON(trustedRoot)
	if err != nil {
		t.Fatal(err)
	}
	opts := []verify.VerifierOption{verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1)}
	if len(tr.CTLogs()) > 0 {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
	}
	v, err := verify.NewVerifier(tr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(bundleJSON); err != nil {
		return err
	}
	d, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(integrity, "sha512-"))
	_, err = v.Verify(&b, verify.NewPolicy(verify.WithArtifactDigest("sha512", d), verify.WithoutIdentitiesUnsafe()))
	return err
}

// mutate returns a copy of a bundle with one JSON edit applied.
func mutate(t *testing.T, b []byte, edit func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, _ := json.Marshal(doc)
	return out
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		switch v := m[k].(type) {
		case map[string]any:
			m = v
		case []any:
			m = v[0].(map[string]any)
		}
	}
	return m
}

// flipB64 changes one byte of a base64 field.
func flipB64(m map[string]any, key string, at int) {
	b, _ := base64.StdEncoding.DecodeString(m[key].(string))
	if at < 0 {
		at = len(b) + at
	}
	b[at] ^= 1
	m[key] = base64.StdEncoding.EncodeToString(b)
}

func TestAgreesWithSigstoreGo(t *testing.T) {
	real, err := os.ReadFile("testdata/sigstore-1.3.0.sigstore.json")
	if err != nil {
		t.Fatal(err)
	}
	auth, _ := provenancetest.New()
	other, _ := provenancetest.New()
	builder := provenancetest.Builder{Repository: "https://github.com/acme/kit", Workflow: ".github/workflows/release.yml"}
	integ := provenancetest.Integrity([]byte("kit tarball"))
	good, _ := auth.Bundle(provenancetest.Statement("kit", "1.0.0", integ, builder), builder)
	second, _ := auth.Bundle(provenancetest.Statement("kit", "1.0.0", integ, builder), builder)
	foreign, _ := other.Bundle(provenancetest.Statement("kit", "1.0.0", integ, builder), builder)
	pg := provenance.PublicGoodSnapshot()

	cases := []struct {
		name            string
		root, bundle    []byte
		pkg, ver, integ string
		want            bool
	}{
		{"real", pg, real, "sigstore", "1.3.0", realIntegrity, true},
		{"real, payload flipped", pg, mutate(t, real, func(d map[string]any) { flipB64(obj(d, "dsseEnvelope"), "payload", 40) }), "sigstore", "1.3.0", realIntegrity, false},
		{"real, signature flipped", pg, mutate(t, real, func(d map[string]any) { flipB64(obj(d, "dsseEnvelope", "signatures"), "sig", 10) }), "sigstore", "1.3.0", realIntegrity, false},
		{"real, signed entry timestamp flipped", pg, mutate(t, real, func(d map[string]any) {
			flipB64(obj(d, "verificationMaterial", "tlogEntries", "inclusionPromise"), "signedEntryTimestamp", 12)
		}), "sigstore", "1.3.0", realIntegrity, false},
		{"real, integrated time moved", pg, mutate(t, real, func(d map[string]any) {
			obj(d, "verificationMaterial", "tlogEntries")["integratedTime"] = "1680000000"
		}), "sigstore", "1.3.0", realIntegrity, false},
		{"real, other tarball", pg, real, "sigstore", "1.3.0", integ, false},
		{"test authority", auth.TrustedRoot(), good, "kit", "1.0.0", integ, true},
		{"test authority against public-good", pg, good, "kit", "1.0.0", integ, false},
		{"foreign authority", auth.TrustedRoot(), foreign, "kit", "1.0.0", integ, false},
		{"certificate of another signing", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			var s map[string]any
			json.Unmarshal(second, &s)
			obj(d, "verificationMaterial")["certificate"] = obj(s, "verificationMaterial")["certificate"]
		}), "kit", "1.0.0", integ, false},
		{"log entry of another signing", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			var s map[string]any
			json.Unmarshal(second, &s)
			obj(d, "verificationMaterial")["tlogEntries"] = obj(s, "verificationMaterial")["tlogEntries"]
		}), "kit", "1.0.0", integ, false},
		{"checkpoint signature flipped", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			cp := obj(d, "verificationMaterial", "tlogEntries", "inclusionProof", "checkpoint")
			env := cp["envelope"].(string)
			i := strings.LastIndex(env, " ")
			sig, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(env[i+1:]))
			sig[len(sig)-3] ^= 1
			cp["envelope"] = env[:i+1] + base64.StdEncoding.EncodeToString(sig) + "\n"
			delete(obj(d, "verificationMaterial", "tlogEntries"), "inclusionPromise")
		}), "kit", "1.0.0", integ, false},
		{"inclusion proof root flipped", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			flipB64(obj(d, "verificationMaterial", "tlogEntries", "inclusionProof"), "rootHash", 0)
			delete(obj(d, "verificationMaterial", "tlogEntries"), "inclusionPromise")
		}), "kit", "1.0.0", integ, false},
		{"inclusion proof only (no signed timestamp)", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			delete(obj(d, "verificationMaterial", "tlogEntries"), "inclusionPromise")
		}), "kit", "1.0.0", integ, false},
		{"signed timestamp only (v0.1 bundle)", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			delete(obj(d, "verificationMaterial", "tlogEntries"), "inclusionProof")
			d["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1"
		}), "kit", "1.0.0", integ, true},
		{"no transparency log entry", auth.TrustedRoot(), mutate(t, good, func(d map[string]any) {
			obj(d, "verificationMaterial")["tlogEntries"] = []any{}
		}), "kit", "1.0.0", integ, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := provenance.NewVerifier(c.root, "case")
			if err != nil {
				t.Fatal(err)
			}
			_, gotErr := v.VerifyBundle(c.bundle, c.pkg, c.ver, c.integ)
			refErr := sigstoreGo(t, c.root, c.bundle, c.integ)
			if (gotErr == nil) != c.want || (refErr == nil) != c.want {
				t.Errorf("gnode: %v; sigstore-go: %v; want verified=%v", gotErr, refErr, c.want)
			}
		})
	}
}
