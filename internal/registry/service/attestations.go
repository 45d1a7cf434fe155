package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"gnode/internal/npm/pkgname"
	"gnode/internal/registry/meta"
	"gnode/internal/trust/provenance"
)

// npm 11's `publish --provenance` sends the Sigstore bundle as a second
// attachment named <name>-<version>.sigstore whose content_type is the
// bundle's media type (application/vnd.dev.sigstore.bundle.v0.3+json) and
// whose data is the bundle JSON itself, not base64.
const sigstoreMediaPrefix = "application/vnd.dev.sigstore.bundle"

// publishAttestation is a provenance bundle received with a publish.
type publishAttestation struct {
	predicateType string
	bundle        json.RawMessage
}

// takeAttestations removes the Sigstore bundles from a publish's
// attachments (leaving the tarball) and returns them.
func takeAttestations(b *publishBody) ([]json.RawMessage, error) {
	var out []json.RawMessage
	for k, a := range b.Attachments {
		if !strings.HasPrefix(a.ContentType, sigstoreMediaPrefix) && !strings.HasSuffix(k, ".sigstore") {
			continue
		}
		if !json.Valid([]byte(a.Data)) {
			return nil, errorf(KindInvalid, "attachment %s is not a JSON sigstore bundle", k)
		}
		out = append(out, json.RawMessage(a.Data))
		delete(b.Attachments, k)
	}
	return out, nil
}

// checkAttestations makes sure each bundle is an in-toto statement about
// exactly this upload (purl and sha512). Signatures are verified by
// installing clients against their own trusted root; the registry refuses
// what cannot possibly verify so it never serves a misleading document.
func checkAttestations(bundles []json.RawMessage, name, version, integrity string) ([]publishAttestation, error) {
	var out []publishAttestation
	for _, b := range bundles {
		st, err := provenance.InspectBundle(b, name, version, integrity)
		if err != nil {
			return nil, errorf(KindInvalid, "provenance for %s@%s: %v", name, version, err)
		}
		if !provenance.IsProvenance(st.PredicateType) {
			return nil, errorf(KindInvalid, "provenance for %s@%s: predicate type %q is not SLSA provenance", name, version, st.PredicateType)
		}
		out = append(out, publishAttestation{predicateType: st.PredicateType, bundle: b})
	}
	if len(out) > 1 {
		return nil, errorf(KindInvalid, "a publish may carry one provenance bundle, got %d", len(out))
	}
	return out, nil
}

// AttestationsPath is the registry path of a version's attestations.
func AttestationsPath(name, version string) string {
	return "-/npm/v1/attestations/" + pkgname.Escape(name) + "@" + version
}

// addAttestationDist sets dist.attestations in a version object about to
// be stored (the URL keeps the base placeholder, like dist.tarball).
func addAttestationDist(manifest map[string]json.RawMessage, atts []publishAttestation, name, version string) {
	if len(atts) == 0 {
		return
	}
	var dist map[string]json.RawMessage
	if json.Unmarshal(manifest["dist"], &dist) != nil {
		return
	}
	dist["attestations"] = mustJSON(map[string]any{
		"url":        placeholder + AttestationsPath(name, version),
		"provenance": map[string]string{"predicateType": atts[0].predicateType},
	})
	manifest["dist"] = mustJSON(dist)
}

func attestationsKey(name, version string) string { return "attestations/" + name + "@" + version }

// storeAttestations keeps the attestations document of a version that was
// just published. It lives in the settings table (key attestations/<id>),
// which every metadata backend already has, so no schema change is needed.
func (s *Service) storeAttestations(ctx context.Context, name, version string, atts []publishAttestation) error {
	if len(atts) == 0 {
		return nil
	}
	doc := provenance.Document{}
	for _, a := range atts {
		doc.Attestations = append(doc.Attestations, provenance.Attestation{PredicateType: a.predicateType, Bundle: a.bundle})
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return s.meta.SetSetting(ctx, attestationsKey(name, version), string(b))
}

// Attestations serves GET /-/npm/v1/attestations/<name>@<version>.
func (s *Service) Attestations(ctx context.Context, name, version string) ([]byte, error) {
	v, err := s.meta.Version(ctx, name, version)
	if errors.Is(err, meta.ErrNotFound) || (err == nil && v.Unpublished != nil) {
		return nil, errorf(KindNotFound, "%s@%s is not in this registry", name, version)
	}
	if err != nil {
		return nil, err
	}
	doc, err := s.meta.Setting(ctx, attestationsKey(name, version))
	if errors.Is(err, meta.ErrNotFound) || (err == nil && doc == "") {
		return nil, errorf(KindNotFound, "%s@%s has no attestations", name, version)
	}
	if err != nil {
		return nil, err
	}
	return []byte(doc), nil
}
