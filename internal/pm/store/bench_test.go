package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkPut1000 puts the synthetic 1000-file package into a new store:
// hashing, extraction, index and rename.
func BenchmarkPut1000(b *testing.B) {
	data := mkPkg(b, synthetic(1000)...)
	sri := sriOf(data)
	root := b.TempDir()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var cpu int64
	defer func() { b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		c := cpuTime()
		s, err := Open(filepath.Join(root, fmt.Sprint(i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Put(context.Background(), sri, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c
		if i%10 == 9 {
			b.StopTimer()
			os.RemoveAll(root)
			b.StartTimer()
		}
	}
}

// BenchmarkLink1000 lays the synthetic package out with hard links, with
// several worker counts, and by copying.
func BenchmarkLink1000(b *testing.B) {
	s := openStore(b)
	data := mkPkg(b, synthetic(1000)...)
	p, err := s.Put(context.Background(), sriOf(data), bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	defer func(w int) { linkWorkers = w }(linkWorkers)
	for _, mode := range []string{"hardlink", "copy"} {
		for _, w := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("%s/workers=%d", mode, w), func(b *testing.B) {
				linkWorkers = w
				if mode == "copy" {
					linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EXDEV} }
					defer func() { linkFile = os.Link }()
				}
				root := b.TempDir()
				b.ResetTimer()
				var cpu int64
				defer func() { b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op") }()
				for i := 0; i < b.N; i++ {
					c := cpuTime()
					if err := s.Link(p, filepath.Join(root, fmt.Sprint(i))); err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - c
					if i%20 == 19 {
						b.StopTimer()
						os.RemoveAll(root)
						b.StartTimer()
					}
				}
			})
		}
	}
}

// cpuTime returns the process's user+system CPU time. Benchmarks report it
// per operation ("cpu-ns/op") next to wall time, because on a shared
// machine wall time mostly measures the neighbours.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
