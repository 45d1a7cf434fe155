package transform

// MayHaveModuleSyntax reports whether src (JavaScript or TypeScript text,
// UTF-8) may contain an import or export statement or import.meta: the
// syntax that makes Node's module detection run a file without a package
// "type" as an ES module. It is a cheap pre-filter for the full lexer
// (internal/js/cjslexer), which costs about seven bytes of memory per
// source byte: require('typescript') (9 MB) allocated 80 MB of Go heap in
// detection alone, for a file that is plainly CommonJS.
//
// False means certainly not: no such statement occurs outside strings,
// comments, regular expressions and template text. True means "maybe": a
// keyword in a position a statement could take, or a place where this scan
// cannot tell a regular expression from a division without parsing (a "/"
// after "}" or after await/yield); the caller then runs the full lexer.
//
// The scan reads src in place and allocates only its bracket stack.
func MayHaveModuleSyntax(src []byte) bool {
	s := esmScanner{src: src}
	return s.run()
}

// Token classes the regular-expression decision looks back at.
const (
	tokNone     = iota // start of input: a "/" starts a regex
	tokPunct           // an operator or opening bracket: regex
	tokValue           // identifier, number, string, "]": division
	tokKeyword         // return, typeof, ...: regex
	tokCloseRe         // ")" of if/while/for/with: regex
	tokCloseDiv        // ")" of an expression or call: division
	tokBrace           // "}": block or expression, undecidable here
	tokAmbig           // await, yield, of: keyword or identifier
)

// Open-bracket kinds on the stack.
const (
	openParen      = iota // "(" of an expression or call
	openParenKw           // "(" after if/while/for/with
	openBrace             // "{"
	openTmpl              // "${" inside a template literal
	openParenAmbig        // "(" after await or yield: for await (...) or a call
)

type esmScanner struct {
	src  []byte
	pos  int
	last int  // token class before pos
	dot  bool // the token before pos is a "." (not a spread)
	// parenKw: the keyword before pos is if/while/for/with, whose ")" is
	// followed by a statement (where "/" starts a regex).
	parenKw bool
	stack   []byte
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80 || c == '\\'
}

func (s *esmScanner) at(i int) byte {
	if i < 0 || i >= len(s.src) {
		return 0
	}
	return s.src[i]
}

func (s *esmScanner) run() bool {
	src := s.src
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.pos = 3
	}
	if s.at(s.pos) == '#' && s.at(s.pos+1) == '!' {
		s.skipLine()
	}
	for s.pos < len(src) {
		c := src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			s.pos++
			continue
		case c == '/' && s.at(s.pos+1) == '/':
			s.skipLine()
			continue
		case c == '/' && s.at(s.pos+1) == '*':
			s.skipBlockComment()
			continue
		}
		afterDot := s.dot
		s.dot = false
		switch {
		case c == '/':
			switch s.last {
			case tokBrace, tokAmbig:
				return true
			case tokValue, tokCloseDiv:
				s.pos++
				s.last = tokPunct
			default:
				s.skipRegex()
				s.last = tokValue
			}
		case c == '\'' || c == '"':
			s.skipString(c)
			s.last = tokValue
		case c == '`':
			s.pos++
			if s.skipTemplate() {
				s.last = tokValue
			}
		case c == '(':
			kind := byte(openParen)
			if s.last == tokKeyword && s.parenKw {
				kind = openParenKw
			} else if s.last == tokAmbig {
				kind = openParenAmbig
			}
			s.stack = append(s.stack, kind)
			s.pos++
			s.last = tokPunct
		case c == ')':
			s.last = tokCloseDiv
			if n := len(s.stack); n > 0 {
				switch s.stack[n-1] {
				case openParenKw:
					s.last = tokCloseRe
				case openParenAmbig:
					s.last = tokAmbig
				}
				s.stack = s.stack[:n-1]
			}
			s.pos++
		case c == '{':
			s.stack = append(s.stack, openBrace)
			s.pos++
			s.last = tokPunct
		case c == '}':
			s.pos++
			n := len(s.stack)
			if n > 0 && s.stack[n-1] == openTmpl {
				s.stack = s.stack[:n-1]
				if s.skipTemplate() {
					s.last = tokValue
				}
				continue
			}
			if n > 0 {
				s.stack = s.stack[:n-1]
			}
			s.last = tokBrace
		case c == ']':
			s.pos++
			s.last = tokValue
		case c == '.' && s.at(s.pos+1) >= '0' && s.at(s.pos+1) <= '9':
			s.skipNumber()
		case c >= '0' && c <= '9':
			s.skipNumber()
		case c == '+' || c == '-':
			// a++ / b divides; ++ before an operand never meets a "/".
			if s.at(s.pos+1) == c && (s.last == tokValue || s.last == tokCloseDiv) {
				s.pos += 2
				s.last = tokValue
				continue
			}
			s.pos++
			s.last = tokPunct
		case c == '.':
			if s.at(s.pos+1) == '.' && s.at(s.pos+2) == '.' {
				s.pos += 3 // spread: ...import.meta is an operand
			} else {
				s.pos++
				s.dot = true // x.import, x?.export: property names
			}
			s.last = tokPunct
		case isIdentByte(c):
			if s.word(afterDot) {
				return true
			}
		default:
			s.pos++
			s.last = tokPunct
		}
	}
	return false
}

// word reads an identifier or keyword; it reports whether it is an
// import or export in a statement position. member: it follows a ".".
func (s *esmScanner) word(member bool) bool {
	start := s.pos
	for s.pos < len(s.src) && isIdentByte(s.src[s.pos]) {
		if s.src[s.pos] == '\\' {
			s.pos++ // \uXXXX escape: part of the identifier
		}
		s.pos++
	}
	s.pos = min(s.pos, len(s.src)) // a trailing lone backslash
	w := s.src[start:s.pos]
	s.parenKw = false
	s.last = tokValue
	if member {
		return false
	}
	switch string(w) {
	case "import":
		c, ws := s.peekSignificant()
		switch c {
		case '(':
			s.last = tokKeyword // import(x) / 2 never happens; treat as call
			return false
		case '.', '"', '\'', '{', '*':
			return true
		}
		return ws || isIdentByte(c)
	case "export":
		c, _ := s.peekSignificant()
		// "export =" is TypeScript's CommonJS export, which the full
		// lexer counts as module syntax too.
		return c == '{' || c == '*' || c == '=' || isIdentByte(c)
	case "await", "yield", "of":
		s.last = tokAmbig
	case "if", "while", "for", "with":
		s.last = tokKeyword
		s.parenKw = true
	case "return", "typeof", "instanceof", "in", "new", "delete", "void", "throw",
		"case", "do", "else", "extends", "default":
		s.last = tokKeyword
	}
	return false
}

// peekSignificant returns the next byte after whitespace and comments, and
// whether any were skipped, without moving.
func (s *esmScanner) peekSignificant() (byte, bool) {
	i := s.pos
	for i < len(s.src) {
		switch c := s.src[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			i++
		case c == '/' && s.at(i+1) == '/':
			for i < len(s.src) && s.src[i] != '\n' && s.src[i] != '\r' {
				i++
			}
		case c == '/' && s.at(i+1) == '*':
			i += 2
			for i < len(s.src) && !(s.src[i] == '*' && s.at(i+1) == '/') {
				i++
			}
			i += 2
		default:
			return c, i > s.pos
		}
	}
	return 0, i > s.pos
}

func (s *esmScanner) skipLine() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' && s.src[s.pos] != '\r' {
		s.pos++
	}
}

func (s *esmScanner) skipBlockComment() {
	s.pos += 2
	for s.pos < len(s.src) && !(s.src[s.pos] == '*' && s.at(s.pos+1) == '/') {
		s.pos++
	}
	s.pos += 2
}

func (s *esmScanner) skipString(q byte) {
	s.pos++
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; c {
		case q:
			s.pos++
			return
		case '\\':
			s.pos += 2
			if s.at(s.pos-1) == '\r' && s.at(s.pos) == '\n' {
				s.pos++
			}
		case '\n', '\r':
			return // unterminated: the line ends it
		default:
			s.pos++
		}
	}
}

// skipTemplate reads template text after "`" or after the "}" closing a
// substitution; it reports true at the closing "`" and false at "${".
func (s *esmScanner) skipTemplate() bool {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '`':
			s.pos++
			return true
		case '\\':
			s.pos += 2
		case '$':
			if s.at(s.pos+1) == '{' {
				s.pos += 2
				s.stack = append(s.stack, openTmpl)
				s.last = tokPunct
				return false
			}
			s.pos++
		default:
			s.pos++
		}
	}
	return true
}

func (s *esmScanner) skipRegex() {
	s.pos++
	inClass := false
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; c {
		case '\\':
			s.pos += 2
			continue
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				s.pos++
				for s.pos < len(s.src) && isIdentByte(s.src[s.pos]) {
					s.pos++ // flags
				}
				return
			}
		case '\n', '\r':
			return
		}
		s.pos++
	}
}

func (s *esmScanner) skipNumber() {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if isIdentByte(c) || c == '.' {
			s.pos++
			continue
		}
		if (c == '+' || c == '-') && (s.at(s.pos-1) == 'e' || s.at(s.pos-1) == 'E') && !isHexPrefixed(s.src, s.pos) {
			s.pos++
			continue
		}
		break
	}
	s.last = tokValue
}

// isHexPrefixed: the number ending before i is hex (0x1e+1 is 0x1e plus 1).
func isHexPrefixed(src []byte, i int) bool {
	j := i - 1
	for j >= 0 && (isIdentByte(src[j]) || src[j] == '.') {
		j--
	}
	return j+2 < len(src) && src[j+1] == '0' && (src[j+2] == 'x' || src[j+2] == 'X')
}
