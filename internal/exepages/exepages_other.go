//go:build !linux

package exepages

// Release is a Linux-only resident-memory optimisation.
func Release() int { return 0 }
