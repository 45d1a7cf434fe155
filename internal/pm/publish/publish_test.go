package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/pkgname"
	"gnode/internal/pm/pack"
)

// recorder is a registry that answers 404 to reads and records PUTs.
type recorder struct {
	mu   sync.Mutex
	puts []map[string]any
	hdrs []http.Header
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == "PUT" {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		rc.mu.Lock()
		rc.puts = append(rc.puts, body)
		rc.hdrs = append(rc.hdrs, r.Header.Clone())
		rc.mu.Unlock()
		w.WriteHeader(201)
		w.Write([]byte(`{"ok":true}`))
		return
	}
	w.WriteHeader(404)
	w.Write([]byte(`{"error":"not found"}`))
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func gunzipB64(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(zr)
	return out
}

// TestPublishBodyMatchesNpm publishes the same folder with npm and with
// Client.Publish to a recording server and compares the PUT bodies.
func TestPublishBodyMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH")
	}
	for _, tc := range []struct {
		name, pkg string
		args      []string
		opts      PublishOptions
	}{
		{"scoped-public", `{"name":"@cap/pkg","version":"1.0.0","description":"d","main":"index.js","bin":"./cli.js","publishConfig":{"access":"public"}}`, nil, PublishOptions{}},
		{"tag-and-readme", `{"name":"cap-pkg","version":"2.0.0-beta.1","license":"MIT","dependencies":{"x":"^1.0.0"}}`, []string{"--tag", "next"}, PublishOptions{Tag: "next"}},
		{"no-readme-restricted", `{"name":"@cap/other","version":"0.1.0","files":["index.js"]}`, []string{"--access", "restricted"}, PublishOptions{Access: "restricted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			dir := t.TempDir()
			for p, c := range map[string]string{"package.json": tc.pkg, "index.js": "module.exports=1\n", "cli.js": "#!/usr/bin/env node\n", "README.md": "# Title\n\ntext\n"} {
				if p == "README.md" && strings.HasPrefix(tc.name, "no-readme") {
					continue
				}
				os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
			}
			home := t.TempDir()
			nerf := "//" + strings.TrimPrefix(srv.URL, "http://") + "/"
			os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+srv.URL+"/\n"+nerf+":_authToken=tok\n"), 0o600)
			cmd := exec.Command("npm", append([]string{"publish", "--loglevel=silent", "--ignore-scripts"}, tc.args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+home, "npm_config_userconfig="+filepath.Join(home, ".npmrc"), "npm_config_cache="+filepath.Join(home, "cache"), "npm_config_update_notifier=false", "npm_config_provenance=false")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("npm publish: %v\n%s", err, out)
			}
			cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Env: []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, Home: home, NoNpmFallback: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := pack.Pack(dir)
			if err != nil {
				t.Fatal(err)
			}
			c := &Client{Config: cfg, Command: "publish"}
			if _, err := c.Publish(context.Background(), res, tc.opts); err != nil {
				t.Fatal(err)
			}
			if len(rec.puts) != 2 {
				t.Fatalf("%d PUTs recorded", len(rec.puts))
			}
			npmB, gnB := rec.puts[0], rec.puts[1]
			if a, b := strings.Join(keys(npmB), ","), strings.Join(keys(gnB), ","); a != b {
				t.Errorf("top-level keys: npm %s, gnode %s", a, b)
			}
			for _, k := range []string{"_id", "name", "description", "dist-tags", "access"} {
				a, _ := json.Marshal(npmB[k])
				b, _ := json.Marshal(gnB[k])
				if string(a) != string(b) {
					t.Errorf("%s: npm %s, gnode %s", k, a, b)
				}
			}
			nv := npmB["versions"].(map[string]any)
			gv := gnB["versions"].(map[string]any)
			if strings.Join(keys(nv), ",") != strings.Join(keys(gv), ",") {
				t.Fatalf("versions: npm %v gnode %v", keys(nv), keys(gv))
			}
			for v := range nv {
				a, b := nv[v].(map[string]any), gv[v].(map[string]any)
				// npm adds its own identity and git/engine facts gnode does
				// not claim; everything else must agree.
				for _, k := range []string{"_npmVersion", "_nodeVersion", "gitHead"} {
					delete(a, k)
					delete(b, k)
				}
				ad, bd := a["dist"].(map[string]any), b["dist"].(map[string]any)
				if ad["tarball"] != bd["tarball"] {
					t.Errorf("dist.tarball: npm %v gnode %v", ad["tarball"], bd["tarball"])
				}
				if strings.Join(keys(ad), ",") != strings.Join(keys(bd), ",") {
					t.Errorf("dist keys: npm %v gnode %v", keys(ad), keys(bd))
				}
				delete(a, "dist")
				delete(b, "dist")
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if string(ja) != string(jb) {
					t.Errorf("version document differs\nnpm:   %s\ngnode: %s", ja, jb)
				}
			}
			na := npmB["_attachments"].(map[string]any)
			ga := gnB["_attachments"].(map[string]any)
			if strings.Join(keys(na), ",") != strings.Join(keys(ga), ",") {
				t.Fatalf("attachments: npm %v gnode %v", keys(na), keys(ga))
			}
			for k := range na {
				x, y := na[k].(map[string]any), ga[k].(map[string]any)
				if x["content_type"] != y["content_type"] {
					t.Errorf("content_type %v vs %v", x["content_type"], y["content_type"])
				}
				if !bytes.Equal(gunzipB64(t, x["data"].(string)), gunzipB64(t, y["data"].(string))) {
					t.Errorf("attached tarballs differ once uncompressed")
				}
				raw, _ := base64.StdEncoding.DecodeString(y["data"].(string))
				if int(y["length"].(float64)) != len(raw) {
					t.Errorf("length %v, data %d bytes", y["length"], len(raw))
				}
			}
			if h := rec.hdrs[1]; h.Get("Authorization") != "Bearer tok" || h.Get("npm-command") != "publish" {
				t.Errorf("headers: %v", h)
			}
		})
	}
}

func TestSaveToken(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".npmrc")
	os.WriteFile(p, []byte("registry=http://x/\n//x/:_authToken=old\ncolor=false\n"), 0o644)
	if err := SaveToken(p, "//x/:_authToken", "new"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "registry=http://x/\n//x/:_authToken=new\ncolor=false\n" {
		t.Errorf("after save: %q", b)
	}
	SaveToken(p, "//y/:_authToken", "t2")
	SaveToken(p, "//x/:_authToken", "")
	b, _ = os.ReadFile(p)
	if string(b) != "registry=http://x/\ncolor=false\n//y/:_authToken=t2\n" {
		t.Errorf("after remove: %q", b)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
}

func TestHTTPErrorMessage(t *testing.T) {
	e := &HTTPError{Method: "PUT", URL: "http://r/pkg", Status: 409, Body: `{"error":"this package is already present"}`}
	if e.Error() != "409 Conflict - PUT http://r/pkg - this package is already present" {
		t.Errorf("%s", e.Error())
	}
	if pkgname.Escape("@a/b") != "@a%2fb" || pkgname.Escape("b") != "b" {
		t.Errorf("pkgname.Escape")
	}
}

func TestOTPRetry(t *testing.T) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("npm-otp"))
		if r.Header.Get("npm-otp") != "123456" {
			w.Header().Set("WWW-Authenticate", "OTP")
			w.WriteHeader(401)
			w.Write([]byte(`{"error":"otp required"}`))
			return
		}
		w.WriteHeader(201)
	}))
	defer srv.Close()
	home := t.TempDir()
	nerf := "//" + strings.TrimPrefix(srv.URL, "http://") + "/"
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+srv.URL+"/\n"+nerf+":_authToken=tok\n"), 0o600)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: home, Env: []string{"HOME=" + home}, Home: home, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{Config: cfg}
	err = c.DistTagAdd(context.Background(), "p", "1.0.0", "beta")
	var he *HTTPError
	if !errors.As(err, &he) || !he.OTPRequired || !strings.Contains(he.Hint(), "--otp") {
		t.Fatalf("without a code: %v", err)
	}
	c.AskOTP = func() (string, error) { return "123456", nil }
	if err := c.DistTagAdd(context.Background(), "p", "1.0.0", "beta"); err != nil {
		t.Fatalf("with a code: %v", err)
	}
	if strings.Join(seen, ",") != ",,123456" {
		t.Errorf("npm-otp headers sent: %q", seen)
	}
}

// TestPublishTarballMatchesNpm: `npm publish x.tgz` and Publish of
// pack.FromTarball send the same document and the very same bytes.
func TestPublishTarballMatchesNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH")
	}
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"tgz-pkg","version":"3.1.0","main":"index.js"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "index.js"), []byte("1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Readme.markdown"), []byte("tarball readme\n"), 0o644)
	home := t.TempDir()
	nerf := "//" + strings.TrimPrefix(srv.URL, "http://") + "/"
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+srv.URL+"/\n"+nerf+":_authToken=tok\n"), 0o600)
	env := append(os.Environ(), "HOME="+home, "npm_config_userconfig="+filepath.Join(home, ".npmrc"), "npm_config_cache="+filepath.Join(home, "cache"), "npm_config_update_notifier=false", "npm_config_provenance=false")
	out := t.TempDir()
	cmd := exec.Command("npm", "pack", "--loglevel=silent", "--pack-destination", out)
	cmd.Dir, cmd.Env = dir, env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm pack: %v %s", err, b)
	}
	tgzPath := filepath.Join(out, "tgz-pkg-3.1.0.tgz")
	cmd = exec.Command("npm", "publish", "--loglevel=silent", "--ignore-scripts", tgzPath)
	cmd.Dir, cmd.Env = out, env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm publish: %v %s", err, b)
	}
	tgz, _ := os.ReadFile(tgzPath)
	res, err := pack.FromTarball(tgz, tgzPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := npmrc.Load(npmrc.LoadOptions{Cwd: out, Env: []string{"HOME=" + home}, Home: home, NoNpmFallback: true})
	if _, err := (&Client{Config: cfg}).Publish(context.Background(), res, PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.puts) != 2 {
		t.Fatalf("%d PUTs", len(rec.puts))
	}
	a, b := rec.puts[0], rec.puts[1]
	if x, y := a["_attachments"].(map[string]any)["tgz-pkg-3.1.0.tgz"].(map[string]any)["data"], b["_attachments"].(map[string]any)["tgz-pkg-3.1.0.tgz"].(map[string]any)["data"]; x != y {
		t.Errorf("attachment bytes differ")
	}
	av := a["versions"].(map[string]any)["3.1.0"].(map[string]any)
	bv := b["versions"].(map[string]any)["3.1.0"].(map[string]any)
	for _, k := range []string{"readme", "readmeFilename", "description", "_id", "main", "dist"} {
		x, _ := json.Marshal(av[k])
		y, _ := json.Marshal(bv[k])
		if string(x) != string(y) {
			t.Errorf("%s: npm %s, gnode %s", k, x, y)
		}
	}
}
