//go:build !linux

package qjs

// Off-heap JSON buffers are Linux only; elsewhere they grow on the Go
// heap (growMapped fails, and callers append as usual).
func growMapped[T any](s []T, mapped bool, n int) []T { return nil }
func unmapSlice[T any](s []T)                         {}
