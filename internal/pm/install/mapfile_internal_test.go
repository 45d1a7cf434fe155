package install

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMapFile: the index set's mapping keeps its bytes after the file is
// replaced or removed (the stale-set retry removes it); an empty file
// gives no bytes and a missing one an error.
func TestMapFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "set.idx")
	want := "gnodeset index bytes"
	if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := mapFile(p)
	if err != nil || string(b) != want {
		t.Fatalf("mapFile = %q, %v", b, err)
	}
	if err := os.WriteFile(p+".tmp", []byte("other"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if string(b) != want {
		t.Fatalf("after the file was replaced and removed: %q", b)
	}
	empty := filepath.Join(dir, "empty.idx")
	os.WriteFile(empty, nil, 0o644)
	if b, err := mapFile(empty); err != nil || len(b) != 0 {
		t.Fatalf("empty file: %q, %v", b, err)
	}
	if _, err := mapFile(p); err == nil {
		t.Fatal("missing file mapped")
	}
}
