package pack

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Rule is one line of an ignore file compiled the way ignore-walk compiles
// it: a minimatch pattern with the options matchBase, dot, nocase and
// flipNegate. Match reports whether the pattern (without its leading '!')
// matches; Negate says whether a match means "include".
type Rule struct {
	Pattern string
	Negate  bool
	comment bool
	empty   bool
	// set holds one compiled path per brace alternative.
	set [][]part
	// globParts is set before compilation: the literal segments, which
	// ignore-walk inspects to decide whether a rule is "relative".
	globParts [][]string
}

// part is one path segment of a pattern.
type part struct {
	globstar bool
	literal  bool
	lit      string // lowercased literal (nocase)
	toks     []tok
}

type tokKind uint8

const (
	tChar  tokKind = iota
	tAny           // ?
	tStar          // *
	tClass         // [...]
)

type tok struct {
	kind   tokKind
	r      rune
	negate bool
	ranges []runeRange
	posix  []string
}

type runeRange struct{ lo, hi rune }

// ParseRule compiles one trimmed ignore-file line.
func ParseRule(pattern string) *Rule {
	r := &Rule{Pattern: pattern}
	if strings.HasPrefix(pattern, "#") {
		r.comment = true
		return r
	}
	if pattern == "" {
		r.empty = true
		return r
	}
	// Leading '!'s toggle negation.
	n := 0
	for n < len(pattern) && pattern[n] == '!' {
		r.Negate = !r.Negate
		n++
	}
	pattern = pattern[n:]
	var alts []string
	if braceCandidate().MatchString(pattern) {
		alts = braceExpand(pattern)
	} else {
		alts = []string{pattern}
	}
	seen := map[string]bool{}
	for _, a := range alts {
		if seen[a] {
			continue
		}
		seen[a] = true
		parts := levelOne(slashSplit(a))
		r.globParts = append(r.globParts, parts)
		cp := make([]part, len(parts))
		for i, p := range parts {
			cp[i] = compilePart(p)
		}
		r.set = append(r.set, cp)
	}
	return r
}

var braceCandidate = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{[^{]*\}`) })
var slashes = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/+`) })

func slashSplit(p string) []string { return slashes().Split(p, -1) }

// levelOne is minimatch's default optimisation: adjacent ** collapse and
// "x/.." pairs cancel.
func levelOne(parts []string) []string {
	out := []string{}
	for _, p := range parts {
		var prev string
		has := len(out) > 0
		if has {
			prev = out[len(out)-1]
		}
		if p == "**" && has && prev == "**" {
			continue
		}
		if p == ".." && has && prev != ".." && prev != "." && prev != "**" {
			out = out[:len(out)-1]
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func compilePart(p string) part {
	if p == "**" {
		return part{globstar: true}
	}
	if p == "" {
		return part{literal: true}
	}
	var toks []tok
	magic := false
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '\\':
			if i+1 < len(rs) {
				i++
				toks = append(toks, tok{kind: tChar, r: rs[i]})
			} else {
				toks = append(toks, tok{kind: tChar, r: '\\'})
			}
		case '*':
			magic = true
			if len(toks) == 0 || toks[len(toks)-1].kind != tStar {
				toks = append(toks, tok{kind: tStar})
			}
		case '?':
			magic = true
			toks = append(toks, tok{kind: tAny})
		case '[':
			if t, n, ok := parseClass(rs[i:]); ok {
				magic = true
				toks = append(toks, t)
				i += n - 1
			} else {
				toks = append(toks, tok{kind: tChar, r: '['})
			}
		default:
			toks = append(toks, tok{kind: tChar, r: c})
		}
	}
	if !magic {
		var b strings.Builder
		for _, t := range toks {
			b.WriteRune(t.r)
		}
		return part{literal: true, lit: strings.ToLower(b.String())}
	}
	return part{toks: toks}
}

var posixClasses = sync.OnceValue(func() map[string]func(rune) bool {
	return map[string]func(rune) bool{
		"alnum":  func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) },
		"alpha":  unicode.IsLetter,
		"ascii":  func(r rune) bool { return r < 128 },
		"blank":  func(r rune) bool { return r == ' ' || r == '\t' },
		"cntrl":  unicode.IsControl,
		"digit":  unicode.IsDigit,
		"graph":  func(r rune) bool { return unicode.IsGraphic(r) && !unicode.IsSpace(r) },
		"lower":  unicode.IsLower,
		"print":  unicode.IsPrint,
		"punct":  unicode.IsPunct,
		"space":  unicode.IsSpace,
		"upper":  unicode.IsUpper,
		"word":   func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) },
		"xdigit": func(r rune) bool { return strings.ContainsRune("0123456789abcdefABCDEF", r) },
	}
})

// parseClass parses a bracket expression starting at rs[0]=='['; it returns
// the token and how many runes it used, or ok=false when it is not closed.
func parseClass(rs []rune) (tok, int, bool) {
	t := tok{kind: tClass}
	i := 1
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		t.negate = true
		i++
	}
	first := true
	for i < len(rs) {
		c := rs[i]
		if c == ']' && !first {
			return t, i + 1, true
		}
		first = false
		if c == '[' && i+1 < len(rs) && rs[i+1] == ':' {
			end := strings.Index(string(rs[i+2:]), ":]")
			if end >= 0 {
				name := string(rs[i+2:])[:end]
				if _, ok := posixClasses()[name]; ok {
					t.posix = append(t.posix, name)
					i += 2 + len([]rune(name)) + 2
					continue
				}
			}
		}
		if c == '\\' && i+1 < len(rs) {
			i++
			c = rs[i]
		}
		lo := c
		if i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] != ']' {
			hi := rs[i+2]
			if hi == '\\' && i+3 < len(rs) {
				hi = rs[i+3]
				i++
			}
			i += 3
			if hi >= lo {
				t.ranges = append(t.ranges, runeRange{lo, hi})
			}
			continue
		}
		t.ranges = append(t.ranges, runeRange{lo, lo})
		i++
	}
	return t, 0, false
}

func (t tok) classMatch(r rune) bool {
	in := func(c rune) bool {
		for _, rg := range t.ranges {
			if c >= rg.lo && c <= rg.hi {
				return true
			}
		}
		for _, p := range t.posix {
			if posixClasses()[p](c) {
				return true
			}
		}
		return false
	}
	hit := in(r) || in(unicode.ToLower(r)) || in(unicode.ToUpper(r))
	return hit != t.negate
}

func (p part) matchSeg(s string) bool {
	if p.literal {
		return p.lit == strings.ToLower(s) || strings.EqualFold(p.lit, s)
	}
	// A magic segment never matches "" (a trailing slash), nor the "." and
	// ".." directory entries.
	if s == "" || s == "." || s == ".." {
		return false
	}
	return matchToks(p.toks, []rune(s))
}

func matchToks(toks []tok, s []rune) bool {
	if len(toks) == 0 {
		return len(s) == 0
	}
	t := toks[0]
	switch t.kind {
	case tStar:
		for i := 0; i <= len(s); i++ {
			if matchToks(toks[1:], s[i:]) {
				return true
			}
		}
		return false
	case tAny:
		return len(s) > 0 && s[0] != '/' && matchToks(toks[1:], s[1:])
	case tClass:
		return len(s) > 0 && t.classMatch(s[0]) && matchToks(toks[1:], s[1:])
	default:
		return len(s) > 0 && (s[0] == t.r || unicode.ToLower(s[0]) == unicode.ToLower(t.r)) && matchToks(toks[1:], s[1:])
	}
}

// Match reports whether path matches the pattern (negation is not applied:
// ignore-walk compiles with flipNegate). partial matches a directory that
// could contain a match.
func (r *Rule) Match(path string, partial bool) bool {
	if r.comment {
		return false
	}
	if r.empty {
		return path == ""
	}
	if path == "/" && partial {
		return true
	}
	ff := slashSplit(path)
	filename := ff[len(ff)-1]
	for i := len(ff) - 2; filename == "" && i >= 0; i-- {
		filename = ff[i]
	}
	for _, pat := range r.set {
		file := ff
		if len(pat) == 1 {
			file = []string{filename} // matchBase
		}
		if matchParts(file, pat, partial) {
			return true
		}
	}
	return false
}

// isRelative is ignore-walk's test for rules that may also be matched
// against an entry's basename: some alternative is a single segment, or a
// single segment followed by a slash.
func (r *Rule) isRelative() bool {
	for _, gp := range r.globParts {
		max := 1
		if gp[len(gp)-1] == "" {
			max = 2
		}
		if len(gp) <= max {
			return true
		}
	}
	return false
}

func badDot(f string) bool { return f == "." || f == ".." }

func matchParts(file []string, pattern []part, partial bool) bool {
	fi, pi := 0, 0
	fl, pl := len(file), len(pattern)
	for ; fi < fl && pi < pl; fi, pi = fi+1, pi+1 {
		p := pattern[pi]
		f := file[fi]
		if p.globstar {
			pr := pi + 1
			if pr == pl {
				// ** at the end swallows the rest, but not "." or "..".
				for ; fi < fl; fi++ {
					if badDot(file[fi]) {
						return false
					}
				}
				return true
			}
			for fr := fi; fr < fl; fr++ {
				if matchParts(file[fr:], pattern[pr:], partial) {
					return true
				}
				if badDot(file[fr]) {
					break
				}
			}
			return partial
		}
		if !p.matchSeg(f) {
			return false
		}
	}
	switch {
	case fi == fl && pi == pl:
		return true
	case fi == fl:
		return partial
	default:
		return fi == fl-1 && file[fi] == ""
	}
}

// braceExpand expands {a,b} alternatives and {1..3}/{a..c} sequences the way
// the brace-expansion package does.
func braceExpand(s string) []string {
	if strings.HasPrefix(s, "{}") {
		s = "\\{\\}" + s[2:]
	}
	s = escapeBraces(s)
	out := expandTop(s, true)
	for i := range out {
		out[i] = unescapeBraces(out[i])
	}
	return out
}

const (
	escSlash = "\x00SLASH\x00"
	escOpen  = "\x00OPEN\x00"
	escClose = "\x00CLOSE\x00"
	escComma = "\x00COMMA\x00"
	escDot   = "\x00DOT\x00"
)

func escapeBraces(s string) string {
	r := strings.NewReplacer("\\\\", escSlash, "\\{", escOpen, "\\}", escClose, "\\,", escComma, "\\.", escDot)
	return r.Replace(s)
}

func unescapeBraces(s string) string {
	r := strings.NewReplacer(escSlash, "\\", escOpen, "{", escClose, "}", escComma, ",", escDot, ".")
	return r.Replace(s)
}

// balanced finds the first balanced {...}: returns pre, body, post.
func balanced(s string) (pre, body, post string, ok bool) {
	start := strings.IndexByte(s, '{')
	if start < 0 {
		return
	}
	depth := 0
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[:start], s[start+1 : i], s[i+1:], true
			}
		}
	}
	// Unbalanced: retry after the first '{'.
	if p2, b2, po2, ok2 := balanced(s[start+1:]); ok2 {
		return s[:start+1] + p2, b2, po2, true
	}
	return
}

var numSeq = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$`) })
var alphaSeq = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$`) })
var postComma = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`,.*\}`) })

func expandTop(s string, isTop bool) []string {
	pre, body, post, ok := balanced(s)
	if !ok {
		return []string{s}
	}
	var postExp []string
	if post != "" {
		postExp = expandTop(post, false)
	} else {
		postExp = []string{""}
	}
	if strings.HasSuffix(pre, "$") {
		out := []string{}
		for _, p := range postExp {
			out = append(out, pre+"{"+body+"}"+p)
		}
		return out
	}
	isNum := numSeq().MatchString(body)
	isAlpha := alphaSeq().MatchString(body)
	isSeq := isNum || isAlpha
	isOpts := strings.Contains(body, ",")
	if !isSeq && !isOpts {
		if postComma().MatchString(post) {
			return expandTop(pre+"{"+body+escClose+post, isTop)
		}
		return []string{s}
	}
	var n []string
	if isSeq {
		n = strings.Split(body, "..")
	} else {
		n = commaParts(body)
		if len(n) == 1 {
			inner := expandTop(n[0], false)
			for i := range inner {
				inner[i] = "{" + inner[i] + "}"
			}
			n = inner
			if len(n) == 1 {
				out := []string{}
				for _, p := range postExp {
					out = append(out, pre+n[0]+p)
				}
				return out
			}
		}
	}
	var alts []string
	if isSeq {
		alts = sequence(n, isAlpha)
	} else {
		for _, e := range n {
			alts = append(alts, expandTop(e, false)...)
		}
	}
	out := []string{}
	for _, a := range alts {
		for _, p := range postExp {
			e := pre + a + p
			if !isTop || isSeq || e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

func commaParts(s string) []string {
	if s == "" {
		return []string{""}
	}
	pre, body, post, ok := balanced(s)
	if !ok {
		return strings.Split(s, ",")
	}
	p := strings.Split(pre, ",")
	p[len(p)-1] += "{" + body + "}"
	postParts := commaParts(post)
	if post != "" {
		p[len(p)-1] += postParts[0]
		p = append(p, postParts[1:]...)
	}
	return p
}

func sequence(n []string, alpha bool) []string {
	num := func(s string) int {
		if alpha {
			return int([]rune(s)[0])
		}
		v, _ := strconv.Atoi(s)
		return v
	}
	x, y := num(n[0]), num(n[1])
	width := len(n[0])
	if len(n[1]) > width {
		width = len(n[1])
	}
	incr := 1
	if len(n) == 3 {
		v, _ := strconv.Atoi(n[2])
		if v < 0 {
			v = -v
		}
		if v != 0 {
			incr = v
		}
	}
	reverse := y < x
	if reverse {
		incr = -incr
	}
	pad := false
	for _, e := range n[:2] {
		if regexp.MustCompile(`^-?0\d`).MatchString(e) {
			pad = true
		}
	}
	var out []string
	for i := x; (!reverse && i <= y) || (reverse && i >= y); i += incr {
		var c string
		if alpha {
			c = string(rune(i))
			if c == "\\" {
				c = ""
			}
		} else {
			c = strconv.Itoa(i)
			if pad {
				neg := i < 0
				d := strings.TrimPrefix(c, "-")
				w := width
				if neg {
					w--
				}
				for len(d) < w {
					d = "0" + d
				}
				if neg {
					c = "-" + d
				} else {
					c = d
				}
			}
		}
		out = append(out, c)
		if len(out) > 100000 {
			break
		}
	}
	return out
}
