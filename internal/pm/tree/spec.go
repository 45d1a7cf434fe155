package tree

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gnode/internal/npm/packument"
	"gnode/internal/npm/semver"
)

// depSpec is a registry dependency specifier: a range, an exact version or a
// dist-tag, possibly behind an npm: alias.
type depSpec struct {
	PackageName string
	Range       *semver.Range // nil for a tag
	Tag         string
	Raw         string // the range or tag text
}

// ErrUnsupportedSpec is returned for specifiers gnode cannot install yet.
var ErrUnsupportedSpec = errors.New("unsupported dependency specifier")

// isTag reports whether s can be a dist-tag: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
// checked by hand (a compiled regexp cost every process 42 allocations at
// start-up).
func isTag(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return s != ""
}

// parseDepSpec interprets the spec name was declared with.
func parseDepSpec(name, raw string) (depSpec, error) {
	s := strings.TrimSpace(raw)
	pkg := name
	if strings.HasPrefix(s, "npm:") {
		rest := s[4:]
		at := strings.LastIndexByte(rest, '@')
		if at <= 0 {
			pkg, s = rest, "latest"
		} else {
			pkg, s = rest[:at], rest[at+1:]
		}
		if pkg == "" {
			return depSpec{}, fmt.Errorf("%w: %s@%s has no package name after npm:", ErrUnsupportedSpec, name, raw)
		}
	}
	if s == "" {
		s = "*"
	}
	switch {
	case strings.HasPrefix(s, "file:"), strings.HasPrefix(s, "link:"), strings.HasPrefix(s, "./"),
		strings.HasPrefix(s, "../"), strings.HasPrefix(s, "/"), strings.HasPrefix(s, "~/"):
		// Valid ones are resolved before this (see nonRegistry).
		return depSpec{}, fmt.Errorf("%w: %s@%s is not a valid file: folder or tarball specifier (write file:../path, relative to the package.json)", ErrUnsupportedSpec, name, raw)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return depSpec{}, fmt.Errorf("%w: %s@%s is not a valid tarball URL", ErrUnsupportedSpec, name, raw)
	case strings.HasPrefix(s, "git"), strings.HasPrefix(s, "github:"), strings.HasPrefix(s, "gitlab:"),
		strings.HasPrefix(s, "bitbucket:"), strings.HasPrefix(s, "gist:"):
		if !isTag(s) {
			return depSpec{}, fmt.Errorf("%w: %s@%s: git dependencies are not supported yet", ErrUnsupportedSpec, name, raw)
		}
	}
	if r, err := parseRange(s); err == nil {
		return depSpec{PackageName: pkg, Range: r, Raw: s}, nil
	}
	if strings.Contains(s, "/") && !strings.Contains(s, " ") {
		return depSpec{}, fmt.Errorf("%w: %s@%s: git dependencies are not supported yet", ErrUnsupportedSpec, name, raw)
	}
	if isTag(s) {
		return depSpec{PackageName: pkg, Tag: s, Raw: s}, nil
	}
	return depSpec{}, fmt.Errorf("%w: %s@%s is not a valid version, range or tag", ErrUnsupportedSpec, name, raw)
}

var rangeCache sync.Map // string -> *semver.Range or error

func parseRange(s string) (*semver.Range, error) {
	if v, ok := rangeCache.Load(s); ok {
		if r, ok := v.(*semver.Range); ok {
			return r, nil
		}
		return nil, v.(error)
	}
	r, err := semver.ParseRangeLoose(s)
	if err != nil {
		rangeCache.Store(s, err)
		return nil, err
	}
	rangeCache.Store(s, r)
	return r, nil
}

var versionCache sync.Map // string -> *semver.Version

func parseVersion(s string) *semver.Version {
	if v, ok := versionCache.Load(s); ok {
		return v.(*semver.Version)
	}
	v, err := semver.ParseLoose(s)
	if err != nil {
		v = nil
	}
	versionCache.Store(s, v)
	return v
}

// satisfies reports whether version satisfies the spec (a tag is satisfied
// only by the version it points at, checked by the caller).
func (d depSpec) satisfies(version string) bool {
	if d.Range == nil {
		return false
	}
	v := parseVersion(version)
	return v != nil && d.Range.Test(v)
}

// sortedVersions returns a packument's versions in ascending order.
// sortedCache keeps each packument's sorted versions for one Build: a
// packument's ranges are picked from many times (speculatively, then by
// the resolver, once per dependent whose range the latest version does
// not satisfy), and parsing and sorting a few thousand versions each time
// was 0.1 s of a cold toolchain install. A nil cache sorts every time.
type sortedCache struct {
	mu sync.Mutex
	m  map[*packument.Packument][]*semver.Version
}

func (c *sortedCache) sorted(p *packument.Packument) []*semver.Version {
	if c == nil {
		return sortedVersions(p)
	}
	c.mu.Lock()
	vs, ok := c.m[p]
	c.mu.Unlock()
	if ok {
		return vs
	}
	vs = sortedVersions(p)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[*packument.Packument][]*semver.Version{}
	}
	c.m[p] = vs
	c.mu.Unlock()
	return vs
}

func sortedVersions(p *packument.Packument) []*semver.Version {
	vs := make([]*semver.Version, 0, p.NumVersions())
	for s := range p.VersionKeys() {
		// Parsed here, not through parseVersion's process-wide cache:
		// the list is kept per packument (sortedCache), and a version
		// string is seldom met again elsewhere, so the cache's lookup and
		// store cost four times the parse (~0.03 s of a cold toolchain
		// install's ~60,000 versions).
		if v, err := semver.ParseLoose(s); err == nil {
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return semver.Compare(vs[i], vs[j]) < 0 })
	return vs
}

// pickVersion chooses the version npm would: a preferred (locked) version
// when it satisfies, then the latest dist-tag when it satisfies, then the
// highest satisfying version that is not deprecated and fits the engines,
// then the highest satisfying one at all. Only the manifest picked is
// decoded (packument.DecodeLazy): the versions passed over are judged by
// their heads.
func pickVersion(p *packument.Packument, d depSpec, preferred []string, nodeVersion string) *packument.Manifest {
	return pickVersionFrom(p, nil, d, preferred, nodeVersion)
}

// pickVersionFrom is pickVersion with p's versions sorted by vc (nil: sort
// them here).
func pickVersionFrom(p *packument.Packument, vc *sortedCache, d depSpec, preferred []string, nodeVersion string) *packument.Manifest {
	if d.Range == nil {
		if v, ok := p.DistTags[d.Tag]; ok {
			return p.Manifest(v)
		}
		return nil
	}
	for _, pv := range preferred {
		if p.HasVersion(pv) && d.satisfies(pv) {
			return p.Manifest(pv)
		}
	}
	if lt, ok := p.DistTags["latest"]; ok {
		if p.HasVersion(lt) && d.satisfies(lt) {
			return p.Manifest(lt)
		}
	}
	vs := vc.sorted(p)
	fallback := ""
	for i := len(vs) - 1; i >= 0; i-- {
		if !d.Range.Test(vs[i]) {
			continue
		}
		key := vs[i].String()
		h, ok := p.Head(key)
		if !ok {
			if key, ok = findVersion(p, vs[i]); ok {
				h, _ = p.Head(key)
			}
		}
		if !ok {
			continue
		}
		if fallback == "" {
			fallback = key
		}
		if h.Deprecated == "" && enginesOK(h.Engines, nodeVersion) {
			return p.Manifest(key)
		}
	}
	if fallback == "" {
		return nil
	}
	return p.Manifest(fallback)
}

// findVersion is the key of p's version equal to v (a key spelled
// otherwise than v.String(), such as "v1.0.0").
func findVersion(p *packument.Packument, v *semver.Version) (string, bool) {
	for s := range p.VersionKeys() {
		if pv := parseVersion(s); pv != nil && semver.Compare(pv, v) == 0 {
			return s, true
		}
	}
	return "", false
}

func enginesOK(e packument.Engines, nodeVersion string) bool {
	want := e["node"]
	if want == "" || nodeVersion == "" {
		return true
	}
	r, err := parseRange(want)
	if err != nil {
		return true
	}
	v := parseVersion(strings.TrimPrefix(nodeVersion, "v"))
	return v == nil || r.Test(v)
}

// nearestVersions lists a few available versions around what was asked,
// for an ETARGET message: the ones just below and just above the lowest
// version the spec names, highest first.
func nearestVersions(p *packument.Packument, spec string) []string {
	vs := sortedVersions(p)
	var pivot *semver.Version
	for _, tok := range strings.FieldsFunc(spec, func(r rune) bool { return r == ' ' || r == '|' }) {
		tok = strings.TrimLeft(tok, "^~<>=v")
		tok = strings.NewReplacer(".x", ".0", ".X", ".0", ".*", ".0").Replace(tok)
		for strings.Count(tok, ".") < 2 && tok != "" {
			tok += ".0"
		}
		if v := parseVersion(tok); v != nil && (pivot == nil || semver.Compare(v, pivot) < 0) {
			pivot = v
		}
	}
	i := len(vs)
	if pivot != nil {
		i = sort.Search(len(vs), func(k int) bool { return semver.Compare(vs[k], pivot) >= 0 })
	}
	lo, hi := i-3, i+2
	if lo < 0 {
		hi -= lo
		lo = 0
	}
	if hi > len(vs) {
		lo -= hi - len(vs)
		hi = len(vs)
		if lo < 0 {
			lo = 0
		}
	}
	var out []string
	for k := hi - 1; k >= lo; k-- {
		out = append(out, vs[k].String())
	}
	return out
}

// PickManifest chooses the version of p that spec (a range, version or
// dist-tag) selects, as an install of a new dependency would.
func PickManifest(p *packument.Packument, spec, nodeVersion string) (*packument.Manifest, error) {
	ds, err := parseDepSpec(p.Name, spec)
	if err != nil {
		return nil, err
	}
	if m := pickVersion(p, ds, nil, nodeVersion); m != nil {
		return m, nil
	}
	return nil, &NoVersionError{Name: p.Name, Spec: spec, Chain: []string{"the command line"}, Nearest: nearestVersions(p, spec), Latest: p.DistTags["latest"]}
}

// IsRange reports whether spec is a semver range or version (not a tag).
func IsRange(spec string) bool {
	_, err := parseRange(spec)
	return err == nil
}

// IsExactVersion reports whether spec names one version ("1.2.3", "=1.2.3", "v1.2.3").
func IsExactVersion(spec string) bool {
	s := strings.TrimPrefix(strings.TrimSpace(spec), "=")
	return parseVersion(strings.TrimPrefix(s, "v")) != nil && !strings.ContainsAny(s, " <>^~*xX|")
}
