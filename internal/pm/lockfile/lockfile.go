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
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

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
	lf, err := DecodeShared(data) // data is this function's own
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lf, nil
}

// Decode parses lockfile JSON. The result does not refer to data.
func Decode(data []byte) (*Lockfile, error) {
	return decode(data, false)
}

// DecodeShared is Decode for a document its caller never modifies
// afterwards: the result's strings share data's bytes instead of a copy
// of them. A warm install reads a lockfile of 60 KB to a few MB once and
// only reads it after; every page of a copy is a page fault.
func DecodeShared(data []byte) (*Lockfile, error) {
	return decode(data, true)
}

func decode(data []byte, shared bool) (*Lockfile, error) {
	if lf, ok := decodeFast(data, shared); ok {
		lf.Indent, lf.Newline = "  ", "\n"
		if g := regexpIndent(data); g != "" {
			lf.Indent = g
		}
		if bytes.Contains(data, []byte("\r\n")) {
			lf.Newline = "\r\n"
		}
		return lf, nil
	}
	return decodeGeneric(data)
}

// decodeGeneric is Decode by way of encoding/json: for what decodeFast
// declines, and the reference it is tested against.
func decodeGeneric(data []byte) (*Lockfile, error) {
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
//
// Entries are written straight from their fields, in the order writeNice
// gives their generic form (toMap), without building that form: the maps
// cost more than the writing (encodeViaMaps in the tests keeps the
// generic path, and the two are compared).
func (lf *Lockfile) Encode(hidden bool) []byte {
	var buf bytes.Buffer
	buf.Grow(512 * (len(lf.Packages) + 1)) // a typical entry is 300-500 bytes
	indent := lf.Indent
	if indent == "" {
		indent = "  "
	}
	locs := make([]sortKey, 0, len(lf.Packages))
	for loc := range lf.Packages {
		if hidden && loc == "" {
			continue
		}
		locs = append(locs, newSortKey(loc, true))
	}
	slices.SortFunc(locs, compareKeys)
	// The document's keys in writeNice's order: name, version,
	// lockfileVersion and requires (scalars, preferred keys), then packages.
	buf.WriteString("{\n")
	if lf.Name != "" {
		buf.WriteString(indent)
		buf.WriteString(`"name": `)
		manifest.QuoteJS(&buf, lf.Name)
		buf.WriteString(",\n")
	}
	if lf.Version != "" {
		buf.WriteString(indent)
		buf.WriteString(`"version": `)
		manifest.QuoteJS(&buf, lf.Version)
		buf.WriteString(",\n")
	}
	buf.WriteString(indent)
	buf.WriteString(`"lockfileVersion": `)
	buf.WriteString(strconv.Itoa(lf.LockfileVersion))
	buf.WriteString(",\n")
	buf.WriteString(indent)
	buf.WriteString(`"requires": true,` + "\n")
	buf.WriteString(indent)
	buf.WriteString(`"packages": `)
	if len(locs) == 0 {
		buf.WriteString("{}")
	} else {
		cur := indent + indent
		buf.WriteByte('{')
		var fields []field
		for i := range locs {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
			buf.WriteString(cur)
			manifest.QuoteJS(&buf, locs[i].k)
			buf.WriteString(": ")
			fields = lf.Packages[locs[i].k].fields(fields[:0])
			writeFields(&buf, fields, indent, cur)
		}
		buf.WriteByte('\n')
		buf.WriteString(indent)
		buf.WriteByte('}')
	}
	buf.WriteString("\n}\n")
	if lf.Newline == "\r\n" {
		return bytes.ReplaceAll(buf.Bytes(), []byte("\n"), []byte("\r\n"))
	}
	return buf.Bytes()
}

// field is one key of an entry with its value in the shape the entry holds
// it: a string, true, a string map, a string list, or anything else
// (written by writeNice).
type field struct {
	sortKey
	kind fieldKind
	s    string
	sm   map[string]string
	ss   []string
	v    any
}

type fieldKind uint8

const (
	fString fieldKind = iota
	fTrue
	fStrMap // written even when empty ({})
	fStrs
	fAny
)

// fields lists p's keys as toMap would hold them, sorted as writeNice
// sorts them.
func (p *Package) fields(fs []field) []field {
	// set adds k, replacing an extra field of that name as toMap does.
	set := func(f field) {
		for i := range fs {
			if fs[i].k == f.k {
				fs[i] = f
				return
			}
		}
		fs = append(fs, f)
	}
	for k, v := range p.Extra {
		fs = append(fs, field{sortKey: newSortKey(k, isObj(v)), kind: fAny, v: v})
	}
	str := func(k, v string) {
		if v != "" {
			set(field{sortKey: newSortKey(k, false), kind: fString, s: v})
		}
	}
	flag := func(k string, v bool) {
		if v {
			set(field{sortKey: newSortKey(k, false), kind: fTrue})
		}
	}
	strMap := func(k string, v map[string]string) {
		if len(v) > 0 {
			set(field{sortKey: newSortKey(k, true), kind: fStrMap, sm: v})
		}
	}
	strs := func(k string, v []string) {
		if len(v) > 0 {
			set(field{sortKey: newSortKey(k, false), kind: fStrs, ss: v})
		}
	}
	anyVal := func(k string, v any) {
		set(field{sortKey: newSortKey(k, isObj(v)), kind: fAny, v: v})
	}
	str("name", p.Name)
	str("version", p.Version)
	str("resolved", p.Resolved)
	str("integrity", p.Integrity)
	flag("link", p.Link)
	if p.Extraneous {
		flag("extraneous", true)
	} else {
		flag("peer", p.Peer)
		flag("dev", p.Dev)
		flag("optional", p.Optional)
		flag("devOptional", p.DevOptional && !p.Dev && !p.Optional)
	}
	flag("inBundle", p.InBundle)
	flag("hasInstallScript", p.HasInstallScript)
	flag("hasShrinkwrap", p.HasShrinkwrap)
	str("license", p.License)
	str("deprecated", p.Deprecated)
	strMap("dependencies", p.Dependencies)
	// npm keeps an empty devDependencies object of the root (it copies the
	// field whenever package.json has it); other empty maps are left out.
	if p.DevDependencies != nil {
		set(field{sortKey: newSortKey("devDependencies", true), kind: fStrMap, sm: p.DevDependencies})
	}
	strMap("optionalDependencies", p.OptionalDependencies)
	strMap("peerDependencies", p.PeerDependencies)
	if len(p.PeerDependenciesMeta) > 0 {
		anyVal("peerDependenciesMeta", p.PeerDependenciesMeta)
	}
	strMap("bin", p.Bin)
	if !emptyJSON(p.Engines) {
		anyVal("engines", p.Engines)
	}
	if !emptyJSON(p.Funding) {
		anyVal("funding", p.Funding)
	}
	strs("os", p.Os)
	strs("cpu", p.CPU)
	strs("libc", p.Libc)
	slices.SortFunc(fs, func(a, b field) int { return compareKeys(a.sortKey, b.sortKey) })
	return fs
}

// writeFields writes an object of fields (already sorted) at depth cur.
func writeFields(buf *bytes.Buffer, fs []field, indent, cur string) {
	if len(fs) == 0 {
		buf.WriteString("{}")
		return
	}
	next := cur + indent
	buf.WriteByte('{')
	for i := range fs {
		f := &fs[i]
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		buf.WriteString(next)
		manifest.QuoteJS(buf, f.k)
		buf.WriteString(": ")
		switch f.kind {
		case fString:
			manifest.QuoteJS(buf, f.s)
		case fTrue:
			buf.WriteString("true")
		case fStrMap:
			writeStringMap(buf, f.sm, indent, next)
		case fStrs:
			if len(f.ss) == 0 {
				buf.WriteString("[]")
				break
			}
			inner := next + indent
			buf.WriteByte('[')
			for j, s := range f.ss {
				if j > 0 {
					buf.WriteByte(',')
				}
				buf.WriteByte('\n')
				buf.WriteString(inner)
				manifest.QuoteJS(buf, s)
			}
			buf.WriteByte('\n')
			buf.WriteString(next)
			buf.WriteByte(']')
		default:
			writeNice(buf, f.v, indent, next)
		}
	}
	buf.WriteByte('\n')
	buf.WriteString(cur)
	buf.WriteByte('}')
}

// writeStringMap is writeNice for a map of strings: every value a scalar,
// so only the preferred keys and LocaleCompare order the keys.
func writeStringMap(buf *bytes.Buffer, m map[string]string, indent, cur string) {
	if len(m) == 0 {
		buf.WriteString("{}")
		return
	}
	var small [16]sortKey
	keys := small[:0]
	for k := range m {
		keys = append(keys, newSortKey(k, false))
	}
	slices.SortFunc(keys, compareKeys)
	next := cur + indent
	buf.WriteByte('{')
	for i := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		buf.WriteString(next)
		manifest.QuoteJS(buf, keys[i].k)
		buf.WriteString(": ")
		manifest.QuoteJS(buf, m[keys[i].k])
	}
	buf.WriteByte('\n')
	buf.WriteString(cur)
	buf.WriteByte('}')
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
// integers instead of collating two strings. Built on first use: package
// initialisation runs in every gnode command.
var knownKeyRank = sync.OnceValue(func() map[string]int {
	keys := []string{"bin", "cpu", "deprecated", "dev", "devDependencies", "devOptional", "engines",
		"extraneous", "funding", "hasInstallScript", "hasShrinkwrap", "inBundle", "libc", "license", "link",
		"optional", "optionalDependencies", "os", "peer", "peerDependencies", "peerDependenciesMeta", "workspaces"}
	sort.Slice(keys, func(i, j int) bool { return manifest.LocaleCompare(keys[i], keys[j]) < 0 })
	r := make(map[string]int, len(keys))
	for i, k := range keys {
		r[k] = i + 1
	}
	return r
})

// sortKey is a key with its class looked up once, not at every comparison.
type sortKey struct {
	k          string
	obj, fast  bool // fast: manifest.LocaleFast(k)
	pref, rank int
}

func newSortKey(k string, obj bool) sortKey {
	sk := sortKey{k: k, obj: obj, pref: prefKeys[k], rank: knownKeyRank()[k]}
	if sk.pref == 0 && sk.rank == 0 {
		sk.fast = manifest.LocaleFast(k)
	}
	return sk
}

// compareKeys is json-stringify-nice's order: scalars and arrays before
// objects, then the preferred keys in their order, then localeCompare.
func compareKeys(a, b sortKey) int {
	if a.obj != b.obj {
		if b.obj {
			return -1
		}
		return 1
	}
	switch {
	case a.pref > 0 && b.pref > 0:
		return cmp.Compare(a.pref, b.pref)
	case a.pref > 0:
		return -1
	case b.pref > 0:
		return 1
	}
	if a.rank > 0 && b.rank > 0 {
		return cmp.Compare(a.rank, b.rank)
	}
	if a.fast && b.fast {
		return manifest.LocaleCompareFast(a.k, b.k)
	}
	return manifest.LocaleCompare(a.k, b.k)
}

func sortedKeys(m map[string]any) []string {
	sk := make([]sortKey, 0, len(m))
	for k, v := range m {
		sk = append(sk, newSortKey(k, isObj(v)))
	}
	slices.SortFunc(sk, compareKeys)
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
