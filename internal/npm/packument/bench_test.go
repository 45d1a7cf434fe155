package packument

import (
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkDecodeFile decodes the packument named by $PACKUMENT_FILE (for
// measuring against real documents, which are not kept in the repository).
func BenchmarkDecodeFile(b *testing.B) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		b.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeForInstallFile(b *testing.B) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		b.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeForInstall(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeStdFile(b *testing.B) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		b.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := decodeStd(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeCompactFile(b *testing.B) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		b.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	p, err := DecodeForInstall(data)
	if err != nil {
		b.Fatal(err)
	}
	compact, _ := json.Marshal(p)
	b.Logf("full %d bytes, compact %d bytes", len(data), len(compact))
	b.SetBytes(int64(len(compact)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(compact); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFastMatchesStdFile compares both decoders on $PACKUMENT_FILE.
func TestFastMatchesStdFile(t *testing.T) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		t.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	ref, typeErr, err := decodeStd(data)
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := json.Marshal(fast)
	rb, _ := json.Marshal(ref)
	if string(fb) != string(rb) {
		t.Errorf("decoders differ (std type error: %v): %d vs %d bytes", typeErr, len(fb), len(rb))
	}
}

// readCorpus reads every file of the folder $PACKUMENT_CORPUS (real
// packuments, e.g. the bodies of a cold install's metadata cache).
func readCorpus(tb testing.TB) [][]byte {
	dir := os.Getenv("PACKUMENT_CORPUS")
	if dir == "" {
		tb.Skip("set PACKUMENT_CORPUS to a folder of packument JSON files")
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var docs [][]byte
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, b)
	}
	return docs
}

// BenchmarkDecodeForInstallCorpus decodes every document of
// $PACKUMENT_CORPUS once per iteration, as a cold install does.
func BenchmarkDecodeForInstallCorpus(b *testing.B) {
	docs := readCorpus(b)
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := DecodeForInstall(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestCorpusMatchesStd compares the decoders on every document of
// $PACKUMENT_CORPUS: Decode with encoding/json's decoder, DecodeForInstall
// with Decode.
func TestCorpusMatchesStd(t *testing.T) {
	for i, data := range readCorpus(t) {
		fast, err := Decode(data)
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		if err := sameForInstall(data, fast); err != nil {
			t.Fatalf("doc %d (%s): %v", i, fast.Name, err)
		}
		if err := sameCompact(data); err != nil {
			t.Fatalf("doc %d (%s): %v", i, fast.Name, err)
		}
		ref, typeErr, err := decodeStd(data)
		if err != nil {
			t.Fatalf("doc %d: std: %v", i, err)
		}
		if typeErr || caseFolded(data) {
			continue
		}
		fb, _ := json.Marshal(fast)
		rb, _ := json.Marshal(ref)
		if string(fb) != string(rb) {
			t.Errorf("doc %d (%s): decoders differ", i, fast.Name)
		}
	}
}
