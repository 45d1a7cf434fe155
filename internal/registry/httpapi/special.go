package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gnode/internal/registry/service"
)

// special serves the /-/ endpoints; p is the path after "/-/".
func (h *Handler) special(w http.ResponseWriter, r *http.Request, p string) {
	ctx := r.Context()
	switch {
	case p == "ping":
		writeJSON(w, http.StatusOK, map[string]any{})
	case p == "whoami":
		id, ok := h.loggedIn(w, r)
		if !ok {
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"username": id.User})
	case strings.HasPrefix(p, "user/org.couchdb.user:"):
		h.couchUser(w, r, strings.TrimPrefix(p, "user/org.couchdb.user:"))
	case strings.HasPrefix(p, "user/token/") && r.Method == http.MethodDelete:
		id, ok := h.loggedIn(w, r)
		if !ok {
			return
		}
		tok, _ := url.PathUnescape(strings.TrimPrefix(p, "user/token/"))
		if err := h.svc.RevokeToken(ctx, id.User, tok); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"ok": "Logged out"})
	case p == "v1/login":
		// Web login is not offered: a 4xx makes npm fall back to the couch flow.
		writeError(w, http.StatusNotFound, "web login is not supported; use npm login --auth-type=legacy")
	case strings.HasPrefix(p, "npm/v1/attestations/"):
		h.attestations(w, r, strings.TrimPrefix(p, "npm/v1/attestations/"))
	case p == "npm/v1/keys":
		writeJSON(w, http.StatusOK, h.svc.Signer().KeysDocument())
	case p == "npm/v1/tokens" || strings.HasPrefix(p, "npm/v1/tokens?"):
		h.tokens(w, r)
	case strings.HasPrefix(p, "npm/v1/tokens/token/") && r.Method == http.MethodDelete:
		id, ok := h.loggedIn(w, r)
		if !ok {
			return
		}
		key, _ := url.PathUnescape(strings.TrimPrefix(p, "npm/v1/tokens/token/"))
		if err := h.svc.RevokeToken(ctx, id.User, key); err != nil {
			h.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case p == "v1/search":
		if !h.reader(w, r) {
			return
		}
		q := r.URL.Query()
		from, _ := strconv.Atoi(q.Get("from"))
		size, _ := strconv.Atoi(q.Get("size"))
		res, err := h.svc.Search(ctx, q.Get("text"), from, size)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	case p == "npm/v1/security/advisories/bulk" && r.Method == http.MethodPost:
		if !h.reader(w, r) {
			return
		}
		body, err := readBody(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		res, err := h.svc.AuditBulk(ctx, body)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	case strings.HasPrefix(p, "package/") && (strings.HasSuffix(p, "/collaborators") || strings.HasSuffix(p, "/visibility")):
		h.packageAccess(w, r, "/"+strings.TrimPrefix(p, "package/"))
	case strings.HasPrefix(p, "package/"):
		h.distTags(w, r, "/"+strings.TrimPrefix(p, "package/"))
	case strings.HasPrefix(p, "user/") && strings.HasSuffix(p, "/package"):
		h.userPackages(w, r, strings.TrimPrefix(p, "user/"))
	case p == "npm/v1/user":
		h.profile(w, r)
	default:
		writeError(w, http.StatusNotFound, "not found")
	}
}

// couchUser implements npm's legacy adduser/login: PUT creates the account
// (when signup is on) or logs in an existing one, answering with a token.
func (h *Handler) couchUser(w http.ResponseWriter, r *http.Request, rest string) {
	ctx := r.Context()
	name, _, _ := strings.Cut(rest, "/")
	name, _ = url.PathUnescape(name)
	switch r.Method {
	case http.MethodGet:
		if _, err := h.svc.UserExists(ctx, name); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"_id": "org.couchdb.user:" + name, "name": name, "type": "user", "roles": []string{}})
	case http.MethodPut:
		body, err := readBody(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var req struct {
			Name     string `json:"name"`
			Password string `json:"password"`
			Email    string `json:"email"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, http.StatusBadRequest, "invalid user document")
			return
		}
		if req.Name == "" {
			req.Name = name
		}
		if req.Name != name {
			writeError(w, http.StatusBadRequest, "user name in the body does not match the URL")
			return
		}
		if u, p, ok := basicCredentials(r); ok && req.Password == "" {
			if u != name {
				writeError(w, http.StatusUnauthorized, "credentials are for another user")
				return
			}
			req.Password = p
		}
		exists, err := h.svc.UserExists(ctx, name)
		if err != nil && service.KindOf(err) != service.KindNotFound {
			h.fail(w, r, err)
			return
		}
		if exists {
			if err := h.svc.CheckPassword(ctx, name, req.Password); err != nil {
				h.fail(w, r, err)
				return
			}
		} else {
			if !h.svc.AllowSignup() {
				writeError(w, http.StatusForbidden, "user registration is disabled on this registry; ask an administrator to run `gnode registry user add "+name+"`")
				return
			}
			if err := h.svc.AddUser(ctx, name, req.Password, req.Email); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		secret, _, err := h.svc.IssueToken(ctx, name, false, nil)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"ok": true, "id": "org.couchdb.user:" + name, "rev": "1-0", "token": secret})
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := h.loggedIn(w, r)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		list, err := h.svc.Tokens(ctx, id.User)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		objects := make([]map[string]any, 0, len(list))
		for _, t := range list {
			cidr := t.CIDR
			if cidr == nil {
				cidr = []string{}
			}
			objects = append(objects, map[string]any{
				"token": t.Hash[:6] + "…", "key": t.Key, "readonly": t.ReadOnly, "cidr_whitelist": cidr,
				"created": t.Created.UTC().Format(time.RFC3339), "updated": t.Created.UTC().Format(time.RFC3339),
			})
		}
		writeJSON(w, http.StatusOK, map[string]any{"objects": objects, "total": len(objects), "urls": map[string]string{"next": ""}})
	case http.MethodPost:
		body, err := readBody(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var req struct {
			Password string   `json:"password"`
			ReadOnly bool     `json:"readonly"`
			CIDR     []string `json:"cidr_whitelist"`
			// npm 11's granular form: read-only unless write permission is asked.
			PackagesPerm string `json:"packages_and_scopes_permission"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, http.StatusBadRequest, "invalid token request")
			return
		}
		if req.PackagesPerm == "read-only" {
			req.ReadOnly = true
		}
		if err := h.svc.CheckPassword(ctx, id.User, req.Password); err != nil {
			h.fail(w, r, err)
			return
		}
		secret, t, err := h.svc.IssueToken(ctx, id.User, req.ReadOnly, req.CIDR)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		cidr := t.CIDR
		if cidr == nil {
			cidr = []string{}
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"token": secret, "key": t.Key, "readonly": t.ReadOnly, "cidr_whitelist": cidr,
			"created": t.Created.UTC().Format(time.RFC3339), "updated": t.Created.UTC().Format(time.RFC3339),
		})
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// distTags serves /-/package/<pkg>/dist-tags[/<tag>]; p starts with '/'.
func (h *Handler) distTags(w http.ResponseWriter, r *http.Request, p string) {
	ctx := r.Context()
	name, rest, ok := splitName(p)
	if !ok || len(rest) == 0 || rest[0] != "dist-tags" || len(rest) > 2 {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	id, ok := h.identity(w, r)
	if !ok {
		return
	}
	if len(rest) == 1 {
		switch r.Method {
		case http.MethodGet:
			if h.Private && id.User == "" {
				writeError(w, http.StatusUnauthorized, "this registry is private: log in to read packages")
				return
			}
			tags, err := h.svc.DistTags(ctx, name)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, tags)
		case http.MethodPost, http.MethodPut:
			body, err := readBody(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			var tags map[string]string
			if err := json.Unmarshal(body, &tags); err != nil {
				writeError(w, http.StatusBadRequest, "body must be an object of tag: version")
				return
			}
			for tag, v := range tags {
				if err := h.svc.SetDistTag(ctx, id, name, tag, v); err != nil {
					h.fail(w, r, err)
					return
				}
			}
			writeJSON(w, http.StatusCreated, map[string]string{"ok": "tags updated"})
		default:
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		}
		return
	}
	tag := rest[1]
	switch r.Method {
	case http.MethodPut, http.MethodPost:
		body, err := readBody(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var version string
		if err := json.Unmarshal(body, &version); err != nil {
			version = strings.TrimSpace(string(body))
		}
		if err := h.svc.SetDistTag(ctx, id, name, tag, version); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"ok": "package tagged"})
	case http.MethodDelete:
		if err := h.svc.DeleteDistTag(ctx, id, name, tag); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"ok": "tag removed"})
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// loggedIn authenticates a request that needs a user (401 otherwise).
func (h *Handler) loggedIn(w http.ResponseWriter, r *http.Request) (service.Identity, bool) {
	id, ok := h.identity(w, r)
	if ok && id.User == "" {
		writeError(w, http.StatusUnauthorized, "not logged in")
		return id, false
	}
	return id, ok
}
