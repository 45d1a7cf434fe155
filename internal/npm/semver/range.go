package semver

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Options are node-semver's range options.
type Options struct {
	// Loose accepts sloppy versions inside the range ("=1.2.3", "1.2.3beta",
	// leading zeros) and drops comparators that do not parse instead of
	// failing. npm resolves dependency ranges with Loose set.
	Loose bool
	// IncludePrerelease lets prerelease versions satisfy a range even when
	// no comparator in the matching set names a prerelease of the same
	// [major, minor, patch].
	IncludePrerelease bool
}

type operator uint8

const (
	opAny operator = iota // the empty comparator: matches everything
	opEQ                  // "" or "="
	opGT
	opGTE
	opLT
	opLTE
)

func (o operator) String() string {
	switch o {
	case opGT:
		return ">"
	case opGTE:
		return ">="
	case opLT:
		return "<"
	case opLTE:
		return "<="
	}
	return ""
}

// comparator is one desugared constraint such as ">=1.2.3-0".
type comparator struct {
	op operator
	v  Version
}

func (c *comparator) value() string {
	if c.op == opAny {
		return ""
	}
	return c.op.String() + c.v.String()
}

func (c *comparator) isNullSet() bool {
	return c.op == opLT && c.v.Major == 0 && c.v.Minor == 0 && c.v.Patch == 0 &&
		len(c.v.Prerelease) == 1 && c.v.Prerelease[0] == "0"
}

func (c *comparator) test(v *Version) bool {
	if c.op == opAny {
		return true
	}
	r := Compare(v, &c.v)
	switch c.op {
	case opEQ:
		return r == 0
	case opGT:
		return r > 0
	case opGTE:
		return r >= 0
	case opLT:
		return r < 0
	case opLTE:
		return r <= 0
	}
	return false
}

// Range is a parsed range: a union (||) of comparator sets that must all
// hold.
type Range struct {
	set [][]comparator
	// keys identify each comparator set by the text it was parsed from
	// ("" for a null set made on the spot). node-semver shares the parsed
	// set between ranges with the same part text, and Subset treats two
	// such sets as trivially contained in each other.
	keys []string
	opts Options
	str  string
	raw  string
}

// ParseRange parses a range like new semver.Range(s) with no options.
// "" and "*" match every release.
func ParseRange(s string) (*Range, error) {
	return ParseRangeWith(s, Options{})
}

// ParseRangeLoose parses with Options{Loose: true}, as npm does for
// dependency ranges.
func ParseRangeLoose(s string) (*Range, error) {
	return ParseRangeWith(s, Options{Loose: true})
}

// MustParseRange is ParseRange that panics on error.
func MustParseRange(s string) *Range {
	r, err := ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

type rangeKey struct {
	s    string
	opts Options
}

// rangeCache holds parsed ranges: resolution parses the same few thousand
// ranges over and over, and a Range is immutable.
var rangeCache sync.Map // rangeKey -> *Range

const rangeCacheMax = 1 << 16

var rangeCacheLen int64
var rangeCacheMu sync.Mutex

// ParseRangeWith parses a range with options.
func ParseRangeWith(s string, opts Options) (*Range, error) {
	key := rangeKey{s, opts}
	if r, ok := rangeCache.Load(key); ok {
		return r.(*Range), nil
	}
	r, err := parseRange(s, opts)
	if err != nil {
		return nil, err
	}
	if len(s) > 256 {
		return r, nil // rare, and not worth holding on to
	}
	rangeCacheMu.Lock()
	if rangeCacheLen < rangeCacheMax {
		rangeCacheLen++
		rangeCache.Store(key, r)
	}
	rangeCacheMu.Unlock()
	return r, nil
}

// ValidRange returns the normalised range like semver.validRange, and false
// when s is not a valid range.
func ValidRange(s string, opts Options) (string, bool) {
	r, err := ParseRangeWith(s, opts)
	if err != nil {
		return "", false
	}
	return r.String(), true
}

// Satisfies reports whether version satisfies rng, like
// semver.satisfies(version, rng, opts): false when either does not parse.
func Satisfies(version, rng string, opts Options) bool {
	r, err := ParseRangeWith(rng, opts)
	if err != nil {
		return false
	}
	v, err := parse(version, opts.Loose)
	if err != nil {
		return false
	}
	return r.Test(v)
}

func parseRange(s string, opts Options) (*Range, error) {
	raw := collapseSpaces(s)
	var set [][]comparator
	var keys []string
	for _, part := range strings.Split(raw, "||") {
		part = strings.TrimSpace(part)
		comps, err := parseRangePart(part, opts)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %w", ErrInvalidRange, s, err)
		}
		if len(comps) > 0 {
			set = append(set, comps)
			key := ""
			if !(len(comps) == 1 && comps[0].isNullSet()) {
				key = "k:" + buildStrip().ReplaceAllLiteralString(part, "")
			}
			keys = append(keys, key)
		}
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("%w %q", ErrInvalidRange, s)
	}
	if len(set) > 1 {
		// Null sets are dropped from a union unless that leaves nothing; a
		// union with "any" is "any".
		first, firstKey := set[0], keys[0]
		kept, keptKeys := set[:0:0], keys[:0:0]
		for i, c := range set {
			if !c[0].isNullSet() {
				kept = append(kept, c)
				keptKeys = append(keptKeys, keys[i])
			}
		}
		switch {
		case len(kept) == 0:
			set, keys = [][]comparator{first}, []string{firstKey}
		case len(kept) > 1:
			set, keys = kept, keptKeys
			for i, c := range kept {
				if len(c) == 1 && c[0].op == opAny {
					set, keys = [][]comparator{c}, []string{keptKeys[i]}
					break
				}
			}
		default:
			set, keys = kept, keptKeys
		}
	}
	r := &Range{set: set, keys: keys, opts: opts, raw: s}
	var b strings.Builder
	for i, comps := range set {
		if i > 0 {
			b.WriteString("||")
		}
		for k := range comps {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(comps[k].value())
		}
	}
	r.str = b.String()
	return r, nil
}

// parseRangePart desugars one ||-separated part into comparators.
func parseRangePart(part string, opts Options) ([]comparator, error) {
	if comps, ok := parseRangePartFast(part, opts); ok {
		return comps, nil
	}
	return parseRangePartSlow(part, opts)
}

func parseRangePartSlow(part string, opts Options) ([]comparator, error) {
	g := grammarFor(part)
	part = buildStrip().ReplaceAllLiteralString(part, "")
	hyphen := g.hyphen
	if opts.Loose {
		hyphen = g.hyphenLoose
	}
	part = replaceFirst(hyphen, part, func(m []int) string { return desugarHyphen(part, m, opts.IncludePrerelease) })
	part = replaceAll(g.comparatorTrim, part, func(m []int) string {
		return group(part, m, 1) + group(part, m, 2) + group(part, m, 3)
	})
	part = replaceAll(g.tildeTrim, part, func(m []int) string { return group(part, m, 1) + "~" })
	part = replaceAll(g.caretTrim, part, func(m []int) string { return group(part, m, 1) + "^" })

	words := strings.Split(part, " ")
	for i, w := range words {
		words[i] = desugarComparator(g, w, opts)
	}
	list := splitSpaces(strings.Join(words, " "))
	gte0 := g.gte0
	if opts.IncludePrerelease {
		gte0 = g.gte0pre
	}
	kept := list[:0]
	for _, c := range list {
		c = replaceFirst(gte0, strings.TrimSpace(c), func([]int) string { return "" })
		if opts.Loose && !g.comparatorLse.MatchString(c) {
			continue
		}
		kept = append(kept, c)
	}
	list = kept

	parsed := make([]comparator, len(list))
	for i, text := range list {
		c, err := parseComparator(g, text, opts.Loose)
		if err != nil {
			return nil, err
		}
		parsed[i] = c
	}
	return finishComparators(parsed), nil
}

// finishComparators applies node-semver's last steps to a part's
// comparators: a null set wins, duplicates go, and "any" goes when
// something else is left.
func finishComparators(parsed []comparator) []comparator {
	comps := parsed[:0]
	for _, c := range parsed {
		if c.isNullSet() {
			return []comparator{c}
		}
		// Keep one comparator per value, at its first position.
		dup := false
		val := c.value()
		for k := range comps {
			if comps[k].value() == val {
				dup = true
				break
			}
		}
		if !dup {
			comps = append(comps, c)
		}
	}
	if len(comps) > 1 {
		for k := range comps {
			if comps[k].op == opAny {
				comps = append(comps[:k], comps[k+1:]...)
				break
			}
		}
	}
	return comps
}

func parseComparator(g *grammar, text string, loose bool) (comparator, error) {
	text = strings.Join(splitSpaces(strings.TrimSpace(text)), " ")
	re := g.comparator
	if loose {
		re = g.comparatorLse
	}
	m := re.FindStringSubmatchIndex(text)
	if m == nil {
		return comparator{}, fmt.Errorf("invalid comparator %q", text)
	}
	op := group(text, m, 1)
	vs := group(text, m, 2)
	if vs == "" {
		return comparator{op: opAny}, nil
	}
	var c comparator
	switch op {
	case "", "=":
		c.op = opEQ
	case ">":
		c.op = opGT
	case ">=":
		c.op = opGTE
	case "<":
		c.op = opLT
	case "<=":
		c.op = opLTE
	}
	if err := parseInto(&c.v, vs, loose); err != nil {
		return comparator{}, err
	}
	return c, nil
}

func isX(id string) bool {
	return id == "" || id == "x" || id == "X" || id == "*"
}

// inc returns the decimal text of n+1 for a run of digits, as JavaScript's
// +n + 1 prints it for every value that can still parse as a version
// component (larger results are rejected later either way).
func inc(n string) string {
	for len(n) > 1 && n[0] == '0' {
		n = n[1:]
	}
	if len(n) <= 18 {
		v, _ := strconv.ParseUint(n, 10, 64)
		return strconv.FormatUint(v+1, 10)
	}
	return n + "0" // far above MAX_SAFE_INTEGER: any too-large number will do
}

// desugarHyphen turns "A - B" into ">=A <=B" with partial versions widened.
func desugarHyphen(s string, m []int, incPre bool) string {
	from, fM, fm, fp, fpr := group(s, m, 1), group(s, m, 2), group(s, m, 3), group(s, m, 4), group(s, m, 5)
	to, tM, tm, tp, tpr := group(s, m, 7), group(s, m, 8), group(s, m, 9), group(s, m, 10), group(s, m, 11)
	z := ""
	if incPre {
		z = "-0"
	}
	switch {
	case isX(fM):
		from = ""
	case isX(fm):
		from = ">=" + fM + ".0.0" + z
	case isX(fp):
		from = ">=" + fM + "." + fm + ".0" + z
	case fpr != "":
		from = ">=" + from
	default:
		from = ">=" + from + z
	}
	switch {
	case isX(tM):
		to = ""
	case isX(tm):
		to = "<" + inc(tM) + ".0.0-0"
	case isX(tp):
		to = "<" + tM + "." + inc(tm) + ".0-0"
	case tpr != "":
		to = "<=" + tM + "." + tm + "." + tp + "-" + tpr
	case incPre:
		to = "<" + tM + "." + tm + "." + inc(tp) + "-0"
	default:
		to = "<=" + to
	}
	return strings.TrimSpace(from + " " + to)
}

// desugarComparator expands carets, tildes, x-ranges and stars in one
// space-free word of a range.
func desugarComparator(g *grammar, comp string, opts Options) string {
	comp = replaceFirst(g.build, comp, func([]int) string { return "" })
	comp = mapWords(comp, func(w string) string { return desugarCaret(g, w, opts) })
	comp = mapWords(comp, func(w string) string { return desugarTilde(g, w, opts) })
	comp = mapWordsNoTrim(comp, func(w string) string { return desugarXRange(g, w, opts) })
	return replaceFirst(g.star, strings.TrimSpace(comp), func([]int) string { return "" })
}

func mapWords(s string, fn func(string) string) string {
	return mapWordsNoTrim(strings.TrimSpace(s), fn)
}

func mapWordsNoTrim(s string, fn func(string) string) string {
	words := splitSpaces(s)
	for i, w := range words {
		words[i] = fn(w)
	}
	return strings.Join(words, " ")
}

func desugarTilde(g *grammar, comp string, opts Options) string {
	re := g.tilde
	if opts.Loose {
		re = g.tildeLoose
	}
	z := ""
	if opts.IncludePrerelease {
		z = "-0"
	}
	return replaceFirst(re, comp, func(m []int) string {
		M, mi, p, pr := group(comp, m, 1), group(comp, m, 2), group(comp, m, 3), group(comp, m, 4)
		switch {
		case isX(M):
			return ""
		case isX(mi):
			return ">=" + M + ".0.0" + z + " <" + inc(M) + ".0.0-0"
		case isX(p):
			return ">=" + M + "." + mi + ".0" + z + " <" + M + "." + inc(mi) + ".0-0"
		case pr != "":
			return ">=" + M + "." + mi + "." + p + "-" + pr + " <" + M + "." + inc(mi) + ".0-0"
		}
		return ">=" + M + "." + mi + "." + p + " <" + M + "." + inc(mi) + ".0-0"
	})
}

func desugarCaret(g *grammar, comp string, opts Options) string {
	re := g.caret
	if opts.Loose {
		re = g.caretLoose
	}
	z := ""
	if opts.IncludePrerelease {
		z = "-0"
	}
	return replaceFirst(re, comp, func(m []int) string {
		M, mi, p, pr := group(comp, m, 1), group(comp, m, 2), group(comp, m, 3), group(comp, m, 4)
		low := ">=" + M + "." + mi + "." + p
		if pr != "" {
			low += "-" + pr
		}
		switch {
		case isX(M):
			return ""
		case isX(mi):
			return ">=" + M + ".0.0" + z + " <" + inc(M) + ".0.0-0"
		case isX(p):
			if M == "0" {
				return ">=" + M + "." + mi + ".0" + z + " <" + M + "." + inc(mi) + ".0-0"
			}
			return ">=" + M + "." + mi + ".0" + z + " <" + inc(M) + ".0.0-0"
		case M == "0" && mi == "0":
			return low + " <" + M + "." + mi + "." + inc(p) + "-0"
		case M == "0":
			return low + " <" + M + "." + inc(mi) + ".0-0"
		}
		return low + " <" + inc(M) + ".0.0-0"
	})
}

func desugarXRange(g *grammar, comp string, opts Options) string {
	comp = strings.TrimSpace(comp)
	re := g.xrange
	if opts.Loose {
		re = g.xrangeLoose
	}
	return replaceFirst(re, comp, func(m []int) string {
		whole := comp[m[0]:m[1]]
		gtlt, M, mi, p := group(comp, m, 1), group(comp, m, 2), group(comp, m, 3), group(comp, m, 4)
		if (isX(M) && !isX(mi)) || (isX(mi) && p != "" && !isX(p)) {
			return comp
		}
		xM := isX(M)
		xm := xM || isX(mi)
		xp := xm || isX(p)
		if gtlt == "=" && xp {
			gtlt = ""
		}
		pr := ""
		if opts.IncludePrerelease {
			pr = "-0"
		}
		switch {
		case xM:
			if gtlt == ">" || gtlt == "<" {
				return "<0.0.0-0"
			}
			return "*"
		case gtlt != "" && xp:
			if xm {
				mi = "0"
			}
			p = "0"
			switch gtlt {
			case ">":
				gtlt = ">="
				if xm {
					M = inc(M)
					mi = "0"
				} else {
					mi = inc(mi)
				}
			case "<=":
				gtlt = "<"
				if xm {
					M = inc(M)
				} else {
					mi = inc(mi)
				}
			}
			if gtlt == "<" {
				pr = "-0"
			}
			return gtlt + M + "." + mi + "." + p + pr
		case xm:
			return ">=" + M + ".0.0" + pr + " <" + inc(M) + ".0.0-0"
		case xp:
			return ">=" + M + "." + mi + ".0" + pr + " <" + M + "." + inc(mi) + ".0-0"
		}
		return whole
	})
}

// String returns the normalised range, exactly semver.validRange's output
// ("*" for the range that matches everything).
func (r *Range) String() string {
	if r.str == "" {
		return "*"
	}
	return r.str
}

// Options returns the options the range was parsed with.
func (r *Range) Options() Options { return r.opts }

// Test reports whether v satisfies the range. A prerelease version only
// satisfies a comparator set that names a prerelease of the same
// [major, minor, patch], unless the range has IncludePrerelease.
func (r *Range) Test(v *Version) bool {
	if v == nil {
		return false
	}
	for i := range r.set {
		if testSet(r.set[i], v, r.opts.IncludePrerelease) {
			return true
		}
	}
	return false
}

func testSet(set []comparator, v *Version, includePrerelease bool) bool {
	for i := range set {
		if !set[i].test(v) {
			return false
		}
	}
	if len(v.Prerelease) == 0 || includePrerelease {
		return true
	}
	for i := range set {
		c := &set[i]
		if c.op == opAny || len(c.v.Prerelease) == 0 {
			continue
		}
		if c.v.Major == v.Major && c.v.Minor == v.Minor && c.v.Patch == v.Patch {
			return true
		}
	}
	return false
}

// MaxSatisfying returns the highest version in vs that satisfies r (the
// first of equal ones), or nil.
func MaxSatisfying(vs []*Version, r *Range) *Version {
	var best *Version
	for _, v := range vs {
		if r.Test(v) && (best == nil || Compare(best, v) < 0) {
			best = v
		}
	}
	return best
}

// MinSatisfying returns the lowest version in vs that satisfies r (the
// first of equal ones), or nil.
func MinSatisfying(vs []*Version, r *Range) *Version {
	var best *Version
	for _, v := range vs {
		if r.Test(v) && (best == nil || Compare(best, v) > 0) {
			best = v
		}
	}
	return best
}
