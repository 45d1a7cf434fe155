//go:build !linux

package install

import (
	"os"
	"path/filepath"

	"gnode/internal/pm/store"
)

// rawLink is Linux's fast path; elsewhere store.Link does all the work.
func rawLink(src, dest string, idx *store.Index) (ok, refused bool) { return false, false }

// packageJSONsExist reports whether <dir>/<loc>/package.json exists for
// every loc.
func packageJSONsExist(dir string, locs []string) bool {
	for _, loc := range locs {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(loc), "package.json")); err != nil {
			return false
		}
	}
	return true
}
