package tarball

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// syntheticPackage is a 1000-file package shaped like a real one: nested
// folders, sizes from tens of bytes to a few KB, a few executables.
func syntheticPackage(b testing.TB) (tgz []byte, unpacked int64) {
	ents := []ent{file("package/package.json", `{"name":"synthetic","version":"1.0.0"}`)}
	for i := 1; i < 1000; i++ {
		var mode int64
		if i%50 == 0 {
			mode = 0o755
		}
		body := strings.Repeat(fmt.Sprintf("export const v%d = %d;\n", i, i*7919%1000), 1+(i*37)%200)
		ents = append(ents, ent{name: fmt.Sprintf("package/dist/m%d/sub%d/file%d.js", i%10, i%7, i), body: body, mode: mode})
	}
	for _, e := range ents {
		unpacked += int64(len(e.body))
	}
	return mkTgz(b, ents...), unpacked
}

// BenchmarkExtract1000 extracts the synthetic package into a new folder.
func BenchmarkExtract1000(b *testing.B) {
	defer func(w int) { writers = w }(writers)
	for _, w := range []int{0, 2, 3, 4} {
		writers = w
		b.Run(fmt.Sprintf("writers=%d", w), benchExtract)
	}
}

func benchExtract(b *testing.B) {
	data, unpacked := syntheticPackage(b)
	root := b.TempDir()
	b.SetBytes(unpacked)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu int64
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(root, fmt.Sprint(i))
		c := cpuTime()
		if _, err := Extract(bytes.NewReader(data), dest, Options{}); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c
		if i%20 == 19 {
			b.StopTimer()
			os.RemoveAll(root)
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(data)), "tgz-bytes")
}

// BenchmarkWalk1000 reads the same package without writing: the cost of
// decompression and tar parsing alone.
func BenchmarkWalk1000(b *testing.B) {
	data, unpacked := syntheticPackage(b)
	b.SetBytes(unpacked)
	b.ReportAllocs()
	c := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-c)/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		err := Walk(bytes.NewReader(data), Options{}, func(e Entry, r io.Reader) error {
			_, err := io.Copy(io.Discard, r)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFilesBaseline writes the same 1000 files with plain
// os.MkdirAll and os.WriteFile, to tell the file system's cost from ours.
func BenchmarkWriteFilesBaseline(b *testing.B) {
	data, unpacked := syntheticPackage(b)
	type f struct {
		path string
		body []byte
	}
	var files []f
	Walk(bytes.NewReader(data), Options{}, func(e Entry, r io.Reader) error {
		body, _ := io.ReadAll(r)
		files = append(files, f{e.Path, body})
		return nil
	})
	root := b.TempDir()
	b.SetBytes(unpacked)
	b.ResetTimer()
	var cpu int64
	defer func() { b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(root, fmt.Sprint(i))
		c := cpuTime()
		for _, f := range files {
			p := filepath.Join(dest, f.path)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, f.body, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		cpu += cpuTime() - c
		if i%20 == 19 {
			b.StopTimer()
			os.RemoveAll(root)
			b.StartTimer()
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
