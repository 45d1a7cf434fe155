package registry_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// TestRealNPMTokensAndAudit: npm token create (npm 11's granular form,
// read-only) gives a token that reads but cannot publish, npm token revoke
// ends it at once, and npm audit reports an advisory from the registry's
// store for an installed version and none for a fixed one.
func TestRealNPMTokensAndAudit(t *testing.T) { testRealNPMTokensAndAudit(t, registry.Config{}) }

func TestPostgresRealNPMTokensAndAudit(t *testing.T) {
	testRealNPMTokensAndAudit(t, registry.Config{DB: pgDatabase(t)})
}

func testRealNPMTokensAndAudit(t *testing.T, cfg registry.Config) {
	haveTool(t, "npm")
	r := startRegistry(t, cfg)
	tok := r.addUser("alice", "password123")
	npm := newNPM(t, r, tok)
	work := t.TempDir()

	out := npm.must(work, "token", "create", "--name", "ci-read", "--packages-and-scopes-permission", "read-only", "--password", "password123", "--json")
	var created struct {
		Token    string
		ReadOnly bool `json:"readonly"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.Token == "" || !created.ReadOnly {
		t.Fatalf("npm token create: %v\n%s", err, out)
	}
	ro := newNPM(t, r, created.Token)
	if who := strings.TrimSpace(ro.must(work, "whoami")); who != "alice" {
		t.Errorf("whoami with the read-only token: %q", who)
	}
	lib := filepath.Join(work, "lib")
	writePkg(t, lib, "audited-lib", "1.0.0", nil)
	if out, err := ro.run(lib, "publish"); err == nil || !strings.Contains(out, "E403") {
		t.Errorf("publish with a read-only token: %v\n%s", err, out)
	}
	if out, err := npm.run(work, "token", "create", "--name", "x", "--password", "wrong-password", "--json"); err == nil || !strings.Contains(out, "E401") {
		t.Errorf("token create with a wrong password: %v\n%s", err, out)
	}
	// npm prints each token's id (a prefix of its key) and revokes by it.
	var list []struct {
		ID       string
		ReadOnly bool `json:"readonly"`
	}
	if err := json.Unmarshal([]byte(npm.must(work, "token", "list", "--json")), &list); err != nil || len(list) != 2 {
		t.Fatalf("npm token list: %v %+v", err, list)
	}
	roKey := ""
	for _, l := range list {
		if l.ReadOnly {
			roKey = l.ID
		}
	}
	if roKey == "" {
		t.Fatalf("npm token list shows no read-only token: %+v", list)
	}
	npm.must(work, "token", "revoke", roKey)
	if out, err := ro.run(work, "whoami"); err == nil || !strings.Contains(out, "E401") {
		t.Errorf("whoami with a revoked token: %v\n%s", err, out)
	}
	if who := strings.TrimSpace(npm.must(work, "whoami")); who != "alice" {
		t.Errorf("revoking one token ended another: whoami %q", who)
	}

	npm.must(lib, "publish")
	writePkg(t, lib, "audited-lib", "1.0.1", nil)
	npm.must(lib, "publish")
	if err := r.reg.Service.AddAdvisory(t.Context(), advisory(4242, "audited-lib", "<1.0.1")); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(work, "app")
	writePkg(t, app, "app", "1.0.0", nil)
	npm.must(app, "install", "audited-lib@1.0.0")
	out, err := npm.run(app, "audit", "--json")
	var report struct {
		Vulnerabilities map[string]struct {
			Severity string
			Via      []struct {
				Source int
				Range  string
			}
		}
	}
	jerr := json.Unmarshal([]byte(out), &report)
	v := report.Vulnerabilities["audited-lib"]
	if err == nil || jerr != nil || v.Severity != "high" || len(v.Via) != 1 || v.Via[0].Source != 4242 || v.Via[0].Range != "<1.0.1" {
		t.Errorf("npm audit of audited-lib@1.0.0: %v %v\n%s", err, jerr, out)
	}
	npm.must(app, "install", "audited-lib@1.0.1")
	if out, err := npm.run(app, "audit"); err != nil || !strings.Contains(out, "found 0 vulnerabilities") {
		t.Errorf("npm audit after the fix: %v\n%s", err, out)
	}
}
