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

func BenchmarkDecodeCompactFile(b *testing.B) {
	f := os.Getenv("PACKUMENT_FILE")
	if f == "" {
		b.Skip("set PACKUMENT_FILE to a packument JSON file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Decode(data)
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
