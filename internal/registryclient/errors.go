package registryclient

import (
	"fmt"
	"strings"
)

// NotFoundError is a 404 for a package or tarball.
type NotFoundError struct {
	// Name is the package name, "" for a tarball request.
	Name string
	URL  string
}

func (e *NotFoundError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("package %q not found in the registry (404 for %s)", e.Name, e.URL)
	}
	return fmt.Sprintf("not found (404 for %s)", e.URL)
}

// HTTPError is any other unsuccessful status.
type HTTPError struct {
	URL    string
	Status int
	// Body is the start of the response body (the registry's message).
	Body string
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("registry answered %d for %s", e.Status, e.URL)
	if b := strings.TrimSpace(e.Body); b != "" {
		msg += ": " + b
	}
	switch e.Status {
	case 401:
		msg += " (check the credentials for this registry in .npmrc: //host/:_authToken)"
	case 403:
		msg += " (the credentials are not allowed to read this)"
	}
	return msg
}

// NetworkError is a request that failed after every retry.
type NetworkError struct {
	URL string
	// Op is what failed: "connect", "read response", "timeout", or the
	// last HTTP status when retries on 5xx/429 ran out ("status 503").
	Op       string
	Attempts int
	Err      error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("GET %s failed after %d attempt(s) (%s): %v", e.URL, e.Attempts, e.Op, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// OfflineError is a request that --offline could not serve from the cache.
type OfflineError struct {
	Name string
	URL  string
}

func (e *OfflineError) Error() string {
	what := e.URL
	if e.Name != "" {
		what = fmt.Sprintf("package %q (%s)", e.Name, e.URL)
	}
	return fmt.Sprintf("offline mode: %s is not in the cache; run once without --offline to fill it", what)
}
