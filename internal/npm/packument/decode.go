package packument

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// decodeStd is the reference decoder, built on encoding/json: the fast
// decoder in fast.go is tested against it. A value of an unexpected type
// does not stop encoding/json (it skips the value and reports the first
// such error at the end), so when that happens a second, targeted pass
// recovers the dependency maps of old documents (arrays of names, objects
// with non-string values) and the document is kept. typeErr reports that
// this happened.
func decodeStd(data []byte) (p *Packument, typeErr bool, err error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, false, fmt.Errorf("packument: not a JSON object")
	}
	p = &Packument{}
	err = json.Unmarshal(data, p)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return nil, false, fmt.Errorf("packument: %w", err)
	}
	if err != nil {
		typeErr = true
		repairDeps(data, p)
	}
	finish(p)
	return p, typeErr, nil
}

// finish fills what a document leaves out and normalises every version.
func finish(p *Packument) {
	if p.Name == "" {
		p.Name = p.ID
	}
	if p.DistTags == nil {
		p.DistTags = map[string]string{}
	}
	if p.Versions == nil {
		p.Versions = map[string]*Manifest{}
	}
	for v, m := range p.Versions {
		if m == nil {
			delete(p.Versions, v)
			continue
		}
		if m.Version == "" {
			m.Version = v
		}
		if m.Name == "" {
			m.Name = p.Name
		}
		m.Normalize()
	}
}

// decodeManifestStd is the encoding/json reference for DecodeManifest.
func decodeManifestStd(data []byte) (*Manifest, error) {
	m := &Manifest{}
	err := json.Unmarshal(data, m)
	var typeErr *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &typeErr) {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err != nil {
		var raw depsRaw
		if json.Unmarshal(data, &raw) == nil {
			raw.apply(m)
		}
	}
	m.Normalize()
	return m, nil
}

type depsRaw struct {
	Dependencies         json.RawMessage `json:"dependencies"`
	OptionalDependencies json.RawMessage `json:"optionalDependencies"`
	PeerDependencies     json.RawMessage `json:"peerDependencies"`
	DevDependencies      json.RawMessage `json:"devDependencies"`
	PeerDependenciesMeta json.RawMessage `json:"peerDependenciesMeta"`
	Scripts              json.RawMessage `json:"scripts"`
}

func repairDeps(data []byte, p *Packument) {
	var raw struct {
		Versions map[string]depsRaw `json:"versions"`
	}
	if json.Unmarshal(data, &raw) != nil {
		return
	}
	for v, r := range raw.Versions {
		if m := p.Versions[v]; m != nil {
			r.apply(m)
		}
	}
}

func (r depsRaw) apply(m *Manifest) {
	fix := func(dst *map[string]string, raw json.RawMessage) {
		if len(raw) > 0 {
			*dst = tolerantStringMap(raw, "*")
		}
	}
	fix(&m.Dependencies, r.Dependencies)
	fix(&m.OptionalDependencies, r.OptionalDependencies)
	fix(&m.PeerDependencies, r.PeerDependencies)
	fix(&m.DevDependencies, r.DevDependencies)
	fix(&m.Scripts, r.Scripts)
	if len(r.PeerDependenciesMeta) > 0 {
		var raw map[string]any
		m.PeerDependenciesMeta = nil
		if json.Unmarshal(r.PeerDependenciesMeta, &raw) == nil {
			for k, v := range raw {
				o, _ := v.(map[string]any)
				opt, _ := o["optional"].(bool)
				if m.PeerDependenciesMeta == nil {
					m.PeerDependenciesMeta = map[string]PeerDependencyMeta{}
				}
				m.PeerDependenciesMeta[k] = PeerDependencyMeta{Optional: opt}
			}
		}
	}
}

// tolerantStringMap reads {name: "range"} keeping string values, or
// ["name", ...] as {name: listValue}; anything else gives nil.
func tolerantStringMap(raw json.RawMessage, listValue string) map[string]string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	out := map[string]string{}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok {
				out[k] = s
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out[s] = listValue
			}
		}
	default:
		return nil
	}
	return out
}

// Normalize folds the old shapes into the one the resolver reads: a string
// bin named after the package, safe bin names and paths, bundled
// dependencies as one list, and HasInstallScript derived from scripts.
func (m *Manifest) Normalize() {
	if len(m.Bin) > 0 {
		bin := make(Bin, len(m.Bin))
		for name, p := range m.Bin {
			if name == stringBinKey {
				name = m.Name
				if i := strings.LastIndexByte(name, '/'); i >= 0 {
					name = name[i+1:]
				}
			}
			name = cleanBinName(name)
			p = cleanBinPath(p)
			if name == "" || p == "" {
				continue
			}
			bin[name] = p
		}
		m.Bin = bin
	}
	if m.BundleDependencies == nil && m.BundledDependencies != nil {
		m.BundleDependencies = m.BundledDependencies
	}
	m.BundledDependencies = nil
	if b := m.BundleDependencies; b != nil && b.All {
		names := make([]string, 0, len(m.Dependencies))
		for n := range m.Dependencies {
			names = append(names, n)
		}
		sort.Strings(names)
		m.BundleDependencies = &Bundle{Names: names}
	}
	if !m.HasInstallScript && m.Scripts != nil {
		if m.Scripts["preinstall"] != "" || m.Scripts["install"] != "" || m.Scripts["postinstall"] != "" {
			m.HasInstallScript = true
		}
	}
}

// Bundled returns the names of the bundled dependencies.
func (m *Manifest) Bundled() []string {
	if m.BundleDependencies == nil {
		return nil
	}
	if m.BundleDependencies.All {
		names := make([]string, 0, len(m.Dependencies))
		for n := range m.Dependencies {
			names = append(names, n)
		}
		sort.Strings(names)
		return names
	}
	return m.BundleDependencies.Names
}

// IsOptionalPeer reports whether peerDependenciesMeta marks name optional.
func (m *Manifest) IsOptionalPeer(name string) bool {
	return m.PeerDependenciesMeta[name].Optional
}

// cleanBinName keeps the last path element of a command name, so a bin
// entry cannot place a link outside node_modules/.bin.
func cleanBinName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if name == "." || name == ".." {
		return ""
	}
	return name
}

// cleanBinPath makes a bin target relative to the package root without `..`
// escaping it.
func cleanBinPath(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	p = path.Clean("/" + p)
	return strings.TrimPrefix(p, "/")
}
