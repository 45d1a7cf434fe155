package whatwgurl

import "strings"

// Byte classes for fastParse: characters that need no percent-encoding
// and no special handling in each part of a special URL.
var (
	fastUserinfo = byteClass("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,")
	fastHost     = byteClass("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
	fastPath     = byteClass("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/|[]^")
	fastQuery    = byteClass("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@/?%`{}|[]^\\")
	fastFragment = byteClass("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%#{}|[]^\\")
)

func byteClass(s string) *[256]bool {
	t := new([256]bool)
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

// fastParse parses the common shape scheme://[user[:pass]@]host[:port]
// [/path][?query][#fragment] of the special schemes other than file, made
// only of characters that need no encoding, with a plain host name, in one
// pass. It reports false for anything else, which the state machine then
// parses; FuzzParse checks that both agree where this one answers.
func fastParse(s string) (*URL, bool) {
	// scheme
	i := 0
	for i < len(s) && s[i] != ':' {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return nil, false
		}
		i++
	}
	if i == len(s) {
		return nil, false
	}
	scheme := fastScheme(s[:i])
	if scheme == "" || scheme == "file" {
		return nil, false
	}
	rest := s[i+1:]
	if len(rest) < 3 || rest[0] != '/' || rest[1] != '/' || rest[2] == '/' {
		return nil, false
	}
	rest = rest[2:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	rest = rest[end:]
	u := &URL{Scheme: scheme, Port: -1, HasHost: true}
	if at := strings.IndexByte(auth, '@'); at >= 0 {
		info := auth[:at]
		auth = auth[at+1:]
		user, pass := info, ""
		if colon := strings.IndexByte(info, ':'); colon >= 0 {
			user, pass = info[:colon], info[colon+1:]
		}
		for _, part := range [2]string{user, pass} {
			for k := 0; k < len(part); k++ {
				if !fastUserinfo[part[k]] {
					return nil, false
				}
			}
		}
		u.Username, u.Password = user, pass
	}
	host := auth
	if colon := strings.IndexByte(auth, ':'); colon >= 0 {
		host = auth[:colon]
		port := auth[colon+1:]
		if len(port) > 5 {
			return nil, false
		}
		if port != "" {
			n := 0
			for k := 0; k < len(port); k++ {
				if port[k] < '0' || port[k] > '9' {
					return nil, false
				}
				n = n*10 + int(port[k]-'0')
			}
			if n > 65535 {
				return nil, false
			}
			if n != DefaultPort(scheme) {
				u.Port = n
			}
		}
	}
	if host == "" {
		return nil, false
	}
	lower := true
	for k := 0; k < len(host); k++ {
		c := host[k]
		if !fastHost[c] {
			return nil, false
		}
		if c >= 'A' && c <= 'Z' {
			lower = false
		}
	}
	if !lower {
		host = strings.ToLower(host)
	}
	if strings.HasPrefix(host, "xn--") || strings.Contains(host, ".xn--") || endsInANumber(host) {
		return nil, false
	}
	u.Host = host
	// path
	end = strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	path := rest[:end]
	rest = rest[end:]
	for k := 0; k < len(path); k++ {
		if !fastPath[path[k]] {
			return nil, false
		}
	}
	if path != "" {
		path = path[1:] // the authority ended at this '/'
	}
	u.Path = make([]string, 0, strings.Count(path, "/")+1)
	for {
		slash := strings.IndexByte(path, '/')
		seg := path
		if slash >= 0 {
			seg = path[:slash]
		}
		switch seg {
		case "..":
			if len(u.Path) > 0 {
				u.Path = u.Path[:len(u.Path)-1]
			}
			if slash < 0 {
				u.Path = append(u.Path, "")
			}
		case ".":
			if slash < 0 {
				u.Path = append(u.Path, "")
			}
		default:
			u.Path = append(u.Path, seg)
		}
		if slash < 0 {
			break
		}
		path = path[slash+1:]
	}
	// query and fragment
	if rest != "" && rest[0] == '?' {
		end = strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		q := rest[1:end]
		for k := 0; k < len(q); k++ {
			if !fastQuery[q[k]] {
				return nil, false
			}
		}
		u.Query, u.HasQuery = q, true
		rest = rest[end:]
	}
	if rest != "" {
		f := rest[1:]
		for k := 0; k < len(f); k++ {
			if !fastFragment[f[k]] {
				return nil, false
			}
		}
		u.Fragment, u.HasFragment = f, true
	}
	return u, true
}

// fastScheme is the lower-case special scheme name the fast paths take
// (http, https, ws, wss, ftp, file), or "" for any other.
func fastScheme(name string) string {
	for _, k := range [...]string{"http", "https", "ws", "wss", "ftp", "file"} {
		if strings.EqualFold(name, k) {
			return k
		}
	}
	return ""
}
