package httpapi

import (
	"bytes"
	"html/template"
	"net/url"
	"testing"
	"time"

	"gnode/internal/registry/service"
)

// oraclePages are the html/template pages the hand-written renderers
// replaced; html/template's contextual escaping is the reference for
// theirs. (Only the test binary links html/template.)
var oraclePages = template.Must(template.New("").Funcs(template.FuncMap{
	"pkgURL": func(prefix, name string) string { return prefix + "/-/web/package/" + url.PathEscape(name) },
}).Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
` + pageStyle + `</head><body>
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

func oracle(t *testing.T, page string, data any) string {
	t.Helper()
	var b bytes.Buffer
	if err := oraclePages.ExecuteTemplate(&b, page, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hostile are values with every character HTML or URL escaping treats
// specially.
var hostile = []string{"", "plain", "a+b&c", `<script>alert('x')</script>`, `"quoted" 'single'`, "nul\x00byte",
	"@scope/name", "sp ace", "100% pure", "%41%zz", "ü ✓ 日本", "javascript:alert(1)", "JavaScript:x", "http://h/p?q=1&r=2",
	"mailto:a@b", "/x:y", "a#b?c", "(paren)", "tab\tnl\n"}

func TestWebPagesMatchTemplate(t *testing.T) {
	for _, s := range hostile {
		for _, prefix := range []string{"", "/reg", s} {
			hits := []searchHit{{Name: s, Version: "1.0.0+" + s, Description: s}, {Name: "other", Version: "2.0.0", Description: ""}}
			for _, total := range []int{0, 1, 2} {
				for _, hs := range [][]searchHit{nil, hits} {
					want := oracle(t, "index", struct {
						Title, Prefix, Query string
						Total                int
						Hits                 []searchHit
					}{Title: s, Prefix: prefix, Query: s, Total: total, Hits: hs})
					if got := indexPage(s, prefix, s, total, hs); got != want {
						t.Fatalf("index page for %q, prefix %q:\n got %q\nwant %q", s, prefix, got, want)
					}
				}
			}
			info := &service.PackageInfo{Name: s, Description: s, Maintainers: []string{s, "bob"},
				Versions: []service.VersionInfo{{Version: "1.0.0", Published: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), Deprecated: s}, {Version: s}}}
			tags := []distTag{{"latest", s}, {s, "1.0.0"}}
			for _, readme := range []string{"", "<h1>Hello</h1>"} {
				want := oracle(t, "package", struct {
					Title, Prefix, Query string
					Info                 *service.PackageInfo
					Readme               template.HTML
					Tags                 []distTag
				}{Title: s + " - gnode registry", Prefix: prefix, Info: info, Readme: template.HTML(readme), Tags: tags})
				if got := packagePage(s+" - gnode registry", prefix, info, readme, tags); got != want {
					t.Fatalf("package page for %q, prefix %q:\n got %q\nwant %q", s, prefix, got, want)
				}
			}
		}
	}
}
