//go:build !linux

package install

import "gnode/internal/pm/store"

// rawLink is Linux's fast path; elsewhere store.Link does all the work.
func rawLink(src, dest string, idx *store.Index) (ok, refused bool) { return false, false }
