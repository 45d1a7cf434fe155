// Package publish is the registry write client: publish, dist-tags,
// deprecate, unpublish (npm's -rev flow), and the account commands login
// (the couch flow), logout and whoami. Requests are shaped as npm 11 sends
// them (libnpmpublish, npm-profile, npm-registry-fetch) so any registry that
// serves npm serves gnode.
package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/pkgname"
)

// Client sends authenticated requests to registries chosen by Config.
type Client struct {
	Config *npmrc.Config
	HTTP   *http.Client
	// OTP is the one-time password sent as npm-otp (from --otp).
	OTP string
	// Command is sent as npm-command ("publish", "dist-tag", ...).
	Command   string
	UserAgent string
	// AskOTP, when set, is asked for a one-time password when the registry
	// answers 401 asking for one; the request is then sent again once.
	AskOTP func() (string, error)
}

// HTTPError is a registry answer outside 2xx, printed as npm prints it.
type HTTPError struct {
	Method, URL string
	Status      int
	Body        string
	// OTPRequired is set on a 401 asking for a one-time password.
	OTPRequired bool
}

func (e *HTTPError) Error() string {
	msg := e.Body
	var b struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal([]byte(e.Body), &b) == nil {
		if b.Message != "" {
			msg = b.Message
		} else if b.Error != "" {
			msg = b.Error
		}
	}
	s := fmt.Sprintf("%d %s - %s %s", e.Status, http.StatusText(e.Status), e.Method, e.URL)
	if msg = strings.TrimSpace(msg); msg != "" {
		s += " - " + msg
	}
	return s
}

// Hint says how to fix the common failures.
func (e *HTTPError) Hint() string {
	switch {
	case e.OTPRequired:
		return "this registry wants a one-time password: pass --otp <code>"
	case e.Status == 401:
		return "log in with `gnode login` (or set //host/:_authToken in .npmrc)"
	case e.Status == 403:
		return "your account lacks the rights for this package"
	}
	return ""
}

// ErrNeedAuth is returned when no credentials are configured for a write.
var ErrNeedAuth = errors.New("this command requires you to be logged in")

func joinURL(registry, path string) string {
	if !strings.HasSuffix(registry, "/") {
		registry += "/"
	}
	return registry + strings.TrimPrefix(path, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 5 * time.Minute}
}

// do sends a request; body is JSON-encoded unless it is a []byte. out, when
// non-nil, receives the decoded JSON answer.
func (c *Client) do(ctx context.Context, method, rawURL string, body any, out any, hdr http.Header) (int, error) {
	var b []byte
	if body != nil {
		switch v := body.(type) {
		case []byte:
			b = v
		default:
			var err error
			if b, err = json.Marshal(v); err != nil {
				return 0, err
			}
		}
	}
	st, err := c.send(ctx, method, rawURL, b, body != nil, out, hdr)
	var he *HTTPError
	if errors.As(err, &he) && he.OTPRequired && c.OTP == "" && c.AskOTP != nil {
		otp, aerr := c.AskOTP()
		if aerr != nil || otp == "" {
			return st, err
		}
		c.OTP = otp
		return c.send(ctx, method, rawURL, b, body != nil, out, hdr)
	}
	return st, err
}

func (c *Client) send(ctx context.Context, method, rawURL string, b []byte, hasBody bool, out any, hdr http.Header) (int, error) {
	var rd io.Reader
	if hasBody {
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "*/*")
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "gnode"
	}
	req.Header.Set("User-Agent", ua)
	if c.Command != "" {
		req.Header.Set("npm-command", c.Command)
	}
	if c.OTP != "" {
		req.Header.Set("npm-otp", c.OTP)
	}
	if c.Config != nil {
		if a := c.Config.AuthFor(rawURL).Header(); a != "" {
			req.Header.Set("Authorization", a)
		}
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, rawURL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode/100 != 2 {
		he := &HTTPError{Method: method, URL: rawURL, Status: resp.StatusCode, Body: string(data)}
		if resp.StatusCode == 401 {
			wa := strings.ToLower(resp.Header.Get("WWW-Authenticate"))
			he.OTPRequired = strings.Contains(wa, "otp") || strings.Contains(strings.ToLower(string(data)), "one-time pass")
		}
		return resp.StatusCode, he
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: bad JSON answer: %w", method, rawURL, err)
		}
	}
	return resp.StatusCode, nil
}

// RegistryFor returns the registry for a package (scoped registries
// honoured), with a trailing slash.
func (c *Client) RegistryFor(name string) (string, error) {
	r, err := c.Config.RegistryFor(name)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(r, "/") {
		r += "/"
	}
	return r, nil
}

// needAuth fails early, like npm's ENEEDAUTH, when no credential is set.
func (c *Client) needAuth(registry string) error {
	if c.Config == nil || c.Config.AuthFor(registry).IsZero() {
		return fmt.Errorf("%w to %s", ErrNeedAuth, registry)
	}
	return nil
}

// Packument fetches the full document (?write=true, as npm does before a
// write); found is false on 404.
func (c *Client) Packument(ctx context.Context, registry, name string, write bool) (doc map[string]any, found bool, err error) {
	u := joinURL(registry, pkgname.Escape(name))
	if write {
		u += "?write=true"
	}
	st, err := c.do(ctx, "GET", u, nil, &doc, http.Header{"Accept": {"application/json"}})
	if st == 404 {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return doc, true, nil
}

// hostOf is for messages.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}

func nowISO() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000Z") }
