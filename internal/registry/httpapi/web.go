package httpapi

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gnode/internal/registry/service"
)

// The web pages are rendered by the functions below, which escape every
// value the way html/template would in its place (TestWebPagesMatchTemplate
// keeps them byte-for-byte equal to the html/template pages they replace):
// linking html/template cost every gnode command its package initialisation.
// READMEs are rendered by renderMarkdown (below), which passes no raw HTML
// through and drops javascript: and other dangerous link targets, so a
// README cannot inject script into the page.

const pageStyle = `<style>
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
</style>`

// pageHead writes the start of every page: title, style, the header with
// the search form.
func pageHead(b *strings.Builder, title, prefix, query string) {
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	htmlEscapeTo(b, title)
	b.WriteString("</title>\n" + pageStyle + "</head><body>\n<header><a href=\"")
	urlAttrTo(b, prefix)
	b.WriteString("/\">gnode registry</a>\n<form action=\"")
	urlAttrTo(b, prefix)
	b.WriteString("/\" method=\"get\"><input name=\"q\" placeholder=\"Search packages\" value=\"")
	htmlEscapeTo(b, query)
	b.WriteString("\" aria-label=\"Search packages\"></form></header>\n<main>")
}

const pageFoot = "</main></body></html>"

type searchHit struct{ Name, Version, Description string }

// indexPage is the search page: the hits and their count.
func indexPage(title, prefix, query string, total int, hits []searchHit) string {
	var b strings.Builder
	pageHead(&b, title, prefix, query)
	b.WriteString("\n<p class=\"muted\" id=\"count\">")
	b.WriteString(strconv.Itoa(total))
	b.WriteString(" package")
	if total != 1 {
		b.WriteString("s")
	}
	if query != "" {
		b.WriteString(" matching “")
		htmlEscapeTo(&b, query)
		b.WriteString("”")
	}
	b.WriteString("</p>\n")
	for _, h := range hits {
		b.WriteString("<div class=\"card pkg\"><h2><a href=\"")
		urlAttrTo(&b, prefix+"/-/web/package/"+url.PathEscape(h.Name))
		b.WriteString("\">")
		htmlEscapeTo(&b, h.Name)
		b.WriteString("</a> <span class=\"muted\">")
		htmlEscapeTo(&b, h.Version)
		b.WriteString("</span></h2>\n<div>")
		htmlEscapeTo(&b, h.Description)
		b.WriteString("</div></div>")
	}
	if len(hits) == 0 {
		b.WriteString("<div class=\"card\">No packages")
		if query != "" {
			b.WriteString(" match this search")
		}
		b.WriteString(".</div>")
	}
	b.WriteString("\n" + pageFoot)
	return b.String()
}

type distTag struct{ Tag, Version string }

// packagePage is a package's page; readme is HTML from renderMarkdown.
func packagePage(title, prefix string, info *service.PackageInfo, readme string, tags []distTag) string {
	var b strings.Builder
	pageHead(&b, title, prefix, "")
	b.WriteString("\n<div class=\"cols\"><div>\n<h1 id=\"name\">")
	htmlEscapeTo(&b, info.Name)
	b.WriteString("</h1><p>")
	htmlEscapeTo(&b, info.Description)
	b.WriteString("</p>\n<div class=\"card readme\">")
	if readme != "" {
		b.WriteString(readme)
	} else {
		b.WriteString("<p class=\"muted\">This package has no README.</p>")
	}
	b.WriteString("</div>\n</div><aside>\n<div class=\"card\"><h3>Install</h3><code id=\"install\">gnode install ")
	htmlEscapeTo(&b, info.Name)
	b.WriteString("</code><br><code>npm install ")
	htmlEscapeTo(&b, info.Name)
	b.WriteString("</code></div>\n<div class=\"card\"><h3>Dist-tags</h3><table id=\"tags\">")
	for _, t := range tags {
		b.WriteString("<tr><td>")
		htmlEscapeTo(&b, t.Tag)
		b.WriteString("</td><td>")
		htmlEscapeTo(&b, t.Version)
		b.WriteString("</td></tr>")
	}
	b.WriteString("</table></div>\n<div class=\"card\"><h3>Versions</h3><table id=\"versions\">")
	for _, v := range info.Versions {
		b.WriteString("<tr><td>")
		htmlEscapeTo(&b, v.Version)
		if v.Deprecated != "" {
			b.WriteString(" <span class=\"dep\" title=\"")
			htmlEscapeTo(&b, v.Deprecated)
			b.WriteString("\">deprecated</span>")
		}
		b.WriteString("</td><td class=\"muted\">")
		htmlEscapeTo(&b, v.Published.Format("2006-01-02"))
		b.WriteString("</td></tr>")
	}
	b.WriteString("</table></div>\n<div class=\"card\"><h3>Maintainers</h3>")
	for _, m := range info.Maintainers {
		b.WriteString("<div>")
		htmlEscapeTo(&b, m)
		b.WriteString("</div>")
	}
	b.WriteString("</div>\n</aside></div>\n" + pageFoot)
	return b.String()
}

// htmlEscapeTo writes s escaped for HTML text and quoted attribute values,
// with html/template's replacements (it also escapes '+', and turns NUL
// into U+FFFD).
func htmlEscapeTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlAttrTo writes s as the start of a quoted URL attribute value, as
// html/template does: a scheme other than http, https or mailto becomes
// "#ZgotmplZ"; bytes outside RFC 3986's unreserved and reserved sets
// (and ' ( ) ) are percent-encoded, keeping valid %XX escapes; then the
// result is HTML-escaped.
func urlAttrTo(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	var n strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0,
			c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			n.WriteByte(c)
		default:
			n.WriteString("%" + hex2(c))
		}
	}
	htmlEscapeTo(b, n.String())
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func (h *Handler) webIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	from, _ := strconv.Atoi(r.URL.Query().Get("from"))
	res, err := h.svc.Search(r.Context(), q, from, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var hits []searchHit
	for _, o := range res["objects"].([]map[string]any) {
		p := o["package"].(map[string]any)
		hits = append(hits, searchHit{Name: p["name"].(string), Version: p["version"].(string), Description: p["description"].(string)})
	}
	h.render(w, indexPage("gnode registry", h.prefix, q, res["total"].(int), hits))
}

func (h *Handler) webPackage(w http.ResponseWriter, r *http.Request, name string) {
	info, err := h.svc.Info(r.Context(), name)
	if err != nil {
		if service.KindOf(err) == service.KindNotFound {
			w.WriteHeader(http.StatusNotFound)
			h.render(w, indexPage("not found", h.prefix, name, 0, nil))
			return
		}
		h.fail(w, r, err)
		return
	}
	readme := ""
	if info.Readme != "" {
		readme = renderMarkdown(info.Readme)
	}
	var tags []distTag
	for t, v := range info.Tags {
		tags = append(tags, distTag{t, v})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Tag < tags[j].Tag })
	h.render(w, packagePage(info.Name+" - gnode registry", h.prefix, info, readme, tags))
}

func (h *Handler) render(w http.ResponseWriter, page string) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'self'")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.Write([]byte(page))
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

// README rendering for the registry's package pages: CommonMark blocks and
// inlines with GitHub's tables, strikethrough, task lists and bare links.
// Raw HTML is never passed through (each HTML block or inline tag becomes
// a "raw HTML omitted" comment) and javascript:, vbscript:, file: and
// data: link targets (other than data: images) are dropped, so a README
// cannot inject script into the page. Written for gnode instead of a
// Markdown library: a library's package initialisation (regular
// expressions, entity tables) ran in every gnode command, 3 ms of each
// process start.

// renderMarkdown renders a README as HTML.
func renderMarkdown(src string) string {
	src = strings.ReplaceAll(src, "\x00", "\uFFFD")
	lines := strings.Split(src, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	p := &mdParser{refs: map[string]mdRef{}}
	blocks := p.parseBlocks(lines)
	var b strings.Builder
	p.render(&b, blocks, false)
	return b.String()
}

type mdRef struct{ dest, title string }

type mdParser struct {
	refs  map[string]mdRef
	depth int // block quotes and list items open around the lines parsed
}

// maxNesting bounds nested block quotes and lists (each level re-reads
// the lines below it); deeper markers are read as text.
const maxNesting = 64

type blockKind int

const (
	bPara blockKind = iota
	bHeading
	bCode
	bQuote
	bList
	bHR
	bHTML
	bTable
)

type mdBlock struct {
	kind        blockKind
	blankBefore bool   // a blank line separates it from the block before
	level       int    // heading level
	text        string // paragraph/heading inline text, code contents
	info        string // fenced code info
	children    []*mdBlock
	// lists
	ordered bool
	start   int
	tight   bool
	items   [][]*mdBlock
	task    []int // per item: 0 none, 1 unchecked, 2 checked
	// tables
	aligns []string
	rows   [][]string
}

// expandTabs replaces tabs in a line's indentation by spaces (tab stops of 4).
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' {
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		if c != ' ' {
			b.WriteString(s[i:])
			return b.String()
		}
		b.WriteByte(c)
		col++
	}
	return b.String()
}

// stripColumns removes up to n columns of indentation (tab stops of 4),
// keeping the rest of the line as written (tabs in code stay tabs).
func stripColumns(s string, n int) string {
	col, i := 0, 0
	for i < len(s) && col < n {
		switch s[i] {
		case ' ':
			col++
		case '\t':
			next := col + 4 - col%4
			if next > n {
				return strings.Repeat(" ", next-n) + s[i+1:]
			}
			col = next
		default:
			return s[i:]
		}
		i++
	}
	return s[i:]
}

func indentOf(s string) int {
	n := 0
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// fenceOpen reports a code fence: its character, length, indent and info.
func fenceOpen(s string) (ch byte, n, ind int, info string, ok bool) {
	ind = indentOf(s)
	if ind > 3 || ind >= len(s) || (s[ind] != '`' && s[ind] != '~') {
		return
	}
	ch = s[ind]
	for n = 0; ind+n < len(s) && s[ind+n] == ch; n++ {
	}
	if n < 3 {
		return
	}
	info = strings.TrimSpace(s[ind+n:])
	if ch == '`' && strings.Contains(info, "`") {
		return
	}
	return ch, n, ind, info, true
}

func fenceClose(s string, ch byte, n int) bool {
	ind := indentOf(s)
	if ind > 3 {
		return false
	}
	t := strings.TrimRight(s[ind:], " \t")
	if len(t) < n {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] != ch {
			return false
		}
	}
	return true
}

func atxHeading(s string) (int, string, bool) {
	ind := indentOf(s)
	if ind > 3 {
		return 0, "", false
	}
	t := s[ind:]
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0, "", false
	}
	text := strings.TrimSpace(t[n:])
	// A closing sequence of #s preceded by a space goes.
	if end := strings.TrimRight(text, "#"); len(end) < len(text) {
		if end == "" {
			text = ""
		} else if end[len(end)-1] == ' ' || end[len(end)-1] == '\t' {
			text = strings.TrimRight(end, " \t")
		}
	}
	return n, text, true
}

func thematicBreak(s string) bool {
	if indentOf(s) > 3 {
		return false
	}
	var ch byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
		case (c == '*' || c == '-' || c == '_') && (ch == 0 || ch == c):
			ch = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// listMarker parses a list item's start: ordered, its number, the
// bullet/delimiter character, the content's column and whether the item
// is empty on its first line.
func listMarker(s string) (ordered bool, num int, delim byte, width int, empty, ok bool) {
	ind := indentOf(s)
	if ind > 3 || ind >= len(s) {
		return
	}
	i := ind
	c := s[i]
	if c == '-' || c == '+' || c == '*' {
		delim = c
		i++
	} else {
		j := i
		for j < len(s) && j-i < 9 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j >= len(s) || (s[j] != '.' && s[j] != ')') {
			return
		}
		num, _ = strconv.Atoi(s[i:j])
		ordered, delim = true, s[j]
		i = j + 1
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		return
	}
	sp := 0
	for i+sp < len(s) && s[i+sp] == ' ' {
		sp++
	}
	if i+sp >= len(s) {
		return ordered, num, delim, i + 1, true, true
	}
	if sp > 4 {
		sp = 1
	}
	return ordered, num, delim, i + sp, false, true
}

// htmlBlockTags are the tags that start an HTML block of kind 6. Built on
// first use: package initialisation runs in every gnode command.
var htmlBlockTags = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields("address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead title tr track ul") {
		m[t] = true
	}
	return m
})

// htmlBlockStart reports an HTML block's kind (1-7 as CommonMark numbers
// them, 0 for none). Kind 7 cannot interrupt a paragraph.
func htmlBlockStart(s string) int {
	if indentOf(s) > 3 {
		return 0
	}
	t := strings.TrimLeft(s, " ")
	if !strings.HasPrefix(t, "<") {
		return 0
	}
	low := strings.ToLower(t)
	for _, tag := range []string{"<script", "<pre", "<style", "<textarea"} {
		if strings.HasPrefix(low, tag) && (len(low) == len(tag) || strings.ContainsRune(" \t>", rune(low[len(tag)]))) {
			return 1
		}
	}
	switch {
	case strings.HasPrefix(t, "<!--"):
		return 2
	case strings.HasPrefix(t, "<?"):
		return 3
	case strings.HasPrefix(t, "<![CDATA["):
		return 5
	case len(t) > 2 && t[1] == '!' && t[2] >= 'A' && t[2] <= 'Z' || len(t) > 2 && t[1] == '!' && t[2] >= 'a' && t[2] <= 'z':
		return 4
	}
	name := low[1:]
	name = strings.TrimPrefix(name, "/")
	j := 0
	for j < len(name) && (name[j] >= 'a' && name[j] <= 'z' || name[j] >= '0' && name[j] <= '9' || name[j] == '-') {
		j++
	}
	if j > 0 && htmlBlockTags()[name[:j]] && (j == len(name) || strings.ContainsRune(" \t>", rune(name[j])) || strings.HasPrefix(name[j:], "/>")) {
		return 6
	}
	// Kind 7: one complete open or closing tag alone on the line.
	if n := htmlTagLen(t); n > 0 && isBlank(t[n:]) {
		return 7
	}
	return 0
}

func htmlBlockEnds(kind int, s string) bool {
	low := strings.ToLower(s)
	switch kind {
	case 1:
		return strings.Contains(low, "</script>") || strings.Contains(low, "</pre>") || strings.Contains(low, "</style>") || strings.Contains(low, "</textarea>")
	case 2:
		return strings.Contains(s, "-->")
	case 3:
		return strings.Contains(s, "?>")
	case 4:
		return strings.Contains(s, ">")
	case 5:
		return strings.Contains(s, "]]>")
	}
	return false
}

// tableRow splits a table line into cells (pipes escaped with \ stay).
func tableRow(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "|")
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, "\\|") {
		s = s[:len(s)-1]
	}
	var cells []string
	var cur strings.Builder
	inCode := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == '|' {
			cur.WriteString("|")
			i++
			continue
		}
		if c == '`' {
			inCode ^= 1
		}
		if c == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	cells = append(cells, strings.TrimSpace(cur.String()))
	return cells
}

func tableDelim(s string) ([]string, bool) {
	if !strings.Contains(s, "-") || indentOf(s) > 3 {
		return nil, false
	}
	t := strings.TrimSpace(s)
	if !strings.Contains(t, "|") && !strings.HasPrefix(t, ":") && !strings.HasPrefix(t, "-") {
		return nil, false
	}
	cells := tableRow(s)
	aligns := make([]string, len(cells))
	for i, c := range cells {
		if c == "" {
			return nil, false
		}
		l, r := strings.HasPrefix(c, ":"), strings.HasSuffix(c, ":")
		core := strings.Trim(c, ":")
		if core == "" || strings.Trim(core, "-") != "" {
			return nil, false
		}
		switch {
		case l && r:
			aligns[i] = "center"
		case l:
			aligns[i] = "left"
		case r:
			aligns[i] = "right"
		}
	}
	return aligns, true
}

// startsBlock reports whether line s would end a paragraph.
func startsBlock(s string) bool {
	if _, _, _, _, ok := fenceOpen(s); ok {
		return true
	}
	if _, _, ok := atxHeading(s); ok {
		return true
	}
	if thematicBreak(s) {
		return true
	}
	if indentOf(s) <= 3 && strings.HasPrefix(strings.TrimLeft(s, " "), ">") {
		return true
	}
	if k := htmlBlockStart(s); k >= 1 && k <= 6 {
		return true
	}
	if ordered, num, _, _, empty, ok := listMarker(s); ok && !empty && (!ordered || num == 1) {
		return true
	}
	return false
}

func (p *mdParser) parseBlocks(raw []string) []*mdBlock {
	// Block structure is read from lines without their carriage return;
	// code keeps the line as written (raw).
	lines := make([]string, len(raw))
	for i, l := range raw {
		lines[i] = expandTabs(strings.TrimSuffix(l, "\r"))
	}
	var out []*mdBlock
	var para []string
	sawBlank, paraBlank := false, false
	add := func(b *mdBlock, blank bool) {
		b.blankBefore = blank && len(out) > 0
		out = append(out, b)
		sawBlank = false
	}
	flush := func() {
		if len(para) == 0 {
			return
		}
		para = p.refDefs(para)
		if len(para) > 0 {
			for i := range para {
				para[i] = strings.TrimLeft(para[i], " ")
			}
			text := strings.Join(para, "\n")
			add(&mdBlock{kind: bPara, text: strings.TrimRight(text, " ")}, paraBlank)
		}
		para = nil
	}
	for i := 0; i < len(lines); i++ {
		s := lines[i]
		if isBlank(s) {
			flush()
			sawBlank = true
			continue
		}
		if len(para) == 0 {
			paraBlank = sawBlank
		}
		if len(para) == 0 && indentOf(s) >= 4 {
			var code []string
			j := i
			for j < len(lines) && (isBlank(lines[j]) || indentOf(lines[j]) >= 4) {
				code = append(code, stripColumns(raw[j], 4))
				j++
			}
			for len(code) > 0 && isBlank(code[len(code)-1]) {
				code = code[:len(code)-1]
				j--
			}
			for j > i && isBlank(lines[j-1]) {
				j--
			}
			add(&mdBlock{kind: bCode, text: strings.Join(code, "\n") + "\n"}, sawBlank)
			i = j - 1
			continue
		}
		if ch, n, ind, info, ok := fenceOpen(s); ok {
			flush()
			var code []string
			j := i + 1
			for j < len(lines) && !fenceClose(lines[j], ch, n) {
				code = append(code, stripColumns(raw[j], ind))
				j++
			}
			text := strings.Join(code, "\n")
			if len(code) > 0 {
				text += "\n"
			}
			add(&mdBlock{kind: bCode, text: text, info: info}, sawBlank)
			i = j
			continue
		}
		if lvl, text, ok := atxHeading(s); ok {
			flush()
			add(&mdBlock{kind: bHeading, level: lvl, text: text}, sawBlank)
			continue
		}
		// Setext headings underline a paragraph.
		if len(para) > 0 && indentOf(s) <= 3 {
			t := strings.TrimSpace(s)
			if t != "" && strings.Trim(t, "=") == "" || t != "" && strings.Trim(t, "-") == "" {
				lvl := 1
				if t[0] == '-' {
					lvl = 2
				}
				ps := p.refDefs(para)
				para = nil
				if len(ps) > 0 {
					for k := range ps {
						ps[k] = strings.TrimLeft(ps[k], " ")
					}
					add(&mdBlock{kind: bHeading, level: lvl, text: strings.TrimSpace(strings.Join(ps, "\n"))}, sawBlank)
					continue
				}
				if lvl == 1 {
					para = []string{s}
					continue
				}
			}
		}
		if thematicBreak(s) {
			flush()
			add(&mdBlock{kind: bHR}, sawBlank)
			continue
		}
		if p.depth < maxNesting && indentOf(s) <= 3 && strings.HasPrefix(strings.TrimLeft(s, " "), ">") {
			flush()
			var inner []string
			j := i
			lazyOK := false
			for j < len(lines) {
				l := lines[j]
				if indentOf(l) <= 3 && strings.HasPrefix(strings.TrimLeft(l, " "), ">") {
					t := strings.TrimLeft(l, " ")[1:]
					if strings.HasPrefix(t, " ") {
						t = t[1:]
					}
					inner = append(inner, t)
					lazyOK = !isBlank(t) && !startsBlock(t) && indentOf(t) < 4 || lazyOK && !isBlank(t) && !startsBlock(t)
					if isBlank(t) {
						lazyOK = false
					}
				} else if lazyOK && !isBlank(l) && !startsBlock(l) {
					inner = append(inner, l)
				} else {
					break
				}
				j++
			}
			p.depth++
			add(&mdBlock{kind: bQuote, children: p.parseBlocks(inner)}, sawBlank)
			p.depth--
			i = j - 1
			continue
		}
		if k := htmlBlockStart(s); k > 0 && (k < 7 || len(para) == 0) {
			flush()
			j := i
			add(&mdBlock{kind: bHTML}, sawBlank)
			if k <= 5 {
				if !htmlBlockEnds(k, lines[i]) {
					j = i + 1
					for j < len(lines) && !htmlBlockEnds(k, lines[j]) {
						j++
					}
					if j < len(lines) {
						// The closing line is written apart (another comment).
						add(&mdBlock{kind: bHTML}, sawBlank)
					}
				}
			} else {
				for j+1 < len(lines) && !isBlank(lines[j+1]) {
					j++
				}
			}
			i = j
			continue
		}
		if ordered, num, delim, width, empty, ok := listMarker(s); ok && p.depth < maxNesting && (len(para) == 0 || !empty && (!ordered || num == 1)) {
			flush()
			lb, next := p.parseList(lines, i, ordered, num, delim, width, empty)
			add(lb, sawBlank)
			i = next - 1
			continue
		}
		// GFM table: a header line followed by a delimiter row.
		if i+1 < len(lines) && strings.Contains(s, "|") {
			if aligns, ok := tableDelim(lines[i+1]); ok {
				header := tableRow(s)
				if len(header) == len(aligns) {
					flush()
					tb := &mdBlock{kind: bTable, aligns: aligns, rows: [][]string{header}}
					j := i + 2
					for j < len(lines) && !isBlank(lines[j]) && !startsBlock(lines[j]) {
						tb.rows = append(tb.rows, tableRow(lines[j]))
						j++
					}
					add(tb, sawBlank)
					i = j - 1
					continue
				}
			}
		}
		para = append(para, s)
	}
	flush()
	return out
}

// parseList reads the list starting at lines[i]; it returns the block and
// the index of the first line after it.
func (p *mdParser) parseList(lines []string, i int, ordered bool, start int, delim byte, width int, empty bool) (*mdBlock, int) {
	lb := &mdBlock{kind: bList, ordered: ordered, start: start, tight: true}
	sawBlankBetween := false
	for i < len(lines) {
		o, _, d, w, e, ok := listMarker(lines[i])
		if !ok || o != ordered || d != delim {
			break
		}
		if sawBlankBetween {
			lb.tight = false
		}
		width, empty = w, e
		var item []string
		first := ""
		if !empty {
			first = lines[i][width:]
		}
		item = append(item, first)
		j := i + 1
		blankRun := 0
		lazyOK := !empty && !isBlank(first)
		for j < len(lines) {
			l := lines[j]
			if isBlank(l) {
				if empty && len(item) == 1 && first == "" {
					break // an empty item ends at a blank line
				}
				item = append(item, "")
				blankRun++
				lazyOK = false
				j++
				continue
			}
			if indentOf(l) >= width {
				item = append(item, l[width:])
				blankRun = 0
				lazyOK = true
				j++
				continue
			}
			if blankRun == 0 && lazyOK && !startsBlock(l) && !thematicBreak(l) {
				if _, _, _, _, _, isItem := listMarker(l); !isItem {
					item = append(item, l)
					j++
					continue
				}
			}
			break
		}
		// Trailing blank lines belong between items, not to this one.
		trailing := 0
		for len(item) > 1 && item[len(item)-1] == "" {
			item = item[:len(item)-1]
			trailing++
		}
		task := 0
		if len(item) > 0 {
			t := item[0]
			if len(t) >= 3 && t[0] == '[' && t[2] == ']' && (t[1] == ' ' || t[1] == 'x' || t[1] == 'X') && (len(t) == 3 || t[3] == ' ' || t[3] == '\t') {
				if len(t) > 3 {
					task = 1
					if t[1] != ' ' {
						task = 2
					}
					item[0] = strings.TrimLeft(t[3:], " ")
				}
			}
		}
		p.depth++
		children := p.parseBlocks(item)
		p.depth--
		// A blank line between two of the item's direct children makes
		// the list loose.
		for _, c := range children {
			if c.blankBefore {
				lb.tight = false
			}
		}
		lb.items = append(lb.items, children)
		lb.task = append(lb.task, task)
		i = j - trailing
		sawBlankBetween = trailing > 0
		if sawBlankBetween {
			// The list goes on only if the next line is another item.
			if i+trailing < len(lines) {
				if o, _, d, _, _, ok := listMarker(lines[i+trailing]); ok && o == ordered && d == delim {
					i += trailing
					continue
				}
			}
			break
		}
	}
	return lb, i
}

// refDefs takes the link reference definitions off the start of a
// paragraph's lines (a definition's destination may be on its next line).
func (p *mdParser) refDefs(para []string) []string {
	for len(para) > 0 {
		if p.refDef(para[0]) {
			para = para[1:]
			continue
		}
		if len(para) > 1 && strings.HasSuffix(strings.TrimRight(para[0], " "), "]:") && p.refDef(strings.TrimRight(para[0], " ")+" "+strings.TrimSpace(para[1])) {
			para = para[2:]
			continue
		}
		break
	}
	return para
}

// refDef records a one-line link reference definition.
func (p *mdParser) refDef(s string) bool {
	t := strings.TrimLeft(s, " ")
	if indentOf(s) > 3 || !strings.HasPrefix(t, "[") {
		return false
	}
	end := strings.Index(t, "]:")
	if end < 2 {
		return false
	}
	label := t[1:end]
	if strings.ContainsAny(label, "[]") || strings.TrimSpace(label) == "" {
		return false
	}
	rest := strings.TrimSpace(t[end+2:])
	if rest == "" {
		return false
	}
	var dest, title string
	if strings.HasPrefix(rest, "<") {
		k := strings.Index(rest, ">")
		if k < 0 {
			return false
		}
		dest, rest = rest[1:k], strings.TrimSpace(rest[k+1:])
	} else {
		k := strings.IndexAny(rest, " \t")
		if k < 0 {
			dest, rest = rest, ""
		} else {
			dest, rest = rest[:k], strings.TrimSpace(rest[k:])
		}
	}
	if rest != "" {
		if len(rest) < 2 {
			return false
		}
		o, c := rest[0], rest[len(rest)-1]
		if !(o == '"' && c == '"' || o == '\'' && c == '\'' || o == '(' && c == ')') {
			return false
		}
		title = rest[1 : len(rest)-1]
	}
	key := normLabel(label)
	if _, ok := p.refs[key]; !ok {
		p.refs[key] = mdRef{dest: dest, title: title}
	}
	return true
}

// normLabel is a reference label's key (CommonMark labels have at most
// 999 characters; a longer one matches nothing).
func normLabel(s string) string {
	if len(s) > 999 {
		return "\x00"
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func (p *mdParser) render(b *strings.Builder, blocks []*mdBlock, tight bool) {
	for bi, bl := range blocks {
		switch bl.kind {
		case bPara:
			if tight {
				b.WriteString(p.inline(bl.text))
				if bi < len(blocks)-1 {
					b.WriteByte('\n')
				}
			} else {
				b.WriteString("<p>")
				b.WriteString(p.inline(bl.text))
				b.WriteString("</p>\n")
			}
		case bHeading:
			h := strconv.Itoa(bl.level)
			b.WriteString("<h" + h + ">")
			b.WriteString(p.inline(bl.text))
			b.WriteString("</h" + h + ">\n")
		case bCode:
			b.WriteString("<pre><code")
			if bl.info != "" {
				lang := bl.info
				if k := strings.IndexAny(lang, " \t"); k >= 0 {
					lang = lang[:k]
				}
				b.WriteString(` class="language-`)
				b.WriteString(escapeHTML(unescapeText(lang)))
				b.WriteString(`"`)
			}
			b.WriteString(">")
			b.WriteString(escapeHTML(bl.text))
			b.WriteString("</code></pre>\n")
		case bQuote:
			b.WriteString("<blockquote>\n")
			p.render(b, bl.children, false)
			b.WriteString("</blockquote>\n")
		case bHR:
			b.WriteString("<hr>\n")
		case bHTML:
			b.WriteString("<!-- raw HTML omitted -->\n")
		case bList:
			tag := "ul"
			if bl.ordered {
				tag = "ol"
			}
			b.WriteString("<" + tag)
			if bl.ordered && bl.start != 1 {
				b.WriteString(` start="` + strconv.Itoa(bl.start) + `"`)
			}
			b.WriteString(">\n")
			for k, item := range bl.items {
				b.WriteString("<li>")
				if bl.task[k] > 0 {
					if bl.task[k] == 2 {
						b.WriteString(`<input checked="" disabled="" type="checkbox"> `)
					} else {
						b.WriteString(`<input disabled="" type="checkbox"> `)
					}
				}
				if len(item) > 0 && !(bl.tight && item[0].kind == bPara) {
					b.WriteByte('\n')
				}
				p.render(b, item, bl.tight)
				b.WriteString("</li>\n")
			}
			b.WriteString("</" + tag + ">\n")
		case bTable:
			b.WriteString("<table>\n<thead>\n<tr>\n")
			for k, c := range bl.rows[0] {
				b.WriteString("<th" + alignAttr(bl.aligns[k]) + ">")
				b.WriteString(p.inline(c))
				b.WriteString("</th>\n")
			}
			b.WriteString("</tr>\n</thead>\n")
			if len(bl.rows) > 1 {
				b.WriteString("<tbody>\n")
				for _, row := range bl.rows[1:] {
					b.WriteString("<tr>\n")
					for k := range bl.aligns {
						c := ""
						if k < len(row) {
							c = row[k]
						}
						b.WriteString("<td" + alignAttr(bl.aligns[k]) + ">")
						b.WriteString(p.inline(c))
						b.WriteString("</td>\n")
					}
					b.WriteString("</tr>\n")
				}
				b.WriteString("</tbody>\n")
			}
			b.WriteString("</table>\n")
		}
	}
}

func alignAttr(a string) string {
	if a == "" {
		return ""
	}
	return ` style="text-align:` + a + `"`
}

func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `&<>"`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// entities are the named character references READMEs use; others stay
// as written (escaped). Built on first use.
var entities = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u00a0", "copy": "©", "reg": "®",
		"trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "laquo": "«", "raquo": "»", "ldquo": "“",
		"rdquo": "”", "lsquo": "‘", "rsquo": "’", "bull": "•", "middot": "·", "times": "×", "divide": "÷",
		"larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "harr": "↔", "check": "✓", "deg": "°", "plusmn": "±",
		"para": "¶", "sect": "§", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "ensp": "\u2002", "emsp": "\u2003",
		"thinsp": "\u2009", "zwj": "\u200d", "zwnj": "\u200c", "shy": "\u00ad", "iexcl": "¡", "iquest": "¿",
		"frac12": "½", "frac14": "¼", "frac34": "¾", "sup2": "²", "sup3": "³", "micro": "µ", "infin": "∞", "ne": "≠",
		"le": "≤", "ge": "≥", "star": "☆", "hearts": "♥", "dagger": "†", "Dagger": "‡", "lambda": "λ", "pi": "π",
		"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "mu": "μ", "sigma": "σ", "omega": "ω", "Delta": "Δ",
		"Omega": "Ω", "rArr": "⇒", "lArr": "⇐", "hArr": "⇔", "minus": "−", "lowast": "∗", "sim": "∼", "asymp": "≈",
		"equiv": "≡", "prime": "′", "Prime": "″", "oline": "‾", "frasl": "⁄", "loz": "◊", "spades": "♠", "clubs": "♣",
		"diams": "♦", "num": "#", "excl": "!", "dollar": "$", "percnt": "%", "lpar": "(", "rpar": ")", "ast": "*",
		"plus": "+", "comma": ",", "period": ".", "sol": "/", "colon": ":", "semi": ";", "equals": "=", "quest": "?",
		"commat": "@", "lsqb": "[", "rsqb": "]", "bsol": "\\", "lowbar": "_", "grave": "`", "lcub": "{", "rcub": "}",
		"verbar": "|", "vert": "|", "Tab": "\t", "NewLine": "\n", "hyphen": "‐", "Rarr": "↠", "Larr": "↞",
		"Uarr": "↟", "Darr": "↡", "crarr": "↵", "rarrw": "↝", "lrarr": "⇆", "rlarr": "⇄", "map": "↦", "nearr": "↗",
		"searr": "↘", "nwarr": "↖", "swarr": "↙", "cross": "✗", "sext": "✶", "hookrightarrow": "↪", "RightArrow": "→",
		"LeftArrow": "←", "DoubleRightArrow": "⇒", "emsp13": "\u2004", "emsp14": "\u2005", "numsp": "\u2007",
		"puncsp": "\u2008", "hairsp": "\u200a", "ZeroWidthSpace": "\u200b", "lrm": "\u200e", "rlm": "\u200f",
		"acute": "´", "cedil": "¸", "ordf": "ª", "ordm": "º", "not": "¬", "macr": "¯", "uml": "¨", "curren": "¤", "brvbar": "¦",
		"Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "auml": "ä", "ouml": "ö", "uuml": "ü", "szlig": "ß", "eacute": "é", "egrave": "è",
		"Eacute": "É", "aacute": "á", "agrave": "à", "iacute": "í", "oacute": "ó", "uacute": "ú", "ntilde": "ñ", "ccedil": "ç",
		"ecirc": "ê", "acirc": "â", "ocirc": "ô", "icirc": "î", "ucirc": "û", "aring": "å", "Aring": "Å", "aelig": "æ", "oslash": "ø",
	}
})

// entityAt decodes a character reference at s[i] ('&'): the text and its
// length, or ok=false.
func entityAt(s string, i int) (string, int, bool) {
	j := strings.IndexByte(s[i:min(len(s), i+34)], ';')
	if j < 2 || j > 33 {
		return "", 0, false
	}
	name := s[i+1 : i+j]
	if name[0] == '#' {
		var n uint64
		var err error
		if len(name) > 1 && (name[1] == 'x' || name[1] == 'X') {
			if len(name) < 3 || len(name) > 8 {
				return "", 0, false
			}
			n, err = strconv.ParseUint(name[2:], 16, 32)
		} else {
			if len(name) < 2 || len(name) > 8 {
				return "", 0, false
			}
			n, err = strconv.ParseUint(name[1:], 10, 32)
		}
		if err != nil {
			return "", 0, false
		}
		r := rune(n)
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), j + 1, true
	}
	for k := 0; k < len(name); k++ {
		c := name[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", 0, false
		}
	}
	if v, ok := entities()[name]; ok {
		return v, j + 1, true
	}
	return "", 0, false
}

// unescapeText resolves backslash escapes and character references.
func unescapeText(s string) string {
	if !strings.ContainsAny(s, "\\&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '&' {
			if v, n, ok := entityAt(s, i); ok {
				b.WriteString(v)
				i += n - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// safeURL is a link target as written in an href or src attribute: percent-
// encoded where a URL needs it, or "" for a dangerous scheme.
func safeURL(dest string) string {
	dest = unescapeText(dest)
	var b strings.Builder
	for i := 0; i < len(dest); {
		c := dest[i]
		if c < utf8.RuneSelf && urlSafe(c) {
			b.WriteByte(c)
			i++
			continue
		}
		if c == '%' && i+2 < len(dest) && isHex(dest[i+1]) && isHex(dest[i+2]) {
			b.WriteString(dest[i : i+3])
			i += 3
			continue
		}
		if c == ' ' {
			b.WriteString("%20")
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(dest[i:])
		if r == utf8.RuneError && size == 1 {
			i++
			continue
		}
		b.WriteString(url.QueryEscape(dest[i : i+size]))
		i += size
	}
	u := b.String()
	low := strings.ToLower(u)
	if strings.HasPrefix(low, "data:image/") && len(u) >= 11 {
		v := low[11:]
		if strings.HasPrefix(v, "png") || strings.HasPrefix(v, "gif") || strings.HasPrefix(v, "jpeg") || strings.HasPrefix(v, "webp") {
			return escapeHTML(u)
		}
		return ""
	}
	if strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "vbscript:") || strings.HasPrefix(low, "file:") || strings.HasPrefix(low, "data:") {
		return ""
	}
	return escapeHTML(u)
}

func urlSafe(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&'()*+,-./:;=?@_~", c) >= 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// Inlines: a list of nodes; delimiter runs (* _ ~) and brackets are
// resolved the way CommonMark describes (links first, then emphasis).

type inode struct {
	kind     int // iText, iHTML (already rendered), iDelim, iOpen ("[" or "!["), iLink, iImage
	s        string
	ch       byte // delimiter character
	n        int  // delimiter run length left
	orig     int  // run length as written
	canOpen  bool
	canClose bool
	active   bool // a bracket that can still open a link
	image    bool
	href     string
	title    string
	hasTitle bool
	children []*inode
	// emphasis wrappers produced by processEmphasis
	pos  int    // an opener: where its text starts in the source
	link string // iAuto: the text a bare link shows, kept when it sits inside a link
}

const (
	iText = iota
	iHTML
	iDelim
	iOpen
	iLink
	iAuto // a bare URL or e-mail made a link (plain text inside a link's text)
)

func (p *mdParser) inline(text string) string {
	nodes := p.parseInline(text)
	var b strings.Builder
	writeInlines(&b, nodes)
	return b.String()
}

func writeInlines(b *strings.Builder, nodes []*inode) {
	for _, n := range nodes {
		switch n.kind {
		case iText:
			b.WriteString(escapeHTML(n.s))
		case iHTML, iAuto:
			b.WriteString(n.s)
		case iDelim:
			b.WriteString(escapeHTML(strings.Repeat(string(n.ch), n.n)))
		case iOpen:
			if n.image {
				b.WriteString("![")
			} else {
				b.WriteString("[")
			}
		case iLink:
			if n.image {
				b.WriteString(`<img src="` + n.href + `" alt="`)
				b.WriteString(escapeHTML(plainText(n.children)))
				b.WriteString(`"`)
				if n.hasTitle {
					b.WriteString(` title="` + escapeHTML(n.title) + `"`)
				}
				b.WriteString(">")
				continue
			}
			b.WriteString(`<a href="` + n.href + `"`)
			if n.hasTitle {
				b.WriteString(` title="` + escapeHTML(n.title) + `"`)
			}
			b.WriteString(">")
			writeInlines(b, n.children)
			b.WriteString("</a>")
		}
	}
}

func plainText(nodes []*inode) string {
	var b strings.Builder
	for _, n := range nodes {
		switch n.kind {
		case iText:
			b.WriteString(n.s)
		case iAuto:
			b.WriteString(n.link)
		case iDelim:
			b.WriteString(strings.Repeat(string(n.ch), n.n))
		case iOpen:
			if n.image {
				b.WriteString("![")
			} else {
				b.WriteString("[")
			}
		case iLink:
			b.WriteString(plainText(n.children))
		}
	}
	return b.String()
}

// maxInlineMarks bounds the brackets and emphasis marks of one paragraph
// that are matched up: matching is quadratic in the worst case, and a
// README is anyone's input. A paragraph with more (no real README has
// them) is shown as text.
const maxInlineMarks = 4000

func (p *mdParser) parseInline(s string) []*inode {
	if strings.Count(s, "[")+strings.Count(s, "]")+strings.Count(s, "*")+strings.Count(s, "_")+strings.Count(s, "~") > maxInlineMarks {
		return []*inode{{kind: iText, s: unescapeText(s)}}
	}
	var nodes []*inode
	var text strings.Builder
	flushText := func() {
		if text.Len() > 0 {
			nodes = append(nodes, &inode{kind: iText, s: text.String()})
			text.Reset()
		}
	}
	html := func(h string) {
		flushText()
		nodes = append(nodes, &inode{kind: iHTML, s: h})
	}
	auto := func(h, shown string) {
		flushText()
		nodes = append(nodes, &inode{kind: iAuto, s: h, link: shown})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			flushText()
			html("<br>\n")
			i += 2
			continue
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			text.WriteByte(s[i+1])
			i += 2
			continue
		case c == '\n':
			// Trailing spaces: two or more make a hard break.
			t := text.String()
			trimmed := strings.TrimRight(t, " ")
			hard := len(t)-len(trimmed) >= 2
			text.Reset()
			text.WriteString(trimmed)
			if hard {
				html("<br>\n")
			} else {
				text.WriteByte('\n')
			}
			i++
			for i < len(s) && s[i] == ' ' {
				i++
			}
			continue
		case c == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			if end := findBackticks(s, i+n, n); end >= 0 {
				code := strings.ReplaceAll(s[i+n:end], "\n", " ")
				if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
					code = code[1 : len(code)-1]
				}
				html("<code>" + escapeHTML(code) + "</code>")
				i = end + n
				continue
			}
			text.WriteString(s[i : i+n])
			i += n
			continue
		case c == '*' || c == '_' || c == '~':
			n := 0
			for i+n < len(s) && s[i+n] == c {
				n++
			}
			if c == '~' && n > 2 {
				text.WriteString(s[i : i+n])
				i += n
				continue
			}
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			if i == 0 {
				before = ' '
			}
			after, _ := utf8.DecodeRuneInString(s[i+n:])
			if i+n >= len(s) {
				after = ' '
			}
			lf := !unicode.IsSpace(after) && (!isPunctRune(after) || unicode.IsSpace(before) || isPunctRune(before))
			rf := !unicode.IsSpace(before) && (!isPunctRune(before) || unicode.IsSpace(after) || isPunctRune(after))
			d := &inode{kind: iDelim, ch: c, n: n, orig: n}
			if c == '_' {
				d.canOpen = lf && (!rf || isPunctRune(before))
				d.canClose = rf && (!lf || isPunctRune(after))
			} else {
				d.canOpen, d.canClose = lf, rf
			}
			flushText()
			nodes = append(nodes, d)
			i += n
			continue
		case c == '[' || c == '!' && i+1 < len(s) && s[i+1] == '[':
			flushText()
			img := c == '!'
			if img {
				i += 2
			} else {
				i++
			}
			nodes = append(nodes, &inode{kind: iOpen, image: img, active: true, pos: i})
			continue
		case c == ']':
			flushText()
			var ok bool
			nodes, i, ok = p.closeBracket(nodes, s, i)
			if !ok {
				text.WriteByte(']')
				i++
			}
			continue
		case c == '<':
			if n, h := autolinkAt(s, i); n > 0 {
				html(h)
				i += n
				continue
			}
			if n := htmlTagLen(s[i:]); n > 0 {
				html("<!-- raw HTML omitted -->")
				i += n
				continue
			}
		case c == '&':
			if v, n, ok := entityAt(s, i); ok {
				text.WriteString(v)
				i += n
				continue
			}
		case c == 'h' || c == 'w' || c == 'H' || c == 'W':
			if n, h := linkifyAt(s, i, hasOpener(nodes)); n > 0 {
				auto(h, s[i:i+n])
				i += n
				continue
			}
		case c == '@':
			// A bare e-mail address: the local part is already in text.
			t := text.String()
			k := len(t)
			for k > 0 && isEmailLocal(t[k-1]) {
				k--
			}
			// The address must start a word in the source (not follow an
			// entity such as &lt;).
			if start := i - (len(t) - k); k < len(t) && (start == 0 || strings.IndexByte(" \t\n(*_~", s[start-1]) >= 0) && strings.HasSuffix(s[:i], t[k:]) {
				if n := emailDomainLen(s[i+1:]); n > 0 {
					local := t[k:]
					text.Reset()
					text.WriteString(t[:k])
					addr := local + "@" + s[i+1:i+1+n]
					auto(`<a href="mailto:`+safeURL(addr)+`">`+escapeHTML(addr)+"</a>", addr)
					i += 1 + n
					continue
				}
			}
		}
		text.WriteByte(c)
		i++
	}
	flushText()
	return processEmphasis(nodes)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isEmailLocal(c byte) bool {
	return isAlnum(c) || strings.IndexByte(".+-_", c) >= 0
}

func emailDomainLen(s string) int {
	n, dots := 0, 0
	for n < len(s) && (isAlnum(s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.') {
		if s[n] == '.' {
			dots++
		}
		n++
	}
	for n > 0 && (s[n-1] == '.' || s[n-1] == '-' || s[n-1] == '_') {
		if s[n-1] == '.' {
			dots--
		}
		n--
	}
	if dots == 0 {
		return 0
	}
	return n
}

func isPunctRune(r rune) bool {
	if r < 128 {
		return isASCIIPunct(byte(r))
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

func findBackticks(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		k := 0
		for i+k < len(s) && s[i+k] == '`' {
			k++
		}
		if k == n {
			return i
		}
		i += k
	}
	return -1
}

// autolinkAt reads <scheme:...> or <address@host> at s[i].
func autolinkAt(s string, i int) (int, string) {
	end := strings.IndexAny(s[i+1:], " \t\n<>") + 1
	if end <= 0 || s[i+end] != '>' {
		return 0, ""
	}
	body := s[i+1 : i+end]
	if strings.ContainsAny(body, " <\n\t") || body == "" {
		return 0, ""
	}
	if k := strings.IndexByte(body, ':'); k >= 2 && k <= 32 && isAlpha(body[0]) {
		ok := true
		for j := 1; j < k; j++ {
			c := body[j]
			if !(isAlnum(c) || c == '+' || c == '.' || c == '-') {
				ok = false
			}
		}
		if ok {
			return end + 1, `<a href="` + safeURL(body) + `">` + escapeHTML(body) + "</a>"
		}
	}
	if at := strings.IndexByte(body, '@'); at > 0 && emailDomainLen(body[at+1:]) == len(body)-at-1 {
		return end + 1, `<a href="mailto:` + safeURL(body) + `">` + escapeHTML(body) + "</a>"
	}
	return 0, ""
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// htmlTagLen is the length of an inline HTML tag, comment, processing
// instruction, declaration or CDATA section at the start of s (0 if none).
func htmlTagLen(s string) int {
	if len(s) < 2 || s[0] != '<' {
		return 0
	}
	switch {
	case strings.HasPrefix(s, "<!--"):
		if k := strings.Index(s[4:], "-->"); k >= 0 {
			return 4 + k + 3
		}
		return 0
	case strings.HasPrefix(s, "<?"):
		if k := strings.Index(s, "?>"); k >= 0 {
			return k + 2
		}
		return 0
	case strings.HasPrefix(s, "<![CDATA["):
		if k := strings.Index(s, "]]>"); k >= 0 {
			return k + 3
		}
		return 0
	case s[1] == '!':
		if len(s) > 2 && isAlpha(s[2]) {
			if k := strings.IndexByte(s, '>'); k >= 0 {
				return k + 1
			}
		}
		return 0
	}
	i := 1
	closing := false
	if s[i] == '/' {
		closing = true
		i++
	}
	if i >= len(s) || !isAlpha(s[i]) {
		return 0
	}
	for i < len(s) && (isAlnum(s[i]) || s[i] == '-') {
		i++
	}
	if closing {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i < len(s) && s[i] == '>' {
			return i + 1
		}
		return 0
	}
	for {
		ws := 0
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
			ws++
		}
		if i >= len(s) {
			return 0
		}
		if s[i] == '>' {
			return i + 1
		}
		if s[i] == '/' {
			if i+1 < len(s) && s[i+1] == '>' {
				return i + 2
			}
			return 0
		}
		if ws == 0 || !(isAlpha(s[i]) || s[i] == '_' || s[i] == ':') {
			return 0
		}
		for i < len(s) && (isAlnum(s[i]) || strings.IndexByte("_.:-", s[i]) >= 0) {
			i++
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		if j < len(s) && s[j] == '=' {
			j++
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
				j++
			}
			if j >= len(s) {
				return 0
			}
			switch q := s[j]; q {
			case '"', '\'':
				k := strings.IndexByte(s[j+1:], q)
				if k < 0 {
					return 0
				}
				j += k + 2
			default:
				k := j
				for k < len(s) && strings.IndexByte(" \t\n\"'=<>`", s[k]) < 0 {
					k++
				}
				if k == j {
					return 0
				}
				j = k
			}
			i = j
		}
	}
}

// linkifyAt reads a bare http(s):// or www. link at s[i] (GitHub's
// extended autolinks), when it starts a word.
func linkifyAt(s string, i int, inBrackets bool) (int, string) {
	if i > 0 {
		prev := s[i-1]
		if !(prev == ' ' || prev == '\n' || prev == '\t' || prev == '*' || prev == '_' || prev == '~' || prev == '(') {
			return 0, ""
		}
	}
	rest := s[i:]
	low := strings.ToLower(rest[:min(len(rest), 8)])
	prefix := ""
	switch {
	case strings.HasPrefix(low, "https://"):
	case strings.HasPrefix(low, "http://"):
	case strings.HasPrefix(low, "www."):
		prefix = "http://"
	default:
		return 0, ""
	}
	n := 0
	for n < len(rest) && rest[n] > ' ' && rest[n] < utf8.RuneSelf && rest[n] != '<' && !(inBrackets && rest[n] == ']') {
		n++
	}
	// Trailing punctuation is not part of the link; a closing parenthesis
	// only when unbalanced.
	for n > 0 {
		c := rest[n-1]
		if strings.IndexByte("?!.,:*_~'\"", c) >= 0 {
			n--
			continue
		}
		if c == ')' && strings.Count(rest[:n], "(") < strings.Count(rest[:n], ")") {
			n--
			continue
		}
		if c == ';' {
			if k := strings.LastIndexByte(rest[:n], '&'); k >= 0 && isAlnumString(rest[k+1:n-1]) {
				n = k
				continue
			}
		}
		break
	}
	link := rest[:n]
	host := link
	if prefix == "" {
		host = link[strings.Index(link, "//")+2:]
	}
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	if !strings.Contains(host, ".") {
		return 0, ""
	}
	if prefix == "" && host == "" {
		return 0, ""
	}
	return n, `<a href="` + safeURL(prefix+link) + `">` + escapeHTML(link) + "</a>"
}

func hasOpener(nodes []*inode) bool {
	for _, n := range nodes {
		if n.kind == iOpen {
			return true
		}
	}
	return false
}

func isAlnumString(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// closeBracket handles "]" at s[i]: a link or image when an opener and a
// destination (inline or reference) match.
func (p *mdParser) closeBracket(nodes []*inode, s string, i int) ([]*inode, int, bool) {
	o := -1
	for k := len(nodes) - 1; k >= 0; k-- {
		if nodes[k].kind == iOpen {
			o = k
			break
		}
	}
	if o < 0 {
		return nodes, i, false
	}
	op := nodes[o]
	if !op.active {
		nodes = append(nodes[:o], nodes[o+1:]...)
		nodes = append(nodes, &inode{kind: iText, s: bracketText(op)})
		// the opener's text goes back in its place
		nodes = moveLastTo(nodes, o)
		return nodes, i, false
	}
	j := i + 1
	var dest, title string
	hasTitle, found := false, false
	if j < len(s) && s[j] == '(' {
		if d, t, ht, n, ok := inlineDest(s[j:]); ok {
			dest, title, hasTitle, found = d, t, ht, true
			j += n
		}
	}
	if !found {
		label := ""
		if j < len(s) && s[j] == '[' {
			if k := strings.IndexByte(s[j+1:], ']'); k >= 0 {
				label = s[j+1 : j+1+k]
				if label == "" {
					label = s[op.pos:i]
				}
				if r, ok := p.refs[normLabel(label)]; ok {
					dest, title, hasTitle, found = r.dest, r.title, r.title != "", true
					j += k + 2
				}
			}
		}
		if !found && label == "" {
			if r, ok := p.refs[normLabel(s[op.pos:i])]; ok {
				dest, title, hasTitle, found = r.dest, r.title, r.title != "", true
			}
		}
	}
	if !found {
		nodes[o] = &inode{kind: iText, s: bracketText(op)}
		return nodes, i, false
	}
	link := &inode{kind: iLink, image: op.image, href: safeURL(dest), title: unescapeText(title), hasTitle: hasTitle}
	children := append([]*inode(nil), nodes[o+1:]...)
	for _, c := range children {
		if c.kind == iAuto {
			c.kind, c.s = iText, c.link // no links inside links
		}
	}
	link.children = processEmphasis(children)
	nodes = append(nodes[:o], link)
	if !op.image {
		// No links inside links: earlier openers can no longer make one.
		for _, n := range nodes[:o] {
			if n.kind == iOpen && !n.image {
				n.active = false
			}
		}
	}
	return nodes, j, true
}

func moveLastTo(nodes []*inode, at int) []*inode {
	last := nodes[len(nodes)-1]
	copy(nodes[at+1:], nodes[at:len(nodes)-1])
	nodes[at] = last
	return nodes
}

func bracketText(op *inode) string {
	if op.image {
		return "!["
	}
	return "["
}

// inlineDest parses "(dest "title")" at the start of s.
func inlineDest(s string) (dest, title string, hasTitle bool, n int, ok bool) {
	i := 1
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
	}
	skip()
	if i < len(s) && s[i] == '<' {
		k := strings.IndexAny(s[i+1:], ">\n")
		if k < 0 || s[i+1+k] != '>' {
			return
		}
		dest = s[i+1 : i+1+k]
		i += k + 2
	} else {
		depth := 0
		start := i
		for i < len(s) {
			c := s[i]
			if c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
				i += 2
				continue
			}
			if c == '(' {
				depth++
			} else if c == ')' {
				if depth == 0 {
					break
				}
				depth--
			} else if c <= ' ' {
				break
			}
			i++
		}
		dest = s[start:i]
	}
	skip()
	if i < len(s) && (s[i] == '"' || s[i] == '\'' || s[i] == '(') {
		closer := s[i]
		if closer == '(' {
			closer = ')'
		}
		k := i + 1
		for k < len(s) && s[k] != closer {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		if k >= len(s) {
			return
		}
		title, hasTitle = s[i+1:k], true
		i = k + 1
		skip()
	}
	if i >= len(s) || s[i] != ')' {
		return
	}
	return dest, title, hasTitle, i + 1, true
}

// processEmphasis turns matched delimiter runs into em, strong and del.
func processEmphasis(nodes []*inode) []*inode {
	for {
		// The first closer with a matching opener before it.
		ci, oi := -1, -1
		for k, n := range nodes {
			if n.kind != iDelim || !n.canClose || n.n == 0 {
				continue
			}
			for m := k - 1; m >= 0; m-- {
				o := nodes[m]
				if o.kind != iDelim || o.ch != n.ch || !o.canOpen || o.n == 0 {
					continue
				}
				if n.ch == '~' {
					if o.n != n.n {
						continue
					}
				} else if (o.canClose || n.canOpen) && (o.orig+n.orig)%3 == 0 && !(o.orig%3 == 0 && n.orig%3 == 0) {
					continue
				}
				oi = m
				break
			}
			if oi >= 0 {
				ci = k
				break
			}
		}
		if ci < 0 {
			break
		}
		o, c := nodes[oi], nodes[ci]
		use := 1
		tag := "em"
		switch {
		case c.ch == '~':
			use, tag = c.n, "del"
		case o.n >= 2 && c.n >= 2:
			use, tag = 2, "strong"
		}
		o.n -= use
		c.n -= use
		inner := append([]*inode(nil), nodes[oi+1:ci]...)
		// Delimiters between the two can no longer match anything.
		for _, n := range inner {
			if n.kind == iDelim {
				n.canOpen, n.canClose = false, false
			}
		}
		var b strings.Builder
		b.WriteString("<" + tag + ">")
		writeInlines(&b, inner)
		b.WriteString("</" + tag + ">")
		wrapped := &inode{kind: iHTML, s: b.String()}
		rest := append([]*inode{wrapped}, nodes[ci:]...)
		nodes = append(nodes[:oi+1], rest...)
	}
	return nodes
}
