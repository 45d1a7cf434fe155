package tarball

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ent describes one archive entry of a generated fixture.
type ent struct {
	name string
	typ  byte   // tar.TypeReg when 0
	body string // file data
	mode int64  // 0644 when 0
	link string // link target for links
	size int64  // header size when > 0 and not len(body): a lying header, the archive ends there
}

func file(name, body string) ent { return ent{name: name, body: body} }

// mkTar builds a tar archive; format selects USTAR, PAX or GNU headers
// (tar.FormatUnknown lets archive/tar choose).
func mkTar(t testing.TB, ents []ent, format tar.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		size := int64(len(e.body))
		if e.size > 0 {
			size = e.size
		}
		hdr := &tar.Header{Name: e.name, Typeflag: typ, Mode: mode, Size: size, Linkname: e.link, Format: format}
		if typ == tar.TypeDir {
			hdr.Mode = 0o755
		}
		if typ == tar.TypeXGlobalHeader {
			hdr = &tar.Header{Typeflag: typ, PAXRecords: map[string]string{"comment": e.body}, Format: tar.FormatPAX}
			size = 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("fixture header %q: %v", e.name, err)
		}
		if typ == tar.TypeXGlobalHeader {
			continue
		}
		if size == int64(len(e.body)) {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		} else {
			// A lying header: return what was written so far, as a
			// truncated archive.
			tw.Flush()
			return buf.Bytes()
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mkTgz(t testing.TB, ents ...ent) []byte { return gz(t, mkTar(t, ents, tar.FormatUnknown)) }

// sandbox returns a root folder holding a "dest" folder and a sentinel
// "outside" folder; checkContained fails the test when anything exists in
// root other than those, when "outside" changed, or when dest holds a link.
func sandbox(t testing.TB) (root, dest string) {
	t.Helper()
	root = t.TempDir()
	dest = filepath.Join(root, "dest")
	if err := os.MkdirAll(filepath.Join(root, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "outside", "target"), []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, dest
}

func checkContained(t testing.TB, root string) {
	t.Helper()
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "dest" && e.Name() != "outside" {
			t.Errorf("extraction wrote %s outside dest", filepath.Join(root, e.Name()))
		}
	}
	outside, _ := os.ReadDir(filepath.Join(root, "outside"))
	if len(outside) != 1 {
		t.Errorf("the outside folder changed: %v", outside)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "outside", "target")); string(b) != "original" {
		t.Errorf("outside/target was overwritten: %q", b)
	}
	filepath.WalkDir(filepath.Join(root, "dest"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 && !strings.HasSuffix(p, "planted") {
			t.Errorf("dest holds a link: %s", p)
		}
		if err == nil && d.Type()&(fs.ModeDevice|fs.ModeNamedPipe|fs.ModeCharDevice) != 0 {
			t.Errorf("dest holds a special file: %s", p)
		}
		return nil
	})
}

// TestWriteFixtures regenerates testdata/*.tgz, the hostile tarballs kept
// as files so other tools (and people) can use them:
//
//	go test ./internal/npm/tarball -run WriteFixtures -update
func TestWriteFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate testdata")
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, h := range hostile(t) {
		if err := os.WriteFile(filepath.Join("testdata", h.name+".tgz"), h.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
