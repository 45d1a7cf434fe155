package service

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"gnode/internal/npm/pkgname"
	"gnode/internal/npm/semver"
	"gnode/internal/registry/meta"
)

// publishBody is the PUT /pkg document npm sends.
type publishBody struct {
	ID          string                       `json:"_id"`
	Name        string                       `json:"name"`
	DistTags    map[string]string            `json:"dist-tags"`
	Versions    map[string]json.RawMessage   `json:"versions"`
	Attachments map[string]publishAttachment `json:"_attachments"`
	Access      *string                      `json:"access"`
	// Users is what npm star/unstar send (and nothing else).
	Users map[string]bool `json:"users"`
}

type publishAttachment struct {
	ContentType string `json:"content_type"`
	Data        string `json:"data"`
	Length      int64  `json:"length"`
}

// topLevelKeys are hoisted from the published version into the packument.
var topLevelKeys = []string{"description", "readme", "readmeFilename", "homepage", "keywords", "repository", "author", "bugs", "license", "contributors"}

// Put handles PUT /pkg: a publish when it carries an attachment, otherwise
// a deprecation (npm's deprecate sends the document without attachments).
func (s *Service) Put(ctx context.Context, who Identity, name string, body []byte) error {
	var b publishBody
	if err := json.Unmarshal(body, &b); err != nil {
		return errorf(KindInvalid, "invalid package document: %v", err)
	}
	if b.Name != "" && b.Name != name {
		return errorf(KindInvalid, "the document's name %q does not match the URL's %q", b.Name, name)
	}
	if len(b.Attachments) == 0 && b.Versions == nil && b.Users != nil {
		return errorf(KindInvalid, "stars are not kept by this registry (npm star and npm unstar have nothing to change)")
	}
	if len(b.Attachments) == 0 {
		return s.deprecate(ctx, who, name, b.Versions)
	}
	return s.publish(ctx, who, name, &b)
}

func (s *Service) publish(ctx context.Context, who Identity, name string, b *publishBody) error {
	if who.User == "" {
		return errorf(KindUnauthorized, "you must be logged in to publish packages")
	}
	if who.ReadOnly {
		return errorf(KindForbidden, "this token is read-only and cannot publish")
	}
	if err := ValidatePackageName(name); err != nil {
		return err
	}
	if len(b.Versions) != 1 {
		return errorf(KindInvalid, "a publish must carry exactly one version, got %d", len(b.Versions))
	}
	bundles, err := takeAttestations(b) // npm publish --provenance: see attestations.go
	if err != nil {
		return err
	}
	if len(b.Attachments) != 1 {
		return errorf(KindInvalid, "a publish must carry exactly one tarball, got %d", len(b.Attachments))
	}
	var version string
	var raw json.RawMessage
	for version, raw = range b.Versions {
	}
	v, err := semver.Parse(version)
	if err != nil || v.String() != version {
		return errorf(KindInvalid, "invalid version %q: must be a normalised semver version", version)
	}
	var manifest map[string]json.RawMessage
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return errorf(KindInvalid, "invalid version object: %v", err)
	}
	var mName, mVersion string
	json.Unmarshal(manifest["name"], &mName)
	json.Unmarshal(manifest["version"], &mVersion)
	if mName != name || mVersion != version {
		return errorf(KindInvalid, "the version object names %s@%s, expected %s@%s", mName, mVersion, name, version)
	}
	tag := "latest"
	if len(b.DistTags) > 1 {
		return errorf(KindInvalid, "a publish must carry exactly one dist-tag")
	}
	for t, tv := range b.DistTags {
		if tv != version {
			return errorf(KindInvalid, "dist-tag %s points at %s, not the published version %s", t, tv, version)
		}
		tag = t
	}
	if err := validTag(tag); err != nil {
		return err
	}
	var att publishAttachment
	for _, att = range b.Attachments {
	}
	if int64(base64.StdEncoding.DecodedLen(len(att.Data))) > s.opts.MaxTarball+3 {
		return errorf(KindTooLarge, "tarball is larger than the %d byte limit", s.opts.MaxTarball)
	}
	data, err := base64.StdEncoding.DecodeString(att.Data)
	if err != nil {
		return errorf(KindInvalid, "attachment is not valid base64: %v", err)
	}
	if att.Length != 0 && att.Length != int64(len(data)) {
		return errorf(KindInvalid, "attachment length %d does not match its %d decoded bytes", att.Length, len(data))
	}
	sri, blobKey, shasum := integrityOf(data)
	var dist struct {
		Integrity string `json:"integrity"`
		Shasum    string `json:"shasum"`
	}
	json.Unmarshal(manifest["dist"], &dist)
	if dist.Integrity != "" && !integrityMatches(dist.Integrity, sri) {
		return errorf(KindInvalid, "dist.integrity %s does not match the tarball's %s", dist.Integrity, sri)
	}
	if dist.Shasum != "" && !strings.EqualFold(dist.Shasum, shasum) {
		return errorf(KindInvalid, "dist.shasum %s does not match the tarball's %s", dist.Shasum, shasum)
	}
	pj, stats, err := inspectTarball(data)
	if err != nil {
		return errorf(KindInvalid, "tarball: %v", err)
	}
	if pj.Name != name || pj.Version != version {
		return errorf(KindInvalid, "the tarball's package.json names %s@%s, expected %s@%s", pj.Name, pj.Version, name, version)
	}
	atts, err := checkAttestations(bundles, name, version, sri)
	if err != nil {
		return err
	}
	if err := s.checkScope(ctx, who, name); err != nil {
		return err
	}
	if s.teamMayWrite(ctx, who, name) {
		if _, err := s.meta.Rev(ctx, name); err == nil {
			if err := s.meta.AddMaintainer(ctx, name, who.User); err != nil {
				return err
			}
		}
	}

	// The stored version object: the client's fields, with dist rebuilt from
	// what the registry computed and signed, and hasInstallScript derived from
	// the tarball (the client's JSON can lie).
	sig, err := s.signer.Sign(name, version, sri)
	if err != nil {
		return err
	}
	delete(manifest, "deprecated")
	manifest["_id"] = mustJSON(name + "@" + version)
	if pj.HasInstallScript {
		manifest["hasInstallScript"] = mustJSON(true)
	} else {
		delete(manifest, "hasInstallScript")
	}
	manifest["_npmUser"] = mustJSON(map[string]string{"name": who.User})
	manifest["dist"] = mustJSON(map[string]any{
		"integrity":    sri,
		"shasum":       shasum,
		"tarball":      placeholder + pkgname.TarballPath(name, version),
		"fileCount":    stats.files,
		"unpackedSize": stats.size,
		"signatures":   []map[string]string{{"keyid": s.signer.KeyID, "sig": sig}},
	})
	addAttestationDist(manifest, atts, name, version)
	stored, err := json.Marshal(manifest)
	if err != nil {
		return err
	}
	top := map[string]json.RawMessage{}
	for _, k := range topLevelKeys {
		if val, ok := manifest[k]; ok {
			top[k] = val
		}
	}
	doc, _ := json.Marshal(top)
	// The README lives at the top level only, as on npm's registry: keeping
	// it in every version object would bloat every packument.
	delete(manifest, "readme")
	delete(manifest, "readmeFilename")
	if stored, err = json.Marshal(manifest); err != nil {
		return err
	}

	// The blob goes first: a crash between the two leaves an unreferenced
	// blob (harmless, content-addressed), never a version without its tarball.
	if err := s.blobs.Put(ctx, blobKey, data); err != nil {
		return fmt.Errorf("store tarball: %w", err)
	}
	err = s.meta.Publish(ctx, meta.PublishInput{
		Name: name, Doc: doc, Tag: tag, Publisher: who.User, CanCreate: true,
		Version: meta.Version{Version: version, Manifest: stored, Integrity: sri, Shasum: shasum, Blob: blobKey, Size: int64(len(data)), Published: s.opts.Now()},
	})
	if err == nil {
		err = s.storeAttestations(ctx, name, version, atts)
	}
	switch {
	case errors.Is(err, meta.ErrExists):
		return errorf(KindConflict, "cannot publish over the previously published version %s@%s", name, version)
	case errors.Is(err, meta.ErrForbidden):
		return errorf(KindForbidden, "%s may not publish %s: not a maintainer", who.User, name)
	}
	return err
}

// checkScope enforces scope ownership: @user/* belongs to user; a scope an
// administrator gave to a team (`gnode registry scope set @s --team T`)
// belongs to that team's members; any other scope belongs to whoever first
// published into it.
func (s *Service) checkScope(ctx context.Context, who Identity, name string) error {
	scope := scopeOf(name)
	if scope == "" {
		return nil
	}
	owner, err := s.scopeOwner(ctx, scope, who.User)
	if err != nil {
		return err
	}
	switch {
	case owner == who.User:
		return nil
	case strings.HasPrefix(owner, "team:"):
		if ok, err := s.meta.IsTeamMember(ctx, strings.TrimPrefix(owner, "team:"), who.User); err != nil || ok {
			return err
		}
		return errorf(KindForbidden, "scope @%s belongs to team %s, and %s is not a member", scope, strings.TrimPrefix(owner, "team:"), who.User)
	}
	if ok, _ := s.meta.IsMaintainer(ctx, name, who.User); ok {
		return nil
	}
	return errorf(KindForbidden, "scope @%s is owned by %s", scope, owner)
}

func scopeOf(name string) string {
	if !strings.HasPrefix(name, "@") {
		return ""
	}
	i := strings.IndexByte(name, '/')
	if i < 0 {
		return ""
	}
	return name[1:i]
}

// scopeOwner returns the scope's owner: a team set by an administrator, the
// user of the same name, or (claimed on first use by claimant) a publisher.
func (s *Service) scopeOwner(ctx context.Context, scope, claimant string) (string, error) {
	if owner, err := s.meta.Setting(ctx, "scope-owner:@"+scope); err == nil && strings.HasPrefix(owner, "team:") {
		return owner, nil
	}
	if _, err := s.meta.User(ctx, scope); err == nil {
		return scope, nil
	}
	if claimant == "" {
		owner, err := s.meta.Setting(ctx, "scope-owner:@"+scope)
		if errors.Is(err, meta.ErrNotFound) {
			return "", nil
		}
		return owner, err
	}
	return s.meta.SetSettingOnce(ctx, "scope-owner:@"+scope, claimant)
}

// teamMayWrite reports whether who writes to name as a member of the team
// owning its scope.
func (s *Service) teamMayWrite(ctx context.Context, who Identity, name string) bool {
	scope := scopeOf(name)
	if scope == "" || who.User == "" {
		return false
	}
	owner, err := s.meta.Setting(ctx, "scope-owner:@"+scope)
	if err != nil || !strings.HasPrefix(owner, "team:") {
		return false
	}
	ok, _ := s.meta.IsTeamMember(ctx, strings.TrimPrefix(owner, "team:"), who.User)
	return ok
}

// SetScopeTeam gives scope to team (administrator command).
func (s *Service) SetScopeTeam(ctx context.Context, scope, team string) error {
	scope = strings.TrimPrefix(scope, "@")
	if err := ValidateUsername(team); err != nil {
		return errorf(KindInvalid, "invalid team name %q", team)
	}
	if scope == "" || strings.Contains(scope, "/") {
		return errorf(KindInvalid, "invalid scope %q", scope)
	}
	return s.meta.SetSetting(ctx, "scope-owner:@"+scope, "team:"+team)
}

// AddTeamMember adds an existing user to team (administrator command).
func (s *Service) AddTeamMember(ctx context.Context, team, user string) error {
	if _, err := s.UserExists(ctx, user); err != nil {
		return err
	}
	return s.meta.AddTeamMember(ctx, team, user)
}

func integrityMatches(claimed, actual string) bool {
	for _, part := range strings.Fields(claimed) {
		if strings.HasPrefix(part, "sha512-") {
			p, _, _ := strings.Cut(part, "?")
			return p == actual
		}
	}
	// Only weaker hashes claimed: the shasum check covers sha1.
	return true
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

type tarballPackage struct {
	Name             string
	Version          string
	HasInstallScript bool
}

type tarballStats struct {
	files int
	size  int64
}

// Limits that keep a hostile upload (a gzip bomb) from exhausting the server.
const (
	maxUnpacked        = 512 << 20
	maxPackageJSONSize = 1 << 20
)

// inspectTarball reads package/package.json out of a published tarball and
// counts its files, with decompression capped.
func inspectTarball(data []byte) (*tarballPackage, tarballStats, error) {
	var st tarballStats
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, st, fmt.Errorf("not a gzip file: %v", err)
	}
	tr := tar.NewReader(io.LimitReader(zr, maxUnpacked))
	var pj *tarballPackage
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, st, fmt.Errorf("corrupt tar: %v", err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		st.files++
		st.size += h.Size
		clean := path.Clean(strings.ReplaceAll(h.Name, "\\", "/"))
		_, rest, ok := strings.Cut(clean, "/")
		if !ok || rest != "package.json" || pj != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, maxPackageJSONSize+1))
		if err != nil {
			return nil, st, err
		}
		if len(b) > maxPackageJSONSize {
			return nil, st, fmt.Errorf("package.json is larger than %d bytes", maxPackageJSONSize)
		}
		var m struct {
			Name    string            `json:"name"`
			Version string            `json:"version"`
			Scripts map[string]string `json:"scripts"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, st, fmt.Errorf("package.json: %v", err)
		}
		pj = &tarballPackage{Name: m.Name, Version: m.Version}
		for _, k := range []string{"preinstall", "install", "postinstall"} {
			if m.Scripts[k] != "" {
				pj.HasInstallScript = true
			}
		}
	}
	if pj == nil {
		return nil, st, errors.New("no package.json in the tarball")
	}
	if st.files == 0 {
		return nil, st, errors.New("the tarball holds no files")
	}
	return pj, st, nil
}

// ValidatePackageName applies npm's rules for new package names.
func ValidatePackageName(name string) error {
	if name == "" || len(name) > 214 {
		return errorf(KindInvalid, "invalid package name %q: must be 1 to 214 characters", name)
	}
	if name != strings.ToLower(name) {
		return errorf(KindInvalid, "invalid package name %q: must be lowercase", name)
	}
	local := name
	if strings.HasPrefix(name, "@") {
		scope, rest, ok := strings.Cut(name[1:], "/")
		if !ok || scope == "" || rest == "" || strings.Contains(rest, "/") {
			return errorf(KindInvalid, "invalid package name %q: a scoped name is @scope/name", name)
		}
		if err := checkNamePart(name, scope); err != nil {
			return err
		}
		local = rest
	}
	if local[0] == '.' || local[0] == '_' {
		return errorf(KindInvalid, "invalid package name %q: may not start with %q", name, local[0])
	}
	return checkNamePart(name, local)
}

func checkNamePart(name, part string) error {
	if part == "." || part == ".." || part == "node_modules" || part == "favicon.ico" {
		return errorf(KindInvalid, "invalid package name %q: %q is reserved", name, part)
	}
	for _, r := range part {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
			return errorf(KindInvalid, "invalid package name %q: may contain only URL-safe characters", name)
		}
	}
	return nil
}
