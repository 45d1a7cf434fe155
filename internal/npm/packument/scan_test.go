package packument

import (
	"bytes"
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
			{"stopMask", stopMask, func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }},
			{"quoteMask", quoteMask, func(c byte) bool { return c == '"' || c == '\\' }},
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

// skipStringRef is what skipString did before it searched words: the next
// quote with bytes.IndexByte, escaped when an odd run of backslashes is
// before it; noted as skipScriptsWithoutInstall looked at its text.
func skipStringRef(data []byte, i int) (int, bool) {
	open := i - 1
	for {
		k := bytes.IndexByte(data[i:], '"')
		if k < 0 {
			return -1, false
		}
		k += i
		b := k - 1
		for b > open && data[b] == '\\' {
			b--
		}
		if (k-b-1)%2 == 0 {
			text := data[open+1 : k+1]
			return k + 1, bytes.Contains(text, []byte(`install"`)) || bytes.Contains(text, []byte(`\u`))
		}
		i = k + 1
	}
}

// FuzzSkipString compares skipString with skipStringRef on strings
// starting at every offset of the input.
func FuzzSkipString(f *testing.F) {
	for _, s := range []string{
		`"a"`, `"abcdefgh"`, `"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"`,
		`"a\"b"`, `"a\\"`, `"a\\\"b" "`, `"install"`, `"npm install"`, `"preinstall":"x"`, `"stall"`,
		`"\u0041"`, `"x\\u"`, `"abc`, `"abcdefghijklmnopqrstuvwxyz0123456789\"abcdefghijklmnop\\"`,
		`"abcdefghijklmnopqrstuvwxyz0123456789ab\u00e9cdefghijklmnopqrstuvwxyz install"`,
		`"abcdefghijklmnopqrstuvwxyz012345\\\\\"x"`, "\"\x00\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := 1; i <= len(data); i++ {
			end, noted := skipString(data, i, true)
			wend, wnoted := skipStringRef(data, i)
			if end != wend || end >= 0 && noted != wnoted {
				t.Fatalf("%q at %d: skipString %d, %v; want %d, %v", data, i, end, noted, wend, wnoted)
			}
			if end2, _ := skipString(data, i, false); end2 != end {
				t.Fatalf("%q at %d: end %d without note, %d with", data, i, end2, end)
			}
		}
	})
}
