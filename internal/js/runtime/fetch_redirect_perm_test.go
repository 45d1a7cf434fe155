package runtime

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// --allow-net is checked on every redirect hop of fetch, not only on the
// URL the program asked for.
func TestFetchRedirectHopsChecked(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("other")) }))
	defer other.Close()
	allowed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/self" {
			w.Write([]byte("self"))
			return
		}
		target := other.URL + "/"
		if r.URL.Path == "/stay" {
			target = "/self"
		}
		http.Redirect(w, r, target, http.StatusFound)
	}))
	defer allowed.Close()
	host := strings.TrimPrefix(allowed.URL, "http://")
	files := map[string]string{"app.js": `
		const show = (label, p) => p.then((r) => r.text()).then((t) => console.log(label, t), (e) => console.log(label, e.code || (e.cause && e.cause.code) || e.message));
		show('stay', fetch('` + allowed.URL + `/stay')).then(() => show('leave', fetch('` + allowed.URL + `/leave')));
	`}
	out, errOut, code := runPerm(t, files, "app.js", nil, []string{"--allow-net=" + host})
	want := "stay self\nleave ERR_GNODE_PERMISSION\n"
	if out != want || code != 0 {
		t.Errorf("code %d out:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
}
