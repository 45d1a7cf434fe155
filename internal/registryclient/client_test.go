package registryclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/testutil/fakeregistry"
)

// env is one test's registry, project and cache.
type env struct {
	reg   *fakeregistry.Registry
	dir   string
	cache string
	cfg   *npmrc.Config
	last  *Client
}

func newEnv(t *testing.T, npmrcExtra string) *env {
	t.Helper()
	e := &env{reg: fakeregistry.New(t), dir: t.TempDir()}
	e.cache = filepath.Join(e.dir, "cache")
	os.WriteFile(filepath.Join(e.dir, "package.json"), []byte(`{}`), 0o644)
	e.writeNpmrc(t, npmrcExtra)
	// The last client's background cache writes end before the folder
	// is removed.
	t.Cleanup(func() {
		if e.last != nil {
			e.last.Close()
		}
	})
	return e
}

func (e *env) writeNpmrc(t *testing.T, extra string) {
	t.Helper()
	os.WriteFile(filepath.Join(e.dir, ".npmrc"), []byte(e.reg.Npmrc()+extra), 0o644)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: e.dir, Home: e.dir, Env: []string{"GNODE_CACHE_DIR=" + e.cache}, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
}

// client returns a new client (a new process, as far as caches go).
func (e *env) client(opts Options) *Client {
	if opts.RetryBase == 0 {
		opts.RetryBase = time.Millisecond
	}
	// Each client stands for a new process: the previous one has ended,
	// so its metadata cache writes (done in the background) are complete.
	if e.last != nil {
		e.last.Close()
	}
	e.last = New(e.cfg, opts)
	return e.last
}

var ctx = context.Background()

func TestPackumentAndTarball(t *testing.T) {
	e := newEnv(t, "")
	pub := e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^1"}, Files: map[string]string{"index.js": "x"}})
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.1.0-beta.1"})
	c := e.client(Options{})
	p, err := c.Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if p.DistTags["latest"] != "1.0.0" || len(p.Versions) != 2 {
		t.Fatalf("dist-tags %v, %d versions", p.DistTags, len(p.Versions))
	}
	m := p.Versions["1.0.0"]
	if m.Dependencies["b"] != "^1" || m.Dist.Integrity != pub.Integrity || m.Dist.Tarball != pub.TarballURL {
		t.Fatalf("manifest %+v", m)
	}
	rc, err := c.Tarball(ctx, m.Dist.Tarball)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != string(pub.Tarball) {
		t.Fatalf("tarball differs: %d vs %d bytes", len(b), len(pub.Tarball))
	}
	reqs := e.reg.Requests()
	if got := reqs[0].Header.Get("Accept"); got != AcceptAbbreviated {
		t.Errorf("Accept = %q", got)
	}
	if !reqs[0].Gzip {
		t.Errorf("the packument was not served gzipped: the client did not accept gzip")
	}
	if got := reqs[1].Header.Get("Accept-Encoding"); got != "identity" {
		t.Errorf("tarball Accept-Encoding = %q", got)
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, "")
	c := e.client(Options{})
	_, err := c.Packument(ctx, "missing")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Name != "missing" || nf.URL != e.reg.URL()+"missing" {
		t.Fatalf("err = %v", err)
	}
	if n := e.reg.Count("packument", "missing"); n != 1 {
		t.Errorf("404 was requested %d times, want 1 (no retries on 4xx)", n)
	}
	_, err = c.Tarball(ctx, e.reg.URL()+"missing/-/missing-1.0.0.tgz")
	if !errors.As(err, &nf) {
		t.Fatalf("tarball err = %v", err)
	}
}

func TestRetries(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	tests := []struct {
		name    string
		fault   func()
		retries int
		wantErr bool
		op      string
	}{
		{"503 then ok", func() { e.reg.FailNext(2, 503) }, 2, false, ""},
		{"429 then ok", func() { e.reg.FailNext(1, 429) }, 2, false, ""},
		{"hang-up then ok", func() { e.reg.HangUpNext(2) }, 2, false, ""},
		{"500 exhausted", func() { e.reg.FailNext(3, 500) }, 2, true, "status 500"},
		{"hang-ups exhausted", func() { e.reg.HangUpNext(2) }, 1, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.reg.ResetLog()
			tt.fault()
			c := e.client(Options{Retries: tt.retries, NoDiskCache: true})
			_, err := c.Packument(ctx, "a")
			e.reg.FailNext(0, 0)
			e.reg.HangUpNext(0)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if c.Stats().Retries == 0 {
					t.Errorf("no retries counted")
				}
				return
			}
			var ne *NetworkError
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want *NetworkError", err)
			}
			if ne.Attempts != tt.retries+1 || ne.URL != e.reg.URL()+"a" || (tt.op != "" && ne.Op != tt.op) {
				t.Errorf("NetworkError %+v", ne)
			}
			if !strings.Contains(err.Error(), e.reg.URL()+"a") {
				t.Errorf("message does not name the URL: %v", err)
			}
			if got := e.reg.Count("packument", "a"); got != tt.retries+1 {
				t.Errorf("%d requests, want %d", got, tt.retries+1)
			}
		})
	}
}

func TestBrokenBodies(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.ServeGzip(false)
	// a body cut off mid-way is retried
	e.reg.TruncateNext(1)
	c := e.client(Options{NoDiskCache: true})
	if p, err := c.Packument(ctx, "a"); err != nil || p.Versions["1.0.0"] == nil {
		t.Fatalf("after a truncated body: %v", err)
	}
	if n := e.reg.Count("packument", "a"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	// every answer cut off: a NetworkError naming the read
	e.reg.TruncateNext(10)
	_, err := e.client(Options{NoDiskCache: true, Retries: 1}).Packument(ctx, "a")
	e.reg.TruncateNext(0)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Op != "read response" || ne.Attempts != 2 {
		t.Errorf("err = %v", err)
	}
	// a document that is not JSON is retried, then reported
	e.reg.ResetLog()
	e.reg.AddRaw("bad", []byte(`{"name":"bad","versions":{`))
	_, err = e.client(Options{NoDiskCache: true, Retries: 1}).Packument(ctx, "bad")
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("err = %v", err)
	}
	if n := e.reg.Count("packument", "bad"); n != 2 {
		t.Errorf("%d requests for a bad document, want 2", n)
	}
}

func TestTarballRetries(t *testing.T) {
	e := newEnv(t, "")
	pub := e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.FailNext(1, 502)
	e.reg.HangUpNext(0)
	c := e.client(Options{})
	rc, err := c.Tarball(ctx, pub.TarballURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != string(pub.Tarball) || e.reg.Count("tarball", "a") != 2 {
		t.Errorf("tarball after a 502: %d bytes, %d requests", len(b), e.reg.Count("tarball", "a"))
	}
	e.reg.FailNext(5, 500)
	_, err = e.client(Options{Retries: 2}).Tarball(ctx, pub.TarballURL)
	e.reg.FailNext(0, 0)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.URL != pub.TarballURL || ne.Attempts != 3 {
		t.Errorf("err = %v", err)
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.RequireToken("secret")
	c := e.client(Options{NoDiskCache: true})
	_, err := c.Packument(ctx, "a")
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 401 || he.Body != "authentication required" {
		t.Fatalf("err = %v", err)
	}
	if n := len(e.reg.Requests()); n != 1 {
		t.Errorf("%d requests for a 401, want 1", n)
	}
}

func TestAuth(t *testing.T) {
	e := newEnv(t, "")
	pub := e.reg.Add(fakeregistry.Pkg{Name: "@acme/a", Version: "1.0.0"})
	e.reg.RequireToken("s3cret")
	e.writeNpmrc(t, "") // Npmrc now carries the token
	c := e.client(Options{})
	p, err := c.Packument(ctx, "@acme/a")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := c.Tarball(ctx, p.Versions["1.0.0"].Dist.Tarball)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	for _, q := range e.reg.Requests() {
		if q.Header.Get("Authorization") != "Bearer s3cret" {
			t.Errorf("%s sent Authorization %q", q.Path, q.Header.Get("Authorization"))
		}
	}
	if pub.TarballURL != p.Versions["1.0.0"].Dist.Tarball {
		t.Errorf("tarball URL %s", p.Versions["1.0.0"].Dist.Tarball)
	}
	// a tarball on another host gets no credentials
	other := fakeregistry.New(t)
	op := other.Add(fakeregistry.Pkg{Name: "x", Version: "1.0.0"})
	rc, err = c.Tarball(ctx, op.TarballURL)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if h := other.Requests()[0].Header.Get("Authorization"); h != "" {
		t.Errorf("credentials leaked to another host: %q", h)
	}
}

func TestScopedEscapingAndRegistry(t *testing.T) {
	e := newEnv(t, "")
	scoped := fakeregistry.New(t)
	scoped.Add(fakeregistry.Pkg{Name: "@acme/tool", Version: "2.0.0"})
	e.reg.Add(fakeregistry.Pkg{Name: "@pub/x", Version: "1.0.0"})
	e.writeNpmrc(t, "@acme:registry="+scoped.URL()+"\n")
	c := e.client(Options{})
	if _, err := c.Packument(ctx, "@acme/tool"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Packument(ctx, "@pub/x"); err != nil {
		t.Fatal(err)
	}
	if got := scoped.Requests()[0].Path; got != "/@acme%2ftool" {
		t.Errorf("scoped path = %q, want /@acme%%2ftool", got)
	}
	if got := e.reg.Requests()[0].Path; got != "/@pub%2fx" {
		t.Errorf("path = %q", got)
	}
	if n := e.reg.Count("", "@acme/tool"); n != 0 {
		t.Errorf("the @acme package went to the default registry")
	}
}

func TestRevalidation(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	if _, err := e.client(Options{}).Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	first := e.reg.Requests()[0]
	if first.Header.Get("If-None-Match") != "" {
		t.Fatalf("first request was conditional")
	}
	// a new process: cached on disk, revalidated, 304
	c := e.client(Options{})
	p, err := c.Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	reqs := e.reg.Requests()
	if len(reqs) != 2 || reqs[1].Status != 304 || reqs[1].Header.Get("If-None-Match") == "" {
		t.Fatalf("second fetch: %+v", reqs[len(reqs)-1])
	}
	if c.Stats().NotModified != 1 || p.Versions["1.0.0"] == nil {
		t.Errorf("stats %+v", c.Stats())
	}
	// the document changed: 200 and the new version
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.1.0"})
	p, err = e.client(Options{}).Packument(ctx, "a")
	if err != nil || p.Versions["1.1.0"] == nil || p.DistTags["latest"] != "1.1.0" {
		t.Fatalf("after publish: %v %v", err, p.DistTags)
	}
}

func TestOfflineAndPreferOffline(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	if _, err := e.client(Options{}).Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	e.reg.ResetLog()
	for _, opts := range []Options{{Offline: true}, {PreferOffline: true}} {
		c := e.client(opts)
		p, err := c.Packument(ctx, "a")
		if err != nil || p.Versions["1.0.0"] == nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if n := len(e.reg.Requests()); n != 0 {
			t.Errorf("%+v sent %d requests", opts, n)
		}
	}
	c := e.client(Options{Offline: true})
	_, err := c.Packument(ctx, "b")
	var oe *OfflineError
	if !errors.As(err, &oe) || oe.Name != "b" || !strings.Contains(err.Error(), "not in the cache") {
		t.Errorf("offline miss: %v", err)
	}
	if _, err := c.Tarball(ctx, e.reg.TarballURL("a", "1.0.0")); !errors.As(err, &oe) {
		t.Errorf("offline tarball: %v", err)
	}
	// prefer-offline still fetches what is not cached
	e.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	if _, err := e.client(Options{PreferOffline: true}).Packument(ctx, "b"); err != nil {
		t.Errorf("prefer-offline miss: %v", err)
	}
	// the offline config option is honoured too
	e.writeNpmrc(t, "offline=true\n")
	if _, err := e.client(Options{}).Packument(ctx, "zzz"); !errors.As(err, &oe) {
		t.Errorf("offline=true in .npmrc: %v", err)
	}
}

func TestMaxAgeAndStale(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.SetMaxAge(300)
	if _, err := e.client(Options{}).Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	c := e.client(Options{})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.reg.Requests()); n != 1 || c.Stats().DiskHits != 1 {
		t.Errorf("fresh (max-age) document was refetched: %d requests, %+v", n, c.Stats())
	}
	// prefer-online revalidates anyway
	c = e.client(Options{PreferOnline: true})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.reg.Requests()); n != 2 || c.Stats().NotModified != 1 {
		t.Errorf("prefer-online: %d requests, %+v", n, c.Stats())
	}
	// stale copy served when the registry fails
	e.reg.SetMaxAge(0)
	e.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	if _, err := e.client(Options{}).Packument(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	e.reg.FailNext(100, 502)
	var logged []string
	c = e.client(Options{Retries: 1, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	p, err := c.Packument(ctx, "b")
	e.reg.FailNext(0, 0)
	if err != nil || p.Versions["1.0.0"] == nil || c.Stats().Stale != 1 {
		t.Fatalf("stale fallback: %v %+v", err, c.Stats())
	}
	if len(logged) == 0 {
		t.Errorf("stale use was not logged")
	}
}

func TestFullAndAbbreviated(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Scripts: map[string]string{"postinstall": "node x"}})
	p, err := e.client(Options{NoDiskCache: true}).Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if p.Time != nil || p.Modified == "" || !p.Versions["1.0.0"].HasInstallScript {
		t.Errorf("abbreviated: time %v modified %q hasInstallScript %v", p.Time, p.Modified, p.Versions["1.0.0"].HasInstallScript)
	}
	p, err = e.client(Options{NoDiskCache: true, FullMetadata: true}).Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.PublishTime("1.0.0"); !ok || !p.Versions["1.0.0"].HasInstallScript {
		t.Errorf("full: time %v", p.Time)
	}
	if got := e.reg.Requests()[1].Header.Get("Accept"); got != AcceptFull {
		t.Errorf("full Accept = %q", got)
	}
	// a registry that only serves full documents (like the mirror here)
	e.reg.ServeAbbreviated(false)
	e.reg.ServeGzip(false)
	p, err = e.client(Options{NoDiskCache: true}).Packument(ctx, "a")
	if err != nil || p.Time["1.0.0"] == "" {
		t.Fatalf("full answer to an abbreviated request: %v", err)
	}
}

func TestDeduplication(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.SetDelay(30 * time.Millisecond)
	c := e.client(Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Packument(ctx, "a"); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := e.reg.Count("packument", "a"); n != 1 {
		t.Errorf("%d requests for 20 concurrent calls, want 1", n)
	}
	if c.Stats().MemHits != 19 {
		t.Errorf("stats %+v", c.Stats())
	}
}

func TestCancelledFetcherDoesNotPoisonWaiters(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	e.reg.SetDelay(100 * time.Millisecond)
	c := e.client(Options{NoDiskCache: true})
	first, cancel := context.WithCancel(ctx)
	started := make(chan struct{})
	go func() {
		close(started)
		c.Packument(first, "a")
	}()
	<-started
	time.Sleep(20 * time.Millisecond) // let the first call own the fetch
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	p, err := c.Packument(ctx, "a")
	if err != nil || p.Versions["1.0.0"] == nil {
		t.Fatalf("waiter got %v after the fetching caller was cancelled", err)
	}
}

func TestOptionsFromConfig(t *testing.T) {
	e := newEnv(t, "maxsockets=3\nfetch-retries=5\nfetch-retry-mintimeout=7\n")
	c := New(e.cfg, Options{})
	if c.opts.MaxConns != 3 || c.opts.Retries != 5 || c.opts.RetryBase != 7*time.Millisecond || c.opts.RetryMax != 4*time.Second {
		t.Errorf("options %+v", c.opts)
	}
	e.writeNpmrc(t, "")
	c = New(e.cfg, Options{})
	if c.opts.MaxConns != 16 || c.opts.Retries != 2 || c.opts.RetryBase != 250*time.Millisecond {
		t.Errorf("defaults %+v", c.opts)
	}
}

func TestBoundedParallelism(t *testing.T) {
	e := newEnv(t, "")
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	for _, n := range names {
		e.reg.Add(fakeregistry.Pkg{Name: n, Version: "1.0.0"})
	}
	e.reg.SetDelay(20 * time.Millisecond)
	c := e.client(Options{MaxConns: 2, NoDiskCache: true})
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Packument(ctx, n); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if m := e.reg.MaxInFlight(); m > 2 || m < 1 {
		t.Errorf("max in flight %d with MaxConns 2", m)
	}
	// a tarball body holds its slot until closed
	for _, n := range names[:2] {
		rc, err := c.Tarball(ctx, e.reg.TarballURL(n, "1.0.0"))
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
	}
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.Tarball(tctx, e.reg.TarballURL("c", "1.0.0")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("third tarball with two open bodies and MaxConns 2: %v", err)
	}
}

func TestLive(t *testing.T) {
	if testing.Short() {
		t.Skip("live test skipped in -short mode")
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{})
	if err != nil {
		t.Skipf("no npm configuration: %v", err)
	}
	reg, err := cfg.Registry()
	if err != nil {
		t.Skipf("no registry configured and npm could not tell one: %v", err)
	}
	c := New(cfg, Options{CacheDir: t.TempDir(), Retries: 1})
	defer c.Close()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	p, err := c.Packument(tctx, "express")
	var ne *NetworkError
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		t.Skipf("registry %s unreachable: %v", reg, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	latest := p.Latest()
	if latest == nil || latest.Dependencies["body-parser"] == "" || !strings.HasPrefix(latest.Dist.Integrity, "sha512-") {
		t.Fatalf("express latest %q: %+v", p.DistTags["latest"], latest)
	}
	if _, ok := p.PublishTime(p.DistTags["latest"]); !ok && p.Time != nil {
		t.Errorf("time of latest unparsable: %q", p.Time[p.DistTags["latest"]])
	}
	rc, err := c.Tarball(tctx, latest.Dist.Tarball)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, rc)
	rc.Close()
	if n < 1000 {
		t.Errorf("tarball %d bytes", n)
	}
	t.Logf("express@%s from %s: %d versions, tarball %d bytes", latest.Version, reg, len(p.Versions), n)
	// a scoped, multi-megabyte document
	start := time.Now()
	tn, err := c.Packument(tctx, "@types/node")
	if err != nil {
		t.Fatalf("@types/node: %v", err)
	}
	if len(tn.Versions) < 1000 || tn.Latest() == nil || !strings.Contains(tn.Latest().Dist.Tarball, "/@types/node/-/node-") {
		t.Errorf("@types/node: %d versions, latest %+v", len(tn.Versions), tn.Latest())
	}
	t.Logf("@types/node: %d versions in %v", len(tn.Versions), time.Since(start))
}

// TestTarballSlotsApart holds every tarball slot with an unread body: a
// packument must still be fetched, since the resolver waits on packuments
// while tarballs download.
func TestTarballSlotsApart(t *testing.T) {
	e := newEnv(t, "")
	pub := e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Files: map[string]string{"index.js": "x"}})
	e.reg.Add(fakeregistry.Pkg{Name: "b", Version: "1.0.0"})
	c := e.client(Options{MaxConns: 1, MaxTarballConns: 1})
	rc, err := c.Tarball(ctx, pub.TarballURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.Packument(tctx, "b"); err != nil {
		t.Fatalf("packument while a tarball holds its slot: %v", err)
	}
	// A second tarball does wait for the slot.
	tctx2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	if _, err := c.Tarball(tctx2, pub.TarballURL); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second tarball with one slot: %v, want a timeout", err)
	}
}

// TestTarballData reads a tarball whole, fetches again a body cut off
// mid-way, and streams one above the in-memory limit.
func TestTarballData(t *testing.T) {
	e := newEnv(t, "")
	pub := e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Files: map[string]string{"index.js": strings.Repeat("x", 5000)}})
	c := e.client(Options{})
	rc, err := c.Tarball(ctx, pub.TarballURL)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(rc)
	rc.Close()
	e.reg.TruncateNext(1)
	data, stream, err := c.TarballData(ctx, pub.TarballURL, 1<<20)
	if err != nil || stream != nil || !bytes.Equal(data, want) {
		t.Fatalf("after a truncated body: %d bytes, stream %v, %v", len(data), stream != nil, err)
	}
	if c.Stats().Retries == 0 {
		t.Errorf("the truncated body was not retried: %+v", c.Stats())
	}
	data, stream, err = c.TarballData(ctx, pub.TarballURL, 10)
	if err != nil || data != nil || stream == nil {
		t.Fatalf("above the limit: %d bytes, stream %v, %v", len(data), stream != nil, err)
	}
	got, _ := io.ReadAll(stream)
	stream.Close()
	if !bytes.Equal(got, want) {
		t.Errorf("streamed tarball differs")
	}
}

// TestCacheWrittenBeforeClose: the metadata cache is written in the
// background, and is complete once Close returns.
func TestCacheWrittenBeforeClose(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	var logged []RequestTiming
	c := New(e.cfg, Options{RequestLog: func(rt RequestTiming) { logged = append(logged, rt) }})
	if _, err := c.Packument(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if len(logged) != 1 || logged[0].Status != 200 || logged[0].Bytes == 0 || logged[0].Done < logged[0].Start {
		t.Errorf("request log: %+v", logged)
	}
	e.reg.ResetLog()
	p, err := New(e.cfg, Options{Offline: true}).Packument(ctx, "a")
	if err != nil || p.Versions["1.0.0"] == nil {
		t.Fatalf("offline after Close: %v", err)
	}
	tmps, _ := filepath.Glob(filepath.Join(e.cache, "metadata", "*", ".tmp-*"))
	if len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

// TestCacheKeepsDocument: a document is cached byte for byte as the
// registry sent it (after the header line), and its pooled buffer being
// reused by the next documents does not change the file.
func TestCacheKeepsDocument(t *testing.T) {
	e := newEnv(t, "")
	for _, n := range []string{"a", "b", "c", "d"} {
		e.reg.Add(fakeregistry.Pkg{Name: n, Version: "1.0.0", Deps: map[string]string{"x": "^1"}})
	}
	c := e.client(Options{})
	for _, n := range []string{"a", "b", "c", "d"} {
		if _, err := c.Packument(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	reg, err := e.cfg.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c", "d"} {
		req, _ := http.NewRequest("GET", reg+n, nil)
		req.Header.Set("Accept", AcceptAbbreviated)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		files, _ := filepath.Glob(filepath.Join(e.cache, "metadata", "*", n+".json"))
		if len(files) != 1 {
			t.Fatalf("%s: cache files %v", n, files)
		}
		data, _ := os.ReadFile(files[0])
		_, body, _ := bytes.Cut(data, []byte("\n"))
		if !bytes.Equal(body, want) {
			t.Errorf("%s: cached\n%s\nserved\n%s", n, body, want)
		}
	}
}

// TestReceivedBeforeDecode checks that the caller's packument.Received
// hook runs once per document fetched from the network or read from the
// disk cache (the resolver frees its request slot there), and not for
// answers shared from memory.
func TestReceivedBeforeDecode(t *testing.T) {
	e := newEnv(t, "")
	e.reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0"})
	var calls int
	hctx := packument.WithReceived(ctx, func() { calls++ })
	c := e.client(Options{})
	if _, err := c.Packument(hctx, "a"); err != nil || calls != 1 {
		t.Fatalf("network: calls = %d, err = %v", calls, err)
	}
	if _, err := c.Packument(hctx, "a"); err != nil || calls != 1 {
		t.Fatalf("memory: calls = %d, err = %v", calls, err)
	}
	c = e.client(Options{PreferOffline: true})
	if _, err := c.Packument(hctx, "a"); err != nil || calls != 2 || c.Stats().DiskHits != 1 {
		t.Fatalf("disk: calls = %d, disk hits %d, err = %v", calls, c.Stats().DiskHits, err)
	}
}

// TestCacheLeavesOutUnread checks that the metadata cache holds the
// document without what installs never read, and that the cached copy
// gives the same packument as the network.
func TestCacheLeavesOutUnread(t *testing.T) {
	e := newEnv(t, "")
	e.reg.AddRaw("a", []byte(`{"name":"a","readme":"a long readme","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"a","version":"1.0.0","devDependencies":{"x":"1"},"scripts":{"test":"t"},"dependencies":{"b":"^1"},"dist":{"tarball":"http://x/a-1.0.0.tgz","integrity":"sha512-x"}}}}`))
	c := e.client(Options{})
	p1, err := c.Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	files, _ := filepath.Glob(filepath.Join(e.cache, "metadata", "*", "a.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	for _, gone := range []string{"readme", "devDependencies", "scripts"} {
		if bytes.Contains(b, []byte(gone)) {
			t.Errorf("cache file keeps %q: %s", gone, b)
		}
	}
	c = e.client(Options{Offline: true})
	p2, err := c.Packument(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if p2.Versions["1.0.0"].Dependencies["b"] != "^1" || p2.Versions["1.0.0"].Dist.Integrity != p1.Versions["1.0.0"].Dist.Integrity || p2.DistTags["latest"] != "1.0.0" {
		t.Errorf("cached packument %+v", p2.Versions["1.0.0"])
	}
}
