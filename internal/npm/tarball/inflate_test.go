package tarball

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gzLevel compresses data as one gzip member at the given level.
func gzLevel(t testing.TB, data []byte, level int, name string) []byte {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Name = name
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// stdGunzip is the reference: compress/gzip reading one member.
func stdGunzip(src []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	r.Multistream(false)
	return io.ReadAll(r)
}

func samples() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	text := []byte(strings.Repeat("module.exports = function (a, b) { return a + b; };\n// comment\n", 4000))
	skewed := make([]byte, 200_000)
	for i := range skewed {
		// Few symbols with very uneven frequencies: long Huffman codes.
		x := rng.ExpFloat64() * 3
		skewed[i] = byte(min(255, int(x)))
	}
	runs := bytes.Repeat([]byte{'a'}, 100_000)
	mixed := append(append(append([]byte{}, text[:50_000]...), random[:70_000]...), text...)
	return map[string][]byte{
		"empty": {},
		"one":   {'x'},
		// Short inputs with repeats get fixed-Huffman blocks with distances.
		"short repeat": []byte("hello hello hello hello, world; abcabcabcabcabc"),
		"random":       random,
		"text":         text,
		"skewed":       skewed,
		"runs":         runs,
		"mixed":        mixed,
		"binary-ish": func() []byte {
			b := make([]byte, 100_000)
			for i := range b {
				b[i] = byte(i * i >> 7)
			}
			return b
		}(),
	}
}

func TestGunzipMemberMatchesStdlib(t *testing.T) {
	levels := []int{gzip.NoCompression, gzip.HuffmanOnly, gzip.BestSpeed, 3, gzip.DefaultCompression, gzip.BestCompression}
	for name, data := range samples() {
		for _, level := range levels {
			t.Run(fmt.Sprintf("%s/level%d", name, level), func(t *testing.T) {
				src := gzLevel(t, data, level, "file.tar")
				got, err := gunzipMember(src, 1<<30, nil)
				if err != nil {
					t.Fatalf("gunzipMember: %v", err)
				}
				want, err := stdGunzip(src)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("output differs from compress/gzip (%d vs %d bytes)", len(got), len(want))
				}
			})
		}
	}
}

func TestGunzipMemberRejects(t *testing.T) {
	data := samples()["text"]
	good := gzLevel(t, data, gzip.DefaultCompression, "")
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x40
		return b
	}
	cases := map[string][]byte{
		"truncated":     good[:len(good)-20],
		"no trailer":    good[:len(good)-8],
		"bad crc":       flip(len(good) - 6),
		"bad size":      flip(len(good) - 2),
		"trailing data": append(append([]byte(nil), good...), 0, 0, 0),
		"two members":   append(append([]byte(nil), good...), good...),
		"not gzip":      []byte("package/package.json......."),
		"bad method":    flip(2),
		"corrupt body":  flip(len(good) / 2),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if out, err := gunzipMember(src, 1<<30, nil); err == nil {
				if want, serr := stdGunzip(src); serr != nil || !bytes.Equal(out, want) {
					t.Fatalf("accepted: %d bytes", len(out))
				}
			}
		})
	}
	if _, err := gunzipMember(good, 1000, nil); err != errInflateSize {
		t.Errorf("limit: got %v, want errInflateSize", err)
	}
}

// TestGunzipMemberCorpus decodes real tarballs from $TARBALL_CORPUS (see
// pm/store's BenchmarkPutCorpus) and compares with compress/gzip.
func TestGunzipMemberCorpus(t *testing.T) {
	dir := os.Getenv("TARBALL_CORPUS")
	if dir == "" {
		t.Skip("set TARBALL_CORPUS to a folder of .tgz files")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := stdGunzip(src)
		got, err := gunzipMember(src, 1<<30, nil)
		if werr == nil && err != nil {
			t.Errorf("%s: %v", f, err)
		} else if err == nil && !bytes.Equal(got, want) {
			t.Errorf("%s: output differs", f)
		}
	}
}

func BenchmarkGunzip(b *testing.B) {
	dir := os.Getenv("TARBALL_CORPUS")
	var srcs [][]byte
	var total int64
	if dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
		for _, f := range files {
			src, _ := os.ReadFile(f)
			srcs = append(srcs, src)
			total += int64(len(src))
		}
	} else {
		for _, d := range samples() {
			srcs = append(srcs, gzLevel(b, d, gzip.DefaultCompression, ""))
		}
	}
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(total)
		for i := 0; i < b.N; i++ {
			for _, s := range srcs {
				if _, err := stdGunzip(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("gunzipMember", func(b *testing.B) {
		b.SetBytes(total)
		for i := 0; i < b.N; i++ {
			for _, s := range srcs {
				if _, err := gunzipMember(s, 1<<30, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// FuzzInflate feeds arbitrary deflate streams: the decoder must never
// panic, and whatever it accepts must be what compress/flate produces.
func FuzzInflate(f *testing.F) {
	for _, d := range samples() {
		for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, level)
			w.Write(d[:min(len(d), 3000)])
			w.Close()
			f.Add(buf.Bytes())
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0x03, 0x00})
	f.Fuzz(func(t *testing.T, src []byte) {
		got, used, err := inflate(src, 0, 1<<20, nil)
		if err != nil {
			return
		}
		r := flate.NewReader(bytes.NewReader(src[:used]))
		want, werr := io.ReadAll(r)
		if werr != nil {
			t.Fatalf("accepted a stream compress/flate rejects (%v)", werr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("output differs: %d vs %d bytes", len(got), len(want))
		}
	})
}

// TestExtractBytesMatchesExtract extracts every fixture (the hostile ones
// included) and the synthetic package with ExtractBytes and with Extract:
// the results, the files written and the errors must be the same.
func TestExtractBytesMatchesExtract(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.tgz"))
	inputs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = b
	}
	// A real install's tarballs, when $TARBALL_CORPUS names a folder of them.
	if dir := os.Getenv("TARBALL_CORPUS"); dir != "" {
		corpus, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
		for _, f := range corpus {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs["corpus/"+filepath.Base(f)] = b
		}
	}
	synth, _ := syntheticPackage(t)
	inputs["synthetic"] = synth
	inputs["plain tar"] = mkTar(t, []ent{file("package/package.json", `{"name":"x","bin":"cli.js"}`), file("package/cli.js", "#!/usr/bin/env node\n")}, 0)
	inputs["gitignore and bin"] = gzLevel(t, mkTar(t, []ent{
		file("package/package.json", `{"name":"x","bin":{"x":"bin/x.js"}}`),
		file("package/bin/x.js", "x"),
		file("package/.gitignore", "node_modules\n"),
		file("package/a/b/c.txt", strings.Repeat("abc", 5000)),
	}, 0), gzip.BestCompression, "")
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			d1, d2 := t.TempDir(), t.TempDir()
			r1, err1 := Extract(bytes.NewReader(data), d1, Options{MaxEntries: 5000, MaxBytes: 50 << 20})
			r2, err2 := ExtractBytes(data, d2, Options{MaxEntries: 5000, MaxBytes: 50 << 20})
			if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
				t.Fatalf("errors differ: Extract %v, ExtractBytes %v", err1, err2)
			}
			if err1 != nil {
				return
			}
			if fmt.Sprint(r1) != fmt.Sprint(r2) {
				t.Fatalf("results differ:\n%v\n%v", r1, r2)
			}
			for _, f := range r1.Files {
				a, _ := os.ReadFile(filepath.Join(d1, f.Path))
				b, err := os.ReadFile(filepath.Join(d2, f.Path))
				fa, _ := os.Stat(filepath.Join(d1, f.Path))
				fb, _ := os.Stat(filepath.Join(d2, f.Path))
				if err != nil || !bytes.Equal(a, b) || fa.Mode() != fb.Mode() {
					t.Errorf("%s differs", f.Path)
				}
			}
		})
	}
}
