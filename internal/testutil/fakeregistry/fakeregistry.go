// Package fakeregistry is an npm registry for hermetic tests: an httptest
// server on 127.0.0.1:0 serving packuments (full and abbreviated) and real
// .tgz tarballs built from Go values, with ETag/304, optional auth, a
// request log and fault injection.
//
//	reg := fakeregistry.New(t)
//	reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^1"}})
//	reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.2.0", Files: map[string]string{"index.js": "module.exports = 1"}})
//	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte(reg.Npmrc()), 0o644)
package fakeregistry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/npm/packument"
)

// Pkg describes one version to publish. Only Name and Version are required.
type Pkg struct {
	Name, Version string

	Deps, DevDeps, OptionalDeps, PeerDeps map[string]string
	PeerMeta                              map[string]packument.PeerDependencyMeta
	// Bin maps command names to files; bin files are written with mode
	// 0755 and get a "#!/usr/bin/env node" stub when Files lacks them.
	Bin     map[string]string
	Scripts map[string]string
	// Files are the package's files, by path relative to the package root
	// (they go under package/ in the tarball). package.json is generated
	// from the other fields unless Files has one, which is used verbatim.
	Files map[string]string
	// Modes overrides file modes (default 0644, bins 0755).
	Modes map[string]os.FileMode

	OS, CPU, Libc []string
	Engines       map[string]string
	// Deprecated marks the version deprecated with this message.
	Deprecated string
	// Bundled is bundleDependencies; put the bundled packages' files in
	// Files under node_modules/.
	Bundled []string
	License string
	// Time is the publish time; zero means a fixed, increasing time per Add.
	Time time.Time
	// Extra fields are merged into package.json and the version document.
	Extra map[string]any
}

// Published is what Add produced.
type Published struct {
	Name, Version string
	TarballURL    string
	Integrity     string // sha512 SRI
	Shasum        string // sha1 hex
	Tarball       []byte
	// Manifest is the version document as served (full form).
	Manifest map[string]any
}

// Request is one request the registry answered.
type Request struct {
	Method string
	// Path is the URL path as sent (escaped), Query the raw query.
	Path, Query string
	Header      http.Header
	Status      int
	// Kind is "packument", "version", "tarball", "ping" or "other".
	Kind string
	// Name is the package name for packument, version and tarball
	// requests.
	Name string
	// Gzip reports a gzip-encoded response.
	Gzip bool
	// Truncated reports an answer cut off by TruncateNext.
	Truncated bool
}

// Registry is a running fake registry. Its methods are safe for concurrent
// use from tests and handlers.
type Registry struct {
	t   testing.TB
	srv *httptest.Server

	mu          sync.Mutex
	pkgs        map[string]*pkgEntry
	log         []Request
	clock       time.Time
	auth        string
	failNext    int
	failStatus  int
	hangUpNext  int
	truncNext   int
	delay       time.Duration
	abbreviated bool
	gzip        bool
	timeLayout  string
	maxAge      int
	inFlight    int
	maxInFlight int
}

type pkgEntry struct {
	name     string
	versions map[string]*versionEntry
	tags     map[string]string
	raw      []byte // AddRaw: served verbatim
}

type versionEntry struct {
	pub     Published
	time    time.Time
	corrupt bool
}

// New starts a registry on 127.0.0.1:0 and stops it when the test ends.
func New(t testing.TB) *Registry {
	t.Helper()
	r := &Registry{
		t:           t,
		pkgs:        map[string]*pkgEntry{},
		clock:       time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		abbreviated: true,
		gzip:        true,
		timeLayout:  "2006-01-02T15:04:05.000Z07:00",
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

// URL is the registry's base URL, with a trailing slash.
func (r *Registry) URL() string { return r.srv.URL + "/" }

// Host is the registry's host:port.
func (r *Registry) Host() string { return strings.TrimPrefix(r.srv.URL, "http://") }

// Npmrc returns .npmrc text pointing npm (or gnode) at this registry, with
// the token when RequireToken was called.
func (r *Registry) Npmrc() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := "registry=" + r.URL() + "\n"
	if tok, ok := strings.CutPrefix(r.auth, "Bearer "); ok {
		s += "//" + r.Host() + "/:_authToken=" + tok + "\n"
	}
	return s
}

// WriteNpmrc writes Npmrc() to dir/.npmrc.
func (r *Registry) WriteNpmrc(dir string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".npmrc"), []byte(r.Npmrc()), 0o644); err != nil {
		r.t.Fatalf("fakeregistry: %v", err)
	}
}

// Add publishes a version; adding an existing version replaces it. It fails
// the test on a malformed Pkg.
func (r *Registry) Add(p Pkg) Published {
	r.t.Helper()
	if p.Name == "" || p.Version == "" {
		r.t.Fatalf("fakeregistry: Add needs Name and Version (got %q@%q)", p.Name, p.Version)
	}
	pj, manifest := packageJSON(p)
	tgz, err := buildTarball(p, pj)
	if err != nil {
		r.t.Fatalf("fakeregistry: building %s@%s: %v", p.Name, p.Version, err)
	}
	sum512 := sha512.Sum512(tgz)
	sum1 := sha1.Sum(tgz)
	pub := Published{
		Name:       p.Name,
		Version:    p.Version,
		TarballURL: r.TarballURL(p.Name, p.Version),
		Integrity:  "sha512-" + base64.StdEncoding.EncodeToString(sum512[:]),
		Shasum:     hex.EncodeToString(sum1[:]),
		Tarball:    tgz,
	}
	manifest["_id"] = p.Name + "@" + p.Version
	manifest["dist"] = map[string]any{
		"tarball":      pub.TarballURL,
		"integrity":    pub.Integrity,
		"shasum":       pub.Shasum,
		"fileCount":    countFiles(p),
		"unpackedSize": unpackedSize(p, pj),
	}
	if p.Deprecated != "" {
		manifest["deprecated"] = p.Deprecated
	}
	pub.Manifest = manifest

	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.pkgs[p.Name]
	if e == nil {
		e = &pkgEntry{name: p.Name, versions: map[string]*versionEntry{}, tags: map[string]string{}}
		r.pkgs[p.Name] = e
	}
	t := p.Time
	if t.IsZero() {
		r.clock = r.clock.Add(time.Hour)
		t = r.clock
	}
	e.versions[p.Version] = &versionEntry{pub: pub, time: t}
	return pub
}

// AddRaw serves body verbatim as the packument of name (for documents in
// odd historical shapes). Tarballs are not served for it.
func (r *Registry) AddRaw(name string, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pkgs[name] = &pkgEntry{name: name, raw: body, versions: map[string]*versionEntry{}, tags: map[string]string{}}
}

// TarballURL is where Add serves a version's tarball:
// <URL>/<name>/-/<basename>-<version>.tgz, the scope not repeated.
func (r *Registry) TarballURL(name, version string) string {
	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
	}
	return r.URL() + name + "/-/" + base + "-" + version + ".tgz"
}

// SetTag points a dist-tag at a version; an empty version removes the tag.
// Without a `latest` tag, latest is the highest non-prerelease version (or
// the highest version when all are prereleases).
func (r *Registry) SetTag(name, tag, version string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.pkgs[name]
	if e == nil {
		r.t.Fatalf("fakeregistry: SetTag on unknown package %q", name)
		return
	}
	if version == "" {
		delete(e.tags, tag)
	} else {
		e.tags[tag] = version
	}
}

// SetTime sets a version's publish time.
func (r *Registry) SetTime(name, version string, t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.version(name, version); v != nil {
		v.time = t
	}
}

// SetTimeLayout sets the Go time layout of `time` values (default
// "2006-01-02T15:04:05.000Z07:00", i.e. `...000Z`; use
// "2006-01-02T15:04:05.000000-07:00" for the `+00:00` style some mirrors
// write).
func (r *Registry) SetTimeLayout(layout string) {
	r.mu.Lock()
	r.timeLayout = layout
	r.mu.Unlock()
}

// Deprecate sets or (with "") clears a version's deprecation message.
func (r *Registry) Deprecate(name, version, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.version(name, version); v != nil {
		if message == "" {
			delete(v.pub.Manifest, "deprecated")
		} else {
			v.pub.Manifest["deprecated"] = message
		}
	}
}

// Remove deletes a version, or the whole package when version is "".
func (r *Registry) Remove(name, version string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if version == "" {
		delete(r.pkgs, name)
		return
	}
	if e := r.pkgs[name]; e != nil {
		delete(e.versions, version)
	}
}

func (r *Registry) version(name, version string) *versionEntry {
	e := r.pkgs[name]
	if e == nil || e.versions[version] == nil {
		r.t.Fatalf("fakeregistry: unknown version %s@%s", name, version)
		return nil
	}
	return e.versions[version]
}

// RequireToken makes every request except /-/ping need
// `Authorization: Bearer <token>`; "" turns auth off.
func (r *Registry) RequireToken(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if token == "" {
		r.auth = ""
	} else {
		r.auth = "Bearer " + token
	}
}

// RequireBasic makes every request need Basic credentials.
func (r *Registry) RequireBasic(user, password string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// FailNext makes the next n requests fail with status (500 when 0).
func (r *Registry) FailNext(n, status int) {
	if status == 0 {
		status = http.StatusInternalServerError
	}
	r.mu.Lock()
	r.failNext, r.failStatus = n, status
	r.mu.Unlock()
}

// HangUpNext makes the next n requests close the connection without an
// answer (a network error for the client).
func (r *Registry) HangUpNext(n int) {
	r.mu.Lock()
	r.hangUpNext = n
	r.mu.Unlock()
}

// TruncateNext makes the next n answers stop half-way through the body
// (the connection is cut after half the announced Content-Length).
func (r *Registry) TruncateNext(n int) {
	r.mu.Lock()
	r.truncNext = n
	r.mu.Unlock()
}

// CorruptTarball makes the version's tarball be served with one byte
// changed (so its integrity no longer matches), or restores it.
func (r *Registry) CorruptTarball(name, version string, corrupt bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.version(name, version); v != nil {
		v.corrupt = corrupt
	}
}

// SetDelay delays every answer (to observe progress or concurrency).
func (r *Registry) SetDelay(d time.Duration) {
	r.mu.Lock()
	r.delay = d
	r.mu.Unlock()
}

// ServeAbbreviated controls content negotiation: when false, packuments
// are always full, like the mirror on this machine. Default true.
func (r *Registry) ServeAbbreviated(on bool) {
	r.mu.Lock()
	r.abbreviated = on
	r.mu.Unlock()
}

// ServeGzip controls gzip responses to clients that accept them. Default
// true.
func (r *Registry) ServeGzip(on bool) {
	r.mu.Lock()
	r.gzip = on
	r.mu.Unlock()
}

// SetMaxAge sets Cache-Control max-age on packuments. With 0, the
// default, no Cache-Control is sent and clients revalidate every time.
func (r *Registry) SetMaxAge(seconds int) {
	r.mu.Lock()
	r.maxAge = seconds
	r.mu.Unlock()
}

// Requests returns a copy of the request log.
func (r *Registry) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.log...)
}

// ResetLog clears the request log and the in-flight high-water mark.
func (r *Registry) ResetLog() {
	r.mu.Lock()
	r.log = nil
	r.maxInFlight = r.inFlight
	r.mu.Unlock()
}

// MaxInFlight is the most requests the registry was handling at once.
func (r *Registry) MaxInFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxInFlight
}

// Count returns how many logged requests were of kind ("packument",
// "tarball", "version", "" for any) for name ("" for any).
func (r *Registry) Count(kind, name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, q := range r.log {
		if (kind == "" || q.Kind == kind) && (name == "" || q.Name == name) {
			n++
		}
	}
	return n
}

// packageJSON builds the package.json text and the version document.
func packageJSON(p Pkg) ([]byte, map[string]any) {
	m := map[string]any{"name": p.Name, "version": p.Version}
	put := func(k string, v map[string]string) {
		if len(v) > 0 {
			m[k] = v
		}
	}
	put("dependencies", p.Deps)
	put("devDependencies", p.DevDeps)
	put("optionalDependencies", p.OptionalDeps)
	put("peerDependencies", p.PeerDeps)
	put("bin", p.Bin)
	put("scripts", p.Scripts)
	put("engines", p.Engines)
	if len(p.PeerMeta) > 0 {
		m["peerDependenciesMeta"] = p.PeerMeta
	}
	if len(p.OS) > 0 {
		m["os"] = p.OS
	}
	if len(p.CPU) > 0 {
		m["cpu"] = p.CPU
	}
	if len(p.Libc) > 0 {
		m["libc"] = p.Libc
	}
	if len(p.Bundled) > 0 {
		m["bundleDependencies"] = p.Bundled
	}
	if p.License != "" {
		m["license"] = p.License
	}
	for k, v := range p.Extra {
		m[k] = v
	}
	if s, ok := p.Files["package.json"]; ok {
		var own map[string]any
		if json.Unmarshal([]byte(s), &own) == nil {
			own["name"], own["version"] = p.Name, p.Version
			return []byte(s), own
		}
		return []byte(s), m
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	// the version document must not alias the maps the caller may reuse
	var doc map[string]any
	json.Unmarshal(b, &doc)
	return append(b, '\n'), doc
}

// tarballTime is the mtime npm writes into every tarball entry.
var tarballTime = time.Date(1985, 10, 26, 8, 15, 0, 0, time.UTC)

func buildTarball(p Pkg, pj []byte) ([]byte, error) {
	files := map[string]string{}
	for k, v := range p.Files {
		files[k] = v
	}
	files["package.json"] = string(pj)
	bins := map[string]bool{}
	for _, target := range p.Bin {
		t := path.Clean(strings.TrimPrefix(target, "./"))
		bins[t] = true
		if _, ok := files[t]; !ok {
			files[t] = "#!/usr/bin/env node\nconsole.log(" + fmt.Sprintf("%q", p.Name+"@"+p.Version) + ")\n"
		}
	}
	names := make([]string, 0, len(files))
	for k := range files {
		names = append(names, k)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range names {
		mode := os.FileMode(0o644)
		if bins[path.Clean(name)] {
			mode = 0o755
		}
		if m, ok := p.Modes[name]; ok {
			mode = m
		}
		body := files[name]
		hdr := &tar.Header{
			Name:     "package/" + name,
			Mode:     int64(mode.Perm()),
			Size:     int64(len(body)),
			ModTime:  tarballTime,
			Typeflag: tar.TypeReg,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func countFiles(p Pkg) int {
	n := len(p.Files)
	if _, ok := p.Files["package.json"]; !ok {
		n++
	}
	return n
}

func unpackedSize(p Pkg, pj []byte) int {
	n := 0
	for k, v := range p.Files {
		if k != "package.json" {
			n += len(v)
		}
	}
	return n + len(pj)
}

// latest is the highest non-prerelease version, else the highest.
func latest(versions map[string]*versionEntry) string {
	best, bestPre := "", ""
	for v := range versions {
		if isPrerelease(v) {
			if bestPre == "" || compareVersions(v, bestPre) > 0 {
				bestPre = v
			}
		} else if best == "" || compareVersions(v, best) > 0 {
			best = v
		}
	}
	if best == "" {
		return bestPre
	}
	return best
}

func etagOf(b []byte) string {
	s := sha256.Sum256(b)
	return `"` + hex.EncodeToString(s[:12]) + `"`
}
