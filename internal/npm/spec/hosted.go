package spec

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"
)

// Recognising git specifiers follows hosted-git-info (which npm-package-arg
// asks first): GitHub shorthands ("user/repo"), host shortcuts
// ("gitlab:group/project"), and URLs of the known hosts. gnode does not
// fetch git, so the goal is to classify every such specifier as git (never
// as a registry name, a folder or a remote tarball) and to print the same
// save spec npm would for the common forms.

type gitHostInfo struct {
	domain    string
	protocols []string
	extract   func(p *parsedURL) (user, project, committish string, ok bool)
}

var gitHosts = sync.OnceValue(func() map[string]*gitHostInfo {
	return map[string]*gitHostInfo{
		"github": {
			domain:    "github.com",
			protocols: []string{"git:", "http:", "git+ssh:", "git+https:", "ssh:", "https:"},
			extract: func(p *parsedURL) (string, string, string, bool) {
				seg := splitN(p.pathname, "/", 5)
				user, project, kind, committish := at(seg, 1), at(seg, 2), at(seg, 3), at(seg, 4)
				if kind != "" && kind != "tree" {
					return "", "", "", false
				}
				if kind == "" {
					committish = strings.TrimPrefix(p.hash, "#")
				}
				project = strings.TrimSuffix(project, ".git")
				return user, project, committish, user != "" && project != ""
			},
		},
		"bitbucket": {
			domain:    "bitbucket.org",
			protocols: []string{"git+ssh:", "git+https:", "ssh:", "https:"},
			extract: func(p *parsedURL) (string, string, string, bool) {
				seg := splitN(p.pathname, "/", 4)
				user, project := at(seg, 1), strings.TrimSuffix(at(seg, 2), ".git")
				if at(seg, 3) == "get" {
					return "", "", "", false
				}
				return user, project, strings.TrimPrefix(p.hash, "#"), user != "" && project != ""
			},
		},
		"gitlab": {
			domain:    "gitlab.com",
			protocols: []string{"git+ssh:", "git+https:", "ssh:", "https:"},
			extract: func(p *parsedURL) (string, string, string, bool) {
				path := strings.TrimPrefix(p.pathname, "/")
				if strings.Contains(path, "/-/") || strings.Contains(path, "/archive.tar.gz") {
					return "", "", "", false
				}
				i := strings.LastIndexByte(path, '/')
				user, project := "", path
				if i >= 0 {
					user, project = path[:i], path[i+1:]
				}
				project = strings.TrimSuffix(project, ".git")
				return user, project, strings.TrimPrefix(p.hash, "#"), user != "" && project != ""
			},
		},
		"gist": {
			domain:    "gist.github.com",
			protocols: []string{"git:", "git+ssh:", "git+https:", "ssh:", "https:"},
			extract: func(p *parsedURL) (string, string, string, bool) {
				seg := splitN(p.pathname, "/", 4)
				user, project := at(seg, 1), at(seg, 2)
				if at(seg, 3) == "raw" {
					return "", "", "", false
				}
				if project == "" {
					if user == "" {
						return "", "", "", false
					}
					project, user = user, ""
				}
				return user, strings.TrimSuffix(project, ".git"), strings.TrimPrefix(p.hash, "#"), true
			},
		},
		"sourcehut": {
			domain:    "git.sr.ht",
			protocols: []string{"git+ssh:", "https:"},
			extract: func(p *parsedURL) (string, string, string, bool) {
				seg := splitN(p.pathname, "/", 4)
				user, project := at(seg, 1), strings.TrimSuffix(at(seg, 2), ".git")
				if at(seg, 3) == "archive" {
					return "", "", "", false
				}
				return user, project, strings.TrimPrefix(p.hash, "#"), user != "" && project != ""
			},
		},
	}
})

// gitProtocols are the protocols hosted-git-info knows, with the
// representation each maps to and whether it carries credentials.
var gitProtocols = map[string]struct {
	name string
	auth bool
}{
	"git+ssh:": {"sshurl", false}, "ssh:": {"sshurl", false}, "git+https:": {"https", true},
	"git:": {"", true}, "http:": {"", true}, "https:": {"", true}, "git+http:": {"", true},
	"github:": {"github", false}, "bitbucket:": {"bitbucket", false}, "gitlab:": {"gitlab", false},
	"gist:": {"gist", false}, "sourcehut:": {"sourcehut", false},
}

type hosted struct {
	host, user, project, committish, auth string
	representation                        string // "shortcut", "https", "sshurl", "git", ...
}

// splitN is JavaScript's s.split(sep, n): split fully, keep n pieces.
func splitN(s, sep string, n int) []string {
	parts := strings.Split(s, sep)
	if len(parts) > n {
		parts = parts[:n]
	}
	return parts
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// isGitHubShorthand is hosted-git-info's test for "user/repo[#ref]".
func isGitHubShorthand(arg string) bool {
	hash := strings.IndexByte(arg, '#')
	slash := strings.IndexByte(arg, '/')
	second := -1
	if slash >= 0 {
		if i := strings.IndexByte(arg[slash+1:], '/'); i >= 0 {
			second = slash + 1 + i
		}
	}
	colon := strings.IndexByte(arg, ':')
	space := strings.IndexFunc(arg, isJSSpace)
	atSign := strings.IndexByte(arg, '@')
	afterHash := func(i int) bool { return i == -1 || (hash > -1 && i > hash) }
	var endsWithSlash bool
	if hash > -1 {
		endsWithSlash = hash > 0 && arg[hash-1] == '/'
	} else {
		endsWithSlash = strings.HasSuffix(arg, "/")
	}
	return afterHash(space) && slash > 0 && !endsWithSlash && !strings.HasPrefix(arg, ".") &&
		afterHash(atSign) && afterHash(colon) && afterHash(second)
}

func parseHosted(spec string) *hosted {
	if spec == "" {
		return nil
	}
	corrected := spec
	if isGitHubShorthand(spec) {
		corrected = "github:" + spec
	}
	p := parseGitURL(corrected)
	if p == nil {
		return nil
	}
	shortcut := ""
	if info, ok := gitProtocols[p.protocol]; ok {
		if _, isHost := gitHosts()[info.name]; isHost {
			shortcut = info.name
		}
	}
	hostName := shortcut
	if hostName == "" {
		domain := strings.TrimPrefix(p.hostname, "www.")
		for name, h := range gitHosts() {
			if h.domain == domain {
				hostName = name
			}
		}
	}
	if hostName == "" {
		return nil
	}
	h := &hosted{host: hostName}
	if gitProtocols[p.protocol].auth && (p.username != "" || p.password != "") {
		h.auth = p.username
		if p.password != "" {
			h.auth += ":" + p.password
		}
	}
	if shortcut != "" {
		path := strings.TrimPrefix(p.pathname, "/")
		if i := strings.IndexByte(path, '@'); i >= 0 {
			path = path[i+1:]
		}
		var err error
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			if h.user, err = decodeURIComponent(path[:i]); err != nil {
				return nil
			}
			path = path[i+1:]
		}
		if h.project, err = decodeURIComponent(path); err != nil {
			return nil
		}
		h.project = strings.TrimSuffix(h.project, ".git")
		if p.hash != "" {
			if h.committish, err = decodeURIComponent(p.hash[1:]); err != nil {
				return nil
			}
		}
		h.representation = "shortcut"
		return h
	}
	info := gitHosts()[hostName]
	known := false
	for _, proto := range info.protocols {
		known = known || proto == p.protocol
	}
	if !known {
		return nil
	}
	user, project, committish, ok := info.extract(p)
	if !ok {
		return nil
	}
	var err error
	if h.user, err = decodeURIComponent(user); err != nil {
		return nil
	}
	if h.project, err = decodeURIComponent(project); err != nil {
		return nil
	}
	if h.committish, err = decodeURIComponent(committish); err != nil {
		return nil
	}
	h.representation = gitProtocols[p.protocol].name
	if h.representation == "" {
		h.representation = strings.TrimSuffix(p.protocol, ":")
	}
	return h
}

// format renders the hosted repository in its default representation, with
// or without the "git+" prefix and the #committish.
func (h *hosted) format(gitPlus, committish bool) string {
	domain := gitHosts()[h.host].domain
	hash := ""
	if committish && h.committish != "" {
		hash = "#" + h.committish
	}
	auth := ""
	if h.auth != "" {
		auth = h.auth + "@"
	}
	user := h.user
	if user == "" {
		user = "null" // hosted-git-info prints its null user
	}
	userProject := user + "/" + h.project
	if h.host == "gist" {
		userProject = h.project
	}
	var s string
	switch h.representation {
	case "shortcut":
		s = h.host + ":" + userProject + hash
	case "https":
		switch h.host {
		case "sourcehut":
			s = "https://" + domain + "/" + userProject + hash
		case "gist":
			s = "git+https://" + domain + "/" + userProject + ".git" + hash
		default:
			s = "git+https://" + auth + domain + "/" + userProject + ".git" + hash
		}
	case "git":
		if h.host == "gist" {
			auth = ""
		}
		s = "git://" + auth + domain + "/" + userProject + ".git" + hash
	default:
		s = "git+ssh://git@" + domain + "/" + userProject + ".git" + hash
	}
	if !gitPlus {
		s = strings.TrimPrefix(s, "git+")
	}
	return s
}

func (s *Spec) fromHosted(h *hosted) (*Spec, error) {
	s.Type = TypeGit
	s.GitHost = h.host
	s.SaveSpec = h.format(true, true)
	if h.representation != "shortcut" {
		s.FetchSpec = h.format(false, false)
		s.URL = s.FetchSpec
	}
	if err := s.setGitAttrs(h.committish); err != nil {
		return nil, err
	}
	return s, nil
}

// setGitAttrs splits "#ref", "#semver:^1.2", "#path:sub" and their
// "::"-joined combinations.
func (s *Spec) setGitAttrs(committish string) error {
	if committish == "" {
		return nil
	}
	for _, part := range strings.Split(committish, "::") {
		name, value, hasColon := strings.Cut(part, ":")
		if i := strings.IndexByte(value, ':'); i >= 0 {
			value = value[:i]
		}
		switch {
		case !hasColon:
			if s.GitRange != "" {
				return fmt.Errorf("%w %q: cannot override existing semver range with a committish", ErrInvalidGitSpec, s.Raw)
			}
			if s.GitCommittish != "" {
				return fmt.Errorf("%w %q: cannot override existing committish with a second committish", ErrInvalidGitSpec, s.Raw)
			}
			s.GitCommittish = part
		case name == "semver":
			if s.GitCommittish != "" {
				return fmt.Errorf("%w %q: cannot override existing committish with a semver range", ErrInvalidGitSpec, s.Raw)
			}
			if s.GitRange != "" {
				return fmt.Errorf("%w %q: cannot override existing semver range with a second semver range", ErrInvalidGitSpec, s.Raw)
			}
			r, err := decodeURIComponent(value)
			if err != nil {
				return fmt.Errorf("%w %q: %w", ErrInvalidGitSpec, s.Raw, err)
			}
			s.GitRange = r
		case name == "path":
			if s.GitSubdir != "" {
				return fmt.Errorf("%w %q: cannot override existing path with a second path", ErrInvalidGitSpec, s.Raw)
			}
			s.GitSubdir = "/" + value
		}
	}
	return nil
}

// fromURL handles URL specifiers that are not hosted-git shortcuts: git
// URLs and http(s) tarballs.
func (s *Spec) fromURL() (*Spec, error) {
	raw := s.RawSpec
	s.SaveSpec = raw
	if strings.HasPrefix(raw, "git+ssh:") {
		// scp-like "git+ssh://user@host:path/repo.git#ref" is not a URL.
		if m, hash, ok := matchSCPURL(raw); ok {
			s.Type = TypeGit
			if err := s.setGitAttrs(hash); err != nil {
				return nil, err
			}
			s.FetchSpec = m
			s.URL = m
			return s, nil
		}
	} else if strings.HasPrefix(raw, "git+file://") {
		raw = strings.ReplaceAll(raw, `\`, "/")
	}
	p := parseWHATWG(raw)
	if p == nil {
		return nil, fmt.Errorf("%w %q", ErrInvalidURL, raw)
	}
	switch p.protocol {
	case "git:", "git+http:", "git+https:", "git+rsync:", "git+ftp:", "git+file:", "git+ssh:":
		s.Type = TypeGit
		if err := s.setGitAttrs(strings.TrimPrefix(p.hash, "#")); err != nil {
			return nil, err
		}
		s.FetchSpec = strings.TrimPrefix(normaliseURL(raw), "git+")
		s.URL = s.FetchSpec
	case "http:", "https:":
		s.Type = TypeRemote
		s.FetchSpec = s.SaveSpec
		s.URL = s.FetchSpec
	default:
		return nil, fmt.Errorf("%w %q: %s", ErrUnsupportedProtocol, p.protocol, raw)
	}
	return s, nil
}

// matchSCPURL is /^git\+ssh:\/\/([^:#]+:[^#]+(?:\.git)?)(?:#(.*))?$/i
// without a port number after the colon.
func matchSCPURL(raw string) (target, hash string, ok bool) {
	rest := raw[len("git+ssh:"):]
	if !strings.HasPrefix(rest, "//") {
		return "", "", false
	}
	rest = rest[2:]
	target, hash, _ = strings.Cut(rest, "#")
	if strings.ContainsAny(hash, "\n\r\u2028\u2029") {
		return "", "", false
	}
	colon := strings.IndexByte(target, ':')
	if colon <= 0 || colon == len(target)-1 {
		return "", "", false
	}
	// A port (":1234", ":1234/...") makes it a real URL.
	for i := 0; i < len(target); i++ {
		if target[i] != ':' {
			continue
		}
		j := i + 1
		for j < len(target) && target[j] >= '0' && target[j] <= '9' {
			j++
		}
		if j > i+1 && (j == len(target) || target[j] == '/') {
			return "", "", false
		}
	}
	return target, hash, true
}

// parsedURL holds the parts of a URL hosted-git-info looks at.
type parsedURL struct {
	protocol, username, password, hostname, pathname, hash string
}

var specialSchemes = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"http:": true, "https:": true, "ftp:": true, "ws:": true, "wss:": true, "file:": true}
})

// parseWHATWG is a small approximation of new URL(s): enough to find the
// scheme, credentials, host, path and fragment of the URLs specifiers use,
// and to refuse the ones that cannot be URLs.
func parseWHATWG(s string) *parsedURL {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	i := 0
	for i < len(s) && (isAlpha(s[i]) || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != ':' {
		return nil
	}
	p := &parsedURL{protocol: strings.ToLower(s[:i+1])}
	rest := s[i+1:]
	if j := strings.IndexByte(rest, '#'); j >= 0 {
		p.hash = rest[j:]
		rest = rest[:j]
	}
	if j := strings.IndexByte(rest, '?'); j >= 0 {
		rest = rest[:j]
	}
	special := specialSchemes()[p.protocol]
	if special {
		rest = strings.TrimLeft(rest, `/\`)
	} else if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
	} else {
		p.pathname = rest
		return p
	}
	end := strings.IndexAny(rest, `/\`)
	if !special {
		end = strings.IndexByte(rest, '/')
	}
	authority := rest
	if end >= 0 {
		authority, p.pathname = rest[:end], rest[end:]
	} else if special {
		p.pathname = "/"
	}
	hasCredentials := false
	if k := strings.LastIndexByte(authority, '@'); k >= 0 {
		p.username, p.password, _ = strings.Cut(authority[:k], ":")
		authority = authority[k+1:]
		hasCredentials = true
	}
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		k := strings.IndexByte(authority, ']')
		if k < 0 {
			return nil
		}
		host, port = authority[:k+1], strings.TrimPrefix(authority[k+1:], ":")
		if authority[k+1:] != "" && !strings.HasPrefix(authority[k+1:], ":") {
			return nil
		}
	} else if k := strings.IndexByte(authority, ':'); k >= 0 {
		host, port = authority[:k], authority[k+1:]
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return nil
		}
	}
	if len(strings.TrimLeft(port, "0")) > 5 {
		return nil
	}
	if host == "" && (hasCredentials || port != "" || special && p.protocol != "file:") {
		return nil
	}
	if !strings.HasPrefix(host, "[") {
		if strings.ContainsAny(host, "\x00 #/:<>?@[\\]^|") {
			return nil
		}
		if special {
			// Domains are percent-decoded, then may not contain '%' or
			// control characters.
			d, err := url.PathUnescape(host)
			if err != nil || strings.ContainsAny(d, "\x00 #/:<>?@[\\]^|%\x7f") || strings.IndexFunc(d, func(r rune) bool { return r < ' ' }) >= 0 {
				return nil
			}
		}
	}
	p.hostname = strings.ToLower(host)
	return p
}

// parseGitURL is hosted-git-info's parse: correct the protocol, try the URL,
// then try again with an scp-style "host:path" turned into a path.
func parseGitURL(giturl string) *parsedURL {
	with := correctProtocol(giturl)
	if p := parseWHATWG(with); p != nil {
		return p
	}
	return parseWHATWG(correctSCP(with))
}

func correctProtocol(arg string) string {
	colon := strings.IndexByte(arg, ':')
	if _, ok := gitProtocols[arg[:colon+1]]; ok && colon >= 0 {
		return arg
	}
	if colon >= 0 && strings.HasPrefix(arg[colon:], "://") {
		return arg
	}
	if atSign := strings.IndexByte(arg, '@'); atSign > -1 {
		if atSign > colon {
			return "git+ssh://" + arg
		}
		return arg
	}
	return arg[:colon+1] + "//" + arg[colon+1:]
}

func lastIndexBefore(s string, c byte, before byte) int {
	if i := strings.IndexByte(s, before); i > -1 {
		return strings.LastIndexByte(s[:i+1], c)
	}
	return strings.LastIndexByte(s, c)
}

func correctSCP(giturl string) string {
	firstAt := lastIndexBefore(giturl, '@', '#')
	lastColon := lastIndexBefore(giturl, ':', '#')
	if lastColon > firstAt {
		giturl = giturl[:lastColon] + "/" + giturl[lastColon+1:]
	}
	if lastIndexBefore(giturl, ':', '#') == -1 && !strings.Contains(giturl, "//") {
		giturl = "git+ssh://" + giturl
	}
	return giturl
}

// normaliseURL drops the fragment and lowercases the scheme and host, as
// serialising a parsed URL does.
func normaliseURL(raw string) string {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	userinfo := ""
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, authority = authority[:i+1], authority[i+1:]
	}
	return strings.ToLower(scheme) + "://" + userinfo + strings.ToLower(authority) + path
}

// decodeURIComponent decodes percent escapes and fails, like JavaScript's,
// on malformed escapes and on bytes that are not UTF-8.
func decodeURIComponent(s string) (string, error) {
	d, err := url.PathUnescape(s)
	if err != nil {
		return "", err
	}
	if !utf8.ValidString(d) {
		return "", fmt.Errorf("%q does not decode to UTF-8", s)
	}
	return d, nil
}
