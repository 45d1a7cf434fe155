package registryclient

import "testing"

// TestBodyPool: a buffer from getBody always has room for what was asked,
// whatever buffer was given back before it.
func TestBodyPool(t *testing.T) {
	for _, n := range []int{0, 1, 512, 64 << 10, 64<<10 + 1, 100_000, 1 << 20, 3<<20 + 7, 16 << 20, 16<<20 + 1, 40 << 20} {
		b := getBody(n)
		if len(b) != 0 || cap(b) < n {
			t.Fatalf("getBody(%d): len %d cap %d", n, len(b), cap(b))
		}
		// a body that grew past its buffer comes back with an odd capacity
		b = append(b, make([]byte, n+n/3+1)...)
		putBody(b)
		putBody(make([]byte, 0, n/2+1))
		for _, m := range []int{n, n + 1, n / 2} {
			if c := getBody(m); len(c) != 0 || cap(c) < m {
				t.Fatalf("after putting back, getBody(%d): len %d cap %d", m, len(c), cap(c))
			}
		}
	}
}
