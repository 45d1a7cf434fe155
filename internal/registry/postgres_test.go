package registry_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"gnode/internal/registry"
)

// pgDatabase creates a fresh database on the PostgreSQL that scripts/test
// starts (GNODE_TEST_POSTGRES_URL) and returns its URL.
func pgDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GNODE_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("GNODE_TEST_POSTGRES_URL is not set (scripts/test starts PostgreSQL when it is installed)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "gnode_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

func TestPostgresPublishAndRead(t *testing.T) {
	db := pgDatabase(t)
	r := startRegistry(t, registry.Config{DB: db})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "pg-pkg", "1.0.0")
	r.mustPublish(tok, "@alice/pg", "2.0.0")
	if st, b := r.publish(tok, "pg-pkg", "1.0.0", publishOpts{}); st != 409 {
		t.Errorf("republish on postgres: %d %s", st, b)
	}
	full := r.packument("pg-pkg", false)
	if full["dist-tags"].(map[string]any)["latest"] != "1.0.0" {
		t.Errorf("dist-tags: %v", full["dist-tags"])
	}
	if st, _ := r.do("GET", "pg-pkg/-/pg-pkg-1.0.0.tgz", "", "", nil); st != 200 {
		t.Errorf("tarball: %d", st)
	}
	if st, b := r.do("GET", "-/v1/search?text=pg", "", "", nil); st != 200 || !strings.Contains(string(b), `"total":2`) {
		t.Errorf("search on postgres: %d %s", st, b)
	}
}

// TestPostgresTwoProcesses: two registry instances on one database and one
// blob folder serve consistently, and concurrent publishes spread over both
// lose nothing.
func TestPostgresTwoProcesses(t *testing.T) {
	db := pgDatabase(t)
	data := t.TempDir()
	a := startRegistry(t, registry.Config{DB: db, Data: data})
	b := startRegistry(t, registry.Config{DB: db, Data: data})
	tok := a.addUser("alice", "password123")
	testConcurrentPublishes(t, []*testRegistry{a, b}, tok)

	// A write through one is visible through the other at once (the
	// packument cache is validated against the shared revision).
	before := b.packument("racy", false)["dist-tags"].(map[string]any)["latest"]
	if st, body := a.do("PUT", "-/package/racy/dist-tags/latest", tok, `"1.0.0"`, nil); st != 201 {
		t.Fatalf("set latest: %d %s", st, body)
	}
	after := b.packument("racy", false)["dist-tags"].(map[string]any)["latest"]
	if after != "1.0.0" {
		t.Errorf("instance b still serves latest=%v (was %v)", after, before)
	}
	// Both instances sign with the same key.
	_, ka := a.do("GET", "-/npm/v1/keys", "", "", nil)
	_, kb := b.do("GET", "-/npm/v1/keys", "", "", nil)
	if string(ka) != string(kb) {
		t.Errorf("instances serve different signing keys")
	}
}
