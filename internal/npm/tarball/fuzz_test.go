package tarball

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzExtract feeds random and mutated archives to Extract. Whatever the
// input: no panic, nothing outside dest, no links or special files in dest,
// and on success every reported file exists with its reported size.
func FuzzExtract(f *testing.F) {
	valid := []ent{
		{name: "package/", typ: tar.TypeDir},
		file("package/package.json", `{"name":"x"}`),
		{name: "package/bin/x", body: "#!/bin/sh\n", mode: 0o755},
		file("package/"+strings.Repeat("long/", 30)+"f", "deep"),
		{name: "package/l", typ: tar.TypeSymlink, link: "../outside"},
		file("package/l/target", "x"),
		file("package/dup", "1"), file("package/dup", "2"),
	}
	for _, format := range []tar.Format{tar.FormatUSTAR, tar.FormatPAX, tar.FormatGNU} {
		es := valid
		if format == tar.FormatUSTAR {
			es = append([]ent{}, valid[:3]...)
		}
		f.Add(mkTar(f, es, format), false)
		f.Add(mkTar(f, es, format), true)
	}
	for _, h := range hostile(f) {
		// Seed with the tar inside, so mutations explore tar structure
		// rather than break the gzip checksum.
		// Large seeds slow the mutator down to a crawl; leave them out.
		if zr, err := gzip.NewReader(bytes.NewReader(h.data)); err == nil {
			if raw, _ := io.ReadAll(zr); len(raw) < 64<<10 {
				f.Add(raw, true)
			}
		}
		f.Add(h.data, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		in := data
		if compress {
			in = gz(t, data)
		}
		root, dest := sandbox(t)
		res, err := Extract(bytes.NewReader(in), dest, Options{MaxBytes: 1 << 20, MaxEntries: 500})
		checkContained(t, root)
		// ExtractBytes (file contents as slices of the archive) agrees.
		root2, dest2 := sandbox(t)
		res2, err2 := ExtractBytes(in, dest2, Options{MaxBytes: 1 << 20, MaxEntries: 500})
		checkContained(t, root2)
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("errors differ: Extract %v, ExtractBytes %v", err, err2)
		}
		if err != nil {
			return
		}
		if fmt.Sprint(res) != fmt.Sprint(res2) {
			t.Fatalf("results differ:\n%v\n%v", res, res2)
		}
		for _, e := range res.Files {
			a, _ := os.ReadFile(filepath.Join(dest, filepath.FromSlash(e.Path)))
			b, _ := os.ReadFile(filepath.Join(dest2, filepath.FromSlash(e.Path)))
			if !bytes.Equal(a, b) {
				t.Fatalf("%s differs between Extract and ExtractBytes", e.Path)
			}
		}
		for _, e := range res.Files {
			fi, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(e.Path)))
			if err != nil || !fi.Mode().IsRegular() || fi.Size() != e.Size {
				t.Fatalf("reported file %s: %v %v", e.Path, fi, err)
			}
		}
		// Walk agrees with Extract on success.
		if werr := Walk(bytes.NewReader(in), Options{MaxBytes: 1 << 20, MaxEntries: 500}, func(Entry, io.Reader) error { return nil }); werr != nil {
			t.Fatalf("Extract succeeded but Walk failed: %v", werr)
		}
	})
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"package/a", "../x", "/abs", `a\..\b`, "c:/x", "./p/./q//r", "p/..", "p/...", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := CleanPath(name)
		if err != nil {
			return
		}
		if p == "" {
			return
		}
		if strings.HasPrefix(p, "/") || strings.Contains(p, `\`) || filepath.IsAbs(p) {
			t.Fatalf("CleanPath(%q) = %q is absolute or has a backslash", name, p)
		}
		for _, c := range strings.Split(p, "/") {
			if c == "" || c == "." || c == ".." {
				t.Fatalf("CleanPath(%q) = %q has component %q", name, p, c)
			}
		}
	})
}
