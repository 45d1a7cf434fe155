package lockfile

import (
	"os"
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
	for a, ra := range knownKeyRank() {
		for b, rb := range knownKeyRank() {
			if a != b && (ra < rb) != (manifest.LocaleCompare(a, b) < 0) {
				t.Errorf("%s (rank %d) and %s (rank %d) disagree with LocaleCompare", a, ra, b, rb)
			}
		}
	}
}

// checkFastMatches: when decodeFast takes a document, it reads what the
// encoding/json path reads.
func checkFastMatches(t *testing.T, data []byte) {
	t.Helper()
	got, ok := decodeFast(data, false)
	shared, sharedOK := decodeFast(append([]byte(nil), data...), true)
	if ok != sharedOK || ok && !reflect.DeepEqual(got, shared) {
		t.Fatalf("%q: decodeFast copying (%v)\n%+v\nsharing (%v)\n%+v", data, ok, got, sharedOK, shared)
	}
	if !ok {
		return
	}
	want, err := decodeGeneric(data)
	if err != nil {
		t.Fatalf("%q: decodeFast took a document the generic decoder refuses: %v", data, err)
	}
	got.Indent, got.Newline = want.Indent, want.Newline
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decodeFast\n%+v\ngeneric\n%+v", data, got, want)
	}
}

// TestDecodeFastMatchesGeneric: the scanner agrees with encoding/json on
// the fixture lockfile and on entries of every shape, and declines what it
// does not read the same way.
func TestDecodeFastMatchesGeneric(t *testing.T) {
	b, err := os.ReadFile("testdata/express-app.package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeFast(b, false); !ok {
		t.Fatal("decodeFast declined the fixture lockfile")
	}
	checkFastMatches(t, b)
	cases := append([]string{
		`{"lockfileVersion":3,"packages":{"a":{"version":"1","version":2,"dev":true,"dev":false,"license":"MIT","license":{"type":"x"},"dependencies":{"b":"1","b":2,"c":"3"},"os":"linux","cpu":[],"libc":["glibc",1],"engines":{"node":">=1","n":[1.5e3,true,null]},"funding":"u","x":{"y":[{}]},"peerDependenciesMeta":{"p":{"optional":true}},"name":null}}}`,
		`{"name":"x","name":null,"lockfileVersion":3,"packages":{}}`,
		`{"Name":"x","packages":{}}`,
		`{"packages":{"a":{}},"packages":{"b":{}}}`,
		`{"packages":{"a\u0041":{}}}`,
		`{"packages":{"a":{"version":"1\u00e9\n"}}}`,
		`{"packages":{"a":{"bin":{"x":"y"},"bin":null}}}`,
		`{"lockfileVersion":-1,"packages":{}}`,
		`{"lockfileVersion":03,"packages":{}}`,
		"\ufeff{\"packages\":{}}",
		`{"packages":{"a":{"version":"\xff"}}}`,
		`{"packages":{"a":{"license":{"type":"x"},"license":"MIT"}}}`,
	}, encodeCases...)
	for _, c := range cases {
		checkFastMatches(t, []byte(c))
		checkDecodeMatches(t, []byte(c))
	}
}

func FuzzDecodeFastMatchesGeneric(f *testing.F) {
	f.Add([]byte(`{"packages":{"":{"name":"x"},"node_modules/a":{"version":"1.0.0","dev":true,"bin":{"a":"b"},"engines":{"node":">=1"}}}}`))
	f.Add([]byte(`{"packages":{"a":{"license":"MIT","os":["linux"],"x":[1,{"y":null}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastMatches(t, data)
	})
}

// TestDecodeCopiesDecodeSharedShares: Decode's result does not change when
// the caller reuses its buffer; DecodeShared's strings are the buffer's
// bytes (which is why its caller must leave them alone).
func TestDecodeCopiesDecodeSharedShares(t *testing.T) {
	orig, err := os.ReadFile("testdata/express-app.package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Decode(orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, shared := range []bool{false, true} {
		buf := append([]byte(nil), orig...)
		decodeFn := Decode
		if shared {
			decodeFn = DecodeShared
		}
		got, err := decodeFn(buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shared=%v: result differs from Decode's", shared)
		}
		for i := range buf {
			buf[i] = 'x'
		}
		if changed := !reflect.DeepEqual(got, want); changed != shared {
			t.Errorf("shared=%v: result changed with the buffer: %v", shared, changed)
		}
	}
}
