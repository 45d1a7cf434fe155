package inflate

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// Differential tests of the fast loops: every version (fastLoop and the
// assembly ones this machine runs) decodes the same streams to the same
// bytes as compress/flate and as the streams' own construction.

var (
	lenBase   = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// huffCode is a literal/length and a distance code: lengths and canonical
// codes per symbol.
type huffCode struct {
	lit, dist         []uint8
	litCode, distCode []uint32
}

func newHuffCode(lit, dist []uint8) *huffCode {
	return &huffCode{lit: lit, dist: dist, litCode: canonical(lit), distCode: canonical(dist)}
}

// fixedCode is RFC 1951's fixed code.
func fixedCode() *huffCode {
	lit := make([]uint8, 288)
	for i := range lit {
		switch {
		case i < 144:
			lit[i] = 8
		case i < 256:
			lit[i] = 9
		case i < 280:
			lit[i] = 7
		default:
			lit[i] = 8
		}
	}
	dist := make([]uint8, 30)
	for i := range dist {
		dist[i] = 5
	}
	return newHuffCode(lit, dist)
}

// streamGen writes DEFLATE blocks of random tokens and keeps the output
// they decode to.
type streamGen struct {
	rng *rand.Rand
	w   bitWriter
	out []byte
}

func (g *streamGen) literal(c *huffCode, b byte) {
	g.w.code(uint64(c.litCode[b]), uint(c.lit[b]))
	g.out = append(g.out, b)
}

func (g *streamGen) match(c *huffCode, length, dist int) {
	s := 28
	for lenBase[s] > length {
		s--
	}
	g.w.code(uint64(c.litCode[257+s]), uint(c.lit[257+s]))
	g.w.bits(uint64(length-lenBase[s]), lenExtra[s])
	d := 29
	for distBase[d] > dist {
		d--
	}
	g.w.code(uint64(c.distCode[d]), uint(c.dist[d]))
	g.w.bits(uint64(dist-distBase[d]), distExtra[d])
	from := len(g.out) - dist
	for i := 0; i < length; i++ {
		g.out = append(g.out, g.out[from+i])
	}
}

// tokens writes n random literals and matches: lengths from 3 to 258
// (mostly short, often 258), distances from 1 (runs), 2-7 (short
// periods), 8-40, anywhere in the window, to the window's edge (32768 or
// the start of the output).
func (g *streamGen) tokens(c *huffCode, n int, litP float64) {
	r := g.rng
	for ; n > 0; n-- {
		if len(g.out) == 0 || r.Float64() < litP {
			b := byte(r.IntN(256))
			if r.IntN(2) == 0 {
				b = "abcde\x00\xff"[r.IntN(7)]
			}
			g.literal(c, b)
			continue
		}
		var length int
		switch r.IntN(8) {
		case 0:
			length = 258
		case 1, 2:
			length = 3 + r.IntN(256)
		case 3:
			length = 3 + r.IntN(38) // around the five-word copy
		default:
			length = 3 + r.IntN(10)
		}
		window := min(len(g.out), 32768)
		var dist int
		switch r.IntN(10) {
		case 0:
			dist = 1
		case 1:
			dist = 2 + r.IntN(6)
		case 2:
			dist = 8 + r.IntN(33)
		case 3:
			dist = window
		case 4:
			dist = max(1, window-r.IntN(8))
		default:
			dist = 1 + r.IntN(window)
		}
		g.match(c, length, min(dist, window))
	}
}

func (g *streamGen) fixedBlock(final uint64, n int, litP float64) {
	g.w.bits(final, 1).bits(1, 2)
	c := fixedCode()
	g.tokens(c, n, litP)
	g.w.code(uint64(c.litCode[256]), uint(c.lit[256]))
}

// dynamicBlock codes its tokens with random complete codes of up to 15
// bits, so that many codes are longer than the first table level.
func (g *streamGen) dynamicBlock(final uint64, n int, litP float64) {
	c := newHuffCode(randomCompleteCode(g.rng, 286, 15), randomCompleteCode(g.rng, 30, 15))
	dynamicHeader(&g.w, final, c.lit, c.dist)
	g.tokens(c, n, litP)
	g.w.code(uint64(c.litCode[256]), uint(c.lit[256]))
}

func (g *streamGen) storedBlock(final uint64, n int) {
	g.w.bits(final, 1).bits(0, 2)
	if g.w.nacc > 0 {
		g.w.bits(0, 8-g.w.nacc)
	}
	g.w.bits(uint64(n), 16).bits(uint64(^uint16(n)), 16)
	for i := 0; i < n; i++ {
		b := byte(g.rng.IntN(256))
		g.w.bits(uint64(b), 8)
		g.out = append(g.out, b)
	}
}

// genStream returns a random stream of one to six blocks and its output.
func genStream(rng *rand.Rand) (src, want []byte) {
	g := &streamGen{rng: rng}
	blocks := 1 + rng.IntN(6)
	for i := 0; i < blocks; i++ {
		final := uint64(0)
		if i == blocks-1 {
			final = 1
		}
		n := rng.IntN(3000)
		if rng.IntN(4) == 0 {
			n = rng.IntN(30)
		}
		litP := []float64{0, 0.1, 0.5, 0.7, 0.95}[rng.IntN(5)]
		switch rng.IntN(5) {
		case 0:
			g.storedBlock(final, rng.IntN(2000))
		case 1:
			g.fixedBlock(final, n, litP)
		default:
			g.dynamicBlock(final, n, litP)
		}
	}
	return g.w.bytes(), g.out
}

// checkLoops decodes src (whose stream is all of it) with every fast
// loop, into output buffers that end at an inaccessible page, and
// compares with want.
func checkLoops(t *testing.T, name string, src, want []byte) {
	t.Helper()
	// The input ends at a guard page too: no load may pass its end.
	in := guarded(t, len(src))
	copy(in, src)
	for lname, loop := range fastLoops() {
		// Output room exactly size+Slack, so the fast loop runs up to
		// the end of the output; then a limit one byte short.
		out := guarded(t, len(want)+Slack)
		got, used, err := decodeWith(in, len(in), out[:0], len(want), loop)
		if err != nil || !bytes.Equal(got, want) || used != len(src) {
			t.Fatalf("%s, %s loop: %d bytes using %d (%v), want %d using %d (first difference at %d)",
				name, lname, len(got), used, err, len(want), len(src), firstDiff(got, want))
		}
		if len(want) > 0 {
			short := guarded(t, len(want)-1+Slack)
			if _, _, err := decodeWith(in, len(in), short[:0], len(want)-1, loop); !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%s, %s loop: limit one byte short: %v, want ErrTooLarge", name, lname, err)
			}
		}
		// A small buffer that grows (the fast loop resumes after each
		// growth) and a limit with room to spare.
		got, used, err = decodeWith(in, len(in), make([]byte, 0, 100), len(want)+1000, loop)
		if err != nil || !bytes.Equal(got, want) || used != len(src) {
			t.Fatalf("%s, %s loop, growing: %d bytes using %d (%v), want %d using %d", name, lname, len(got), used, err, len(want), len(src))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestFastLoopsRandomStreams decodes random streams of stored, fixed and
// dynamic blocks (random complete codes of up to 15 bits; runs, short
// periods, matches of 258 at distance 32768) with every fast loop and
// compress/flate.
func TestFastLoopsRandomStreams(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 300; i++ {
		src, want := genStream(rng)
		ref, used, err := stdInflate(src)
		if err != nil || !bytes.Equal(ref, want) || used != len(src) {
			t.Fatalf("stream %d: compress/flate disagrees with the generator: %v (%d vs %d bytes)", i, err, len(ref), len(want))
		}
		checkLoops(t, fmt.Sprintf("stream %d", i), src, want)
	}
}

// TestFastLoopsTruncated cuts random streams short and flips bits in
// them: every fast loop gives the same answer as compress/flate.
func TestFastLoopsCorrupted(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 200; i++ {
		src, _ := genStream(rng)
		bad := append([]byte(nil), src...)
		switch {
		case i%2 == 0 && len(bad) > 0:
			bad = bad[:rng.IntN(len(bad))]
		case len(bad) > 0:
			for k := 1 + rng.IntN(3); k > 0; k-- {
				bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
			}
		}
		want, wused, werr := stdInflate(bad)
		in := guarded(t, len(bad))
		copy(in, bad)
		for lname, loop := range fastLoops() {
			out := guarded(t, 1<<20+Slack)
			got, used, err := decodeWith(in, len(in), out[:0], 1<<20, loop)
			switch {
			case (err == nil) != (werr == nil) && !(errors.Is(err, ErrTooLarge) && len(want) > 1<<20):
				t.Fatalf("stream %d, %s loop: %v, compress/flate %v", i, lname, err, werr)
			case err == nil && (!bytes.Equal(got, want) || used != wused):
				t.Fatalf("stream %d, %s loop: %d bytes using %d, compress/flate %d using %d", i, lname, len(got), used, len(want), wused)
			}
		}
	}
}

// TestFastLoopsFlate decodes compress/flate's streams at every level,
// of data made for the copy paths: runs (distance 1), short periods,
// repeats exactly 32768 bytes back, and the samples.
func TestFastLoopsFlate(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	random := make([]byte, 32768)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	period := make([]byte, 0, 100_000)
	for len(period) < 100_000 {
		p := 1 + rng.IntN(20)
		unit := random[rng.IntN(1000):][:p]
		for k := rng.IntN(300); k > 0; k-- {
			period = append(period, unit...)
		}
	}
	data := map[string][]byte{
		"window edge": bytes.Repeat(random, 4),
		"periods":     period,
	}
	for name, d := range samples() {
		data[name] = d
	}
	for name, d := range data {
		for _, level := range levels {
			src := deflate(t, d, level)
			checkLoops(t, fmt.Sprintf("%s/level%d", name, level), src, d)
		}
	}
}

// TestFastLoopsLongBlock decodes single blocks of about 1 MB, longer
// than fastChunk, so that the fast loops stop and resume inside a block.
func TestFastLoopsLongBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 3; i++ {
		g := &streamGen{rng: rng}
		if i == 0 {
			g.fixedBlock(1, 20000, 0.3)
		} else {
			g.dynamicBlock(1, 20000, 0.3)
		}
		src, want := g.w.bytes(), g.out
		if len(want) < 2*fastChunk {
			t.Fatalf("block %d: %d bytes, want more than %d", i, len(want), 2*fastChunk)
		}
		if ref, used, err := stdInflate(src); err != nil || !bytes.Equal(ref, want) || used != len(src) {
			t.Fatalf("block %d: compress/flate disagrees with the generator: %v", i, err)
		}
		checkLoops(t, fmt.Sprintf("block %d", i), src, want)
	}
}
