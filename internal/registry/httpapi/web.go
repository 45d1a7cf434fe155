package httpapi

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"gnode/internal/registry/service"
)

// The web pages are server-rendered with html/template (contextual
// escaping). READMEs are rendered by goldmark with raw HTML disabled, which
// also drops javascript: and other dangerous link targets, so a README
// cannot inject script into the page.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM))
})

// pages is parsed on first use, not at package init: every gnode command
// links this package.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"pkgURL": func(prefix, name string) string { return prefix + "/-/web/package/" + url.PathEscape(name) },
	}).Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#1b1f24;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{flex:1}header input{width:100%;max-width:480px;padding:6px 10px;border-radius:6px;border:0}
main{max-width:960px;margin:24px auto;padding:0 24px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin-bottom:12px}
.card h2{margin:0 0 4px;font-size:18px}.muted{color:#57606a}
code,pre{background:#f0f2f4;border-radius:6px}code{padding:1px 5px}pre{padding:12px;overflow:auto}
.cols{display:grid;grid-template-columns:1fr 280px;gap:24px}
table{border-collapse:collapse;width:100%}td{padding:3px 6px;border-bottom:1px solid #eaeef2}
.dep{color:#9a6700}
</style></head><body>
<header><a href="{{.Prefix}}/">gnode registry</a>
<form action="{{.Prefix}}/" method="get"><input name="q" placeholder="Search packages" value="{{.Query}}" aria-label="Search packages"></form></header>
<main>{{end}}
{{define "foot"}}</main></body></html>{{end}}

{{define "index"}}{{template "head" .}}
<p class="muted" id="count">{{.Total}} package{{if ne .Total 1}}s{{end}}{{if .Query}} matching “{{.Query}}”{{end}}</p>
{{range .Hits}}<div class="card pkg"><h2><a href="{{pkgURL $.Prefix .Name}}">{{.Name}}</a> <span class="muted">{{.Version}}</span></h2>
<div>{{.Description}}</div></div>{{else}}<div class="card">No packages{{if .Query}} match this search{{end}}.</div>{{end}}
{{template "foot" .}}{{end}}

{{define "package"}}{{template "head" .}}
<div class="cols"><div>
<h1 id="name">{{.Info.Name}}</h1><p>{{.Info.Description}}</p>
<div class="card readme">{{if .Readme}}{{.Readme}}{{else}}<p class="muted">This package has no README.</p>{{end}}</div>
</div><aside>
<div class="card"><h3>Install</h3><code id="install">gnode install {{.Info.Name}}</code><br><code>npm install {{.Info.Name}}</code></div>
<div class="card"><h3>Dist-tags</h3><table id="tags">{{range .Tags}}<tr><td>{{.Tag}}</td><td>{{.Version}}</td></tr>{{end}}</table></div>
<div class="card"><h3>Versions</h3><table id="versions">{{range .Info.Versions}}<tr><td>{{.Version}}{{if .Deprecated}} <span class="dep" title="{{.Deprecated}}">deprecated</span>{{end}}</td><td class="muted">{{.Published.Format "2006-01-02"}}</td></tr>{{end}}</table></div>
<div class="card"><h3>Maintainers</h3>{{range .Info.Maintainers}}<div>{{.}}</div>{{end}}</div>
</aside></div>
{{template "foot" .}}{{end}}
`))
})

type searchHit struct{ Name, Version, Description string }

func (h *Handler) webIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	from, _ := strconv.Atoi(r.URL.Query().Get("from"))
	res, err := h.svc.Search(r.Context(), q, from, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := struct {
		Title, Prefix, Query string
		Total                int
		Hits                 []searchHit
	}{Title: "gnode registry", Prefix: h.prefix, Query: q, Total: res["total"].(int)}
	for _, o := range res["objects"].([]map[string]any) {
		p := o["package"].(map[string]any)
		data.Hits = append(data.Hits, searchHit{Name: p["name"].(string), Version: p["version"].(string), Description: p["description"].(string)})
	}
	h.render(w, "index", data)
}

func (h *Handler) webPackage(w http.ResponseWriter, r *http.Request, name string) {
	info, err := h.svc.Info(r.Context(), name)
	if err != nil {
		if service.KindOf(err) == service.KindNotFound {
			w.WriteHeader(http.StatusNotFound)
			h.render(w, "index", struct {
				Title, Prefix, Query string
				Total                int
				Hits                 []searchHit
			}{Title: "not found", Prefix: h.prefix, Query: name})
			return
		}
		h.fail(w, r, err)
		return
	}
	var readme bytes.Buffer
	if info.Readme != "" {
		if err := markdown().Convert([]byte(info.Readme), &readme); err != nil {
			readme.Reset()
			template.HTMLEscape(&readme, []byte(info.Readme))
		}
	}
	type tag struct{ Tag, Version string }
	var tags []tag
	for t, v := range info.Tags {
		tags = append(tags, tag{t, v})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Tag < tags[j].Tag })
	h.render(w, "package", struct {
		Title, Prefix, Query string
		Info                 *service.PackageInfo
		Readme               template.HTML
		Tags                 []tag
	}{Title: info.Name + " - gnode registry", Prefix: h.prefix, Info: info, Readme: template.HTML(readme.String()), Tags: tags})
}

func (h *Handler) render(w http.ResponseWriter, page string, data any) {
	var buf bytes.Buffer
	if err := pages().ExecuteTemplate(&buf, page, data); err != nil {
		h.log.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'self'")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
}

// webRoute serves the pages: "/" and "/-/web/package/<name>".
func (h *Handler) webRoute(w http.ResponseWriter, r *http.Request, p string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if (p == "/" || p == "" || strings.HasPrefix(p, "/-/web/")) && !h.reader(w, r) {
		return true
	}
	if p == "/" || p == "" {
		h.webIndex(w, r)
		return true
	}
	if rest, ok := strings.CutPrefix(p, "/-/web/package/"); ok {
		name, err := url.PathUnescape(rest)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad package name")
			return true
		}
		h.webPackage(w, r, name)
		return true
	}
	return false
}
