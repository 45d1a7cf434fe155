package registry_test

import (
	"strings"
	"testing"

	"gnode/internal/registry"
)

// TestRestartKeepsEverything: a registry reopened on the same --data serves
// what was published before, with the same signing key and tokens.
func TestRestartKeepsEverything(t *testing.T) {
	data := t.TempDir()
	a := startRegistry(t, registry.Config{Data: data})
	tok := a.addUser("alice", "password123")
	a.mustPublish(tok, "durable", "1.0.0")
	_, keysBefore := a.do("GET", "-/npm/v1/keys", "", "", nil)
	a.srv.Close()
	a.reg.Close()

	b := startRegistry(t, registry.Config{Data: data})
	if v := b.packument("durable", false)["dist-tags"].(map[string]any)["latest"]; v != "1.0.0" {
		t.Errorf("after restart latest = %v", v)
	}
	if st, _ := b.do("GET", "durable/-/durable-1.0.0.tgz", "", "", nil); st != 200 {
		t.Errorf("tarball after restart: %d", st)
	}
	if st, _ := b.do("GET", "-/whoami", tok, "", nil); st != 200 {
		t.Errorf("token after restart: %d", st)
	}
	_, keysAfter := b.do("GET", "-/npm/v1/keys", "", "", nil)
	if string(keysBefore) != string(keysAfter) {
		t.Errorf("signing key changed across a restart")
	}
}

func TestBadInput(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	cases := []struct {
		method, path, body string
		status             int
	}{
		{"PUT", "broken", "{not json", 400},
		{"PUT", "%2e%2e", `{"name":"..","versions":{"1.0.0":{}},"_attachments":{"x.tgz":{"data":"AA=="}}}`, 400},
		{"PUT", "a%2f..%2f..%2fetc", `{"versions":{"1.0.0":{}},"_attachments":{"x.tgz":{"data":"AA=="}}}`, 400},
		{"GET", "-/no/such/route", "", 404},
		{"GET", "pkg/-/..%2f..%2fregistry.db", "", 404},
		{"POST", "-/npm/v1/security/advisories/bulk", "[1,2", 400},
	}
	for _, c := range cases {
		st, b := r.do(c.method, c.path, tok, c.body, nil)
		if st != c.status || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s /%s: %d %s, want %d with an npm error body", c.method, c.path, st, b, c.status)
		}
	}
	// Over the body limit: 413, and the server keeps serving.
	big := strings.Repeat("a", 201<<20)
	st, _ := r.do("PUT", "huge", tok, `{"name":"huge","_attachments":{"x":{"data":"`+big+`"}}}`, nil)
	if st != 413 {
		t.Errorf("oversized body: %d, want 413", st)
	}
	if st, _ := r.do("GET", "-/ping", "", "", nil); st != 200 {
		t.Errorf("server stopped serving after bad input: %d", st)
	}
}

// TestConfiguredBodyLimit: --max-body-mb lowers the limit; a publish over
// it gets 413 and one under it goes through.
func TestConfiguredBodyLimit(t *testing.T) {
	r := startRegistry(t, registry.Config{MaxBody: 1 << 20})
	tok := r.addUser("alice", "password123")
	big := strings.Repeat("a", 2<<20)
	if st, b := r.do("PUT", "huge", tok, `{"name":"huge","_attachments":{"x":{"data":"`+big+`"}}}`, nil); st != 413 || !strings.Contains(string(b), `"error"`) {
		t.Errorf("2 MB body with a 1 MB limit: %d %s, want 413", st, b)
	}
	r.mustPublish(tok, "small", "1.0.0")
}
