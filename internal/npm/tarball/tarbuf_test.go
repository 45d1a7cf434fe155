package tarball

import (
	"encoding/binary"
	"testing"

	"gnode/internal/npm/inflate"
)

// TestSizeTarBuf checks when sizeTarBuf makes a buffer and how big.
func TestSizeTarBuf(t *testing.T) {
	gz := func(inLen int, isize uint32) []byte {
		b := make([]byte, inLen)
		binary.LittleEndian.PutUint32(b[inLen-4:], isize)
		return b
	}
	small := make([]byte, 0, 1000)
	for _, c := range []struct {
		name    string
		buf     []byte
		data    []byte
		limit   int
		wantCap int // 0: buf returned as it is
	}{
		{"too short to be gzip", nil, make([]byte, 17), 1 << 30, 0},
		{"buf big enough", small, gz(100, 1000-inflate.Slack), 1 << 30, 0},
		{"one byte over buf", small, gz(100, 1001-inflate.Slack), 1 << 30, tarBufMin},
		{"rounded to a power of two", nil, gz(10000, 300<<10), 1 << 30, 512 << 10},
		{"exactly tarBufMax", nil, gz(10000, tarBufMax-inflate.Slack), 1 << 30, tarBufMax},
		{"over tarBufMax", nil, gz(10000, tarBufMax), 1 << 30, 0},
		{"over the limit", nil, gz(10000, 100000), 50000, 0},
		{"more than the input can hold", nil, gz(100, 200000), 1 << 30, 0},
		{"4 GB claimed", small, gz(100, 1<<32-1), 1 << 30, 0},
	} {
		got := sizeTarBuf(c.buf, c.data, c.limit)
		if c.wantCap == 0 {
			if cap(got) != cap(c.buf) {
				t.Errorf("%s: got a buffer of %d, want the one given (%d)", c.name, cap(got), cap(c.buf))
			}
			continue
		}
		if cap(got) != c.wantCap || len(got) != 0 {
			t.Errorf("%s: got len %d cap %d, want len 0 cap %d", c.name, len(got), cap(got), c.wantCap)
		}
	}
}
