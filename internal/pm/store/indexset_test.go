package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestIndexSet: a set gives back the indexes it was made from, and any
// damaged set (every truncation, every flipped byte) loads nothing.
func TestIndexSet(t *testing.T) {
	src := t.TempDir()
	s, err := Open(src)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, files := range [][]tfile{
		{{"package.json", `{"name":"a","version":"1.0.0"}`, 0}, {"index.js", "1", 0}},
		{{"package.json", `{"name":"b","version":"2.0.0","scripts":{"install":"x"}}`, 0}, {"lib/b.js", "2", 0o755}},
	} {
		p, _, err := s.Import(context.Background(), bytes.NewReader(mkPkg(t, files...)))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	data := s.EncodeIndexSet(append(paths, paths[0], "/elsewhere/package"))

	fresh, _ := Open(src)
	n, err := fresh.LoadIndexSet(data)
	if err != nil || n != 2 {
		t.Fatalf("LoadIndexSet = %d, %v; want 2", n, err)
	}
	for _, p := range paths {
		v, ok := fresh.indexes.Load(p)
		want, _ := s.Index(p)
		if !ok || !reflect.DeepEqual(v.(*Index), want) {
			t.Fatalf("index of %s from the set: %+v, want %+v", p, v, want)
		}
	}
	for i := 0; i < len(data); i++ {
		other, _ := Open(t.TempDir())
		if n, err := other.LoadIndexSet(data[:i]); err == nil || n != 0 {
			t.Fatalf("a set truncated to %d bytes loaded %d", i, n)
		}
		b := append([]byte(nil), data...)
		b[i] ^= 0x01
		if n, err := other.LoadIndexSet(b); err == nil || n != 0 {
			t.Fatalf("a set with byte %d flipped loaded %d", i, n)
		}
		if l := 0; func() bool { other.indexes.Range(func(any, any) bool { l++; return true }); return l != 0 }() {
			t.Fatalf("a damaged set left indexes loaded")
		}
	}
}

// TestDropIncomplete: an entry missing a file is removed whole; a
// complete one is kept.
func TestDropIncomplete(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Import(context.Background(), bytes.NewReader(mkPkg(t, tfile{"package.json", `{"name":"a","version":"1.0.0"}`, 0}, tfile{"x.js", "1", 0})))
	if err != nil {
		t.Fatal(err)
	}
	if s.DropIncomplete(p) {
		t.Fatal("a complete entry was dropped")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("complete entry gone: %v", err)
	}
	os.Remove(filepath.Join(p, "x.js"))
	if !s.DropIncomplete(p) {
		t.Fatal("an entry missing a file was kept")
	}
	if _, err := os.Stat(filepath.Dir(p)); !os.IsNotExist(err) {
		t.Fatalf("incomplete entry still there: %v", err)
	}
	if s.DropIncomplete(filepath.Join(t.TempDir(), "package")) {
		t.Fatal("a folder outside the store was reported dropped")
	}
}
