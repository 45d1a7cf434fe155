package store

import (
	"bytes"
	"encoding/json"
	"testing"

	"gnode/internal/npm/tarball"
)

var compactSeeds = []string{
	`{}`,
	`null`,
	`{"name":"a","version":"1.0.0"}`,
	"{\n  \"name\": \"a\",\n\t\"scripts\": {\r\n    \"test\": \"a && b > c < d\"\n  }\n}\n",
	`{"description":"line\u2028sep\u2029para","x":"\"quoted\" \\ back"}`,
	"{\"raw\":\"\xe2\x80\xa8 and \xe2\x80\xa9 and \xe2\x80\xaa \xe2\x82\xac\"}",
	`{"a":[1, 2.5e10, -0, true, false, null, {"b" : [ ]}]}`,
	`{"esc":"\\\"}< >&\\\\"  ,  "k\"ey":  "v"}`,
	`  [ "x" , "y\\u0041" ]  `,
	`"just a string with spaces < >"`,
	`12345`,
}

// TestAppendCompactJSON holds appendCompactJSON to what json.Marshal
// writes for a json.RawMessage holding the same document.
func TestAppendCompactJSON(t *testing.T) {
	for _, s := range compactSeeds {
		if !json.Valid([]byte(s)) {
			t.Fatalf("seed %q is not valid JSON", s)
		}
		want, err := json.Marshal(json.RawMessage(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendCompactJSON([]byte("prefix"), []byte(s)); string(got) != "prefix"+string(want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got[len("prefix"):], want)
		}
	}
}

func FuzzAppendCompactJSON(f *testing.F) {
	for _, s := range compactSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		want, err := json.Marshal(json.RawMessage(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendCompactJSON(nil, doc); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", doc, got, want)
		}
	})
}

// TestMarshalIndex compares marshalIndex with json.Marshal on indexes
// whose file names try to look like the package.json key.
func TestMarshalIndex(t *testing.T) {
	odd := []string{`"packageJson":null`, `a"packageJson":null,"x`, `<&>`, "\u2028", `\`}
	for _, pj := range []json.RawMessage{nil, json.RawMessage(compactSeeds[3]), json.RawMessage(compactSeeds[5])} {
		for _, name := range odd {
			idx := &Index{
				Version: IndexVersion, Integrity: "sha512-x", TarballSize: 10, UnpackedSize: 3,
				Files:       []File{{Path: name, Size: 3, Mode: 0o644}, {Path: "package.json", Size: 1, Mode: 0o644}},
				Dirs:        []string{name},
				Skipped:     []tarball.Skipped{{Name: name, Reason: name}},
				PackageJSON: pj,
			}
			if pj == nil {
				idx.PackageJSONError = `"packageJson":null`
			}
			want, err := json.Marshal(idx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := marshalIndex(idx)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%q, %q:\n got %s (%v)\nwant %s", pj, name, got, err, want)
			}
		}
	}
}
