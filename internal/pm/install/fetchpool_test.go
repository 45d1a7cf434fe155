package install

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
)

// poolEnv serves n small tarballs from a local server and counts the ones
// sent in full.
type poolEnv struct {
	pool  *fetchPool
	nodes []*tree.Node
	sent  atomic.Int64
	// inFlight and maxInFlight count requests being served; each is held
	// for delay so that concurrent downloads overlap.
	inFlight, maxInFlight atomic.Int64
	delay                 time.Duration
}

func newPoolEnv(t *testing.T, n int, delay time.Duration) *poolEnv {
	t.Helper()
	e := &poolEnv{delay: delay}
	tgz := map[string][]byte{}
	mux := http.NewServeMux()
	mux.HandleFunc("/t/", func(w http.ResponseWriter, r *http.Request) {
		b, ok := tgz[strings.TrimPrefix(r.URL.Path, "/t/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		n := e.inFlight.Add(1)
		for m := e.maxInFlight.Load(); n > m && !e.maxInFlight.CompareAndSwap(m, n); m = e.maxInFlight.Load() {
		}
		time.Sleep(e.delay)
		e.inFlight.Add(-1)
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Write(b)
		e.sent.Add(1)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+srv.URL+"/\n"), 0o644)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Home: dir, Env: []string{"GNODE_CACHE_DIR=" + filepath.Join(dir, "cache")}, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	c := registryclient.New(cfg, registryclient.Options{})
	t.Cleanup(c.Close)
	st, err := store.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("p%d", i)
		b := makeTgz(t, name)
		tgz[name+".tgz"] = b
		e.nodes = append(e.nodes, &tree.Node{PackageName: name, Version: "1.0.0",
			Resolved: srv.URL + "/t/" + name + ".tgz", Integrity: sri512(b)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	e.pool = newFetchPool(ctx, c, st, nil)
	t.Cleanup(e.pool.stop)
	return e
}

func sri512(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

func makeTgz(t *testing.T, name string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range []struct{ path, body string }{
		{"package/package.json", `{"name":"` + name + `","version":"1.0.0"}`},
		{"package/index.js", "module.exports = " + fmt.Sprintf("%q", name) + "\n"},
	} {
		tw.WriteHeader(&tar.Header{Name: f.path, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(f.body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// waitFor polls cond for up to 10 s.
func waitFor(cond func() bool) bool {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestDownloadsFinishWhileExtractionWaits: with every extraction slot
// taken, more tarballs than there are download slots still download (each
// frees its slot once its bytes are in and waits in memory), at most
// resolvingDownloads at once while the tree resolves, and all are
// extracted once the slots free. A download that kept its slot until its
// extraction started stalled at fetchDownloads.
func TestDownloadsFinishWhileExtractionWaits(t *testing.T) {
	n := fetchDownloads + 8
	e := newPoolEnv(t, n, 20*time.Millisecond)
	f := e.pool
	close(f.resolving) // no lending: this test is about the download slots
	for len(f.extracts) < cap(f.extracts) {
		f.extracts <- struct{}{}
	}
	var jobs []*fetchJob
	for _, nd := range e.nodes {
		jobs = append(jobs, f.add(nd))
	}
	if !waitFor(func() bool { return e.sent.Load() == int64(n) }) {
		t.Fatalf("%d of %d tarballs downloaded while extraction waited", e.sent.Load(), n)
	}
	if m := e.maxInFlight.Load(); m > resolvingDownloads || m < 2 {
		t.Errorf("%d downloads at once while resolving, want 2..%d", m, resolvingDownloads)
	}
	for _, j := range jobs {
		select {
		case <-j.done:
			t.Fatalf("a job finished without an extraction slot")
		default:
		}
	}
	f.mu.Lock()
	held := f.held
	f.mu.Unlock()
	if held <= 0 {
		t.Errorf("held = %d bytes, want the downloaded tarballs", held)
	}
	for i := 0; i < cap(f.extracts); i++ { // the slots taken above and the reserved ones
		<-f.extracts
	}
	for i, j := range jobs {
		<-j.done
		if j.err != nil {
			t.Fatal(j.err)
		}
		if _, err := os.Stat(filepath.Join(j.path, "index.js")); err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	f.mu.Lock()
	held = f.held
	f.mu.Unlock()
	if held != 0 {
		t.Errorf("held = %d bytes after every extraction", held)
	}
}

// TestLenderUsesIdleCore: while the tree resolves, the extraction slots
// held back for decoding are lent when no packument decodes, so tarballs
// are extracted even with the one regular slot taken.
func TestLenderUsesIdleCore(t *testing.T) {
	e := newPoolEnv(t, 3, 0)
	f := e.pool
	if f.reserved == 0 {
		t.Skip("GOMAXPROCS=1: no slot is held back while resolving")
	}
	reservedAtStart := f.reserved
	for len(f.extracts) < cap(f.extracts) {
		f.extracts <- struct{}{}
	}
	if tree.DecodesPending() != 0 {
		t.Fatalf("DecodesPending = %d with no Build running", tree.DecodesPending())
	}
	for _, nd := range e.nodes {
		j := f.add(nd)
		select {
		case <-j.done:
			if j.err != nil {
				t.Fatal(j.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not extracted with a lendable core", nd.ID())
		}
	}
	f.resolved() // the lender stops; takes back the reserved slots
	for i := 0; i < cap(f.extracts)-reservedAtStart; i++ {
		<-f.extracts
	}
}
