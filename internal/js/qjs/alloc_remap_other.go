//go:build !linux

package qjs

const (
	mremapMaymove = 1
	mremapFixed   = 2
)

// mremap fails where there is none (big blocks are Linux only).
func mremap(old, oldLen, newLen uintptr, flags int, newAddr uintptr) uintptr {
	return ^uintptr(0)
}

// adviseHuge does nothing where there are no transparent huge pages.
func adviseHuge(p, n uintptr, collapse bool) bool { return false }
