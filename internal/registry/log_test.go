package registry_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// TestClientGoneIsNotAnError: a request whose client has gone away is not
// logged as a server failure; a real failure still is.
func TestClientGoneIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r := startRegistry(t, registry.Config{Log: log})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "some-pkg", "1.0.0")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/some-pkg", nil).WithContext(ctx)
	r.reg.Handler.ServeHTTP(httptest.NewRecorder(), req)
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a cancelled request was logged as an error:\n%s", logs.String())
	}

	r.reg.Close() // the metadata store is gone: every read now fails
	r.reg.Handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/some-pkg", nil))
	if !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a failed read was not logged:\n%s", logs.String())
	}
}
