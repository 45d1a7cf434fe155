package manifest

import (
	"cmp"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// npm sorts dependency maps and lockfile keys with JavaScript's
// String.prototype.localeCompare(other, 'en'): ICU's CLDR root collation,
// not byte order ('_' sorts before '-', '@' before '/', lower case before
// upper case, ...).
//
// For ASCII strings — every npm package name, and nearly every path — the
// comparison below is CLDR root's exactly: control characters are
// ignorable; the rest have the primary weights of asciiOrder (punctuation
// is not ignorable, letters compare case-blind); then the tertiary level
// puts lower case before upper case. Other strings get an approximation
// of the same ordering: NFKD splits accented and compatibility characters
// into base and marks, marks and a few letters CLDR sorts as variants (ø,
// ł, æ, ß...) compare at the secondary level, other punctuation and
// symbols sort after ASCII's of their kind, and letters of other scripts
// after 'z' by code point. (x/text's collator was exact there too, but
// its package initialisation parsed a hundred locale tags in every gnode
// process, and npm names cannot hold such characters.)
//
// Where two strings are equal at every level, code point order decides,
// so distinct strings never compare equal and sorts are deterministic.

// asciiOrder is CLDR root's order of the printable ASCII characters and
// whitespace (node: chars.sort((a, b) => a.localeCompare(b, 'en'))); the
// upper-case letters share their lower-case letter's primary weight.
const asciiOrder = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"

// primary is each ASCII byte's primary weight, 0 for ignorable; upper
// marks the upper-case letters (tertiary level); rank is primary for the
// bytes of LocaleFast strings, 0 for the others.
var primary, upper, rank = asciiTables()

func asciiTables() (primary [128]uint8, upper [128]bool, rank [256]uint8) {
	for i := 0; i < len(asciiOrder); i++ {
		primary[asciiOrder[i]] = uint8(i + 1)
	}
	for c := 'A'; c <= 'Z'; c++ {
		primary[c] = primary[c+'a'-'A']
		upper[c] = true
	}
	for _, c := range "_-.@/0123456789abcdefghijklmnopqrstuvwxyz" {
		rank[c] = primary[c]
	}
	return
}

func fastComparable(s string) bool {
	for i := 0; i < len(s); i++ {
		if rank[s[i]] == 0 {
			return false
		}
	}
	return true
}

// LocaleFast reports whether s takes LocaleCompare's table path (lower-case
// letters, digits and _-.@/ only): a sort can ask once per string and
// compare two such strings with LocaleCompareFast.
func LocaleFast(s string) bool { return fastComparable(s) }

// LocaleCompareFast is LocaleCompare for two strings LocaleFast accepts.
// Each of their bytes has a primary weight of its own (no ignorable byte,
// no case), so the order is plain lexicographic over the weights.
func LocaleCompareFast(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if ra, rb := rank[a[i]], rank[b[i]]; ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(a), len(b))
}

// LocaleCompare compares like a.localeCompare(b, 'en') in JavaScript.
func LocaleCompare(a, b string) int {
	if fastComparable(a) && fastComparable(b) {
		return LocaleCompareFast(a, b)
	}
	var c int
	if isASCII(a) && isASCII(b) {
		c = compareASCII(a, b)
	} else {
		c = compareKeys(sortKey(a), sortKey(b))
	}
	if c != 0 {
		return c
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// compareASCII is the collation of two ASCII strings: primary weights with
// the ignorable bytes skipped, then case.
func compareASCII(a, b string) int {
	for level := 0; level < 2; level++ {
		i, j := 0, 0
		for {
			for i < len(a) && primary[a[i]] == 0 {
				i++
			}
			for j < len(b) && primary[b[j]] == 0 {
				j++
			}
			if i == len(a) || j == len(b) {
				if i < len(a) {
					return 1
				}
				if j < len(b) {
					return -1
				}
				break
			}
			var wa, wb int
			if level == 0 {
				wa, wb = int(primary[a[i]]), int(primary[b[j]])
			} else {
				wa, wb = b2i(upper[a[i]]), b2i(upper[b[j]])
			}
			if wa != wb {
				if wa < wb {
					return -1
				}
				return 1
			}
			i++
			j++
		}
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Primary weights of non-ASCII characters: ASCII's weight of the group's
// last member in the high bits, so they sort after ASCII's of their kind,
// and the code point in the low bits.
var (
	afterPunct    = uint64(primary['%'])<<32 | 1
	afterSymbol   = uint64(primary['~'])<<32 | 1
	afterCurrency = uint64(primary['$'])<<32 | 1
	afterSpace    = uint64(primary[' '])<<32 | 1
	afterLetters  = uint64(primary['z'])<<32 | 1
)

// latinVariant is the ASCII base of a letter without a canonical
// decomposition that CLDR root sorts as a secondary variant of it (ø after
// o), or as an expansion at the tertiary level (æ as "ae", ß as "ss").
func latinVariant(r rune) (base string, secondary bool) {
	switch unicode.ToLower(r) {
	case 'ø':
		return "o", true
	case 'ł':
		return "l", true
	case 'đ':
		return "d", true
	case 'ħ':
		return "h", true
	case 'ŧ':
		return "t", true
	case 'æ':
		return "ae", false
	case 'œ':
		return "oe", false
	case 'ß':
		return "ss", false
	}
	return "", false
}

// collKey is a string's weights at the three levels.
type collKey struct {
	p    []uint64
	s, t []uint32
}

func (k *collKey) add(p uint64, s, t uint32) {
	k.p = append(k.p, p)
	k.s = append(k.s, s)
	k.t = append(k.t, t)
}

const (
	secBase = 1 // a base character's secondary weight; marks weigh more
	terBase = 0
	terUp   = 1 // upper case
	terExp  = 2 // an expansion's letters (æ as "ae")
)

func sortKey(str string) collKey {
	var k collKey
	for _, r := range norm.NFKD.String(str) {
		up := uint32(terBase)
		if unicode.IsUpper(r) {
			up = terUp
		}
		switch {
		case r < utf8.RuneSelf:
			if w := primary[r]; w != 0 {
				k.add(uint64(w)<<32, secBase, b2u(upper[r]))
			}
		case unicode.In(r, unicode.Mn, unicode.Me):
			// A combining mark: secondary weight only.
			k.s = append(k.s, secBase+1+uint32(r))
		case unicode.In(r, unicode.Cc, unicode.Cf):
			// ignorable
		case unicode.IsSpace(r):
			k.add(afterSpace+uint64(r), secBase, up)
		case unicode.IsDigit(r):
			k.add(uint64(primary[byte(digitValue(r))])<<32, secBase+1, up)
		case unicode.IsPunct(r):
			k.add(afterPunct+uint64(r), secBase, up)
		case unicode.Is(unicode.Sc, r):
			k.add(afterCurrency+uint64(r), secBase, up)
		case unicode.IsSymbol(r):
			k.add(afterSymbol+uint64(r), secBase, up)
		default:
			if base, secondary := latinVariant(r); base != "" {
				for i := 0; i < len(base); i++ {
					if secondary {
						k.add(uint64(primary[base[i]])<<32, secBase+1, up)
					} else {
						k.add(uint64(primary[base[i]])<<32, secBase, terExp+up)
					}
				}
				continue
			}
			k.add(afterLetters+uint64(unicode.ToLower(r)), secBase, up)
		}
	}
	return k
}

func b2u(b bool) uint32 {
	if b {
		return terUp
	}
	return terBase
}

// digitValue is '0'..'9' for a decimal digit of any script.
func digitValue(r rune) rune {
	for _, t := range unicode.Nd.R16 {
		if uint16(r) >= t.Lo && uint16(r) <= t.Hi && r <= 0xFFFF && t.Stride == 1 {
			return '0' + (r-rune(t.Lo))%10
		}
	}
	for _, t := range unicode.Nd.R32 {
		if uint32(r) >= t.Lo && uint32(r) <= t.Hi && t.Stride == 1 {
			return '0' + (r-rune(t.Lo))%10
		}
	}
	return '0'
}

func compareKeys(a, b collKey) int {
	if c := compareSeq(a.p, b.p); c != 0 {
		return c
	}
	if c := compareSeq(a.s, b.s); c != 0 {
		return c
	}
	return compareSeq(a.t, b.t)
}

func compareSeq[T uint32 | uint64](a, b []T) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(a), len(b))
}
