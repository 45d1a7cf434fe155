// Package whatwgurl is the WHATWG URL Standard's basic URL parser
// (https://url.spec.whatwg.org/#concept-basic-url-parser) with the
// behaviour Node.js (Ada) shows where it departs from the text: a base's
// empty query is dropped on relative resolution, and ".." in a
// non-special URL's empty path leaves it empty.
//
// Hosts whose domain needs IDNA processing (non-ASCII, or a Punycode
// "xn--" label) are not handled here: Parse returns ErrNeedsIDNA and the
// caller falls back to its own implementation (the runtime's JavaScript
// one), so results stay exact while the common shapes run natively.
package whatwgurl

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// ErrInvalid reports an input the URL Standard rejects.
	ErrInvalid = errors.New("whatwgurl: invalid URL")
	// ErrNeedsIDNA reports a host that needs UTS #46 processing.
	ErrNeedsIDNA = errors.New("whatwgurl: host needs IDNA processing")
)

// URL is a URL record. Port is -1 when absent.
type URL struct {
	Scheme, Username, Password string
	Host                       string
	HasHost                    bool
	Port                       int
	Path                       []string // an opaque path is Path[0]
	Opaque                     bool
	Query                      string
	HasQuery                   bool
	Fragment                   string
	HasFragment                bool

	// trusted: the input is a serialized URL, whose Punycode labels
	// were validated when it was first parsed.
	trusted bool
}

// State is a parser state, used as a state override by the setters.
type State int

// States of the basic URL parser.
const (
	none State = iota
	SchemeStart
	scheme
	noScheme
	specialRelativeOrAuthority
	pathOrAuthority
	relative
	relativeSlash
	specialAuthoritySlashes
	specialAuthorityIgnoreSlashes
	authority
	Host
	Hostname
	Port
	file
	fileSlash
	fileHost
	PathStart
	path
	opaquePath
	Query
	Fragment
)

// DefaultPort returns a special scheme's default port, or -1.
func DefaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

// IsSpecial reports whether scheme is one of the special schemes.
func IsSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "file", "ws", "wss", "ftp":
		return true
	}
	return false
}

func (u *URL) special() bool { return IsSpecial(u.Scheme) }

func (u *URL) clone() *URL {
	c := *u
	c.Path = append([]string(nil), u.Path...)
	return &c
}

func isWindowsDriveLetter(s string, normalizedOnly bool) bool {
	return len(s) == 2 && isASCIIAlpha(rune(s[0])) && (s[1] == ':' || (!normalizedOnly && s[1] == '|'))
}

func startsWithWindowsDriveLetter(cps []rune, p int) bool {
	if len(cps)-p < 2 {
		return false
	}
	if !isASCIIAlpha(cps[p]) || (cps[p+1] != ':' && cps[p+1] != '|') {
		return false
	}
	if len(cps)-p == 2 {
		return true
	}
	switch cps[p+2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

func (u *URL) shortenPath() {
	// Node (Ada) keeps any single segment that starts with a normalized
	// drive letter ("a:b"), not only a drive letter itself.
	if u.Scheme == "file" && len(u.Path) == 1 && len(u.Path[0]) >= 2 && isWindowsDriveLetter(u.Path[0][:2], true) {
		return
	}
	if len(u.Path) > 0 {
		u.Path = u.Path[:len(u.Path)-1]
	}
}

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

func runeAt(cps []rune, i int) rune {
	if i >= 0 && i < len(cps) {
		return cps[i]
	}
	return -1
}

// toRunes decodes s into code points. Invalid UTF-8 (a JavaScript lone
// surrogate arrives as the 3-byte form of the surrogate) becomes U+FFFD,
// which is what the URL parser's conversion to a scalar value string does.
func toRunes(s string) []rune { return appendRunes(make([]rune, 0, len(s)), s) }

func appendRunes(out []rune, s string) []rune {
	for i := 0; i < len(s); {
		b := s[i]
		if b < 0x80 {
			out = append(out, rune(b))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			if b == 0xed && i+2 < len(s) && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
				n = 3
			}
		}
		out = append(out, r)
		i += n
	}
	return out
}

// Parse parses input against an optional base.
func Parse(input string, base *URL) (*URL, error) {
	// A special URL with an authority does not depend on the base.
	if b, o, ok := AppendFast(nil, input); ok {
		return urlFromRecord(string(b), o), nil
	}
	return parseSlow(input, base)
}

func parseSlow(input string, base *URL) (*URL, error) {
	u := &URL{Port: -1}
	// Strip leading and trailing C0 controls and spaces.
	i, j := 0, len(input)
	for i < j && input[i] <= 0x20 {
		i++
	}
	for j > i && input[j-1] <= 0x20 {
		j--
	}
	if err := u.parse(input[i:j], base, none); err != nil {
		return nil, err
	}
	return u, nil
}

// ParseOverride runs the parser on u from state (a setter); u is modified
// in place. ErrInvalid means the setter changes nothing that the caller
// must keep (callers work on a copy, as the JavaScript setters do).
func (u *URL) ParseOverride(input string, state State) error {
	return u.parse(input, nil, state)
}

func (u *URL) parse(input string, base *URL, override State) error {
	if strings.ContainsAny(input, "\t\n\r") {
		input = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, input)
	}
	var stack [256]rune
	cps := appendRunes(stack[:0], input)
	special := IsSpecial(u.Scheme)
	state := override
	if state == none {
		state = SchemeStart
	}
	var buf []byte
	atSignSeen, insideBrackets, passwordTokenSeen := false, false, false
	const eof = -1
	for p := 0; ; p++ {
		c := runeAt(cps, p)
		switch state {
		case SchemeStart:
			if c != eof && isASCIIAlpha(c) {
				buf = append(buf, byte(c|0x20))
				state = scheme
			} else if override == none {
				state = noScheme
				p--
			} else {
				return ErrInvalid
			}

		case scheme:
			if c != eof && (isASCIIAlnum(c) || c == '+' || c == '-' || c == '.') {
				if c >= 'A' && c <= 'Z' {
					c |= 0x20
				}
				buf = append(buf, byte(c))
			} else if c == ':' {
				b := string(buf)
				if override != none {
					if IsSpecial(u.Scheme) != IsSpecial(b) {
						return nil
					}
					if (u.Username != "" || u.Password != "" || u.Port != -1) && b == "file" {
						return nil
					}
					if u.Scheme == "file" && u.HasHost && u.Host == "" {
						return nil
					}
				}
				u.Scheme = b
				special = IsSpecial(b)
				if override != none {
					if u.Port == DefaultPort(u.Scheme) {
						u.Port = -1
					}
					return nil
				}
				buf = buf[:0]
				switch {
				case u.Scheme == "file":
					state = file
				case special && base != nil && base.Scheme == u.Scheme:
					state = specialRelativeOrAuthority
				case special:
					state = specialAuthoritySlashes
				case runeAt(cps, p+1) == '/':
					state = pathOrAuthority
					p++
				default:
					u.Opaque = true
					u.Path = []string{""}
					state = opaquePath
				}
			} else if override == none {
				buf = buf[:0]
				state = noScheme
				p = -1
			} else {
				return ErrInvalid
			}

		case noScheme:
			if base == nil || (base.Opaque && c != '#') {
				return ErrInvalid
			}
			if base.Opaque && c == '#' {
				u.Scheme = base.Scheme
				special = IsSpecial(u.Scheme)
				u.Path = append([]string(nil), base.Path...)
				u.Opaque = true
				u.Query, u.HasQuery = base.Query, base.HasQuery && base.Query != ""
				u.Fragment, u.HasFragment = "", true
				state = Fragment
			} else if base.Scheme != "file" {
				state = relative
				p--
			} else {
				state = file
				p--
			}

		case specialRelativeOrAuthority:
			if c == '/' && runeAt(cps, p+1) == '/' {
				state = specialAuthorityIgnoreSlashes
				p++
			} else {
				state = relative
				p--
			}

		case pathOrAuthority:
			if c == '/' {
				state = authority
			} else {
				state = path
				p--
			}

		case relative:
			u.Scheme = base.Scheme
			special = IsSpecial(u.Scheme)
			if c == '/' || (special && c == '\\') {
				state = relativeSlash
			} else {
				u.Username, u.Password = base.Username, base.Password
				u.Host, u.HasHost, u.Port = base.Host, base.HasHost, base.Port
				u.Path = append([]string(nil), base.Path...)
				u.Query, u.HasQuery = base.Query, base.HasQuery && base.Query != ""
				if c == '?' {
					u.Query, u.HasQuery = "", true
					state = Query
				} else if c == '#' {
					u.Fragment, u.HasFragment = "", true
					state = Fragment
				} else if c != eof {
					u.Query, u.HasQuery = "", false
					u.shortenPath()
					state = path
					p--
				}
			}

		case relativeSlash:
			if special && (c == '/' || c == '\\') {
				state = specialAuthorityIgnoreSlashes
			} else if c == '/' {
				state = authority
			} else {
				u.Username, u.Password = base.Username, base.Password
				u.Host, u.HasHost, u.Port = base.Host, base.HasHost, base.Port
				state = path
				p--
			}

		case specialAuthoritySlashes:
			if c == '/' && runeAt(cps, p+1) == '/' {
				state = specialAuthorityIgnoreSlashes
				p++
			} else {
				state = specialAuthorityIgnoreSlashes
				p--
			}

		case specialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				state = authority
				p--
			}

		case authority:
			if c == '@' {
				if atSignSeen {
					buf = append([]byte("%40"), buf...)
				}
				atSignSeen = true
				var user, pass []byte
				for _, bc := range string(buf) {
					if bc == ':' && !passwordTokenSeen {
						passwordTokenSeen = true
						continue
					}
					if passwordTokenSeen {
						pass = appendEncoded(pass, bc, userinfoSet)
					} else {
						user = appendEncoded(user, bc, userinfoSet)
					}
				}
				u.Username += string(user)
				u.Password += string(pass)
				buf = buf[:0]
			} else if c == eof || c == '/' || c == '?' || c == '#' || (special && c == '\\') {
				if atSignSeen && len(buf) == 0 {
					return ErrInvalid
				}
				p -= utf8.RuneCount(buf) + 1
				buf = buf[:0]
				state = Host
			} else {
				buf = appendRune(buf, c)
			}

		case Host, Hostname:
			if override != none && u.Scheme == "file" {
				p--
				state = fileHost
			} else if c == ':' && !insideBrackets {
				if len(buf) == 0 || override == Hostname {
					return ErrInvalid
				}
				h, err := parseHost(string(buf), !special, u.trusted)
				if err != nil {
					return err
				}
				u.Host, u.HasHost = h, true
				buf = buf[:0]
				state = Port
			} else if c == eof || c == '/' || c == '?' || c == '#' || (special && c == '\\') {
				p--
				if special && len(buf) == 0 {
					return ErrInvalid
				}
				if override != none && len(buf) == 0 && (u.Username != "" || u.Password != "" || u.Port != -1) {
					return ErrInvalid
				}
				h, err := parseHost(string(buf), !special, u.trusted)
				if err != nil {
					return err
				}
				u.Host, u.HasHost = h, true
				buf = buf[:0]
				state = PathStart
				if override != none {
					return nil
				}
			} else {
				if c == '[' {
					insideBrackets = true
				}
				if c == ']' {
					insideBrackets = false
				}
				buf = appendRune(buf, c)
			}

		case Port:
			if c != eof && isASCIIDigit(c) {
				buf = append(buf, byte(c))
			} else if c == eof || c == '/' || c == '?' || c == '#' || (special && c == '\\') || override != none {
				if len(buf) != 0 {
					port := 0
					for _, d := range buf {
						if port <= 65535 {
							port = port*10 + int(d-'0')
						}
					}
					if port > 65535 {
						return ErrInvalid
					}
					if DefaultPort(u.Scheme) == port {
						port = -1
					}
					u.Port = port
					buf = buf[:0]
					if override != none {
						return nil
					}
				}
				// The Standard fails here; Node (Ada) keeps what the
				// setter parsed so far (the host of "host:x").
				if override != none {
					return nil
				}
				state = PathStart
				p--
			} else {
				return ErrInvalid
			}

		case file:
			u.Scheme = "file"
			special = true
			u.Host, u.HasHost = "", true
			if c == '/' || c == '\\' {
				state = fileSlash
			} else if base != nil && base.Scheme == "file" {
				u.Host, u.HasHost = base.Host, base.HasHost
				u.Path = append([]string(nil), base.Path...)
				u.Query, u.HasQuery = base.Query, base.HasQuery && base.Query != ""
				if c == '?' {
					u.Query, u.HasQuery = "", true
					state = Query
				} else if c == '#' {
					u.Fragment, u.HasFragment = "", true
					state = Fragment
				} else if c != eof {
					u.Query, u.HasQuery = "", false
					if !startsWithWindowsDriveLetter(cps, p) {
						u.shortenPath()
					} else {
						u.Path = nil
					}
					state = path
					p--
				}
			} else {
				state = path
				p--
			}

		case fileSlash:
			if c == '/' || c == '\\' {
				state = fileHost
			} else {
				if base != nil && base.Scheme == "file" {
					u.Host, u.HasHost = base.Host, base.HasHost
					if !startsWithWindowsDriveLetter(cps, p) && len(base.Path) > 0 && isWindowsDriveLetter(base.Path[0], true) {
						u.Path = append(u.Path, base.Path[0])
					}
				}
				state = path
				p--
			}

		case fileHost:
			if c == eof || c == '/' || c == '\\' || c == '?' || c == '#' {
				p--
				if override == none && isWindowsDriveLetter(string(buf), false) {
					state = path
				} else if len(buf) == 0 {
					u.Host, u.HasHost = "", true
					if override != none {
						return nil
					}
					state = PathStart
				} else {
					h, err := parseHost(string(buf), false, u.trusted)
					if err != nil {
						return err
					}
					if h == "localhost" {
						h = ""
					}
					u.Host, u.HasHost = h, true
					if override != none {
						return nil
					}
					buf = buf[:0]
					state = PathStart
				}
			} else {
				buf = appendRune(buf, c)
			}

		case PathStart:
			if special {
				state = path
				if c != '/' && c != '\\' {
					p--
				}
			} else if override == none && c == '?' {
				u.Query, u.HasQuery = "", true
				state = Query
			} else if override == none && c == '#' {
				u.Fragment, u.HasFragment = "", true
				state = Fragment
			} else if c != eof {
				state = path
				if c != '/' {
					p--
				}
			} else if override != none && !u.HasHost {
				u.Path = append(u.Path, "")
			}

		case path:
			if c == eof || c == '/' || (special && c == '\\') || (override == none && (c == '?' || c == '#')) {
				slash := c == '/' || (special && c == '\\')
				b := string(buf)
				if isDoubleDot(b) {
					had := len(u.Path)
					u.shortenPath()
					if !slash && (special || had > 0) {
						u.Path = append(u.Path, "")
					}
				} else if isSingleDot(b) && !slash {
					u.Path = append(u.Path, "")
				} else if !isSingleDot(b) {
					if u.Scheme == "file" && len(u.Path) == 0 && isWindowsDriveLetter(b, false) {
						b = b[:1] + ":"
					}
					u.Path = append(u.Path, b)
				}
				buf = buf[:0]
				if c == '?' {
					u.Query, u.HasQuery = "", true
					state = Query
				}
				if c == '#' {
					u.Fragment, u.HasFragment = "", true
					state = Fragment
				}
			} else {
				buf = appendEncoded(buf, c, pathSet)
			}

		case opaquePath:
			if c == '?' || c == '#' || c == eof {
				u.Path[0] += string(buf)
				buf = buf[:0]
			}
			if c == '?' {
				u.Query, u.HasQuery = "", true
				state = Query
			} else if c == '#' {
				u.Fragment, u.HasFragment = "", true
				state = Fragment
			} else if c != eof {
				buf = appendEncoded(buf, c, c0ControlSet)
			}

		case Query:
			if (override == none && c == '#') || c == eof {
				set := querySet
				if special {
					set = specialQuerySet
				}
				u.Query = string(appendEncodedString([]byte(u.Query), string(buf), set, false))
				buf = buf[:0]
				if c == '#' {
					u.Fragment, u.HasFragment = "", true
					state = Fragment
				}
			} else if c != eof {
				buf = appendRune(buf, c)
			}

		case Fragment:
			if c != eof {
				buf = appendEncoded(buf, c, fragmentSet)
			}
		}
		// Stop once the pointer is past the end (a state may have stepped
		// back to re-read the end of input in another state).
		if c == eof && p >= len(cps) {
			break
		}
	}
	if state == Fragment && len(buf) > 0 {
		u.Fragment += string(buf)
	}
	return nil
}

// Pathname serializes the path.
func (u *URL) Pathname() string {
	if u.Opaque {
		return u.Path[0]
	}
	n := 0
	for _, s := range u.Path {
		n += 1 + len(s)
	}
	b := make([]byte, 0, n)
	for _, s := range u.Path {
		b = append(b, '/')
		b = append(b, s...)
	}
	return string(b)
}

// Href serializes the URL.
func (u *URL) Href() string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteByte(':')
	if u.HasHost {
		b.WriteString("//")
		if u.Username != "" || u.Password != "" {
			b.WriteString(u.Username)
			if u.Password != "" {
				b.WriteByte(':')
				b.WriteString(u.Password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.Host)
		if u.Port != -1 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.Port))
		}
	}
	if !u.HasHost && !u.Opaque && len(u.Path) > 1 && u.Path[0] == "" {
		b.WriteString("/.")
	}
	b.WriteString(u.Pathname())
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.HasFragment {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}
