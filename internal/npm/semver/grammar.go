package semver

import (
	"regexp"
	"strings"
	"sync"
)

// The range desugaring below is a sequence of textual rewrites, and
// node-semver's answers for unusual input (stray spaces, "> =1.2.3", a build
// suffix in the middle of a range) follow from how each rewrite's regular
// expression matches. Go's regexp chooses the same leftmost-first matches a
// backtracking engine does, so the rewrites are expressed with regular
// expressions over the version grammar and produce the same text.
//
// node-semver bounds its repetitions ({0,256} digits, {1,250} identifier
// characters) to avoid regular-expression denial of service. The bounds only
// change a match when a run of identifier characters is longer than 250, so
// ranges without such a run use the unbounded (much smaller, faster)
// expressions and the others the bounded ones.

type grammar struct {
	hyphen, hyphenLoose       *regexp.Regexp
	comparatorTrim            *regexp.Regexp
	tildeTrim, caretTrim      *regexp.Regexp
	tilde, tildeLoose         *regexp.Regexp
	caret, caretLoose         *regexp.Regexp
	xrange, xrangeLoose       *regexp.Regexp
	star                      *regexp.Regexp
	gte0, gte0pre             *regexp.Regexp
	build                     *regexp.Regexp
	comparator, comparatorLse *regexp.Regexp
}

// buildStrip removes every "+build" suffix from a range before parsing; it
// is unbounded in node-semver too. The expressions are compiled on first
// use, not at package init: every gnode command links this package, and the
// fast path parses most ranges without them.
var buildStrip = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*`)
})

func newGrammar(bounded bool) *grammar {
	digits0, digits1, ident0, ident1, sp0, sp1 := `\d*`, `\d+`, `[a-zA-Z0-9-]*`, `[a-zA-Z0-9-]+`, `\s*`, `\s+`
	if bounded {
		digits0, digits1, ident0, ident1, sp0, sp1 = `\d{0,256}`, `\d{1,256}`, `[a-zA-Z0-9-]{0,250}`, `[a-zA-Z0-9-]{1,250}`, `\s{0,1}`, `\s{1,1}`
	}
	num := `0|[1-9]` + digits0
	numLoose := digits1
	word := digits0 + `[a-zA-Z-]` + ident0
	preID := `(?:` + word + `|` + num + `)`
	preIDLoose := `(?:` + word + `|` + numLoose + `)`
	pre := `(?:-(` + preID + `(?:\.` + preID + `)*))`
	preLoose := `(?:-?(` + preIDLoose + `(?:\.` + preIDLoose + `)*))`
	build := `(?:\+(` + ident1 + `(?:\.` + ident1 + `)*))`
	full := `v?(` + num + `)\.(` + num + `)\.(` + num + `)` + pre + `?` + build + `?`
	loosePlain := `[v=\s]*(` + numLoose + `)\.(` + numLoose + `)\.(` + numLoose + `)` + preLoose + `?` + build + `?`
	gtlt := `((?:<|>)?=?)`
	xid := num + `|x|X|\*`
	xidLoose := numLoose + `|x|X|\*`
	xplain := `[v=\s]*(` + xid + `)(?:\.(` + xid + `)(?:\.(` + xid + `)(?:` + pre + `)?` + build + `?)?)?`
	xplainLoose := `[v=\s]*(` + xidLoose + `)(?:\.(` + xidLoose + `)(?:\.(` + xidLoose + `)(?:` + preLoose + `)?` + build + `?)?)?`
	c := regexp.MustCompile
	return &grammar{
		hyphen:         c(`^` + sp0 + `(` + xplain + `)` + sp1 + `-` + sp1 + `(` + xplain + `)` + sp0 + `$`),
		hyphenLoose:    c(`^` + sp0 + `(` + xplainLoose + `)` + sp1 + `-` + sp1 + `(` + xplainLoose + `)` + sp0 + `$`),
		comparatorTrim: c(`(` + sp0 + `)` + gtlt + sp0 + `(` + loosePlain + `|` + xplain + `)`),
		tildeTrim:      c(`(` + sp0 + `)(?:~>?)` + sp1),
		caretTrim:      c(`(` + sp0 + `)(?:\^)` + sp1),
		tilde:          c(`^(?:~>?)` + xplain + `$`),
		tildeLoose:     c(`^(?:~>?)` + xplainLoose + `$`),
		caret:          c(`^(?:\^)` + xplain + `$`),
		caretLoose:     c(`^(?:\^)` + xplainLoose + `$`),
		xrange:         c(`^` + gtlt + sp0 + xplain + `$`),
		xrangeLoose:    c(`^` + gtlt + sp0 + xplainLoose + `$`),
		star:           c(`(<|>)?=?` + sp0 + `\*`),
		gte0:           c(`^` + sp0 + `>=` + sp0 + `0\.0\.0` + sp0 + `$`),
		gte0pre:        c(`^` + sp0 + `>=` + sp0 + `0\.0\.0-0` + sp0 + `$`),
		build:          c(build),
		comparator:     c(`^` + gtlt + sp0 + `(` + full + `)$|^$`),
		comparatorLse:  c(`^` + gtlt + sp0 + `(` + loosePlain + `)$|^$`),
	}
}

var (
	unboundedGrammar = sync.OnceValue(func() *grammar { return newGrammar(false) })
	boundedGrammar   = sync.OnceValue(func() *grammar { return newGrammar(true) })
)

// grammarFor picks the expressions for s (see the comment at the top).
func grammarFor(s string) *grammar {
	run := 0
	for i := 0; i < len(s); i++ {
		if isIdentChar(s[i]) {
			run++
			if run > 250 {
				return boundedGrammar()
			}
		} else {
			run = 0
		}
	}
	return unboundedGrammar()
}

// group returns submatch n of a FindStringSubmatchIndex result, "" when it
// did not take part (JavaScript's undefined; every use treats both alike).
func group(s string, m []int, n int) string {
	if m[2*n] < 0 {
		return ""
	}
	return s[m[2*n]:m[2*n+1]]
}

// replaceFirst is JavaScript's s.replace(re, fn) for a non-global re.
func replaceFirst(re *regexp.Regexp, s string, fn func(m []int) string) string {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	return s[:m[0]] + fn(m) + s[m[1]:]
}

// replaceAll is JavaScript's s.replace(re, fn) for a global re whose
// matches are never empty.
func replaceAll(re *regexp.Regexp, s string, fn func(m []int) string) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(s[last:m[0]])
		b.WriteString(fn(m))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// splitSpaces is JavaScript's s.split(/\s+/) for text whose only whitespace
// is ASCII space (leading and trailing runs give empty strings).
func splitSpaces(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		if s[i] != ' ' {
			i++
			continue
		}
		out = append(out, s[start:i])
		for i < len(s) && s[i] == ' ' {
			i++
		}
		start = i
	}
	return append(out, s[start:])
}

// collapseSpaces trims s and replaces every run of whitespace with one
// space, like node-semver's first step on a range.
func collapseSpaces(s string) string {
	s = jsTrim(s)
	simple := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || (c == ' ' && i+1 < len(s) && s[i+1] == ' ') {
			simple = false
			break
		}
	}
	if simple {
		return s
	}
	var b strings.Builder
	inSpace := false
	for _, r := range s {
		if isJSSpace(r) {
			if !inSpace {
				b.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		b.WriteRune(r)
	}
	return b.String()
}
