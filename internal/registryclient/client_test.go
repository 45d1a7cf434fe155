package registryclient

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/npm/npmrc"
	"gnode/internal/testutil/fakeregistry"
)

// setup returns a registry, a config pointing at it and a client with a
// fresh cache.
func setup(t *testing.T, npmrcExtra string, opts Options) (*fakeregistry.Registry, *npmrc.Config, *Client) {
	t.Helper()
	reg := fakeregistry.New(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{}`), 0o644)
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte(reg.Npmrc()+npmrcExtra), 0o644)
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Env: []string{"GNODE_CACHE_DIR=" + filepath.Join(dir, "cache")}, Home: dir, NoNpmFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 1
	}
	return reg, cfg, New(cfg, opts)
}

func TestPackumentAndTarball(t *testing.T) {
	reg, _, c := setup(t, "", Options{})
	pub := reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.0.0", Deps: map[string]string{"b": "^1"}, Files: map[string]string{"index.js": "x"}})
	reg.Add(fakeregistry.Pkg{Name: "a", Version: "1.1.0-beta.1"})
	p, err := c.Packument(context.Background(), "a")
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
	rc, err := c.Tarball(context.Background(), m.Dist.Tarball)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != string(pub.Tarball) {
		t.Fatalf("tarball differs: %d vs %d bytes", len(b), len(pub.Tarball))
	}
	_, err = c.Packument(context.Background(), "missing")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Name != "missing" || !strings.HasSuffix(nf.URL, "/missing") {
		t.Fatalf("err = %v", err)
	}
}
