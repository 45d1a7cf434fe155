package semver

// Subset reports whether every version sub allows is also allowed by dom,
// like semver.subset(sub, dom, options) with sub's options. npm uses it to
// decide what to save: an installed range that is a subset of
// "^<installed version>" is saved as that caret range.
//
// It follows node-semver's comparator reasoning, including its answers for
// null sets and prereleases.
func Subset(sub, dom *Range) bool {
	if sub == dom || sub.raw == dom.raw {
		return true
	}
	opts := sub.opts
	sawNonNull := false
outer:
	for i := range sub.set {
		for k := range dom.set {
			same := sub.keys[i] != "" && sub.keys[i] == dom.keys[k] && sub.opts == dom.opts
			res := subsetSimple(sub.set[i], dom.set[k], same, opts)
			sawNonNull = sawNonNull || res != subsetNull
			if res == subsetYes {
				continue outer
			}
		}
		// Null simple ranges are ignored, but one that is not null and
		// is in no part of dom makes the answer no.
		if sawNonNull {
			return false
		}
	}
	return true
}

type subsetResult uint8

const (
	subsetNo subsetResult = iota
	subsetYes
	subsetNull // sub is a null set
)

var (
	minVersion          = []comparator{{op: opGTE}}
	minVersionPrerelase = []comparator{{op: opGTE, v: Version{Prerelease: []string{"0"}}}}
)

// satisfiesValue is satisfies(v, comparatorText): the comparator's text is
// parsed as a range again, as node-semver does (so ">=0.0.0" becomes "any"
// and the prerelease rule applies).
func satisfiesValue(v *Version, c *comparator, opts Options) bool {
	r, err := ParseRangeWith(c.value(), opts)
	return err == nil && r.Test(v)
}

// higherGT returns the more restrictive of two lower bounds (a may be nil).
func higherGT(a, b *comparator) *comparator {
	if a == nil {
		return b
	}
	switch c := Compare(&a.v, &b.v); {
	case c > 0:
		return a
	case c < 0:
		return b
	case b.op == opGT && a.op == opGTE:
		return b
	}
	return a
}

// lowerLT returns the more restrictive of two upper bounds (a may be nil).
func lowerLT(a, b *comparator) *comparator {
	if a == nil {
		return b
	}
	switch c := Compare(&a.v, &b.v); {
	case c < 0:
		return a
	case c > 0:
		return b
	case b.op == opLT && a.op == opLTE:
		return b
	}
	return a
}

func isGT(c *comparator) bool { return c.op == opGT || c.op == opGTE }
func isLT(c *comparator) bool { return c.op == opLT || c.op == opLTE }

func sameTuplePrerelease(c *comparator, v *Version) bool {
	return c.op != opAny && len(c.v.Prerelease) > 0 &&
		c.v.Major == v.Major && c.v.Minor == v.Minor && c.v.Patch == v.Patch
}

func subsetSimple(sub, dom []comparator, same bool, opts Options) subsetResult {
	if same {
		return subsetYes
	}
	if len(sub) == 1 && sub[0].op == opAny {
		switch {
		case len(dom) == 1 && dom[0].op == opAny:
			return subsetYes
		case opts.IncludePrerelease:
			sub = minVersionPrerelase
		default:
			sub = minVersion
		}
	}
	if len(dom) == 1 && dom[0].op == opAny {
		if opts.IncludePrerelease {
			return subsetYes
		}
		dom = minVersion
	}

	var gt, lt, eq *comparator
	eqCount := 0
	for i := range sub {
		c := &sub[i]
		switch {
		case isGT(c):
			gt = higherGT(gt, c)
		case isLT(c):
			lt = lowerLT(lt, c)
		default:
			eq = c
			eqCount++
		}
	}
	if eqCount > 1 {
		return subsetNull
	}
	bothBounds := gt != nil && lt != nil
	gtlt := 0
	if bothBounds {
		gtlt = Compare(&gt.v, &lt.v)
		if gtlt > 0 || gtlt == 0 && (gt.op != opGTE || lt.op != opLTE) {
			return subsetNull
		}
	}
	if eq != nil {
		if gt != nil && !satisfiesValue(&eq.v, gt, opts) || lt != nil && !satisfiesValue(&eq.v, lt, opts) {
			return subsetNull
		}
		for i := range dom {
			if !satisfiesValue(&eq.v, &dom[i], opts) {
				return subsetNo
			}
		}
		return subsetYes
	}

	// A prerelease bound needs a dom comparator with a prerelease of the
	// same tuple, or it lets in prereleases dom refuses. "<1.2.3-0" is
	// just "<1.2.3".
	var needGTPre, needLTPre *Version
	if gt != nil && !opts.IncludePrerelease && len(gt.v.Prerelease) > 0 {
		needGTPre = &gt.v
	}
	if lt != nil && !opts.IncludePrerelease && len(lt.v.Prerelease) > 0 &&
		!(len(lt.v.Prerelease) == 1 && lt.op == opLT && lt.v.Prerelease[0] == "0") {
		needLTPre = &lt.v
	}
	// gtlt != 0 in node-semver's sense: also when there are not two bounds.
	boundsDiffer := !bothBounds || gtlt != 0
	hasDomGT, hasDomLT := false, false
	for i := range dom {
		c := &dom[i]
		hasDomGT = hasDomGT || isGT(c)
		hasDomLT = hasDomLT || isLT(c)
		if gt != nil {
			if needGTPre != nil && sameTuplePrerelease(c, needGTPre) {
				needGTPre = nil
			}
			if isGT(c) {
				if h := higherGT(gt, c); h == c && h != gt {
					return subsetNo
				}
			} else if gt.op == opGTE && !c.test(&gt.v) {
				return subsetNo
			}
		}
		if lt != nil {
			if needLTPre != nil && sameTuplePrerelease(c, needLTPre) {
				needLTPre = nil
			}
			if isLT(c) {
				if l := lowerLT(lt, c); l == c && l != lt {
					return subsetNo
				}
			} else if lt.op == opLTE && !c.test(&lt.v) {
				return subsetNo
			}
		}
		if (c.op == opEQ || c.op == opAny) && (lt != nil || gt != nil) && boundsDiffer {
			return subsetNo
		}
	}
	if gt != nil && hasDomLT && lt == nil && boundsDiffer {
		return subsetNo
	}
	if lt != nil && hasDomGT && gt == nil && boundsDiffer {
		return subsetNo
	}
	if needGTPre != nil || needLTPre != nil {
		return subsetNo
	}
	return subsetYes
}
