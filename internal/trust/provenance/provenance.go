// Package provenance verifies npm provenance attestations (Sigstore bundles
// carrying an in-toto statement with a SLSA predicate) and compares who
// built two versions of a package.
//
// Verification is internal/trust/sigstore's (standard library only): the
// DSSE signature, the Fulcio certificate chain to the trusted root at the
// time the transparency log recorded the entry, the Rekor entry (signed
// entry timestamp or inclusion proof with its signed checkpoint, recording
// this very signature), and certificate transparency when the trusted root
// lists CT logs. The tests check every decision against sigstore-go, which
// gnode used first and no longer links: it made the binary 14 MB bigger
// and added ~4 ms of package initialisation to every gnode command. This
// package adds what is npm's: the statement must be SLSA provenance whose
// subject names pkg:npm/<name>@<version> with the tarball's sha512, and
// the builder's identity is read from the verified certificate (never from
// the unsigned parts of the bundle) so that versions can be compared.
package provenance

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"gnode/internal/trust/sigstore"
)

// SLSA predicate types npm publishes (v1 since 2023, v0.2 before).
const (
	predicateSLSAv1  = "https://slsa.dev/provenance/v1"
	predicateSLSAv02 = "https://slsa.dev/provenance/v0.2"
)

// IsProvenance reports whether predicateType is a SLSA provenance predicate
// (as opposed to npm's publish attestation, signed by the registry's key).
func IsProvenance(predicateType string) bool {
	return strings.HasPrefix(predicateType, "https://slsa.dev/provenance/")
}

// Identity is who built a version, as its verified Fulcio certificate says.
type Identity struct {
	// Repository is the source repository URI
	// (https://github.com/acme/http-kit).
	Repository string `json:"repository"`
	// Workflow is the build configuration inside the repository, without
	// the ref (.github/workflows/release.yml).
	Workflow string `json:"workflow"`
	// Ref and Commit are what was built (refs/tags/v1.0.0, a SHA): they
	// change with every release and are shown, not compared.
	Ref    string `json:"ref,omitempty"`
	Commit string `json:"commit,omitempty"`
	// Trigger is the CI event (push, release, workflow_dispatch...).
	Trigger string `json:"trigger,omitempty"`
	// Issuer is the OIDC issuer that vouched for the CI run.
	Issuer string `json:"issuer,omitempty"`
}

// String is the short form used in messages: "github.com/acme/http-kit
// .github/workflows/release.yml".
func (id Identity) String() string {
	repo := strings.TrimPrefix(strings.TrimPrefix(id.Repository, "https://"), "http://")
	if id.Workflow == "" {
		return repo
	}
	return repo + " " + id.Workflow
}

// Change says how next's builder differs from prev's: "" when the source
// repository and the workflow are the same. Refs and commits are not
// compared, they change with every release.
func Change(prev, next Identity) string {
	var diffs []string
	if !sameRepository(prev.Repository, next.Repository) {
		diffs = append(diffs, fmt.Sprintf("source repository %s, was %s", displayRepo(next.Repository), displayRepo(prev.Repository)))
	}
	if prev.Workflow != next.Workflow {
		diffs = append(diffs, fmt.Sprintf("workflow %s, was %s", orNone(next.Workflow), orNone(prev.Workflow)))
	}
	return strings.Join(diffs, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func displayRepo(r string) string {
	return strings.TrimPrefix(strings.TrimPrefix(orNone(r), "https://"), "http://")
}

// sameRepository compares repository URIs the way hosts treat them: GitHub
// and GitLab paths are case-insensitive, a trailing ".git" or "/" is noise.
func sameRepository(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git"))
		return s
	}
	return norm(a) == norm(b)
}

// Verifier checks bundles against one trusted root.
type Verifier struct {
	root *sigstore.TrustedRoot
	// Source says where the trusted root came from (for messages).
	Source string
}

// NewVerifier builds a verifier over a Sigstore trusted_root.json. Signed
// certificate timestamps are required exactly when the root lists CT logs
// (the public-good root does; a private or test deployment may not).
func NewVerifier(trustedRootJSON []byte, source string) (*Verifier, error) {
	tr, err := sigstore.ParseTrustedRoot(trustedRootJSON)
	if err != nil {
		return nil, fmt.Errorf("sigstore trusted root %s: %w", source, err)
	}
	return &Verifier{root: tr, Source: source}, nil
}

// Error is a bundle that failed verification.
type Error struct {
	Package string // name@version
	Reason  string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("provenance of %s: %s: %v", e.Package, e.Reason, e.Err)
	}
	return fmt.Sprintf("provenance of %s: %s", e.Package, e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

// Attestation is one entry of the registry's attestations document.
type Attestation struct {
	PredicateType string          `json:"predicateType"`
	Bundle        json.RawMessage `json:"bundle"`
}

// Document is GET /-/npm/v1/attestations/<name>@<version>.
type Document struct {
	Attestations []Attestation `json:"attestations"`
}

// ParseDocument reads the registry's attestations document.
func ParseDocument(b []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("attestations document: %w", err)
	}
	return &d, nil
}

// Provenance returns the SLSA provenance bundle of the document, or nil.
func (d *Document) Provenance() json.RawMessage {
	for _, a := range d.Attestations {
		if IsProvenance(a.PredicateType) {
			return a.Bundle
		}
	}
	return nil
}

// VerifyBundle verifies a provenance bundle for name@version whose tarball
// has the given SRI integrity (sha512) and returns the builder's identity.
func (v *Verifier) VerifyBundle(bundleJSON []byte, name, version, integrity string) (*Identity, error) {
	id := name + "@" + version
	digest, err := sha512Of(integrity)
	if err != nil {
		return nil, &Error{Package: id, Reason: "the tarball has no sha512 integrity to compare with", Err: err}
	}
	if err := requireSignedLogTime(bundleJSON); err != nil {
		return nil, &Error{Package: id, Reason: "signature verification failed", Err: err}
	}
	res, err := v.root.Verify(bundleJSON)
	if err != nil {
		return nil, &Error{Package: id, Reason: "signature verification failed", Err: err}
	}
	if res.Statement == nil || !IsProvenance(res.Statement.PredicateType) {
		return nil, &Error{Package: id, Reason: "the bundle is not a SLSA provenance statement"}
	}
	want := PURL(name, version)
	named := false
	for _, s := range res.Statement.Subject {
		if samePURL(s.Name, want) && strings.EqualFold(s.Digest["sha512"], hex.EncodeToString(digest)) {
			named = true
		}
	}
	if !named {
		return nil, &Error{Package: id, Reason: "the statement's subject is not " + want + " with this tarball's sha512"}
	}
	c := res.Certificate
	if c == nil {
		return nil, &Error{Package: id, Reason: "the bundle is signed by a key, not a CI identity certificate"}
	}
	ident := &Identity{
		Repository: c.SourceRepositoryURI,
		Workflow:   workflowPath(c.SourceRepositoryURI, c.BuildConfigURI),
		Ref:        c.SourceRepositoryRef,
		Commit:     c.SourceRepositoryDigest,
		Trigger:    c.BuildTrigger,
		Issuer:     c.Issuer,
	}
	if ident.Repository == "" {
		// Certificates issued before Fulcio's v2 extensions (2023) carry
		// only the GitHub-specific ones.
		if c.GithubWorkflowRepository != "" {
			ident.Repository = "https://github.com/" + c.GithubWorkflowRepository
		}
		ident.Workflow = workflowPath(ident.Repository, c.SubjectAlternativeName)
		ident.Ref, ident.Commit, ident.Trigger = c.GithubWorkflowRef, c.GithubWorkflowSHA, c.GithubWorkflowTrigger
	}
	if ident.Repository == "" {
		return nil, &Error{Package: id, Reason: "the signing certificate names no source repository"}
	}
	return ident, nil
}

// requireSignedLogTime refuses a bundle whose transparency log entries
// lack a signed entry timestamp. The certificate is checked at the time
// the log recorded the signature; an inclusion proof alone commits to the
// entry's body but not to that time, so the time would be the bundle's
// own unsigned claim (and a stolen key of an expired certificate could
// sign again, back-dated). sigstore-go refuses these bundles the same
// way. npm's provenance bundles always carry the timestamp.
func requireSignedLogTime(bundleJSON []byte) error {
	var b struct {
		VerificationMaterial struct {
			TlogEntries []struct {
				InclusionPromise *struct {
					SignedEntryTimestamp string `json:"signedEntryTimestamp"`
				} `json:"inclusionPromise"`
			} `json:"tlogEntries"`
		} `json:"verificationMaterial"`
	}
	if err := json.Unmarshal(bundleJSON, &b); err != nil {
		return fmt.Errorf("unreadable bundle: %w", err)
	}
	for _, e := range b.VerificationMaterial.TlogEntries {
		if e.InclusionPromise == nil || e.InclusionPromise.SignedEntryTimestamp == "" {
			return errors.New("a transparency log entry has no signed entry timestamp: the time it was logged is not proven")
		}
	}
	return nil
}

// workflowPath is the build configuration's path inside the repository:
// https://github.com/acme/x/.github/workflows/release.yml@refs/tags/v1
// becomes .github/workflows/release.yml. GitLab's form has a double slash
// (https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main).
func workflowPath(repo, buildConfig string) string {
	p := buildConfig
	if i := strings.LastIndexByte(p, '@'); i > 0 {
		p = p[:i]
	}
	if repo != "" {
		if rest, ok := cutPrefixFold(p, strings.TrimSuffix(repo, "/")+"/"); ok {
			p = rest
		}
	}
	return strings.TrimLeft(p, "/")
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// PURL is the package URL npm puts in the statement's subject:
// pkg:npm/%40scope/name@1.0.0 for scoped names.
func PURL(name, version string) string {
	return "pkg:npm/" + strings.Replace(name, "@", "%40", 1) + "@" + version
}

func samePURL(a, b string) bool {
	ua, err1 := url.PathUnescape(a)
	ub, err2 := url.PathUnescape(b)
	return err1 == nil && err2 == nil && ua == ub
}

// sha512Of decodes the sha512 digest of an SRI string (which may list
// several hashes, space-separated).
func sha512Of(integrity string) ([]byte, error) {
	for _, f := range strings.Fields(integrity) {
		if b64, ok := strings.CutPrefix(f, "sha512-"); ok {
			if i := strings.IndexByte(b64, '?'); i >= 0 {
				b64 = b64[:i]
			}
			d, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(d) != 64 {
				return nil, fmt.Errorf("malformed sha512 integrity %q", f)
			}
			return d, nil
		}
	}
	return nil, errors.New("integrity " + integrity + " has no sha512")
}

// Statement is the part of an in-toto statement a registry checks at
// publish time (without verifying signatures).
type Statement struct {
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
}

// InspectBundle reads a bundle's DSSE statement without verifying it, for
// a registry's sanity checks at publish (the client verifies at install):
// the statement must name name@version and the tarball's sha512.
func InspectBundle(bundleJSON []byte, name, version, integrity string) (*Statement, error) {
	var raw struct {
		MediaType    string `json:"mediaType"`
		DsseEnvelope *struct {
			Payload     string `json:"payload"`
			PayloadType string `json:"payloadType"`
		} `json:"dsseEnvelope"`
	}
	if err := json.Unmarshal(bundleJSON, &raw); err != nil {
		return nil, fmt.Errorf("sigstore bundle: %w", err)
	}
	if !strings.HasPrefix(raw.MediaType, "application/vnd.dev.sigstore.bundle") {
		return nil, fmt.Errorf("sigstore bundle: unexpected media type %q", raw.MediaType)
	}
	if raw.DsseEnvelope == nil || raw.DsseEnvelope.PayloadType != "application/vnd.in-toto+json" {
		return nil, errors.New("sigstore bundle: no in-toto DSSE envelope")
	}
	payload, err := base64.StdEncoding.DecodeString(raw.DsseEnvelope.Payload)
	if err != nil {
		return nil, fmt.Errorf("sigstore bundle payload: %w", err)
	}
	var st Statement
	if err := json.NewDecoder(bytes.NewReader(payload)).Decode(&st); err != nil {
		return nil, fmt.Errorf("in-toto statement: %w", err)
	}
	digest, err := sha512Of(integrity)
	if err != nil {
		return nil, err
	}
	want := PURL(name, version)
	for _, s := range st.Subject {
		if samePURL(s.Name, want) && strings.EqualFold(s.Digest["sha512"], hex.EncodeToString(digest)) {
			return &st, nil
		}
	}
	return nil, fmt.Errorf("in-toto statement: no subject %s with the tarball's sha512", want)
}
