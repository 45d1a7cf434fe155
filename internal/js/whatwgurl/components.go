package whatwgurl

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Components is a serialized URL with the offsets of its parts, so a
// caller can hold one string and slice the parts out of it.
//
//	username   Href[UserStart:UserEnd]
//	password   Href[UserEnd+1:PassEnd] when PassEnd > UserEnd
//	hostname   Href[HostStart:HostEnd] (when HasHost)
//	host       Href[HostStart:PathStart] (when HasHost)
//	pathname   Href[PathStart:end], end the query, fragment or Href's end
//	query      Href[QueryStart+1:...] when QueryStart >= 0 (may be empty)
//	fragment   Href[FragmentStart+1:] when FragmentStart >= 0
type Components struct {
	Href                                 string
	SchemeEnd                            int // just past the ':'
	UserStart, UserEnd, PassEnd          int
	HostStart, HostEnd                   int
	Port                                 int // -1 when absent
	PathStart, QueryStart, FragmentStart int // Query/FragmentStart -1 when absent
	HasHost, Opaque                      bool
}

// Components serializes u with offsets.
func (u *URL) Components() Components {
	var b strings.Builder
	var c Components
	n := len(u.Scheme) + len(u.Username) + len(u.Password) + len(u.Host) + len(u.Query) + len(u.Fragment) + 16
	for _, s := range u.Path {
		n += len(s) + 1
	}
	b.Grow(n)
	b.WriteString(u.Scheme)
	b.WriteByte(':')
	c.SchemeEnd = b.Len()
	c.HasHost, c.Opaque, c.Port = u.HasHost, u.Opaque, u.Port
	if u.HasHost {
		b.WriteString("//")
		c.UserStart = b.Len()
		if u.Username != "" || u.Password != "" {
			b.WriteString(u.Username)
			c.UserEnd = b.Len()
			if u.Password != "" {
				b.WriteByte(':')
				b.WriteString(u.Password)
			}
			c.PassEnd = b.Len()
			b.WriteByte('@')
		} else {
			c.UserEnd, c.PassEnd = c.UserStart, c.UserStart
		}
		c.HostStart = b.Len()
		b.WriteString(u.Host)
		c.HostEnd = b.Len()
		if u.Port != -1 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.Port))
		}
	} else {
		n := b.Len()
		c.UserStart, c.UserEnd, c.PassEnd, c.HostStart, c.HostEnd = n, n, n, n, n
	}
	if !u.HasHost && !u.Opaque && len(u.Path) > 1 && u.Path[0] == "" {
		b.WriteString("/.")
	}
	c.PathStart = b.Len()
	if u.Opaque {
		b.WriteString(u.Path[0])
	} else {
		for _, s := range u.Path {
			b.WriteByte('/')
			b.WriteString(s)
		}
	}
	c.QueryStart, c.FragmentStart = -1, -1
	if u.HasQuery {
		c.QueryStart = b.Len()
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.HasFragment {
		c.FragmentStart = b.Len()
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	c.Href = b.String()
	return c
}

// ParseHref parses a URL's own serialization (an href this package or an
// equivalent parser produced): its hosts are taken as already validated,
// so Punycode labels do not need IDNA processing again.
func ParseHref(href string) (*URL, error) {
	u := &URL{Port: -1, trusted: true}
	if err := u.parse(href, nil, none); err != nil {
		return nil, err
	}
	u.trusted = false
	return u, nil
}

// Setter names a URL attribute setter.
type Setter int

// The setters of the URL API that run the parser.
const (
	SetProtocol Setter = iota
	SetUsername
	SetPassword
	SetHost
	SetHostname
	SetPort
	SetPathname
	SetSearch
	SetHash
)

func (u *URL) cannotHaveCredentialsOrPort() bool {
	return !u.HasHost || u.Host == "" || u.Scheme == "file"
}

func (u *URL) stripTrailingSpacesFromOpaquePath() {
	if !u.Opaque || u.HasFragment || u.HasQuery {
		return
	}
	u.Path[0] = strings.TrimRight(u.Path[0], " ")
}

var hostlessName = regexp.MustCompile(`^(\[[^\]]*\]|[^:/?#\[]*)`)

// setHostOnHostless: Node (Ada) gives a non-special URL without a host, or
// with an empty one, only a host name from the host/hostname setters (a
// port is ignored) and ignores an empty one. It reports whether it
// handled the setter.
func (u *URL) setHostOnHostless(value string, hostnameOnly bool) (bool, error) {
	if u.special() || (u.HasHost && u.Host != "") {
		return false, nil
	}
	v := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(value)
	name := hostlessName.FindString(v)
	if name == "" {
		return true, nil
	}
	if hostnameOnly && len(v) > len(name) && v[len(name)] == ':' {
		return true, nil
	}
	h, err := parseHost(name, true, false)
	if err == nil {
		u.Host, u.HasHost = h, true
	} else if err == ErrNeedsIDNA {
		return true, err
	}
	return true, nil
}

// Set runs a URL attribute setter with the URL API's rules: a value the
// parser rejects leaves u as it was. It returns ErrNeedsIDNA (with u
// unchanged) when the new host needs IDNA processing.
func (u *URL) Set(s Setter, value string) error {
	switch s {
	case SetProtocol:
		c := u.clone()
		if err := c.ParseOverride(value+":", SchemeStart); err == ErrNeedsIDNA {
			return err
		}
		*u = *c
	case SetUsername, SetPassword:
		if u.cannotHaveCredentialsOrPort() {
			return nil
		}
		enc := string(appendEncodedString(nil, value, userinfoSet, false))
		if s == SetUsername {
			u.Username = enc
		} else {
			u.Password = enc
		}
	case SetHost, SetHostname:
		if u.Opaque {
			return nil
		}
		c := u.clone()
		if done, err := c.setHostOnHostless(value, s == SetHostname); done {
			if err != nil {
				return err
			}
			*u = *c
			return nil
		}
		state := Host
		if s == SetHostname {
			state = Hostname
		}
		err := c.ParseOverride(value, state)
		if err == ErrNeedsIDNA {
			return err
		}
		if err == nil {
			*u = *c
		}
	case SetPort:
		if u.cannotHaveCredentialsOrPort() {
			return nil
		}
		// Node (Ada) clears the port for a value of only tabs and newlines.
		if strings.Trim(value, "\t\n\r") == "" {
			u.Port = -1
			return nil
		}
		c := u.clone()
		if c.ParseOverride(value, Port) == nil {
			*u = *c
		}
	case SetPathname:
		if u.Opaque {
			return nil
		}
		c := u.clone()
		c.Path = nil
		if c.ParseOverride(value, PathStart) == nil {
			*u = *c
		}
	case SetSearch:
		if value == "" {
			u.Query, u.HasQuery = "", false
			u.stripTrailingSpacesFromOpaquePath()
			return nil
		}
		value = strings.TrimPrefix(value, "?")
		u.Query, u.HasQuery = "", true
		_ = u.ParseOverride(value, Query)
	case SetHash:
		if value == "" {
			u.Fragment, u.HasFragment = "", false
			u.stripTrailingSpacesFromOpaquePath()
			return nil
		}
		value = strings.TrimPrefix(value, "#")
		u.Fragment, u.HasFragment = "", true
		_ = u.ParseOverride(value, Fragment)
	}
	return nil
}

// ScalarValues replaces the encoded lone surrogates a JavaScript string
// may carry (the 3-byte form of U+D800..U+DFFF) and any other invalid
// UTF-8 with U+FFFD, as the URL API's conversion to a USVString does.
func ScalarValues(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string(toRunes(s))
}
