// Package manifest reads and edits package.json files. It keeps the file's
// key order, indentation and line endings so that `gnode install <spec>` and
// `gnode uninstall` change only what they must, as npm does, and it reports
// invalid JSON with the file, line and column.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dependency field names, in the order npm considers them.
const (
	Dependencies         = "dependencies"
	DevDependencies      = "devDependencies"
	OptionalDependencies = "optionalDependencies"
	PeerDependencies     = "peerDependencies"
)

// Manifest is a parsed package.json. The typed fields are read-only views of
// Doc; edits go through the methods so Doc stays the source of truth.
type Manifest struct {
	Path    string // file it was read from ("" when parsed from memory)
	Doc     *Object
	Indent  string // detected indentation ("  " by default)
	Newline string // "\n" or "\r\n"

	Name                 string
	Version              string
	Dependencies         map[string]string
	DevDependencies      map[string]string
	OptionalDependencies map[string]string
	PeerDependencies     map[string]string
	PeerOptional         map[string]bool // peerDependenciesMeta[name].optional
	BundleDependencies   []string
	Scripts              map[string]string
	Bin                  map[string]string // normalized like npm: name -> relative path
	Os, CPU, Libc        []string
	Overrides            *Value
	TrustedDependencies  []string // "gnode": {"trustedDependencies": [...]}
}

// SyntaxError is invalid JSON in a package.json, with a 1-based position.
type SyntaxError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", e.File, e.Line, e.Col, e.Msg)
}

// Hint tells the user how to fix the file.
func (e *SyntaxError) Hint() string {
	return fmt.Sprintf("fix the JSON syntax in %s at line %d, column %d", e.File, e.Line, e.Col)
}

// ErrNotFound is returned by Read when there is no package.json.
var ErrNotFound = errors.New("no package.json found")

// Read loads dir/package.json (or the file itself when path ends in .json).
func Read(path string) (*Manifest, error) {
	if !strings.HasSuffix(path, ".json") {
		path = filepath.Join(path, "package.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s: %w", ErrNotFound, path, err)
		}
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return Parse(path, data)
}

// detectIndent finds the indent and newline of a JSON document as npm
// does (the regular expression ^\s*[{\[]((?:\r?\n)+)([ \t]*): the
// whitespace after the first line break(s) following the opening bracket,
// and CRLF when those breaks hold one). ok is false when the bracket is
// not followed by a line break. Compiling that expression was most of
// Parse's time in a warm install.
func detectIndent(data []byte) (indent string, crlf, ok bool) {
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\f' || data[i] == '\r') {
		i++
	}
	if i >= len(data) || (data[i] != '{' && data[i] != '[') {
		return "", false, false
	}
	i++
	start := i
	for {
		if i < len(data) && data[i] == '\n' {
			i++
		} else if i+1 < len(data) && data[i] == '\r' && data[i+1] == '\n' {
			i += 2
			crlf = true
		} else {
			break
		}
	}
	if i == start {
		return "", false, false
	}
	j := i
	for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
		j++
	}
	return string(data[i:j]), crlf, true
}

// Parse parses package.json text; file names the source in errors.
func Parse(file string, data []byte) (*Manifest, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkSyntax(file, data); err != nil {
		return nil, err
	}
	v, err := parseValue(data)
	if err != nil {
		return nil, &SyntaxError{File: file, Line: 1, Col: 1, Msg: err.Error()}
	}
	if v.Kind != ObjectKind {
		return nil, &SyntaxError{File: file, Line: 1, Col: 1, Msg: "the top-level value must be an object"}
	}
	m := &Manifest{Path: file, Doc: v.Object, Indent: "  ", Newline: "\n"}
	if indent, crlf, ok := detectIndent(data); ok {
		m.Indent = indent
		if crlf {
			m.Newline = "\r\n"
		}
	} else if len(bytes.TrimSpace(data)) > 0 {
		m.Indent = ""
	}
	m.refresh()
	return m, nil
}

// checkSyntax validates data and turns the decoder's byte offset into a
// line and column, because a bare offset is useless to a person.
func checkSyntax(file string, data []byte) error {
	// json.Valid runs the scanner Unmarshal checks with, without building
	// the document; only an invalid one is decoded, for the error.
	if json.Valid(data) {
		return nil
	}
	var sink any
	err := json.Unmarshal(data, &sink)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	off := int64(len(data))
	msg := err.Error()
	if errors.As(err, &se) {
		off = se.Offset
		msg = se.Error()
		if off > 0 && !strings.Contains(msg, "unexpected end") {
			off-- // the offset is just past the offending byte
		}
	}
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{File: file, Line: line, Col: col, Msg: msg}
}

// refresh recomputes the typed views from Doc.
func (m *Manifest) refresh() {
	d := m.Doc
	str := func(k string) string {
		if v := d.Get(k); v != nil && v.Kind == String {
			return v.Str
		}
		return ""
	}
	m.Name, m.Version = str("name"), str("version")
	m.Dependencies = d.Get(Dependencies).StringMap()
	m.DevDependencies = d.Get(DevDependencies).StringMap()
	m.OptionalDependencies = d.Get(OptionalDependencies).StringMap()
	m.PeerDependencies = d.Get(PeerDependencies).StringMap()
	m.PeerOptional = nil
	if meta := d.Get("peerDependenciesMeta"); meta != nil && meta.Kind == ObjectKind {
		for _, k := range meta.Object.Keys {
			if o := meta.Object.Vals[k]; o.Kind == ObjectKind {
				if b := o.Object.Get("optional"); b != nil && b.Kind == Bool && b.Bool {
					if m.PeerOptional == nil {
						m.PeerOptional = map[string]bool{}
					}
					m.PeerOptional[k] = true
				}
			}
		}
	}
	m.BundleDependencies = nil
	for _, k := range []string{"bundleDependencies", "bundledDependencies"} {
		if v := d.Get(k); v != nil {
			if v.Kind == Bool && v.Bool {
				// true means "bundle every dependency".
				for n := range m.Dependencies {
					m.BundleDependencies = append(m.BundleDependencies, n)
				}
				sort.Strings(m.BundleDependencies)
			} else {
				m.BundleDependencies = v.Strings()
			}
			break
		}
	}
	m.Scripts = d.Get("scripts").StringMap()
	m.Bin = NormalizeBin(m.Name, d.Get("bin").Interface())
	m.Os, m.CPU, m.Libc = d.Get("os").Strings(), d.Get("cpu").Strings(), d.Get("libc").Strings()
	m.Overrides = d.Get("overrides")
	m.TrustedDependencies = nil
	if g := d.Get("gnode"); g != nil && g.Kind == ObjectKind {
		m.TrustedDependencies = g.Object.Get("trustedDependencies").Strings()
	}
}

// NormalizeBin turns package.json's bin (a string or an object) into the
// name -> path map npm uses: a string bin is named after the package (without
// scope), paths lose a leading "./", and names that could escape
// node_modules/.bin are dropped.
func NormalizeBin(pkgName string, bin any) map[string]string {
	out := map[string]string{}
	switch b := bin.(type) {
	case string:
		n := pkgName
		if i := strings.LastIndexByte(n, '/'); i >= 0 {
			n = n[i+1:]
		}
		if n != "" && b != "" {
			out[n] = cleanBinPath(b)
		}
	case map[string]any:
		for k, v := range b {
			s, ok := v.(string)
			if !ok || s == "" {
				continue
			}
			k = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(k, "\\", "/")))
			if k == "" || k == "/" || k == "." || k == ".." {
				continue
			}
			out[k] = cleanBinPath(s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func cleanBinPath(p string) string {
	p = filepath.ToSlash(filepath.Clean("/" + strings.ReplaceAll(p, "\\", "/")))
	return strings.TrimPrefix(p, "/")
}

// DependencyType reports which field names dep, preferring the order npm
// uses when inferring a save type ("" when absent).
func (m *Manifest) DependencyType(name string) string {
	for _, f := range []string{DevDependencies, OptionalDependencies, Dependencies, PeerDependencies} {
		if v := m.Doc.Get(f); v != nil && v.Kind == ObjectKind && v.Object.Get(name) != nil {
			return f
		}
	}
	return ""
}

// AddDependency records name@spec in field the way `npm install <spec>` does:
// the entry moves out of the conflicting field, an optional dependency is
// also written to dependencies, and the edited map is sorted like npm's.
func (m *Manifest) AddDependency(field, name, spec string) {
	switch field {
	case Dependencies:
		m.deleteDep(DevDependencies, name)
		m.deleteDep(PeerDependencies, name)
	case DevDependencies:
		m.deleteDep(Dependencies, name)
	case OptionalDependencies:
		m.deleteDep(PeerDependencies, name)
	}
	m.setDep(field, name, spec)
	if field == OptionalDependencies {
		m.setDep(Dependencies, name, spec)
	}
	m.refresh()
}

// RemoveDependency deletes name from every dependency field (and
// bundleDependencies) and reports whether anything changed.
func (m *Manifest) RemoveDependency(name string) bool {
	changed := false
	for _, f := range []string{DevDependencies, OptionalDependencies, Dependencies, PeerDependencies} {
		if m.deleteDep(f, name) {
			changed = true
		}
	}
	for _, k := range []string{"bundleDependencies", "bundledDependencies"} {
		if v := m.Doc.Get(k); v != nil && v.Kind == Array {
			kept := v.Arr[:0:0]
			for _, e := range v.Arr {
				if e.Kind == String && e.Str == name {
					changed = true
					continue
				}
				kept = append(kept, e)
			}
			v.Arr = kept
			if len(kept) == 0 {
				m.Doc.Delete(k)
			}
		}
	}
	m.refresh()
	return changed
}

func (m *Manifest) setDep(field, name, spec string) {
	v := m.Doc.Get(field)
	if v == nil || v.Kind != ObjectKind {
		v = ObjectValue(NewObject())
		m.Doc.Set(field, v)
	}
	v.Object.Set(name, StringValue(spec))
	sort.SliceStable(v.Object.Keys, func(i, j int) bool {
		return LocaleCompare(v.Object.Keys[i], v.Object.Keys[j]) < 0
	})
}

func (m *Manifest) deleteDep(field, name string) bool {
	v := m.Doc.Get(field)
	if v == nil || v.Kind != ObjectKind || !v.Object.Delete(name) {
		return false
	}
	if field == PeerDependencies {
		if meta := m.Doc.Get("peerDependenciesMeta"); meta != nil && meta.Kind == ObjectKind {
			meta.Object.Delete(name)
			if len(meta.Object.Keys) == 0 {
				m.Doc.Delete("peerDependenciesMeta")
			}
		}
	}
	if len(v.Object.Keys) == 0 {
		m.Doc.Delete(field)
	}
	return true
}

// Bytes renders the manifest as npm writes package.json:
// JSON.stringify(pkg, null, indent) plus a newline, in the file's line endings.
func (m *Manifest) Bytes() []byte {
	var buf bytes.Buffer
	ObjectValue(m.Doc).Encode(&buf, m.Indent)
	buf.WriteByte('\n')
	if m.Newline != "\n" {
		return bytes.ReplaceAll(buf.Bytes(), []byte("\n"), []byte(m.Newline))
	}
	return buf.Bytes()
}

// Write saves the manifest to m.Path through a temporary file and a rename.
func (m *Manifest) Write() error {
	return WriteFileAtomic(m.Path, m.Bytes())
}

// WriteFileAtomic writes data to a temporary file next to path and renames
// it into place, so readers never see a half-written file.
func WriteFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
