// Package httpapi serves the npm registry HTTP API over the service layer:
// URL parsing (scoped names arrive as @scope%2fname, @scope%2Fname or
// @scope/name), content negotiation, caching headers, and the mapping from
// service error kinds to npm's {"error": "..."} responses.
package httpapi

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"gnode/internal/registry/service"
)

// Handler is the registry's http.Handler.
type Handler struct {
	svc    *service.Service
	prefix string // path prefix the registry is mounted under, without trailing '/'
	log    *slog.Logger

	// Private makes every read require authentication.
	Private bool
	// MaxBody bounds request bodies in bytes; 0 means DefaultMaxBody.
	MaxBody int64

	gzMu    sync.Mutex
	gzCache map[string][]byte // etag → gzipped packument
}

// New returns the handler. prefix is a path such as "/npm" or "".
func New(svc *service.Service, prefix string, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Handler{svc: svc, prefix: strings.TrimSuffix(prefix, "/"), log: log, gzCache: map[string][]byte{}}
}

// DefaultMaxBody bounds request bodies (npm's publish carries a base64
// tarball); larger bodies get 413 without being read into memory.
const DefaultMaxBody = 200 << 20

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: 200}
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p)
			writeError(rec, http.StatusInternalServerError, "internal error")
		}
		// Checked first: building the arguments costs allocations on every
		// request even when debug logging is off.
		if h.log.Enabled(r.Context(), slog.LevelDebug) {
			h.log.Debug("request", "method", r.Method, "path", r.URL.EscapedPath(), "status", rec.status, "dur", time.Since(start))
		}
	}()
	p := r.URL.EscapedPath()
	if h.prefix != "" {
		rest, ok := strings.CutPrefix(p, h.prefix)
		if !ok {
			writeError(rec, http.StatusNotFound, "not found")
			return
		}
		p = rest
	}
	if r.Body != nil {
		limit := h.MaxBody
		if limit <= 0 {
			limit = DefaultMaxBody
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
	}
	if h.webRoute(rec, r, p) {
		return
	}
	if strings.HasPrefix(p, "/-/") {
		h.special(rec, r, p[len("/-/"):])
		return
	}
	h.pkg(rec, r, p)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// base is the registry URL clients used, derived from the request so that
// tarball URLs keep working behind another host name or a proxy.
func (h *Handler) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
		host, _, _ = strings.Cut(fh, ",")
		host = strings.TrimSpace(host)
	}
	return scheme + "://" + host + h.prefix + "/"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="gnode", Bearer`)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// fail maps a service error to npm's error response.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, "request body is larger than the limit")
		return
	}
	status := http.StatusInternalServerError
	switch service.KindOf(err) {
	case service.KindInvalid:
		status = http.StatusBadRequest
	case service.KindUnauthorized:
		status = http.StatusUnauthorized
	case service.KindForbidden:
		status = http.StatusForbidden
	case service.KindNotFound:
		status = http.StatusNotFound
	case service.KindConflict:
		status = http.StatusConflict
	case service.KindTooLarge:
		status = http.StatusRequestEntityTooLarge
	default:
		if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
			// The client went away (wrk ending a run, npm aborting a
			// prefetch): nothing failed on this side and nobody reads
			// the answer.
			h.log.Debug("client gone", "method", r.Method, "path", r.URL.EscapedPath())
			return
		}
		h.log.Error("request failed", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		writeError(w, status, "internal error: "+err.Error())
		return
	}
	writeError(w, status, err.Error())
}

func (h *Handler) identity(w http.ResponseWriter, r *http.Request) (service.Identity, bool) {
	id, err := h.svc.Authenticate(r.Context(), r.Header.Get("Authorization"))
	if err != nil {
		h.fail(w, r, err)
		return id, false
	}
	return id, true
}

// reader authenticates a read: anyone may read unless the registry is
// private, when a valid token (or password) is required.
func (h *Handler) reader(w http.ResponseWriter, r *http.Request) bool {
	id, ok := h.identity(w, r)
	if !ok {
		return false
	}
	if h.Private && id.User == "" {
		writeError(w, http.StatusUnauthorized, "this registry is private: log in to read packages")
		return false
	}
	return true
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(r.Body)
}

// splitName parses the package name at the start of an escaped path and
// returns it with the remaining segments.
func splitName(p string) (string, []string, bool) {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) == 0 || segs[0] == "" {
		return "", nil, false
	}
	first, err := url.PathUnescape(segs[0])
	if err != nil {
		return "", nil, false
	}
	if strings.HasPrefix(first, "@") && !strings.Contains(first, "/") {
		if len(segs) < 2 {
			return "", nil, false
		}
		second, err := url.PathUnescape(segs[1])
		if err != nil {
			return "", nil, false
		}
		first += "/" + second
		segs = segs[1:]
	}
	rest := segs[1:]
	for i, s := range rest {
		u, err := url.PathUnescape(s)
		if err != nil {
			return "", nil, false
		}
		rest[i] = u
	}
	return first, rest, true
}

func (h *Handler) pkg(w http.ResponseWriter, r *http.Request, p string) {
	name, rest, ok := splitName(p)
	if !ok {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	ctx := r.Context()
	switch {
	case len(rest) == 0:
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if !h.reader(w, r) {
				return
			}
			h.packument(w, r, name)
		case http.MethodPut:
			id, ok := h.identity(w, r)
			if !ok {
				return
			}
			body, err := readBody(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if err := h.svc.Put(ctx, id, name, body); err != nil {
				h.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusCreated, map[string]any{"ok": "package changed", "success": true})
		default:
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		}
	case len(rest) == 1 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		if !h.reader(w, r) {
			return
		}
		doc, err := h.svc.VersionDocument(ctx, name, rest[0], h.base(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	case len(rest) == 2 && rest[0] == "-" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		if !h.reader(w, r) {
			return
		}
		h.tarball(w, r, name, rest[1])
	case len(rest) == 4 && rest[0] == "-" && rest[2] == "-rev" && r.Method == http.MethodDelete:
		id, ok := h.identity(w, r)
		if !ok {
			return
		}
		version := tarballVersion(name, rest[1])
		if err := h.svc.UnpublishVersion(ctx, id, name, version); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": "tarball removed"})
	case len(rest) == 2 && rest[0] == "-rev":
		id, ok := h.identity(w, r)
		if !ok {
			return
		}
		var err error
		switch r.Method {
		case http.MethodPut:
			var body []byte
			body, err = readBody(r)
			if err == nil {
				err = h.svc.ApplyRevision(ctx, id, name, body)
			}
		case http.MethodDelete:
			err = h.svc.UnpublishAll(ctx, id, name)
		default:
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": "package changed"})
	default:
		writeError(w, http.StatusNotFound, "not found")
	}
}

func tarballVersion(name, file string) string {
	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
	}
	v := strings.TrimPrefix(file, base+"-")
	// npm's scoped publish repeats the scope in file names.
	v = strings.TrimPrefix(v, name+"-")
	return strings.TrimSuffix(v, ".tgz")
}

const corgi = "application/vnd.npm.install-v1+json"

// wantsAbbreviated applies npm's content negotiation: the corgi is served
// only when the client ranks it at least as high as application/json.
func wantsAbbreviated(accept string) bool {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		mt = strings.TrimSpace(mt)
		if (mt == corgi || mt == "application/json") && q > bestQ {
			best, bestQ = mt, q
		}
	}
	return best == corgi
}

func (h *Handler) packument(w http.ResponseWriter, r *http.Request, name string) {
	abbreviated := r.URL.Query().Get("write") != "true" && wantsAbbreviated(r.Header.Get("Accept"))
	body, etag, err := h.svc.Packument(r.Context(), name, h.base(r), abbreviated)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	if abbreviated {
		hd.Set("Content-Type", corgi)
	} else {
		hd.Set("Content-Type", "application/json")
	}
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "public, max-age=0, must-revalidate")
	hd.Add("Vary", "Accept, Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if len(body) > 1024 && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		body = h.gzipped(etag, body)
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// gzipped compresses a packument once per ETag.
func (h *Handler) gzipped(etag string, body []byte) []byte {
	h.gzMu.Lock()
	gz, ok := h.gzCache[etag]
	h.gzMu.Unlock()
	if ok {
		return gz
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(body)
	zw.Close()
	gz = buf.Bytes()
	h.gzMu.Lock()
	if len(h.gzCache) > 2048 {
		h.gzCache = map[string][]byte{}
	}
	h.gzCache[etag] = gz
	h.gzMu.Unlock()
	return gz
}

func (h *Handler) tarball(w http.ResponseWriter, r *http.Request, name, file string) {
	if strings.HasPrefix(file, "@") {
		// Scoped file names repeat the scope in npm's publish URLs.
		file = strings.TrimPrefix(file, name[:strings.IndexByte(name, '/')+1])
	}
	rc, size, integrity, err := h.svc.Tarball(r.Context(), name, file)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	if integrity != "" {
		hd.Set("ETag", `"`+integrity+`"`)
	}
	http.ServeContent(w, r, file, time.Time{}, rc)
	_ = size
}

func basicCredentials(r *http.Request) (string, string, bool) {
	auth := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	u, p, ok := strings.Cut(string(raw), ":")
	return u, p, ok
}
