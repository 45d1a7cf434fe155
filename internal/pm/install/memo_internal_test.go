package install

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPruneMemos: memo files nobody used for memoMaxAge go, recent ones
// and files outside the memo folder stay, and the walk happens at most
// once a day.
func TestPruneMemos(t *testing.T) {
	cache := t.TempDir()
	root := filepath.Join(cache, "install-memo-v1")
	old := time.Now().Add(-40 * 24 * time.Hour)
	files := map[string]bool{ // path → removed
		"install-memo-v1/ab/abcd":        true,
		"install-memo-v1/ab/abcd.idx":    true,
		"install-memo-v1/cd/cdef.plan":   false, // used lately
		"install-memo-v1/early/12.early": true,
		"store/keep-me":                  false, // not the memo's
	}
	write := func() {
		for rel, gone := range files {
			p := filepath.Join(cache, rel)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			if gone || rel == "store/keep-me" {
				os.Chtimes(p, old, old)
			}
		}
	}
	write()
	pruneMemos(root)
	for rel, gone := range files {
		_, err := os.Stat(filepath.Join(cache, rel))
		if os.IsNotExist(err) != gone {
			t.Errorf("%s: removed = %v, want %v", rel, os.IsNotExist(err), gone)
		}
	}
	if _, err := os.Stat(root + ".pruned"); err != nil {
		t.Fatalf("no stamp: %v", err)
	}
	write()
	pruneMemos(root) // within a day: no walk
	if _, err := os.Stat(filepath.Join(root, "ab", "abcd")); err != nil {
		t.Errorf("pruned twice in a day: %v", err)
	}
}
