// Package cjslexer finds the named exports of a CommonJS module without
// running it, with the semantics of cjs-module-lexer 1.x, the lexer Node
// uses so that `import { x } from "./file.cjs"` works. Like that lexer it
// recognizes a fixed set of shapes rather than evaluating anything:
//
//   - exports.x = / exports['x'] = / module.exports.x = ...
//   - Object.defineProperty(exports, 'x', { value: ... }) and the getter
//     forms TypeScript and Babel emit ({ enumerable: true, get: function ()
//     { return m.x; } }); other getters make "x" unsafe and drop it
//   - module.exports = { a, b: c, 'd': e, ...require('x') } (values must be
//     identifiers; the literal is read up to the first other shape)
//   - module.exports = require('x') (a reexport; a later module.exports =
//     discards earlier reexports)
//   - __exportStar(require('x')) / __export(require('x')) (TypeScript,
//     tslib) and Babel's `var _x = require('x'); Object.keys(_x).forEach(
//     function (key) { ... exports[key] = _x[key] ... })` reexport
//   - esbuild's `0 && (module.exports = { a, b })` annotation (it is just
//     the literal form)
//
// Strings, comments, template literals and regular expressions are skipped
// with a small tokenizer that tells division from a regex the way the
// original does. The source is handled as UTF-16 code units so positions
// and identifier rules match the JavaScript implementation.
package cjslexer

import (
	"errors"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrESMSyntax reports import/export statements or import.meta, which Node
// takes as proof the file is not CommonJS.
var ErrESMSyntax = errors.New("cjslexer: ES module syntax in a CommonJS module")

// SyntaxError is a tokenizer failure (unterminated string, template,
// regex or bracket). Node then exposes no named exports.
type SyntaxError struct {
	Msg    string
	Offset int // UTF-16 offset
}

func (e *SyntaxError) Error() string { return "cjslexer: " + e.Msg }

// Analyze returns the export names a CommonJS source defines and the
// specifiers it re-exports wholesale, in first-seen order. On error the
// names found before the failure are returned with it; Node uses none.
func Analyze(src []byte) (exports []string, reexports []string, err error) {
	l := newLexer(src)
	err = l.run()
	for _, e := range l.exports.order {
		if !l.unsafe.has(e) {
			exports = append(exports, e)
		}
	}
	return exports, l.reexports.order, err
}

type orderedSet struct {
	order []string
	seen  map[string]bool
}

func (s *orderedSet) add(v string, ok bool) {
	if !ok {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if !s.seen[v] {
		s.seen[v] = true
		s.order = append(s.order, v)
	}
}

func (s *orderedSet) has(v string) bool { return s.seen[v] }

type requireKind int

const (
	reqImport requireKind = iota
	reqExportAssign
	reqExportStar
)

type lexer struct {
	s   []uint16
	pos int
	end int

	openTokenDepth    int
	templateDepth     int
	lastTokenPos      int
	lastSlashWasDiv   bool
	templateStack     []int
	openTokenPosStack []int
	openClassStack    []bool
	nextBraceIsClass  bool
	starExportMap     map[string]string
	lastStarExport    string
	hasLastStarExport bool

	exports, unsafe, reexports orderedSet
}

func newLexer(src []byte) *lexer {
	return &lexer{s: toUTF16(src), starExportMap: map[string]string{}, templateDepth: -1, lastTokenPos: -1}
}

// toUTF16 decodes src into the UTF-16 code units the lexer indexes, as
// JavaScript's charCodeAt sees them, in one pass and one allocation (a
// UTF-8 source never needs more units than it has bytes). Invalid UTF-8
// decodes to U+FFFD byte by byte, as Node's file reading does.
func toUTF16(src []byte) []uint16 {
	s := make([]uint16, 0, len(src))
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			s = append(s, uint16(c))
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		s = utf16.AppendRune(s, r)
		i += n
	}
	return s
}

// at is charCodeAt: 0 outside the source (JavaScript's NaN, falsy).
func (l *lexer) at(i int) int {
	if i < 0 || i >= len(l.s) {
		return 0
	}
	return int(l.s[i])
}

func (l *lexer) codePointAt(i int) int {
	c := l.at(i)
	if c >= 0xD800 && c <= 0xDBFF {
		if d := l.at(i + 1); d >= 0xDC00 && d <= 0xDFFF {
			return (c-0xD800)<<10 + (d - 0xDC00) + 0x10000
		}
	}
	return c
}

func (l *lexer) startsWith(word string, i int) bool {
	if i < 0 || i+len(word) > len(l.s) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if l.s[i+k] != uint16(word[k]) {
			return false
		}
	}
	return true
}

func (l *lexer) sliceEq(i int, word []uint16) bool {
	if i < 0 || i+len(word) > len(l.s) {
		return false
	}
	for k, c := range word {
		if l.s[i+k] != c {
			return false
		}
	}
	return true
}

func (l *lexer) str(a, b int) string {
	if a < 0 {
		a = 0
	}
	if b > len(l.s) {
		b = len(l.s)
	}
	if a >= b {
		return ""
	}
	return string(utf16.Decode(l.s[a:b]))
}

func (l *lexer) pushOpen(v int) {
	if l.openTokenDepth < len(l.openTokenPosStack) {
		l.openTokenPosStack[l.openTokenDepth] = v
	} else {
		l.openTokenPosStack = append(l.openTokenPosStack, v)
	}
	l.openTokenDepth++
}

func (l *lexer) openPosAt(d int) int {
	if d < 0 || d >= len(l.openTokenPosStack) {
		return -1
	}
	return l.openTokenPosStack[d]
}

func (l *lexer) setClassAt(d int, v bool) {
	for len(l.openClassStack) <= d {
		l.openClassStack = append(l.openClassStack, false)
	}
	l.openClassStack[d] = v
}

func (l *lexer) classAt(d int) bool {
	return d >= 0 && d < len(l.openClassStack) && l.openClassStack[d]
}

type lexPanic struct{ err error }

func (l *lexer) fail(msg string) {
	panic(lexPanic{&SyntaxError{Msg: msg, Offset: l.pos}})
}

func (l *lexer) run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			lp, ok := r.(lexPanic)
			if !ok {
				panic(r)
			}
			err = lp.err
		}
	}()
	l.parse()
	return nil
}

func (l *lexer) parse() {
	l.pos = -1
	l.end = len(l.s) - 1
	if l.at(0) == '#' && l.at(1) == '!' {
		if len(l.s) == 2 {
			return
		}
		l.pos += 2
		for l.pos++; l.pos <= l.end; l.pos++ {
			if c := l.at(l.pos); c == '\n' || c == '\r' {
				break
			}
		}
	}
	for {
		l.pos++
		if l.pos > l.end {
			break
		}
		ch := l.at(l.pos)
		if ch == 32 || ch < 14 && ch > 8 {
			continue
		}
		if l.openTokenDepth == 0 {
			handled := true
			switch ch {
			case 'i':
				if l.startsWith("mport", l.pos+1) && l.keywordStart(l.pos) {
					l.throwIfImportStatement()
				}
			case 'r':
				start := l.pos
				if l.tryParseRequire(reqImport) && l.keywordStart(start) {
					l.tryBacktrackAddStarExportBinding(start - 1)
				}
			case '_':
				if l.startsWith("interopRequireWildcard", l.pos+1) && (l.keywordStart(l.pos) || l.at(l.pos-1) == '.') {
					start := l.pos
					l.pos += 23
					if l.at(l.pos) == '(' {
						l.pos++
						l.pushOpen(l.lastTokenPos)
						if l.tryParseRequire(reqImport) && l.keywordStart(start) {
							l.tryBacktrackAddStarExportBinding(start - 1)
						}
					}
				} else if l.startsWith("_export", l.pos+1) && (l.keywordStart(l.pos) || l.at(l.pos-1) == '.') {
					l.pos += 8
					if l.startsWith("Star", l.pos) {
						l.pos += 4
					}
					if l.at(l.pos) == '(' {
						l.pushOpen(l.lastTokenPos)
						if l.at(l.pos+1) == 'r' {
							l.pos++
							l.tryParseRequire(reqExportStar)
						}
					}
				}
			default:
				handled = false
			}
			if handled {
				l.lastTokenPos = l.pos
				continue
			}
		}
		switch ch {
		case 'e':
			if l.startsWith("xport", l.pos+1) && l.keywordStart(l.pos) {
				if l.at(l.pos+6) == 's' {
					l.tryParseExportsDotAssign(false)
				} else if l.openTokenDepth == 0 {
					l.throwIfExportStatement()
				}
			}
		case 'c':
			if l.keywordStart(l.pos) && l.startsWith("lass", l.pos+1) && isBrOrWs(l.at(l.pos+5)) {
				l.nextBraceIsClass = true
			}
		case 'm':
			if l.startsWith("odule", l.pos+1) && l.keywordStart(l.pos) {
				l.tryParseModuleExportsDotAssign()
			}
		case 'O':
			if l.startsWith("bject", l.pos+1) && l.keywordStart(l.pos) {
				l.tryParseObjectDefineOrKeys(l.openTokenDepth == 0)
			}
		case '(':
			l.pushOpen(l.lastTokenPos)
		case ')':
			if l.openTokenDepth == 0 {
				l.fail("unexpected closing bracket")
			}
			l.openTokenDepth--
		case '{':
			l.setClassAt(l.openTokenDepth, l.nextBraceIsClass)
			l.nextBraceIsClass = false
			l.pushOpen(l.lastTokenPos)
		case '}':
			if l.openTokenDepth == 0 {
				l.fail("unexpected closing brace")
			}
			d := l.openTokenDepth
			l.openTokenDepth--
			if d == l.templateDepth {
				n := len(l.templateStack) - 1
				l.templateDepth = l.templateStack[n]
				l.templateStack = l.templateStack[:n]
				l.templateString()
			} else if l.templateDepth != -1 && l.openTokenDepth < l.templateDepth {
				l.fail("unexpected closing brace")
			}
		case '\'', '"':
			l.stringLiteral(ch)
		case '/':
			next := l.at(l.pos + 1)
			if next == '/' {
				l.lineComment()
				continue
			} else if next == '*' {
				l.blockComment()
				continue
			}
			last := l.at(l.lastTokenPos)
			if isExpressionPunctuator(last) &&
				!(last == '.' && l.at(l.lastTokenPos-1) >= '0' && l.at(l.lastTokenPos-1) <= '9') &&
				!(last == '+' && l.at(l.lastTokenPos-1) == '+') && !(last == '-' && l.at(l.lastTokenPos-1) == '-') ||
				last == ')' && l.isParenKeyword(l.openPosAt(l.openTokenDepth)) ||
				last == '}' && (l.isExpressionTerminator(l.openPosAt(l.openTokenDepth)) || l.classAt(l.openTokenDepth)) ||
				last == '/' && l.lastSlashWasDiv ||
				l.isExpressionKeyword(l.lastTokenPos) ||
				last == 0 {
				l.regularExpression()
				l.lastSlashWasDiv = false
			} else {
				l.lastSlashWasDiv = true
			}
		case '`':
			l.templateString()
		}
		l.lastTokenPos = l.pos
	}
	if l.templateDepth != -1 {
		l.fail("unterminated template")
	}
	if l.openTokenDepth != 0 {
		l.fail("unterminated braces")
	}
}

func (l *lexer) throwIfImportStatement() {
	start := l.pos
	l.pos += 6
	ch := l.commentWhitespace()
	switch ch {
	case '(':
		l.pushOpen(start)
		return
	case '.':
		panic(lexPanic{ErrESMSyntax})
	case '"', '\'', '{', '*':
	default:
		if l.pos == start+6 {
			return
		}
	}
	if l.openTokenDepth != 0 {
		l.pos--
		return
	}
	panic(lexPanic{ErrESMSyntax})
}

func (l *lexer) throwIfExportStatement() {
	l.pos += 6
	cur := l.pos
	ch := l.commentWhitespace()
	if l.pos == cur && !isPunctuator(ch) {
		return
	}
	panic(lexPanic{ErrESMSyntax})
}

func (l *lexer) tryBacktrackAddStarExportBinding(b int) {
	for b >= 0 && l.at(b) == ' ' {
		b--
	}
	if l.at(b) != '=' {
		return
	}
	b--
	for b >= 0 && l.at(b) == ' ' {
		b--
	}
	idEnd := b
	identStart := false
	for b >= 0 {
		cp := l.codePointAtLast(b)
		if cp == 0 {
			break
		}
		if cp == '\\' {
			return
		}
		if !isIdentifierChar(cp) {
			break
		}
		identStart = isIdentifierStart(cp)
		b -= codePointLen(cp)
	}
	if !identStart || l.at(b) != ' ' {
		return
	}
	id := l.str(b+1, idEnd+1)
	for b >= 0 && l.at(b) == ' ' {
		b--
	}
	switch l.at(b) {
	case 'r':
		if !l.startsWith("va", b-2) {
			return
		}
	case 't':
		if !l.startsWith("le", b-2) && !l.startsWith("cons", b-4) {
			return
		}
	default:
		return
	}
	if l.hasLastStarExport {
		l.starExportMap[id] = l.lastStarExport
	} else {
		delete(l.starExportMap, id)
	}
}

func (l *lexer) codePointAtLast(b int) int {
	c := l.at(b)
	if c&0xFC00 == 0xDC00 {
		return ((l.at(b-1)&0x3FF)<<10 | (c & 0x3FF)) + 0x10000
	}
	return c
}

func codePointLen(cp int) int {
	if cp < 0x10000 {
		return 1
	}
	return 2
}

func isIdentifierStart(c int) bool {
	switch {
	case c < 65:
		return c == '$'
	case c < 91:
		return true
	case c < 97:
		return c == '_'
	case c < 123:
		return true
	case c < 0xaa:
		return false
	}
	r := rune(c)
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

func isIdentifierChar(c int) bool {
	switch {
	case c < 48:
		return c == '$'
	case c < 58:
		return true
	case c < 65:
		return false
	case c < 91:
		return true
	case c < 97:
		return c == '_'
	case c < 123:
		return true
	case c < 0xaa:
		return false
	}
	r := rune(c)
	return isIdentifierStart(c) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) || r == 0x200c || r == 0x200d
}

// identifier reads an identifier at pos; false (pos unchanged for a bad
// start) when there is none or it uses escapes.
func (l *lexer) identifier() bool {
	ch := l.codePointAt(l.pos)
	if !isIdentifierStart(ch) || ch == '\\' {
		return false
	}
	l.pos += codePointLen(ch)
	for {
		ch = l.codePointAt(l.pos)
		if ch == 0 {
			break
		}
		if isIdentifierChar(ch) {
			l.pos += codePointLen(ch)
		} else if ch == '\\' {
			return false
		} else {
			break
		}
	}
	return true
}

func isBr(c int) bool     { return c == '\r' || c == '\n' }
func isBrOrWs(c int) bool { return c > 8 && c < 14 || c == 32 || c == 160 }
func isPunctuator(c int) bool {
	return c == '!' || c == '%' || c == '&' || c > 39 && c < 48 || c > 57 && c < 64 ||
		c == '[' || c == ']' || c == '^' || c > 122 && c < 127
}
func isExpressionPunctuator(c int) bool {
	return c == '!' || c == '%' || c == '&' || c > 39 && c < 47 && c != 41 || c > 57 && c < 64 ||
		c == '[' || c == '^' || c > 122 && c < 127 && c != '}'
}
func isBrOrWsOrPunctuatorNotDot(c int) bool {
	return isBrOrWs(c) || isPunctuator(c) && c != '.'
}

func (l *lexer) keywordStart(p int) bool {
	return p == 0 || isBrOrWsOrPunctuatorNotDot(l.at(p-1))
}

func (l *lexer) readPrecedingKeyword(p int, match string) bool {
	if p < len(match)-1 {
		return false
	}
	return l.startsWith(match, p-len(match)+1) && (p == 0 || isBrOrWsOrPunctuatorNotDot(l.at(p-len(match))))
}

func (l *lexer) readPrecedingKeyword1(p int, ch int) bool {
	return l.at(p) == ch && (p == 0 || isBrOrWsOrPunctuatorNotDot(l.at(p-1)))
}

func (l *lexer) isExpressionKeyword(p int) bool {
	switch l.at(p) {
	case 'd':
		switch l.at(p - 1) {
		case 'i':
			return l.readPrecedingKeyword(p-2, "vo")
		case 'l':
			return l.readPrecedingKeyword(p-2, "yie")
		}
	case 'e':
		switch l.at(p - 1) {
		case 's':
			switch l.at(p - 2) {
			case 'l':
				return l.readPrecedingKeyword1(p-3, 'e')
			case 'a':
				return l.readPrecedingKeyword1(p-3, 'c')
			}
		case 't':
			return l.readPrecedingKeyword(p-2, "dele")
		}
	case 'f':
		if l.at(p-1) != 'o' || l.at(p-2) != 'e' {
			return false
		}
		switch l.at(p - 3) {
		case 'c':
			return l.readPrecedingKeyword(p-4, "instan")
		case 'p':
			return l.readPrecedingKeyword(p-4, "ty")
		}
	case 'n':
		return l.readPrecedingKeyword1(p-1, 'i') || l.readPrecedingKeyword(p-1, "retur")
	case 'o':
		return l.readPrecedingKeyword1(p-1, 'd')
	case 'r':
		return l.readPrecedingKeyword(p-1, "debugge")
	case 't':
		return l.readPrecedingKeyword(p-1, "awai")
	case 'w':
		switch l.at(p - 1) {
		case 'e':
			return l.readPrecedingKeyword1(p-2, 'n')
		case 'o':
			return l.readPrecedingKeyword(p-2, "thr")
		}
	}
	return false
}

func (l *lexer) isParenKeyword(p int) bool {
	return l.at(p) == 'e' && l.startsWith("whil", p-4) ||
		l.at(p) == 'r' && l.startsWith("fo", p-2) ||
		l.at(p-1) == 'i' && l.at(p) == 'f'
}

func (l *lexer) isExpressionTerminator(p int) bool {
	switch l.at(p) {
	case '>':
		return l.at(p-1) == '='
	case ';', ')':
		return true
	case 'h':
		return l.startsWith("catc", p-4)
	case 'y':
		return l.startsWith("finall", p-6)
	case 'e':
		return l.startsWith("els", p-3)
	}
	return false
}

func (l *lexer) commentWhitespace() int {
	var ch int
	for {
		ch = l.at(l.pos)
		if ch == '/' {
			next := l.at(l.pos + 1)
			if next == '/' {
				l.lineComment()
			} else if next == '*' {
				l.blockComment()
			} else {
				return ch
			}
		} else if !isBrOrWs(ch) {
			return ch
		}
		l.pos++
		if l.pos-1 >= l.end {
			return ch
		}
	}
}

func (l *lexer) templateString() {
	for {
		l.pos++
		if l.pos > l.end {
			break
		}
		ch := l.at(l.pos)
		if ch == '$' && l.at(l.pos+1) == '{' {
			l.pos++
			l.templateStack = append(l.templateStack, l.templateDepth)
			l.openTokenDepth++
			l.templateDepth = l.openTokenDepth
			return
		}
		if ch == '`' {
			return
		}
		if ch == '\\' {
			l.pos++
		}
	}
	l.fail("unterminated template")
}

func (l *lexer) blockComment() {
	l.pos++
	for {
		l.pos++
		if l.pos > l.end {
			return
		}
		if l.at(l.pos) == '*' && l.at(l.pos+1) == '/' {
			l.pos++
			return
		}
	}
}

func (l *lexer) lineComment() {
	for {
		l.pos++
		if l.pos > l.end {
			return
		}
		if c := l.at(l.pos); c == '\n' || c == '\r' {
			return
		}
	}
}

func (l *lexer) stringLiteral(quote int) {
	for {
		l.pos++
		if l.pos > l.end {
			break
		}
		ch := l.at(l.pos)
		if ch == quote {
			return
		}
		if ch == '\\' {
			l.pos++
			ch = l.at(l.pos)
			if ch == '\r' && l.at(l.pos+1) == '\n' {
				l.pos++
			}
		} else if isBr(ch) {
			break
		}
	}
	l.fail("unterminated string")
}

func (l *lexer) regexCharacterClass() {
	for {
		l.pos++
		if l.pos > l.end {
			break
		}
		ch := l.at(l.pos)
		if ch == ']' {
			return
		}
		if ch == '\\' {
			l.pos++
		} else if ch == '\n' || ch == '\r' {
			break
		}
	}
	l.fail("unterminated regular expression class")
}

func (l *lexer) regularExpression() {
	for {
		l.pos++
		if l.pos > l.end {
			break
		}
		ch := l.at(l.pos)
		if ch == '/' {
			return
		}
		if ch == '[' {
			l.regexCharacterClass()
		} else if ch == '\\' {
			l.pos++
		} else if ch == '\n' || ch == '\r' {
			break
		}
	}
	l.fail("unterminated regular expression")
}
