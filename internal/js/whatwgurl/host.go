package whatwgurl

import (
	"strconv"
	"strings"
)

// Percent-encode sets (URL Standard §1.3) as tables over ASCII; every set
// contains the C0 control set, which holds all code points above U+007E,
// so a non-ASCII code point is always encoded.
type encodeSet [128]bool

func makeSet(parent *encodeSet, extra string) *encodeSet {
	s := new(encodeSet)
	if parent != nil {
		*s = *parent
	} else {
		for c := 0; c < 0x20; c++ {
			s[c] = true
		}
		s[0x7f] = true
	}
	for i := 0; i < len(extra); i++ {
		s[extra[i]] = true
	}
	return s
}

var (
	c0ControlSet    = makeSet(nil, "")
	fragmentSet     = makeSet(c0ControlSet, " \"<>`")
	querySet        = makeSet(c0ControlSet, " \"#<>")
	specialQuerySet = makeSet(querySet, "'")
	pathSet         = makeSet(querySet, "?`{}")
	userinfoSet     = makeSet(pathSet, "/:;=@[\\]^|")
	componentSet    = makeSet(userinfoSet, "$%&+,")
	formSet         = makeSet(componentSet, "!'()~")
)

func (s *encodeSet) has(c rune) bool { return c >= 0x80 || s[c] }

const upperHex = "0123456789ABCDEF"

// appendEncoded appends code point c, percent-encoded as UTF-8 when it is
// in the set.
func appendEncoded(dst []byte, c rune, set *encodeSet) []byte {
	if !set.has(c) {
		if c < 0x80 {
			return append(dst, byte(c))
		}
		return appendRune(dst, c)
	}
	var b [4]byte
	n := encodeRune(b[:], c)
	for _, x := range b[:n] {
		dst = append(dst, '%', upperHex[x>>4], upperHex[x&15])
	}
	return dst
}

// appendEncodedString percent-encodes each code point of s in the set.
func appendEncodedString(dst []byte, s string, set *encodeSet, spaceAsPlus bool) []byte {
	for _, c := range s {
		if spaceAsPlus && c == ' ' {
			dst = append(dst, '+')
			continue
		}
		dst = appendEncoded(dst, c, set)
	}
	return dst
}

func encodeRune(b []byte, c rune) int {
	switch {
	case c < 0x80:
		b[0] = byte(c)
		return 1
	case c < 0x800:
		b[0], b[1] = 0xc0|byte(c>>6), 0x80|byte(c&63)
		return 2
	case c < 0x10000:
		if c >= 0xd800 && c <= 0xdfff {
			c = 0xfffd
		}
		b[0], b[1], b[2] = 0xe0|byte(c>>12), 0x80|byte((c>>6)&63), 0x80|byte(c&63)
		return 3
	}
	b[0], b[1], b[2], b[3] = 0xf0|byte(c>>18), 0x80|byte((c>>12)&63), 0x80|byte((c>>6)&63), 0x80|byte(c&63)
	return 4
}

func appendRune(dst []byte, c rune) []byte {
	var b [4]byte
	n := encodeRune(b[:], c)
	return append(dst, b[:n]...)
}

func isHex(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// percentDecode decodes %XX escapes over the UTF-8 bytes of s.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == '%' && i+2 < len(s) && isHex(rune(s[i+1])) && isHex(rune(s[i+2])) {
			out = append(out, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 2
			continue
		}
		out = append(out, b)
	}
	return out
}

func isASCIIAlpha(c rune) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }
func isASCIIDigit(c rune) bool { return c >= '0' && c <= '9' }
func isASCIIAlnum(c rune) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }

func isForbiddenHost(c rune) bool {
	switch c {
	case 0x00, 0x09, 0x0a, 0x0d, ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

func isForbiddenDomain(c rune) bool {
	return isForbiddenHost(c) || c <= 0x1f || c == '%' || c == 0x7f
}

// ---- IPv4

// parseIPv4Number returns the value of one dotted part; values beyond
// 2^40 saturate, since they only need to compare as too large.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	r := uint64(10)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		r, s = 16, s[2:]
	} else if len(s) >= 2 && s[0] == '0' {
		r, s = 8, s[1:]
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case r == 16 && c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case r == 16 && c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= r {
			return 0, false
		}
		if n < 1<<40 {
			n = n*r + d
		}
	}
	return n, true
}

func endsInANumber(input string) bool {
	tail := input[len(input)-1]
	if tail == '.' {
		if len(input) < 2 {
			return false
		}
		tail = input[len(input)-2]
	}
	if !((tail >= '0' && tail <= '9') || (tail >= 'a' && tail <= 'f') || (tail >= 'A' && tail <= 'F') || tail == 'x' || tail == 'X') {
		return false
	}
	// The last label, ignoring one trailing empty label (no allocation:
	// the fast path calls this for every host).
	input = strings.TrimSuffix(input, ".")
	last := input[strings.LastIndexByte(input, '.')+1:]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

func parseIPv4(input string) (uint64, bool) {
	parts := strings.Split(input, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return 0, false
	}
	nums := make([]uint64, 0, 4)
	for _, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return 0, false
		}
		nums = append(nums, n)
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return 0, false
		}
	}
	if nums[len(nums)-1] >= 1<<(8*(5-len(nums))) {
		return 0, false
	}
	v := nums[len(nums)-1]
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	return v, true
}

func serializeIPv4(n uint64) string {
	b := make([]byte, 0, 15)
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, (n>>(8*i))&255, 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return string(b)
}

// ---- IPv6

func parseIPv6(input []rune) ([8]uint16, bool) {
	var addr [8]uint16
	piece, compress, p := 0, -1, 0
	c := func(i int) rune {
		if i < len(input) {
			return input[i]
		}
		return -1
	}
	if c(p) == ':' {
		if c(p+1) != ':' {
			return addr, false
		}
		p += 2
		piece++
		compress = piece
	}
	for c(p) != -1 {
		if piece == 8 {
			return addr, false
		}
		if c(p) == ':' {
			if compress != -1 {
				return addr, false
			}
			p++
			piece++
			compress = piece
			continue
		}
		value, length := 0, 0
		for length < 4 && c(p) != -1 && isHex(c(p)) {
			value = value*16 + int(hexVal(byte(c(p))))
			p++
			length++
		}
		if c(p) == '.' {
			if length == 0 {
				return addr, false
			}
			p -= length
			if piece > 6 {
				return addr, false
			}
			seen := 0
			for c(p) != -1 {
				v4 := -1
				if seen > 0 {
					if c(p) == '.' && seen < 4 {
						p++
					} else {
						return addr, false
					}
				}
				if c(p) == -1 || !isASCIIDigit(c(p)) {
					return addr, false
				}
				for c(p) != -1 && isASCIIDigit(c(p)) {
					n := int(c(p) - '0')
					switch v4 {
					case -1:
						v4 = n
					case 0:
						return addr, false
					default:
						v4 = v4*10 + n
					}
					if v4 > 255 {
						return addr, false
					}
					p++
				}
				addr[piece] = addr[piece]*0x100 + uint16(v4)
				seen++
				if seen == 2 || seen == 4 {
					piece++
				}
			}
			if seen != 4 {
				return addr, false
			}
			break
		} else if c(p) == ':' {
			p++
			if c(p) == -1 {
				return addr, false
			}
		} else if c(p) != -1 {
			return addr, false
		}
		addr[piece] = uint16(value)
		piece++
	}
	if compress != -1 {
		swaps := piece - compress
		piece = 7
		for piece != 0 && swaps > 0 {
			addr[piece], addr[compress+swaps-1] = addr[compress+swaps-1], addr[piece]
			piece--
			swaps--
		}
	} else if piece != 8 {
		return addr, false
	}
	return addr, true
}

func serializeIPv6(a [8]uint16) string {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	b := make([]byte, 0, 41)
	ignore0 := false
	for i := 0; i < 8; i++ {
		if ignore0 && a[i] == 0 {
			continue
		}
		ignore0 = false
		if best == i {
			if i == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			ignore0 = true
			continue
		}
		b = strconv.AppendUint(b, uint64(a[i]), 16)
		if i != 7 {
			b = append(b, ':')
		}
	}
	return string(b)
}

// ---- hosts

func parseOpaqueHost(input string) (string, error) {
	for _, c := range input {
		if c != '%' && isForbiddenHost(c) {
			return "", ErrInvalid
		}
	}
	return string(appendEncodedString(nil, input, c0ControlSet, false)), nil
}

// parseHost returns the serialized host. A domain that needs IDNA
// processing (non-ASCII after percent-decoding, or a Punycode label)
// returns ErrNeedsIDNA.
func parseHost(input string, isOpaque, trusted bool) (string, error) {
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", ErrInvalid
		}
		a, ok := parseIPv6([]rune(input[1 : len(input)-1]))
		if !ok {
			return "", ErrInvalid
		}
		return "[" + serializeIPv6(a) + "]", nil
	}
	if isOpaque {
		return parseOpaqueHost(input)
	}
	domain := input
	if strings.IndexByte(input, '%') >= 0 || !isASCII(input) {
		d := percentDecode(input)
		if !isASCII(string(d)) {
			return "", ErrNeedsIDNA
		}
		domain = string(d)
	}
	ascii := strings.ToLower(domain)
	if !trusted && (strings.HasPrefix(ascii, "xn--") || strings.Contains(ascii, ".xn--")) {
		return "", ErrNeedsIDNA
	}
	if ascii == "" {
		return "", ErrInvalid
	}
	for i := 0; i < len(ascii); i++ {
		if isForbiddenDomain(rune(ascii[i])) {
			return "", ErrInvalid
		}
	}
	if endsInANumber(ascii) {
		v, ok := parseIPv4(ascii)
		if !ok {
			return "", ErrInvalid
		}
		return serializeIPv4(v), nil
	}
	return ascii, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
