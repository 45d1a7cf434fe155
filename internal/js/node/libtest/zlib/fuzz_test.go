package zlibtest

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"gnode/internal/js/runtime"
)

var fuzzModes = []string{"inflate", "gunzip", "unzip", "inflateRaw", "brotliDecompress"}

// FuzzChunkedDecode feeds arbitrary bytes to each decompressor, in one call
// and as a stream in pieces of random sizes (the decoders run as
// coroutines resumed once per piece): both must give the same bytes or
// fail with the same code. Seeds are valid streams of every format, and
// damaged ones.
func FuzzChunkedDecode(f *testing.F) {
	text := []byte(strings.Repeat("fuzzing the decoders, piece by piece; ", 300))
	var zb, gb, fb, bb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	zw.Write(text)
	zw.Close()
	gw := gzip.NewWriter(&gb)
	gw.Write(text)
	gw.Close()
	fw, _ := flate.NewWriter(&fb, 6)
	fw.Write(text)
	fw.Close()
	bw := brotli.NewWriterLevel(&bb, 5)
	bw.Write(text)
	bw.Close()
	// Each format under its own decoder (valid, truncated, damaged), and a
	// few under another one.
	for _, c := range []struct {
		b    []byte
		mode uint32
	}{{zb.Bytes(), 0}, {gb.Bytes(), 1}, {zb.Bytes(), 2}, {gb.Bytes(), 2}, {fb.Bytes(), 3}, {bb.Bytes(), 4}} {
		f.Add(c.b, c.mode, uint32(7))
		f.Add(c.b[:len(c.b)/2], c.mode, uint32(3))
		bad := bytes.Clone(c.b)
		bad[len(bad)/3] ^= 0x55
		f.Add(bad, c.mode, uint32(11))
	}
	f.Add(append(bytes.Clone(gb.Bytes()), gb.Bytes()...), uint32(1), uint32(5))
	f.Add(gb.Bytes(), uint32(0), uint32(5))
	f.Add([]byte{}, uint32(4), uint32(1))
	dir := f.TempDir()
	script, err := filepath.Abs("fuzz.js")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, mode, seed uint32) {
		if len(data) > 1<<16 {
			t.Skip("inputs are kept under 64 KB: a VM per input is slow enough")
		}
		m := fuzzModes[mode%uint32(len(fuzzModes))]
		in := filepath.Join(dir, "in")
		if err := os.WriteFile(in, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := runtime.Run(runtime.Options{Script: script, Args: []string{m, in, strconv.FormatUint(uint64(seed), 10)}, Stdout: &out, Stderr: &errb, Env: os.Environ()})
		if code != 0 {
			t.Fatalf("%s of %x: exit %d\n%s", m, data, code, errb.String())
		}
		ls := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(ls) != 2 {
			t.Fatalf("%s of %x: want 2 lines, got %q", m, data, out.String())
		}
		if ls[0] != ls[1] {
			t.Errorf("%s of %x (seed %d): one call and chunked differ\n  once:    %.300s\n  chunked: %.300s", m, data, seed, ls[0], ls[1])
		}
	})
}
