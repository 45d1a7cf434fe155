package service

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"gnode/internal/npm/pkgname"
	"gnode/internal/registry/meta"
)

// Uplink proxies and caches an upstream registry for packages this registry
// does not hold. Packages published here always win over the upstream's
// (no merging: a local name can never be shadowed by a public one).
// Upstream `time` entries are kept as they are, since cooldown policies
// depend on real publish times. When the upstream fails, cached documents
// and tarballs are served (offline fallback).
type Uplink struct {
	URL    string // ends in '/'
	Client *http.Client
	MaxAge time.Duration

	svc      *Service
	mu       sync.Mutex
	inflight map[string]*call
}

type call struct {
	done chan struct{}
	err  error
}

// NewUplink returns an uplink to the registry at rawURL.
func NewUplink(rawURL string) (*Uplink, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid uplink URL %q: want http(s)://host/", rawURL)
	}
	if !strings.HasSuffix(rawURL, "/") {
		rawURL += "/"
	}
	return &Uplink{
		URL:      rawURL,
		Client:   &http.Client{Timeout: 60 * time.Second},
		MaxAge:   2 * time.Minute,
		inflight: map[string]*call{},
	}, nil
}

// refresh makes sure the cache holds a document for name no older than
// MaxAge, fetching at most once at a time per name.
func (u *Uplink) refresh(ctx context.Context, name string) (*meta.UplinkEntry, error) {
	m := u.svc.meta
	e, err := m.UplinkGet(ctx, name)
	if err != nil && !errors.Is(err, meta.ErrNotFound) {
		return nil, err
	}
	if e != nil && time.Since(e.Fetched) < u.MaxAge {
		return e, nil
	}
	u.mu.Lock()
	c, busy := u.inflight[name]
	if !busy {
		c = &call{done: make(chan struct{})}
		u.inflight[name] = c
	}
	u.mu.Unlock()
	if busy {
		<-c.done
		if c.err != nil {
			return nil, c.err
		}
		return m.UplinkGet(ctx, name)
	}
	c.err = u.fetch(ctx, name, e)
	u.mu.Lock()
	delete(u.inflight, name)
	u.mu.Unlock()
	close(c.done)
	if c.err != nil {
		if e != nil && KindOf(c.err) != KindNotFound {
			return e, nil // upstream unavailable: serve what we have
		}
		return nil, c.err
	}
	return m.UplinkGet(ctx, name)
}

func (u *Uplink) fetch(ctx context.Context, name string, cached *meta.UplinkEntry) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.URL+pkgname.Escape(name), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if cached != nil && cached.ETag != "" {
		req.Header.Set("If-None-Match", cached.ETag)
	}
	resp, err := u.Client.Do(req)
	if err != nil {
		return fmt.Errorf("uplink %s: %w", u.URL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		cached.Fetched = time.Now()
		return u.svc.meta.UplinkPut(ctx, *cached)
	case resp.StatusCode == http.StatusNotFound:
		return errorf(KindNotFound, "package %s not found", name)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("uplink %s answered %s for %s", u.URL, resp.Status, name)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return fmt.Errorf("uplink %s: reading %s: %w", u.URL, name, err)
	}
	if !json.Valid(body) {
		return fmt.Errorf("uplink %s sent invalid JSON for %s", u.URL, name)
	}
	return u.svc.meta.UplinkPut(ctx, meta.UplinkEntry{Name: name, Fetched: time.Now(), ETag: resp.Header.Get("ETag"), Doc: body})
}

// Packument serves an upstream package with tarball URLs rewritten to this
// registry and this registry's signature on each version.
func (u *Uplink) Packument(ctx context.Context, name, base string, abbreviated bool) ([]byte, string, error) {
	e, err := u.refresh(ctx, name)
	if err != nil {
		return nil, "", err
	}
	s := u.svc
	key := "uplink\x00" + name + "\x00" + fmt.Sprint(abbreviated) + "\x00" + base
	stamp := e.Fetched.UnixNano()
	s.mu.Lock()
	c, ok := s.cache[key]
	s.mu.Unlock()
	if ok && c.rev == stamp {
		return c.body, c.etag, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(e.Doc, &top); err != nil {
		return nil, "", fmt.Errorf("cached upstream document of %s: %w", name, err)
	}
	var versions map[string]map[string]json.RawMessage
	json.Unmarshal(top["versions"], &versions)
	for ver, v := range versions {
		var dist map[string]json.RawMessage
		json.Unmarshal(v["dist"], &dist)
		if dist == nil {
			continue
		}
		var integ, shasum string
		json.Unmarshal(dist["integrity"], &integ)
		json.Unmarshal(dist["shasum"], &shasum)
		if integ == "" && shasum != "" {
			if raw, err := hex.DecodeString(shasum); err == nil {
				integ = "sha1-" + base64.StdEncoding.EncodeToString(raw)
			}
		}
		dist["tarball"] = mustJSON(base + pkgname.TarballPath(name, ver))
		if integ != "" {
			if sig, err := s.signer.Sign(name, ver, integ); err == nil {
				dist["signatures"] = mustJSON([]map[string]string{{"keyid": s.signer.KeyID, "sig": sig}})
			}
		}
		delete(dist, "attestations") // their URLs point at the upstream
		v["dist"] = mustJSON(dist)
		if abbreviated {
			small := map[string]json.RawMessage{}
			for _, k := range abbreviatedKeys {
				if val, ok := v[k]; ok {
					small[k] = val
				}
			}
			var scripts map[string]string
			json.Unmarshal(v["scripts"], &scripts)
			if scripts["preinstall"] != "" || scripts["install"] != "" || scripts["postinstall"] != "" {
				small["hasInstallScript"] = mustJSON(true)
			}
			versions[ver] = small
		}
	}
	top["versions"] = mustJSON(versions)
	if abbreviated {
		small := map[string]json.RawMessage{"name": top["name"], "dist-tags": top["dist-tags"], "versions": top["versions"]}
		if t, ok := top["time"]; ok {
			small["time"] = t // see renderAbbreviated
		}
		if m, ok := top["modified"]; ok {
			small["modified"] = m
		}
		top = small
	}
	body, err := json.Marshal(top)
	if err != nil {
		return nil, "", err
	}
	sum := sha1.Sum(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	s.mu.Lock()
	s.cache[key] = cachedDoc{rev: stamp, body: body, etag: etag}
	s.mu.Unlock()
	return body, etag, nil
}

// Tarball serves an upstream tarball from the blob store, fetching and
// verifying it against the upstream integrity on first use.
func (u *Uplink) Tarball(ctx context.Context, name, version string) (io.ReadSeekCloser, int64, string, error) {
	e, err := u.refresh(ctx, name)
	if err != nil {
		return nil, 0, "", err
	}
	var doc struct {
		Versions map[string]struct {
			Dist struct {
				Tarball   string `json:"tarball"`
				Integrity string `json:"integrity"`
				Shasum    string `json:"shasum"`
			} `json:"dist"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(e.Doc, &doc); err != nil {
		return nil, 0, "", err
	}
	v, ok := doc.Versions[version]
	if !ok || v.Dist.Tarball == "" {
		return nil, 0, "", errorf(KindNotFound, "no version %s of %s upstream", version, name)
	}
	s := u.svc
	if key := sha512Hex(v.Dist.Integrity); key != "" {
		if r, size, err := s.blobs.Open(ctx, key); err == nil {
			return r, size, v.Dist.Integrity, nil
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.Dist.Tarball, nil)
	if err != nil {
		return nil, 0, "", err
	}
	resp, err := u.Client.Do(req)
	if err != nil {
		return nil, 0, "", fmt.Errorf("uplink tarball %s: %w", v.Dist.Tarball, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, "", fmt.Errorf("uplink tarball %s: %s", v.Dist.Tarball, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, s.opts.MaxTarball+1))
	if err != nil {
		return nil, 0, "", fmt.Errorf("uplink tarball %s: %w", v.Dist.Tarball, err)
	}
	sri, key, sha1hex := integrityOf(data)
	if want := sha512Hex(v.Dist.Integrity); want != "" && want != key {
		return nil, 0, "", fmt.Errorf("uplink tarball %s@%s failed its integrity check: expected %s, got %s", name, version, v.Dist.Integrity, sri)
	}
	if v.Dist.Shasum != "" && !strings.EqualFold(v.Dist.Shasum, sha1hex) {
		return nil, 0, "", fmt.Errorf("uplink tarball %s@%s failed its shasum check", name, version)
	}
	if err := s.blobs.Put(ctx, key, data); err != nil {
		return nil, 0, "", err
	}
	return readSeekNopCloser{bytes.NewReader(data)}, int64(len(data)), sri, nil
}

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

// sha512Hex extracts the sha512 digest of an SRI string as hex.
func sha512Hex(sri string) string {
	for _, part := range strings.Fields(sri) {
		if b64, ok := strings.CutPrefix(part, "sha512-"); ok {
			b64, _, _ = strings.Cut(b64, "?")
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && len(raw) == 64 {
				return hex.EncodeToString(raw)
			}
		}
	}
	return ""
}
