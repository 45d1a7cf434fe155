package runtime

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The run cache (CacheDir/bytecode and CacheDir/transform) is keyed by
// content, so every edit of a big module or a TypeScript file leaves its
// old entry behind for good. Pruning removes entries nobody has used for
// CacheMaxAge, at most once per pruneEvery, so the cache stays about the
// size of what is in use. A removed entry is only a cold start later:
// readers treat a missing file as a cache miss, and writers publish by
// rename, so pruning needs no lock against other gnode processes.

// CacheMaxAge is how long an unused bytecode or transform entry is kept.
const CacheMaxAge = 30 * 24 * time.Hour

// pruneEvery bounds how often a run walks the cache.
const pruneEvery = 24 * time.Hour

// pruneStamp is the file whose modification time records the last prune.
const pruneStamp = ".pruned"

// PruneCacheDaily prunes the run cache under dir when the last prune is
// older than a day (or never happened). It claims the turn by touching the
// stamp first, so concurrent runs do not all walk the cache; a run that
// exits mid-walk leaves the rest for the next day. Errors are ignored: the
// cache is an optimisation.
func PruneCacheDaily(dir string) {
	if dir == "" {
		return
	}
	stamp := filepath.Join(dir, pruneStamp)
	now := time.Now()
	if st, err := os.Stat(stamp); err == nil && now.Sub(st.ModTime()) < pruneEvery {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		return
	}
	PruneCache(dir, now.Add(-CacheMaxAge))
}

// PruneCache removes bytecode (.qbc) and transform (.js, .js.map) entries
// under dir whose last use is before cutoff, and temporary files left by
// interrupted writers. Last use is the later of the access and
// modification times: with Linux's default relatime, reading a file moves
// its access time at least once a day. It returns how many files it removed.
func PruneCache(dir string, cutoff time.Time) int {
	removed := 0
	for _, sub := range []string{"bytecode", "transform"} {
		root := filepath.Join(dir, sub)
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			name := d.Name()
			if !strings.HasSuffix(name, ".qbc") && !strings.HasSuffix(name, ".js") &&
				!strings.HasSuffix(name, ".js.map") && !strings.HasPrefix(name, ".tmp-") {
				return nil // not ours: leave it
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			last := info.ModTime()
			if at, ok := accessTime(info); ok && at.After(last) {
				last = at
			}
			// A writer's temp file is young while it is being written;
			// one a day old belongs to a process that died.
			limit := cutoff
			if strings.HasPrefix(name, ".tmp-") {
				limit = time.Now().Add(-pruneEvery)
			}
			if last.Before(limit) && os.Remove(path) == nil {
				removed++
			}
			return nil
		})
	}
	return removed
}
