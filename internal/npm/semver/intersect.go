package semver

import "strings"

// Intersects reports whether some version could satisfy both ranges, like
// semver.intersects(r1, r2, options) with r1's options. It is what peer
// dependency conflict checks ask. It follows node-semver's answer, which
// is built from pairwise comparator checks and is not a complete
// satisfiability test (for example the prerelease rule is only applied to
// exact versions).
func Intersects(r1, r2 *Range) bool {
	opts := r1.opts
	for i := range r1.set {
		a := r1.set[i]
		if !satisfiable(a, opts) {
			continue
		}
		for k := range r2.set {
			b := r2.set[k]
			if !satisfiable(b, opts) {
				continue
			}
			if allIntersect(a, b, opts) {
				return true
			}
		}
	}
	return false
}

// Intersects is the method form of the package-level Intersects.
func (r *Range) Intersects(o *Range) bool { return Intersects(r, o) }

func allIntersect(a, b []comparator, opts Options) bool {
	for i := range a {
		for k := range b {
			if !comparatorsIntersect(&a[i], &b[k], opts) {
				return false
			}
		}
	}
	return true
}

// satisfiable reports whether every pair of comparators in the set
// intersects.
func satisfiable(set []comparator, opts Options) bool {
	for i := range set {
		for k := i + 1; k < len(set); k++ {
			if !comparatorsIntersect(&set[k], &set[i], opts) {
				return false
			}
		}
	}
	return true
}

// testValue is new Range(rangeText, opts).test(versionText).
func testValue(rangeText, versionText string, opts Options) bool {
	r, err := ParseRangeWith(rangeText, opts)
	if err != nil {
		return false
	}
	v, err := parse(versionText, opts.Loose)
	if err != nil {
		return false
	}
	return r.Test(v)
}

func comparatorsIntersect(a, b *comparator, opts Options) bool {
	if a.op == opAny {
		return true
	}
	if a.op == opEQ {
		return testValue(b.value(), a.value(), opts)
	}
	if b.op == opAny {
		return true
	}
	if b.op == opEQ {
		r, err := ParseRangeWith(a.value(), opts)
		return err == nil && r.Test(&b.v)
	}
	av, bv := a.value(), b.value()
	if opts.IncludePrerelease {
		if av == "<0.0.0-0" || bv == "<0.0.0-0" {
			return false
		}
	} else if strings.HasPrefix(av, "<0.0.0") || strings.HasPrefix(bv, "<0.0.0") {
		return false
	}
	aGT, bGT := a.op == opGT || a.op == opGTE, b.op == opGT || b.op == opGTE
	aLT, bLT := a.op == opLT || a.op == opLTE, b.op == opLT || b.op == opLTE
	if aGT && bGT || aLT && bLT {
		return true
	}
	aInc, bInc := a.op == opGTE || a.op == opLTE, b.op == opGTE || b.op == opLTE
	if a.v.String() == b.v.String() && aInc && bInc {
		return true
	}
	c := Compare(&a.v, &b.v)
	if c < 0 && aGT && bLT {
		return true
	}
	if c > 0 && aLT && bGT {
		return true
	}
	return false
}
