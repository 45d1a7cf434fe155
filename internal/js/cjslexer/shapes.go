package cjslexer

import "unicode/utf16"

// The recognizers below each start at a keyword and, when the text does
// not have the expected shape, put pos back so tokenizing resumes there.

func (l *lexer) addExport(a, b int) { l.exports.add(l.decode(a, b)) }

// decode turns the source text [a,b) into an export name: a string
// literal is unescaped (and rejected if it holds unpaired surrogates); an
// identifier is taken as written.
func (l *lexer) decode(a, b int) (string, bool) {
	if a >= b {
		return "", true
	}
	q := l.at(a)
	if q != '"' && q != '\'' {
		return l.str(a, b), true
	}
	units, ok := unescape(l.s[a:min(b, len(l.s))])
	if !ok {
		return "", false
	}
	for i := 0; i < len(units); i++ {
		p := units[i] & 0xFC00
		if p < 0xD800 {
			continue
		}
		if p == 0xD800 {
			i++
			if i >= len(units) || units[i]&0xFC00 != 0xDC00 {
				return "", false
			}
			continue
		}
		return "", false
	}
	return string(utf16.Decode(units)), true
}

func hexVal(c uint16) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func appendCodePoint(out []uint16, cp int) []uint16 {
	if cp >= 0x10000 {
		r1, r2 := utf16.EncodeRune(rune(cp))
		return append(out, uint16(r1), uint16(r2))
	}
	return append(out, uint16(cp))
}

// unescape evaluates a quoted JavaScript string literal.
func unescape(s []uint16) ([]uint16, bool) {
	if len(s) == 0 {
		return nil, false
	}
	quote := s[0]
	var out []uint16
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == quote:
			return out, true
		case c == '\r' || c == '\n':
			return nil, false
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		i++
		if i >= len(s) {
			return nil, false
		}
		e := s[i]
		i++
		switch e {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case '\n', 0x2028, 0x2029:
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'v':
			out = append(out, '\v')
		case 'x':
			if i+1 >= len(s) || hexVal(s[i]) < 0 || hexVal(s[i+1]) < 0 {
				return nil, false
			}
			out = append(out, uint16(hexVal(s[i])*16+hexVal(s[i+1])))
			i += 2
		case 'u':
			cp := 0
			if i < len(s) && s[i] == '{' {
				i++
				for {
					if i >= len(s) {
						return nil, false
					}
					h := hexVal(s[i])
					if h < 0 {
						return nil, false
					}
					cp = cp*16 + h
					if cp > 0x10FFFF {
						return nil, false
					}
					i++
					if i < len(s) && s[i] == '}' {
						break
					}
				}
				i++
			} else {
				for k := 0; k < 4; k++ {
					if i >= len(s) || hexVal(s[i]) < 0 {
						return nil, false
					}
					cp = cp*16 + hexVal(s[i])
					i++
				}
			}
			out = appendCodePoint(out, cp)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			toRead := 1
			if e <= '3' {
				toRead = 2
			}
			v := int(e - '0')
			for toRead > 0 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
				v = v*8 + int(s[i]-'0')
				i++
				toRead--
			}
			out = appendCodePoint(out, v)
		default:
			out = append(out, e)
		}
	}
	return nil, false
}

// readExportsOrModuleDotExports consumes `exports` or `module.exports`.
func (l *lexer) readExportsOrModuleDotExports(ch int) bool {
	revert := l.pos
	if ch == 'm' && l.startsWith("odule", l.pos+1) {
		l.pos += 6
		ch = l.commentWhitespace()
		if ch != '.' {
			l.pos = revert
			return false
		}
		l.pos++
		ch = l.commentWhitespace()
	}
	if ch == 'e' && l.startsWith("xports", l.pos+1) {
		l.pos += 7
		return true
	}
	l.pos = revert
	return false
}

func (l *lexer) tryParseModuleExportsDotAssign() {
	l.pos += 6
	revert := l.pos - 1
	ch := l.commentWhitespace()
	if ch == '.' {
		l.pos++
		ch = l.commentWhitespace()
		if ch == 'e' && l.startsWith("xports", l.pos+1) {
			l.tryParseExportsDotAssign(true)
			return
		}
	}
	l.pos = revert
}

func (l *lexer) tryParseExportsDotAssign(assign bool) {
	l.pos += 7
	revert := l.pos - 1
	ch := l.commentWhitespace()
	switch ch {
	case '.':
		l.pos++
		l.commentWhitespace()
		start := l.pos
		if l.identifier() {
			end := l.pos
			if l.commentWhitespace() == '=' {
				l.addExport(start, end)
				return
			}
		}
	case '[':
		l.pos++
		ch = l.commentWhitespace()
		if ch == '\'' || ch == '"' {
			start := l.pos
			l.stringLiteral(ch)
			l.pos++
			end := l.pos
			ch = l.commentWhitespace()
			if ch != ']' {
				break
			}
			l.pos++
			ch = l.commentWhitespace()
			if ch != '=' {
				break
			}
			l.addExport(start, end)
		}
	case '=':
		if assign {
			// A new module.exports replaces whatever was re-exported.
			l.reexports = orderedSet{}
			l.pos++
			ch = l.commentWhitespace()
			if ch == '{' {
				l.tryParseLiteralExports()
				return
			}
			if ch == 'r' {
				l.tryParseRequire(reqExportAssign)
			}
		}
	}
	l.pos = revert
}

func (l *lexer) tryParseRequire(kind requireKind) bool {
	revert := l.pos
	if !l.startsWith("equire", l.pos+1) {
		return false
	}
	l.pos += 7
	ch := l.commentWhitespace()
	if ch == '(' {
		l.pos++
		ch = l.commentWhitespace()
		start := l.pos
		if ch == '\'' || ch == '"' {
			l.stringLiteral(ch)
			l.pos++
			end := l.pos
			ch = l.commentWhitespace()
			if ch == ')' {
				spec, ok := l.decode(start, end)
				switch kind {
				case reqExportAssign, reqExportStar:
					l.reexports.add(spec, ok)
				default:
					l.lastStarExport, l.hasLastStarExport = spec, ok
				}
				return true
			}
		}
	}
	l.pos = revert
	return false
}

func (l *lexer) tryParseLiteralExports() {
	revert := l.pos - 1
	for {
		l.pos++
		if l.pos > l.end {
			return
		}
		ch := l.commentWhitespace()
		start := l.pos
		if l.identifier() {
			end := l.pos
			ch = l.commentWhitespace()
			if ch == ':' {
				l.pos++
				l.commentWhitespace()
				if !l.identifier() {
					l.pos = revert
					return
				}
				ch = l.at(l.pos)
			}
			l.addExport(start, end)
		} else if ch == '.' && l.startsWith("..", l.pos+1) {
			l.pos += 3
			if l.at(l.pos) == 'r' && l.tryParseRequire(reqExportAssign) {
				l.pos++
			} else if !l.identifier() {
				l.pos = revert
				return
			}
			ch = l.commentWhitespace()
		} else if ch == '\'' || ch == '"' {
			start := l.pos
			l.stringLiteral(ch)
			l.pos++
			end := l.pos
			ch = l.commentWhitespace()
			if ch == ':' {
				l.pos++
				l.commentWhitespace()
				if !l.identifier() {
					l.pos = revert
					return
				}
				ch = l.at(l.pos)
				l.addExport(start, end)
			}
		} else {
			l.pos = revert
			return
		}
		if ch == '}' {
			return
		}
		if ch != ',' {
			l.pos = revert
			return
		}
	}
}

// expect consumes optional whitespace then a literal word, reporting
// whether it was there.
func (l *lexer) word(w string) bool {
	l.commentWhitespace()
	if !l.startsWith(w, l.pos) {
		return false
	}
	l.pos += len(w)
	return true
}

func (l *lexer) tryParseObjectHasOwnProperty(it []uint16) bool {
	ch := l.commentWhitespace()
	if ch != 'O' || !l.startsWith("bject", l.pos+1) {
		return false
	}
	l.pos += 6
	if !l.word(".") {
		return false
	}
	ch = l.commentWhitespace()
	if ch == 'p' {
		if !l.startsWith("rototype", l.pos+1) {
			return false
		}
		l.pos += 9
		if !l.word(".") {
			return false
		}
		ch = l.commentWhitespace()
	}
	if ch != 'h' || !l.startsWith("asOwnProperty", l.pos+1) {
		return false
	}
	l.pos += 14
	if !l.word(".") || !l.word("call") || !l.word("(") {
		return false
	}
	l.commentWhitespace()
	if !l.identifier() || !l.word(",") {
		return false
	}
	l.commentWhitespace()
	if !l.sliceEq(l.pos, it) {
		return false
	}
	l.pos += len(it)
	return l.word(")")
}

func (l *lexer) tryParseObjectDefineOrKeys(keys bool) {
	l.pos += 6
	revert := l.pos - 1
	ch := l.commentWhitespace()
	if ch == '.' {
		l.pos++
		ch = l.commentWhitespace()
		if ch == 'd' && l.startsWith("efineProperty", l.pos+1) {
			l.pos += 14
			revert = l.pos - 1
			exptStart, exptEnd, ok := l.parseDefineProperty()
			if ok {
				return
			}
			if exptEnd > exptStart {
				name, ok := l.decode(exptStart, exptEnd)
				l.unsafe.add(name, ok)
			}
		} else if keys && ch == 'k' && l.startsWith("eys", l.pos+1) {
			if l.parseKeysForEach(&revert) {
				return
			}
		}
	}
	l.pos = revert
}

// parseDefineProperty reads the rest of Object.defineProperty(exports,
// 'name', {...}). ok means handled (pos already placed); otherwise the
// name, when one was read, is an unsafe getter.
func (l *lexer) parseDefineProperty() (exptStart, exptEnd int, ok bool) {
	revert := l.pos - 1
	ch := l.commentWhitespace()
	if ch != '(' {
		return 0, 0, false
	}
	l.pos++
	ch = l.commentWhitespace()
	if !l.readExportsOrModuleDotExports(ch) {
		return 0, 0, false
	}
	if !l.word(",") {
		return 0, 0, false
	}
	ch = l.commentWhitespace()
	if ch != '\'' && ch != '"' {
		return 0, 0, false
	}
	exptStart = l.pos
	l.stringLiteral(ch)
	l.pos++
	exptEnd = l.pos
	if !l.word(",") || !l.word("{") {
		return exptStart, exptEnd, false
	}
	ch = l.commentWhitespace()
	if ch == 'e' {
		if !l.startsWith("numerable", l.pos+1) {
			return exptStart, exptEnd, false
		}
		l.pos += 10
		if !l.word(":") {
			return exptStart, exptEnd, false
		}
		ch = l.commentWhitespace()
		if ch != 't' || !l.startsWith("rue", l.pos+1) {
			return exptStart, exptEnd, false
		}
		l.pos += 4
		if !l.word(",") {
			return exptStart, exptEnd, false
		}
		ch = l.commentWhitespace()
	}
	if ch == 'v' {
		if !l.startsWith("alue", l.pos+1) {
			return exptStart, exptEnd, false
		}
		l.pos += 5
		if !l.word(":") {
			return exptStart, exptEnd, false
		}
		l.addExport(exptStart, exptEnd)
		l.pos = revert
		return exptStart, exptEnd, true
	}
	if ch != 'g' || !l.startsWith("et", l.pos+1) {
		return exptStart, exptEnd, false
	}
	l.pos += 3
	ch = l.commentWhitespace()
	if ch == ':' {
		l.pos++
		ch = l.commentWhitespace()
		if ch != 'f' || !l.startsWith("unction", l.pos+1) {
			return exptStart, exptEnd, false
		}
		l.pos += 8
		last := l.pos
		ch = l.commentWhitespace()
		if ch != '(' && (last == l.pos || !l.identifier()) {
			return exptStart, exptEnd, false
		}
		ch = l.commentWhitespace()
	}
	if ch != '(' {
		return exptStart, exptEnd, false
	}
	l.pos++
	if !l.word(")") || !l.word("{") {
		return exptStart, exptEnd, false
	}
	ch = l.commentWhitespace()
	if ch != 'r' || !l.startsWith("eturn", l.pos+1) {
		return exptStart, exptEnd, false
	}
	l.pos += 6
	l.commentWhitespace()
	if !l.identifier() {
		return exptStart, exptEnd, false
	}
	ch = l.commentWhitespace()
	if ch == '.' {
		l.pos++
		l.commentWhitespace()
		if !l.identifier() {
			return exptStart, exptEnd, false
		}
		ch = l.commentWhitespace()
	} else if ch == '[' {
		l.pos++
		ch = l.commentWhitespace()
		if ch != '\'' && ch != '"' {
			return exptStart, exptEnd, false
		}
		l.stringLiteral(ch)
		l.pos++
		if !l.word("]") {
			return exptStart, exptEnd, false
		}
		ch = l.commentWhitespace()
	}
	if ch == ';' {
		l.pos++
		ch = l.commentWhitespace()
	}
	if ch != '}' {
		return exptStart, exptEnd, false
	}
	l.pos++
	ch = l.commentWhitespace()
	if ch == ',' {
		l.pos++
		ch = l.commentWhitespace()
	}
	if ch != '}' {
		return exptStart, exptEnd, false
	}
	l.pos++
	if l.commentWhitespace() != ')' {
		return exptStart, exptEnd, false
	}
	l.addExport(exptStart, exptEnd)
	return exptStart, exptEnd, true
}

// parseKeysForEach recognizes Babel's re-export loop over a required
// binding: Object.keys(_x).forEach(function (key) { if (key === "default"
// || key === "__esModule") return; ... exports[key] = _x[key]; }).
func (l *lexer) parseKeysForEach(revert *int) bool {
	l.pos += 4
	*revert = l.pos - 1
	if !l.word("(") {
		return false
	}
	l.commentWhitespace()
	idStart := l.pos
	if !l.identifier() {
		return false
	}
	id := append([]uint16(nil), l.s[idStart:l.pos]...)
	if l.commentWhitespace() != ')' {
		return false
	}
	*revert = l.pos
	l.pos++
	if !l.word(".") || !l.word("forEach") {
		return false
	}
	l.commentWhitespace()
	*revert = l.pos - 1
	if !l.word("(") || !l.word("function") || !l.word("(") {
		return false
	}
	l.commentWhitespace()
	itStart := l.pos
	if !l.identifier() {
		return false
	}
	it := append([]uint16(nil), l.s[itStart:l.pos]...)
	if !l.word(")") || !l.word("{") || !l.word("if") || !l.word("(") {
		return false
	}
	if !l.ident(it) {
		return false
	}
	ch := l.commentWhitespace()
	switch ch {
	case '=':
		if !l.word("===") || !l.quoted("default") || !l.word("||") || !l.ident(it) || !l.word("===") || !l.quoted("__esModule") || !l.word(")") || !l.word("return") {
			return false
		}
		if l.commentWhitespace() == ';' {
			l.pos++
		}
		if l.commentWhitespace() == 'i' && l.at(l.pos+1) == 'f' {
			inIf := true
			l.pos += 2
			if !l.word("(") {
				return false
			}
			inner := l.pos
			if l.tryParseObjectHasOwnProperty(it) {
				if !l.word(")") || !l.word("return") {
					return false
				}
				if l.commentWhitespace() == ';' {
					l.pos++
				}
				if l.commentWhitespace() == 'i' && l.at(l.pos+1) == 'f' {
					l.pos += 2
					if !l.word("(") {
						return false
					}
				} else {
					inIf = false
				}
			} else {
				l.pos = inner
			}
			if inIf {
				if !l.ident(it) || !l.word("in ") {
					return false
				}
				if !l.readExportsOrModuleDotExports(l.commentWhitespace()) || !l.word("&&") ||
					!l.readExportsOrModuleDotExports(l.commentWhitespace()) || !l.word("[") || !l.ident(it) || !l.word("]") ||
					!l.word("===") || !l.ident(id) || !l.word("[") || !l.ident(it) || !l.word("]") || !l.word(")") || !l.word("return") {
					return false
				}
				if l.commentWhitespace() == ';' {
					l.pos++
				}
			}
		}
	case '!':
		if !l.word("!==") || !l.quoted("default") {
			return false
		}
		if l.commentWhitespace() == '&' {
			if !l.word("&&") || !l.word("!") {
				return false
			}
			c := l.commentWhitespace()
			if c == 'O' && l.startsWith("bject", l.pos+1) && l.at(l.pos+6) == '.' {
				if !l.tryParseObjectHasOwnProperty(it) {
					return false
				}
			} else if l.identifier() {
				if !l.word(".") || !l.word("hasOwnProperty") || !l.word("(") || !l.ident(it) || !l.word(")") {
					return false
				}
			} else {
				return false
			}
		}
		if !l.word(")") {
			return false
		}
	default:
		return false
	}
	ch = l.commentWhitespace()
	if l.readExportsOrModuleDotExports(ch) {
		if !l.word("[") || !l.ident(it) || !l.word("]") || !l.word("=") || !l.ident(id) || !l.word("[") || !l.ident(it) || !l.word("]") {
			return false
		}
		if l.commentWhitespace() == ';' {
			l.pos++
		}
	} else if ch == 'O' {
		if !l.word("Object") || !l.word(".") || !l.word("defineProperty") || !l.word("(") ||
			!l.readExportsOrModuleDotExports(l.commentWhitespace()) || !l.word(",") || !l.ident(it) || !l.word(",") ||
			!l.word("{") || !l.word("enumerable") || !l.word(":") || !l.word("true") || !l.word(",") || !l.word("get") {
			return false
		}
		c := l.commentWhitespace()
		if c == ':' {
			l.pos++
			c = l.commentWhitespace()
			if c != 'f' || !l.startsWith("unction", l.pos+1) {
				return false
			}
			l.pos += 8
			last := l.pos
			c = l.commentWhitespace()
			if c != '(' && (last == l.pos || !l.identifier()) {
				return false
			}
		}
		if !l.word("(") || !l.word(")") || !l.word("{") || !l.word("return") || !l.ident(id) || !l.word("[") || !l.ident(it) || !l.word("]") {
			return false
		}
		if l.commentWhitespace() == ';' {
			l.pos++
		}
		if !l.word("}") {
			return false
		}
		if l.commentWhitespace() == ',' {
			l.pos++
		}
		if !l.word("}") || !l.word(")") {
			return false
		}
		if l.commentWhitespace() == ';' {
			l.pos++
		}
	} else {
		return false
	}
	if !l.word("}") {
		return false
	}
	if l.commentWhitespace() != ')' {
		return false
	}
	if spec, ok := l.starExportMap[string(utf16.Decode(id))]; ok && spec != "" {
		l.reexports.add(spec, true)
		l.pos = *revert
	}
	return true
}

func (l *lexer) ident(w []uint16) bool {
	l.commentWhitespace()
	if !l.sliceEq(l.pos, w) {
		return false
	}
	l.pos += len(w)
	return true
}

// quoted consumes 'w' or "w".
func (l *lexer) quoted(w string) bool {
	q := l.commentWhitespace()
	if q != '"' && q != '\'' {
		return false
	}
	if !l.startsWith(w, l.pos+1) || l.at(l.pos+1+len(w)) != q {
		return false
	}
	l.pos += len(w) + 2
	return true
}
