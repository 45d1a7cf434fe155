package lockfile

import (
	"reflect"
	"testing"

	"gnode/internal/pm/manifest"
)

// TestDecodeMatchesTwoPass: the one-pass decoder gives what the two-pass
// one gives, errors included.
func TestDecodeMatchesTwoPass(t *testing.T) {
	cases := []string{
		`{"name":"x","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"x","dependencies":{"a":"^1"}},"node_modules/a":{"version":"1.0.0","resolved":"https://r/a.tgz","integrity":"sha512-x","license":{"type":"MIT"},"engines":{"node":">=1"},"bin":{"a":"cli.js"},"os":"linux","funding":[{"url":"u"}],"weird":1.50}}}`,
		`{"packages":{"a":null}}`,
		`{"packages":{"node_modules/a":"x"}}`,
		`{"packages":{"a":{"version":1}}}`,
		`{"packages":{}} x`,
		`{"packages":{}}  ` + "\r\n",
		`{"packages":[]}`,
		`{"lockfileVersion":"3","packages":{}}`,
		`{"lockfileVersion":2,"dependencies":{}}`,
		`{"packages":{"a":{"dependencies":{"b":1}}}}`,
		"{\r\n  \"packages\": {\"a\": {\"dev\": true}}\r\n}\r\n",
		`{"packages":{"a":{},"a":{"version":"2"}}}`,
		`[]`,
		``,
	}
	for _, c := range cases {
		checkDecodeMatches(t, []byte(c))
	}
}

func checkDecodeMatches(t *testing.T, data []byte) {
	t.Helper()
	got, err := Decode(data)
	want, werr := decodeTwoPass(data)
	if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
		t.Fatalf("%q: error %v, two-pass error %v", data, err, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decoded\n%+v\ntwo-pass\n%+v", data, got, want)
	}
}

func FuzzDecodeMatchesTwoPass(f *testing.F) {
	f.Add([]byte(`{"packages":{"":{"name":"x"},"node_modules/a":{"version":"1.0.0","dev":true,"bin":{"a":"b"}}}}`))
	f.Add([]byte(`{"packages":{"a":null}}`))
	f.Add([]byte(`{"packages":{"a":"x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodeMatches(t, data)
	})
}

// TestKnownKeyRank: the precomputed order of known keys is LocaleCompare's.
func TestKnownKeyRank(t *testing.T) {
	for a, ra := range knownKeyRank {
		for b, rb := range knownKeyRank {
			if a != b && (ra < rb) != (manifest.LocaleCompare(a, b) < 0) {
				t.Errorf("%s (rank %d) and %s (rank %d) disagree with LocaleCompare", a, ra, b, rb)
			}
		}
	}
}
