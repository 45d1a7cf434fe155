package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// packageAccess serves npm access's reads of one package (p is the path
// after "/-/package"): /:pkg/collaborators and /:pkg/visibility. Access is
// not configurable per package: maintainers read and write, everyone else
// reads unless the whole registry is private.
func (h *Handler) packageAccess(w http.ResponseWriter, r *http.Request, p string) {
	name, rest, ok := splitName(p)
	if !ok || len(rest) != 1 || r.Method != http.MethodGet {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if !h.reader(w, r) {
		return
	}
	switch rest[0] {
	case "collaborators":
		c, err := h.svc.Collaborators(r.Context(), name)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, c)
	case "visibility":
		if _, err := h.svc.Collaborators(r.Context(), name); err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"public": !h.Private})
	default:
		writeError(w, http.StatusNotFound, "not found")
	}
}

// userPackages serves GET /-/user/:user/package (npm access list
// packages); rest is the path after "/-/user/".
func (h *Handler) userPackages(w http.ResponseWriter, r *http.Request, rest string) {
	user, _ := url.PathUnescape(strings.TrimSuffix(rest, "/package"))
	if r.Method != http.MethodGet || user == "" || strings.Contains(user, "/") {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if !h.reader(w, r) {
		return
	}
	pk, err := h.svc.UserPackages(r.Context(), user)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pk)
}

// profile serves GET /-/npm/v1/user (npm profile get) for the logged-in
// user. Two-factor authentication does not exist here.
func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "profile changes are not supported by this registry")
		return
	}
	id, ok := h.loggedIn(w, r)
	if !ok {
		return
	}
	p, err := h.svc.UserProfile(r.Context(), id.User)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": p.Name, "email": p.Email, "email_verified": false, "tfa": false,
		"created": p.Created, "updated": p.Created, "fullname": "", "homepage": "",
	})
}
