// Package inflate decodes DEFLATE (RFC 1951) and single-member gzip
// (RFC 1952) data held whole in memory into a buffer sized in advance.
//
// compress/flate is a streaming decoder: it reads its input a byte at a
// time through an io.ByteReader and writes through a 32 KB window that is
// copied out on each Read. When the whole input is in memory and the
// output size is known (the gzip trailer records it), none of that is
// needed: this decoder refills a 64-bit bit buffer with one 8-byte load,
// resolves a code and its extra bits with one table lookup, and copies
// back-references within the output buffer 8 bytes at a time. On amd64
// the hot loop is in assembly (fastloop_amd64.s; the purego build tag
// keeps the Go one). On the 899 tarballs of a cold install of
// bench/fixtures/toolchain it takes about 3.5 times less CPU than
// compress/gzip (1.15 ms per MB of output with BMI2, 1.25 without; the
// Go loop 1.35).
//
// It accepts exactly the streams compress/flate accepts and produces the
// same bytes (the fuzz tests hold it to that), with one more rule: the
// output may not grow past the size given in advance. Errors are
// ErrCorrupt, ErrChecksum and ErrTooLarge; a caller that wants
// compress/gzip's behaviour for whatever this package refuses (several
// members, trailing bytes) can fall back to it on any error.
package inflate

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"sync"
)

var (
	// ErrCorrupt reports data that is not a valid stream, or a gzip file
	// that is not exactly one member ending at the end of the input.
	ErrCorrupt = errors.New("inflate: invalid gzip or deflate data")
	// ErrChecksum reports a gzip member whose CRC-32 or length does not
	// match its data.
	ErrChecksum = errors.New("inflate: gzip checksum or length mismatch")
	// ErrTooLarge reports output beyond the size allowed.
	ErrTooLarge = errors.New("inflate: decompressed data over the size limit")
)

// Slack is how many bytes past the output's end the decoder may write
// (copies move 8 bytes at a time); buffers passed in need that much
// capacity beyond the output to be used as they are.
const Slack = 16

// maxRatio bounds how many bytes one input byte can decode to: a
// 258-byte match can be coded in 2 bits.
const maxRatio = 1032

// Gunzip decodes src, a gzip file of exactly one member that ends at the
// end of src (as npm tarballs are), and returns the decompressed bytes.
// The member's recorded length (ISIZE) sizes the output: a length over
// limit is ErrTooLarge before anything is allocated, and one the input
// could not possibly produce is ErrCorrupt. dst is used for the output
// when its capacity is at least ISIZE+Slack, so a caller can recycle
// buffers. The CRC-32 and length are checked.
func Gunzip(src []byte, limit int, dst []byte) ([]byte, error) {
	return gunzip(src, limit, dst, nil)
}

// gunzip is Gunzip decoding with the given fast loop (nil:
// fastLoopArch).
func gunzip(src []byte, limit int, dst []byte, loop fastFunc) ([]byte, error) {
	p, err := headerLen(src)
	if err != nil {
		return nil, err
	}
	end := len(src) - 8
	// Compared as int64: ISIZE may not fit an int on 32-bit platforms.
	isize := int64(binary.LittleEndian.Uint32(src[len(src)-4:]))
	if isize > int64(limit) {
		return nil, ErrTooLarge
	}
	if isize > int64(end-p)*maxRatio {
		return nil, ErrCorrupt
	}
	size := int(isize)
	out := dst[:0]
	if cap(out) < size+Slack {
		out = make([]byte, 0, size+Slack)
	}
	// The trailer's 8 bytes follow the deflate data, so the decoder's
	// 8-byte loads never run past src while the data lasts.
	out, used, err := decodeWith(src[p:], end-p, out, size, loop)
	if err != nil {
		return nil, err
	}
	if used != end-p {
		return nil, ErrCorrupt // the trailer is not where the stream ends
	}
	if len(out) != size || crc32.ChecksumIEEE(out) != binary.LittleEndian.Uint32(src[end:]) {
		return nil, ErrChecksum
	}
	return out, nil
}

// Inflate decodes the raw DEFLATE stream at the start of src, appending
// at most limit bytes to dst[:0] (dst is used when its capacity is at
// least limit+Slack). It returns the output and the number of input bytes
// the stream took; bytes after the stream are left alone.
func Inflate(src []byte, limit int, dst []byte) ([]byte, int, error) {
	out := dst[:0]
	if cap(out) < limit+Slack {
		n := min(limit, len(src)*maxRatio+maxMatch)
		out = make([]byte, 0, min(n, 1<<20)+Slack)
	}
	return decode(src, len(src), out, limit)
}

// headerLen parses a gzip member header as compress/gzip does (including
// the optional header CRC) and returns its length.
func headerLen(src []byte) (int, error) {
	if len(src) < 18 || src[0] != 0x1f || src[1] != 0x8b || src[2] != 8 {
		return 0, ErrCorrupt
	}
	flg := src[3]
	p := 10
	if flg&0x04 != 0 { // FEXTRA
		if p+2 > len(src) {
			return 0, ErrCorrupt
		}
		p += 2 + int(binary.LittleEndian.Uint16(src[p:]))
	}
	for _, f := range [2]byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flg&f == 0 || p >= len(src) {
			continue
		}
		for p < len(src) && src[p] != 0 {
			p++
		}
		p++
	}
	if flg&0x02 != 0 { // FHCRC: low 16 bits of the header's CRC-32
		if p+2 > len(src) || uint16(crc32.ChecksumIEEE(src[:p])) != binary.LittleEndian.Uint16(src[p:]) {
			return 0, ErrCorrupt
		}
		p += 2
	}
	if p > len(src)-8 {
		return 0, ErrCorrupt
	}
	return p, nil
}

const maxMatch = 258

// fastMargin is the output room the fast path keeps: one match plus its
// 8-byte overrun, or one refill's worth of literals (at most 64).
const fastMargin = maxMatch + 64

// fastChunk bounds the output of one fast loop call: the assembly loop
// cannot be preempted, so a huge block (a hostile one can hold the whole
// output) must not hold off the garbage collector's stop-the-world for
// long (256 KB is about 0.2 ms).
const fastChunk = 256 << 10

// tables holds a decoder's dynamic tables (about 18 KB, reused).
type tables struct {
	lit     litTable
	dist    distTable
	cl      clTable
	lengths [320]uint8
}

var tablePool = sync.Pool{New: func() any { return new(tables) }}

// decode decodes the DEFLATE stream at the start of src[:end] into out[:0]
// (whose capacity must be at least size+Slack when size is the most it
// may hold; it grows otherwise), returning the output and how many bytes
// of src[:end] the stream spans. Bytes of src past end may be loaded into
// the bit buffer but a stream that uses them is corrupt.
func decode(src []byte, end int, out []byte, size int) ([]byte, int, error) {
	return decodeWith(src, end, out, size, nil)
}

// fastFunc is the signature of fastLoop and its assembly versions.
type fastFunc func(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (int, uint64, uint, int, status)

// decodeWith is decode with the given fast loop instead of fastLoopArch
// (the tests hold every version to the same output).
func decodeWith(src []byte, end int, out []byte, size int, loop fastFunc) (_ []byte, _ int, err error) {
	tb := tablePool.Get().(*tables)
	defer tablePool.Put(tb)
	// Every index is bounds-checked; should a bug still let hostile
	// input reach a check that fails, the input is reported corrupt (and
	// callers fall back to compress/gzip) instead of the process dying.
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(runtime.Error); !ok {
				panic(r)
			}
			err = ErrCorrupt
		}
	}()
	if loop == nil {
		loop = fastLoopArch
	}
	d := decoder{src: src, end: end, out: out[:cap(out)], size: size, loop: loop}
	if err := d.run(tb); err != nil {
		return nil, 0, err
	}
	used := (8*(d.pos+d.extra) - int(d.n) + 7) / 8
	if used > end {
		return nil, 0, ErrCorrupt
	}
	return d.out[:d.o], used, nil
}

type decoder struct {
	src   []byte
	end   int    // logical end of the input
	pos   int    // next byte of src to load
	extra int    // zero bytes loaded past the end of src
	b     uint64 // bit buffer, least significant bit next; bits above n are the next input bits or zero
	n     uint   // valid bits in b
	out   []byte // output buffer, len = capacity
	o     int    // output length
	size  int    // most output allowed

	loop fastFunc // fastLoopArch, or another fast loop under test
}

// refill tops the bit buffer up to 56-63 bits; past the end of src it
// feeds zero bytes, which the caller detects (overrun) unless the stream
// ends before using them.
func (d *decoder) refill() {
	if d.pos+8 <= len(d.src) {
		d.b |= binary.LittleEndian.Uint64(d.src[d.pos:]) << d.n
		d.pos += int(63-d.n) >> 3
		d.n |= 56
		return
	}
	for d.n < 56 {
		if d.pos < len(d.src) {
			d.b |= uint64(d.src[d.pos]) << d.n
			d.pos++
		} else {
			d.extra++
		}
		d.n += 8
	}
}

// overrun reports whether the bits used so far go past the logical end.
func (d *decoder) overrun() bool {
	return 8*(d.pos+d.extra)-int(d.n) > 8*d.end
}

func (d *decoder) take(n uint) uint32 {
	v := uint32(d.b & (1<<n - 1))
	d.b >>= n
	d.n -= n
	return v
}

// grow makes room for at least need more output bytes (plus the slack),
// within size.
func (d *decoder) grow(need int) error {
	if d.o+need > d.size {
		return ErrTooLarge
	}
	if d.o+need+Slack <= len(d.out) {
		return nil
	}
	n := min(max(2*len(d.out), d.o+need+Slack, 64<<10), d.size+Slack)
	nb := make([]byte, n)
	copy(nb, d.out[:d.o])
	d.out = nb
	return nil
}

var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

func (d *decoder) run(tb *tables) error {
	for {
		d.refill()
		if d.extra > 8 {
			return ErrCorrupt
		}
		final := d.take(1)
		switch d.take(2) {
		case 0:
			if err := d.stored(); err != nil {
				return err
			}
		case 1:
			if err := d.block(fixedTables()); err != nil {
				return err
			}
		case 2:
			if err := d.dynamicTables(tb); err != nil {
				return err
			}
			if err := d.block(&tb.lit, &tb.dist); err != nil {
				return err
			}
		default:
			return ErrCorrupt
		}
		if d.overrun() {
			return ErrCorrupt
		}
		if final == 1 {
			return nil
		}
	}
}

// stored copies a stored block: byte-aligned LEN, NLEN, then LEN bytes.
func (d *decoder) stored() error {
	d.take(d.n % 8)
	// The bit buffer now holds whole bytes; give the real ones back.
	p := d.pos + d.extra - int(d.n/8)
	if p+4 > d.end {
		return ErrCorrupt
	}
	n := int(binary.LittleEndian.Uint16(d.src[p:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(d.src[p+2:]) {
		return ErrCorrupt
	}
	p += 4
	if p+n > d.end {
		return ErrCorrupt
	}
	if err := d.grow(n); err != nil {
		return err
	}
	d.o += copy(d.out[d.o:], d.src[p:p+n])
	d.pos, d.extra, d.b, d.n = p+n, 0, 0, 0
	return nil
}

// dynamicTables reads a dynamic block's code lengths and builds its
// tables, refusing what compress/flate refuses.
func (d *decoder) dynamicTables(tb *tables) error {
	d.refill()
	nlit := int(d.take(5)) + 257
	ndist := int(d.take(5)) + 1
	nclen := int(d.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return ErrCorrupt
	}
	var cl [19]uint8
	for i := 0; i < nclen; i++ {
		if d.n < 3 {
			d.refill()
		}
		cl[clOrder[i]] = uint8(d.take(3))
	}
	if !build(tb.cl[:], clBits, cl[:], clSyms[:]) {
		return ErrCorrupt
	}
	lengths := tb.lengths[:nlit+ndist]
	for i := 0; i < len(lengths); {
		if d.n < 16 {
			d.refill()
			if d.extra > 8 {
				return ErrCorrupt
			}
		}
		e := tb.cl[d.b&(clSize-1)]
		if e&eBad != 0 {
			return ErrCorrupt
		}
		d.b >>= e & 63
		d.n -= uint(e & 63)
		sym := e >> 16
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return ErrCorrupt
			}
			rep, v = 3+int(d.take(2)), lengths[i-1]
		case 17:
			rep = 3 + int(d.take(3))
		default:
			rep = 11 + int(d.take(7))
		}
		if i+rep > len(lengths) {
			return ErrCorrupt
		}
		for ; rep > 0; rep-- {
			lengths[i] = v
			i++
		}
	}
	if !build(tb.lit[:], litBits, lengths[:nlit], litSyms[:]) ||
		!build(tb.dist[:], distBits, lengths[nlit:], distSyms[:]) {
		return ErrCorrupt
	}
	return nil
}

// block decodes one Huffman-coded block: fastLoopArch (fastLoop or its
// assembly version) while the input and the output have room for its
// unchecked steps, otherwise one step at a time with checks (near either
// end, or until the output grows).
func (d *decoder) block(lt *litTable, dt *distTable) error {
	for {
		if fastOut := min(d.size, len(d.out)-Slack, d.o+fastChunk) - fastMargin; d.pos <= len(d.src)-8 && d.o <= fastOut {
			var st status
			d.pos, d.b, d.n, d.o, st = d.loop(d.src, d.pos, d.b, d.n, d.out, d.o, fastOut, lt, dt)
			switch st {
			case endOfBlock:
				return nil
			case corrupt:
				return ErrCorrupt
			}
		}
		d.refill()
		if d.extra > 8 {
			return ErrCorrupt
		}
		e := lt[d.b&(1<<litBits-1)]
		if e&eLink != 0 {
			d.b >>= litBits
			d.n -= litBits
			e = lt[(int(e>>16)+int(d.b&(1<<(e>>8&15)-1)))&(litSize-1)]
		}
		if e&eBad != 0 {
			return ErrCorrupt
		}
		length := int(e>>16) + d.drop(e)
		if e&eLit != 0 {
			if err := d.grow(1); err != nil {
				return err
			}
			d.out[d.o] = byte(e >> 16)
			d.o++
			continue
		}
		if e&eEOB != 0 {
			return nil
		}
		e = dt[d.b&(1<<distBits-1)]
		if e&eLink != 0 {
			d.b >>= distBits
			d.n -= distBits
			e = dt[(int(e>>16)+int(d.b&(1<<(e>>8&15)-1)))&(distSize-1)]
		}
		if e&eBad != 0 {
			return ErrCorrupt
		}
		dist := int(e>>16) + d.drop(e)
		if dist > d.o {
			return ErrCorrupt
		}
		if err := d.grow(length); err != nil {
			return err
		}
		w := d.out[d.o-dist : d.o+length]
		for i := dist; i < len(w); i++ {
			w[i] = w[i-dist]
		}
		d.o += length
	}
}

// drop takes entry e's code and extra bits from the bit buffer and
// returns the extra bits' value.
func (d *decoder) drop(e uint32) int {
	c := e & 63
	v := int(d.b&(1<<c-1)) >> (e >> 8 & 15)
	d.b >>= c
	d.n -= uint(c)
	return v
}

type status int

const (
	more status = iota
	endOfBlock
	corrupt
)

// fastLoop decodes symbols while at least 8 input bytes are left (so a
// refill is one 8-byte load) and the output has fastMargin bytes of room
// (so writes need no room checks). After each refill the bit buffer holds
// 56 bits or more, enough for a length and a distance code with their
// extra bits (48 bits at most). The next entry is looked up before a
// match is copied, so the table load overlaps the copy (7% faster on npm
// tarballs). At most three literals are decoded from one refill, with
// no loop and no bit count check (a loop that ran until fewer than
// litBits bits were left kept its variables on the stack: 7% more CPU),
// and shifts by the bit count are masked to 63 so that the compiler adds
// no out-of-range case (5%). It returns the decoder state and whether
// the block ended, the data is corrupt, or the checked loop must go on.
func fastLoop(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (int, uint64, uint, int, status) {
	fastIn := len(src) - 8
	if pos > fastIn || o > fastOut {
		return pos, b, n, o, more
	}
	b |= binary.LittleEndian.Uint64(src[pos:]) << (n & 63)
	pos += int(63-n) >> 3
	n |= 56
	e := lt[b&(1<<litBits-1)]
	for {
		if e&eLit != 0 {
			// Up to three literals from the same bit buffer (a
			// first-level entry takes at most litBits bits, and a refill
			// leaves 56 or more), then a refill, which keeps the low bits
			// and so the entry looked up last.
			b >>= e & 63
			n -= uint(e & 63)
			out[o] = byte(e >> 16)
			o++
			e = lt[b&(1<<litBits-1)]
			if e&eLit != 0 {
				b >>= e & 63
				n -= uint(e & 63)
				out[o] = byte(e >> 16)
				o++
				e = lt[b&(1<<litBits-1)]
				if e&eLit != 0 {
					b >>= e & 63
					n -= uint(e & 63)
					out[o] = byte(e >> 16)
					o++
					e = lt[b&(1<<litBits-1)]
				}
			}
			if pos > fastIn || o > fastOut {
				return pos, b, n, o, more
			}
			b |= binary.LittleEndian.Uint64(src[pos:]) << (n & 63)
			pos += int(63-n) >> 3
			n |= 56
			if e&eLit != 0 {
				continue
			}
		}
		if e&eExcept != 0 {
			if e&eLink != 0 {
				b >>= litBits
				n -= litBits
				e = lt[(int(e>>16)+int(b&(1<<(e>>8&15)-1)))&(litSize-1)]
				if e&eLit != 0 {
					b >>= e & 63
					n -= uint(e & 63)
					out[o] = byte(e >> 16)
					o++
					if pos > fastIn || o > fastOut {
						return pos, b, n, o, more
					}
					b |= binary.LittleEndian.Uint64(src[pos:]) << (n & 63)
					pos += int(63-n) >> 3
					n |= 56
					e = lt[b&(1<<litBits-1)]
					continue
				}
			}
			if e&eBad != 0 {
				return pos, b, n, o, corrupt
			}
			if e&eEOB != 0 {
				b >>= e & 63
				n -= uint(e & 63)
				return pos, b, n, o, endOfBlock
			}
		}
		// A length (base plus the extra bits above the code), then a
		// distance.
		c := e & 63
		length := int(e>>16) + int(b&(1<<c-1))>>(e>>8&15)
		b >>= c
		n -= uint(c)
		e = dt[b&(1<<distBits-1)]
		if e&eExcept != 0 {
			if e&eLink != 0 {
				b >>= distBits
				n -= distBits
				e = dt[(int(e>>16)+int(b&(1<<(e>>8&15)-1)))&(distSize-1)]
			}
			if e&eBad != 0 {
				return pos, b, n, o, corrupt
			}
		}
		c = e & 63
		dist := int(e>>16) + int(b&(1<<c-1))>>(e>>8&15)
		b >>= c
		n -= uint(c)
		if dist > o {
			return pos, b, n, o, corrupt
		}
		from := o - dist
		if pos > fastIn {
			// No 8-byte load left: finish the match byte by byte (the
			// room is there) and let the checked loop go on.
			w := out[from : o+length]
			for i := dist; i < len(w); i++ {
				w[i] = w[i-dist]
			}
			return pos, b, n, o + length, more
		}
		b |= binary.LittleEndian.Uint64(src[pos:]) << (n & 63)
		pos += int(63-n) >> 3
		n |= 56
		e = lt[b&(1<<litBits-1)]
		if dist >= 8 {
			// 8 bytes at a time, through fixed-size views of the output
			// so that the copies need no bounds checks: each word read
			// ends at least 8 bytes behind the write, so it is final. The
			// first five words are copied whatever the length (most
			// matches are short, and a branch on the length mispredicts
			// more often than 24 extra bytes cost: 16 bytes then a loop
			// took 8% more CPU on the toolchain corpus, 48 bytes no
			// less); the overrun stays inside fastMargin.
			dw := (*[maxMatch + 8]byte)(out[o : o+maxMatch+8])
			sw := (*[maxMatch + 8]byte)(out[from : from+maxMatch+8])
			binary.LittleEndian.PutUint64(dw[0:8], binary.LittleEndian.Uint64(sw[0:8]))
			binary.LittleEndian.PutUint64(dw[8:16], binary.LittleEndian.Uint64(sw[8:16]))
			binary.LittleEndian.PutUint64(dw[16:24], binary.LittleEndian.Uint64(sw[16:24]))
			binary.LittleEndian.PutUint64(dw[24:32], binary.LittleEndian.Uint64(sw[24:32]))
			binary.LittleEndian.PutUint64(dw[32:40], binary.LittleEndian.Uint64(sw[32:40]))
			if length > 40 {
				for i := 40; i < maxMatch; i += 8 {
					binary.LittleEndian.PutUint64(dw[i:i+8], binary.LittleEndian.Uint64(sw[i:i+8]))
					if i+8 >= length {
						break
					}
				}
			}
		} else if dist == 1 {
			v := uint64(out[from]) * 0x0101010101010101
			dw := (*[maxMatch + 8]byte)(out[o : o+maxMatch+8])
			for i := 0; i < maxMatch; i += 8 {
				binary.LittleEndian.PutUint64(dw[i:i+8], v)
				if i+8 >= length {
					break
				}
			}
		} else {
			// A short period: byte by byte, each byte repeating the one
			// dist before it.
			w := out[from : o+length]
			for i := dist; i < len(w); i++ {
				w[i] = w[i-dist]
			}
		}
		o += length
		if o > fastOut {
			return pos, b, n, o, more
		}
	}
}
