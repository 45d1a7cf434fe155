package lockfile

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// The generic encoder Encode replaced: each entry converted to a map and
// written by writeNice. Encode must give the same bytes.

// toMap converts an entry to the generic form writeNice sorts.
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

// encodeViaMaps is Encode by way of generic maps.
func (lf *Lockfile) encodeViaMaps(hidden bool) []byte {
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

// TestEncodeMatchesMaps: Encode writes what the generic encoder writes,
// full and hidden, for real lockfiles and for entries with unusual keys.
func TestEncodeMatchesMaps(t *testing.T) {
	var docs [][]byte
	// The express-app fixture's lockfile as npm 11 wrote it (bench/fixtures).
	b, err := os.ReadFile("testdata/express-app.package-lock.json")
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	docs = append(docs, b)
	docs = append(docs, []byte(encodeCases[0]))
	for _, c := range encodeCases {
		docs = append(docs, []byte(c))
	}
	for _, d := range docs {
		checkEncodeMatches(t, d)
	}
	// Entries built in code (not decoded): empty devDependencies, the
	// devOptional rule, extras shadowed by fields.
	lf := New()
	lf.Name = "root"
	lf.Packages[""] = &Package{Name: "root", Version: "1.0.0", DevDependencies: map[string]string{}, Dependencies: map[string]string{"version": "1", "a": "2", "B": "3", "dependencies": "4"}}
	lf.Packages["node_modules/a"] = &Package{Version: "2.0.0", DevOptional: true, Dev: true, Extra: map[string]any{"version": "9", "zz": map[string]any{}, "aa": []any{"x"}}}
	lf.Packages["node_modules/b"] = &Package{Version: "1.0.0", DevOptional: true, Os: []string{"linux"}, Engines: map[string]string{"node": ">=1"}, Funding: "https://f"}
	lf.Packages["packages"] = &Package{}
	for _, hidden := range []bool{false, true} {
		if got, want := lf.Encode(hidden), lf.encodeViaMaps(hidden); !bytes.Equal(got, want) {
			t.Errorf("built lockfile (hidden=%v):\n%s\nwant\n%s", hidden, got, want)
		}
	}
}

var encodeCases = []string{
	`{"name":"x","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"x","dependencies":{"a":"^1","name":"2","Zed":"3","_u":"4"}},"node_modules/a":{"version":"1.0.0","resolved":"https://r/a.tgz","integrity":"sha512-x","license":{"type":"MIT"},"engines":{"node":">=1"},"bin":{"a":"cli.js"},"os":"linux","funding":[{"url":"u"}],"weird":1.50,"Weird":null,"dependencies":{}}}}`,
	`{"packages":{"a":null,"b":{},"packages":{"version":"1"},"name":{"x":true}}}`,
	"{\r\n\t\"lockfileVersion\": 2,\r\n\t\"packages\": {\"node_modules/a\": {\"dev\": true, \"extraneous\": true, \"peer\": true, \"cpu\": [\"x64\", 1]}}\r\n}\r\n",
	`{"packages":{"node_modules/é":{"version":"1"},"node_modules/e":{"version":"1"},"node_modules/E":{"version":"1"},"node_modules/@s/a":{"peerDependenciesMeta":{"b":{"optional":true}},"peerDependencies":{"b":"*"},"optionalDependencies":{"c":"1"},"libc":["glibc"],"hasInstallScript":true,"hasShrinkwrap":true,"inBundle":true,"deprecated":"old","link":true}}}`,
}

func checkEncodeMatches(t *testing.T, data []byte) {
	t.Helper()
	lf, err := Decode(data)
	if err != nil {
		return
	}
	for _, hidden := range []bool{false, true} {
		if got, want := lf.Encode(hidden), lf.encodeViaMaps(hidden); !bytes.Equal(got, want) {
			t.Fatalf("%.200q (hidden=%v): Encode gave\n%s\ngeneric encoder\n%s", data, hidden, got, want)
		}
	}
}

func FuzzEncodeMatchesMaps(f *testing.F) {
	for _, c := range encodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkEncodeMatches(t, data)
	})
}
