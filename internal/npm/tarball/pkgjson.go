package tarball

// PackageFacts is what extraction and the package store read from a
// package's package.json: the "bin" value and whether the install scripts
// are set. ScanPackageJSON finds them in one pass over the document
// instead of one encoding/json decode per reader (a cold install of ~900
// packages decoded each package.json twice and compacted it once more
// when writing the store index: ~80 ms of CPU).
type PackageFacts struct {
	// OK reports that ScanPackageJSON read the document; when false the
	// other fields are unset and the caller decodes with encoding/json.
	OK bool
	// Bin is the raw JSON text of the top-level "bin" member, nil when
	// there is none (a `null` value is kept as its text).
	Bin []byte
	// Preinstall, Install and Postinstall report scripts whose value is a
	// non-empty string.
	Preinstall, Install, Postinstall bool
	// NoGypfile reports `"gypfile": false`.
	NoGypfile bool
}

// ScanPackageJSON reads a package.json's facts (after an optional UTF-8
// byte order mark). OK is false for anything it does not handle exactly
// as encoding/json would: invalid JSON, a document that is not an object,
// a top-level key that is escaped, not ASCII, repeated, or equal to
// "bin", "scripts" or "gypfile" only when case is ignored (encoding/json
// matches struct fields case-insensitively), "scripts" that is not an
// object or null, a scripts key with an escape, "gypfile" that is not a
// boolean or null, or nesting deeper than scanMaxDepth. Callers then
// decode with encoding/json, which also words the error. When OK is true,
// the document is valid JSON and the facts are what encoding/json
// decoding gives.
func ScanPackageJSON(doc []byte) PackageFacts {
	f, ok := scanPackageJSON(doc)
	if !ok {
		return PackageFacts{}
	}
	f.OK = true
	return f
}

func scanPackageJSON(doc []byte) (f PackageFacts, ok bool) {
	if len(doc) >= 3 && doc[0] == 0xef && doc[1] == 0xbb && doc[2] == 0xbf {
		doc = doc[3:]
	}
	s := pjScanner{b: doc}
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return f, false
	}
	s.i++
	var seenBin, seenScripts, seenGyp bool
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
	} else {
		for {
			s.ws()
			start := s.i
			if !s.str() {
				return f, false
			}
			key := s.b[start+1 : s.i-1]
			s.ws()
			if s.i >= len(s.b) || s.b[s.i] != ':' {
				return f, false
			}
			s.i++
			s.ws()
			switch {
			case string(key) == "bin":
				if seenBin {
					return f, false
				}
				seenBin = true
				vs := s.i
				if !s.value(1) {
					return f, false
				}
				f.Bin = s.b[vs:s.i]
			case string(key) == "scripts":
				if seenScripts || !s.scripts(&f) {
					return f, false
				}
				seenScripts = true
			case string(key) == "gypfile":
				if seenGyp {
					return f, false
				}
				seenGyp = true
				switch {
				case s.lit("true"), s.lit("null"):
				case s.lit("false"):
					f.NoGypfile = true
				default:
					return f, false
				}
			default:
				if !plainKey(key) {
					return f, false
				}
				if !s.value(1) {
					return f, false
				}
			}
			s.ws()
			if s.i >= len(s.b) {
				return f, false
			}
			if s.b[s.i] == ',' {
				s.i++
				continue
			}
			if s.b[s.i] != '}' {
				return f, false
			}
			s.i++
			break
		}
	}
	s.ws()
	return f, s.i == len(s.b)
}

// plainKey reports whether a top-level key (its raw text) can be taken at
// its word: ASCII without escapes, and not one of the keys read here in
// another case.
func plainKey(k []byte) bool {
	for _, c := range k {
		if c == '\\' || c >= 0x80 {
			return false
		}
	}
	if len(k) != 3 && len(k) != 7 {
		return true
	}
	for _, name := range [...]string{"bin", "scripts", "gypfile"} {
		if len(k) == len(name) && equalFoldASCII(k, name) {
			return false // the exact spellings were matched by the caller
		}
	}
	return true
}

func equalFoldASCII(b []byte, s string) bool {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// scanMaxDepth bounds nesting; deeper documents go to encoding/json.
const scanMaxDepth = 200

type pjScanner struct {
	b []byte
	i int
}

func (s *pjScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *pjScanner) lit(l string) bool {
	if len(s.b)-s.i >= len(l) && string(s.b[s.i:s.i+len(l)]) == l {
		s.i += len(l)
		return true
	}
	return false
}

// scripts reads the "scripts" value: an object (its keys unescaped) or
// null. Later keys win, as in a map decoded by encoding/json.
func (s *pjScanner) scripts(f *PackageFacts) bool {
	if s.lit("null") {
		return true
	}
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		s.ws()
		start := s.i
		if !s.str() {
			return false
		}
		key := s.b[start+1 : s.i-1]
		for _, c := range key {
			if c == '\\' {
				return false
			}
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		// Only string values: encoding/json decodes others into `any`,
		// where a number out of float64's range is an error.
		vs := s.i
		if !s.str() {
			return false
		}
		// A string is set when it has any character (an escape always
		// stands for at least one).
		set := s.i-vs > 2
		switch string(key) {
		case "preinstall":
			f.Preinstall = set
		case "install":
			f.Install = set
		case "postinstall":
			f.Postinstall = set
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.b[s.i] != '}' {
			return false
		}
		s.i++
		return true
	}
}

// value steps over one JSON value, checking it as encoding/json does.
func (s *pjScanner) value(depth int) bool {
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.str()
	case c == '{', c == '[':
		if depth >= scanMaxDepth {
			return false
		}
		return s.composite(depth)
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number()
	}
	return false
}

func (s *pjScanner) composite(depth int) bool {
	obj := s.b[s.i] == '{'
	end := byte(']')
	if obj {
		end = '}'
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == end {
		s.i++
		return true
	}
	for {
		s.ws()
		if obj {
			if !s.str() {
				return false
			}
			s.ws()
			if s.i >= len(s.b) || s.b[s.i] != ':' {
				return false
			}
			s.i++
			s.ws()
		}
		if !s.value(depth + 1) {
			return false
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.b[s.i] != end {
			return false
		}
		s.i++
		return true
	}
}

// strStop marks the bytes that end a run of plain string characters.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return
}()

// str steps over a string starting at s.i (which must be a quote).
// Control characters are refused and escapes checked; other bytes,
// invalid UTF-8 included, are accepted as encoding/json accepts them.
func (s *pjScanner) str() bool {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	i := s.i + 1
	for i < len(s.b) {
		c := s.b[i]
		if !strStop[c] {
			i++
			continue
		}
		switch c {
		case '"':
			s.i = i + 1
			return true
		case '\\':
			if i+1 >= len(s.b) {
				return false
			}
			switch s.b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(s.b) {
					return false
				}
				for _, h := range s.b[i+2 : i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
	return false
}

// number steps over -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *pjScanner) number() bool {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		st := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > st
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.i = i
	return true
}
