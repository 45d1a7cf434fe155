package install

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestFetchKeysDocRetries: a keys answer cut off mid-body, or a 5xx, is
// asked for again; a registry that keeps failing gives an error naming the
// attempts. One cut response failed a cold install before.
func TestFetchKeysDocRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			// Promise 100 bytes, send 10, drop the connection.
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"keys":[{`))
			if hj, ok := w.(http.Hijacker); ok {
				c, _, _ := hj.Hijack()
				c.Close()
			}
		case 2:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			w.Write([]byte(`{"keys":[]}`))
		}
	}))
	defer srv.Close()
	status, body, err := fetchKeysDoc(context.Background(), srv.Client(), srv.URL+"/-/npm/v1/keys")
	if err != nil || status != http.StatusOK || string(body) != `{"keys":[]}` {
		t.Fatalf("got %d %q %v after %d calls", status, body, err, calls.Load())
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d requests, want 3 (cut, 503, answer)", n)
	}

	// A 404 is an answer, not a failure: asked once.
	calls.Store(0)
	nf := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.NotFound(w, r)
	}))
	defer nf.Close()
	if status, _, err := fetchKeysDoc(context.Background(), nf.Client(), nf.URL+"/-/npm/v1/keys"); err != nil || status != http.StatusNotFound || calls.Load() != 1 {
		t.Fatalf("404: status %d err %v calls %d", status, err, calls.Load())
	}

	// Always failing: an error after keysAttempts requests.
	calls.Store(0)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer bad.Close()
	_, _, err = fetchKeysDoc(context.Background(), bad.Client(), bad.URL+"/-/npm/v1/keys")
	if err == nil || !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "3 attempts") || calls.Load() != keysAttempts {
		t.Fatalf("always 502: err %v, %d calls", err, calls.Load())
	}
}
