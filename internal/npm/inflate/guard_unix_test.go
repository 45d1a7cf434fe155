//go:build unix

package inflate

import (
	"syscall"
	"testing"
)

// guarded returns a zeroed slice of length and capacity n that ends where
// an inaccessible page begins, so that a read or write past its capacity
// faults instead of touching other memory (the assembly loops have no
// bounds checks).
func guarded(t testing.TB, n int) []byte {
	page := syscall.Getpagesize()
	size := (n+page-1)/page*page + page
	m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(m) })
	if err := syscall.Mprotect(m[size-page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	end := size - page
	return m[end-n : end : end]
}
