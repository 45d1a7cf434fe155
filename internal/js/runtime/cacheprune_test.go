package runtime

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPruneCache(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-40 * 24 * time.Hour)
	recent := time.Now().Add(-2 * time.Hour)
	files := []struct {
		rel      string
		at, mt   time.Time
		wantGone bool
	}{
		{"bytecode/aa.qbc", old, old, true},
		{"bytecode/m-bb.qbc", recent, old, false}, // read lately: kept
		{"bytecode/cc.qbc", old, recent, false},   // written lately: kept
		{"transform/ab/k1.js", old, old, true},
		{"transform/ab/k1.js.map", old, old, true},
		{"transform/ab/k2.js", recent, recent, false},
		{"bytecode/.tmp-123", recent, recent, false},                                                  // being written
		{"bytecode/.tmp-456", time.Now().Add(-30 * time.Hour), time.Now().Add(-30 * time.Hour), true}, // left by a dead writer
		{"bytecode/notes.txt", old, old, false},                                                       // not a cache entry
		{"store/x.qbc", old, old, false},                                                              // outside the run cache
	}
	for _, f := range files {
		p := filepath.Join(dir, f.rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, f.at, f.mt); err != nil {
			t.Fatal(err)
		}
	}
	want := 0
	for _, f := range files {
		if f.wantGone {
			want++
		}
	}
	if n := PruneCache(dir, time.Now().Add(-CacheMaxAge)); n != want {
		t.Errorf("PruneCache removed %d files, want %d", n, want)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.rel))
		if gone := os.IsNotExist(err); gone != f.wantGone {
			t.Errorf("%s: gone = %v, want %v", f.rel, gone, f.wantGone)
		}
	}
}

func TestPruneCacheDailyStamp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bytecode", "aa.qbc")
	os.MkdirAll(filepath.Dir(p), 0o755)
	old := time.Now().Add(-40 * 24 * time.Hour)
	write := func() {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	write()
	PruneCacheDaily(dir)
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("first run did not prune: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, pruneStamp)); err != nil {
		t.Fatalf("no stamp after pruning: %v", err)
	}
	// Within a day of the last prune, nothing is walked.
	write()
	PruneCacheDaily(dir)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("second run within a day pruned: %v", err)
	}
	// A day later it prunes again.
	day := time.Now().Add(-25 * time.Hour)
	os.Chtimes(filepath.Join(dir, pruneStamp), day, day)
	PruneCacheDaily(dir)
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("run a day later did not prune: %v", err)
	}
	PruneCacheDaily("") // no cache: nothing to do, no panic
}
