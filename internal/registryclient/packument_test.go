package registryclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gnode/internal/npm/packument"
)

// TestCacheLazyOneBuffer checks the cache file a lazily decoding client
// writes (its header line and the compacted document come from one
// buffer): the header reads back, the document is what
// DecodeForInstallCompact leaves of the one served, and an offline
// client decodes the file to the same versions.
func TestCacheLazyOneBuffer(t *testing.T) {
	e := newEnv(t, "")
	doc := `{"name":"a","readme":"a long readme","dist-tags":{"latest":"1.0.1"},"versions":{"1.0.0":{"name":"a","version":"1.0.0","scripts":{"test":"t"},"dependencies":{"b":"^1"},"dist":{"tarball":"http://x/a-1.0.0.tgz"}},"1.0.1":{"name":"a","version":"1.0.1","devDependencies":{"x":"1"},"deprecated":"no","dist":{"tarball":"http://x/a-1.0.1.tgz"}}},"time":{"1.0.0":"2020-01-01T00:00:00Z"}}`
	e.reg.AddRaw("a", []byte(doc))
	lctx := WithLazyDecode(ctx)
	c := e.client(Options{})
	p1, err := c.Packument(lctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	files, _ := filepath.Glob(filepath.Join(e.cache, "metadata", "*", "a.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	entry, err := readCache(files[0])
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := e.cfg.Registry()
	if entry.hdr.Format != cacheFormat || entry.hdr.URL != reg+"a" || entry.hdr.Fetched == 0 {
		t.Errorf("header %+v", entry.hdr)
	}
	_, want, err := packument.DecodeForInstallCompact([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(entry.body, want) {
		t.Errorf("cached document\n%s\nwant\n%s", entry.body, want)
	}
	raw, _ := os.ReadFile(files[0])
	if n := bytes.Count(raw, []byte("\n")); n != 1 {
		t.Errorf("cache file has %d newlines: %q", n, raw)
	}
	p2, err := e.client(Options{Offline: true}).Packument(lctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1.0.0", "1.0.1"} {
		m1, _ := json.Marshal(p1.Manifest(v))
		m2, _ := json.Marshal(p2.Manifest(v))
		if p1.Manifest(v) == nil || string(m1) != string(m2) {
			t.Errorf("version %s: network %s, cache %s", v, m1, m2)
		}
	}
	if t1, _ := p2.TimeOf("1.0.0"); t1 != "2020-01-01T00:00:00Z" {
		t.Errorf("cached time %q", t1)
	}
}

// TestWriteCacheFile writes cache files as new and over existing ones:
// each ends up whole, with no temporary file left, and the folder is made
// when missing.
func TestWriteCacheFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "metadata", "reg")
	path := filepath.Join(dir, "a.json")
	check := func(want string) {
		t.Helper()
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Fatalf("file %q (%v), want %q", got, err, want)
		}
		if tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmps) > 0 {
			t.Fatalf("temporary files left: %v", tmps)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("mode %v: the cache file is readable by others", fi.Mode())
		}
	}
	// the folder is missing: made, then the file written
	if err := writeCacheFile(path, true, []byte("h1\n"), nil, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	check("h1\n{}")
	// the file exists: replaced, whether or not it was expected
	for i, fresh := range []bool{true, false} {
		want := fmt.Sprintf("h%d\n{\"v\":%d}", i+2, i)
		if err := writeCacheFile(path, fresh, []byte(want)); err != nil {
			t.Fatal(err)
		}
		check(want)
	}
	// a new file in an existing folder
	path = filepath.Join(dir, "b.json")
	if err := writeCacheFile(path, true, []byte("h\n"), []byte("[]")); err != nil {
		t.Fatal(err)
	}
	check("h\n[]")
}
