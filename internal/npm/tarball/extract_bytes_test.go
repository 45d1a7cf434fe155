package tarball

import (
	"bytes"
	"compress/gzip"
	"fmt"
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
