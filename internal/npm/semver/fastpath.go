package semver

import "strings"

// parseRangePartFast handles the range parts npm sees nearly always
// ("^1.2.3", "~1.2.3-rc.1", ">=1.0.0 <2.0.0", "1.2.3", "*") without
// regular expressions. It declines (ok=false) anything else, which then
// takes the general path; FuzzFastPath checks both paths agree.
func parseRangePartFast(part string, opts Options) (comps []comparator, ok bool) {
	if part == "" || part == "*" {
		return []comparator{{op: opAny}}, true
	}
	// Long parts may hit node-semver's length limits: leave them to the
	// general path.
	n := strings.Count(part, " ") + 1
	if n > 4 || len(part) > 200 {
		return nil, false
	}
	var buf [8]comparator
	parsed := buf[:0]
	for len(part) > 0 {
		tok := part
		if i := strings.IndexByte(part, ' '); i >= 0 {
			tok, part = part[:i], part[i+1:]
		} else {
			part = ""
		}
		// An operator written apart from its version (">= 1.2.3"): the
		// general path's comparator, tilde and caret trims join them.
		if isOperatorToken(tok) && part != "" {
			next := part
			if i := strings.IndexByte(part, ' '); i >= 0 {
				next, part = part[:i], part[i+1:]
			} else {
				part = ""
			}
			if next == "" || !isDigit(next[0]) {
				return nil, false
			}
			tok += next
		}
		var op string
		switch {
		case strings.HasPrefix(tok, ">="), strings.HasPrefix(tok, "<="):
			op, tok = tok[:2], tok[2:]
		case tok != "" && strings.IndexByte("^~><=", tok[0]) >= 0:
			op, tok = tok[:1], tok[1:]
		}
		var M, m, p, pre string
		var parts int
		if M, m, p, pre, parts, ok = splitSimpleVersion(tok); !ok {
			return nil, false
		}
		low := comparator{op: opGTE}
		var high comparator
		twoSided := false
		if op == "=" && parts < 3 {
			op = "" // "=1.2" is the x-range 1.2
		}
		if parts < 3 && op != "" && op != "^" && op != "~" {
			// A comparator with a partial version, as node-semver's
			// replaceXRange: the missing parts are 0, and > and <= move to
			// the next version of the last part given.
			c := comparator{op: opGTE}
			pr := ""
			if opts.IncludePrerelease {
				pr = "0"
			}
			if parts == 1 {
				m = "0"
			}
			p = "0"
			switch op {
			case ">":
				if parts == 1 {
					M, m = incSmall(M), "0"
				} else {
					m = incSmall(m)
				}
			case "<=":
				c.op = opLT
				if parts == 1 {
					M, m = incSmall(M), "0"
				} else {
					m = incSmall(m)
				}
			case "<":
				c.op = opLT
				pr = "0"
			}
			if c.op == opLT {
				pr = "0"
			}
			setCore(&c.v, M, m, p)
			if pr != "" {
				c.v.Prerelease = zeroPrerelease
			}
			if c.op == opGTE && c.v.Major == 0 && c.v.Minor == 0 && c.v.Patch == 0 {
				c = comparator{op: opAny}
			}
			parsed = append(parsed, c)
			continue
		}
		if parts < 3 {
			// A partial version ("4", "^3", "~1.2") is the x-range of the
			// missing parts.
			twoSided = true
			high = comparator{op: opLT}
			switch {
			case parts == 1:
				m = "0"
				setCore(&high.v, incSmall(M), "0", "0")
			case op == "^" && M != "0":
				setCore(&high.v, incSmall(M), "0", "0")
			default:
				setCore(&high.v, M, incSmall(m), "0")
			}
			p = "0"
			if opts.IncludePrerelease {
				pre = "0"
			}
			op = "partial"
		}
		switch op {
		case "^":
			twoSided = true
			high = comparator{op: opLT}
			switch {
			case M == "0" && m == "0":
				setCore(&high.v, M, m, incSmall(p))
			case M == "0":
				setCore(&high.v, M, incSmall(m), "0")
			default:
				setCore(&high.v, incSmall(M), "0", "0")
			}
		case "~":
			twoSided = true
			high = comparator{op: opLT}
			setCore(&high.v, M, incSmall(m), "0")
		case "partial":
		case "", "=":
			low.op = opEQ
		case ">":
			low.op = opGT
		case "<":
			low.op = opLT
		case "<=":
			low.op = opLTE
		}
		setCore(&low.v, M, m, p)
		if pre != "" {
			low.v.Prerelease = strings.Split(pre, ".")
		}
		if twoSided {
			high.v.Prerelease = zeroPrerelease
		}
		// ">=0.0.0" (">=0.0.0-0" with IncludePrerelease) means any.
		if low.op == opGTE && low.v.Major == 0 && low.v.Minor == 0 && low.v.Patch == 0 {
			if (!opts.IncludePrerelease && pre == "") || (opts.IncludePrerelease && pre == "0") {
				low = comparator{op: opAny}
			}
		}
		parsed = append(parsed, low)
		if twoSided {
			parsed = append(parsed, high)
		}
	}
	return finishComparators(append([]comparator(nil), parsed...)), true
}

var zeroPrerelease = []string{"0"}

func setCore(v *Version, M, m, p string) {
	v.Major, _ = parseNumber(M)
	v.Minor, _ = parseNumber(m)
	v.Patch, _ = parseNumber(p)
}

// incSmall is inc for numbers known to have at most 15 digits.
func incSmall(n string) string { return inc(n) }

// splitSimpleVersion accepts MAJOR.MINOR.PATCH with an optional strict
// prerelease, numbers without leading zeros and at most 15 digits (so every
// computation on them is exact), and nothing else.
//
// It also accepts the partial versions "M" and "M.m" (n < 3), without a
// prerelease.
func splitSimpleVersion(s string) (M, m, p, pre string, n int, ok bool) {
	var parts [3]string
	i := 0
	for n < 3 {
		start := i
		if n > 0 && i < len(s) && isXChar(s[i]) {
			// "1.x", "1.2.*", "1.x.x": the x-range of the parts before the
			// first x, when every later part is an x too.
			for j := n; j < 3; j++ {
				if i >= len(s) || !isXChar(s[i]) {
					return "", "", "", "", 0, false
				}
				i++
				if i == len(s) {
					return parts[0], parts[1], "", "", n, true
				}
				if s[i] != '.' {
					return "", "", "", "", 0, false
				}
				i++
			}
			return "", "", "", "", 0, false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		d := s[start:i]
		if d == "" || len(d) > 15 || (len(d) > 1 && d[0] == '0') {
			return "", "", "", "", 0, false
		}
		parts[n] = d
		n++
		if n < 3 {
			if i == len(s) {
				return parts[0], parts[1], "", "", n, true
			}
			if s[i] != '.' {
				return "", "", "", "", 0, false
			}
			i++
		}
	}
	if i < len(s) {
		if s[i] != '-' {
			return "", "", "", "", 0, false
		}
		pre = s[i+1:]
		if k := scanIdents(pre, simplePrereleaseIdent); k != len(pre) {
			return "", "", "", "", 0, false
		}
	}
	return parts[0], parts[1], parts[2], pre, 3, true
}

// simplePrereleaseIdent accepts identifiers whose normalised form is
// themselves: words, and numbers without leading zeros of at most 15
// digits.
func simplePrereleaseIdent(id string) bool {
	if !allDigits(id) {
		return true
	}
	return len(id) <= 15 && (id == "0" || id[0] != '0')
}

func isXChar(c byte) bool { return c == 'x' || c == 'X' || c == '*' }

// isOperatorToken reports whether tok is a comparator operator alone.
func isOperatorToken(tok string) bool {
	switch tok {
	case ">=", "<=", ">", "<", "=", "~", "^":
		return true
	}
	return false
}
