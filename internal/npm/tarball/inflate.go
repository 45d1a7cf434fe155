package tarball

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/bits"
)

// A DEFLATE (RFC 1951) decoder for a gzip member held whole in memory.
//
// compress/flate reads its input one byte at a time through an
// io.ByteReader and writes through a 32 KB window, which made inflating
// the tarballs the largest piece of CPU in a cold install (about 1.3 s of
// 2.3 s for the 873 tarballs of bench/fixtures/toolchain). A cold install
// now downloads each tarball into memory before extracting it, so this
// decoder works on slices: 64-bit refills of the bit buffer, table lookups
// that resolve a code and its extra bits in one step, and back-references
// copied within the output buffer. It is only a fast path: any error here
// (a corrupt or unusual stream, or one that is too large) sends the caller
// back to compress/gzip, whose answer stands, and a result is only used
// when the member's CRC-32 and length check out.

var (
	errInflate     = errors.New("inflate: invalid deflate data")
	errInflateSize = errors.New("inflate: output over the limit")
)

// gunzipMember decodes a gzip file of exactly one member that ends at the
// end of src (npm's tarballs), returning the decompressed bytes. Anything
// else is an error, including trailing bytes and output above limit.
// buf, when large enough, holds the output.
func gunzipMember(src []byte, limit int, buf []byte) ([]byte, error) {
	if len(src) < 18 || src[0] != 0x1f || src[1] != 0x8b || src[2] != 8 {
		return nil, errInflate
	}
	flg := src[3]
	if flg&0xe0 != 0 {
		return nil, errInflate
	}
	p := 10
	if flg&0x04 != 0 { // FEXTRA
		if p+2 > len(src) {
			return nil, errInflate
		}
		p += 2 + int(binary.LittleEndian.Uint16(src[p:]))
	}
	for _, f := range []byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flg&f == 0 {
			continue
		}
		for p < len(src) && src[p] != 0 {
			p++
		}
		p++
	}
	if flg&0x02 != 0 { // FHCRC
		p += 2
	}
	if p > len(src)-8 {
		return nil, errInflate
	}
	size := int(binary.LittleEndian.Uint32(src[len(src)-4:]))
	if size > limit {
		return nil, errInflateSize
	}
	out, used, err := inflate(src[p:len(src)-8], size, limit, buf)
	if err != nil {
		return nil, err
	}
	// The deflate stream must end where the trailer begins.
	if p+used != len(src)-8 || len(out) != size ||
		crc32.ChecksumIEEE(out) != binary.LittleEndian.Uint32(src[len(src)-8:]) {
		return nil, errInflate
	}
	return out, nil
}

// Decoding tables. An entry is a uint32:
//
//	bits 0-3    code length in bits (0: invalid code)
//	bits 4-7    extra bits to read after the code
//	bit  8      end of block
//	bit  9      link to a second-level table
//	bit  10     literal
//	bits 16-31  literal byte, base length or distance, or the link's offset
const (
	entEOB  = 1 << 8
	entLink = 1 << 9
	entLit  = 1 << 10
	// litBits and distBits are the first-level table sizes; longer codes
	// take a second lookup.
	litBits  = 10
	distBits = 8
)

type huffTable struct {
	t    []uint32
	bits uint // first-level index width
}

// Base values and extra bits for length codes 257..285 and distance codes.
var (
	lenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dstBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// symEntry is the table entry for symbol sym of a literal/length table
// (lit true) or a distance table; ok is false for symbols that are not
// valid in a stream (lengths 286-287, distances 30-31).
func symEntry(sym int, lit bool) (uint32, bool) {
	if lit {
		switch {
		case sym < 256:
			return uint32(sym)<<16 | entLit, true
		case sym == 256:
			return entEOB, true
		case sym < 286:
			i := sym - 257
			return uint32(lenBase[i])<<16 | uint32(lenExtra[i])<<4, true
		}
		return 0, false
	}
	if sym < 30 {
		return uint32(dstBase[sym])<<16 | uint32(dstExtra[sym])<<4, true
	}
	return 0, false
}

// build makes the table for the code lengths of symbols 0..len(lengths)-1,
// with the same acceptance rules as compress/flate: the code must be
// complete, except for a single code of length 1; no code at all is
// accepted (a block that then uses the table fails). Symbols that cannot
// appear in a stream get invalid entries.
func (h *huffTable) build(lengths []uint8, lit bool, first uint) bool {
	var count [16]int
	max := 0
	for _, l := range lengths {
		count[l]++
		if int(l) > max {
			max = int(l)
		}
	}
	count[0] = 0
	h.bits = first
	size := 1 << first
	if cap(h.t) >= size {
		h.t = h.t[:size]
		clear(h.t)
	} else {
		h.t = make([]uint32, size)
	}
	if max == 0 {
		return true
	}
	// Canonical codes: the first code of each length.
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	if c := next[max] + count[max]; c != 1<<max && !(c == 1 && max == 1) {
		return false
	}
	// Second-level tables: one per first-level slot whose codes are
	// longer than first bits, sized for the longest code under it.
	type sub struct{ off, bits int }
	var subs map[int]sub
	if max > int(first) {
		need := map[int]int{} // slot -> longest length under it
		nx := next
		for _, l := range lengths {
			if int(l) <= int(first) {
				if l > 0 {
					nx[l]++
				}
				continue
			}
			c := nx[l]
			nx[l]++
			slot := int(reverse(uint32(c>>(int(l)-int(first))), first))
			if int(l) > need[slot] {
				need[slot] = int(l)
			}
		}
		subs = make(map[int]sub, len(need))
		for slot, l := range need {
			b := l - int(first)
			subs[slot] = sub{off: len(h.t), bits: b}
			h.t[slot] = uint32(len(h.t))<<16 | uint32(b)<<4 | entLink
			h.t = append(h.t, make([]uint32, 1<<b)...)
		}
	}
	for sym, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		e, ok := symEntry(sym, lit)
		if !ok {
			continue // an invalid symbol keeps a zero (invalid) entry
		}
		r := int(reverse(uint32(c), uint(l)))
		if int(l) <= int(first) {
			e |= uint32(l)
			for i := r; i < size; i += 1 << l {
				h.t[i] = e
			}
			continue
		}
		s := subs[r&(size-1)]
		rest := int(l) - int(first)
		e |= uint32(rest)
		for i := r >> first; i < 1<<s.bits; i += 1 << rest {
			h.t[s.off+i] = e
		}
	}
	return true
}

func reverse(v uint32, n uint) uint32 {
	return bits.Reverse32(v) >> (32 - n)
}

// fixed tables of RFC 1951 section 3.2.6.
var fixedLit, fixedDist = func() (*huffTable, *huffTable) {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	// 32 distance codes of 5 bits; 30 and 31 are invalid in a stream.
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	lit, dist := &huffTable{}, &huffTable{}
	if !lit.build(l[:], true, litBits) || !dist.build(d[:], false, distBits) {
		panic("tarball: fixed Huffman tables do not build")
	}
	return lit, dist
}()

// bitReader reads DEFLATE's LSB-first bits from a slice. Reading past the
// end yields zero bits; over reports it, and the decoder checks it before
// trusting a result.
type bitReader struct {
	src   []byte
	pos   int
	b     uint64
	n     uint
	extra int // zero bytes fed after the end
}

// refill tops the buffer up to at least 56 bits.
func (r *bitReader) refill() {
	if r.pos+8 <= len(r.src) {
		r.b |= binary.LittleEndian.Uint64(r.src[r.pos:]) << r.n
		r.pos += int(63-r.n) >> 3
		r.n |= 56
		return
	}
	for r.n <= 56 {
		if r.pos < len(r.src) {
			r.b |= uint64(r.src[r.pos]) << r.n
			r.pos++
		} else {
			r.extra++
		}
		r.n += 8
	}
}

func (r *bitReader) take(n uint) uint32 {
	v := uint32(r.b & (1<<n - 1))
	r.b >>= n
	r.n -= n
	return v
}

// over reports whether more bits were consumed than the input holds.
func (r *bitReader) over() bool { return r.extra*8 > int(r.n) }

// consumed is how many input bytes the bits taken so far span (a byte
// partly used counts).
func (r *bitReader) consumed() int {
	return (8*(r.pos+r.extra) - int(r.n) + 7) / 8
}

// inflate decodes a raw DEFLATE stream, returning the output and how many
// bytes of src it used.
func inflate(src []byte, sizeHint, limit int, buf []byte) ([]byte, int, error) {
	// out is never read beyond what was written, so a reused buffer
	// needs no clearing.
	out := buf[:cap(buf)]
	if need := min(sizeHint, limit) + maxMatch + copySlack; len(out) < need {
		out = make([]byte, need)
	}
	o := 0
	r := &bitReader{src: src}
	var lit, dist huffTable
	var lengths [320]uint8
	for {
		r.refill()
		final := r.take(1)
		typ := r.take(2)
		switch typ {
		case 0: // stored
			r.take(r.n % 8)
			// The bit buffer holds whole bytes now; give the real ones
			// back to the input.
			back := int(r.n/8) - r.extra
			if back < 0 {
				return nil, 0, errInflate
			}
			r.pos -= back
			r.b, r.n, r.extra = 0, 0, 0
			if r.pos+4 > len(r.src) {
				return nil, 0, errInflate
			}
			n := int(binary.LittleEndian.Uint16(r.src[r.pos:]))
			if uint16(n) != ^binary.LittleEndian.Uint16(r.src[r.pos+2:]) {
				return nil, 0, errInflate
			}
			r.pos += 4
			if r.pos+n > len(r.src) {
				return nil, 0, errInflate
			}
			if o+n > limit {
				return nil, 0, errInflateSize
			}
			for o+n > len(out)-maxMatch-copySlack {
				out = grow(out, o, limit)
			}
			o += copy(out[o:], r.src[r.pos:r.pos+n])
			r.pos += n
		case 1:
			var err error
			if out, o, err = inflateBlock(r, out, o, fixedLit, fixedDist, limit); err != nil {
				return nil, 0, err
			}
		case 2:
			r.refill()
			nlit := int(r.take(5)) + 257
			ndist := int(r.take(5)) + 1
			nclen := int(r.take(4)) + 4
			if nlit > 286 || ndist > 30 {
				return nil, 0, errInflate
			}
			var cl [19]uint8
			for i := 0; i < nclen; i++ {
				if r.n < 3 {
					r.refill()
				}
				cl[clOrder[i]] = uint8(r.take(3))
			}
			var clt huffTable
			if !clt.build(cl[:], false, 7) {
				return nil, 0, errInflate
			}
			// Code-length symbols 0..18 were built as "distances": undo
			// that by reading the symbol back from the table layout.
			n := 0
			for n < nlit+ndist {
				r.refill()
				e := clt.t[r.b&127]
				l := uint(e & 15)
				if l == 0 {
					return nil, 0, errInflate
				}
				sym := clSym(e)
				r.b >>= l
				r.n -= l
				switch {
				case sym < 16:
					lengths[n] = uint8(sym)
					n++
				case sym == 16:
					if n == 0 {
						return nil, 0, errInflate
					}
					rep := 3 + int(r.take(2))
					if n+rep > nlit+ndist {
						return nil, 0, errInflate
					}
					for ; rep > 0; rep-- {
						lengths[n] = lengths[n-1]
						n++
					}
				default:
					var rep int
					if sym == 17 {
						rep = 3 + int(r.take(3))
					} else {
						rep = 11 + int(r.take(7))
					}
					if n+rep > nlit+ndist {
						return nil, 0, errInflate
					}
					for ; rep > 0; rep-- {
						lengths[n] = 0
						n++
					}
				}
			}
			if lengths[256] == 0 {
				return nil, 0, errInflate // no end-of-block code
			}
			if !lit.build(lengths[:nlit], true, litBits) || !dist.build(lengths[nlit:nlit+ndist], false, distBits) {
				return nil, 0, errInflate
			}
			var err error
			if out, o, err = inflateBlock(r, out, o, &lit, &dist, limit); err != nil {
				return nil, 0, err
			}
		default:
			return nil, 0, errInflate
		}
		if r.over() {
			return nil, 0, errInflate
		}
		if final == 1 {
			return out[:o], r.consumed(), nil
		}
	}
}

var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// clSym recovers a code-length symbol from its entry: the code-length
// table is built with distance entries, whose base values are distinct
// for symbols 0..18.
func clSym(e uint32) int {
	base := uint16(e >> 16)
	for i, b := range dstBase[:19] {
		if b == base {
			return i
		}
	}
	return -1
}

// inflateBlock decodes one Huffman-coded block into out[o:], growing out
// as needed; it returns the buffer and the new output length. out always
// keeps copySlack bytes past o, so short copies can move 8 bytes at a time.
// The bit buffer lives in locals for the loop.
func inflateBlock(r *bitReader, out []byte, o int, lit, dist *huffTable, limit int) ([]byte, int, error) {
	b, n, pos, src := r.b, r.n, r.pos, r.src
	lt, lbits := lit.t, lit.bits
	dt, dbits := dist.t, dist.bits
	lmask, dmask := uint64(1)<<lbits-1, uint64(1)<<dbits-1
	for {
		if o > len(out)-maxMatch-copySlack {
			if o >= limit {
				return nil, 0, errInflateSize
			}
			out = grow(out, o, limit)
		}
		// 48 bits cover a length code with its extra bits (20) and a
		// distance code with its extra bits (28).
		if n < 48 {
			if pos+8 <= len(src) {
				b |= binary.LittleEndian.Uint64(src[pos:]) << n
				pos += int(63-n) >> 3
				n |= 56
			} else {
				r.b, r.n, r.pos = b, n, pos
				r.refill()
				b, n, pos = r.b, r.n, r.pos
			}
		}
		e := lt[b&lmask]
		if e&entLink != 0 {
			b >>= lbits
			n -= lbits
			e = lt[int(e>>16)+int(b&(1<<((e>>4)&15)-1))]
		}
		l := uint(e & 15)
		if l == 0 {
			return nil, 0, errInflate
		}
		b >>= l
		n -= l
		if e&entLit != 0 {
			out[o] = byte(e >> 16)
			o++
			// Literals come in runs: while the buffer still holds a
			// first-level code, the next ones are decoded here without
			// the loop's room and refill checks. A refill leaves at most
			// 63 bits and a code takes at least one, so this writes
			// fewer than 64 bytes, inside the copySlack the room check
			// keeps past o.
			for n >= lbits {
				e = lt[b&lmask]
				if e&(entLit|entLink) != entLit {
					break
				}
				l = uint(e & 15)
				b >>= l
				n -= l
				out[o] = byte(e >> 16)
				o++
			}
			continue
		}
		if e&entEOB != 0 {
			r.b, r.n, r.pos = b, n, pos
			return out, o, nil
		}
		x := uint(e>>4) & 15
		length := int(e>>16) + int(b&(1<<x-1))
		b >>= x
		n -= x
		d := dt[b&dmask]
		if d&entLink != 0 {
			b >>= dbits
			n -= dbits
			d = dt[int(d>>16)+int(b&(1<<((d>>4)&15)-1))]
		}
		l = uint(d & 15)
		if l == 0 {
			return nil, 0, errInflate
		}
		b >>= l
		n -= l
		x = uint(d>>4) & 15
		distance := int(d>>16) + int(b&(1<<x-1))
		b >>= x
		n -= x
		if distance > o {
			return nil, 0, errInflate
		}
		if o+length > limit {
			return nil, 0, errInflateSize
		}
		start := o - distance
		switch {
		case distance >= 8 && length <= 64:
			// 8 bytes at a time: each word read is already final because
			// it ends at least 8 bytes behind where the copy writes.
			for i := 0; i < length; i += 8 {
				binary.LittleEndian.PutUint64(out[o+i:], binary.LittleEndian.Uint64(out[start+i:]))
			}
		case distance >= length:
			copy(out[o:o+length], out[start:start+length])
		case distance == 1:
			c := out[start]
			for i := o; i < o+length; i++ {
				out[i] = c
			}
		default:
			// Overlapping: the run repeats with period distance; copying
			// what is already there doubles it each time.
			for done := 0; done < length; {
				k := copy(out[o+done:o+length], out[start:o+done])
				done += k
			}
		}
		o += length
	}
}

const (
	maxMatch  = 258
	copySlack = 64 + 8
)

// grow enlarges out (doubling, within limit plus the slack) keeping out[:o].
func grow(out []byte, o, limit int) []byte {
	n := min(max(2*len(out), 64<<10), limit+maxMatch+copySlack)
	if n <= len(out) {
		n = len(out) + maxMatch + copySlack
	}
	nb := make([]byte, n)
	copy(nb, out[:o])
	return nb
}
