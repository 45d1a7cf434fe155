package fakeregistry

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// abbreviatedKeys are the version fields the abbreviated document keeps.
var abbreviatedKeys = []string{
	"name", "version", "dist", "deprecated", "dependencies",
	"optionalDependencies", "devDependencies", "bundleDependencies",
	"peerDependencies", "peerDependenciesMeta", "acceptDependencies", "bin",
	"directories", "engines", "_hasShrinkwrap", "funding", "cpu", "os", "libc",
}

func (r *Registry) serve(w http.ResponseWriter, req *http.Request) {
	rec := Request{
		Method: req.Method,
		Path:   req.URL.EscapedPath(),
		Query:  req.URL.RawQuery,
		Header: req.Header.Clone(),
		Kind:   "other",
	}
	kind, name, rest := route(req.URL.EscapedPath())
	rec.Kind, rec.Name = kind, name

	r.mu.Lock()
	r.inFlight++
	if r.inFlight > r.maxInFlight {
		r.maxInFlight = r.inFlight
	}
	delay := r.delay
	hangUp := r.hangUpNext > 0
	if hangUp {
		r.hangUpNext--
	}
	fail := 0
	if !hangUp && r.failNext > 0 {
		r.failNext--
		fail = r.failStatus
	}
	auth := r.auth
	r.mu.Unlock()

	status, body, hdr := 0, []byte(nil), http.Header{}
	// The log entry is added before the answer is sent, so a client that
	// has its answer always finds the request in the log.
	logged := false
	logIt := func() {
		if logged {
			return
		}
		logged = true
		r.mu.Lock()
		rec.Status = status
		r.log = append(r.log, rec)
		r.mu.Unlock()
	}
	defer func() {
		logIt()
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	if hangUp {
		status = -1
		logIt()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	switch {
	case fail != 0:
		status, body = fail, jsonError("injected failure")
	case req.Method != http.MethodGet && req.Method != http.MethodHead:
		status, body = http.StatusMethodNotAllowed, jsonError("method not allowed")
	case kind == "ping":
		status, body = http.StatusOK, []byte("{}")
	case auth != "" && req.Header.Get("Authorization") != auth:
		hdr.Set("WWW-Authenticate", `Bearer realm="fakeregistry"`)
		status, body = http.StatusUnauthorized, jsonError("authentication required")
	default:
		status, body, hdr = r.answer(req, kind, name, rest)
	}
	for k, vs := range hdr {
		w.Header()[k] = vs
	}
	if status == http.StatusNotModified {
		logIt()
		w.WriteHeader(status)
		return
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	r.mu.Lock()
	useGzip := r.gzip && kind != "tarball" && len(body) > 0 && strings.Contains(req.Header.Get("Accept-Encoding"), "gzip")
	r.mu.Unlock()
	if useGzip {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(body)
		zw.Close()
		body = zb.Bytes()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept, Accept-Encoding")
		rec.Gzip = true
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	r.mu.Lock()
	truncate := r.truncNext > 0 && len(body) > 1 && req.Method != http.MethodHead
	if truncate {
		r.truncNext--
	}
	r.mu.Unlock()
	if truncate {
		rec.Truncated = true
	}
	logIt()
	w.WriteHeader(status)
	if truncate {
		w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler) // the server cuts the connection
	}
	if req.Method != http.MethodHead {
		w.Write(body)
	}
}

func jsonError(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"error": msg})
	return b
}

// route splits an escaped path into a request kind, package name and the
// rest (version, tag or tarball file). Scoped names arrive as
// `@scope%2fname` (npm), `@scope%2Fname` or `@scope/name`.
func route(escaped string) (kind, name, rest string) {
	p := strings.TrimPrefix(escaped, "/")
	if p == "-/ping" {
		return "ping", "", ""
	}
	if p == "" || strings.HasPrefix(p, "-/") {
		return "other", "", ""
	}
	p = strings.ReplaceAll(strings.ReplaceAll(p, "%2f", "/"), "%2F", "/")
	unesc, err := url.PathUnescape(p)
	if err != nil {
		return "other", "", ""
	}
	if before, file, ok := strings.Cut(unesc, "/-/"); ok {
		return "tarball", before, file
	}
	parts := strings.Split(unesc, "/")
	n := 1
	if strings.HasPrefix(unesc, "@") {
		n = 2
	}
	if len(parts) < n {
		return "other", "", ""
	}
	name = strings.Join(parts[:n], "/")
	switch len(parts) - n {
	case 0:
		return "packument", name, ""
	case 1:
		return "version", name, parts[n]
	}
	return "other", name, ""
}

func (r *Registry) answer(req *http.Request, kind, name, rest string) (int, []byte, http.Header) {
	hdr := http.Header{}
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.pkgs[name]
	if kind == "other" || e == nil {
		return http.StatusNotFound, jsonError("not found"), hdr
	}
	switch kind {
	case "tarball":
		for _, v := range e.versions {
			if strings.HasSuffix(v.pub.TarballURL, "/"+name+"/-/"+rest) {
				body := v.pub.Tarball
				if v.corrupt {
					body = append([]byte(nil), body...)
					body[len(body)/2] ^= 0xff
				}
				hdr.Set("Content-Type", "application/octet-stream")
				hdr.Set("Cache-Control", "public, immutable, max-age=31557600")
				return http.StatusOK, body, hdr
			}
		}
		return http.StatusNotFound, jsonError("no such tarball"), hdr
	case "version":
		v := e.versions[rest]
		if v == nil {
			if tv, ok := r.tags(e)[rest]; ok {
				v = e.versions[tv]
			}
		}
		if v == nil {
			return http.StatusNotFound, jsonError("no such version or tag"), hdr
		}
		b, _ := json.Marshal(v.pub.Manifest)
		return http.StatusOK, b, hdr
	}
	var body []byte
	if e.raw != nil {
		body = e.raw
	} else {
		abbrev := r.abbreviated && strings.Contains(req.Header.Get("Accept"), "application/vnd.npm.install-v1+json")
		body = r.packument(e, abbrev)
		if abbrev {
			hdr.Set("Content-Type", "application/vnd.npm.install-v1+json")
		}
	}
	etag := etagOf(body)
	hdr.Set("ETag", etag)
	if lm := r.modified(e); !lm.IsZero() {
		hdr.Set("Last-Modified", lm.UTC().Format(http.TimeFormat))
	}
	if r.maxAge > 0 {
		hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(r.maxAge))
	}
	hdr.Add("Vary", "Accept")
	if inm := req.Header.Get("If-None-Match"); inm != "" && inm == etag {
		return http.StatusNotModified, nil, hdr
	}
	return http.StatusOK, body, hdr
}

func (r *Registry) tags(e *pkgEntry) map[string]string {
	t := map[string]string{}
	for k, v := range e.tags {
		t[k] = v
	}
	if _, ok := t["latest"]; !ok && len(e.versions) > 0 {
		t["latest"] = latest(e.versions)
	}
	return t
}

func (r *Registry) modified(e *pkgEntry) time.Time {
	var m time.Time
	for _, v := range e.versions {
		if v.time.After(m) {
			m = v.time
		}
	}
	return m
}

func (r *Registry) packument(e *pkgEntry, abbrev bool) []byte {
	versions := map[string]any{}
	times := map[string]string{}
	var created time.Time
	for ver, v := range e.versions {
		if abbrev {
			av := map[string]any{}
			for _, k := range abbreviatedKeys {
				if x, ok := v.pub.Manifest[k]; ok {
					av[k] = x
				}
			}
			if s, ok := v.pub.Manifest["scripts"].(map[string]any); ok {
				if s["preinstall"] != nil || s["install"] != nil || s["postinstall"] != nil {
					av["hasInstallScript"] = true
				}
			}
			versions[ver] = av
		} else {
			versions[ver] = v.pub.Manifest
		}
		times[ver] = v.time.UTC().Format(r.timeLayout)
		if created.IsZero() || v.time.Before(created) {
			created = v.time
		}
	}
	doc := map[string]any{
		"name":      e.name,
		"dist-tags": r.tags(e),
		"versions":  versions,
	}
	if abbrev {
		doc["modified"] = r.modified(e).UTC().Format(r.timeLayout)
	} else {
		doc["_id"] = e.name
		if !created.IsZero() {
			times["created"] = created.UTC().Format(r.timeLayout)
			times["modified"] = r.modified(e).UTC().Format(r.timeLayout)
		}
		doc["time"] = times
	}
	b, _ := json.Marshal(doc)
	return b
}
