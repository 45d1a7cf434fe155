package service

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gnode/internal/npm/semver"
	"gnode/internal/registry/blob"
	"gnode/internal/registry/meta"
)

// Options configure a Service.
type Options struct {
	// AllowSignup lets npm's adduser protocol create accounts.
	AllowSignup bool
	// MaxTarball caps a published tarball's size (decoded).
	MaxTarball int64
	// Uplink, when set, is consulted for packages the registry does not hold.
	Uplink *Uplink
	// Now is the clock (tests).
	Now func() time.Time
}

// Service is the registry.
type Service struct {
	meta   meta.Store
	blobs  blob.Store
	signer *Signer
	opts   Options
	basic  basicCache

	mu    sync.Mutex
	cache map[string]cachedDoc // rendered packuments by name+form+base
}

type cachedDoc struct {
	rev  int64
	body []byte
	etag string
}

// New builds a Service over its stores.
func New(ctx context.Context, m meta.Store, b blob.Store, opts Options) (*Service, error) {
	signer, err := LoadSigner(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	if opts.MaxTarball == 0 {
		opts.MaxTarball = 100 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Service{meta: m, blobs: b, signer: signer, opts: opts, cache: map[string]cachedDoc{}}
	if opts.Uplink != nil {
		opts.Uplink.svc = s
	}
	return s, nil
}

// Signer exposes the signing key (for the keys endpoint).
func (s *Service) Signer() *Signer { return s.signer }

// AllowSignup reports whether adduser may create accounts.
func (s *Service) AllowSignup() bool { return s.opts.AllowSignup }

// placeholder stands for the request's base URL inside stored manifests;
// rendering replaces it, so tarball URLs follow the host clients used.
const placeholder = "@@GNODE-REGISTRY-BASE@@"

// Packument renders the full or abbreviated document for name, with tarball
// URLs under base (which ends in '/'). The rendering is cached per package
// revision, so a GET costs one indexed query when nothing changed.
func (s *Service) Packument(ctx context.Context, name, base string, abbreviated bool) (body []byte, etag string, err error) {
	rev, err := s.meta.Rev(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		if s.opts.Uplink != nil {
			return s.opts.Uplink.Packument(ctx, name, base, abbreviated)
		}
		return nil, "", errorf(KindNotFound, "package %s not found", name)
	}
	if err != nil {
		return nil, "", err
	}
	key := name + "\x00" + strconv.FormatBool(abbreviated) + "\x00" + base
	s.mu.Lock()
	c, ok := s.cache[key]
	s.mu.Unlock()
	if ok && c.rev == rev {
		return c.body, c.etag, nil
	}
	p, err := s.meta.Package(ctx, name)
	if err != nil {
		return nil, "", err
	}
	live := liveVersions(p)
	if len(live) == 0 {
		return nil, "", errorf(KindNotFound, "package %s not found (all versions were unpublished)", name)
	}
	var doc []byte
	if abbreviated {
		doc, err = renderAbbreviated(p, live)
	} else {
		doc, err = renderFull(p, live)
	}
	if err != nil {
		return nil, "", err
	}
	doc = bytes.ReplaceAll(doc, []byte(placeholder), []byte(base))
	sum := sha1.Sum(doc)
	etag = `"` + hex.EncodeToString(sum[:]) + `"`
	s.mu.Lock()
	if len(s.cache) > 4096 {
		s.cache = map[string]cachedDoc{}
	}
	s.cache[key] = cachedDoc{rev: p.Rev, body: doc, etag: etag}
	s.mu.Unlock()
	return doc, etag, nil
}

func liveVersions(p *meta.Package) []meta.Version {
	var out []meta.Version
	for _, v := range p.Versions {
		if v.Unpublished == nil {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return compareVersions(out[i].Version, out[j].Version) < 0 })
	return out
}

func compareVersions(a, b string) int {
	va, errA := semver.ParseLoose(a)
	vb, errB := semver.ParseLoose(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return semver.Compare(va, vb)
}

// versionObject returns the stored manifest with deprecated spliced in.
func versionObject(v meta.Version) []byte {
	m := v.Manifest
	if v.Deprecated == "" {
		return m
	}
	msg, _ := json.Marshal(v.Deprecated)
	i := bytes.LastIndexByte(m, '}')
	out := make([]byte, 0, len(m)+len(msg)+16)
	out = append(out, m[:i]...)
	out = append(out, `,"deprecated":`...)
	out = append(out, msg...)
	return append(out, m[i:]...)
}

// npmTime formats a time as the npm registry does in packuments: UTC with
// exactly three fractional digits (RFC3339Nano drops trailing zeros, which
// made "created" and a version published at the same instant differ).
func npmTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func renderFull(p *meta.Package, live []meta.Version) ([]byte, error) {
	var top map[string]json.RawMessage
	if len(p.Doc) > 0 {
		if err := json.Unmarshal(p.Doc, &top); err != nil {
			return nil, fmt.Errorf("stored document of %s: %w", p.Name, err)
		}
	}
	if top == nil {
		top = map[string]json.RawMessage{}
	}
	put := func(k string, v any) {
		b, _ := json.Marshal(v)
		top[k] = b
	}
	put("_id", p.Name)
	put("name", p.Name)
	put("_rev", fmt.Sprintf("%d-%016x", p.Rev, uint64(p.Rev)*0x9e3779b97f4a7c15))
	put("dist-tags", p.Tags)
	times := map[string]string{"created": npmTime(p.Created), "modified": npmTime(p.Modified)}
	for _, v := range p.Versions {
		times[v.Version] = npmTime(v.Published)
	}
	if len(live) == 0 {
		times["unpublished"] = npmTime(p.Modified)
	}
	put("time", times)
	maint := make([]map[string]string, 0, len(p.Maintainers))
	for _, m := range p.Maintainers {
		// npm owner ls prints "name <email>".
		entry := map[string]string{"name": m}
		if e := p.MaintainerEmails[m]; e != "" {
			entry["email"] = e
		}
		maint = append(maint, entry)
	}
	put("maintainers", maint)
	var vb bytes.Buffer
	vb.WriteByte('{')
	for i, v := range live {
		if i > 0 {
			vb.WriteByte(',')
		}
		k, _ := json.Marshal(v.Version)
		vb.Write(k)
		vb.WriteByte(':')
		vb.Write(versionObject(v))
	}
	vb.WriteByte('}')
	top["versions"] = vb.Bytes()
	top["_attachments"] = json.RawMessage(`{}`)
	return json.Marshal(top)
}

// abbreviatedKeys are the version fields of the corgi document.
var abbreviatedKeys = []string{"name", "version", "dist", "deprecated", "dependencies", "optionalDependencies", "devDependencies",
	"bundleDependencies", "bundledDependencies", "peerDependencies", "peerDependenciesMeta", "acceptDependencies", "bin", "directories",
	"engines", "_hasShrinkwrap", "hasInstallScript", "funding", "cpu", "os", "libc"}

func renderAbbreviated(p *meta.Package, live []meta.Version) ([]byte, error) {
	versions := make(map[string]map[string]json.RawMessage, len(live))
	for _, v := range live {
		var full map[string]json.RawMessage
		if err := json.Unmarshal(versionObject(v), &full); err != nil {
			return nil, fmt.Errorf("stored manifest of %s@%s: %w", p.Name, v.Version, err)
		}
		small := map[string]json.RawMessage{}
		for _, k := range abbreviatedKeys {
			if val, ok := full[k]; ok {
				small[k] = val
			}
		}
		versions[v.Version] = small
	}
	// time is not part of npm's abbreviated form, but clients that enforce a
	// minimum release age need it; carrying it here spares them the full
	// document (clients that do not know it ignore it).
	times := map[string]string{}
	for _, v := range live {
		times[v.Version] = v.Published.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return json.Marshal(map[string]any{
		"name":      p.Name,
		"modified":  npmTime(p.Modified),
		"dist-tags": p.Tags,
		"versions":  versions,
		"time":      times,
	})
}

// VersionDocument serves GET /pkg/<version|tag>.
func (s *Service) VersionDocument(ctx context.Context, name, ref, base string) ([]byte, error) {
	doc, _, err := s.Packument(ctx, name, base, false)
	if err != nil {
		return nil, err
	}
	var p struct {
		DistTags map[string]string          `json:"dist-tags"`
		Versions map[string]json.RawMessage `json:"versions"`
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, err
	}
	if v, ok := p.DistTags[ref]; ok {
		ref = v
	}
	if v, ok := p.Versions[ref]; ok {
		return v, nil
	}
	if r, err := semver.ParseRange(ref); err == nil {
		var best *semver.Version
		for k := range p.Versions {
			if v, err := semver.Parse(k); err == nil && r.Test(v) && (best == nil || semver.Compare(v, best) > 0) {
				best = v
			}
		}
		if best != nil {
			return p.Versions[best.String()], nil
		}
	}
	return nil, errorf(KindNotFound, "version not found: %s@%s", name, ref)
}

// Tarball opens the tarball file (the last path segment) of package name.
func (s *Service) Tarball(ctx context.Context, name, file string) (io.ReadSeekCloser, int64, string, error) {
	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
	}
	version, ok := strings.CutPrefix(file, base+"-")
	if ok {
		version, ok = strings.CutSuffix(version, ".tgz")
	}
	if !ok {
		return nil, 0, "", errorf(KindNotFound, "no tarball %s for %s", file, name)
	}
	// The version row alone decides a local tarball (one query on the hot
	// path); only a miss asks whether the package is local at all, because
	// a package this registry does not hold comes from the uplink.
	v, err := s.meta.VersionBlob(ctx, name, version)
	if err == nil && v.Unpublished == nil {
		r, size, err := s.blobs.Open(ctx, v.Blob)
		if errors.Is(err, blob.ErrNotFound) {
			return nil, 0, "", fmt.Errorf("tarball of %s@%s is missing from the blob store", name, version)
		}
		return r, size, v.Integrity, err
	}
	if err != nil && !errors.Is(err, meta.ErrNotFound) {
		return nil, 0, "", err
	}
	if _, err := s.meta.Rev(ctx, name); errors.Is(err, meta.ErrNotFound) {
		if s.opts.Uplink != nil {
			return s.opts.Uplink.Tarball(ctx, name, version)
		}
		return nil, 0, "", errorf(KindNotFound, "package %s not found", name)
	} else if err != nil {
		return nil, 0, "", err
	}
	return nil, 0, "", errorf(KindNotFound, "no tarball %s for %s", file, name)
}

// DistTags returns name's dist-tags.
func (s *Service) DistTags(ctx context.Context, name string) (map[string]string, error) {
	p, err := s.meta.Package(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, errorf(KindNotFound, "package %s not found", name)
	}
	if err != nil {
		return nil, err
	}
	return p.Tags, nil
}

// requireMaintainer checks that who may write to package name.
func (s *Service) requireMaintainer(ctx context.Context, who Identity, name string) error {
	if who.User == "" {
		return errorf(KindUnauthorized, "authentication required to change %s", name)
	}
	if who.ReadOnly {
		return errorf(KindForbidden, "this token is read-only")
	}
	if _, err := s.meta.Rev(ctx, name); errors.Is(err, meta.ErrNotFound) {
		return errorf(KindNotFound, "package %s not found", name)
	}
	ok, err := s.meta.IsMaintainer(ctx, name, who.User)
	if err != nil {
		return err
	}
	if !ok && !s.teamMayWrite(ctx, who, name) {
		return errorf(KindForbidden, "%s is not a maintainer of %s", who.User, name)
	}
	return nil
}

// SetDistTag points tag at version.
func (s *Service) SetDistTag(ctx context.Context, who Identity, name, tag, version string) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	if err := validTag(tag); err != nil {
		return err
	}
	err := s.meta.SetTag(ctx, name, tag, version)
	if errors.Is(err, meta.ErrNotFound) {
		return errorf(KindNotFound, "this version doesn't exist: %s@%s", name, version)
	}
	return err
}

// DeleteDistTag removes tag; latest cannot be removed.
func (s *Service) DeleteDistTag(ctx context.Context, who Identity, name, tag string) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	if tag == "latest" {
		return errorf(KindInvalid, "the latest dist-tag cannot be removed")
	}
	err := s.meta.DeleteTag(ctx, name, tag)
	if errors.Is(err, meta.ErrNotFound) {
		return errorf(KindNotFound, "dist-tag %s not found on %s", tag, name)
	}
	return err
}

func validTag(tag string) error {
	if tag == "" || strings.ContainsAny(tag, "/\\ %") || len(tag) > 100 {
		return errorf(KindInvalid, "invalid dist-tag %q", tag)
	}
	if _, err := semver.ParseRange(tag); err == nil {
		return errorf(KindInvalid, "dist-tag %q is a valid semver range; tags must not be", tag)
	}
	return nil
}

// UnpublishAll tombstones every version of name.
func (s *Service) UnpublishAll(ctx context.Context, who Identity, name string) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	return s.meta.Unpublish(ctx, name, nil)
}

// UnpublishVersion tombstones one version (the tarball DELETE of npm's flow).
func (s *Service) UnpublishVersion(ctx context.Context, who Identity, name, version string) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	if err := s.meta.Unpublish(ctx, name, []string{version}); err != nil {
		return err
	}
	return s.fixLatest(ctx, name)
}

// fixLatest re-points latest at the highest live non-prerelease version
// after an unpublish removed the one it pointed at.
func (s *Service) fixLatest(ctx context.Context, name string) error {
	p, err := s.meta.Package(ctx, name)
	if err != nil {
		return err
	}
	if _, ok := p.Tags["latest"]; ok {
		return nil
	}
	live := liveVersions(p)
	if len(live) == 0 {
		return nil
	}
	pick := live[len(live)-1].Version
	for i := len(live) - 1; i >= 0; i-- {
		if v, err := semver.Parse(live[i].Version); err == nil && !v.IsPrerelease() {
			pick = live[i].Version
			break
		}
	}
	return s.meta.SetTag(ctx, name, "latest", pick)
}

// ApplyRevision handles PUT /pkg/-rev/REV: npm sends the whole document
// without the versions being unpublished. Versions missing from the body are
// tombstoned; nothing else in the body is trusted.
func (s *Service) ApplyRevision(ctx context.Context, who Identity, name string, body []byte) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	// npm sends the whole packument minus a version to unpublish it, and
	// only {_id, _rev, maintainers} for npm owner add/rm: a field that is
	// absent is left alone (reading a missing "versions" as "no versions"
	// made npm owner add unpublish every version).
	var doc struct {
		Versions    *map[string]json.RawMessage `json:"versions"`
		Maintainers *[]struct {
			Name string `json:"name"`
		} `json:"maintainers"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return errorf(KindInvalid, "invalid document: %v", err)
	}
	if doc.Versions == nil && doc.Maintainers == nil {
		return errorf(KindInvalid, "nothing to change in %s: the document has neither versions nor maintainers", name)
	}
	p, err := s.meta.Package(ctx, name)
	if err != nil {
		return err
	}
	if doc.Maintainers != nil {
		var users []string
		seen := map[string]bool{}
		for _, m := range *doc.Maintainers {
			if m.Name == "" {
				return errorf(KindInvalid, "a maintainer of %s has no name", name)
			}
			if seen[m.Name] {
				continue
			}
			seen[m.Name] = true
			if _, err := s.UserExists(ctx, m.Name); err != nil {
				if KindOf(err) == KindNotFound {
					return errorf(KindInvalid, "cannot make %s a maintainer of %s: no such user on this registry", m.Name, name)
				}
				return err
			}
			users = append(users, m.Name)
		}
		if len(users) == 0 {
			return errorf(KindInvalid, "%s must keep at least one maintainer", name)
		}
		sort.Strings(users)
		if !slices.Equal(users, p.Maintainers) {
			if err := s.meta.SetMaintainers(ctx, name, users); err != nil {
				return err
			}
		}
	}
	if doc.Versions == nil {
		return nil
	}
	var gone []string
	for _, v := range liveVersions(p) {
		if _, ok := (*doc.Versions)[v.Version]; !ok {
			gone = append(gone, v.Version)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	if err := s.meta.Unpublish(ctx, name, gone); err != nil {
		return err
	}
	return s.fixLatest(ctx, name)
}

// Deprecate applies the deprecated fields of a PUT without attachments: only
// versions whose object carries a "deprecated" key change ("" clears it).
func (s *Service) deprecate(ctx context.Context, who Identity, name string, versions map[string]json.RawMessage) error {
	if err := s.requireMaintainer(ctx, who, name); err != nil {
		return err
	}
	msgs := map[string]string{}
	for v, raw := range versions {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			continue
		}
		d, ok := obj["deprecated"]
		if !ok {
			continue
		}
		var msg string
		if json.Unmarshal(d, &msg) != nil {
			var b bool
			if json.Unmarshal(d, &b) == nil && b {
				msg = "this version is deprecated"
			}
		}
		msgs[v] = msg
	}
	if len(msgs) == 0 {
		return errorf(KindInvalid, "no attachment and no deprecation in the request")
	}
	return s.meta.Deprecate(ctx, name, msgs)
}

// integrityOf computes the sha512 SRI and sha1 hex of data.
func integrityOf(data []byte) (sri, sha512hex, sha1hex string) {
	s5 := sha512.Sum512(data)
	s1 := sha1.Sum(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(s5[:]), hex.EncodeToString(s5[:]), hex.EncodeToString(s1[:])
}

// PackageInfo is what the web page shows of a package.
type PackageInfo struct {
	Name        string
	Description string
	Readme      string
	Latest      string
	Tags        map[string]string
	Versions    []VersionInfo // newest first
	Maintainers []string
	Local       bool
}

// VersionInfo is one live version on the web page.
type VersionInfo struct {
	Version    string
	Published  time.Time
	Deprecated string
}

// Info returns a local package's page data.
func (s *Service) Info(ctx context.Context, name string) (*PackageInfo, error) {
	p, err := s.meta.Package(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, errorf(KindNotFound, "package %s not found", name)
	}
	if err != nil {
		return nil, err
	}
	live := liveVersions(p)
	if len(live) == 0 {
		return nil, errorf(KindNotFound, "package %s not found", name)
	}
	var doc struct {
		Description string `json:"description"`
		Readme      string `json:"readme"`
	}
	json.Unmarshal(p.Doc, &doc)
	info := &PackageInfo{Name: name, Description: doc.Description, Readme: doc.Readme, Latest: p.Tags["latest"], Tags: p.Tags, Maintainers: p.Maintainers, Local: true}
	for i := len(live) - 1; i >= 0; i-- {
		info.Versions = append(info.Versions, VersionInfo{Version: live[i].Version, Published: live[i].Published, Deprecated: live[i].Deprecated})
	}
	return info, nil
}
