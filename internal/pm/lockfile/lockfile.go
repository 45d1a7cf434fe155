// Package lockfile reads and writes package-lock.json version 3 exactly as
// npm 11 does, and the hidden lockfile node_modules/.package-lock.json.
//
// npm serializes with json-stringify-nice: in every object, scalar and array
// values come before object values; within each group the keys name,
// version, lockfileVersion, resolved, integrity, requires, packages and
// dependencies come first in that order and the rest follow in
// localeCompare('en') order. Encode reproduces that ordering so a lockfile
// written by gnode diffs cleanly against one written by npm.
package lockfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gnode/internal/pm/manifest"
)

// Package is one entry of "packages", keyed by its folder relative to the
// project ("" for the root, "node_modules/a/node_modules/b" for a nested one).
type Package struct {
	Name        string // set for the root and for aliases (the real package name)
	Version     string
	Resolved    string
	Integrity   string
	Link        bool
	Dev         bool
	Optional    bool
	DevOptional bool
	Peer        bool
	InBundle    bool
	Extraneous  bool

	HasInstallScript bool
	HasShrinkwrap    bool
	License          string
	Deprecated       string

	Dependencies         map[string]string
	DevDependencies      map[string]string
	OptionalDependencies map[string]string
	PeerDependencies     map[string]string
	PeerDependenciesMeta map[string]any
	Bin                  map[string]string
	Engines              any
	Funding              any
	Os, CPU, Libc        []string

	// Extra keeps fields gnode does not interpret, so they survive a rewrite.
	Extra map[string]any
}

// Lockfile is a package-lock.json (or hidden lockfile) document.
type Lockfile struct {
	Name            string
	Version         string
	LockfileVersion int
	Packages        map[string]*Package
	Indent          string // from package.json, "  " by default
	Newline         string
}

// New returns an empty version 3 lockfile.
func New() *Lockfile {
	return &Lockfile{LockfileVersion: 3, Packages: map[string]*Package{}, Indent: "  ", Newline: "\n"}
}

// ErrUnsupportedVersion is returned for lockfiles without a "packages" section
// (lockfileVersion 1), which would need the full legacy conversion.
var ErrUnsupportedVersion = errors.New("unsupported lockfile version")

// Read loads a lockfile; a missing file returns an error wrapping os.ErrNotExist.
func Read(path string) (*Lockfile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lf, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lf, nil
}

// Decode parses lockfile JSON.
func Decode(data []byte) (*Lockfile, error) {
	// One pass over the document: the entries are decoded straight into
	// generic maps (numbers kept as written) instead of being copied out as
	// raw messages and decoded again one by one, which took twice the CPU
	// on a 1,000-package lockfile.
	var raw struct {
		Name            string                    `json:"name"`
		Version         string                    `json:"version"`
		LockfileVersion int                       `json:"lockfileVersion"`
		Packages        map[string]map[string]any `json:"packages"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&raw)
	if err == nil && len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		err = errors.New("invalid character after top-level value")
	}
	if err != nil {
		// A broken lockfile is explained by the two-pass decoder, which
		// names the entry at fault.
		return decodeTwoPass(data)
	}
	if raw.Packages == nil {
		return nil, fmt.Errorf("%w %d: only lockfileVersion 2 and 3 are read; run `npm install` once with npm 7 or later to upgrade it", ErrUnsupportedVersion, raw.LockfileVersion)
	}
	lf := New()
	lf.Name, lf.Version, lf.LockfileVersion = raw.Name, raw.Version, raw.LockfileVersion
	if lf.LockfileVersion < 3 {
		lf.LockfileVersion = 3 // npm rewrites v2 as v3 too
	}
	if g := regexpIndent(data); g != "" {
		lf.Indent = g
	}
	if bytes.Contains(data, []byte("\r\n")) {
		lf.Newline = "\r\n"
	}
	lf.Packages = make(map[string]*Package, len(raw.Packages))
	for loc, m := range raw.Packages {
		lf.Packages[loc] = packageFromMap(m) // null is an empty entry
	}
	return lf, nil
}

// decodeTwoPass is Decode by way of raw messages, one entry at a time: the
// slower path, kept for its errors.
func decodeTwoPass(data []byte) (*Lockfile, error) {
	var raw struct {
		Name            string                     `json:"name"`
		Version         string                     `json:"version"`
		LockfileVersion int                        `json:"lockfileVersion"`
		Packages        map[string]json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		if _, perr := manifest.Parse("package-lock.json", data); perr != nil {
			return nil, perr
		}
		return nil, fmt.Errorf("invalid lockfile: %w", err)
	}
	if raw.Packages == nil {
		return nil, fmt.Errorf("%w %d: only lockfileVersion 2 and 3 are read; run `npm install` once with npm 7 or later to upgrade it", ErrUnsupportedVersion, raw.LockfileVersion)
	}
	lf := New()
	lf.Name, lf.Version, lf.LockfileVersion = raw.Name, raw.Version, raw.LockfileVersion
	if lf.LockfileVersion < 3 {
		lf.LockfileVersion = 3
	}
	if g := regexpIndent(data); g != "" {
		lf.Indent = g
	}
	if bytes.Contains(data, []byte("\r\n")) {
		lf.Newline = "\r\n"
	}
	for loc, msg := range raw.Packages {
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("invalid lockfile entry %q: %w", loc, err)
		}
		lf.Packages[loc] = packageFromMap(m)
	}
	return lf, nil
}

func regexpIndent(data []byte) string {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return ""
	}
	rest := data[i+1:]
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
		j++
	}
	return string(rest[:j])
}

func packageFromMap(m map[string]any) *Package {
	p := &Package{}
	for k, v := range m {
		switch k {
		case "name":
			p.Name = asString(v)
		case "version":
			p.Version = asString(v)
		case "resolved":
			p.Resolved = asString(v)
		case "integrity":
			p.Integrity = asString(v)
		case "link":
			p.Link = v == true
		case "dev":
			p.Dev = v == true
		case "optional":
			p.Optional = v == true
		case "devOptional":
			p.DevOptional = v == true
		case "peer":
			p.Peer = v == true
		case "inBundle":
			p.InBundle = v == true
		case "extraneous":
			p.Extraneous = v == true
		case "hasInstallScript":
			p.HasInstallScript = v == true
		case "hasShrinkwrap":
			p.HasShrinkwrap = v == true
		case "license":
			if s, ok := v.(string); ok {
				p.License = s
			} else {
				p.extra(k, v)
			}
		case "deprecated":
			p.Deprecated = asString(v)
		case "dependencies":
			p.Dependencies = asStringMap(v)
		case "devDependencies":
			p.DevDependencies = asStringMap(v)
		case "optionalDependencies":
			p.OptionalDependencies = asStringMap(v)
		case "peerDependencies":
			p.PeerDependencies = asStringMap(v)
		case "peerDependenciesMeta":
			p.PeerDependenciesMeta, _ = v.(map[string]any)
		case "bin":
			p.Bin = asStringMap(v)
		case "engines":
			p.Engines = v
		case "funding":
			p.Funding = v
		case "os":
			p.Os = asStrings(v)
		case "cpu":
			p.CPU = asStrings(v)
		case "libc":
			p.Libc = asStrings(v)
		default:
			p.extra(k, v)
		}
	}
	return p
}

func (p *Package) extra(k string, v any) {
	if p.Extra == nil {
		p.Extra = map[string]any{}
	}
	p.Extra[k] = v
}

func asString(v any) string { s, _ := v.(string); return s }

func asStringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	return out
}

func asStrings(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, e := range a {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// toMap converts an entry to the generic form that Encode sorts.
func (p *Package) toMap() map[string]any {
	m := map[string]any{}
	for k, v := range p.Extra {
		m[k] = v
	}
	setS := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	setB := func(k string, v bool) {
		if v {
			m[k] = true
		}
	}
	setM := func(k string, v map[string]string) {
		if len(v) > 0 {
			mm := make(map[string]any, len(v))
			for a, b := range v {
				mm[a] = b
			}
			m[k] = mm
		}
	}
	setA := func(k string, v []string) {
		if len(v) > 0 {
			a := make([]any, len(v))
			for i, s := range v {
				a[i] = s
			}
			m[k] = a
		}
	}
	setS("name", p.Name)
	setS("version", p.Version)
	setS("resolved", p.Resolved)
	setS("integrity", p.Integrity)
	setB("link", p.Link)
	if p.Extraneous {
		m["extraneous"] = true
	} else {
		setB("peer", p.Peer)
		setB("dev", p.Dev)
		setB("optional", p.Optional)
		setB("devOptional", p.DevOptional && !p.Dev && !p.Optional)
	}
	setB("inBundle", p.InBundle)
	setB("hasInstallScript", p.HasInstallScript)
	setB("hasShrinkwrap", p.HasShrinkwrap)
	setS("license", p.License)
	setS("deprecated", p.Deprecated)
	setM("dependencies", p.Dependencies)
	// npm keeps an empty devDependencies object of the root (it copies the
	// field whenever package.json has it); other empty maps are left out.
	if p.DevDependencies != nil {
		setM("devDependencies", p.DevDependencies)
		if len(p.DevDependencies) == 0 {
			m["devDependencies"] = map[string]any{}
		}
	}
	setM("optionalDependencies", p.OptionalDependencies)
	setM("peerDependencies", p.PeerDependencies)
	if len(p.PeerDependenciesMeta) > 0 {
		m["peerDependenciesMeta"] = p.PeerDependenciesMeta
	}
	setM("bin", p.Bin)
	if !emptyJSON(p.Engines) {
		m["engines"] = p.Engines
	}
	if !emptyJSON(p.Funding) {
		m["funding"] = p.Funding
	}
	setA("os", p.Os)
	setA("cpu", p.CPU)
	setA("libc", p.Libc)
	return m
}

// emptyJSON mirrors npm's metaFieldFromPkg: falsy values and empty objects are left out.
func emptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case map[string]any:
		return len(x) == 0
	case map[string]string:
		return len(x) == 0
	}
	return false
}

// Encode renders the lockfile as npm writes it. A hidden lockfile has no
// root ("") entry.
func (lf *Lockfile) Encode(hidden bool) []byte {
	pk := map[string]any{}
	for loc, p := range lf.Packages {
		if hidden && loc == "" {
			continue
		}
		pk[loc] = p.toMap()
	}
	doc := map[string]any{"lockfileVersion": json.Number(strconv.Itoa(lf.LockfileVersion)), "requires": true, "packages": pk}
	if lf.Name != "" {
		doc["name"] = lf.Name
	}
	if lf.Version != "" {
		doc["version"] = lf.Version
	}
	var buf bytes.Buffer
	buf.Grow(512 * (len(lf.Packages) + 1)) // a typical entry is 300-500 bytes
	indent := lf.Indent
	if indent == "" {
		indent = "  "
	}
	writeNice(&buf, doc, indent, "")
	buf.WriteByte('\n')
	if lf.Newline == "\r\n" {
		return bytes.ReplaceAll(buf.Bytes(), []byte("\n"), []byte("\r\n"))
	}
	return buf.Bytes()
}

// Write saves the lockfile atomically (temp file + rename).
func (lf *Lockfile) Write(path string, hidden bool) error {
	return manifest.WriteFileAtomic(path, lf.Encode(hidden))
}

var prefKeys = map[string]int{"name": 1, "version": 2, "lockfileVersion": 3, "resolved": 4, "integrity": 5, "requires": 6, "packages": 7, "dependencies": 8}

func isObj(v any) bool {
	switch v.(type) {
	case map[string]any, map[string]string:
		return true
	}
	return false
}

// knownKeyRank orders the keys lockfile entries usually have by
// LocaleCompare once, so sorting an entry's keys compares two small
// integers instead of collating two strings.
var knownKeyRank = func() map[string]int {
	keys := []string{"bin", "cpu", "deprecated", "dev", "devDependencies", "devOptional", "engines",
		"extraneous", "funding", "hasInstallScript", "hasShrinkwrap", "inBundle", "libc", "license", "link",
		"optional", "optionalDependencies", "os", "peer", "peerDependencies", "peerDependenciesMeta", "workspaces"}
	sort.Slice(keys, func(i, j int) bool { return manifest.LocaleCompare(keys[i], keys[j]) < 0 })
	r := make(map[string]int, len(keys))
	for i, k := range keys {
		r[k] = i + 1
	}
	return r
}()

func sortedKeys(m map[string]any) []string {
	// Each key's class is looked up once, not at every comparison.
	type sortKey struct {
		k          string
		obj        bool
		pref, rank int
	}
	sk := make([]sortKey, 0, len(m))
	for k, v := range m {
		sk = append(sk, sortKey{k: k, obj: isObj(v), pref: prefKeys[k], rank: knownKeyRank[k]})
	}
	sort.Slice(sk, func(i, j int) bool {
		a, b := &sk[i], &sk[j]
		if a.obj != b.obj {
			return b.obj
		}
		switch {
		case a.pref > 0 && b.pref > 0:
			return a.pref < b.pref
		case a.pref > 0:
			return true
		case b.pref > 0:
			return false
		}
		if a.rank > 0 && b.rank > 0 {
			return a.rank < b.rank
		}
		return manifest.LocaleCompare(a.k, b.k) < 0
	})
	keys := make([]string, len(sk))
	for i := range sk {
		keys[i] = sk[i].k
	}
	return keys
}

func writeNice(buf *bytes.Buffer, v any, indent, cur string) {
	next := cur + indent
	switch x := v.(type) {
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		writeNice(buf, m, indent, cur)
	case map[string]any:
		if len(x) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
			buf.WriteString(next)
			manifest.QuoteJS(buf, k)
			buf.WriteString(": ")
			writeNice(buf, x[k], indent, next)
		}
		buf.WriteByte('\n')
		buf.WriteString(cur)
		buf.WriteByte('}')
	case []any:
		if len(x) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
			buf.WriteString(next)
			writeNice(buf, e, indent, next)
		}
		buf.WriteByte('\n')
		buf.WriteString(cur)
		buf.WriteByte(']')
	case []string:
		a := make([]any, len(x))
		for i, s := range x {
			a[i] = s
		}
		writeNice(buf, a, indent, cur)
	case string:
		manifest.QuoteJS(buf, x)
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case json.Number:
		buf.WriteString(string(x))
	case float64:
		buf.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case nil:
		buf.WriteString("null")
	default:
		b, _ := json.Marshal(x)
		buf.Write(b)
	}
}

// Locations returns the package locations sorted as npm lists them.
func (lf *Lockfile) Locations() []string {
	locs := make([]string, 0, len(lf.Packages))
	for l := range lf.Packages {
		locs = append(locs, l)
	}
	sort.Slice(locs, func(i, j int) bool { return manifest.LocaleCompare(locs[i], locs[j]) < 0 })
	return locs
}

// NameAt returns the folder name a location installs as ("a" or "@s/a").
func NameAt(loc string) string {
	i := strings.LastIndex(loc, "node_modules/")
	if i < 0 {
		return ""
	}
	return loc[i+len("node_modules/"):]
}

// PackageName is the real package name of the entry at loc (alias aware).
func (p *Package) PackageName(loc string) string {
	if p.Name != "" {
		return p.Name
	}
	return NameAt(loc)
}
