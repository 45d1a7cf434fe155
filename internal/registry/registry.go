// Package registry assembles gnode's npm registry: metadata store (SQLite
// in the data folder, or PostgreSQL), blob store, service and HTTP API, and
// runs it with a graceful shutdown.
package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"gnode/internal/registry/blob"
	"gnode/internal/registry/httpapi"
	"gnode/internal/registry/meta"
	"gnode/internal/registry/service"
)

// Config is what `gnode registry serve` takes.
type Config struct {
	Listen string // host:port
	Data   string // folder for SQLite metadata and tarballs
	DB     string // postgres:// URL; metadata goes there instead of SQLite
	Signup bool
	Uplink string
	Prefix string // path the registry is mounted under
	// Private requires authentication for every read.
	Private bool
	// MaxBody bounds request bodies in bytes (publishes carry the tarball
	// in base64); 0 is 200 MB.
	MaxBody int64
	Log     *slog.Logger
	// Now is the clock publish times are taken from (tests); nil is time.Now.
	Now func() time.Time
}

// Registry is an opened registry.
type Registry struct {
	Service *service.Service
	Handler http.Handler
	meta    meta.Store
}

// Open opens (creating on first use) the stores named by cfg.
func Open(ctx context.Context, cfg Config) (*Registry, error) {
	if cfg.Data == "" {
		return nil, errors.New("--data DIR is required (tarballs are stored there)")
	}
	if err := os.MkdirAll(cfg.Data, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	var m meta.Store
	var err error
	if cfg.DB != "" {
		m, err = meta.OpenPostgres(ctx, cfg.DB)
	} else {
		m, err = meta.OpenSQLite(filepath.Join(cfg.Data, "registry.db"))
	}
	if err != nil {
		return nil, err
	}
	blobs, err := blob.NewFS(filepath.Join(cfg.Data, "tarballs"))
	if err != nil {
		m.Close()
		return nil, err
	}
	opts := service.Options{AllowSignup: cfg.Signup, Now: cfg.Now}
	if cfg.Uplink != "" {
		u, err := service.NewUplink(cfg.Uplink)
		if err != nil {
			m.Close()
			return nil, err
		}
		opts.Uplink = u
	}
	svc, err := service.New(ctx, m, blobs, opts)
	if err != nil {
		m.Close()
		return nil, err
	}
	h := httpapi.New(svc, cfg.Prefix, cfg.Log)
	h.Private = cfg.Private
	h.MaxBody = cfg.MaxBody
	return &Registry{Service: svc, Handler: h, meta: m}, nil
}

// Close releases the stores.
func (r *Registry) Close() error { return r.meta.Close() }

// Serve listens on cfg.Listen until ctx is cancelled, then drains in-flight
// requests (up to 30 s) and returns. ready is called with the bound address.
func (r *Registry) Serve(ctx context.Context, listen string, ready func(addr string)) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	act := &activity{next: r.Handler}
	srv := &http.Server{Handler: act, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	tctx, stopTrim := context.WithCancel(ctx)
	defer stopTrim()
	go trimWhenIdle(tctx, act)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
