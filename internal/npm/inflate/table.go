package inflate

import (
	"math/bits"
	"sync"
)

// Decoding tables.
//
// A table maps the next tableBits bits of the stream (DEFLATE codes are
// read least significant bit first, so the index is the bit-reversed
// code) to a uint32 entry:
//
//	bits 0-5    bits to drop from the bit buffer: the code's length plus,
//	            for a length or distance, its extra bits; for a link to a
//	            second-level table, the first-level width
//	bits 8-11   code length (length and distance entries: the extra bits
//	            sit above it), or a link's second-level width
//	bit  7      invalid code (a symbol that cannot appear, or a slot no
//	            code of an incomplete code reaches)
//	bit  12     literal
//	bit  14     end of block
//	bit  15     link to a second-level table
//	bits 16-31  the literal byte, the base length or distance, a
//	            code-length symbol, or the link's offset in the table
//
// So one lookup and one shift take a code together with its extra bits.
// Literal/length tables resolve codes of up to litBits bits in one lookup;
// longer codes take a second lookup in a sub-table sized for the longest
// code under their prefix. (Entries holding two literals, as some
// decoders use, were tried: on npm tarballs, which are mostly
// back-references, building them cost more than they saved.)
const (
	eBad    = 1 << 7
	eEOB    = 1 << 14
	eLink   = 1 << 15
	eExcept = eBad | eEOB | eLink // anything but a literal or a length
	eLit    = 1 << 12

	litBits  = 11
	distBits = 8
	clBits   = 7

	// Table sizes: powers of two, so an index masked with size-1 needs no
	// bounds check. The largest first level plus sub-tables a complete
	// code can need is 2342 entries for 288 symbols of up to 15 bits with
	// an 11-bit first level, and 402 for 32 symbols with an 8-bit one
	// (zlib's "enough" figures); build checks the room anyway.
	litSize  = 4096
	distSize = 512
	clSize   = 1 << clBits
)

type (
	litTable  [litSize]uint32
	distTable [distSize]uint32
	clTable   [clSize]uint32
)

// Per-symbol entry parts without the code length: flags, value and, for
// lengths and distances, the number of extra bits (added to the drop
// count).
var litSyms, distSyms, clSyms = func() (l [288]uint32, d [32]uint32, c [19]uint32) {
	lenBase := [29]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra := [29]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase := [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra := [30]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	for s := range l {
		switch {
		case s < 256:
			l[s] = uint32(s)<<16 | eLit
		case s == 256:
			l[s] = eEOB
		case s < 286:
			l[s] = lenBase[s-257]<<16 | lenExtra[s-257]
		default: // 286 and 287 have codes in the fixed table but are invalid
			l[s] = eBad
		}
	}
	for s := range d {
		if s < 30 {
			d[s] = distBase[s]<<16 | distExtra[s]
		} else {
			d[s] = eBad
		}
	}
	for s := range c {
		c[s] = uint32(s) << 16
	}
	return
}()

// build fills t (first level of 1<<tb entries, sub-tables after it) for
// the code lengths of symbols 0..len(lengths)-1, whose entry parts are
// syms. It accepts what compress/flate accepts: a complete code, a single
// code of length 1, or no code at all (a table on which every lookup is
// invalid); an over-subscribed or other incomplete code is refused.
func build(t []uint32, tb uint, lengths []uint8, syms []uint32) bool {
	var count [16]uint16
	for _, l := range lengths {
		count[l&15]++
	}
	count[0] = 0
	maxLen := uint(0)
	left := 1 // Kraft: code space left at the current length
	for l := 1; l <= 15; l++ {
		left <<= 1
		left -= int(count[l])
		if left < 0 {
			return false // over-subscribed
		}
		if count[l] != 0 {
			maxLen = uint(l)
		}
	}
	size := 1 << tb
	if left != 0 {
		// Incomplete: only "no code" and "one code of one bit" pass, and
		// the unreached slots must decode as invalid.
		if maxLen > 1 || maxLen == 1 && count[1] != 1 {
			return false
		}
		for i := range t[:size] {
			t[i] = eBad
		}
		if maxLen == 0 {
			return true
		}
	}

	// Symbols sorted by code length, then by value: the order in which
	// canonical codes are assigned.
	var offs [16]uint16
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + count[l]
	}
	var sorted [288]uint16
	for s, l := range lengths {
		if l != 0 {
			sorted[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	n := int(offs[15]) // number of codes (offs[l] now ends length l)

	// First level, shortest codes first: each code is stored once, at its
	// bit-reversed position among the first 1<<l entries, and the table
	// doubles (its first half copied after it) as the length grows, which
	// fills the slots of the code's longer prefixes. Slots left for longer
	// codes are overwritten before the end (for a complete code), so the
	// copies of them do not matter.
	code := 0 // the canonical code of sorted[i]
	r := 0    // code bit-reversed in l bits
	l := uint(1)
	remaining := count // codes of each length not yet placed
	i := 0
	for ; i < n; i++ {
		s := sorted[i]
		for lengths[s] != uint8(l) {
			if l < tb {
				copy(t[1<<l:2<<l], t[:1<<l])
			}
			code <<= 1
			l++
		}
		if l > tb {
			break
		}
		t[r] = syms[s] + uint32(l) + uint32(l)<<8
		remaining[l]--
		code++
		// The next code, reversed: its highest zero bit set and the ones
		// above it cleared (none left after the last code).
		if m := ^r & (1<<l - 1); m != 0 {
			bit := 1 << (bits.Len(uint(m)) - 1)
			r = r&(bit-1) | bit
		}
	}
	for ; l < tb; l++ {
		copy(t[1<<l:2<<l], t[:1<<l])
	}

	// Codes longer than tb: one sub-table per tb-bit prefix, sized so that
	// the codes under the prefix (consecutive in canonical order) fill it.
	next := size
	prefix := -1
	var sub []uint32
	var subBits uint
	for ; i < n; i++ {
		s := sorted[i]
		for lengths[s] != uint8(l) {
			code <<= 1
			l++
		}
		if p := int(reverse(code>>(l-tb), tb)); p != prefix {
			prefix = p
			subBits = l - tb
			room := 1<<subBits - int(remaining[l])
			for ll := l + 1; room > 0 && ll <= maxLen; ll++ {
				subBits++
				room = room<<1 - int(remaining[ll])
			}
			if next+1<<subBits > len(t) {
				return false // cannot happen for a complete code; never overrun
			}
			sub = t[next : next+1<<subBits]
			t[p] = uint32(next)<<16 | eLink | uint32(subBits)<<8 | uint32(tb)
			next += 1 << subBits
		}
		rl := l - tb
		e := syms[s] + uint32(rl) + uint32(rl)<<8
		for r := int(reverse(code, rl)); r < len(sub); r += 1 << rl {
			sub[r] = e
		}
		remaining[l]--
		code++
	}
	return true
}

func reverse(code int, n uint) uint32 {
	return bits.Reverse32(uint32(code)) >> (32 - n)
}

// fixedTables are the fixed tables of RFC 1951 section 3.2.6, built on
// first use: building them at package initialisation cost every gnode
// command 0.13-0.23 ms of start-up, most of which never inflate.
var fixedTables = sync.OnceValues(func() (*litTable, *distTable) {
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
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	lt, dt := new(litTable), new(distTable)
	if !build(lt[:], litBits, l[:], litSyms[:]) || !build(dt[:], distBits, d[:], distSyms[:]) {
		panic("inflate: fixed Huffman tables do not build")
	}
	return lt, dt
})
