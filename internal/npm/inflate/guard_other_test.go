//go:build !unix

package inflate

import "testing"

// guarded returns a slice of length and capacity n (no guard page on
// this platform).
func guarded(t testing.TB, n int) []byte { return make([]byte, n) }
