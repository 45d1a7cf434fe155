package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// BenchmarkPutBytesCorpus is BenchmarkPutCorpus through PutBytes, the way
// a cold install puts the tarballs it downloaded whole (same corpus and
// $PUT_CORPUS_ROOT).
func BenchmarkPutBytesCorpus(b *testing.B) {
	dir := os.Getenv("TARBALL_CORPUS")
	if dir == "" {
		b.Skip("set TARBALL_CORPUS to a folder of tarballs with an index.txt of FILE SRI lines")
	}
	type item struct {
		data []byte
		sri  string
	}
	f, err := os.Open(filepath.Join(dir, "index.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var items []item
	var total int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		file, sri, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, item{data, sri})
		total += int64(len(data))
	}
	f.Close()
	root := os.Getenv("PUT_CORPUS_ROOT")
	if root == "" {
		root = b.TempDir()
	} else if root, err = os.MkdirTemp(root, "put-corpus-"); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu, sys int64
	for i := 0; i < b.N; i++ {
		c, sc := cpuTime(), sysTime()
		s, err := Open(filepath.Join(root, fmt.Sprint(i)))
		if err != nil {
			b.Fatal(err)
		}
		next := make(chan item)
		var wg sync.WaitGroup
		var once sync.Once
		var firstErr error
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := range next {
					if _, err := s.PutBytes(context.Background(), it.sri, it.data); err != nil {
						once.Do(func() { firstErr = err })
					}
				}
			}()
		}
		for _, it := range items {
			next <- it
		}
		close(next)
		wg.Wait()
		if firstErr != nil {
			b.Fatal(firstErr)
		}
		cpu += cpuTime() - c
		sys += sysTime() - sc
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(sys)/float64(b.N)/1e6, "sys-ms/op")
}
