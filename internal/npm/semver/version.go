// Package semver implements versions and ranges with the exact semantics of
// node-semver (the "semver" package npm itself uses), including its quirks:
// loose parsing, the prerelease rule of range tests, and the normalised
// string forms that npm writes into lockfiles and error messages.
//
// Versions are parsed by hand (they are parsed once per packument entry,
// which is hot). Ranges are desugared into comparator sets once; testing a
// version against a Range allocates nothing.
package semver

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLength is node-semver's limit on the length of a version string, in
// UTF-16 code units, counted before trimming.
const maxLength = 256

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER: node-semver rejects
// numeric version components above it.
const maxSafeInteger = 1<<53 - 1

// ErrInvalidVersion is wrapped by every version parse error.
var ErrInvalidVersion = errors.New("invalid version")

// ErrInvalidRange is wrapped by every range parse error.
var ErrInvalidRange = errors.New("invalid semver range")

// Version is a parsed semantic version. Prerelease identifiers are kept in
// node-semver's normalised text form: numeric identifiers below
// MAX_SAFE_INTEGER lose their leading zeros (which only loose parsing
// accepts); every other identifier is kept as written.
type Version struct {
	Major, Minor, Patch uint64
	Prerelease          []string
	Build               []string
}

// Parse parses a version like semver.parse(s) without the loose option:
// surrounding whitespace is trimmed and one leading "v" is accepted.
func Parse(s string) (*Version, error) {
	return parse(s, false)
}

// ParseLoose parses a version like semver.parse(s, {loose: true}): leading
// "v", "=" and spaces, leading zeros, and a prerelease without its hyphen
// ("1.2.3beta") are accepted.
func ParseLoose(s string) (*Version, error) {
	return parse(s, true)
}

// MustParse is Parse that panics on error, for tests and constants.
func MustParse(s string) *Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Valid returns the normalised form of a version string like semver.valid,
// and false when it does not parse.
func Valid(s string, loose bool) (string, bool) {
	v, err := parse(s, loose)
	if err != nil {
		return "", false
	}
	return v.String(), true
}

// IsExactVersion reports whether s is a single version (not a range), as
// npm-package-arg decides between its "version" and "range" types: loose
// parsing.
func IsExactVersion(s string) bool {
	_, err := parse(s, true)
	return err == nil
}

func parse(s string, loose bool) (*Version, error) {
	v := new(Version)
	if err := parseInto(v, s, loose); err != nil {
		return nil, err
	}
	return v, nil
}

func invalidVersion(s string) error {
	return fmt.Errorf("%w %q: expected MAJOR.MINOR.PATCH with optional -prerelease and +build", ErrInvalidVersion, s)
}

// jsLength is the length of s in UTF-16 code units, as JavaScript counts.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xffff {
			n += 2 // a surrogate pair
		} else {
			n++
		}
	}
	return n
}

// isJSSpace reports whether r is matched by JavaScript's \s (and removed by
// String.prototype.trim).
func isJSSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// jsTrim trims like String.prototype.trim.
func jsTrim(s string) string {
	// Fast path: plain ASCII without surrounding spaces.
	if len(s) > 0 && s[0] > ' ' && s[0] < 0x80 && s[len(s)-1] > ' ' && s[len(s)-1] < 0x80 {
		return s
	}
	return strings.TrimFunc(s, isJSSpace)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

// parseNumber converts a run of digits into a version component, refusing
// values above MAX_SAFE_INTEGER as node-semver does.
func parseNumber(d string) (uint64, bool) {
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	if len(d) > 16 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(d); i++ {
		n = n*10 + uint64(d[i]-'0')
	}
	return n, n <= maxSafeInteger
}

func parseInto(v *Version, raw string, loose bool) error {
	if len(raw) > maxLength && jsLength(raw) > maxLength {
		return fmt.Errorf("%w: %q is longer than %d characters", ErrInvalidVersion, raw, maxLength)
	}
	s := jsTrim(raw)
	i := 0
	if loose {
		// [v=\s]*
		for i < len(s) {
			if s[i] == 'v' || s[i] == '=' {
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isJSSpace(r) {
				break
			}
			i += n
		}
	} else if i < len(s) && s[i] == 'v' {
		i++
	}
	var nums [3]string
	for k := 0; k < 3; k++ {
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return invalidVersion(raw)
		}
		nums[k] = s[start:i]
		if !loose && len(nums[k]) > 1 && nums[k][0] == '0' {
			// Strict numeric identifiers have no leading zeros.
			return invalidVersion(raw)
		}
		if k < 2 {
			if i >= len(s) || s[i] != '.' {
				return invalidVersion(raw)
			}
			i++
		}
	}
	var pre, build string
	var ok bool
	if loose {
		// The patch number is greedy, but a regular expression backtracks
		// into it when the rest does not parse: loose "1.2.34.5" is
		// 1.2.3-4.5. Try shorter patch numbers the same way.
		patchEnd := i
		patchStart := patchEnd - len(nums[2])
		for end := patchEnd; end > patchStart; end-- {
			if pre, build, ok = parseLooseTail(s[end:]); ok {
				nums[2] = s[patchStart:end]
				break
			}
		}
	} else {
		pre, build, ok = parseStrictTail(s[i:])
	}
	if !ok {
		return invalidVersion(raw)
	}
	var good bool
	if v.Major, good = parseNumber(nums[0]); !good {
		return fmt.Errorf("%w %q: major version is above %d", ErrInvalidVersion, raw, uint64(maxSafeInteger))
	}
	if v.Minor, good = parseNumber(nums[1]); !good {
		return fmt.Errorf("%w %q: minor version is above %d", ErrInvalidVersion, raw, uint64(maxSafeInteger))
	}
	if v.Patch, good = parseNumber(nums[2]); !good {
		return fmt.Errorf("%w %q: patch version is above %d", ErrInvalidVersion, raw, uint64(maxSafeInteger))
	}
	v.Prerelease = nil
	if pre != "" {
		v.Prerelease = strings.Split(pre, ".")
		for k, id := range v.Prerelease {
			v.Prerelease[k] = normaliseIdentifier(id)
		}
	}
	v.Build = nil
	if build != "" {
		v.Build = strings.Split(build, ".")
	}
	return nil
}

// normaliseIdentifier turns an all-digit prerelease identifier into the
// text of the number node-semver stores for it (identifiers at or above
// MAX_SAFE_INTEGER stay strings, kept as written).
func normaliseIdentifier(id string) string {
	if len(id) < 2 || id[0] != '0' || !allDigits(id) {
		return id
	}
	d := id
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	if len(d) <= 16 {
		if n, err := strconv.ParseUint(d, 10, 64); err == nil && n < maxSafeInteger {
			return d
		}
	}
	return id
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// scanIdents scans identifiers ([0-9A-Za-z-]+) separated by dots from the
// start of s and returns the length scanned, or -1 when an identifier is
// empty. check, when set, validates each identifier.
func scanIdents(s string, check func(string) bool) int {
	i := 0
	for {
		start := i
		for i < len(s) && isIdentChar(s[i]) {
			i++
		}
		if i == start {
			return -1
		}
		if check != nil && !check(s[start:i]) {
			return -1
		}
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		return i
	}
}

// strictPrereleaseIdent is node-semver's PRERELEASEIDENTIFIER: a number
// without leading zeros, or anything containing a letter or hyphen.
func strictPrereleaseIdent(id string) bool {
	return !allDigits(id) || id == "0" || id[0] != '0'
}

// parseBuild parses an optional "+build" that must end s.
func parseBuild(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	if s[0] != '+' {
		return "", false
	}
	n := scanIdents(s[1:], nil)
	if n < 0 || n+1 != len(s) {
		return "", false
	}
	return s[1:], true
}

func parseStrictTail(s string) (pre, build string, ok bool) {
	if s != "" && s[0] == '-' {
		n := scanIdents(s[1:], strictPrereleaseIdent)
		if n < 0 {
			return "", "", false
		}
		pre = s[1 : n+1]
		s = s[n+1:]
	}
	build, ok = parseBuild(s)
	return pre, build, ok
}

// parseLooseTail parses what follows the patch number in loose mode:
// (-?IDENTS)? (+BUILD)? with the backtracking of the regular expression
// (an optional hyphen that can also be the first identifier character).
func parseLooseTail(s string) (pre, build string, ok bool) {
	if s == "" {
		return "", "", true
	}
	try := func(p string) (string, string, bool) {
		n := scanIdents(p, nil)
		if n < 0 {
			return "", "", false
		}
		b, ok := parseBuild(p[n:])
		return p[:n], b, ok
	}
	if s[0] == '-' {
		if pre, build, ok = try(s[1:]); ok {
			return pre, build, true
		}
	}
	if isIdentChar(s[0]) {
		if pre, build, ok = try(s); ok {
			return pre, build, true
		}
	}
	build, ok = parseBuild(s)
	return "", build, ok
}

// String returns the normalised version without build metadata, like
// node-semver's version property.
func (v *Version) String() string {
	if v == nil {
		return ""
	}
	return string(v.appendTo(make([]byte, 0, 24)))
}

func (v *Version) appendTo(b []byte) []byte {
	b = strconv.AppendUint(b, v.Major, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Minor, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Patch, 10)
	for i, id := range v.Prerelease {
		if i == 0 {
			b = append(b, '-')
		} else {
			b = append(b, '.')
		}
		b = append(b, id...)
	}
	return b
}

// IsPrerelease reports whether v has prerelease identifiers.
func (v *Version) IsPrerelease() bool { return len(v.Prerelease) > 0 }

// Compare compares v with o like node-semver: -1, 0 or 1. Build metadata is
// ignored; a prerelease sorts before its release.
func (v *Version) Compare(o *Version) int { return Compare(v, o) }

// Compare returns -1, 0 or 1 as a is lower than, equal to or greater than b.
func Compare(a, b *Version) int {
	if a.Major != b.Major {
		return cmpUint(a.Major, b.Major)
	}
	if a.Minor != b.Minor {
		return cmpUint(a.Minor, b.Minor)
	}
	if a.Patch != b.Patch {
		return cmpUint(a.Patch, b.Patch)
	}
	return comparePrerelease(a.Prerelease, b.Prerelease)
}

func cmpUint(a, b uint64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

func comparePrerelease(a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	for i := 0; ; i++ {
		switch {
		case i >= len(a) && i >= len(b):
			return 0
		case i >= len(b):
			return 1
		case i >= len(a):
			return -1
		}
		if a[i] == b[i] {
			continue
		}
		// node-semver returns the identifier comparison even when it is 0
		// (two different digit strings JavaScript sees as the same number).
		return compareIdentifiers(a[i], b[i])
	}
}

// compareIdentifiers orders prerelease identifiers: numbers numerically
// (as JavaScript numbers, so huge ones lose precision exactly as in node)
// and before words; words by code unit.
func compareIdentifiers(a, b string) int {
	an, bn := allDigits(a), allDigits(b)
	switch {
	case an && bn:
		return compareNumeric(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

func compareNumeric(a, b string) int {
	for len(a) > 1 && a[0] == '0' {
		a = a[1:]
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	if len(a) <= 15 && len(b) <= 15 {
		// Both are exact in a float64: compare as integers.
		if len(a) != len(b) {
			if len(a) < len(b) {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	}
	fa, _ := strconv.ParseFloat(a, 64)
	fb, _ := strconv.ParseFloat(b, 64)
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

// Sort sorts versions in ascending order (stable: equal versions keep
// their order).
func Sort(vs []*Version) {
	slices.SortStableFunc(vs, Compare)
}
