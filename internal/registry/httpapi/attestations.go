package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// attestations serves GET /-/npm/v1/attestations/<name>@<version>; rest is
// the escaped path after "npm/v1/attestations/". npm escapes a scoped
// name's slash (@scope%2fname@1.0.0); %2F and a raw slash are accepted too.
func (h *Handler) attestations(w http.ResponseWriter, r *http.Request, rest string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	spec, err := url.PathUnescape(rest)
	at := strings.LastIndexByte(spec, '@')
	if err != nil || at <= 0 {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if !h.reader(w, r) {
		return
	}
	doc, err := h.svc.Attestations(r.Context(), spec[:at], spec[at+1:])
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
}
