package qjs

import (
	"syscall"
	"unsafe"
)

// Big transient buffers of the JSON fast paths (stringify's output, the
// parser's value stack) grow in anonymous mappings outside the Go heap:
// on the heap, each doubling of a multi-megabyte slice starts a Go
// collection, and the collector then spins waiting for the loop goroutine,
// which cannot be preempted while it copies the old slice. A mapping grows
// by moving pages (mremap), without a copy. The element type must hold no
// Go pointers.

// growMapped returns s with room for at least n more elements: in a new
// mapping holding a copy of s when mapped is false, or in s's own mapping
// grown in place or moved. It returns nil when the kernel refuses (s is
// then unchanged and still valid).
func growMapped[T any](s []T, mapped bool, n int) []T {
	var zero T
	size := unsafe.Sizeof(zero)
	want := (uintptr(max(len(s)+n, 2*cap(s)))*size + 0xFFFF) &^ 0xFFFF
	var p uintptr
	if mapped {
		p = mremap(uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(cap(s))*size, want, mremapMaymove, 0)
		if p == ^uintptr(0) {
			return nil
		}
	} else {
		r, _, errno := syscall.Syscall6(syscall.SYS_MMAP, 0, want,
			syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS, ^uintptr(0), 0)
		if errno != 0 {
			return nil
		}
		p = r
	}
	out := unsafe.Slice((*T)(unsafe.Pointer(p)), want/size)[:len(s)]
	if !mapped {
		copy(out, s)
	}
	return out
}

// unmapSlice releases a growMapped block.
func unmapSlice[T any](s []T) {
	var zero T
	syscall.Syscall(syscall.SYS_MUNMAP, uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(cap(s))*unsafe.Sizeof(zero), 0)
}
