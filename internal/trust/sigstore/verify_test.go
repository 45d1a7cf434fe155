package sigstore_test

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gnode/internal/trust/provenance/provenancetest"
	"gnode/internal/trust/sigstore"
)

// A real npm provenance bundle (sigstore@1.3.0, logged in April 2023) and
// a snapshot of Sigstore's public-good trusted root, both public data kept
// by the provenance package.
const (
	realBundle = "../provenance/testdata/sigstore-1.3.0.sigstore.json"
	publicGood = "../provenance/public_good_trusted_root.json"
)

func read(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRealBundle(t *testing.T) {
	tr, err := sigstore.ParseTrustedRoot(read(t, publicGood))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.CTLogs) == 0 {
		t.Fatal("the public-good root lists CT logs: SCTs must be checked")
	}
	res, err := tr.Verify(read(t, realBundle))
	if err != nil {
		t.Fatalf("real bundle: %v", err)
	}
	c := res.Certificate
	if c.SourceRepositoryURI != "https://github.com/sigstore/sigstore-js" ||
		c.BuildConfigURI != "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main" ||
		c.Issuer != "https://token.actions.githubusercontent.com" || c.GithubWorkflowRepository != "sigstore/sigstore-js" {
		t.Errorf("summary = %+v", c)
	}
	if res.Statement.PredicateType != "https://slsa.dev/provenance/v0.2" || len(res.Statement.Subject) != 1 ||
		res.Statement.Subject[0].Name != "pkg:npm/sigstore@1.3.0" {
		t.Errorf("statement = %+v", res.Statement)
	}
	if res.IntegratedTime.Unix() != 1681839912 {
		t.Errorf("integrated time = %v", res.IntegratedTime)
	}
}

// mutate applies f to the bundle's JSON and returns the result.
func mutate(t *testing.T, b []byte, f func(doc map[string]any)) []byte {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, _ := json.Marshal(doc)
	return out
}

func obj(v any, keys ...string) map[string]any {
	m := v.(map[string]any)
	for _, k := range keys {
		switch x := m[k].(type) {
		case map[string]any:
			m = x
		case []any:
			m = x[0].(map[string]any)
		}
	}
	return m
}

func flipB64(s string) string {
	b, _ := base64.StdEncoding.DecodeString(s)
	b[len(b)/2] ^= 1
	return base64.StdEncoding.EncodeToString(b)
}

func TestRealBundleTampered(t *testing.T) {
	tr, _ := sigstore.ParseTrustedRoot(read(t, publicGood))
	orig := read(t, realBundle)
	cases := map[string]func(doc map[string]any){
		"payload": func(d map[string]any) {
			env := obj(d, "dsseEnvelope")
			p, _ := base64.StdEncoding.DecodeString(env["payload"].(string))
			env["payload"] = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(p), "sigstore-js", "sigstore-jz", 1)))
		},
		"signature": func(d map[string]any) {
			s := obj(d, "dsseEnvelope", "signatures")
			s["sig"] = flipB64(s["sig"].(string))
		},
		"signed entry timestamp": func(d map[string]any) {
			p := obj(d, "verificationMaterial", "tlogEntries", "inclusionPromise")
			p["signedEntryTimestamp"] = flipB64(p["signedEntryTimestamp"].(string))
		},
		"integrated time": func(d map[string]any) {
			obj(d, "verificationMaterial", "tlogEntries")["integratedTime"] = "1681839913"
		},
		"log entry body": func(d map[string]any) {
			e := obj(d, "verificationMaterial", "tlogEntries")
			e["canonicalizedBody"] = flipB64(e["canonicalizedBody"].(string))
		},
		"unknown log": func(d map[string]any) {
			obj(d, "verificationMaterial", "tlogEntries", "logId")["keyId"] = base64.StdEncoding.EncodeToString(make([]byte, 32))
		},
		"no log entry": func(d map[string]any) {
			obj(d, "verificationMaterial")["tlogEntries"] = []any{}
		},
		"certificate": func(d map[string]any) {
			c := obj(d, "verificationMaterial", "x509CertificateChain", "certificates")
			c["rawBytes"] = flipB64(c["rawBytes"].(string))
		},
		"media type": func(d map[string]any) { d["mediaType"] = "application/json" },
	}
	for name, f := range cases {
		if _, err := tr.Verify(mutate(t, orig, f)); err == nil {
			t.Errorf("%s tampered: verified", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestTestAuthority(t *testing.T) {
	a, err := provenancetest.New()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sigstore.ParseTrustedRoot(a.TrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	builder := provenancetest.Builder{Repository: "https://github.com/acme/http-kit", Workflow: ".github/workflows/release.yml", Ref: "refs/tags/v1.0.0"}
	sum := sha512.Sum512([]byte("tarball"))
	integ := "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	b, err := a.Bundle(provenancetest.Statement("@acme/http-kit", "1.0.0", integ, builder), builder)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Verify(b)
	if err != nil {
		t.Fatalf("test bundle: %v", err)
	}
	if res.Certificate.SourceRepositoryURI != builder.Repository || res.Statement.Subject[0].Name != "pkg:npm/%40acme/http-kit@1.0.0" {
		t.Errorf("result = %+v %+v", res.Certificate, res.Statement)
	}
	// An inclusion proof alone (no signed entry timestamp) leaves the log
	// time unsigned: refused, as sigstore-go does. A broken proof next to
	// a good timestamp is refused too.
	noSET := mutate(t, b, func(d map[string]any) { delete(obj(d, "verificationMaterial", "tlogEntries"), "inclusionPromise") })
	if _, err := tr.Verify(noSET); err == nil {
		t.Error("inclusion proof without a signed entry timestamp verified")
	}
	badProof := mutate(t, b, func(d map[string]any) {
		p := obj(d, "verificationMaterial", "tlogEntries", "inclusionProof")
		p["rootHash"] = flipB64(p["rootHash"].(string))
	})
	if _, err := tr.Verify(badProof); err == nil {
		t.Error("a wrong root hash verified")
	}
	other, _ := provenancetest.New()
	foreign, _ := other.Bundle(provenancetest.Statement("http-kit", "1.0.0", integ, builder), builder)
	if _, err := tr.Verify(foreign); err == nil {
		t.Error("a bundle from another authority verified")
	}
	pg, _ := sigstore.ParseTrustedRoot(read(t, publicGood))
	if _, err := pg.Verify(b); err == nil {
		t.Error("a test bundle verified against the public-good root")
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(read(f, realBundle))
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{"payload":"","signatures":[{"sig":""}]}}`))
	tr, err := sigstore.ParseTrustedRoot(read(f, publicGood))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tr.Verify(b) // must not panic
	})
}

// With the CT logs' IDs changed, the real certificate's SCTs come from no
// known log and the bundle fails: SCTs are really checked.
func TestRealBundleUnknownCTLog(t *testing.T) {
	var root map[string]any
	json.Unmarshal(read(t, publicGood), &root)
	for _, l := range root["ctlogs"].([]any) {
		l.(map[string]any)["logId"] = map[string]any{"keyId": base64.StdEncoding.EncodeToString(make([]byte, 32))}
	}
	b, _ := json.Marshal(root)
	tr, err := sigstore.ParseTrustedRoot(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Verify(read(t, realBundle)); err == nil || !strings.Contains(err.Error(), "certificate transparency") {
		t.Errorf("err = %v, want a certificate transparency failure", err)
	}
}
