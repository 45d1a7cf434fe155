package inflate

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// gz compresses data as one gzip member at the given level.
func gz(t testing.TB, data []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Name = "package.tar"
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// deflate compresses data as a raw DEFLATE stream.
func deflate(t testing.TB, data []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// stdGunzip is the reference: compress/gzip reading one member.
func stdGunzip(src []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	r.Multistream(false)
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// stdInflate is the reference for raw streams, also returning how many
// input bytes compress/flate consumed (it reads exactly the stream from a
// ByteReader).
func stdInflate(src []byte) ([]byte, int, error) {
	br := bytes.NewReader(src)
	out, err := io.ReadAll(flate.NewReader(br))
	return out, len(src) - br.Len(), err
}

func samples() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	text := []byte(strings.Repeat("module.exports = function (a, b) { return a + b; };\n// comment\n", 4000))
	skewed := make([]byte, 200_000)
	for i := range skewed {
		// Few symbols with very uneven frequencies: codes longer than
		// the first table level.
		skewed[i] = byte(min(255, int(rng.ExpFloat64()*3)))
	}
	wide := make([]byte, 200_000)
	for i := range wide {
		// Geometric over all 256 values: literal codes up to 15 bits.
		wide[i] = byte(min(255, int(rng.ExpFloat64()*18)))
	}
	words := make([]byte, 0, 300_000)
	vocab := strings.Fields("the quick brown fox jumps over lazy dog function return const let var import export default from require module exports")
	for len(words) < 300_000 {
		words = append(words, vocab[rng.IntN(len(vocab))]...)
		words = append(words, " \n;(){}"[rng.IntN(7)])
	}
	// Matches with zero to four random literals between them: every
	// number of literals the fast loop decodes from one refill, and
	// literals with codes longer than the first table level next to
	// matches.
	gaps := make([]byte, 0, 200_000)
	for len(gaps) < 200_000 {
		gaps = append(gaps, "exports.value"[:5+rng.IntN(9)]...)
		for k := rng.IntN(5); k > 0; k-- {
			gaps = append(gaps, byte(rng.IntN(256)))
		}
	}
	shortDist := make([]byte, 100_000)
	for i := range shortDist {
		shortDist[i] = "abcabcdabcdeab"[i%(2+i/1000%7)]
	}
	return map[string][]byte{
		"empty":        {},
		"one":          {'x'},
		"short repeat": []byte("hello hello hello hello, world; abcabcabcabcabc"),
		"random":       random,
		"text":         text,
		"skewed":       skewed,
		"wide":         wide,
		"words":        words,
		"runs":         bytes.Repeat([]byte{'a'}, 100_000),
		"short dist":   shortDist,
		"literal gaps": gaps,
		"mixed":        append(append(append([]byte{}, text[:50_000]...), random[:70_000]...), words...),
	}
}

var levels = []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, 3, flate.DefaultCompression, flate.BestCompression}

func TestGunzipMatchesStdlib(t *testing.T) {
	for name, data := range samples() {
		for _, level := range levels {
			t.Run(fmt.Sprintf("%s/level%d", name, level), func(t *testing.T) {
				src := gz(t, data, level)
				got, err := Gunzip(src, 1<<30, nil)
				if err != nil {
					t.Fatalf("Gunzip: %v", err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("output differs from the input (%d vs %d bytes)", len(got), len(data))
				}
				// A reused buffer that is too small, then one that fits.
				if got, err := Gunzip(src, 1<<30, make([]byte, 10)); err != nil || !bytes.Equal(got, data) {
					t.Fatalf("with a small buffer: %v", err)
				}
				buf := make([]byte, len(data)+Slack)
				if got, err := Gunzip(src, 1<<30, buf); err != nil || !bytes.Equal(got, data) || len(data) > 0 && &got[0] != &buf[0] {
					t.Fatalf("with a buffer that fits: %v (buffer used: %v)", err, len(data) > 0 && &got[0] == &buf[0])
				}
			})
		}
	}
}

func TestInflateMatchesFlate(t *testing.T) {
	for name, data := range samples() {
		for _, level := range levels {
			t.Run(fmt.Sprintf("%s/level%d", name, level), func(t *testing.T) {
				src := deflate(t, data, level)
				// Trailing bytes are left alone and not counted.
				withTail := append(append([]byte(nil), src...), "trailing"...)
				got, used, err := Inflate(withTail, 1<<30, nil)
				if err != nil {
					t.Fatalf("Inflate: %v", err)
				}
				if !bytes.Equal(got, data) || used != len(src) {
					t.Fatalf("got %d bytes using %d, want %d using %d", len(got), used, len(data), len(src))
				}
				if len(data) > 0 {
					if _, _, err := Inflate(src, len(data)-1, nil); !errors.Is(err, ErrTooLarge) {
						t.Fatalf("limit one byte short: %v, want ErrTooLarge", err)
					}
				}
			})
		}
	}
}

// handmade builds DEFLATE streams bit by bit.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint64, n uint) *bitWriter {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
	return w
}

// code writes a Huffman code (most significant bit first).
func (w *bitWriter) code(c uint64, n uint) *bitWriter {
	for i := int(n) - 1; i >= 0; i-- {
		w.bits(c>>uint(i)&1, 1)
	}
	return w
}

func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		return append(w.buf, byte(w.acc))
	}
	return w.buf
}

// dynamicHeader writes a dynamic block header whose code lengths are
// given directly (each coded with a code-length code where every symbol
// 0..15 has 4 bits, a complete code of 16 symbols... plus 16-18 unused).
func dynamicHeader(w *bitWriter, final uint64, lit, dist []uint8) {
	w.bits(final, 1).bits(2, 2)
	w.bits(uint64(len(lit)-257), 5).bits(uint64(len(dist)-1), 5).bits(19-4, 4)
	// Code-length code: symbols 0..15 get length 4 (complete: 16 codes of
	// 4 bits), 16..18 none. Order: 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15.
	order := []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	for _, s := range order {
		if s < 16 {
			w.bits(4, 3)
		} else {
			w.bits(0, 3)
		}
	}
	// With all 16 symbols at length 4, symbol s has code s.
	for _, l := range append(append([]uint8{}, lit...), dist...) {
		w.code(uint64(l), 4)
	}
}

// hostileStreams returns invalid raw DEFLATE streams by name.
func hostileStreams(t testing.TB) map[string][]byte {
	// Literal/length code: 'a' (1 bit: 0), EOB (2 bits: 10), length 3
	// (257, 2 bits: 11) — complete.
	lit := make([]uint8, 258)
	lit['a'], lit[256], lit[257] = 1, 2, 2
	oneDist := []uint8{1} // a single 1-bit distance code (allowed)

	cases := map[string][]byte{
		// A match before any output: distance 1 with nothing written.
		"distance before start": func() []byte {
			w := &bitWriter{}
			dynamicHeader(w, 1, lit, oneDist)
			w.code(3, 2).code(0, 1).code(2, 2) // length 3, distance 1, EOB
			return w.bytes()
		}(),
		// Distance 2 after one byte of output (fixed codes).
		"distance too far back": (&bitWriter{}).bits(1, 1).bits(1, 2).
			code(0x30+'a', 8).  // literal 'a'
			code(1, 7).         // length 3 (257)
			code(1, 5).         // distance 2
			code(0, 7).bytes(), // EOB
		"over-subscribed": func() []byte {
			l := make([]uint8, 258)
			l['a'], l['b'], l[256], l[257] = 1, 1, 1, 2
			w := &bitWriter{}
			dynamicHeader(w, 1, l, oneDist)
			return w.bytes()
		}(),
		"incomplete literal code": func() []byte {
			l := make([]uint8, 258)
			l['a'], l[256] = 2, 2
			w := &bitWriter{}
			dynamicHeader(w, 1, l, oneDist)
			return w.bytes()
		}(),
		"incomplete distance code": func() []byte {
			w := &bitWriter{}
			dynamicHeader(w, 1, lit, []uint8{2, 2, 2})
			return w.bytes()
		}(),
		// The single 1-bit distance code is 0; a 1 bit is no code.
		"unused distance code": func() []byte {
			w := &bitWriter{}
			dynamicHeader(w, 1, lit, oneDist)
			w.code(0, 1).code(3, 2).code(1, 1).code(2, 2)
			return w.bytes()
		}(),
		"no end-of-block code": func() []byte {
			l := make([]uint8, 258)
			l['a'], l['b'] = 1, 1
			w := &bitWriter{}
			dynamicHeader(w, 1, l, oneDist)
			return w.code(0, 1).code(1, 1).bytes()
		}(),
		"length symbol 286": (&bitWriter{}).bits(1, 1).bits(1, 2).code(0xc6, 8).bytes(),
		"distance symbol 30": (&bitWriter{}).bits(1, 1).bits(1, 2).
			code(0x30+'a', 8).code(1, 7).code(30, 5).code(0, 7).bytes(),
		"block type 3":      (&bitWriter{}).bits(1, 1).bits(3, 2).bytes(),
		"stored bad nlen":   {0x01, 0x05, 0x00, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o'},
		"stored truncated":  {0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e'},
		"empty":             {},
		"not final":         {0x00, 0x00, 0x00, 0xff, 0xff},
		"too many lengths":  (&bitWriter{}).bits(1, 1).bits(2, 2).bits(31, 5).bits(0, 5).bits(0, 4).bytes(),
		"too many distance": (&bitWriter{}).bits(1, 1).bits(2, 2).bits(0, 5).bits(31, 5).bits(0, 4).bytes(),
		"repeat with no previous length": func() []byte {
			w := &bitWriter{}
			w.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(0, 4)
			// Code-length code: only 16 and 17, 1 bit each.
			w.bits(1, 3).bits(1, 3).bits(0, 3).bits(0, 3)
			return w.code(0, 1).bits(0, 2).bytes()
		}(),
		"repeat past the end": func() []byte {
			w := &bitWriter{}
			w.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(0, 4)
			// 16 and 18 (the 18 code: 1).
			w.bits(1, 3).bits(0, 3).bits(1, 3).bits(0, 3)
			for i := 0; i < 3; i++ {
				w.code(1, 1).bits(127, 7) // 138 zeros each: 414 > 258
			}
			return w.bytes()
		}(),
	}
	// A valid stream cut short at various points.
	good := deflate(t, samples()["words"][:20000], flate.BestCompression)
	for _, n := range []int{0, 1, 2, 5, 10, 100, len(good) / 2, len(good) - 2, len(good) - 1} {
		cases[fmt.Sprintf("truncated at %d", n)] = good[:n]
	}
	return cases
}

// handWritten is a valid dynamic block in the style of hostileStreams:
// 'a', then a copy of length 3 at distance 1.
func handWritten() []byte {
	lit := make([]uint8, 258)
	lit['a'], lit[256], lit[257] = 1, 2, 2
	w := &bitWriter{}
	dynamicHeader(w, 1, lit, []uint8{1})
	return w.code(0, 1).code(3, 2).code(0, 1).code(2, 2).bytes()
}

func TestHostileStreams(t *testing.T) {
	for name, src := range hostileStreams(t) {
		t.Run(name, func(t *testing.T) {
			out, _, err := Inflate(src, 1<<20, nil)
			if err == nil {
				t.Fatalf("accepted (%d bytes: %q)", len(out), clip(out))
			}
			if want, _, werr := stdInflate(src); werr == nil {
				t.Fatalf("refused with %v, but compress/flate accepts it (%d bytes)", err, len(want))
			}
		})
	}
	// The hand-written streams are built right: a valid one decodes.
	if out, _, err := Inflate(handWritten(), 100, nil); err != nil || string(out) != "aaaa" {
		t.Fatalf("valid hand-written stream: %q, %v", out, err)
	}
}

func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

func TestGunzipRejects(t *testing.T) {
	data := samples()["text"]
	good := gz(t, data, flate.DefaultCompression)
	with := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	flip := func(i int) []byte { return with(func(b []byte) []byte { b[i] ^= 0x40; return b }) }
	setSize := func(n uint32) []byte {
		return with(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[len(b)-4:], n); return b })
	}
	cases := map[string]struct {
		src  []byte
		want error
	}{
		"truncated":         {good[:len(good)-20], nil},
		"no trailer":        {good[:len(good)-8], nil},
		"header only":       {good[:10], ErrCorrupt},
		"bad crc":           {flip(len(good) - 6), ErrChecksum},
		"size too small":    {setSize(uint32(len(data) - 1)), nil},
		"size too large":    {setSize(uint32(len(data) + 1)), ErrChecksum},
		"trailing data":     {append(append([]byte(nil), good...), 0, 0, 0), nil},
		"two members":       {append(append([]byte(nil), good...), good...), nil},
		"not gzip":          {[]byte("package/package.json......."), ErrCorrupt},
		"bad method":        {flip(2), ErrCorrupt},
		"corrupt body":      {flip(len(good) / 2), nil},
		"size beyond ratio": {setSize(uint32(len(good)-18)*maxRatio + 1), ErrCorrupt},
		"huge size":         {setSize(1<<32 - 1), ErrTooLarge},
		"bad header crc": {with(func(b []byte) []byte {
			b[3] |= 0x02 // FHCRC with a wrong CRC: the name's first two bytes
			return b
		}), ErrCorrupt},
		"unterminated name":  {[]byte{0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'}, ErrCorrupt},
		"extra past the end": {[]byte{0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0}, ErrCorrupt},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := Gunzip(c.src, 1<<30, nil)
			if err == nil {
				t.Fatalf("accepted: %d bytes", len(out))
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if _, serr := stdGunzip(c.src); serr == nil && name != "trailing data" && name != "two members" {
				t.Fatalf("refused with %v, but compress/gzip accepts it", err)
			}
		})
	}
	if _, err := Gunzip(good, len(data)-1, nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limit: got %v, want ErrTooLarge", err)
	}
	if _, err := Gunzip(good, len(data), nil); err != nil {
		t.Errorf("limit equal to the size: %v", err)
	}
}

// TestGunzipHeaderFields decodes members with every optional header field,
// including a correct header CRC.
func TestGunzipHeaderFields(t *testing.T) {
	body := deflate(t, []byte("hello, world"), flate.BestCompression)
	hdr := []byte{0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 1, 2, 3, 4, 0, 3}
	hdr = append(hdr, 3, 0, 'x', 'y', 'z')
	hdr = append(hdr, "name.tar\x00comment\x00"...)
	hdr = binary.LittleEndian.AppendUint16(hdr, uint16(crc32.ChecksumIEEE(hdr)))
	src := append(hdr, body...)
	src = binary.LittleEndian.AppendUint32(src, crc32.ChecksumIEEE([]byte("hello, world")))
	src = binary.LittleEndian.AppendUint32(src, 12)
	want, err := stdGunzip(src)
	if err != nil {
		t.Fatalf("compress/gzip refuses the test member: %v", err)
	}
	got, err := Gunzip(src, 100, nil)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

// TestTablesAreComplete checks the table builder against brute force: for
// random complete codes, every slot of the first level and of each
// sub-table holds the symbol whose code matches.
func TestTablesAreComplete(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 300; iter++ {
		lengths := randomCompleteCode(rng, 2+rng.IntN(287), 15)
		var tab litTable
		if !build(tab[:], litBits, lengths, litSyms[:]) {
			t.Fatalf("complete code refused: %v", lengths)
		}
		// Canonical codes by brute force.
		codes := canonical(lengths)
		for s, l := range lengths {
			if l == 0 {
				continue
			}
			// Decode the code's bits (LSB first = code reversed) through the
			// table, with random bits after it.
			v := uint64(reverse(int(codes[s]), uint(l))) | rng.Uint64()<<l
			e := tab[v&(1<<litBits-1)]
			used := uint32(0)
			if e&eLink != 0 {
				used = litBits
				e = tab[(int(e>>16)+int(v>>litBits&(1<<(e>>8&15)-1)))&(litSize-1)]
			}
			if got := used + (e>>8)&15; got != uint32(l) {
				t.Fatalf("symbol %d: code length %d in table, want %d", s, got, l)
			}
			if want := litSyms[s]; e&^0xfff != want&^0xfff {
				t.Fatalf("symbol %d: entry %#x, want value %#x", s, e, want)
			}
		}
	}
}

// randomCompleteCode gives n symbols lengths forming a complete prefix
// code with lengths at most maxLen (split a random leaf until n leaves).
func randomCompleteCode(rng *rand.Rand, n int, maxLen uint8) []uint8 {
	leaves := []uint8{0}
	for len(leaves) < n {
		i := rng.IntN(len(leaves))
		if leaves[i] >= maxLen {
			continue
		}
		leaves[i]++
		leaves = append(leaves, leaves[i])
	}
	rng.Shuffle(len(leaves), func(i, j int) { leaves[i], leaves[j] = leaves[j], leaves[i] })
	return leaves
}

func canonical(lengths []uint8) []uint32 {
	var count [16]uint32
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]uint32
	code := uint32(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	out := make([]uint32, len(lengths))
	for s, l := range lengths {
		if l != 0 {
			out[s] = next[l]
			next[l]++
		}
	}
	return out
}

// corpus reads the real tarballs of $TARBALL_CORPUS (a folder of .tgz
// files, see pm/store's BenchmarkPutCorpus).
func corpus(t testing.TB) [][]byte {
	dir := os.Getenv("TARBALL_CORPUS")
	if dir == "" {
		t.Skip("set TARBALL_CORPUS to a folder of .tgz files")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		t.Skipf("no .tgz files in %s", dir)
	}
	return out
}

func TestGunzipCorpus(t *testing.T) {
	var buf []byte
	for i, src := range corpus(t) {
		want, werr := stdGunzip(src)
		got, err := Gunzip(src, 1<<30, buf)
		if (werr == nil) != (err == nil) {
			t.Fatalf("tarball %d: Gunzip %v, compress/gzip %v", i, err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("tarball %d: output differs", i)
		}
		if cap(got) > cap(buf) {
			buf = got
		}
	}
}

// BenchmarkGunzipCorpus decompresses every tarball of $TARBALL_CORPUS
// with Gunzip (reusing one buffer, as tarball.ExtractBytes does) and with
// compress/gzip, reporting CPU time per MB of output: on a shared machine
// wall time mostly measures the neighbours.
func BenchmarkGunzipCorpus(b *testing.B) {
	srcs := corpus(b)
	var total int64
	for _, s := range srcs {
		total += int64(binary.LittleEndian.Uint32(s[len(s)-4:]))
	}
	run := func(b *testing.B, fn func(src []byte) error) {
		b.SetBytes(total)
		c := cpuTime()
		for i := 0; i < b.N; i++ {
			for _, s := range srcs {
				if err := fn(s); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(cpuTime()-c)/float64(b.N)/(float64(total)/1e6)/1e6, "cpu-ms/MB")
	}
	b.Run("inflate", func(b *testing.B) {
		var buf []byte
		run(b, func(s []byte) error {
			out, err := Gunzip(s, 1<<30, buf)
			if cap(out) > cap(buf) {
				buf = out
			}
			return err
		})
	})
	// Each fast loop (fastLoop and the assembly versions this machine
	// runs) on its own.
	for name, loop := range fastLoops() {
		b.Run("inflate-"+name, func(b *testing.B) {
			var buf []byte
			run(b, func(s []byte) error {
				out, err := gunzip(s, 1<<30, buf, loop)
				if cap(out) > cap(buf) {
					buf = out
				}
				return err
			})
		})
	}
	b.Run("compress-gzip", func(b *testing.B) {
		var zr gzip.Reader
		buf := make([]byte, 64<<10)
		run(b, func(s []byte) error {
			if err := zr.Reset(bytes.NewReader(s)); err != nil {
				return err
			}
			zr.Multistream(false)
			_, err := io.CopyBuffer(io.Discard, &zr, buf)
			return err
		})
	})
}

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// TestInflateGrows decodes output larger than the first buffer Inflate
// allocates (1 MB), so the output grows, and the fast loop resumes after
// each growth.
func TestInflateGrows(t *testing.T) {
	data := bytes.Repeat(samples()["words"], 10)
	src := deflate(t, data, flate.DefaultCompression)
	for _, dst := range [][]byte{nil, make([]byte, 100)} {
		got, used, err := Inflate(src, 1<<30, dst)
		if err != nil || !bytes.Equal(got, data) || used != len(src) {
			t.Fatalf("got %d bytes using %d (%v), want %d using %d", len(got), used, err, len(data), len(src))
		}
	}
}
