package whatwgurl

import "strings"

// Node's legacy url.parse has no specification: lib/url.js reproduces what
// Node has always done, pinned by differential tests against node. That
// JavaScript costs about 25 µs a URL on the interpreter (regular
// expressions, slices and a dozen property stores), so its common inputs
// are parsed here in one pass, step for step as url.js does it, and
// everything unusual is declined (ok false) for url.js to handle:
//
//   - characters outside printable ASCII (whitespace to trim, non-ASCII
//     that a host would need IDNA for) and backslashes (turned into
//     slashes before the first ? or #);
//   - an auth part with a '%' (decodeURIComponent may throw or produce
//     non-ASCII);
//   - a host name with a Punycode label, or one url.js throws
//     ERR_INVALID_URL for.

// LegacyField names one of the string fields of a legacy Url object.
type LegacyField uint16

// The fields of LegacyURL that can be null (unset) in a Url object.
const (
	LegacyProtocol LegacyField = 1 << iota
	LegacyAuth
	LegacyHost
	LegacyPort
	LegacyHostname
	LegacyHash
	LegacySearch
	LegacyQuery
	LegacyPathname
	LegacyPath
)

// LegacyURL is the result of Node's url.parse(s, false, slashesDenoteHost):
// each string field is null in JavaScript unless its bit is in Set. Query
// is the query string without '?' (url.parse with parseQueryString parses
// it with querystring.parse, or makes an empty object when it is unset).
type LegacyURL struct {
	Protocol, Auth, Host, Port, Hostname, Hash, Search, Query, Pathname, Path, Href string
	Set                                                                             LegacyField
	Slashes                                                                         bool // true or null
}

// Has reports whether f is set (not null).
func (u *LegacyURL) Has(f LegacyField) bool { return u.Set&f != 0 }

// Field returns the string field f (empty when unset).
func (u *LegacyURL) Field(f LegacyField) string {
	switch f {
	case LegacyProtocol:
		return u.Protocol
	case LegacyAuth:
		return u.Auth
	case LegacyHost:
		return u.Host
	case LegacyPort:
		return u.Port
	case LegacyHostname:
		return u.Hostname
	case LegacyHash:
		return u.Hash
	case LegacySearch:
		return u.Search
	case LegacyQuery:
		return u.Query
	case LegacyPathname:
		return u.Pathname
	case LegacyPath:
		return u.Path
	}
	return ""
}

// legacyNonHost: the characters that end a legacy host (after the auth).
var legacyNonHost = byteClass("\t\n\r \"%';<>\\^`{|}#/?")

// legacyAutoEscape: the characters url.parse percent-encodes in the part
// after the host (printable ASCII only: the others are declined).
var legacyAutoEscape = byteClass("\"'<>^`{|}")

// legacyNoEscapeAuth: the characters format() leaves alone in the auth.
var legacyNoEscapeAuth = byteClass("!'()*-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~")

// legacyProtoChar: the characters of /^[a-z0-9.+-]+:/i.
var legacyProtoChar = byteClass(".+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

// legacySlashed reports whether p is one of the protocols that always get
// '//' (slashedProtocol in url.js, which holds them with their colon).
func legacySlashed(p string) bool {
	switch p {
	case "http:", "https:", "ftp:", "gopher:", "file:", "ws:", "wss:":
		return true
	}
	return false
}

// LegacyParse is url.parse(s, false, slashesDenoteHost) for the inputs
// described above; ok is false for the others.
func LegacyParse(s string, slashesDenoteHost bool) (u LegacyURL, ok bool) {
	split := -1
	hasAt, hasHash := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ' || c >= 0x7f || c == '\\':
			return u, false
		case c == '@':
			if split == -1 {
				hasAt = true
			}
		case c == '#':
			hasHash = true
			if split == -1 {
				split = i
			}
		case c == '?':
			if split == -1 {
				split = i
			}
		}
	}

	// simplePathPattern: /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/, which any
	// path starting with '/' but not '///' matches (no whitespace here).
	if !slashesDenoteHost && !hasHash && !hasAt && len(s) > 0 && s[0] == '/' &&
		!(len(s) > 2 && s[1] == '/' && s[2] == '/') {
		u.Path, u.Href = s, s
		u.Set = LegacyPath | LegacyPathname
		u.Pathname = s
		if q := strings.IndexByte(s, '?'); q != -1 {
			u.Pathname, u.Search, u.Query = s[:q], s[q:], s[q+1:]
			u.Set |= LegacySearch | LegacyQuery
		}
		return u, true
	}

	rest := s
	hasProto := false
	var proto, lowerProto string
	n := 0
	for n < len(rest) && legacyProtoChar[rest[n]] {
		n++
	}
	if n > 0 && n < len(rest) && rest[n] == ':' {
		hasProto = true
		proto = rest[:n+1]
		lowerProto = asciiLower(proto)
		u.Protocol = lowerProto
		u.Set |= LegacyProtocol
		rest = rest[n+1:]
	}
	hostless := hasProto && lowerProto == "javascript:"

	slashes := false
	if slashesDenoteHost || hasProto || legacyHostPattern(rest) {
		slashes = strings.HasPrefix(rest, "//")
		if slashes && !hostless {
			rest = rest[2:]
			u.Slashes = true
		}
	}

	if !hostless && (slashes || (hasProto && !legacySlashed(proto))) {
		hostEnd := strings.IndexAny(rest, "#/?")
		atSign := -1
		switch {
		case hostEnd == -1:
			atSign = strings.LastIndexByte(rest, '@')
		case hostEnd > 0:
			atSign = strings.LastIndexByte(rest[:hostEnd], '@')
		}
		nonHost := -1
		for i := atSign + 1; i < len(rest); i++ {
			if legacyNonHost[rest[i]] {
				nonHost = i
				break
			}
		}
		hostStart := 0
		if atSign != -1 {
			if strings.IndexByte(rest[:atSign], '%') != -1 {
				return u, false
			}
			u.Auth = rest[:atSign]
			u.Set |= LegacyAuth
			hostStart = atSign + 1
		}
		var host string
		if nonHost == -1 {
			host, rest = rest[hostStart:], ""
		} else {
			host, rest = rest[hostStart:nonHost], rest[nonHost:]
		}
		// parseHost: a trailing /:[0-9]*$/ is the port.
		if j := strings.LastIndexByte(host, ':'); j != -1 && allDigits(host[j+1:]) {
			if j+1 < len(host) {
				u.Port = host[j+1:]
				u.Set |= LegacyPort
			}
			host = host[:j]
		}
		hostname := host
		ipv6 := len(hostname) > 1 && hostname[0] == '[' && hostname[len(hostname)-1] == ']'
		if !ipv6 && strings.IndexByte(hostname, ':') != -1 {
			// A port that is not a number: node 20 moves it to the path
			// with a deprecation warning (DEP0170), which url.js emits.
			// (Of the characters that end a host name, / \ # ? cannot be
			// left here.)
			return u, false
		}
		if len(hostname) > 255 {
			hostname = ""
		} else {
			hostname = asciiLower(hostname)
		}
		if hostname != "" {
			if ipv6 {
				// forbiddenHostCharsIpv6 cannot match what is left here.
			} else if strings.Contains(hostname, "xn--") || strings.ContainsAny(hostname, "[]") {
				// IDNA, or ERR_INVALID_URL: url.js decides.
				return u, false
			}
		}
		u.Host = hostname
		if u.Set&LegacyPort != 0 {
			u.Host = hostname + ":" + u.Port
		}
		u.Set |= LegacyHost | LegacyHostname
		if ipv6 {
			if len(hostname) >= 2 {
				hostname = hostname[1 : len(hostname)-1]
			} else {
				hostname = ""
			}
			if !strings.HasPrefix(rest, "/") {
				rest = "/" + rest
			}
		}
		u.Hostname = hostname
	}

	if !hostless {
		rest = legacyEscape(rest)
	}

	hashIdx := strings.IndexByte(rest, '#')
	q := strings.IndexByte(rest, '?')
	if hashIdx != -1 {
		u.Hash = rest[hashIdx:]
		u.Set |= LegacyHash
		if q > hashIdx {
			q = -1
		}
	}
	first := hashIdx
	if q != -1 {
		first = q
		end := len(rest)
		if hashIdx != -1 {
			end = hashIdx
		}
		u.Search, u.Query = rest[q:end], rest[q+1:end]
		u.Set |= LegacySearch | LegacyQuery
	}
	if first == -1 {
		if rest != "" {
			u.Pathname = rest
			u.Set |= LegacyPathname
		}
	} else if first > 0 {
		u.Pathname = rest[:first]
		u.Set |= LegacyPathname
	}
	if legacySlashed(lowerProto) && u.Hostname != "" && u.Pathname == "" {
		u.Pathname = "/"
		u.Set |= LegacyPathname
	}
	if u.Pathname != "" || u.Search != "" {
		u.Path = u.Pathname + u.Search
		u.Set |= LegacyPath
	}
	u.Href = u.format()
	return u, true
}

// format is Url.prototype.format for what LegacyParse builds: the query is
// never an object with keys (parseQueryString's object comes with a search).
func (u *LegacyURL) format() string {
	auth := ""
	if u.Auth != "" {
		auth = legacyEncodeAuth(u.Auth) + "@"
	}
	protocol, pathname, hash, search := u.Protocol, u.Pathname, u.Hash, u.Search
	host := ""
	if u.Host != "" {
		host = auth + u.Host
	} else if u.Hostname != "" {
		if strings.IndexByte(u.Hostname, ':') != -1 && !(u.Hostname[0] == '[' && u.Hostname[len(u.Hostname)-1] == ']') {
			host = auth + "[" + u.Hostname + "]"
		} else {
			host = auth + u.Hostname
		}
		if u.Port != "" {
			host += ":" + u.Port
		}
	}
	if protocol != "" && protocol[len(protocol)-1] != ':' {
		protocol += ":"
	}
	if strings.ContainsAny(pathname, "#?") {
		pathname = strings.NewReplacer("#", "%23", "?", "%3F").Replace(pathname)
	}
	if u.Slashes || legacySlashed(protocol) {
		if u.Slashes || host != "" {
			if pathname != "" && pathname[0] != '/' {
				pathname = "/" + pathname
			}
			host = "//" + host
		} else if len(protocol) >= 4 && strings.HasPrefix(protocol, "file") {
			host = "//"
		}
	}
	search = strings.ReplaceAll(search, "#", "%23")
	if hash != "" && hash[0] != '#' {
		hash = "#" + hash
	}
	if search != "" && search[0] != '?' {
		search = "?" + search
	}
	return protocol + host + pathname + search + hash
}

// legacyHostPattern is /^\/\/[^@/]+@[^@/]+/.test(r).
func legacyHostPattern(r string) bool {
	if !strings.HasPrefix(r, "//") {
		return false
	}
	i := 2
	for i < len(r) && r[i] != '@' && r[i] != '/' {
		i++
	}
	if i == 2 || i >= len(r) || r[i] != '@' {
		return false
	}
	i++
	return i < len(r) && r[i] != '@' && r[i] != '/'
}

// legacyEscape percent-encodes the characters of legacyAutoEscape.
func legacyEscape(s string) string {
	i := 0
	for i < len(s) && !legacyAutoEscape[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+8)
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if c := s[i]; legacyAutoEscape[c] {
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

// legacyEncodeAuth is url.js's encodeAuth for ASCII.
func legacyEncodeAuth(s string) string {
	i := 0
	for i < len(s) && legacyNoEscapeAuth[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+8)
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if c := s[i]; legacyNoEscapeAuth[c] {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters, returning s itself when it has none
// in upper case.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}
