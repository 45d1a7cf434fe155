package npmrc

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// world is a temporary machine: a home, a project, a global prefix.
type world struct {
	root, home, proj, prefix string
	env                      []string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	root := t.TempDir()
	w := &world{root: root, home: filepath.Join(root, "home"), proj: filepath.Join(root, "proj"), prefix: filepath.Join(root, "prefix")}
	for _, d := range []string{w.home, filepath.Join(w.proj, "sub", "dir"), filepath.Join(w.prefix, "etc")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.write(t, "proj/package.json", "{}")
	w.env = []string{"HOME=" + w.home, "PREFIX=" + w.prefix, "PATH=" + filepath.Join(root, "nobin")}
	return w
}

func (w *world) write(t *testing.T, rel, body string) {
	t.Helper()
	p := filepath.Join(w.root, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (w *world) load(t *testing.T, cwd string, flags map[string]string, env ...string) *Config {
	t.Helper()
	c, err := Load(LoadOptions{Cwd: filepath.Join(w.root, cwd), Env: append(append([]string(nil), w.env...), env...), Flags: flags, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPrecedence(t *testing.T) {
	w := newWorld(t)
	w.write(t, "prefix/etc/npmrc", "registry=http://global/\na=global\nb=global\nc=global\nd=global\n")
	w.write(t, "home/.npmrc", "registry=http://user/\na=user\nb=user\nc=user\n")
	w.write(t, "proj/.npmrc", "registry=http://project/\na=project\nb=project\n")
	c := w.load(t, "proj/sub/dir", map[string]string{"a": "cli"}, "npm_config_b=env", "NPM_CONFIG_REGISTRY=http://env/")
	for key, want := range map[string]string{"a": "cli", "b": "env", "c": "user", "d": "global", "registry": "http://env/", "fetch-retries": "2"} {
		if got := c.Get(key); got != want {
			t.Errorf("Get(%q) = %q, want %q", key, got, want)
		}
	}
	if _, where, _ := c.Lookup("c"); where != WhereUser {
		t.Errorf("c from %s, want user", where)
	}
	if c.ProjectDir() != w.proj {
		t.Errorf("ProjectDir = %s, want %s", c.ProjectDir(), w.proj)
	}
	// without the env var the project wins
	c = w.load(t, "proj/sub/dir", nil)
	if r, err := c.Registry(); err != nil || r != "http://project/" {
		t.Errorf("Registry = %q, %v; want project's", r, err)
	}
	// outside the project: user
	c = w.load(t, "home", nil)
	if r, _ := c.Registry(); r != "http://user/" {
		t.Errorf("Registry from home = %q, want user's", r)
	}
}

func TestEnvKeys(t *testing.T) {
	w := newWorld(t)
	c := w.load(t, "proj", nil,
		"NPM_CONFIG_FETCH_RETRIES=5", "npm_config_Strict_SSL=false", "npm_config__auth=abc",
		"npm_config_//h/:_authToken=tok", "npm_config_empty=", "npm_config_ignore_scripts=true")
	tests := map[string]string{"fetch-retries": "5", "strict-ssl": "false", "_auth": "abc", "//h/:_authToken": "tok", "ignore-scripts": "true"}
	for k, want := range tests {
		if got := c.Get(k); got != want {
			t.Errorf("Get(%q) = %q, want %q", k, got, want)
		}
	}
	if _, _, ok := c.Lookup("empty"); ok {
		t.Errorf("an empty npm_config_ variable must be ignored")
	}
	if !c.GetBool("ignore-scripts") || c.GetBool("strict-ssl") {
		t.Errorf("GetBool wrong")
	}
	if c.GetInt("fetch-retries", 0) != 5 || c.GetInt("maxsockets", 0) != 15 {
		t.Errorf("GetInt wrong")
	}
}

func TestExpansionAndPaths(t *testing.T) {
	w := newWorld(t)
	w.write(t, "proj/.npmrc", "@${SCOPE}:registry=http://${HOSTNAME_X}/\ntok=${TOKEN}\nmissing=${NOPE}\nopt=${NOPE?}\ncafile=~/ca.pem\ncache=rel/cache\n")
	c := w.load(t, "proj", nil, "SCOPE=acme", "HOSTNAME_X=reg.test", "TOKEN=s3cret")
	if got := c.Get("@acme:registry"); got != "http://reg.test/" {
		t.Errorf("scoped registry = %q", got)
	}
	if got := c.Get("tok"); got != "s3cret" {
		t.Errorf("tok = %q", got)
	}
	if got := c.Get("missing"); got != "${NOPE}" {
		t.Errorf("missing = %q", got)
	}
	if got, _, ok := c.Lookup("opt"); !ok || got != "" {
		t.Errorf("opt = %q, %v", got, ok)
	}
	if got := c.Get("cafile"); got != filepath.Join(w.home, "ca.pem") {
		t.Errorf("cafile = %q", got)
	}
	if got := c.Get("cache"); got != filepath.Join(w.proj, "rel", "cache") {
		t.Errorf("cache = %q", got)
	}
}

func TestConfigLocations(t *testing.T) {
	w := newWorld(t)
	w.write(t, "other/userrc", "x=moved-user\n")
	w.write(t, "proj/.npmrc", "userconfig="+filepath.Join(w.root, "other/userrc")+"\n")
	w.write(t, "p2/etc/npmrc", "y=prefix-global\n")
	c := w.load(t, "proj", nil, "npm_config_prefix="+filepath.Join(w.root, "p2"))
	if c.Get("x") != "moved-user" {
		t.Errorf("userconfig set in the project was not followed: x=%q", c.Get("x"))
	}
	if c.Get("y") != "prefix-global" {
		t.Errorf("globalconfig under npm_config_prefix not read: y=%q (files %v)", c.Get("y"), c.Files())
	}
	// NPM_CONFIG_GLOBALCONFIG wins over the prefix
	w.write(t, "g/npmrc", "y=explicit\n")
	c = w.load(t, "proj", nil, "NPM_CONFIG_GLOBALCONFIG="+filepath.Join(w.root, "g/npmrc"))
	if c.Get("y") != "explicit" {
		t.Errorf("y=%q", c.Get("y"))
	}
	// the project .npmrc is not read twice when it is the user config
	w2 := newWorld(t)
	w2.write(t, "home/package.json", "{}")
	w2.write(t, "home/.npmrc", "z=1\n")
	c = w2.load(t, "home", nil)
	if _, where, _ := c.Lookup("z"); where != WhereUser {
		t.Errorf("z from %s, want user", where)
	}
}

func TestBuiltinConfig(t *testing.T) {
	w := newWorld(t)
	// a fake npm installation: <prefix>/lib/node_modules/npm with bin/npm-cli.js
	pkg := filepath.Join(w.root, "inst", "lib", "node_modules", "npm")
	w.write(t, "inst/lib/node_modules/npm/package.json", `{"name":"npm"}`)
	w.write(t, "inst/lib/node_modules/npm/npmrc", "registry=http://builtin/\nb=builtin\n")
	w.write(t, "inst/lib/node_modules/npm/bin/npm-cli.js", "")
	os.Chmod(filepath.Join(pkg, "bin", "npm-cli.js"), 0o755)
	os.MkdirAll(filepath.Join(w.root, "inst", "bin"), 0o755)
	if err := os.Symlink("../lib/node_modules/npm/bin/npm-cli.js", filepath.Join(w.root, "inst", "bin", "npm")); err != nil {
		t.Fatal(err)
	}
	w.write(t, "inst/etc/npmrc", "b=global\n")
	c, err := Load(LoadOptions{Cwd: w.proj, Home: w.home, Env: []string{"PATH=" + filepath.Join(w.root, "inst", "bin")}, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.Registry(); err != nil || r != "http://builtin/" {
		t.Errorf("Registry = %q, %v; want the builtin config's", r, err)
	}
	if c.Get("b") != "global" {
		t.Errorf("global (from the npm install's prefix) must beat builtin: b=%q, files %v", c.Get("b"), c.Files())
	}
}

func TestNoRegistry(t *testing.T) {
	w := newWorld(t)
	c := w.load(t, "proj", nil)
	_, err := c.Registry()
	var nr *NoRegistryError
	if !errors.As(err, &nr) {
		t.Fatalf("err = %v, want *NoRegistryError", err)
	}
	for _, want := range []string{"npm config set registry <url>", "registry=<url>", "npm_config_registry"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	c = w.load(t, "proj", map[string]string{"registry": "ftp://x"})
	var inv *InvalidRegistryError
	if _, err := c.Registry(); !errors.As(err, &inv) {
		t.Errorf("ftp registry: err = %v", err)
	}
}

func TestRegistryFor(t *testing.T) {
	w := newWorld(t)
	w.write(t, "proj/.npmrc", "registry=http://main/x\n@acme:registry=http://acme/\n")
	c := w.load(t, "proj", nil)
	tests := map[string]string{"lodash": "http://main/x/", "@acme/a": "http://acme/", "@other/a": "http://main/x/", "@acme": "http://main/x/"}
	for name, want := range tests {
		if got, err := c.RegistryFor(name); err != nil || got != want {
			t.Errorf("RegistryFor(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestAuthFor(t *testing.T) {
	w := newWorld(t)
	pass := base64.StdEncoding.EncodeToString([]byte("p@ss"))
	w.write(t, "proj/.npmrc", strings.Join([]string{
		"registry=http://reg.test/npm/",
		"//reg.test/npm/:_authToken=tok-npm",
		"//reg.test/:_authToken=tok-host",
		"//other.test:8080/deep/path/:username=bob",
		"//other.test:8080/deep/path/:_password=" + pass,
		"//basic.test/:_auth=" + base64.StdEncoding.EncodeToString([]byte("u:p")),
		"@acme:registry=http://acme.test/r/",
		"//acme.test/r/:_authToken=tok-acme",
	}, "\n"))
	c := w.load(t, "proj", nil)
	tests := []struct {
		url, header, key string
	}{
		{"http://reg.test/npm/lodash", "Bearer tok-npm", "//reg.test/npm/"},
		{"http://reg.test/npm/lodash/-/lodash-1.0.0.tgz", "Bearer tok-npm", "//reg.test/npm/"},
		{"http://reg.test/other/x", "Bearer tok-host", "//reg.test/"},
		{"https://reg.test/npm/x", "Bearer tok-npm", "//reg.test/npm/"}, // npm ignores the scheme
		{"http://other.test:8080/deep/path/pkg", "Basic " + base64.StdEncoding.EncodeToString([]byte("bob:p@ss")), "//other.test:8080/deep/path/"},
		{"http://other.test:8080/deep/pkg", "", ""},
		{"http://other.test/deep/path/pkg", "", ""}, // port matters
		{"http://basic.test/a/b", "Basic " + base64.StdEncoding.EncodeToString([]byte("u:p")), "//basic.test/"},
		{"http://acme.test/r/@acme%2fa", "Bearer tok-acme", "//acme.test/r/"},
		{"http://acme.test/tarballs/a.tgz", "Bearer tok-acme", "//acme.test/r/"}, // same host as a registry
		{"http://elsewhere.test/x.tgz", "", ""},
	}
	for _, tt := range tests {
		a := c.AuthFor(tt.url)
		if a.Header() != tt.header || a.Key != tt.key {
			t.Errorf("AuthFor(%s) = %q from %q, want %q from %q", tt.url, a.Header(), a.Key, tt.header, tt.key)
		}
	}
	a := c.AuthFor("http://other.test:8080/deep/path/pkg")
	if a.Username != "bob" || a.Password != "p@ss" {
		t.Errorf("decoded basic = %q/%q", a.Username, a.Password)
	}
	if d, _ := NerfDart("https://reg.test:8443/a/b/c?x=1"); d != "//reg.test:8443/a/b/" {
		t.Errorf("NerfDart = %q", d)
	}
}

func TestOmitAndCache(t *testing.T) {
	w := newWorld(t)
	c := w.load(t, "proj", nil, "NODE_ENV=production")
	if got := c.Omit(); !reflect.DeepEqual(got, []string{"dev"}) {
		t.Errorf("Omit with NODE_ENV=production = %v", got)
	}
	w.write(t, "proj/.npmrc", "omit[]=optional\nomit[]=dev\ninclude=dev\n")
	c = w.load(t, "proj", nil)
	if got := c.Omit(); !reflect.DeepEqual(got, []string{"optional"}) {
		t.Errorf("Omit = %v", got)
	}
	c = w.load(t, "proj", map[string]string{"omit": "peer\n\ndev", "include": ""})
	if got := c.Omit(); !reflect.DeepEqual(got, []string{"dev", "peer"}) {
		t.Errorf("Omit from flags = %v", got)
	}
	c = w.load(t, "proj", map[string]string{"omit": ""})
	if got := c.Omit(); len(got) != 0 {
		t.Errorf("--omit= gave %q", got)
	}
	if got := c.CacheDir(); got != filepath.Join(w.home, ".cache", "gnode") {
		t.Errorf("CacheDir = %s", got)
	}
	c = w.load(t, "proj", nil, "XDG_CACHE_HOME=/xdg")
	if got := c.CacheDir(); got != "/xdg/gnode" {
		t.Errorf("CacheDir = %s", got)
	}
	c = w.load(t, "proj", nil, "XDG_CACHE_HOME=/xdg", "GNODE_CACHE_DIR=/g")
	if got := c.CacheDir(); got != "/g" {
		t.Errorf("CacheDir = %s", got)
	}
}

func TestNpmFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("starts npm; skipped in -short mode")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not installed: skipping the npm fallback test")
	}
	w := newWorld(t)
	// PATH must reach node for npm to run
	cache := filepath.Join(w.root, "cache")
	c, err := Load(LoadOptions{Cwd: w.proj, Home: w.home, Env: append(w.env[:2:2], "PATH="+os.Getenv("PATH"), "GNODE_CACHE_DIR="+cache), NpmPath: npm})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(npm, "config", "get", "registry").Output()
	if err != nil {
		t.Skipf("npm config get registry: %v", err)
	}
	r, err := c.Registry()
	if err != nil {
		t.Fatalf("Registry: %v", err)
	}
	if want := strings.TrimSpace(string(out)); r != want && r != want+"/" {
		t.Errorf("Registry via npm = %q, npm says %q", r, want)
	}
	if c.RegistrySource() != WhereNpm {
		t.Errorf("RegistrySource = %q", c.RegistrySource())
	}
	// the answer is cached: a later run with a broken npm still gets it
	if _, err := os.Stat(filepath.Join(cache, "npm-default-registry.json")); err != nil {
		t.Fatalf("answer not cached: %v", err)
	}
	c2, err := Load(LoadOptions{Cwd: w.proj, Home: w.home, Env: append(w.env[:2:2], "PATH=/nonexistent", "GNODE_CACHE_DIR="+cache), NpmPath: npm})
	if err != nil {
		t.Fatal(err)
	}
	if r2, err := c2.Registry(); err != nil || r2 != r {
		t.Errorf("cached answer: %q %v (npm cannot run without node on PATH, so this came from the cache)", r2, err)
	}
	// ... and so does a run with a fresh cache directory: the answer is
	// also kept under the user's default cache root.
	if _, err := os.Stat(filepath.Join(w.home, ".cache", "gnode", "npm-default-registry.json")); err != nil {
		t.Fatalf("answer not kept in the user cache root: %v", err)
	}
	fresh := filepath.Join(w.root, "fresh-cache")
	c3, err := Load(LoadOptions{Cwd: w.proj, Home: w.home, Env: append(w.env[:2:2], "PATH=/nonexistent", "GNODE_CACHE_DIR="+fresh), NpmPath: npm})
	if err != nil {
		t.Fatal(err)
	}
	if r3, err := c3.Registry(); err != nil || r3 != r {
		t.Errorf("fresh cache dir: %q %v, want %q from the user cache root", r3, err, r)
	}
}

// TestAuthDifferential compares AuthFor with npm-registry-fetch's own
// credential lookup on the same keys and URLs.
func TestAuthDifferential(t *testing.T) {
	root := npmRoot(t)
	mod := filepath.Join(root, "node_modules", "npm-registry-fetch", "lib", "auth.js")
	if _, err := os.Stat(mod); err != nil {
		t.Skipf("npm-registry-fetch not found: %v", err)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	keys := map[string]string{
		"registry":                       "http://reg.test/npm/",
		"//reg.test/npm/:_authToken":     "tok-npm",
		"//reg.test/:_authToken":         "tok-host",
		"//reg.test/a/b:_authToken":      "tok-ab-noslash",
		"//other.test:8080/p/:username":  "bob",
		"//other.test:8080/p/:_password": b64("pw"),
		"//basic.test/:_auth":            b64("u:p"),
		"//half.test/:username":          "only-user",
		"//both.test/:_authToken":        "both-tok",
		"//both.test/:_auth":             b64("x:y"),
	}
	urls := []string{
		"http://reg.test/npm/pkg", "http://reg.test/npm/pkg/-/pkg-1.0.0.tgz", "https://reg.test/npm/x",
		"http://reg.test/other/x", "http://reg.test/a/b/c", "http://reg.test/a/bc", "http://reg.test/a/b",
		"http://other.test:8080/p/x", "http://other.test:8080/q/x", "http://other.test/p/x",
		"http://basic.test/x/y/z", "http://half.test/x", "http://both.test/x", "http://none.test/x",
		"http://reg.test", "http://reg.test/npm",
	}
	var rc strings.Builder
	for k, v := range keys {
		rc.WriteString(k + "=" + v + "\n")
	}
	w := newWorld(t)
	w.write(t, "proj/.npmrc", rc.String())
	c := w.load(t, "proj", nil)
	dir := t.TempDir()
	in, _ := json.Marshal(map[string]any{"opts": keys, "urls": urls})
	os.WriteFile(filepath.Join(dir, "in.json"), in, 0o644)
	script := `
const getAuth = require(process.argv[1]);
const {opts, urls} = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
process.stdout.write(JSON.stringify(urls.map(u => {
  const a = getAuth(u, opts);
  return a.token ? 'Bearer ' + a.token : a.auth ? 'Basic ' + a.auth : '';
})));
`
	out, err := exec.Command("node", "-e", script, mod, filepath.Join(dir, "in.json")).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want []string
	json.Unmarshal(out, &want)
	for i, u := range urls {
		if got := c.AuthFor(u).Header(); got != want[i] {
			t.Errorf("AuthFor(%s) = %q, npm %q", u, got, want[i])
		}
	}
}

// authForReference is AuthFor as it was before the credential index: every
// candidate key looked up in every layer, the registries listed for each
// call. TestAuthForIndex checks the index changes no answer.
func authForReference(c *Config, rawURL string) Auth {
	walk := func(rawURL string) (Auth, bool) {
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" {
			return Auth{}, false
		}
		always := c.GetBool("always-auth")
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		key := "//" + u.Host + path
		for len(key) > len("//") {
			if a, ok := c.authAt(key); ok {
				a.AlwaysAuth = a.AlwaysAuth || always
				return a, true
			}
			if strings.HasSuffix(key, "/") {
				key = key[:len(key)-1]
			} else if i := strings.LastIndexByte(key, '/'); i >= 0 {
				key = key[:i+1]
			} else {
				break
			}
		}
		return Auth{AlwaysAuth: always}, false
	}
	a, ok := walk(rawURL)
	if ok {
		return a
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return a
	}
	for _, reg := range c.configuredRegistries() {
		r, err := url.Parse(reg)
		if err != nil || r.Host != u.Host || reg == rawURL {
			continue
		}
		if ra, ok := walk(reg); ok {
			return ra
		}
	}
	return a
}

func TestAuthForIndex(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	configs := map[string]struct {
		npmrc string
		env   []string
	}{
		"tokens and scopes": {npmrc: strings.Join([]string{
			"registry=http://reg.test/npm/",
			"//reg.test/npm/:_authToken=tok-npm",
			"//reg.test/:_authToken=tok-host",
			"//reg.test/a/b:_authToken=tok-ab-noslash",
			"//other.test:8080/deep/path/:username=bob",
			"//other.test:8080/deep/path/:_password=" + b64("p@ss"),
			"//basic.test/:_auth=" + b64("u:p"),
			"//half.test/:username=only-user",
			"//cert.test/r/:certfile=/c.pem",
			"//cert.test/r/:keyfile=/k.pem",
			"//flag.test/:always-auth=true",
			"@acme:registry=http://acme.test/r/",
			"//acme.test/r/:_authToken=tok-acme",
			"@beta:registry=http://reg.test/beta/",
			"@gamma:registry=https://gamma.test:8443/g/",
			"//gamma.test:8443/g/:_authToken=${GAMMA_TOKEN}",
		}, "\n"), env: []string{"GAMMA_TOKEN=tok-gamma"}},
		"always-auth and env credentials": {npmrc: strings.Join([]string{
			"registry=http://main.test/",
			"always-auth=true",
			"//main.test/:_auth=" + b64("m:n"),
		}, "\n"), env: []string{"npm_config_//env.test/:_authToken=tok-env", "npm_config_@env:registry=http://env.test/reg/"}},
		"no credentials": {npmrc: "registry=http://plain.test/r/\n"},
	}
	urls := []string{
		"http://reg.test/npm/lodash", "http://reg.test/npm/lodash/-/lodash-1.0.0.tgz", "https://reg.test/npm/x",
		"http://reg.test/other/x", "http://reg.test/a/b/c", "http://reg.test/a/bc", "http://reg.test/a/b",
		"http://reg.test", "http://reg.test/npm", "http://reg.test/beta/@beta%2fx", "http://reg.test/beta/",
		"http://other.test:8080/deep/path/pkg", "http://other.test:8080/deep/pkg", "http://other.test/deep/path/pkg",
		"http://basic.test/a/b", "http://half.test/x", "http://cert.test/r/x.tgz", "http://cert.test/x.tgz",
		"http://flag.test/x", "http://acme.test/r/@acme%2fa", "http://acme.test/tarballs/a.tgz",
		"https://gamma.test:8443/g/@gamma%2fz", "https://gamma.test:8443/elsewhere.tgz", "https://gamma.test/g/x",
		"http://main.test/x", "http://main.test/deep/er/x.tgz", "http://env.test/reg/@env%2fa", "http://env.test/t.tgz",
		"http://plain.test/r/x", "http://elsewhere.test/x.tgz", "not a url", "http://%zz/", "/relative/path", "",
		"http://REG.test/npm/lodash", "http://reg.test/npm/lodash?x=1#frag",
	}
	for name, tc := range configs {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.write(t, "proj/.npmrc", tc.npmrc)
			c := w.load(t, "proj", nil, tc.env...)
			for round := 0; round < 2; round++ { // the second round answers from the per-host cache
				for _, u := range urls {
					if got, want := c.AuthFor(u), authForReference(c, u); got != want {
						t.Errorf("AuthFor(%q) = %+v, reference %+v", u, got, want)
					}
				}
			}
		})
	}
}
