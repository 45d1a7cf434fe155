package packument

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestMasks checks the word-at-a-time scans against byte tests (the
// first flagged byte must be the first matching one):
// every byte value at every position of an otherwise plain word, every
// pair of byte values at two positions, and random words.
func TestMasks(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		x := binary.LittleEndian.Uint64(b)
		for _, mk := range []struct {
			name string
			mask func(uint64) uint64
			is   func(byte) bool
		}{
			{"lookMask", lookMask, needsLookByte},
		} {
			first := -1
			for j, c := range b {
				if mk.is(c) {
					first = j
					break
				}
			}
			m := mk.mask(x)
			got := -1
			if m != 0 {
				got = bits.TrailingZeros64(m) >> 3
			}
			if got != first {
				t.Fatalf("%s(%q): first flagged byte %d, want %d", mk.name, b, got, first)
			}
		}
	}
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			check(b)
		}
	}
	for c1 := 0; c1 < 256; c1++ {
		for c2 := 0; c2 < 256; c2++ {
			b := []byte("a-c.e/g0")
			b[2], b[5] = byte(c1), byte(c2)
			check(b)
			b[0], b[7] = byte(c2), byte(c1)
			check(b)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		var b [8]byte
		for j := range b {
			// mostly printable ASCII, sometimes anything
			if r.IntN(10) == 0 {
				b[j] = byte(r.IntN(256))
			} else {
				b[j] = byte(0x20 + r.IntN(0x60))
			}
		}
		check(b[:])
	}
}
