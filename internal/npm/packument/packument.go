// Package packument holds the registry's package documents: the packument
// (every version of a package) and the manifest (one version), in both the
// full and the abbreviated ("corgi", application/vnd.npm.install-v1+json)
// forms, which decode into the same types.
//
// Registries have served many shapes over the years (bin as a string,
// deprecated as a boolean, engines as an array, bundleDependencies as true,
// dependencies as an array of names). Decode accepts all of them and
// Normalize folds them into one shape, so the resolver sees only that:
// Bin is a map, Deprecated a string, BundleDependencies a list of names,
// HasInstallScript derived from scripts when the document is full.
package packument

import (
	"encoding/json"
	"fmt"
	"time"
)

// Packument is a registry's document for one package.
type Packument struct {
	ID       string            `json:"_id,omitempty"`
	Name     string            `json:"name"`
	Rev      string            `json:"_rev,omitempty"`
	DistTags map[string]string `json:"dist-tags"`
	// Versions holds every version of a packument decoded eagerly
	// (Decode, DecodeForInstall) and is empty in one decoded by
	// DecodeLazy: read versions through Manifest, Head, VersionKeys and
	// AllVersions, which work on both.
	Versions map[string]*Manifest `json:"versions"`
	// Time maps "created", "modified" and each version to its publish
	// time, as written by the registry (see ParseTime). Abbreviated
	// documents have none. Like Versions, it is nil in a lazily decoded
	// packument: read it through Times or PublishTime.
	Time map[string]string `json:"time,omitempty"`
	// Modified is the abbreviated document's last-modified time.
	Modified string `json:"modified,omitempty"`

	Description string `json:"description,omitempty"`

	// lazy and index are set by DecodeLazy: the document and its
	// versions, and which of them this copy has (see Clone).
	lazy  *lazyDoc
	index map[string]int32
}

// MarshalJSON writes p in the packument shape; a lazily decoded packument
// is written with all its versions and times, as if decoded eagerly.
func (p Packument) MarshalJSON() ([]byte, error) {
	type plain Packument // without this method
	if p.lazy != nil {
		p.Versions = p.AllVersions()
		p.Time = p.Times()
	}
	return json.Marshal(plain(p))
}

// Manifest is one version of a package as the registry describes it.
type Manifest struct {
	ID      string `json:"_id,omitempty"`
	Name    string `json:"name"`
	Version string `json:"version"`

	Dependencies         map[string]string             `json:"dependencies,omitempty"`
	OptionalDependencies map[string]string             `json:"optionalDependencies,omitempty"`
	PeerDependencies     map[string]string             `json:"peerDependencies,omitempty"`
	PeerDependenciesMeta map[string]PeerDependencyMeta `json:"peerDependenciesMeta,omitempty"`
	DevDependencies      map[string]string             `json:"devDependencies,omitempty"`
	AcceptDependencies   map[string]string             `json:"acceptDependencies,omitempty"`
	// BundleDependencies lists the bundled dependency names. After
	// Normalize it holds `bundleDependencies` or `bundledDependencies`,
	// with `true` expanded to every name in Dependencies.
	BundleDependencies  *Bundle `json:"bundleDependencies,omitempty"`
	BundledDependencies *Bundle `json:"bundledDependencies,omitempty"`

	OS      StringList `json:"os,omitempty"`
	CPU     StringList `json:"cpu,omitempty"`
	Libc    StringList `json:"libc,omitempty"`
	Engines Engines    `json:"engines,omitempty"`

	// Bin maps command names to paths inside the package. A string bin is
	// stored under the package name (without scope) by Normalize.
	Bin         Bin          `json:"bin,omitempty"`
	Directories *Directories `json:"directories,omitempty"`
	// Scripts is only present in full documents.
	Scripts          map[string]string `json:"scripts,omitempty"`
	HasInstallScript bool              `json:"hasInstallScript,omitempty"`
	HasShrinkwrap    bool              `json:"_hasShrinkwrap,omitempty"`
	// Gypfile is set by registries when the tarball has a binding.gyp.
	Gypfile bool `json:"gypfile,omitempty"`

	Deprecated Deprecated      `json:"deprecated,omitempty"`
	Dist       Dist            `json:"dist"`
	License    License         `json:"license,omitempty"`
	Funding    json.RawMessage `json:"funding,omitempty"`
}

// PeerDependencyMeta is one entry of peerDependenciesMeta.
type PeerDependencyMeta struct {
	Optional bool `json:"optional,omitempty"`
}

// Directories is the `directories` field; only bin matters to installs.
type Directories struct {
	Bin string `json:"bin,omitempty"`
}

// Dist is where a version's tarball lives and how to check it.
type Dist struct {
	Tarball      string        `json:"tarball"`
	Integrity    string        `json:"integrity,omitempty"`
	Shasum       string        `json:"shasum,omitempty"`
	FileCount    int           `json:"fileCount,omitempty"`
	UnpackedSize int64         `json:"unpackedSize,omitempty"`
	Signatures   []Signature   `json:"signatures,omitempty"`
	Attestations *Attestations `json:"attestations,omitempty"`
}

// Signature is one registry signature over "name@version:integrity".
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   string `json:"sig"`
}

// Attestations points at a version's provenance attestations.
type Attestations struct {
	URL        string `json:"url"`
	Provenance struct {
		PredicateType string `json:"predicateType"`
	} `json:"provenance"`
}

// PublishTime returns when version was published, false when unknown.
func (p *Packument) PublishTime(version string) (time.Time, bool) {
	s, ok := p.TimeOf(version)
	if !ok {
		return time.Time{}, false
	}
	t, err := ParseTime(s)
	return t, err == nil
}

// Latest returns the manifest dist-tags.latest points at, nil when absent.
func (p *Packument) Latest() *Manifest {
	return p.Manifest(p.DistTags["latest"])
}

// ParseTime parses a registry timestamp: RFC 3339 with `Z` or a numeric
// offset, with or without fractional seconds of any length
// ("2024-02-27T16:27:13.411000+00:00", "2011-10-04T16:45:50.602Z"), and the
// offset-less form some registries wrote (taken as UTC).
func ParseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("packument: unrecognised time %q", s)
}

var timeLayouts = []string{
	time.RFC3339Nano, // Z or ±hh:mm, any fraction
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}
