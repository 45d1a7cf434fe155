package registry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// BenchmarkPackumentGET measures the server side of a packument read of a
// 100-version package, without a socket:
//
//	go test ./internal/registry -run '^$' -bench PackumentGET -cpuprofile /tmp/cpu.out
func BenchmarkPackumentGET(b *testing.B) {
	reg := openBenchRegistry(b, 100)
	for _, c := range []struct {
		name, accept, auth string
		gzip               bool
	}{
		{name: "full", accept: "application/json"},
		{name: "abbreviated", accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"},
		{name: "full-gzip", accept: "application/json", gzip: true},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/bench-seq", nil)
			req.Host = "127.0.0.1:4873"
			req.Header.Set("Accept", c.accept)
			if c.gzip {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			b.ReportAllocs()
			for b.Loop() {
				w := &discardWriter{h: http.Header{}}
				reg.Handler.ServeHTTP(w, req)
				if w.code != http.StatusOK {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}

// openBenchRegistry opens a registry in a temp folder holding bench-seq
// with n versions.
func openBenchRegistry(b *testing.B, n int) *registry.Registry {
	b.Helper()
	ctx := context.Background()
	reg, err := registry.Open(ctx, registry.Config{Data: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { reg.Close() })
	if err := reg.Service.AddUser(ctx, "bench", "bench-password-1", "b@example.com"); err != nil {
		b.Fatal(err)
	}
	w := httptest.NewRecorder()
	reg.Handler.ServeHTTP(w, httptest.NewRequest("PUT", "/-/user/org.couchdb.user:bench", strings.NewReader(`{"name":"bench","password":"bench-password-1"}`)))
	var out struct{ Token string }
	json.Unmarshal(w.Body.Bytes(), &out)
	for i := range n {
		req := httptest.NewRequest("PUT", "/bench-seq", strings.NewReader(publishDoc(b, "bench-seq", fmt.Sprintf("1.0.%d", i), publishOpts{})))
		req.Header.Set("Authorization", "Bearer "+out.Token)
		w := httptest.NewRecorder()
		reg.Handler.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Fatalf("publish: %d %s", w.Code, w.Body)
		}
	}
	return reg
}

// discardWriter is a ResponseWriter that keeps only the status, so the
// benchmark measures the handler rather than a recorder's buffer growth.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header { return d.h }
func (d *discardWriter) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
func (d *discardWriter) Write(p []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	return len(p), nil
}

// BenchmarkTarballGET measures the server side of a tarball read.
func BenchmarkTarballGET(b *testing.B) {
	reg := openBenchRegistry(b, 10)
	req := httptest.NewRequest("GET", "/bench-seq/-/bench-seq-1.0.7.tgz", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		reg.Handler.ServeHTTP(w, req)
		if w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
	}
}
