package registryclient

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWriteLinked checks that a new cache file is written without a
// temporary name where the file system allows it, and that an existing
// file is left alone (the caller then replaces it through a rename).
func TestWriteLinked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json")
	err := writeLinked(path, [][]byte{[]byte("h\n"), nil, []byte("{}")})
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOENT) || errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("no O_TMPFILE or /proc here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "h\n{}" {
		t.Fatalf("file %q (%v)", got, err)
	}
	if err := writeLinked(path, [][]byte{[]byte("new")}); !errors.Is(err, os.ErrExist) {
		t.Errorf("writing over an existing file: %v, want it to exist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "h\n{}" {
		t.Errorf("existing file changed to %q", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("folder holds %d entries", len(ents))
	}
}
