package lockfile

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// decodeFast reads the common lockfile — what npm and gnode write — with a
// scanner that fills each entry's fields directly: no reflection and no
// generic map per entry, which were most of a warm install's decoding.
// Values of other shapes (engines, funding, peerDependenciesMeta, unknown
// keys) are decoded by encoding/json exactly as Decode's generic path
// decodes them. Anything unusual — escapes in keys, invalid UTF-8, a
// duplicated location, a key encoding/json would match in another case,
// a syntax error — returns ok=false, and Decode takes the generic path,
// which gives the same result (they are compared in tests and fuzzed).
//
// shared cuts the strings from data itself instead of a copy (DecodeShared).
func decodeFast(data []byte, shared bool) (lf *Lockfile, ok bool) {
	// Strings are cut from one copy of the document (one allocation, not
	// one per string); a document that is not valid UTF-8 is the generic
	// path's (encoding/json replaces the bad bytes).
	if !utf8.Valid(data) {
		return nil, false
	}
	s := ""
	if shared {
		s = unsafe.String(unsafe.SliceData(data), len(data))
	} else {
		s = string(data)
	}
	d := &scanner{b: data, s: s}
	lf = New()
	if !d.consume('{') {
		return nil, false
	}
	seenPackages := false
	lockVersion := 0
	for first := true; ; first = false {
		d.ws()
		if d.peek() == '}' && first {
			d.i++
			break
		}
		key, ok := d.plainString()
		if !ok || !d.consume(':') {
			return nil, false
		}
		switch key {
		case "name", "version":
			d.ws()
			if d.peek() == 'n' {
				if !d.literal("null") {
					return nil, false
				}
				break // null leaves a string field as it was
			}
			s, ok := d.str()
			if !ok {
				return nil, false
			}
			if key == "name" {
				lf.Name = s
			} else {
				lf.Version = s
			}
		case "lockfileVersion":
			d.ws()
			start := d.i
			for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
				d.i++
			}
			n, err := strconv.Atoi(string(d.b[start:d.i]))
			if err != nil || d.i-start > 9 || (d.i-start > 1 && d.b[start] == '0') {
				return nil, false
			}
			lockVersion = n
		case "packages":
			if seenPackages {
				return nil, false // encoding/json merges the two
			}
			seenPackages = true
			if !d.packages(lf) {
				return nil, false
			}
		default:
			for _, k := range []string{"name", "version", "lockfileVersion", "packages"} {
				if strings.EqualFold(key, k) {
					return nil, false // encoding/json matches field names in any case
				}
			}
			if _, ok := d.value(); !ok {
				return nil, false
			}
		}
		d.ws()
		if d.consume(',') {
			continue
		}
		if d.consume('}') {
			break
		}
		return nil, false
	}
	d.ws()
	if d.i != len(d.b) || !seenPackages {
		return nil, false
	}
	lf.LockfileVersion = lockVersion
	if lf.LockfileVersion < 3 {
		lf.LockfileVersion = 3
	}
	return lf, true
}

type scanner struct {
	b []byte
	s string // b as a string: unescaped strings are its substrings
	i int
}

func (d *scanner) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *scanner) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *scanner) consume(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *scanner) literal(s string) bool {
	if bytes.HasPrefix(d.b[d.i:], []byte(s)) {
		d.i += len(s)
		return true
	}
	return false
}

// plainString reads a string without escapes (an object key).
func (d *scanner) plainString() (string, bool) {
	d.ws()
	if d.peek() != '"' {
		return "", false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.s[start:j], true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// str reads a string value; one with escapes is unquoted by encoding/json.
func (d *scanner) str() (string, bool) {
	d.ws()
	if d.peek() != '"' {
		return "", false
	}
	start := d.i + 1
	escaped := false
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			if !escaped {
				return d.s[start:j], true
			}
			var s string
			if json.Unmarshal(d.b[start-1:j+1], &s) != nil || !utf8.ValidString(s) {
				return "", false
			}
			return s, true
		case c == '\\':
			escaped = true
			j++
		case c < 0x20:
			return "", false
		}
	}
	return "", false
}

// value reads any JSON value as encoding/json decodes it into an any with
// UseNumber: objects as map[string]any (a repeated key keeps its last
// value), arrays as []any, numbers as json.Number.
func (d *scanner) value() (any, bool) {
	return d.anyValue(0)
}

func (d *scanner) anyValue(depth int) (any, bool) {
	if depth > 100 {
		return nil, false
	}
	d.ws()
	if d.i >= len(d.b) {
		return nil, false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		return d.str()
	case c == '{':
		d.i++
		m := map[string]any{}
		if d.consume('}') {
			return m, true
		}
		for {
			k, ok := d.plainString()
			if !ok || !d.consume(':') {
				return nil, false
			}
			v, ok := d.anyValue(depth + 1)
			if !ok {
				return nil, false
			}
			m[k] = v
			if d.consume(',') {
				continue
			}
			if d.consume('}') {
				return m, true
			}
			return nil, false
		}
	case c == '[':
		d.i++
		a := []any{}
		if d.consume(']') {
			return a, true
		}
		for {
			v, ok := d.anyValue(depth + 1)
			if !ok {
				return nil, false
			}
			a = append(a, v)
			if d.consume(',') {
				continue
			}
			if d.consume(']') {
				return a, true
			}
			return nil, false
		}
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := d.i
		for d.i < len(d.b) && strings.IndexByte("+-.eE0123456789", d.b[d.i]) >= 0 {
			d.i++
		}
		if !json.Valid(d.b[start:d.i]) {
			return nil, false
		}
		return json.Number(d.b[start:d.i]), true
	}
	return nil, false
}

// skip steps over one value, checking its syntax loosely (encoding/json
// checks it again where the value is decoded).
func (d *scanner) skip(depth int) bool {
	if depth > 100 {
		return false
	}
	d.ws()
	if d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, ok := d.str()
		return ok
	case c == '{':
		d.i++
		if d.consume('}') {
			return true
		}
		for {
			if _, ok := d.str(); !ok || !d.consume(':') || !d.skip(depth+1) {
				return false
			}
			if d.consume(',') {
				continue
			}
			return d.consume('}')
		}
	case c == '[':
		d.i++
		if d.consume(']') {
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			if d.consume(',') {
				continue
			}
			return d.consume(']')
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := d.i
		for d.i < len(d.b) && strings.IndexByte("+-.eE0123456789", d.b[d.i]) >= 0 {
			d.i++
		}
		return json.Valid(d.b[start:d.i])
	}
	return false
}

// packages reads the "packages" object into lf.Packages.
func (d *scanner) packages(lf *Lockfile) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		loc, ok := d.plainString()
		if !ok || !d.consume(':') {
			return false
		}
		if _, dup := lf.Packages[loc]; dup {
			return false
		}
		d.ws()
		p := &Package{}
		if d.peek() == 'n' {
			if !d.literal("null") {
				return false
			}
		} else if !d.entry(p) {
			return false
		}
		lf.Packages[loc] = p
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// entry reads one package entry with packageFromMap's rules.
func (d *scanner) entry(p *Package) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		k, ok := d.plainString()
		if !ok || !d.consume(':') {
			return false
		}
		d.ws()
		var flag *bool
		var sfield *string
		var mfield *map[string]string
		var afield *[]string
		switch k {
		case "name":
			sfield = &p.Name
		case "version":
			sfield = &p.Version
		case "resolved":
			sfield = &p.Resolved
		case "integrity":
			sfield = &p.Integrity
		case "deprecated":
			sfield = &p.Deprecated
		case "link":
			flag = &p.Link
		case "dev":
			flag = &p.Dev
		case "optional":
			flag = &p.Optional
		case "devOptional":
			flag = &p.DevOptional
		case "peer":
			flag = &p.Peer
		case "inBundle":
			flag = &p.InBundle
		case "extraneous":
			flag = &p.Extraneous
		case "hasInstallScript":
			flag = &p.HasInstallScript
		case "hasShrinkwrap":
			flag = &p.HasShrinkwrap
		case "dependencies":
			mfield = &p.Dependencies
		case "devDependencies":
			mfield = &p.DevDependencies
		case "optionalDependencies":
			mfield = &p.OptionalDependencies
		case "peerDependencies":
			mfield = &p.PeerDependencies
		case "bin":
			mfield = &p.Bin
		case "os":
			afield = &p.Os
		case "cpu":
			afield = &p.CPU
		case "libc":
			afield = &p.Libc
		}
		switch {
		case k == "license" && d.peek() == '"':
			s, ok := d.str()
			if !ok {
				return false
			}
			p.License = s
			p.dropExtra(k)
		case sfield != nil && d.peek() == '"':
			s, ok := d.str()
			if !ok {
				return false
			}
			*sfield = s
		case flag != nil && d.peek() == 't' && d.literal("true"):
			*flag = true
		case mfield != nil && d.peek() == '{':
			m, ok := d.stringMap()
			if !ok {
				return false
			}
			*mfield = m
		case afield != nil && d.peek() == '[':
			a, ok := d.strings()
			if !ok {
				return false
			}
			*afield = a
		default:
			// Other shapes (and other keys) as the generic path takes them.
			v, ok := d.value()
			if !ok {
				return false
			}
			setField(p, k, v)
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// setField is packageFromMap's rule for one key.
func setField(p *Package, k string, v any) {
	switch k {
	case "engines":
		p.Engines = v // as packageFromMap, without its map and Package
		return
	case "funding":
		p.Funding = v
		return
	}
	m := packageFromMap(map[string]any{k: v})
	switch k {
	case "name":
		p.Name = m.Name
	case "version":
		p.Version = m.Version
	case "resolved":
		p.Resolved = m.Resolved
	case "integrity":
		p.Integrity = m.Integrity
	case "deprecated":
		p.Deprecated = m.Deprecated
	case "link":
		p.Link = m.Link
	case "dev":
		p.Dev = m.Dev
	case "optional":
		p.Optional = m.Optional
	case "devOptional":
		p.DevOptional = m.DevOptional
	case "peer":
		p.Peer = m.Peer
	case "inBundle":
		p.InBundle = m.InBundle
	case "extraneous":
		p.Extraneous = m.Extraneous
	case "hasInstallScript":
		p.HasInstallScript = m.HasInstallScript
	case "hasShrinkwrap":
		p.HasShrinkwrap = m.HasShrinkwrap
	case "license":
		p.License = m.License
		if m.Extra != nil {
			p.extra(k, v)
		} else {
			p.dropExtra(k)
		}
	case "dependencies":
		p.Dependencies = m.Dependencies
	case "devDependencies":
		p.DevDependencies = m.DevDependencies
	case "optionalDependencies":
		p.OptionalDependencies = m.OptionalDependencies
	case "peerDependencies":
		p.PeerDependencies = m.PeerDependencies
	case "peerDependenciesMeta":
		p.PeerDependenciesMeta = m.PeerDependenciesMeta
	case "bin":
		p.Bin = m.Bin
	case "engines":
		p.Engines = m.Engines
	case "funding":
		p.Funding = m.Funding
	case "os":
		p.Os = m.Os
	case "cpu":
		p.CPU = m.CPU
	case "libc":
		p.Libc = m.Libc
	default:
		p.extra(k, v)
	}
}

// stringMap reads an object, keeping its string values (asStringMap).
func (d *scanner) stringMap() (map[string]string, bool) {
	if !d.consume('{') {
		return nil, false
	}
	m := map[string]string{}
	if d.consume('}') {
		return m, true
	}
	for {
		k, ok := d.plainString()
		if !ok || !d.consume(':') {
			return nil, false
		}
		d.ws()
		if d.peek() == '"' {
			s, ok := d.str()
			if !ok {
				return nil, false
			}
			m[k] = s
		} else {
			if !d.skip(0) {
				return nil, false
			}
			delete(m, k) // a later non-string value of the same key drops it
		}
		if d.consume(',') {
			continue
		}
		if d.consume('}') {
			return m, true
		}
		return nil, false
	}
}

// strings reads an array, keeping its strings (asStrings).
func (d *scanner) strings() ([]string, bool) {
	if !d.consume('[') {
		return nil, false
	}
	var out []string
	if d.consume(']') {
		return out, true
	}
	for {
		d.ws()
		if d.peek() == '"' {
			s, ok := d.str()
			if !ok {
				return nil, false
			}
			out = append(out, s)
		} else if !d.skip(0) {
			return nil, false
		}
		if d.consume(',') {
			continue
		}
		if d.consume(']') {
			return out, true
		}
		return nil, false
	}
}

// dropExtra forgets an earlier value of k kept as extra (the generic path
// sees only a key's last value).
func (p *Package) dropExtra(k string) {
	delete(p.Extra, k)
	if len(p.Extra) == 0 {
		p.Extra = nil
	}
}
