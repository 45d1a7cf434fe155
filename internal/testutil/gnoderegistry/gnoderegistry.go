// Package gnoderegistry starts gnode's own npm registry on 127.0.0.1 for
// tests and publishes fixture packages through its real publish API, so
// install, audit and trust tests run against the registry users run.
package gnoderegistry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
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
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/registry"
)

// Registry is a running gnode registry.
type Registry struct {
	T   testing.TB
	Reg *registry.Registry
	Srv *httptest.Server
	// URL ends in '/'.
	URL string
	// Token is the publishing user's token ("fixtures").
	Token string

	mu sync.Mutex
	at time.Time // publish time of the next publishes (zero: DefaultAge ago)
}

// DefaultAge is how old fixture versions are unless PublishAt says
// otherwise: older than any default release-age policy, so installs in
// tests that do not care about the cooling-off period see every version.
const DefaultAge = 30 * 24 * time.Hour

// now is the registry's clock for publish times.
func (r *Registry) now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.at.IsZero() {
		return time.Now().Add(-DefaultAge)
	}
	return r.at
}

// PublishAt publishes p recorded as published at the given time.
func (r *Registry) PublishAt(p Pkg, at time.Time, token ...string) {
	r.T.Helper()
	r.mu.Lock()
	r.at = at
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.at = time.Time{}
		r.mu.Unlock()
	}()
	r.Publish(p, token...)
}

// Start runs a registry in a temp folder with a user "fixtures" logged in.
func Start(t testing.TB) *Registry {
	t.Helper()
	r := &Registry{T: t}
	reg, err := registry.Open(context.Background(), registry.Config{Data: t.TempDir(), Now: r.now})
	if err != nil {
		t.Fatalf("open registry: %v", err)
	}
	srv := httptest.NewServer(reg.Handler)
	t.Cleanup(func() {
		srv.Close()
		reg.Close()
	})
	r.Reg, r.Srv, r.URL = reg, srv, srv.URL+"/"
	r.Token = r.Login("fixtures", "fixtures-password")
	return r
}

// Login creates the user (if needed) and returns a token.
func (r *Registry) Login(name, password string) string {
	r.T.Helper()
	r.Reg.Service.AddUser(context.Background(), name, password, name+"@example.com")
	body := fmt.Sprintf(`{"name":%q,"password":%q}`, name, password)
	st, b := r.Do("PUT", "-/user/org.couchdb.user:"+name, "", []byte(body))
	var out struct{ Token string }
	json.Unmarshal(b, &out)
	if st != 201 || out.Token == "" {
		r.T.Fatalf("login %s: %d %s", name, st, b)
	}
	return out.Token
}

// Do sends a request and returns status and body.
func (r *Registry) Do(method, path, token string, body []byte) (int, []byte) {
	r.T.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, r.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// Pkg is a fixture package.
type Pkg struct {
	Name, Version string
	Deps          map[string]string
	Optional      map[string]string
	Peer          map[string]string
	Scripts       map[string]string
	Bin           map[string]string
	Files         map[string]string // extra files (path under package/ → content)
	Tag           string
	// Extra fields merged into package.json.
	Extra map[string]any
}

// Publish publishes p with the fixtures user (or token when given).
func (r *Registry) Publish(p Pkg, token ...string) {
	r.T.Helper()
	tok := r.Token
	if len(token) > 0 {
		tok = token[0]
	}
	pj := map[string]any{"name": p.Name, "version": p.Version, "main": "index.js"}
	for k, v := range map[string]any{"dependencies": p.Deps, "optionalDependencies": p.Optional, "peerDependencies": p.Peer, "scripts": p.Scripts, "bin": p.Bin} {
		if m, ok := v.(map[string]string); ok && len(m) > 0 {
			pj[k] = m
		}
	}
	for k, v := range p.Extra {
		pj[k] = v
	}
	pjb, _ := json.MarshalIndent(pj, "", "  ")
	files := map[string]string{"package.json": string(pjb), "index.js": fmt.Sprintf("module.exports = %q;\n", p.Name+"@"+p.Version)}
	for k, v := range p.Files {
		files[k] = v
	}
	tgz := Tarball(files)
	s5 := sha512.Sum512(tgz)
	s1 := sha1.Sum(tgz)
	tag := p.Tag
	if tag == "" {
		tag = "latest"
	}
	v := map[string]any{}
	for k, val := range pj {
		v[k] = val
	}
	v["_id"] = p.Name + "@" + p.Version
	v["dist"] = map[string]any{"integrity": "sha512-" + base64.StdEncoding.EncodeToString(s5[:]), "shasum": hex.EncodeToString(s1[:])}
	base := p.Name[strings.LastIndexByte(p.Name, '/')+1:]
	doc, _ := json.Marshal(map[string]any{
		"_id": p.Name, "name": p.Name, "dist-tags": map[string]string{tag: p.Version},
		"versions":     map[string]any{p.Version: v},
		"_attachments": map[string]any{base + "-" + p.Version + ".tgz": map[string]any{"content_type": "application/octet-stream", "data": base64.StdEncoding.EncodeToString(tgz), "length": len(tgz)}},
	})
	st, b := r.Do("PUT", strings.Replace(p.Name, "/", "%2f", 1), tok, doc)
	if st != 201 {
		r.T.Fatalf("publish %s@%s: %d %s", p.Name, p.Version, st, b)
	}
}

// Tarball builds an npm package tarball from files under package/.
func Tarball(files map[string]string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		mode := int64(0o644)
		if strings.HasPrefix(n, "bin/") {
			mode = 0o755
		}
		tw.WriteHeader(&tar.Header{Name: "package/" + n, Mode: mode, Size: int64(len(files[n])), ModTime: time.Unix(499162500, 0), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// WriteNpmrc points a project folder at the registry.
func (r *Registry) WriteNpmrc(dir string) {
	r.T.Helper()
	host := strings.TrimPrefix(r.URL, "http:")
	if err := os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+r.URL+"\n"+host+":_authToken="+r.Token+"\n"), 0o644); err != nil {
		r.T.Fatal(err)
	}
}
