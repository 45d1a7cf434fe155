package packument

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Encode writes p as compact JSON in the packument shape (only the fields
// these types hold), for caches. It is a hand-written encoder because the
// registry client writes one per fetched package and reflection-based
// encoding cost a quarter of a cold install's CPU; Decode(Encode(p))
// equals p.
func Encode(p *Packument) []byte {
	b := make([]byte, 0, 4096)
	b = append(b, '{')
	first := true
	b = field(b, &first, "_id", p.ID)
	b = field(b, &first, "name", p.Name)
	b = field(b, &first, "_rev", p.Rev)
	b = field(b, &first, "modified", p.Modified)
	b = field(b, &first, "description", p.Description)
	b = mapField(b, &first, "dist-tags", p.DistTags)
	b = mapField(b, &first, "time", p.Times())
	b = key(b, &first, "versions")
	b = append(b, '{')
	all := p.AllVersions()
	vs := make([]string, 0, len(all))
	for v := range all {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, v)
		b = append(b, ':')
		b = appendManifest(b, all[v])
	}
	b = append(b, '}', '}')
	return b
}

func appendManifest(b []byte, m *Manifest) []byte {
	b = append(b, '{')
	first := true
	b = field(b, &first, "_id", m.ID)
	b = field(b, &first, "name", m.Name)
	b = field(b, &first, "version", m.Version)
	b = mapField(b, &first, "dependencies", m.Dependencies)
	b = mapField(b, &first, "optionalDependencies", m.OptionalDependencies)
	b = mapField(b, &first, "peerDependencies", m.PeerDependencies)
	if len(m.PeerDependenciesMeta) > 0 {
		b = key(b, &first, "peerDependenciesMeta")
		b = append(b, '{')
		for i, k := range sortedKeys(m.PeerDependenciesMeta) {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, k)
			if m.PeerDependenciesMeta[k].Optional {
				b = append(b, `:{"optional":true}`...)
			} else {
				b = append(b, `:{}`...)
			}
		}
		b = append(b, '}')
	}
	b = mapField(b, &first, "devDependencies", m.DevDependencies)
	b = mapField(b, &first, "acceptDependencies", m.AcceptDependencies)
	for _, bd := range []struct {
		name string
		v    *Bundle
	}{{"bundleDependencies", m.BundleDependencies}, {"bundledDependencies", m.BundledDependencies}} {
		if bd.v == nil {
			continue
		}
		b = key(b, &first, bd.name)
		if bd.v.All {
			b = append(b, "true"...)
		} else {
			b = appendList(b, bd.v.Names)
		}
	}
	b = listField(b, &first, "os", m.OS)
	b = listField(b, &first, "cpu", m.CPU)
	b = listField(b, &first, "libc", m.Libc)
	b = mapField(b, &first, "engines", m.Engines)
	b = mapField(b, &first, "bin", m.Bin)
	if m.Directories != nil {
		b = key(b, &first, "directories")
		b = append(b, '{')
		if m.Directories.Bin != "" {
			b = append(b, `"bin":`...)
			b = AppendJSONString(b, m.Directories.Bin)
		}
		b = append(b, '}')
	}
	b = mapField(b, &first, "scripts", m.Scripts)
	b = boolField(b, &first, "hasInstallScript", m.HasInstallScript)
	b = boolField(b, &first, "_hasShrinkwrap", m.HasShrinkwrap)
	b = boolField(b, &first, "gypfile", m.Gypfile)
	b = field(b, &first, "deprecated", string(m.Deprecated))
	b = key(b, &first, "dist")
	b = appendDist(b, &m.Dist)
	b = field(b, &first, "license", string(m.License))
	if len(m.Funding) > 0 {
		b = key(b, &first, "funding")
		b = append(b, m.Funding...)
	}
	return append(b, '}')
}

func appendDist(b []byte, d *Dist) []byte {
	b = append(b, `{"tarball":`...)
	b = AppendJSONString(b, d.Tarball)
	first := false
	b = field(b, &first, "integrity", d.Integrity)
	b = field(b, &first, "shasum", d.Shasum)
	if d.FileCount != 0 {
		b = key(b, &first, "fileCount")
		b = strconv.AppendInt(b, int64(d.FileCount), 10)
	}
	if d.UnpackedSize != 0 {
		b = key(b, &first, "unpackedSize")
		b = strconv.AppendInt(b, d.UnpackedSize, 10)
	}
	if len(d.Signatures) > 0 {
		b = key(b, &first, "signatures")
		b = append(b, '[')
		for i, s := range d.Signatures {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"keyid":`...)
			b = AppendJSONString(b, s.KeyID)
			b = append(b, `,"sig":`...)
			b = AppendJSONString(b, s.Sig)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if a := d.Attestations; a != nil {
		b = key(b, &first, "attestations")
		b = append(b, `{"url":`...)
		b = AppendJSONString(b, a.URL)
		b = append(b, `,"provenance":{"predicateType":`...)
		b = AppendJSONString(b, a.Provenance.PredicateType)
		b = append(b, `}}`...)
	}
	return append(b, '}')
}

func key(b []byte, first *bool, k string) []byte {
	if !*first {
		b = append(b, ',')
	}
	*first = false
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func field(b []byte, first *bool, k, v string) []byte {
	if v == "" {
		return b
	}
	b = key(b, first, k)
	return AppendJSONString(b, v)
}

func boolField(b []byte, first *bool, k string, v bool) []byte {
	if !v {
		return b
	}
	b = key(b, first, k)
	return append(b, "true"...)
}

func mapField[M ~map[string]string](b []byte, first *bool, k string, m M) []byte {
	if len(m) == 0 {
		return b
	}
	b = key(b, first, k)
	b = append(b, '{')
	for i, mk := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, mk)
		b = append(b, ':')
		b = AppendJSONString(b, m[mk])
	}
	return append(b, '}')
}

func listField(b []byte, first *bool, k string, l []string) []byte {
	if len(l) == 0 {
		return b
	}
	b = key(b, first, k)
	return appendList(b, l)
}

func appendList(b []byte, l []string) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, s)
	}
	return append(b, ']')
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string, as encoding/json writes it
// with HTML escaping off: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029
// are escaped. Other hand-written JSON encoders of the project use it too.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
