package registry_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
	"gnode/internal/trust/provenance"
	"gnode/internal/trust/provenance/provenancetest"
)

// A publish with npm's provenance attachment: the registry keeps the
// bundle, sets dist.attestations (full and abbreviated documents) and
// serves the bundle where the URL says; the bundle verifies afterwards.
func TestProvenancePublishAndServe(t *testing.T) {
	r := gnoderegistry.Start(t)
	auth, err := provenancetest.New()
	if err != nil {
		t.Fatal(err)
	}
	builder := provenancetest.Builder{Repository: "https://github.com/acme/kit", Workflow: ".github/workflows/release.yml"}
	for _, name := range []string{"att-kit", "@acme/att-kit"} {
		pj := map[string]any{"name": name, "version": "1.0.0"}
		pjb, _ := json.Marshal(pj)
		tgz := gnoderegistry.Tarball(map[string]string{"package.json": string(pjb), "index.js": "module.exports = 1\n"})
		integ := provenancetest.Integrity(tgz)
		bundle, err := auth.Bundle(provenancetest.Statement(name, "1.0.0", integ, builder), builder)
		if err != nil {
			t.Fatal(err)
		}
		esc := strings.Replace(name, "/", "%2f", 1)
		if st, b := r.Do("PUT", esc, r.Token, provenancetest.PublishDocument(pj, tgz, bundle)); st != 201 {
			t.Fatalf("%s: publish with provenance: %d %s", name, st, b)
		}
		wantURL := r.URL + "-/npm/v1/attestations/" + esc + "@1.0.0"
		for _, path := range []string{esc, esc + "/1.0.0"} {
			st, b := r.Do("GET", path, "", nil)
			if st != 200 {
				t.Fatalf("GET %s: %d", path, st)
			}
			var doc struct {
				Versions map[string]json.RawMessage `json:"versions"`
				Dist     json.RawMessage            `json:"dist"`
			}
			json.Unmarshal(b, &doc)
			dist := doc.Dist
			if doc.Versions != nil {
				var v struct{ Dist json.RawMessage }
				json.Unmarshal(doc.Versions["1.0.0"], &v)
				dist = v.Dist
			}
			var d struct {
				Attestations struct {
					URL        string `json:"url"`
					Provenance struct {
						PredicateType string `json:"predicateType"`
					} `json:"provenance"`
				} `json:"attestations"`
			}
			json.Unmarshal(dist, &d)
			if d.Attestations.URL != wantURL || d.Attestations.Provenance.PredicateType != "https://slsa.dev/provenance/v1" {
				t.Errorf("GET %s: dist.attestations = %+v, want url %s", path, d.Attestations, wantURL)
			}
		}
		// The endpoint answers for every spelling of a scoped name.
		for _, p := range []string{esc, strings.Replace(name, "/", "%2F", 1), name} {
			st, b := r.Do("GET", "-/npm/v1/attestations/"+p+"@1.0.0", "", nil)
			if st != 200 {
				t.Fatalf("attestations %s: %d %s", p, st, b)
			}
			doc, err := provenance.ParseDocument(b)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := provenance.NewVerifier(auth.TrustedRoot(), "test")
			id, err := v.VerifyBundle(doc.Provenance(), name, "1.0.0", integ)
			if err != nil {
				t.Fatalf("served bundle does not verify: %v", err)
			}
			if id.Repository != builder.Repository {
				t.Errorf("identity %+v", id)
			}
		}
	}

	// A version without provenance has no dist.attestations and a 404.
	r.Publish(gnoderegistry.Pkg{Name: "plain-kit", Version: "1.0.0"})
	if st, _ := r.Do("GET", "-/npm/v1/attestations/plain-kit@1.0.0", "", nil); st != 404 {
		t.Errorf("attestations of a version without provenance: %d, want 404", st)
	}
	if _, b := r.Do("GET", "plain-kit", "", nil); strings.Contains(string(b), "attestations") {
		t.Errorf("packument of plain-kit mentions attestations: %s", b)
	}
	for _, p := range []string{"no-such-pkg@1.0.0", "att-kit@9.9.9", "att-kit"} {
		if st, _ := r.Do("GET", "-/npm/v1/attestations/"+p, "", nil); st != 404 {
			t.Errorf("attestations %s: %d, want 404", p, st)
		}
	}
}

// The registry refuses a provenance bundle that cannot be about the
// upload: another tarball's digest, another version, or not JSON.
func TestProvenancePublishRejectsMismatch(t *testing.T) {
	r := gnoderegistry.Start(t)
	auth, _ := provenancetest.New()
	builder := provenancetest.Builder{Repository: "https://github.com/acme/kit", Workflow: "release.yml"}
	pj := map[string]any{"name": "bad-att", "version": "1.0.0"}
	pjb, _ := json.Marshal(pj)
	tgz := gnoderegistry.Tarball(map[string]string{"package.json": string(pjb)})
	otherDigest, _ := auth.Bundle(provenancetest.Statement("bad-att", "1.0.0", provenancetest.Integrity([]byte("other")), builder), builder)
	otherVersion, _ := auth.Bundle(provenancetest.Statement("bad-att", "2.0.0", provenancetest.Integrity(tgz), builder), builder)
	cases := map[string][]byte{"digest": otherDigest, "version": otherVersion, "not json": []byte("{nope")}
	for what, bundle := range cases {
		st, b := r.Do("PUT", "bad-att", r.Token, provenancetest.PublishDocument(pj, tgz, bundle))
		if st != 400 && st != 422 {
			t.Errorf("%s: publish answered %d %s, want 400", what, st, b)
		}
	}
	// Nothing was published by the refused attempts.
	if st, _ := r.Do("GET", "bad-att", "", nil); st != 404 {
		t.Errorf("refused publishes left a package: %d", st)
	}
}
