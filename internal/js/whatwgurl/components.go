package whatwgurl

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Components is a serialized URL with the offsets of its parts (see
// Offsets), so a caller can hold one string and slice the parts out of it.
type Components struct {
	Href string
	Offsets
}

// Components serializes u with offsets.
func (u *URL) Components() Components {
	n := len(u.Scheme) + len(u.Username) + len(u.Password) + len(u.Host) + len(u.Query) + len(u.Fragment) + 16
	for _, s := range u.Path {
		n += len(s) + 1
	}
	b, o := u.appendRecord(make([]byte, 0, n))
	return Components{Href: string(b), Offsets: o}
}

// appendRecord appends u's href to b (empty) with the offsets of its parts.
func (u *URL) appendRecord(b []byte) ([]byte, Offsets) {
	var o Offsets
	b = append(b, u.Scheme...)
	b = append(b, ':')
	o.SchemeEnd = len(b)
	if u.HasHost {
		b = append(b, '/', '/')
		o.UserEnd = len(b)
		if u.Username != "" || u.Password != "" {
			b = append(b, u.Username...)
			o.UserEnd = len(b)
			if u.Password != "" {
				b = append(b, ':')
				b = append(b, u.Password...)
			}
			b = append(b, '@')
		}
		o.HostStart = len(b)
		b = append(b, u.Host...)
		o.HostEnd = len(b)
		if u.Port != -1 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(u.Port), 10)
		}
	} else if !u.Opaque && len(u.Path) > 1 && u.Path[0] == "" {
		b = append(b, '/', '.')
	}
	o.PathStart = len(b)
	if !u.HasHost {
		o.UserEnd, o.HostStart, o.HostEnd = o.PathStart, o.PathStart, o.PathStart
	}
	if u.Opaque {
		b = append(b, u.Path[0]...)
	} else {
		for _, s := range u.Path {
			b = append(b, '/')
			b = append(b, s...)
		}
	}
	o.QueryStart, o.FragmentStart = -1, -1
	if u.HasQuery {
		o.QueryStart = len(b)
		b = append(b, '?')
		b = append(b, u.Query...)
	}
	if u.HasFragment {
		o.FragmentStart = len(b)
		b = append(b, '#')
		b = append(b, u.Fragment...)
	}
	return b, o
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

// hostlessName is compiled on first use, not at package init (every gnode
// command links this package).
var hostlessName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\[[^\]]*\]|[^:/?#\[]*)`) })

// setHostOnHostless: Node (Ada) gives a non-special URL without a host, or
// with an empty one, only a host name from the host/hostname setters (a
// port is ignored) and ignores an empty one. It reports whether it
// handled the setter.
func (u *URL) setHostOnHostless(value string, hostnameOnly bool) (bool, error) {
	if u.special() || (u.HasHost && u.Host != "") {
		return false, nil
	}
	v := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(value)
	name := hostlessName().FindString(v)
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
