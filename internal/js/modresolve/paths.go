package modresolve

import (
	"net/url"
	"strings"
)

// pathOps does path arithmetic in one style, Unix or Windows, independent
// of the host, so the Windows rules are tested on every machine.
type pathOps struct{ windows bool }

func (p pathOps) sep() string {
	if p.windows {
		return `\`
	}
	return "/"
}

func (p pathOps) isSep(c byte) bool { return c == '/' || (p.windows && c == '\\') }

// volume returns the drive ("C:") or UNC prefix of a Windows path.
func (p pathOps) volume(s string) string {
	if !p.windows {
		return ""
	}
	if len(s) >= 2 && s[1] == ':' && isLetter(s[0]) {
		return s[:2]
	}
	if len(s) >= 2 && p.isSep(s[0]) && p.isSep(s[1]) {
		// \\server\share
		rest := s[2:]
		i := strings.IndexAny(rest, `\/`)
		if i < 0 {
			return s
		}
		j := strings.IndexAny(rest[i+1:], `\/`)
		if j < 0 {
			return s
		}
		return s[:2+i+1+j]
	}
	return ""
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (p pathOps) isAbs(s string) bool {
	if !p.windows {
		return strings.HasPrefix(s, "/")
	}
	v := p.volume(s)
	if len(v) > 2 {
		return true
	}
	return v != "" && len(s) > 2 && p.isSep(s[2])
}

// clean normalizes separators and removes "." and ".." segments.
func (p pathOps) clean(s string) string {
	vol := p.volume(s)
	rest := s[len(vol):]
	rooted := len(rest) > 0 && p.isSep(rest[0])
	var out []string
	for _, seg := range strings.FieldsFunc(rest, func(r rune) bool { return r < 128 && p.isSep(byte(r)) }) {
		switch seg {
		case ".":
		case "..":
			if len(out) > 0 && out[len(out)-1] != ".." {
				out = out[:len(out)-1]
			} else if !rooted {
				out = append(out, "..")
			}
		default:
			out = append(out, seg)
		}
	}
	sep := p.sep()
	r := strings.Join(out, sep)
	if rooted {
		r = sep + r
	}
	if p.windows {
		vol = strings.ReplaceAll(vol, "/", `\`)
	}
	r = vol + r
	if r == "" {
		return "."
	}
	return r
}

func (p pathOps) join(parts ...string) string {
	var b strings.Builder
	for i, s := range parts {
		if s == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteString(p.sep())
		}
		b.WriteString(s)
	}
	return p.clean(b.String())
}

// resolve is path.resolve(base, s) for an absolute base.
func (p pathOps) resolve(base, s string) string {
	if p.isAbs(s) {
		return p.clean(s)
	}
	if p.windows && len(s) > 0 && p.isSep(s[0]) {
		// "\x" is relative to the drive of base.
		return p.clean(p.volume(base) + s)
	}
	return p.join(base, s)
}

func (p pathOps) dir(s string) string {
	s = p.clean(s)
	vol := p.volume(s)
	i := len(s) - 1
	for i >= len(vol) && !p.isSep(s[i]) {
		i--
	}
	if i < len(vol) {
		return s[:len(vol)]
	}
	d := s[:i]
	if len(d) == len(vol) {
		return s[:i+1] // the root
	}
	return d
}

func (p pathOps) base(s string) string {
	i := len(s) - 1
	for i >= 0 && !p.isSep(s[i]) {
		i--
	}
	return s[i+1:]
}

func (p pathOps) ext(s string) string {
	b := p.base(s)
	i := strings.LastIndexByte(b, '.')
	if i <= 0 {
		return ""
	}
	return b[i:]
}

// split returns the root followed by each segment.
func (p pathOps) split(s string) []string {
	s = p.clean(s)
	vol := p.volume(s)
	root := vol
	rest := s[len(vol):]
	if len(rest) > 0 && p.isSep(rest[0]) {
		root += p.sep()
		rest = rest[1:]
	}
	out := []string{root}
	if rest != "" {
		out = append(out, strings.Split(rest, p.sep())...)
	}
	return out
}

// nodeModulePaths is Module._nodeModulePaths: every ancestor's
// node_modules, nearest first, skipping ancestors that are themselves named
// node_modules.
func (p pathOps) nodeModulePaths(from string) []string {
	from = p.clean(from)
	parts := p.split(from)
	var out []string
	for i := len(parts); i >= 1; i-- {
		if i > 1 && parts[i-1] == "node_modules" {
			continue
		}
		dir := p.join(parts[:i]...)
		out = append(out, p.join(dir, "node_modules"))
	}
	return out
}

// toURL converts an absolute path to a file: URL.
func (p pathOps) toURL(s string) *url.URL {
	if p.windows {
		s = strings.ReplaceAll(s, `\`, "/")
		if !strings.HasPrefix(s, "/") {
			s = "/" + s
		}
	}
	return &url.URL{Scheme: "file", Path: s}
}

// fromURL converts a file: URL to a path.
func (p pathOps) fromURL(u *url.URL) string {
	s := u.Path
	if p.windows {
		s = strings.TrimPrefix(s, "/")
		s = strings.ReplaceAll(s, "/", `\`)
		if u.Host != "" {
			s = `\\` + u.Host + `\` + s
		}
	}
	return s
}
