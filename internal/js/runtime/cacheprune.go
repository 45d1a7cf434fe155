package runtime

import (
	"path/filepath"
	"strings"
	"time"

	"gnode/internal/cacheprune"
)

// The run cache (CacheDir/bytecode and CacheDir/transform) is keyed by
// content; package cacheprune removes the entries nobody has used for
// CacheMaxAge, at most once a day.

// CacheMaxAge is how long an unused bytecode or transform entry is kept.
const CacheMaxAge = 30 * 24 * time.Hour

// pruneStamp is the file whose modification time records the last prune.
const pruneStamp = ".pruned"

func runCache(dir string) cacheprune.Cache {
	return cacheprune.Cache{
		Roots: []string{filepath.Join(dir, "bytecode"), filepath.Join(dir, "transform")},
		Ours: func(name string) bool {
			return strings.HasSuffix(name, ".qbc") || strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".js.map")
		},
	}
}

// PruneCacheDaily prunes the run cache under dir when the last prune is
// older than a day (or never happened); see cacheprune.Daily.
func PruneCacheDaily(dir string) {
	if dir == "" {
		return
	}
	cacheprune.Daily(filepath.Join(dir, pruneStamp), runCache(dir), CacheMaxAge)
}

// PruneCache removes bytecode (.qbc) and transform (.js, .js.map) entries
// under dir whose last use is before cutoff, and temporary files left by
// interrupted writers. It returns how many files it removed.
func PruneCache(dir string, cutoff time.Time) int {
	return cacheprune.Prune(runCache(dir), cutoff)
}
