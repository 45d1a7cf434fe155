// Package cacheprune removes cache files nobody has used for a while. The
// run cache (bytecode, transforms) and the install memo are keyed by
// content, so every edit leaves its old entries behind for good; a daily
// walk keeps such a cache about the size of what is in use. A removed
// entry only costs a slower start later: readers treat a missing file as a
// miss and writers publish by rename, so pruning needs no lock against
// other gnode processes.
package cacheprune

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Every bounds how often a cache is walked.
const Every = 24 * time.Hour

// Cache describes one cache: the folders walked and which files in them
// are its entries (others are left alone).
type Cache struct {
	Roots []string
	Ours  func(name string) bool
}

// Daily prunes c when the stamp file's modification time is older than
// Every (or there is none). It claims the turn by touching the stamp first,
// so concurrent processes do not all walk the cache; a process that exits
// mid-walk leaves the rest for the next day. Errors are ignored: a cache is
// an optimisation.
func Daily(stamp string, c Cache, maxAge time.Duration) {
	now := time.Now()
	if st, err := os.Stat(stamp); err == nil && now.Sub(st.ModTime()) < Every {
		return
	}
	if err := os.MkdirAll(filepath.Dir(stamp), 0o755); err != nil {
		return
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		return
	}
	Prune(c, now.Add(-maxAge))
}

// Prune removes c's entries whose last use is before cutoff, and temporary
// files (".tmp-" names) of writers that died over a day ago. Last use is
// the later of the access and modification times: with Linux's default
// relatime, reading a file moves its access time at least once a day. It
// returns how many files it removed.
func Prune(c Cache, cutoff time.Time) int {
	removed := 0
	stale := time.Now().Add(-Every)
	for _, root := range c.Roots {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			name := d.Name()
			tmp := strings.HasPrefix(name, ".tmp-")
			if !tmp && !c.Ours(name) {
				return nil // not an entry: leave it
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
			if tmp {
				limit = stale
			}
			if last.Before(limit) && os.Remove(path) == nil {
				removed++
			}
			return nil
		})
	}
	return removed
}
