package registry_test

import (
	"context"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"gnode/internal/registry"
	"gnode/internal/testutil/gnoderegistry"
)

// testRegistry is a registry served over a real socket on 127.0.0.1.
type testRegistry struct {
	t   *testing.T
	reg *registry.Registry
	srv *httptest.Server
	URL string // ends in '/'
}

func startRegistry(t *testing.T, cfg registry.Config) *testRegistry {
	t.Helper()
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	reg, err := registry.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open registry: %v", err)
	}
	srv := httptest.NewServer(reg.Handler)
	t.Cleanup(func() {
		srv.Close()
		reg.Close()
	})
	return &testRegistry{t: t, reg: reg, srv: srv, URL: srv.URL + "/"}
}

// addUser creates an account and logs it in through npm's couch endpoint,
// returning the token.
func (r *testRegistry) addUser(name, password string) string {
	r.t.Helper()
	if err := r.reg.Service.AddUser(context.Background(), name, password, name+"@example.com"); err != nil {
		r.t.Fatalf("add user: %v", err)
	}
	body := fmt.Sprintf(`{"_id":"org.couchdb.user:%s","name":%q,"password":%q,"type":"user","roles":[]}`, name, name, password)
	status, resp := r.do("PUT", "-/user/org.couchdb.user:"+name, "", body, nil)
	if status != 201 {
		r.t.Fatalf("login %s: %d %s", name, status, resp)
	}
	var out struct{ Token string }
	json.Unmarshal(resp, &out)
	if out.Token == "" {
		r.t.Fatalf("login gave no token: %s", resp)
	}
	return out.Token
}

func (r *testRegistry) do(method, path, token, body string, hdr map[string]string) (int, []byte) {
	r.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, r.URL+path, rd)
	if err != nil {
		r.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// makeTarball builds an npm package tarball with the given files (paths
// relative to package/).
func makeTarball(_ testing.TB, files map[string]string) []byte {
	return gnoderegistry.Tarball(files)
}

type publishOpts struct {
	tag          string
	integrity    string // override
	shasum       string
	length       int
	manifestName string
	tarName      string
	tarVersion   string
	scripts      map[string]string
	deps         map[string]string
}

// publishDoc builds the PUT body npm sends for name@version.
func publishDoc(t testing.TB, name, version string, o publishOpts) string {
	t.Helper()
	tarName, tarVersion := name, version
	if o.tarName != "" {
		tarName = o.tarName
	}
	if o.tarVersion != "" {
		tarVersion = o.tarVersion
	}
	pj := map[string]any{"name": tarName, "version": tarVersion, "description": "the " + name + " package"}
	if o.scripts != nil {
		pj["scripts"] = o.scripts
	}
	if o.deps != nil {
		pj["dependencies"] = o.deps
	}
	pjb, _ := json.Marshal(pj)
	tgz := makeTarball(t, map[string]string{"package.json": string(pjb), "index.js": "module.exports = " + fmt.Sprintf("%q", name+"@"+version) + "\n"})
	s5 := sha512.Sum512(tgz)
	s1 := sha1.Sum(tgz)
	integrity := "sha512-" + base64.StdEncoding.EncodeToString(s5[:])
	shasum := hex.EncodeToString(s1[:])
	if o.integrity != "" {
		integrity = o.integrity
	}
	if o.shasum != "" {
		shasum = o.shasum
	}
	length := len(tgz)
	if o.length != 0 {
		length = o.length
	}
	mname := name
	if o.manifestName != "" {
		mname = o.manifestName
	}
	tag := o.tag
	if tag == "" {
		tag = "latest"
	}
	vobj := map[string]any{"name": mname, "version": version, "description": "the " + name + " package", "_id": name + "@" + version,
		"dist": map[string]any{"integrity": integrity, "shasum": shasum, "tarball": "http://example.invalid/" + name + "/-/x.tgz"}}
	if o.scripts != nil {
		vobj["scripts"] = o.scripts
	}
	if o.deps != nil {
		vobj["dependencies"] = o.deps
	}
	base := name[strings.LastIndexByte(name, '/')+1:]
	doc := map[string]any{
		"_id": name, "name": name, "dist-tags": map[string]string{tag: version},
		"versions":     map[string]any{version: vobj},
		"access":       nil,
		"_attachments": map[string]any{base + "-" + version + ".tgz": map[string]any{"content_type": "application/octet-stream", "data": base64.StdEncoding.EncodeToString(tgz), "length": length}},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func escName(name string) string { return strings.Replace(name, "/", "%2f", 1) }

func (r *testRegistry) publish(token, name, version string, o publishOpts) (int, string) {
	r.t.Helper()
	st, b := r.do("PUT", escName(name), token, publishDoc(r.t, name, version, o), nil)
	return st, string(b)
}

func (r *testRegistry) mustPublish(token, name, version string) {
	r.t.Helper()
	if st, b := r.publish(token, name, version, publishOpts{}); st != 201 {
		r.t.Fatalf("publish %s@%s: %d %s", name, version, st, b)
	}
}

func (r *testRegistry) packument(name string, abbreviated bool) map[string]any {
	r.t.Helper()
	hdr := map[string]string{"Accept": "application/json"}
	if abbreviated {
		hdr["Accept"] = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"
	}
	st, b := r.do("GET", escName(name), "", "", hdr)
	if st != 200 {
		r.t.Fatalf("GET %s: %d %s", name, st, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		r.t.Fatalf("GET %s: %v", name, err)
	}
	return m
}

func haveTool(t *testing.T, name string) {
	t.Helper()
	if os.Getenv("GNODE_SKIP_"+strings.ToUpper(name)) != "" {
		t.Skipf("%s disabled by GNODE_SKIP_%s", name, strings.ToUpper(name))
	}
}
