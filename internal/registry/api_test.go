package registry_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/registry"
	"gnode/internal/trust"
)

func TestPublishAndRead(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "left-pad-x", "1.0.0")
	r.mustPublish(tok, "left-pad-x", "1.1.0")
	if st, b := r.publish(tok, "left-pad-x", "2.0.0-beta.1", publishOpts{tag: "next"}); st != 201 {
		t.Fatalf("publish prerelease: %d %s", st, b)
	}

	full := r.packument("left-pad-x", false)
	tags := full["dist-tags"].(map[string]any)
	if tags["latest"] != "1.1.0" || tags["next"] != "2.0.0-beta.1" {
		t.Errorf("dist-tags = %v", tags)
	}
	if full["_rev"] == nil || full["time"].(map[string]any)["1.0.0"] == nil {
		t.Errorf("full packument lacks _rev or time: %v", full)
	}
	v := full["versions"].(map[string]any)["1.0.0"].(map[string]any)
	dist := v["dist"].(map[string]any)
	wantTarball := r.URL + "left-pad-x/-/left-pad-x-1.0.0.tgz"
	if dist["tarball"] != wantTarball {
		t.Errorf("tarball URL %v, want %v", dist["tarball"], wantTarball)
	}
	if v["description"] != "the left-pad-x package" {
		t.Errorf("version object lost package.json fields: %v", v)
	}

	corgi := r.packument("left-pad-x", true)
	if corgi["modified"] == nil || corgi["time"].(map[string]any)["1.0.0"] == nil {
		t.Errorf("abbreviated document shape wrong: %v", corgi)
	}
	cv := corgi["versions"].(map[string]any)["1.0.0"].(map[string]any)
	if cv["description"] != nil || cv["dist"] == nil {
		t.Errorf("abbreviated version object shape wrong: %v", cv)
	}

	// The tarball answers with the bytes whose integrity the packument names.
	st, tgz := r.do("GET", "left-pad-x/-/left-pad-x-1.0.0.tgz", "", "", nil)
	if st != 200 {
		t.Fatalf("tarball: %d", st)
	}
	sum := sha512sri(tgz)
	if sum != dist["integrity"] {
		t.Errorf("tarball integrity %s, packument says %s", sum, dist["integrity"])
	}

	// GET by version and by tag.
	st, b := r.do("GET", "left-pad-x/next", "", "", nil)
	if st != 200 || !strings.Contains(string(b), `"version":"2.0.0-beta.1"`) {
		t.Errorf("GET by tag: %d %s", st, b)
	}
	st, _ = r.do("GET", "left-pad-x/9.9.9", "", "", nil)
	if st != 404 {
		t.Errorf("GET missing version: %d, want 404", st)
	}
	st, b = r.do("GET", "no-such-package", "", "", nil)
	if st != 404 || !strings.Contains(string(b), `"error"`) {
		t.Errorf("missing package: %d %s", st, b)
	}
}

func sha512sri(b []byte) string {
	s := sha512Sum(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s)
}

func TestETagAndGzip(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	for i := 0; i < 20; i++ {
		r.mustPublish(tok, "many", fmt.Sprintf("1.0.%d", i))
	}
	req, _ := http.NewRequest("GET", r.URL+"many", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !json.Valid(plain) {
		t.Errorf("gzipped body is not JSON")
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	st, _ := r.do("GET", "many", "", "", map[string]string{"If-None-Match": etag})
	if st != 304 {
		t.Errorf("If-None-Match: %d, want 304", st)
	}
	r.mustPublish(tok, "many", "1.1.0")
	st, _ = r.do("GET", "many", "", "", map[string]string{"If-None-Match": etag})
	if st != 200 {
		t.Errorf("after a publish the old ETag must not match: %d", st)
	}
}

func TestScopedNames(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "@team/util", "1.0.0")
	for _, p := range []string{"@team%2futil", "@team%2Futil", "@team/util"} {
		if st, b := r.do("GET", p, "", "", nil); st != 200 {
			t.Errorf("GET %s: %d %s", p, st, b)
		}
	}
	full := r.packument("@team/util", false)
	tb := full["versions"].(map[string]any)["1.0.0"].(map[string]any)["dist"].(map[string]any)["tarball"]
	if tb != r.URL+"@team/util/-/util-1.0.0.tgz" {
		t.Errorf("scoped tarball URL %v", tb)
	}
	if st, _ := r.do("GET", "@team/util/-/util-1.0.0.tgz", "", "", nil); st != 200 {
		t.Errorf("scoped tarball: %d", st)
	}
	// Another user cannot publish into a scope someone owns.
	bob := r.addUser("bob", "password123")
	if st, b := r.publish(bob, "@team/other", "1.0.0", publishOpts{}); st != 403 {
		t.Errorf("bob publishing into @team: %d %s, want 403", st, b)
	}
	// A user's own name is their scope.
	if st, b := r.publish(tok, "@bob/x", "1.0.0", publishOpts{}); st != 403 {
		t.Errorf("alice publishing into @bob: %d %s, want 403", st, b)
	}
	if st, b := r.publish(bob, "@bob/x", "1.0.0", publishOpts{}); st != 201 {
		t.Errorf("bob publishing into @bob: %d %s", st, b)
	}
}

func TestPublishValidation(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "taken", "1.0.0")
	ro := readOnlyToken(t, r, "alice", "password123", tok)
	cases := []struct {
		name, pkg, version string
		token              string
		o                  publishOpts
		status             int
		msg                string
	}{
		{"no auth", "a", "1.0.0", "", publishOpts{}, 401, "logged in"},
		{"read-only token", "a", "1.0.0", ro, publishOpts{}, 403, "read-only"},
		{"forged integrity", "a", "1.0.0", tok, publishOpts{integrity: "sha512-" + base64.StdEncoding.EncodeToString(make([]byte, 64))}, 400, "does not match"},
		{"forged shasum", "a", "1.0.0", tok, publishOpts{shasum: strings.Repeat("0", 40)}, 400, "shasum"},
		{"wrong length", "a", "1.0.0", tok, publishOpts{length: 3}, 400, "length"},
		{"manifest name differs", "a", "1.0.0", tok, publishOpts{manifestName: "a-other"}, 400, "names"},
		{"tarball name differs", "a", "1.0.0", tok, publishOpts{tarName: "evil"}, 400, "tarball's package.json"},
		{"tarball version differs", "a", "1.0.0", tok, publishOpts{tarVersion: "9.9.9"}, 400, "tarball's package.json"},
		{"tag is a semver range", "a", "1.0.0", tok, publishOpts{tag: "1.x"}, 400, "semver range"},
		{"invalid version", "a", "1.0", tok, publishOpts{}, 400, "invalid version"},
		{"uppercase name", "Abc", "1.0.0", tok, publishOpts{}, 400, "lowercase"},
		{"path trick name", "..", "1.0.0", tok, publishOpts{}, 400, "invalid package name"},
		{"republish", "taken", "1.0.0", tok, publishOpts{}, 409, "previously published"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, b := r.publish(c.token, c.pkg, c.version, c.o)
			if st != c.status || !strings.Contains(b, c.msg) {
				t.Errorf("got %d %s, want %d containing %q", st, b, c.status, c.msg)
			}
			if c.status != 201 && st != 201 {
				var e map[string]string
				if json.Unmarshal([]byte(b), &e) != nil || e["error"] == "" {
					t.Errorf("error body is not npm's {\"error\": ...}: %s", b)
				}
			}
		})
	}
	// Nothing from the rejected publishes is visible.
	if st, _ := r.do("GET", "a", "", "", nil); st != 404 {
		t.Errorf("a rejected publish left package a behind: %d", st)
	}
	// Another user may not publish a new version of alice's package.
	bob := r.addUser("bob", "password123")
	if st, b := r.publish(bob, "taken", "2.0.0", publishOpts{}); st != 403 {
		t.Errorf("non-maintainer publish: %d %s", st, b)
	}
}

func readOnlyToken(t *testing.T, r *testRegistry, user, password, tok string) string {
	t.Helper()
	st, b := r.do("POST", "-/npm/v1/tokens", tok, fmt.Sprintf(`{"password":%q,"readonly":true,"cidr_whitelist":[]}`, password), nil)
	if st != 200 {
		t.Fatalf("create read-only token: %d %s", st, b)
	}
	var out struct {
		Token    string
		ReadOnly bool `json:"readonly"`
	}
	json.Unmarshal(b, &out)
	if out.Token == "" || !out.ReadOnly {
		t.Fatalf("token response %s", b)
	}
	return out.Token
}

func TestDistTagsDeprecateUnpublish(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "pkg", "1.0.0")
	r.mustPublish(tok, "pkg", "1.1.0")
	if st, b := r.do("PUT", "-/package/pkg/dist-tags/stable", tok, `"1.0.0"`, nil); st != 201 {
		t.Fatalf("add tag: %d %s", st, b)
	}
	if st, _ := r.do("PUT", "-/package/pkg/dist-tags/bad", tok, `"7.0.0"`, nil); st != 404 {
		t.Errorf("tag to a missing version: %d, want 404", st)
	}
	if st, _ := r.do("DELETE", "-/package/pkg/dist-tags/latest", tok, "", nil); st != 400 {
		t.Errorf("deleting latest: %d, want 400", st)
	}
	if st, _ := r.do("PUT", "-/package/pkg/dist-tags/x", "", `"1.0.0"`, nil); st != 401 {
		t.Errorf("anonymous tag: %d, want 401", st)
	}
	st, b := r.do("GET", "-/package/pkg/dist-tags", "", "", nil)
	if st != 200 || string(b) != `{"latest":"1.1.0","stable":"1.0.0"}` {
		t.Errorf("tags: %d %s", st, b)
	}
	if st, _ := r.do("DELETE", "-/package/pkg/dist-tags/stable", tok, "", nil); st != 201 {
		t.Errorf("delete tag: %d", st)
	}

	// Deprecate: only versions whose object carries "deprecated" change.
	doc := `{"_id":"pkg","name":"pkg","versions":{"1.0.0":{"name":"pkg","version":"1.0.0","deprecated":"use 1.1"},"1.1.0":{"name":"pkg","version":"1.1.0"}},"_attachments":{}}`
	if st, b := r.do("PUT", "pkg", tok, doc, nil); st != 201 {
		t.Fatalf("deprecate: %d %s", st, b)
	}
	vs := r.packument("pkg", true)["versions"].(map[string]any)
	if vs["1.0.0"].(map[string]any)["deprecated"] != "use 1.1" || vs["1.1.0"].(map[string]any)["deprecated"] != nil {
		t.Errorf("deprecation not applied exactly: %v", vs)
	}

	// Unpublish 1.1.0 with npm's -rev flow: latest moves back to 1.0.0.
	full := r.packument("pkg", false)
	rev := full["_rev"].(string)
	body := `{"_id":"pkg","name":"pkg","versions":{"1.0.0":{}}}`
	if st, b := r.do("PUT", "pkg/-rev/"+rev, tok, body, nil); st != 200 {
		t.Fatalf("unpublish put: %d %s", st, b)
	}
	full = r.packument("pkg", false)
	if _, ok := full["versions"].(map[string]any)["1.1.0"]; ok {
		t.Errorf("1.1.0 still served after unpublish")
	}
	if full["dist-tags"].(map[string]any)["latest"] != "1.0.0" {
		t.Errorf("latest not recomputed: %v", full["dist-tags"])
	}
	if st, _ := r.do("GET", "pkg/-/pkg-1.1.0.tgz", "", "", nil); st != 404 {
		t.Errorf("unpublished tarball still served: %d", st)
	}
	// An unpublished version can never be published again.
	if st, b := r.publish(tok, "pkg", "1.1.0", publishOpts{}); st != 409 {
		t.Errorf("republish after unpublish: %d %s, want 409", st, b)
	}
	// Whole-package unpublish.
	if st, _ := r.do("DELETE", "pkg/-rev/"+rev, tok, "", nil); st != 200 {
		t.Errorf("unpublish all: %d", st)
	}
	if st, _ := r.do("GET", "pkg", "", "", nil); st != 404 {
		t.Errorf("unpublished package still served: %d", st)
	}
}

func TestAccountsAndTokens(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	// Without --signup, adduser cannot create accounts.
	st, b := r.do("PUT", "-/user/org.couchdb.user:mallory", "", `{"name":"mallory","password":"password123","email":"m@x"}`, nil)
	if st != 403 || !strings.Contains(string(b), "registry user add") {
		t.Errorf("signup without --signup: %d %s", st, b)
	}
	tok := r.addUser("alice", "password123")
	st, b = r.do("GET", "-/whoami", tok, "", nil)
	if st != 200 || string(b) != `{"username":"alice"}` {
		t.Errorf("whoami: %d %s", st, b)
	}
	if st, _ := r.do("GET", "-/whoami", "", "", nil); st != 401 {
		t.Errorf("anonymous whoami: %d", st)
	}
	if st, _ := r.do("GET", "-/whoami", "gnode_bogus", "", nil); st != 401 {
		t.Errorf("bogus token whoami: %d", st)
	}
	st, b = r.do("PUT", "-/user/org.couchdb.user:alice", "", `{"name":"alice","password":"wrong-password"}`, nil)
	if st != 401 {
		t.Errorf("wrong password login: %d %s", st, b)
	}
	st, b = r.do("GET", "-/npm/v1/tokens", tok, "", nil)
	var list struct {
		Objects []struct{ Key string }
		Total   int
	}
	json.Unmarshal(b, &list)
	if st != 200 || list.Total != 1 {
		t.Fatalf("token list: %d %s", st, b)
	}
	second := readOnlyToken(t, r, "alice", "password123", tok)
	if st, _ := r.do("DELETE", "-/npm/v1/tokens/token/"+list.Objects[0].Key, second, "", nil); st != 204 {
		t.Errorf("revoke: %d", st)
	}
	// Revocation takes effect at once.
	if st, _ := r.do("GET", "-/whoami", tok, "", nil); st != 401 {
		t.Errorf("revoked token still works: %d", st)
	}
	// Logout revokes the token it is sent with.
	if st, _ := r.do("DELETE", "-/user/token/"+second, second, "", nil); st != 200 {
		t.Errorf("logout: %d", st)
	}
	if st, _ := r.do("GET", "-/whoami", second, "", nil); st != 401 {
		t.Errorf("logged-out token still works: %d", st)
	}
	// Basic auth works too.
	req, _ := http.NewRequest("GET", r.URL+"-/whoami", nil)
	req.SetBasicAuth("alice", "password123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("basic auth whoami: %v %v", resp, err)
	}
}

func TestSignaturesVerify(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "signed", "1.0.0")
	st, b := r.do("GET", "-/npm/v1/keys", "", "", nil)
	if st != 200 {
		t.Fatalf("keys: %d", st)
	}
	var keys struct {
		Keys []struct{ KeyID, Key, Keytype, Scheme string }
	}
	json.Unmarshal(b, &keys)
	if len(keys.Keys) != 1 || keys.Keys[0].Keytype != "ecdsa-sha2-nistp256" || !strings.HasPrefix(keys.Keys[0].KeyID, "SHA256:") {
		t.Fatalf("keys document: %s", b)
	}
	der, _ := base64.StdEncoding.DecodeString(keys.Keys[0].Key)
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	v := r.packument("signed", false)["versions"].(map[string]any)["1.0.0"].(map[string]any)
	dist := v["dist"].(map[string]any)
	sigs := dist["signatures"].([]any)
	sig := sigs[0].(map[string]any)
	if sig["keyid"] != keys.Keys[0].KeyID {
		t.Errorf("signature keyid %v, key %v", sig["keyid"], keys.Keys[0].KeyID)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig["sig"].(string))
	digest := sha256.Sum256([]byte("signed@1.0.0:" + dist["integrity"].(string)))
	if !ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), digest[:], raw) {
		t.Errorf("signature does not verify")
	}
	// The client-side verifier gnode's installer uses agrees.
	tkeys, err := trust.ParseKeys(b)
	if err != nil {
		t.Fatal(err)
	}
	tsigs := []trust.Signature{{KeyID: sig["keyid"].(string), Sig: sig["sig"].(string)}}
	if err := trust.VerifySignatures(tkeys, "signed", "1.0.0", dist["integrity"].(string), tsigs, time.Now()); err != nil {
		t.Errorf("trust.VerifySignatures: %v", err)
	}
	tampered := sha256.Sum256([]byte("signed@1.0.1:" + dist["integrity"].(string)))
	if ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), tampered[:], raw) {
		t.Errorf("signature verifies for another version")
	}
}

func TestSearchAndAudit(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "fast-json", "1.0.0")
	r.mustPublish(tok, "slow-xml", "1.0.0")
	st, b := r.do("GET", "-/v1/search?text=json&size=20&from=0", "", "", nil)
	var res struct {
		Objects []struct {
			Package struct {
				Name, Version string
				Maintainers   []map[string]string
			}
			Score struct{ Final float64 }
		}
		Total int
	}
	json.Unmarshal(b, &res)
	if st != 200 || res.Total != 1 || res.Objects[0].Package.Name != "fast-json" || res.Objects[0].Package.Version != "1.0.0" || res.Objects[0].Package.Maintainers == nil {
		t.Errorf("search: %d %s", st, b)
	}

	if err := r.reg.Service.AddAdvisory(t.Context(), advisory(1001, "fast-json", "<1.0.1")); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"fast-json":["1.0.0"],"slow-xml":["1.0.0"]}`))
	zw.Close()
	st, b = r.do("POST", "-/npm/v1/security/advisories/bulk", "", gz.String(), map[string]string{"Content-Encoding": "gzip"})
	var audit map[string][]map[string]any
	json.Unmarshal(b, &audit)
	if st != 200 || len(audit["fast-json"]) != 1 || audit["fast-json"][0]["vulnerable_versions"] != "<1.0.1" || audit["slow-xml"] != nil {
		t.Errorf("audit: %d %s", st, b)
	}
	st, b = r.do("POST", "-/npm/v1/security/advisories/bulk", "", `{"fast-json":["1.0.1"]}`, nil)
	if st != 200 || string(b) != `{}` {
		t.Errorf("audit of a fixed version: %d %s", st, b)
	}
}

// TestConcurrentPublishes: many versions of one package published at once
// are all kept (the lost-update bug of single-document registries).
func TestConcurrentPublishes(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	testConcurrentPublishes(t, []*testRegistry{r}, tok)
}

func testConcurrentPublishes(t *testing.T, regs []*testRegistry, tok string) {
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := regs[i%len(regs)]
			st, b := r.publish(tok, "racy", fmt.Sprintf("1.0.%d", i), publishOpts{})
			if st != 201 {
				errs <- fmt.Sprintf("1.0.%d: %d %s", i, st, b)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, r := range regs {
		vs := r.packument("racy", false)["versions"].(map[string]any)
		if len(vs) != n {
			t.Errorf("%d versions served, want %d", len(vs), n)
		}
	}
}

func TestPrivateRegistry(t *testing.T) {
	r := startRegistry(t, registry.Config{Private: true})
	tok := r.addUser("alice", "password123")
	r.mustPublish(tok, "secret-lib", "1.0.0")
	for _, p := range []string{"secret-lib", "secret-lib/1.0.0", "secret-lib/-/secret-lib-1.0.0.tgz", "-/v1/search?text=secret", "-/package/secret-lib/dist-tags", "", "-/web/package/secret-lib"} {
		if st, _ := r.do("GET", p, "", "", nil); st != 401 {
			t.Errorf("anonymous GET /%s on a private registry: %d, want 401", p, st)
		}
		if st, b := r.do("GET", p, tok, "", nil); st != 200 {
			t.Errorf("authenticated GET /%s: %d %s", p, st, b)
		}
	}
	if st, _ := r.do("GET", "-/ping", "", "", nil); st != 200 {
		t.Errorf("ping must stay public: %d", st)
	}
}

// TestTeamScopes: a scope an administrator gives to a team lets every
// member publish and manage its packages, and nobody else.
func TestTeamScopes(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	alice := r.addUser("alice", "password123")
	bob := r.addUser("bob", "password123")
	eve := r.addUser("eve", "password123")
	ctx := t.Context()
	if err := r.reg.Service.SetScopeTeam(ctx, "@acme", "core"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"alice", "bob"} {
		if err := r.reg.Service.AddTeamMember(ctx, "core", u); err != nil {
			t.Fatal(err)
		}
	}
	r.mustPublish(alice, "@acme/lib", "1.0.0")
	if st, b := r.publish(bob, "@acme/lib", "1.1.0", publishOpts{}); st != 201 {
		t.Errorf("team member publishing a teammate's package: %d %s", st, b)
	}
	if st, b := r.do("PUT", "-/package/@acme%2flib/dist-tags/stable", bob, `"1.0.0"`, nil); st != 201 {
		t.Errorf("team member tagging: %d %s", st, b)
	}
	if st, _ := r.publish(eve, "@acme/other", "1.0.0", publishOpts{}); st != 403 {
		t.Errorf("non-member creating a package in the team's scope: %d", st)
	}
	if st, _ := r.publish(eve, "@acme/lib", "2.0.0", publishOpts{}); st != 403 {
		t.Errorf("non-member publishing to the team's package: %d", st)
	}
	if err := r.reg.Service.AddTeamMember(ctx, "core", "nobody"); err == nil {
		t.Errorf("adding an unknown user to a team succeeded")
	}
}
