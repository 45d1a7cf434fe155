package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// BenchmarkPutCorpus puts a real install's tarballs into a fresh store, as
// a cold install does after downloading them, with one worker per core.
// The corpus is a folder named by $TARBALL_CORPUS holding the tarballs and
// an index.txt of "FILE SRI" lines (real tarballs are not kept in the
// repository). Each run's store goes in a new folder. On a file system
// without a journal, ext4 scans the inodes deleted in the last 30 s on
// every file creation, so a store deleted just before the next one is put
// makes the benchmark measure the deletion: set $PUT_CORPUS_ROOT to keep
// the stores until the caller removes them.
func BenchmarkPutCorpus(b *testing.B) {
	benchPutCorpus(b, func(s *Store, sri string, data []byte) error {
		_, err := s.Put(context.Background(), sri, bytes.NewReader(data))
		return err
	})
}

// BenchmarkPutBytesCorpus is BenchmarkPutCorpus through PutBytes, the way
// a cold install puts the tarballs it downloaded whole (same corpus and
// $PUT_CORPUS_ROOT).
func BenchmarkPutBytesCorpus(b *testing.B) {
	benchPutCorpus(b, func(s *Store, sri string, data []byte) error {
		_, err := s.PutBytes(context.Background(), sri, data)
		return err
	})
}

// benchPutCorpus puts the corpus into a fresh store per iteration with put,
// one worker per core, and reports CPU and system time per iteration.
func benchPutCorpus(b *testing.B, put func(s *Store, sri string, data []byte) error) {
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
	// $PUT_CORPUS_ROOT, when set, holds the stores and is left for the
	// caller to delete later (see above); by default a temporary folder.
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
					if err := put(s, it.sri, it.data); err != nil {
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

func sysTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Stime.Nano()
}
