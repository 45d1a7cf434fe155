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
