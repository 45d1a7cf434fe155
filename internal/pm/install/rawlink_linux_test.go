//go:build linux

package install

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"gnode/internal/pm/store"
)

// testTarball is a gzipped npm tarball holding files (paths below package/).
func testTarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// listTree is every folder and file below root, with each file's inode.
func listTree(t *testing.T, root string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(root, p)
		if info.IsDir() {
			out[r+"/"] = 0
		} else {
			out[r] = info.Sys().(*syscall.Stat_t).Ino
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRawLinkLayout: rawLink lays a package out as hard links to the
// store's files, also where the parent is a scope folder or a nested
// node_modules not made yet.
func TestRawLinkLayout(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	data := testTarball(t, map[string]string{"package.json": `{"name":"x","version":"1.0.0"}`, "lib/a.js": "a", "lib/sub/b.js": "b", "README.md": "r"})
	sum := sha512.Sum512(data)
	sri := "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	pkg, err := st.Put(context.Background(), sri, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	st, _ = store.Open(st.Dir()) // as a warm install finds it
	if p, ok := st.Lookup(sri); !ok || p != pkg {
		t.Fatalf("Lookup = %q, %v", p, ok)
	}
	idx, err := st.Index(pkg)
	if err != nil {
		t.Fatal(err)
	}
	want := listTree(t, pkg)
	locs := []string{"x", "@s/y", "x/node_modules/z", "q/node_modules/w", "q", "@s/y/node_modules/@t/v"}
	root := filepath.Join(t.TempDir(), "staging")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, loc := range locs {
		if ok, refused := rawLink(pkg, filepath.Join(root, loc), idx); !ok || refused {
			t.Fatalf("rawLink to %s = %v, refused %v", loc, ok, refused)
		}
	}
	for _, loc := range locs {
		got := listTree(t, filepath.Join(root, loc))
		for k := range got {
			if strings.HasPrefix(k, "node_modules") {
				delete(got, k) // a nested package's own folder
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s holds %v, want %v", loc, got, want)
			continue
		}
		for k, ino := range want {
			if g, ok := got[k]; !ok || g != ino {
				t.Errorf("%s/%s: inode %d (present %v), store's %d", loc, k, g, ok, ino)
			}
		}
	}
}
