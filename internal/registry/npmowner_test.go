package registry_test

import (
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// TestRealNPMOwnersAndAccess: npm owner ls/add/rm change who may publish
// (and never touch the versions), a non-maintainer's and an anonymous
// publish are refused with npm's errors, and an unscoped package goes
// through publish, unpublish --force and ping.
func TestRealNPMOwnersAndAccess(t *testing.T) { testRealNPMOwners(t, registry.Config{}) }

func TestPostgresRealNPMOwners(t *testing.T) {
	testRealNPMOwners(t, registry.Config{DB: pgDatabase(t)})
}

func testRealNPMOwners(t *testing.T, cfg registry.Config) {
	haveTool(t, "npm")
	r := startRegistry(t, cfg)
	aliceTok := r.addUser("alice", "password123")
	bobTok := r.addUser("bob", "password456")
	alice := newNPM(t, r, aliceTok)
	bob := newNPM(t, r, bobTok)
	anon := newNPM(t, r, "")
	work := t.TempDir()

	if out := alice.must(work, "ping"); !strings.Contains(out, "PONG") {
		t.Errorf("npm ping: %s", out)
	}
	lib := filepath.Join(work, "lib")
	writePkg(t, lib, "plain-lib", "1.0.0", nil)
	alice.must(lib, "publish")

	// npm access and npm profile read what the registry knows.
	if out := alice.must(work, "access", "list", "packages", "--json"); !strings.Contains(out, `"plain-lib": "read-write"`) {
		t.Errorf("npm access list packages: %s", out)
	}
	if out := bob.must(work, "access", "list", "packages", "--json"); strings.Contains(out, "plain-lib") {
		t.Errorf("npm access list packages for bob: %s", out)
	}
	if out := alice.must(work, "access", "list", "collaborators", "plain-lib", "--json"); !strings.Contains(out, `"alice": "read-write"`) || strings.Contains(out, "bob") {
		t.Errorf("npm access list collaborators: %s", out)
	}
	if out := alice.must(work, "access", "get", "status", "plain-lib"); !strings.Contains(out, "plain-lib: public") {
		t.Errorf("npm access get status: %s", out)
	}
	if out := alice.must(work, "profile", "get", "--json"); !strings.Contains(out, `"name": "alice"`) || !strings.Contains(out, `"email": "alice@example.com"`) || strings.Contains(out, "password") {
		t.Errorf("npm profile get: %s", out)
	}

	if out, err := alice.run(work, "star", "plain-lib"); err == nil || !strings.Contains(out, "stars are not kept by this registry") {
		t.Errorf("npm star: %v\n%s", err, out)
	}

	writePkg(t, lib, "plain-lib", "1.1.0", nil)
	if out, err := bob.run(lib, "publish"); err == nil || !strings.Contains(out, "E403") {
		t.Errorf("publish by a non-maintainer: %v\n%s", err, out)
	}
	if out, err := anon.run(lib, "publish"); err == nil || !(strings.Contains(out, "ENEEDAUTH") || strings.Contains(out, "E401")) {
		t.Errorf("anonymous publish: %v\n%s", err, out)
	}

	if out := alice.must(work, "owner", "ls", "plain-lib"); !strings.Contains(out, "alice <alice@example.com>") || strings.Contains(out, "bob") {
		t.Errorf("npm owner ls: %s", out)
	}
	alice.must(work, "owner", "add", "bob", "plain-lib")
	if out := alice.must(work, "owner", "ls", "plain-lib"); !strings.Contains(out, "alice") || !strings.Contains(out, "bob") {
		t.Errorf("npm owner ls after add: %s", out)
	}
	if out := alice.must(work, "view", "plain-lib", "versions", "--json"); !strings.Contains(out, "1.0.0") {
		t.Errorf("npm owner add lost the versions: %s", out)
	}
	bob.must(lib, "publish")
	alice.must(work, "owner", "rm", "alice", "plain-lib")
	writePkg(t, lib, "plain-lib", "1.2.0", nil)
	if out, err := alice.run(lib, "publish"); err == nil || !strings.Contains(out, "E403") {
		t.Errorf("publish after removing oneself from the owners: %v\n%s", err, out)
	}
	if out, err := bob.run(work, "owner", "rm", "bob", "plain-lib"); err == nil {
		t.Errorf("removing the last owner was accepted:\n%s", out)
	}
	if out, err := bob.run(work, "owner", "add", "nobody-here", "plain-lib"); err == nil {
		t.Errorf("adding an unknown user as owner was accepted:\n%s", out)
	}

	if out := bob.must(work, "view", "plain-lib", "versions", "--json"); !strings.Contains(out, "1.1.0") {
		t.Errorf("versions: %s", out)
	}
	bob.must(work, "unpublish", "plain-lib", "--force")
	if out, err := bob.run(work, "view", "plain-lib"); err == nil || !strings.Contains(out, "E404") {
		t.Errorf("view after unpublish --force: %v\n%s", err, out)
	}
}
