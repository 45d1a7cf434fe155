package whatwgurl

import (
	"strconv"
	"strings"
)

// Byte classes for AppendFast: characters that need no percent-encoding
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

// urlFromRecord is the URL of a record AppendFast built: a special URL
// with a host (empty for file:///) and a path of segments. Parse takes it
// for the shapes AppendFast parses in one pass; FuzzParse checks it
// against the state machine.
func urlFromRecord(href string, o Offsets) *URL {
	u := &URL{Scheme: href[:o.SchemeEnd-1], Host: href[o.HostStart:o.HostEnd], HasHost: true, Port: -1}
	if o.UserEnd > o.SchemeEnd+2 {
		u.Username = href[o.SchemeEnd+2 : o.UserEnd]
	}
	if o.HostStart-1 > o.UserEnd {
		u.Password = href[o.UserEnd+1 : o.HostStart-1]
	}
	if o.HostEnd < o.PathStart {
		u.Port, _ = strconv.Atoi(href[o.HostEnd+1 : o.PathStart])
	}
	end := len(href)
	if o.FragmentStart >= 0 {
		u.Fragment, u.HasFragment = href[o.FragmentStart+1:], true
		end = o.FragmentStart
	}
	if o.QueryStart >= 0 {
		u.Query, u.HasQuery = href[o.QueryStart+1:end], true
		end = o.QueryStart
	}
	u.Path = strings.Split(href[o.PathStart+1:end], "/")
	return u
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
