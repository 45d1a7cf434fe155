package registryclient

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWriteCacheCorpus writes every document of $PACKUMENT_CORPUS
// (real packuments) as metadata cache files, as a cold install does.
func BenchmarkWriteCacheCorpus(b *testing.B) {
	dir := os.Getenv("PACKUMENT_CORPUS")
	if dir == "" {
		b.Skip("set PACKUMENT_CORPUS to a folder of packument JSON files")
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var docs [][]byte
	var n int64
	for _, e := range ents {
		d, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
		n += int64(len(d))
	}
	out := b.TempDir()
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, d := range docs {
			if err := writeCacheFile(filepath.Join(out, "m", string(rune('a'+j%26))+".json"), false, headerLine(cacheHeader{Format: cacheFormat, URL: "u"}), d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
