//go:build !linux

package registry

// releaseExecutablePages is a Linux-only resident-memory optimisation.
func releaseExecutablePages() int { return 0 }
