package tarball

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// refFacts is what the readers of package.json decoded with encoding/json
// before ScanPackageJSON: the store's struct (scripts and gypfile) and
// BinPaths' struct (the raw bin). err is the store's decoding error.
func refFacts(doc []byte) (f PackageFacts, bins []string, err error) {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))
	var m struct {
		Scripts map[string]any `json:"scripts"`
		Gypfile *bool          `json:"gypfile"`
	}
	if err := json.Unmarshal(doc, &m); err != nil {
		return f, nil, err
	}
	has := func(name string) bool {
		v, ok := m.Scripts[name].(string)
		return ok && v != ""
	}
	f.Preinstall, f.Install, f.Postinstall = has("preinstall"), has("install"), has("postinstall")
	f.NoGypfile = m.Gypfile != nil && !*m.Gypfile
	f.OK = true
	var b struct {
		Bin json.RawMessage `json:"bin"`
	}
	if err := json.Unmarshal(doc, &b); err != nil {
		return f, nil, err
	}
	return f, binPathsOf(b.Bin), nil
}

// checkScan fails when ScanPackageJSON accepts doc but encoding/json
// rejects it or decodes different facts.
func checkScan(t *testing.T, doc []byte) (ok bool) {
	t.Helper()
	f := ScanPackageJSON(doc)
	if !f.OK {
		return false
	}
	want, wantBins, err := refFacts(doc)
	if err != nil {
		t.Fatalf("ScanPackageJSON accepted %q, encoding/json: %v", doc, err)
	}
	got := f
	got.Bin = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ScanPackageJSON(%q) = %+v, encoding/json %+v", doc, got, want)
	}
	if bins := binPathsOf(f.Bin); !reflect.DeepEqual(bins, wantBins) {
		t.Fatalf("bins of %q = %q, encoding/json %q", doc, bins, wantBins)
	}
	if bins := BinPaths(doc); !reflect.DeepEqual(bins, wantBins) {
		t.Fatalf("BinPaths(%q) = %q, want %q", doc, bins, wantBins)
	}
	return true
}

func TestScanPackageJSON(t *testing.T) {
	tests := []struct {
		doc  string
		ok   bool
		want PackageFacts // Bin not compared here
	}{
		{`{}`, true, PackageFacts{}},
		{" \t\r\n{ } \n", true, PackageFacts{}},
		{"\xef\xbb\xbf{\"scripts\":{\"install\":\"x\"}}", true, PackageFacts{Install: true}},
		{`{"name":"a","version":"1.0.0","scripts":{"preinstall":"a","install":"","postinstall":"c","test":"t"}}`, true, PackageFacts{Preinstall: true, Postinstall: true}},
		{`{"scripts":{"install":"a","install":""}}`, true, PackageFacts{}},
		{`{"scripts":{"install":"","install":"\n"}}`, true, PackageFacts{Install: true}},
		{`{"scripts":null}`, true, PackageFacts{}},
		{`{"gypfile":true}`, true, PackageFacts{}},
		{`{"gypfile":false,"x":[1,-2.5e+3,0.1,{"a":[]}],"y":null}`, true, PackageFacts{NoGypfile: true}},
		{`{"gypfile":null}`, true, PackageFacts{}},
		{`{"bin":"./cli.js"}`, true, PackageFacts{}},
		{`{"bin":{"a":"bin/a","b":"../x","c":3}}`, true, PackageFacts{}},
		{`{"bin":null}`, true, PackageFacts{}},
		{`{"description":"\u00e9\"\\\/\b\f\n\r\t","k":{"\u00e9":1}}`, true, PackageFacts{}},
		{"{\"d\":\"caf\xc3\xa9 \xff\"}", true, PackageFacts{}}, // invalid UTF-8 is accepted, as by encoding/json

		// Left to encoding/json.
		{`[]`, false, PackageFacts{}},
		{`"x"`, false, PackageFacts{}},
		{``, false, PackageFacts{}},
		{`{`, false, PackageFacts{}},
		{`{"a":1,}`, false, PackageFacts{}},
		{`{"a":1}x`, false, PackageFacts{}},
		{`{"a":01}`, false, PackageFacts{}},
		{`{"a":1.}`, false, PackageFacts{}},
		{`{"a":-}`, false, PackageFacts{}},
		{`{"a":1e}`, false, PackageFacts{}},
		{`{"a":tru}`, false, PackageFacts{}},
		{`{"a":"\x"}`, false, PackageFacts{}},
		{`{"a":"\u12"}`, false, PackageFacts{}},
		{"{\"a\":\"\x01\"}", false, PackageFacts{}},
		{`{"Scripts":{"install":"x"}}`, false, PackageFacts{}},
		{`{"BIN":"x"}`, false, PackageFacts{}},
		{`{"gypFile":true}`, false, PackageFacts{}},
		{`{"\u0062in":"x"}`, false, PackageFacts{}},
		{`{"k\u00e9":1}`, false, PackageFacts{}},
		{"{\"k\xc3\xa9\":1}", false, PackageFacts{}},
		{`{"ſcripts":{"install":"x"}}`, false, PackageFacts{}}, // encoding/json folds ſ to s
		{`{"bin":"a","bin":"b"}`, false, PackageFacts{}},
		{`{"scripts":{},"scripts":{}}`, false, PackageFacts{}},
		{`{"scripts":[]}`, false, PackageFacts{}},
		{`{"scripts":"install"}`, false, PackageFacts{}},
		{`{"scripts":{"install":1}}`, false, PackageFacts{}},
		{`{"scripts":{"inst\u0061ll":"x"}}`, false, PackageFacts{}},
		{`{"gypfile":"yes"}`, false, PackageFacts{}},
		{`{"gypfile":1}`, false, PackageFacts{}},
	}
	for _, tt := range tests {
		f := ScanPackageJSON([]byte(tt.doc))
		if ok := f.OK; ok != tt.ok {
			t.Errorf("ScanPackageJSON(%q) ok = %v, want %v", tt.doc, ok, tt.ok)
			continue
		}
		if !f.OK {
			continue
		}
		f.Bin = nil
		tt.want.OK = true
		if !reflect.DeepEqual(f, tt.want) {
			t.Errorf("ScanPackageJSON(%q) = %+v, want %+v", tt.doc, f, tt.want)
		}
		checkScan(t, []byte(tt.doc))
	}
}

func TestScanPackageJSONBin(t *testing.T) {
	for _, tt := range []struct {
		doc  string
		want []string
	}{
		{`{"bin":"./cli.js"}`, []string{"cli.js"}},
		{`{"bin":{"b":"bin/b.js","a":"./bin/a.js","up":"../../etc/passwd","n":7}}`, []string{"bin/a.js", "bin/b.js"}},
		{`{"bin":null}`, nil},
		{`{"name":"x"}`, nil},
		{`{"bin":"a","bin":"b"}`, []string{"b"}}, // encoding/json's answer: the last one
		{`not json`, nil},
	} {
		if got := BinPaths([]byte(tt.doc)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BinPaths(%q) = %q, want %q", tt.doc, got, tt.want)
		}
	}
}

func TestScanPackageJSONDepth(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(`{"a":` + string(bytes.Repeat([]byte("["), n)) + string(bytes.Repeat([]byte("]"), n)) + `}`)
	}
	if !checkScan(t, deep(scanMaxDepth-2)) {
		t.Errorf("nesting %d left to encoding/json", scanMaxDepth-2)
	}
	if ScanPackageJSON(deep(scanMaxDepth + 5)).OK {
		t.Errorf("nesting %d accepted", scanMaxDepth+5)
	}
}

func FuzzScanPackageJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"name":"a","bin":"x.js","scripts":{"install":"node-gyp rebuild"},"gypfile":false}`,
		`{"bin":{"a":"b"},"x":[1,2.5,-3e-2,true,false,null,"\u00e9"]}`, `{"scripts":{"install":""}}`,
		"\xef\xbb\xbf{\"a\":1}", `{"a":"\ud800"}`, `[1]`, `{"a":1e400}`, `{"scripts":{"x":1e400}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkScan(t, doc)
		if ScanPackageJSON(doc).OK && !json.Valid(bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))) {
			t.Fatalf("accepted invalid JSON %q", doc)
		}
	})
}
