package whatwgurl

import (
	"strconv"
	"strings"
)

// Offsets locate the parts of a serialized URL in its href, the layout
// the runtime's URL objects hold (lib/internal/url.js): one string and
// seven numbers, from which every getter is a slice.
//
//	protocol  href[:SchemeEnd] (includes the ':')
//	username  href[SchemeEnd+2:UserEnd], empty when UserEnd <= SchemeEnd+2
//	password  href[UserEnd+1:HostStart-1] when HostStart-1 > UserEnd
//	hostname  href[HostStart:HostEnd]
//	host      href[HostStart:PathStart] (hostname plus ":port")
//	port      href[HostEnd+1:PathStart] when HostEnd < PathStart
//	pathname  href[PathStart:end], end the query, the fragment or len(href)
//	search    href[QueryStart:...] when QueryStart >= 0 (QueryStart is the '?')
//	hash      href[FragmentStart:] when FragmentStart >= 0 (the '#')
//
// A URL without a host has UserEnd == HostStart == HostEnd == PathStart,
// so the authority getters slice out empty strings with no flag to test.
// Whether a URL has a host is href[SchemeEnd:] starting with "//" (a
// hostless path that starts with "//" serializes with a "/." prefix); an
// opaque path is a hostless one that does not start with '/'.
type Offsets struct {
	SchemeEnd, UserEnd, HostStart, HostEnd, PathStart, QueryStart, FragmentStart int
}

// AppendFast handles the shapes most URLs have, in one pass and without
// allocating beyond dst: scheme://[user[:pass]@]host[:port][/path][?query]
// [#fragment] for the special schemes other than file, and file:///path,
// made only of ASCII characters that need no percent-encoding, with a
// plain (non-IPv4, non-Punycode) host name. It appends the href to dst and
// returns the offsets of its parts; ok is false for any other input, which
// the state machine then parses (FuzzAppendFast checks that both agree
// wherever this one answers). A caller may pass a view of memory it does
// not own as s: nothing of s is retained.
func AppendFast(dst []byte, s string) (out []byte, o Offsets, ok bool) {
	i := 0
	for i < len(s) && s[i] != ':' {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return dst, o, false
		}
		i++
	}
	if i == len(s) {
		return dst, o, false
	}
	scheme := fastScheme(s[:i])
	if scheme == "" {
		return dst, o, false
	}
	start := len(dst)
	dst = append(dst, scheme...)
	dst = append(dst, ':', '/', '/')
	o.SchemeEnd = start + len(scheme) + 1
	rest := s[i+1:]
	if len(rest) < 3 || rest[0] != '/' || rest[1] != '/' {
		return dst[:start], o, false
	}
	if scheme == "file" {
		// Only "file:///path": a host, a fourth slash or a drive letter
		// take the state machine.
		if len(rest) > 3 && (rest[3] == '/' || rest[3] == '\\') || rest[2] != '/' {
			return dst[:start], o, false
		}
		rest = rest[2:]
		o.UserEnd, o.HostStart, o.HostEnd = len(dst), len(dst), len(dst)
	} else {
		if rest[2] == '/' {
			return dst[:start], o, false
		}
		rest = rest[2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		auth := rest[:end]
		rest = rest[end:]
		o.UserEnd = len(dst)
		if at := strings.IndexByte(auth, '@'); at >= 0 {
			user, pass := auth[:at], ""
			if colon := strings.IndexByte(user, ':'); colon >= 0 {
				user, pass = user[:colon], user[colon+1:]
			}
			if !allIn(user, fastUserinfo) || !allIn(pass, fastUserinfo) {
				return dst[:start], o, false
			}
			if user != "" || pass != "" {
				dst = append(dst, user...)
				o.UserEnd = len(dst)
				if pass != "" {
					dst = append(dst, ':')
					dst = append(dst, pass...)
				}
				dst = append(dst, '@')
			}
			auth = auth[at+1:]
		}
		host, port := auth, ""
		hasPort := false
		if colon := strings.IndexByte(auth, ':'); colon >= 0 {
			host, port, hasPort = auth[:colon], auth[colon+1:], true
		}
		if host == "" || !allIn(host, fastHost) || endsInANumber(host) {
			return dst[:start], o, false
		}
		o.HostStart = len(dst)
		for k := 0; k < len(host); k++ {
			c := host[k]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		o.HostEnd = len(dst)
		if punycodeLabel(dst[o.HostStart:]) {
			return dst[:start], o, false
		}
		if hasPort && port != "" {
			if len(port) > 5 {
				return dst[:start], o, false
			}
			n := 0
			for k := 0; k < len(port); k++ {
				if port[k] < '0' || port[k] > '9' {
					return dst[:start], o, false
				}
				n = n*10 + int(port[k]-'0')
			}
			if n > 65535 {
				return dst[:start], o, false
			}
			if n != DefaultPort(scheme) {
				dst = append(dst, ':')
				dst = strconv.AppendInt(dst, int64(n), 10)
			}
		}
	}
	o.PathStart = len(dst)
	dst, ok = appendPathQueryFragment(dst, o.PathStart, rest, scheme == "file", &o)
	if !ok {
		return dst[:start], o, false
	}
	if start != 0 {
		o.shift(-start)
	}
	return dst, o, true
}

// appendPathQueryFragment appends the normalized path, query and fragment
// of rest (which starts at the path: '/', '?', '#' or its end) to dst,
// whose path so far starts at pathStart, and sets o's query and fragment
// offsets. ok is false for anything the fast paths leave to the state
// machine.
func appendPathQueryFragment(dst []byte, pathStart int, rest string, file bool, o *Offsets) ([]byte, bool) {
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	path := rest[:end]
	rest = rest[end:]
	if !allIn(path, fastPath) {
		return dst, false
	}
	if path == "" && len(dst) == pathStart {
		dst = append(dst, '/')
	}
	// Each segment after a '/' is appended as "/seg"; ".." removes the
	// last one and "." adds nothing, and either at the end leaves an
	// empty last segment (a trailing '/'), as the path state does.
	for path != "" {
		path = path[1:] // the '/' before this segment
		seg := path
		slash := strings.IndexByte(path, '/')
		if slash >= 0 {
			seg = path[:slash]
		}
		last := slash < 0
		if file && len(seg) >= 2 && isASCIIAlpha(rune(seg[0])) && (seg[1] == ':' || seg[1] == '|') {
			return dst, false // drive letters have their own rules
		}
		switch seg {
		case "..":
			if k := lastSlash(dst, pathStart); k >= 0 {
				dst = dst[:k]
			}
			if last {
				dst = append(dst, '/')
			}
		case ".":
			if last {
				dst = append(dst, '/')
			}
		default:
			dst = append(dst, '/')
			dst = append(dst, seg...)
		}
		if last {
			break
		}
		path = path[slash:]
	}
	o.QueryStart, o.FragmentStart = -1, -1
	if rest != "" && rest[0] == '?' {
		end = strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		if !allIn(rest[1:end], fastQuery) {
			return dst, false
		}
		o.QueryStart = len(dst)
		dst = append(dst, rest[:end]...)
		rest = rest[end:]
	}
	if rest != "" {
		if !allIn(rest[1:], fastFragment) {
			return dst, false
		}
		o.FragmentStart = len(dst)
		dst = append(dst, rest...)
	}
	return dst, true
}

// AppendRelative is AppendFast for an input relative to base (its record):
// a path ("x/y", "./x", "../x", "/x") with an optional query and fragment,
// made of characters that need no encoding, against a base of a special
// scheme with a host (file URLs included, without drive letters). It
// appends the href to dst; ok is false for anything else
// (FuzzAppendRelative holds it to the state machine).
func AppendRelative(dst []byte, base Components, s string) (out []byte, o Offsets, ok bool) {
	if s == "" || s[0] == '?' || s[0] == '#' || s[0] == '\\' || strings.HasPrefix(s, "//") {
		return dst, o, false
	}
	pathEnd := strings.IndexAny(s, "?#")
	if pathEnd < 0 {
		pathEnd = len(s)
	}
	// A ':' in the path could make the input a URL with a scheme; the
	// characters are checked again when the path is appended.
	if strings.IndexByte(s[:pathEnd], ':') >= 0 || !allIn(s[:pathEnd], fastPath) {
		return dst, o, false
	}
	h := base.Href
	scheme := h[:base.SchemeEnd-1]
	file := scheme == "file"
	if !IsSpecial(scheme) || !strings.HasPrefix(h[base.SchemeEnd:], "//") {
		return dst, o, false
	}
	basePath := base.Pathname()
	if file && driveLetterPath(basePath) {
		return dst, o, false
	}
	start := len(dst)
	dst = append(dst, h[:base.PathStart]...)
	o = base.Offsets
	o.shift(start)
	if s[0] == '/' {
		dst, ok = appendPathQueryFragment(dst, o.PathStart, s, file, &o)
	} else {
		// The base's directory: its path without the last segment.
		dst = append(dst, basePath[:strings.LastIndexByte(basePath, '/')]...)
		dst, ok = appendPathQueryFragment(dst, o.PathStart, "/"+s, file, &o)
	}
	if !ok {
		return dst[:start], o, false
	}
	if start != 0 {
		o.shift(-start)
	}
	return dst, o, true
}

// driveLetterPath reports whether a path's first segment starts like a
// Windows drive letter ("/C:", "/c|").
func driveLetterPath(p string) bool {
	return len(p) >= 3 && isASCIIAlpha(rune(p[1])) && (p[2] == ':' || p[2] == '|')
}

func (o *Offsets) shift(d int) {
	o.SchemeEnd += d
	o.UserEnd += d
	o.HostStart += d
	o.HostEnd += d
	o.PathStart += d
	if o.QueryStart >= 0 {
		o.QueryStart += d
	}
	if o.FragmentStart >= 0 {
		o.FragmentStart += d
	}
}

func allIn(s string, class *[256]bool) bool {
	for k := 0; k < len(s); k++ {
		if !class[s[k]] {
			return false
		}
	}
	return true
}

// lastSlash returns the index of the last '/' in b at or after from, or -1.
func lastSlash(b []byte, from int) int {
	for k := len(b) - 1; k >= from; k-- {
		if b[k] == '/' {
			return k
		}
	}
	return -1
}

// punycodeLabel reports whether a lower-case host name has a label that
// starts with "xn--" (those need IDNA validation).
func punycodeLabel(h []byte) bool {
	for k := 0; k+4 <= len(h); k++ {
		if (k == 0 || h[k-1] == '.') && h[k] == 'x' && h[k+1] == 'n' && h[k+2] == '-' && h[k+3] == '-' {
			return true
		}
	}
	return false
}

// The URL API's getters over Components, as lib/internal/url.js computes
// them (tests hold both to the URL record).

// Username is the username getter.
func (c Components) Username() string {
	if c.UserEnd <= c.SchemeEnd+2 {
		return ""
	}
	return c.Href[c.SchemeEnd+2 : c.UserEnd]
}

// Password is the password getter.
func (c Components) Password() string {
	if c.HostStart-1 <= c.UserEnd {
		return ""
	}
	return c.Href[c.UserEnd+1 : c.HostStart-1]
}

// Hostname is the hostname getter.
func (c Components) Hostname() string { return c.Href[c.HostStart:c.HostEnd] }

// Host is the host getter.
func (c Components) Host() string { return c.Href[c.HostStart:c.PathStart] }

// Port is the port getter.
func (c Components) Port() string {
	if c.HostEnd >= c.PathStart {
		return ""
	}
	return c.Href[c.HostEnd+1 : c.PathStart]
}

func (c Components) pathEnd() int {
	if c.QueryStart >= 0 {
		return c.QueryStart
	}
	if c.FragmentStart >= 0 {
		return c.FragmentStart
	}
	return len(c.Href)
}

// Pathname is the pathname getter.
func (c Components) Pathname() string { return c.Href[c.PathStart:c.pathEnd()] }

// Search is the search getter ("" for no query or an empty one).
func (c Components) Search() string {
	if c.QueryStart < 0 {
		return ""
	}
	end := len(c.Href)
	if c.FragmentStart >= 0 {
		end = c.FragmentStart
	}
	if end-c.QueryStart <= 1 {
		return ""
	}
	return c.Href[c.QueryStart:end]
}

// Hash is the hash getter ("" for no fragment or an empty one).
func (c Components) Hash() string {
	if c.FragmentStart < 0 || c.FragmentStart == len(c.Href)-1 {
		return ""
	}
	return c.Href[c.FragmentStart:]
}
