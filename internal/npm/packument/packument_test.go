package packument

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestOldShapes(t *testing.T) {
	doc := `{
	  "_id": "@s/pkg", "name": "@s/pkg",
	  "dist-tags": {"latest": "1.0.0"},
	  "time": {"created": "2011-10-04T16:45:50.602Z", "1.0.0": "2024-02-27T16:27:13.411000+00:00", "unpublished": {"time": "x", "versions": []}},
	  "readme": "long text that is skipped",
	  "versions": {
	    "1.0.0": {
	      "name": "@s/pkg", "version": "1.0.0",
	      "bin": "./bin/cli.js",
	      "deprecated": true,
	      "engines": ["node >= 0.6", "npm 1"],
	      "bundleDependencies": true,
	      "dependencies": {"a": "^1", "b": "~2"},
	      "os": "linux",
	      "license": {"type": "MIT", "url": "x"},
	      "scripts": {"postinstall": "node x"},
	      "dist": {"tarball": "http://r/@s/pkg/-/pkg-1.0.0.tgz", "integrity": "sha512-x", "shasum": "ab", "fileCount": 3, "unpackedSize": 100}
	    },
	    "0.1.0": {
	      "name": "@s/pkg", "version": "0.1.0",
	      "bin": {"../evil": "../../x.js", "ok": "lib//ok.js", "": "y"},
	      "deprecated": false,
	      "engines": "node",
	      "bundledDependencies": ["a"],
	      "dependencies": ["a", "b"],
	      "peerDependencies": {"p": "*", "q": {"version": "1"}},
	      "peerDependenciesMeta": {"p": {"optional": true}},
	      "license": [{"type": "MIT"}, {"type": "Apache-2.0"}],
	      "cpu": ["x64", 3],
	      "dist": {"tarball": "http://r/x.tgz"}
	    },
	    "0.0.1": null
	  }
	}`
	p, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	v1, v0 := p.Versions["1.0.0"], p.Versions["0.1.0"]
	if _, ok := p.Versions["0.0.1"]; ok {
		t.Errorf("null version kept")
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"string bin", v1.Bin, Bin{"pkg": "bin/cli.js"}},
		{"deprecated true", v1.Deprecated, Deprecated("deprecated")},
		{"engines array", v1.Engines, Engines{"node": ">= 0.6", "npm": "1"}},
		{"bundle true", v1.Bundled(), []string{"a", "b"}},
		{"os string", v1.OS, StringList{"linux"}},
		{"license object", v1.License, License("MIT")},
		{"hasInstallScript", v1.HasInstallScript, true},
		{"dist", v1.Dist.FileCount, 3},
		{"bin cleaned", v0.Bin, Bin{"evil": "x.js", "ok": "lib/ok.js"}},
		{"deprecated false", v0.Deprecated, Deprecated("")},
		{"engines string", len(v0.Engines), 0},
		{"bundled array", v0.Bundled(), []string{"a"}},
		{"deps array", v0.Dependencies, map[string]string{"a": "*", "b": "*"}},
		{"peer deps non-string", v0.PeerDependencies, map[string]string{"p": "*"}},
		{"optional peer", v0.IsOptionalPeer("p"), true},
		{"license array", v0.License, License("MIT OR Apache-2.0")},
		{"cpu mixed", v0.CPU, StringList{"x64"}},
		{"time kept", p.Time["1.0.0"], "2024-02-27T16:27:13.411000+00:00"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if tm, ok := p.PublishTime("1.0.0"); !ok || !tm.Equal(time.Date(2024, 2, 27, 16, 27, 13, 411000000, time.UTC)) {
		t.Errorf("PublishTime = %v %v", tm, ok)
	}
}

func TestDecodeAbbreviated(t *testing.T) {
	doc := `{"name":"a","modified":"2024-01-01T00:00:00.000Z","dist-tags":{"latest":"1.0.0","next":"2.0.0-rc.0"},
	  "versions":{"1.0.0":{"name":"a","version":"1.0.0","hasInstallScript":true,"_hasShrinkwrap":false,
	  "optionalDependencies":{"fsevents":"^2"},"dependencies":{"fsevents":"^2","x":"1"},"libc":["glibc"],"directories":{"bin":"./bin"},
	  "funding":{"url":"http://f"},"dist":{"tarball":"http://r/a/-/a-1.0.0.tgz","integrity":"sha512-q","signatures":[{"keyid":"SHA256:k","sig":"MEU"}],
	  "attestations":{"url":"http://att","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}}}}}`
	p, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m := p.Latest()
	if m == nil || !m.HasInstallScript || m.OptionalDependencies["fsevents"] != "^2" || m.Libc[0] != "glibc" ||
		m.Directories.Bin != "./bin" || m.Dist.Signatures[0].KeyID != "SHA256:k" ||
		m.Dist.Attestations.Provenance.PredicateType != "https://slsa.dev/provenance/v1" || !strings.Contains(string(m.Funding), "http://f") {
		t.Errorf("abbreviated manifest: %+v", m)
	}
	if p.Modified == "" || p.DistTags["next"] != "2.0.0-rc.0" {
		t.Errorf("top level: %+v", p)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{``, `{`, `{"versions": {"1.0.0": {"name": "a"`, `[1,2]x`, `{"name": "a",}`,
		// skipped values are stepped over by their brackets: these must
		// still fail (mismatched, cut off inside, a quote escaped at the end)
		`{"versions": {"1.0.0": {"maintainers": [{"name": "x"]}}}`,
		`{"readme": {"a": [1, {"b": "}"}]`, `{"users": {"a\": 1}}`, `{"users": [}`} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%q) succeeded", in)
		}
	}
	// non-object top level is not a packument
	if _, err := Decode([]byte(`"x"`)); err == nil {
		t.Errorf("a string decoded as a packument")
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 2, 27, 16, 27, 13, 411000000, time.UTC)
	for _, s := range []string{
		"2024-02-27T16:27:13.411Z",
		"2024-02-27T16:27:13.411000+00:00",
		"2024-02-27T17:27:13.411+01:00",
		"2024-02-27T16:27:13.411000000Z",
		"2024-02-27T16:27:13.411",
		"2024-02-27T16:27:13.411+0000",
	} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	if got, err := ParseTime("2011-10-04T16:45:50Z"); err != nil || got.Second() != 50 {
		t.Errorf("no fraction: %v %v", got, err)
	}
	for _, bad := range []string{"", "yesterday", "2024-13-01T00:00:00Z"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) succeeded", bad)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	// what the registry client caches (json.Marshal of a decoded document)
	// decodes to the same document
	doc := `{"name":"a","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"a","version":"1.0.0","bin":"x.js",
	  "bundleDependencies":true,"dependencies":{"d":"1"},"deprecated":"old","engines":{"node":">=8"},"os":["!win32"],
	  "peerDependenciesMeta":{"p":{"optional":true}},"dist":{"tarball":"t","integrity":"i"}}},"time":{"1.0.0":"2020-01-01T00:00:00.000Z"}}`
	p1, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p1)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p1, p2) {
		t.Errorf("round trip differs:\n%+v\n%+v", p1.Versions["1.0.0"], p2.Versions["1.0.0"])
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"a","versions":{"1.0.0":{"bin":"x","deprecated":true,"engines":["node 1"],"bundleDependencies":true,"dependencies":["x"]}}}`))
	f.Add([]byte(`{"name":"@s/a","dist-tags":{"latest":"1"},"versions":{"1":{"bin":{"../a":"../../b"},"os":"linux","license":[{"type":"MIT"}]}}}`))
	f.Add([]byte(`{"versions":null,"time":{"unpublished":{}}}`))
	// values shared between versions, and keys repeated inside one
	f.Add([]byte(`{"name":"a","versions":{"1":{"dependencies":{"x":"1"},"engines":{"node":">=8"},"os":["linux"]},"2":{"dependencies":{"x":"1"},"dependencies":{"y":"2"},"engines":{"node":">=8"},"os":["linux"]}}}`))
	f.Add([]byte(`{"name":"a","versions":{"1":{"peerDependenciesMeta":{"p":{"optional":true}}},"2":{"peerDependenciesMeta":{"p":{"optional":true}},"peerDependenciesMeta":{"q":{}}}}}`))
	f.Add([]byte(`{"name":"a","versions":{"1":{"scripts":{"test":"npm install","postinstall":"x"}},"2":{"scripts":{"inst\u0061ll":"x"}},"3":{"scripts":{"preinstall":""}}}}`))
	// a version key given again: the last object is the version (found by
	// this fuzzer: the versions were merged)
	f.Add([]byte(`{"versions":{"":{"scripts":{"":"0","00000000000":"0"}},"":{}}}`))
	f.Add([]byte(`{"name":"a","versions":{"1":{"dependencies":{"x":"1"},"deprecated":"d"},"2":{},"1":{"version":"1","engines":{"node":"1"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			return
		}
		for v, m := range p.Versions {
			if m == nil || m.Version == "" && v != "" {
				t.Fatalf("version %q not normalised: %+v", v, m)
			}
			for name, target := range m.Bin {
				if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
					t.Fatalf("unsafe bin name %q", name)
				}
				if strings.HasPrefix(target, "/") || strings.HasPrefix(target, "../") || target == ".." {
					t.Fatalf("unsafe bin target %q", target)
				}
			}
			if m.BundledDependencies != nil {
				t.Fatalf("bundledDependencies not folded")
			}
		}
		// the cache form decodes to the same thing
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		p2, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if b2, _ := json.Marshal(p2); string(b) != string(b2) {
			t.Fatalf("round trip differs for %q:\n%s\n%s", data, b, b2)
		}
		// so does the fast encoder's
		enc := Encode(p)
		if !json.Valid(enc) {
			t.Fatalf("Encode wrote invalid JSON: %s", enc)
		}
		p3, err := Decode(enc)
		if err != nil {
			t.Fatalf("decode Encode: %v", err)
		}
		if b3, _ := json.Marshal(p3); string(b) != string(b3) {
			t.Fatalf("Encode round trip differs for %q:\n%s\n%s", data, b, b3)
		}
		// DecodeForInstall is Decode without devDependencies and scripts
		if err := sameForInstall(data, p); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		// and its compacted document decodes the same
		if err := sameCompact(data); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		// the fast decoder agrees with encoding/json on well-typed input
		ref, typeErr, err := decodeStd(data)
		if err == nil && !typeErr && !caseFolded(data) {
			if rb, _ := json.Marshal(ref); string(rb) != string(b) {
				t.Fatalf("fast and encoding/json decoders differ on %q:\n fast %s\n  std %s", data, b, rb)
			}
		}
	})
}

// knownKeys are the JSON names the decoders read.
var knownKeys = strings.Fields(`_id name _rev dist-tags versions time modified description version dependencies
	optionalDependencies peerDependencies peerDependenciesMeta devDependencies acceptDependencies bundleDependencies
	bundledDependencies os cpu libc engines bin directories scripts hasInstallScript _hasShrinkwrap gypfile deprecated
	dist license funding optional tarball integrity shasum fileCount unpackedSize signatures attestations keyid sig url
	provenance predicateType type`)

// caseFolded reports whether data may hold a key that encoding/json would
// match to a field case-insensitively (npm, like the fast decoder, is
// case-sensitive), which makes the reference decoder unreliable.
func caseFolded(data []byte) bool {
	lower := strings.ToLower(string(data))
	for _, k := range knownKeys {
		if strings.Count(lower, `"`+strings.ToLower(k)+`"`) != strings.Count(string(data), `"`+k+`"`) {
			return true
		}
	}
	// encoding/json also folds the Kelvin sign and long s
	return strings.ContainsAny(string(data), "\u212a\u017f") || strings.Contains(lower, `\u`)
}

// TestFastMatchesStd decodes generated packuments with both decoders.
func TestFastMatchesStd(t *testing.T) {
	for i, doc := range generatedDocs() {
		fast, err := Decode(doc)
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		ref, typeErr, err := decodeStd(doc)
		if err != nil || typeErr {
			t.Fatalf("doc %d: std %v %v", i, err, typeErr)
		}
		fb, _ := json.Marshal(fast)
		rb, _ := json.Marshal(ref)
		if string(fb) != string(rb) {
			t.Errorf("doc %d differs:\n fast %s\n  std %s", i, fb, rb)
		}
		enc, err := Decode(Encode(fast))
		if eb, _ := json.Marshal(enc); err != nil || string(eb) != string(fb) {
			t.Errorf("doc %d: Encode round trip differs (%v):\n%s\n%s", i, err, eb, fb)
		}
	}
}

// generatedDocs returns documents with every field in its usual shapes,
// escapes and non-ASCII text included.
func generatedDocs() [][]byte {
	var docs [][]byte
	for n := 0; n < 20; n++ {
		versions := map[string]any{}
		times := map[string]any{"created": "2011-10-04T16:45:50.602Z"}
		for v := 0; v <= n; v++ {
			ver := "1." + strings.Repeat("1", v%3) + "0." + string(rune('0'+v%10))
			m := map[string]any{
				"name": "pkg\u00e9\"q<a&b>", "version": ver, "_id": "pkg@" + ver,
				"description":     "text with \\ escapes \n and \"quotes\" and 🎉",
				"readme":          strings.Repeat("readme line\n", v),
				"dependencies":    map[string]any{"a": "^1.0.0", "b\u0041": "~2 || >=3"},
				"devDependencies": map[string]any{"jest": "*"},
				"scripts":         map[string]any{"test": "jest", "install": "node-gyp rebuild"},
				"dist": map[string]any{"tarball": "http://r/pkg/-/pkg-" + ver + ".tgz", "integrity": "sha512-abc==", "shasum": "00ff",
					"fileCount": v, "unpackedSize": v * 1000, "signatures": []any{map[string]any{"keyid": "SHA256:x", "sig": "MEU="}}},
				"engines":     map[string]any{"node": ">=" + ver},
				"maintainers": []any{map[string]any{"name": "x", "email": "y"}},
				"nested":      map[string]any{"deep": []any{1, 2.5, -3e10, true, false, nil, "s", map[string]any{}}},
			}
			if v%2 == 0 {
				m["bin"] = map[string]any{"tool": "./bin/tool.js"}
				m["os"] = []any{"linux", "darwin"}
				m["peerDependencies"] = map[string]any{"react": ">=16"}
				m["peerDependenciesMeta"] = map[string]any{"react": map[string]any{"optional": true}}
				m["license"] = "MIT"
				m["funding"] = map[string]any{"url": "http://fund"}
			} else {
				m["bin"] = "cli.js"
				m["deprecated"] = "no longer supported"
				m["bundleDependencies"] = []any{"a"}
				m["cpu"] = []any{"x64"}
				m["libc"] = []any{"glibc"}
				m["directories"] = map[string]any{"bin": "./bin", "lib": "lib"}
				m["_hasShrinkwrap"] = false
				m["hasInstallScript"] = true
				m["attestations"] = nil
			}
			versions[ver] = m
			times[ver] = "2024-02-27T16:27:13.411000+00:00"
		}
		doc := map[string]any{"_id": "pkg", "name": "pkg", "_rev": "3-abc", "dist-tags": map[string]any{"latest": "1.0.0"},
			"versions": versions, "time": times, "readme": "x", "users": map[string]any{"u": true}}
		b, _ := json.MarshalIndent(doc, "", strings.Repeat(" ", n%3))
		docs = append(docs, b)
	}
	return docs
}

// TestDecodeKeepsNoInput: the registry client reuses the buffer a
// document was read into once it is decoded, so nothing decoded may point
// into it.
func TestDecodeKeepsNoInput(t *testing.T) {
	docs := generatedDocs()
	docs = append(docs, []byte(`{"name":"a","versions":{"1.0.0":{"funding":{"url":"http://f"},"license":{"type":"MIT"},"bin":"./x.js","dist":{"fileCount":3,"unpackedSize":9}}}}`))
	for i, doc := range docs {
		for _, forInstall := range []bool{false, true} {
			want, err := decode(doc, forInstall)
			if err != nil {
				t.Fatal(err)
			}
			wb, _ := json.Marshal(want)
			buf := bytes.Clone(doc)
			got, err := decode(buf, forInstall)
			if err != nil {
				t.Fatal(err)
			}
			for j := range buf {
				buf[j] = 'x'
			}
			if gb, _ := json.Marshal(got); string(gb) != string(wb) {
				t.Errorf("doc %d (forInstall %v): the result changed with its input buffer:\n%s\n%s", i, forInstall, gb, wb)
			}
		}
	}
}

// sameForInstall checks that DecodeForInstall(data) is full, Decode's
// result, without devDependencies and scripts.
func sameForInstall(data []byte, full *Packument) error {
	inst, err := DecodeForInstall(data)
	if err != nil {
		return fmt.Errorf("DecodeForInstall fails where Decode does not: %v", err)
	}
	want, _ := json.Marshal(full)
	var stripped Packument
	if err := json.Unmarshal(want, &stripped); err != nil {
		return err
	}
	finish(&stripped)
	for _, m := range stripped.Versions {
		m.DevDependencies, m.Scripts = nil, nil
	}
	wb, _ := json.Marshal(&stripped)
	gb, _ := json.Marshal(inst)
	if string(gb) != string(wb) {
		return fmt.Errorf("DecodeForInstall differs from Decode:\n got %s\nwant %s", gb, wb)
	}
	return nil
}

// TestSharedValues: versions whose dependency maps, engines, platform
// lists or peerDependenciesMeta have the same text share one decoded
// value, and a key repeated within one version (merged, as encoding/json
// merges) changes only that version.
func TestSharedValues(t *testing.T) {
	doc := `{"name":"a","versions":{
	  "1.0.0":{"dependencies":{"x":"^1"},"engines":{"node":">=8"},"os":["linux"],"peerDependenciesMeta":{"p":{"optional":true}}},
	  "2.0.0":{"dependencies":{"x":"^1"},"engines":{"node":">=8"},"os":["linux"],"peerDependenciesMeta":{"p":{"optional":true}}},
	  "3.0.0":{"dependencies":{"x":"^1"},"dependencies":{"y":"2"},"peerDependenciesMeta":{"p":{"optional":true}},"peerDependenciesMeta":{"q":{"optional":true}}},
	  "4.0.0":{"dependencies":{"y":"2"},"dependencies":{"x":"^1"}}}}`
	for _, dec := range []func([]byte) (*Packument, error){Decode, DecodeForInstall} {
		p, err := dec([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		v1, v2, v3, v4 := p.Versions["1.0.0"], p.Versions["2.0.0"], p.Versions["3.0.0"], p.Versions["4.0.0"]
		checks := []struct {
			name      string
			got, want any
		}{
			{"v1 deps", v1.Dependencies, map[string]string{"x": "^1"}},
			{"v2 deps", v2.Dependencies, map[string]string{"x": "^1"}},
			{"v3 deps merged", v3.Dependencies, map[string]string{"x": "^1", "y": "2"}},
			{"v4 deps merged", v4.Dependencies, map[string]string{"x": "^1", "y": "2"}},
			{"v2 engines", v2.Engines, Engines{"node": ">=8"}},
			{"v2 os", v2.OS, StringList{"linux"}},
			{"v1 meta", v1.PeerDependenciesMeta, map[string]PeerDependencyMeta{"p": {Optional: true}}},
			{"v3 meta merged", v3.PeerDependenciesMeta, map[string]PeerDependencyMeta{"p": {Optional: true}, "q": {Optional: true}}},
		}
		for _, c := range checks {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
			}
		}
		if reflect.ValueOf(v1.Dependencies).UnsafePointer() != reflect.ValueOf(v2.Dependencies).UnsafePointer() {
			t.Errorf("identical dependency maps are not shared")
		}
		if reflect.ValueOf(v1.Engines).UnsafePointer() != reflect.ValueOf(v2.Engines).UnsafePointer() {
			t.Errorf("identical engines are not shared")
		}
	}
	// DecodeManifest has one version: nothing to share, nothing broken
	m, err := DecodeManifest([]byte(`{"dependencies":{"x":"1"},"dependencies":{"y":"2"},"engines":{"node":"1"}}`))
	if err != nil || !reflect.DeepEqual(m.Dependencies, map[string]string{"x": "1", "y": "2"}) {
		t.Errorf("DecodeManifest: %v %v", m, err)
	}
}

// TestInstallScriptKeys: DecodeForInstall finds install scripts however
// the scripts object spells its keys, and only those.
func TestInstallScriptKeys(t *testing.T) {
	cases := []struct {
		scripts string
		want    bool
	}{
		{`{"test":"jest"}`, false},
		{`{"test":"npm install"}`, false},
		{`{"build":"x","postinstall":"node x"}`, true},
		{`{"preinstall":"x"}`, true},
		{`{"install":"node-gyp rebuild"}`, true},
		{`{"install":""}`, false},
		{`{"inst\u0061ll":"x"}`, true},
		{`{"x":"install\"","y":"z"}`, false},
		{`{"install":5}`, false},
		{`[]`, false},
		{`"install"`, false},
	}
	for _, c := range cases {
		doc := `{"name":"a","versions":{"1.0.0":{"scripts":` + c.scripts + `}}}`
		p, err := DecodeForInstall([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", c.scripts, err)
		}
		if got := p.Versions["1.0.0"].HasInstallScript; got != c.want {
			t.Errorf("scripts %s: HasInstallScript %v, want %v", c.scripts, got, c.want)
		}
		full, err := Decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if full.Versions["1.0.0"].HasInstallScript != c.want {
			t.Errorf("scripts %s: Decode's HasInstallScript %v, want %v", c.scripts, !c.want, c.want)
		}
	}
}
