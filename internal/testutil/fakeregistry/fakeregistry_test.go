package fakeregistry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/npm/packument"
)

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func untar(t *testing.T, tgz []byte) (map[string]string, map[string]int64) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	files, modes := map[string]string{}, map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name], modes[h.Name] = string(b), h.Mode
	}
	return files, modes
}

func TestTarballAndIntegrity(t *testing.T) {
	r := New(t)
	pub := r.Add(Pkg{
		Name: "@s/tool", Version: "1.2.3",
		Deps:  map[string]string{"dep": "^1.0.0"},
		Bin:   map[string]string{"tool": "bin/tool.js"},
		Files: map[string]string{"index.js": "module.exports = 42\n"},
	})
	if !strings.HasSuffix(pub.TarballURL, "/@s/tool/-/tool-1.2.3.tgz") || !strings.HasPrefix(pub.TarballURL, r.URL()) {
		t.Errorf("tarball URL %s", pub.TarballURL)
	}
	resp, body := get(t, pub.TarballURL, nil)
	if resp.StatusCode != 200 || !bytes.Equal(body, pub.Tarball) {
		t.Fatalf("tarball status %d, %d bytes", resp.StatusCode, len(body))
	}
	sum := sha512.Sum512(body)
	if pub.Integrity != "sha512-"+base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("integrity %s does not match the served bytes", pub.Integrity)
	}
	files, modes := untar(t, body)
	if files["package/index.js"] != "module.exports = 42\n" {
		t.Errorf("files: %v", files)
	}
	if modes["package/bin/tool.js"] != 0o755 || modes["package/index.js"] != 0o644 {
		t.Errorf("modes: %v", modes)
	}
	m, err := packument.DecodeManifest([]byte(files["package/package.json"]))
	if err != nil || m.Name != "@s/tool" || m.Version != "1.2.3" || m.Dependencies["dep"] != "^1.0.0" || m.Bin["tool"] != "bin/tool.js" {
		t.Errorf("package.json %+v %v", m, err)
	}
	r.CorruptTarball("@s/tool", "1.2.3", true)
	_, bad := get(t, pub.TarballURL, nil)
	if bytes.Equal(bad, pub.Tarball) || len(bad) != len(pub.Tarball) {
		t.Errorf("corrupted tarball is unchanged")
	}
}

func TestPackuments(t *testing.T) {
	r := New(t)
	r.Add(Pkg{Name: "a", Version: "1.0.0", Scripts: map[string]string{"install": "node-gyp rebuild", "test": "x"}})
	r.Add(Pkg{Name: "a", Version: "1.10.0", Deprecated: "use b"})
	r.Add(Pkg{Name: "a", Version: "2.0.0-rc.1", OS: []string{"linux"}})
	when := time.Date(2024, 2, 27, 16, 27, 13, 411000000, time.UTC)
	r.SetTime("a", "1.0.0", when)

	resp, body := get(t, r.URL()+"a", nil)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Fatalf("full: %d %v", resp.StatusCode, resp.Header)
	}
	p, err := packument.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if p.DistTags["latest"] != "1.10.0" {
		t.Errorf("latest = %s, want the highest non-prerelease", p.DistTags["latest"])
	}
	if got, _ := p.PublishTime("1.0.0"); !got.Equal(when) {
		t.Errorf("time = %v", p.Time["1.0.0"])
	}
	if p.Time["created"] == "" || p.Time["modified"] == "" {
		t.Errorf("time lacks created/modified: %v", p.Time)
	}
	if p.Versions["1.10.0"].Deprecated != "use b" || p.Versions["1.0.0"].Scripts["test"] != "x" {
		t.Errorf("full versions wrong")
	}

	// abbreviated
	resp, body = get(t, r.URL()+"a", map[string]string{"Accept": "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"})
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.npm.install-v1+json" {
		t.Errorf("content-type %q", ct)
	}
	var raw map[string]json.RawMessage
	json.Unmarshal(body, &raw)
	if raw["time"] != nil || raw["modified"] == nil {
		t.Errorf("abbreviated top level: %s", body)
	}
	p, _ = packument.Decode(body)
	if !p.Versions["1.0.0"].HasInstallScript || p.Versions["1.0.0"].Scripts != nil || p.Versions["2.0.0-rc.1"].OS[0] != "linux" {
		t.Errorf("abbreviated versions wrong: %+v", p.Versions["1.0.0"])
	}

	// tags, 304, gzip
	r.SetTag("a", "latest", "2.0.0-rc.1")
	r.SetTag("a", "beta", "1.0.0")
	resp, body = get(t, r.URL()+"a", map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped")
	}
	zr, _ := gzip.NewReader(bytes.NewReader(body))
	plain, _ := io.ReadAll(zr)
	p, _ = packument.Decode(plain)
	if p.DistTags["latest"] != "2.0.0-rc.1" || p.DistTags["beta"] != "1.0.0" {
		t.Errorf("tags %v", p.DistTags)
	}
	etag := resp.Header.Get("ETag")
	resp, _ = get(t, r.URL()+"a", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != 304 {
		t.Errorf("If-None-Match: %d", resp.StatusCode)
	}
	r.Add(Pkg{Name: "a", Version: "3.0.0"})
	resp, _ = get(t, r.URL()+"a", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != 200 {
		t.Errorf("changed document answered %d to an old ETag", resp.StatusCode)
	}

	// version and tag documents
	_, body = get(t, r.URL()+"a/beta", nil)
	if m, _ := packument.DecodeManifest(body); m.Version != "1.0.0" {
		t.Errorf("a/beta = %s", body)
	}
	if resp, _ := get(t, r.URL()+"a/9.9.9", nil); resp.StatusCode != 404 {
		t.Errorf("unknown version: %d", resp.StatusCode)
	}
	if resp, _ := get(t, r.URL()+"nope", nil); resp.StatusCode != 404 {
		t.Errorf("unknown package: %d", resp.StatusCode)
	}
}

func TestScopedRoutesAndTimeLayout(t *testing.T) {
	r := New(t)
	r.SetTimeLayout("2006-01-02T15:04:05.000000-07:00")
	r.Add(Pkg{Name: "@scope/x", Version: "1.0.0"})
	for _, path := range []string{"@scope%2fx", "@scope%2Fx", "@scope/x"} {
		resp, body := get(t, r.URL()+path, nil)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
			continue
		}
		p, _ := packument.Decode(body)
		if !strings.HasSuffix(p.Time["1.0.0"], "+00:00") {
			t.Errorf("time layout not applied: %q", p.Time["1.0.0"])
		}
		if _, ok := p.PublishTime("1.0.0"); !ok {
			t.Errorf("unparsable time %q", p.Time["1.0.0"])
		}
	}
	if n := r.Count("packument", "@scope/x"); n != 3 {
		t.Errorf("Count = %d", n)
	}
}

func TestAuthAndFaults(t *testing.T) {
	r := New(t)
	r.Add(Pkg{Name: "a", Version: "1.0.0"})
	r.RequireToken("tok")
	if !strings.Contains(r.Npmrc(), "//"+r.Host()+"/:_authToken=tok") {
		t.Errorf("Npmrc lacks the token: %s", r.Npmrc())
	}
	if resp, _ := get(t, r.URL()+"a", nil); resp.StatusCode != 401 {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	if resp, _ := get(t, r.URL()+"a", map[string]string{"Authorization": "Bearer tok"}); resp.StatusCode != 200 {
		t.Errorf("token: %d", resp.StatusCode)
	}
	r.RequireBasic("u", "p")
	if resp, _ := get(t, r.URL()+"a", map[string]string{"Authorization": "Basic dTpw"}); resp.StatusCode != 200 {
		t.Errorf("basic: %d", resp.StatusCode)
	}
	r.RequireToken("")
	r.FailNext(2, 503)
	for i, want := range []int{503, 503, 200} {
		if resp, _ := get(t, r.URL()+"a", nil); resp.StatusCode != want {
			t.Errorf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	r.HangUpNext(1)
	req, _ := http.NewRequest("GET", r.URL()+"a", nil)
	if _, err := (&http.Transport{}).RoundTrip(req); err == nil {
		t.Errorf("hang-up produced an answer")
	}
	r.TruncateNext(1)
	resp, err := http.Get(r.TarballURL("a", "1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Errorf("truncated answer read without error")
	}
	resp.Body.Close()
	log := r.Requests()
	if last := log[len(log)-1]; !last.Truncated || last.Kind != "tarball" {
		t.Errorf("truncation not logged: %+v", last)
	}
	log = log[:len(log)-1]
	if len(log) != 7 || log[len(log)-1].Status != -1 || log[0].Kind != "packument" || log[0].Name != "a" {
		t.Errorf("log: %d entries, last %+v", len(log), log[len(log)-1])
	}
}

// TestNpmInstallsFromIt checks that the real npm accepts the registry's
// documents and tarballs (integrity included).
func TestNpmInstallsFromIt(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not installed: skipping the npm compatibility check")
	}
	if testing.Short() {
		t.Skip("slow: runs npm")
	}
	r := New(t)
	r.Add(Pkg{Name: "dep", Version: "1.0.0", Files: map[string]string{"index.js": "module.exports = 'dep1'"}})
	r.Add(Pkg{Name: "dep", Version: "1.1.0", Files: map[string]string{"index.js": "module.exports = 'dep11'"}})
	r.Add(Pkg{Name: "@s/app", Version: "2.0.0", Deps: map[string]string{"dep": "^1.0.0"}, Bin: map[string]string{"app": "cli.js"}})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"p","version":"1.0.0"}`), 0o644)
	r.WriteNpmrc(dir)
	cmd := exec.Command(npm, "install", "@s/app", "--no-audit", "--no-fund", "--cache", filepath.Join(dir, ".npm-cache"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "npm_config_update_notifier=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "dep", "index.js"))
	if err != nil || string(b) != "module.exports = 'dep11'" {
		t.Errorf("dep not installed at 1.1.0: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "app")); err != nil {
		t.Errorf("bin not linked: %v", err)
	}
	if r.Count("tarball", "") != 2 {
		t.Errorf("%d tarball requests", r.Count("tarball", ""))
	}
}
