package npmrc

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// NoRegistryError means no registry is configured anywhere.
type NoRegistryError struct {
	// Scope is the package scope asked about ("@acme"), "" for the default.
	Scope string
	// Files are the config files that were consulted.
	Files []string
	// Fallback says why asking npm did not help.
	Fallback error
}

func (e *NoRegistryError) Error() string {
	var b strings.Builder
	b.WriteString("no npm registry is configured")
	if len(e.Files) > 0 {
		fmt.Fprintf(&b, " (looked in %s and npm_config_registry", strings.Join(e.Files, ", "))
		if e.Fallback != nil {
			fmt.Fprintf(&b, "; asking npm: %v", e.Fallback)
		}
		b.WriteString(")")
	}
	b.WriteString(": set one with `npm config set registry <url>`, a `registry=<url>` line in .npmrc, or the npm_config_registry environment variable")
	return b.String()
}

// InvalidRegistryError is a configured registry that is not an http(s) URL.
type InvalidRegistryError struct {
	Key, Value string
	Where      Where
	Err        error
}

func (e *InvalidRegistryError) Error() string {
	return fmt.Sprintf("%s config %q is %q, which is not an http(s) URL: %v", e.Where, e.Key, e.Value, e.Err)
}

func (e *InvalidRegistryError) Unwrap() error { return e.Err }

// normalizeRegistry checks that u is an absolute http(s) URL and gives it a
// trailing slash, so `registry + name` is the packument URL.
func normalizeRegistry(u string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	if p.Scheme != "http" && p.Scheme != "https" {
		return "", fmt.Errorf("scheme must be http or https")
	}
	if p.Host == "" {
		return "", fmt.Errorf("no host")
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u, nil
}

// Registry returns the default registry URL with a trailing slash. See the
// package comment for where it comes from; the error is a
// *NoRegistryError or *InvalidRegistryError.
func (c *Config) Registry() (string, error) {
	if v, where, ok := c.Lookup("registry"); ok && v != "" && v != "null" {
		r, err := normalizeRegistry(v)
		if err != nil {
			return "", &InvalidRegistryError{Key: "registry", Value: v, Where: where, Err: err}
		}
		return r, nil
	}
	r, err := c.askNpm()
	if err != nil {
		return "", &NoRegistryError{Files: c.Files(), Fallback: err}
	}
	return r, nil
}

// RegistrySource says where the default registry came from: a layer, or
// WhereNpm for the npm fallback; "" when none.
func (c *Config) RegistrySource() Where {
	if v, where, ok := c.Lookup("registry"); ok && v != "" && v != "null" {
		return where
	}
	if _, err := c.askNpm(); err == nil {
		return WhereNpm
	}
	return ""
}

// RegistryFor returns the registry for a package name, honouring
// `@scope:registry`.
func (c *Config) RegistryFor(pkgName string) (string, error) {
	if scope := Scope(pkgName); scope != "" {
		key := scope + ":registry"
		if v, where, ok := c.Lookup(key); ok && v != "" && v != "null" {
			r, err := normalizeRegistry(v)
			if err != nil {
				return "", &InvalidRegistryError{Key: key, Value: v, Where: where, Err: err}
			}
			return r, nil
		}
	}
	return c.Registry()
}

// Scope returns "@scope" for "@scope/name", "" otherwise.
func Scope(pkgName string) string {
	if !strings.HasPrefix(pkgName, "@") {
		return ""
	}
	i := strings.IndexByte(pkgName, '/')
	if i < 0 {
		return ""
	}
	return pkgName[:i]
}

// Auth is the credential configured for a URL.
type Auth struct {
	// Key is the nerf dart that matched ("//host/path/"), "" for none.
	Key string
	// Token is `:_authToken`, sent as `Bearer`.
	Token string
	// Basic is the base64 `user:password` sent as `Basic`: `:_auth` as
	// written, or built from `:username` and the base64 `:_password`.
	Basic string
	// Username and Password are the decoded `:username`/`:_password`.
	Username, Password string
	// CertFile and KeyFile are the client certificate options.
	CertFile, KeyFile string
	// AlwaysAuth is the legacy `always-auth` option (dropped by npm 7+;
	// read so old configs that rely on it keep sending credentials to
	// tarball hosts off the registry).
	AlwaysAuth bool
}

// Header returns the Authorization header value, "" when there is none.
// A token wins over basic credentials, as in npm.
func (a Auth) Header() string {
	switch {
	case a.Token != "":
		return "Bearer " + a.Token
	case a.Basic != "":
		return "Basic " + a.Basic
	}
	return ""
}

// IsZero reports whether no credential was found.
func (a Auth) IsZero() bool { return a.Token == "" && a.Basic == "" && a.CertFile == "" }

// NerfDart returns npm's credential key for a URL: `//host[:port]/path/`
// where path is the URL's directory.
func NerfDart(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	p := u.EscapedPath()
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[:i+1]
	} else {
		p = "/"
	}
	return "//" + u.Host + p, nil
}

// AuthFor returns the credentials for a request URL. Like npm it walks the
// URL's path upward (`//host/a/b/`, `//host/a/b`, `//host/a/`, …
// `//host`) and takes the longest key with a token, `_auth`, a
// username+password pair, or a cert+key pair. When nothing matches and the
// URL is on the same host as a configured registry, that registry's
// credentials apply (npm does this for tarballs served from another path).
//
// An install asks for every request it sends, so the configuration's
// credential keys are indexed once (see credIndex): a URL whose host has
// none costs a URL parse and a map lookup.
func (c *Config) AuthFor(rawURL string) Auth {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Auth{}
	}
	ix := c.credentials()
	a, ok := c.authForParsed(ix, u)
	if ok || u.Host == "" {
		return a
	}
	// The fallback depends on the host alone: a registry URL equal to
	// rawURL, which npm skips, could not match where rawURL did not.
	if v, ok := ix.byHost.Load(u.Host); ok {
		if h := v.(hostAuth); h.ok {
			return h.a
		}
		return a
	}
	var h hostAuth
	for _, r := range ix.registries {
		if r.Host != u.Host {
			continue
		}
		if h.a, h.ok = c.authForParsed(ix, r); h.ok {
			break
		}
	}
	ix.byHost.Store(u.Host, h)
	if h.ok {
		return h.a
	}
	return a
}

// credIndex is what AuthFor needs from the configuration, gathered on
// first use (a Config does not change after Load): which nerf darts carry
// a credential option in some layer, their hosts, always-auth, and the
// configured registries. Looking each candidate key up in every layer with
// six option names, and listing every layer's keys for the registries,
// took 4% of a cold install's CPU when it was done per request.
type credIndex struct {
	darts      map[string]bool // "//host/path/" with a credential option
	hosts      map[string]bool // the hosts of darts
	always     bool            // always-auth
	registries []*url.URL      // configuredRegistries, parsed
	byHost     sync.Map        // host -> hostAuth: the same-host fallback
}

type hostAuth struct {
	a  Auth
	ok bool
}

// credentialOptions are the per-dart options authAt reads.
var credentialOptions = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"_authToken": true, "_auth": true, "username": true, "_password": true,
		"certfile": true, "keyfile": true, "always-auth": true,
	}
})

func (c *Config) credentials() *credIndex {
	c.credOnce.Do(func() {
		ix := &credIndex{darts: map[string]bool{}, hosts: map[string]bool{}, always: c.GetBool("always-auth")}
		for _, l := range c.layers {
			for k := range l.values {
				if !strings.HasPrefix(k, "//") {
					continue
				}
				i := strings.LastIndexByte(k, ':')
				if i < 0 || !credentialOptions()[k[i+1:]] {
					continue
				}
				dart := k[:i]
				ix.darts[dart] = true
				host, _, _ := strings.Cut(dart[2:], "/")
				ix.hosts[host] = true
			}
		}
		for _, r := range c.configuredRegistries() {
			if u, err := url.Parse(r); err == nil {
				ix.registries = append(ix.registries, u)
			}
		}
		c.creds = ix
	})
	return c.creds
}

func (c *Config) configuredRegistries() []string {
	var out []string
	if r, err := c.Registry(); err == nil {
		out = append(out, r)
	}
	seen := map[string]bool{}
	var scoped []string
	for _, l := range c.layers {
		for k := range l.values {
			if strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry") && !seen[k] {
				seen[k] = true
				scoped = append(scoped, k)
			}
		}
	}
	// Sorted, so that two registries on one host with different
	// credentials resolve the same way every run (map order did not).
	sort.Strings(scoped)
	for _, k := range scoped {
		if r, err := normalizeRegistry(c.Get(k)); err == nil {
			out = append(out, r)
		}
	}
	return out
}

func (c *Config) authForParsed(ix *credIndex, u *url.URL) (Auth, bool) {
	if u.Host == "" {
		return Auth{}, false
	}
	if !ix.hosts[u.Host] {
		return Auth{AlwaysAuth: ix.always}, false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/" // as WHATWG URL parsing gives for http://host
	}
	key := "//" + u.Host + path
	for len(key) > len("//") {
		if ix.darts[key] {
			if a, ok := c.authAt(key); ok {
				a.AlwaysAuth = a.AlwaysAuth || ix.always
				return a, true
			}
		}
		// walk up: drop the last segment, or the trailing slash
		if strings.HasSuffix(key, "/") {
			key = key[:len(key)-1]
		} else if i := strings.LastIndexByte(key, '/'); i >= 0 {
			key = key[:i+1]
		} else {
			break
		}
	}
	return Auth{AlwaysAuth: ix.always}, false
}

func (c *Config) authAt(key string) (Auth, bool) {
	a := Auth{Key: key}
	token := c.Get(key + ":_authToken")
	basic := c.Get(key + ":_auth")
	user := c.Get(key + ":username")
	pass := c.Get(key + ":_password")
	cert := c.Get(key + ":certfile")
	keyf := c.Get(key + ":keyfile")
	a.AlwaysAuth = c.GetBool(key + ":always-auth")
	found := false
	switch {
	case token != "":
		a.Token, found = token, true
	case basic != "":
		a.Basic, found = basic, true
		if dec, err := base64.StdEncoding.DecodeString(basic); err == nil {
			if u, p, ok := strings.Cut(string(dec), ":"); ok {
				a.Username, a.Password = u, p
			}
		}
	case user != "" && pass != "":
		dec, err := base64.StdEncoding.DecodeString(pass)
		if err != nil {
			// npm's Buffer.from(x, 'base64') is lenient; so are we.
			dec, _ = base64.RawStdEncoding.DecodeString(strings.TrimRight(pass, "="))
		}
		a.Username, a.Password = user, string(dec)
		a.Basic = base64.StdEncoding.EncodeToString([]byte(user + ":" + string(dec)))
		found = true
	}
	if cert != "" && keyf != "" {
		a.CertFile, a.KeyFile = cert, keyf
		found = true
	}
	return a, found
}
