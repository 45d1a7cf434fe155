package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gnode/internal/npm/tarball"
)

// TestLookupWritesAndReadsIndexBin: the first Lookup of a package reads
// index.json and leaves index.bin; a fresh Store then gets the same Index
// from index.bin alone.
func TestLookupWritesAndReadsIndexBin(t *testing.T) {
	s := openStore(t)
	files := append([]tfile{{name: "binding.gyp", body: "{}"}}, simple...)
	data := mkPkg(t, files...)
	p := putSimple(t, s, files)
	entry := filepath.Dir(p)
	os.Remove(filepath.Join(entry, indexBinFile)) // as left by a store without index.bin

	fresh, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := fresh.Lookup(sriOf(data))
	if !ok || got != p {
		t.Fatalf("Lookup = %q, %v; want %q", got, ok, p)
	}
	if _, err := os.Stat(filepath.Join(entry, indexBinFile)); err != nil {
		t.Fatalf("index.bin not written: %v", err)
	}
	want, err := fresh.Index(p)
	if err != nil {
		t.Fatal(err)
	}

	// Only index.bin is read now: index.json is made unreadable garbage.
	again, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(entry, indexFile), []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := again.Lookup(sriOf(data)); !ok || got != p {
		t.Fatalf("second Lookup = %q, %v", got, ok)
	}
	idx, err := again.Index(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(idx, want) {
		t.Errorf("index from index.bin differs:\n got %+v\nwant %+v", idx, want)
	}
	if !idx.HasBindingGyp || !idx.HasInstallScripts || len(idx.PackageJSON) == 0 {
		t.Errorf("flags or package.json lost: %+v", idx)
	}
}

func TestLookupMissing(t *testing.T) {
	s := openStore(t)
	if p, ok := s.Lookup(sriOf([]byte("absent"))); ok {
		t.Fatalf("Lookup of an absent package = %q", p)
	}
	if _, ok := s.Lookup("not an integrity"); ok {
		t.Fatal("Lookup of an invalid integrity succeeded")
	}
}

// TestLookupSha1Only goes through the alias, then index.json.
func TestLookupSha1Only(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	p := putSimple(t, s, simple)
	if _, err := s.PutBytes(t.Context(), sha1Of(data), data); err != nil {
		t.Fatal(err) // records the sha1 alias
	}
	fresh, _ := Open(s.Dir())
	if got, ok := fresh.Lookup(sha1Of(data)); !ok || got != p {
		t.Fatalf("Lookup(sha1) = %q, %v; want %q", got, ok, p)
	}
}

func TestIndexBinRoundTrip(t *testing.T) {
	cases := map[string]*Index{
		"empty": {Version: IndexVersion, Files: []File{}},
		"full": {
			Version: IndexVersion, Integrity: "sha512-abc", Shasum: "0123", TarballSize: 1 << 40, UnpackedSize: 12345,
			Files:             []File{{Path: "a.js", Size: 3, Mode: 0o666}, {Path: "bin/x", Size: 0, Mode: 0o777}, {Path: "ü/€.js", Size: 1 << 33, Mode: 0o644}},
			Dirs:              []string{"bin", "ü"},
			Skipped:           []tarball.Skipped{{Name: "package/l", Reason: "symbolic link"}},
			PackageJSON:       []byte(`{"name":"x"}`),
			HasBindingGyp:     true,
			HasInstallScripts: true,
		},
		"no package.json":          {Version: IndexVersion, Files: []File{}, PackageJSONError: "package.json not found in the tarball"},
		"empty package.json bytes": {Version: IndexVersion, Files: []File{}, PackageJSON: []byte{}},
	}
	for name, idx := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := decodeIndexBin(encodeIndexBin(idx))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, idx) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, idx)
			}
		})
	}
}

// TestIndexBinRejectsDamage: every truncation and a foreign version are
// refused, never decoded into a partial index.
func TestIndexBinRejectsDamage(t *testing.T) {
	b := encodeIndexBin(&Index{Version: IndexVersion, Integrity: "sha512-x", Files: []File{{Path: "a", Size: 1, Mode: 0o644}}, Dirs: []string{"d"}})
	for n := 0; n < len(b); n++ {
		if _, err := decodeIndexBin(b[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: decoded", n, len(b))
		}
	}
	other := append([]byte(nil), b...)
	other[len(indexBinMagic)+1] = IndexVersion + 1
	if _, err := decodeIndexBin(other); err == nil {
		t.Fatal("another Index version was decoded")
	}
	if _, err := decodeIndexBin(append(append([]byte(nil), b...), 0)); err == nil {
		t.Fatal("trailing bytes were accepted")
	}
}

func FuzzDecodeIndexBin(f *testing.F) {
	f.Add(encodeIndexBin(&Index{Version: IndexVersion, Files: []File{{Path: "a", Size: 1}}}))
	f.Add([]byte(indexBinMagic + "\x01\x02\xff\xff\xff\xff\x0f"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		idx, err := decodeIndexBin(b)
		if err != nil {
			return
		}
		// Whatever decodes encodes back to the same index.
		again, err := decodeIndexBin(encodeIndexBin(idx))
		if err != nil || !reflect.DeepEqual(again, idx) {
			t.Fatalf("re-encoding changed the index: %v", err)
		}
	})
}

// TestPutWritesIndexBin: a fresh entry already has its index.bin, equal to
// its index.json, so the first warm install after a cold one decodes no JSON.
func TestPutWritesIndexBin(t *testing.T) {
	s := openStore(t)
	p := putSimple(t, s, simple)
	entry := filepath.Dir(p)
	fromBin, err := readIndexBin(entry)
	if err != nil {
		t.Fatalf("no index.bin after Put: %v", err)
	}
	fromJSON, err := s.Index(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromBin, fromJSON) {
		t.Errorf("index.bin differs from index.json:\n bin %+v\njson %+v", fromBin, fromJSON)
	}
}

// TestLookupSHA512Forms: the common form takes lookupSHA512's fast path
// and every other spelling of the same integrity takes the general one;
// both find the same folder and the same index, and what the general
// parser refuses is refused either way.
func TestLookupSHA512Forms(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	p := putSimple(t, s, simple)
	sri := sriOf(data)
	raw := strings.TrimRight(sri, "=")
	cases := []struct {
		name, sri string
		fast, ok  bool
	}{
		{"padded", sri, true, true},
		{"unpadded", raw, false, true},
		{"with option", sri + "?opt", false, true},
		{"two hashes", sri + " " + sha1Of(data), false, true},
		{"leading space", " " + sri, false, true},
		{"trailing newline", sri + "\n", false, true},
		{"newline inside", sri[:40] + "\n" + sri[41:], false, false},
		{"not base64", sri[:40] + "*" + sri[41:], false, false},
		{"other digest", sriOf([]byte("absent")), true, false},
		{"sha256 prefix", "sha256-" + sri[len("sha512-"):], false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fresh, err := Open(s.Dir())
			if err != nil {
				t.Fatal(err)
			}
			_, fastFound, sure := fresh.lookupSHA512(c.sri)
			if sure != (c.fast && c.ok) || fastFound != (c.fast && c.ok) {
				t.Errorf("lookupSHA512(%q): found %v, sure %v; want fast path %v", c.sri, fastFound, sure, c.fast && c.ok)
			}
			fresh, _ = Open(s.Dir())
			got, ok := fresh.Lookup(c.sri)
			if ok != c.ok || (ok && got != p) {
				t.Fatalf("Lookup(%q) = %q, %v; want %q, %v", c.sri, got, ok, p, c.ok)
			}
			if !ok {
				return
			}
			if hp, hok := fresh.Has(c.sri); !hok || hp != got {
				t.Errorf("Has = %q, %v; Lookup = %q", hp, hok, got)
			}
			idx, err := fresh.Index(got)
			if err != nil || idx.Integrity == "" || len(idx.Files) != len(simple) {
				t.Errorf("index after Lookup: %+v, %v", idx, err)
			}
		})
	}
}
