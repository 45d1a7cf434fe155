package httpapi

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// goldmarkHTML renders with goldmark and its GitHub extensions, which the
// registry used before renderMarkdown: the pages must read the same. Only
// the tests import it (its package initialisation cost every gnode
// command about 3 ms).
func goldmarkHTML(s string) string {
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(s), &b); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

// mdCases cover each construct READMEs use (and the hostile ones).
var mdCases = []string{
	"# Title\n\nSome *emphasis*, __strong__ and `code`.\n",
	"Setext\n======\n\nSub\n---\n",
	"- a\n- b\n  - nested\n- c\n",
	"1. one\n2. two\n\n3. three\n",
	"5) five\n6) six\n",
	"* loose\n\n* list\n",
	"- [ ] todo\n- [x] done\n",
	"> quote\ncontinued\n> > nested\n",
	"```js\nconst a = 1 < 2 && b;\n```\n",
	"~~~\nplain\n~~~\n",
	"    indented\n    code\n",
	"| a | b |\n|:--|--:|\n| 1 | 2 |\n| `x|y` | **z** |\n",
	"| h |\n| :-: |\n",
	"***\n---\n___\n",
	"A [link](https://example.com \"Title\") and ![img](a.png).\n",
	"[ref] and [text][ref] and [ref][].\n\n[ref]: https://example.com/ref 'T'\n",
	"Visit https://example.com/path?q=1. Or www.example.com, or mail me@example.com!\n",
	"<div>\nraw block\n</div>\n\nafter\n",
	"inline <span>html</span> & entities &copy; &#169; &#x1F600; &bogus;\n",
	"<!-- comment -->\n\n<!--\nmulti\n-->\n",
	"<script>alert(1)</script>\n",
	"[x](javascript:alert(1)) [y](data:text/html,x) ![z](data:image/png;base64,AA==)\n",
	"line with two spaces  \nnext\\\nlast\n",
	"~~strike~~ and ~one~\n",
	"*a **b** c* and ***both***\n",
	"snake_case_word and _under_\n",
	"\\*not emphasis\\* \\# \\[x\\]\n",
	"<https://auto.link> <me@example.com>\n",
	"[![badge](https://img.example/b.svg)](https://example.com)\n",
	"Heading with `code` and [link](u)\n---\n",
	"# Closing hashes ##\n",
	"1. a\n\n   para in item\n\n   ```\n   code\n   ```\n2. b\n",
	"- a\n\n  b\n- c\n",
	"text\n* item interrupts\n",
	"\tindented with tab\n",
	"```\n\ttab in code\n```\n",
	"| a |\n|---|\n| b |\ntext after\n",
	"[unicode](https://example.com/é ü)\n",
	"Quotes \"in\" text and 'single'\n",
	"> - list in quote\n> - two\n",
	"Windows\r\nline\r\n\r\n```\r\ncode\r\n```\r\n",
}

// TestMarkdownMatchesGoldmark: each case renders exactly as goldmark did.
func TestMarkdownMatchesGoldmark(t *testing.T) {
	for _, c := range mdCases {
		if want, got := goldmarkHTML(c), renderMarkdown(c); want != got {
			t.Errorf("%q:\ngoldmark %q\ngnode    %q", c, want, got)
		}
	}
}

// TestMarkdownCorpus compares whole READMEs when GNODE_MARKDOWN_CORPUS
// names some (a glob, e.g. the README.md files of an installed
// node_modules); real READMEs are not copied into this repository.
func TestMarkdownCorpus(t *testing.T) {
	glob := os.Getenv("GNODE_MARKDOWN_CORPUS")
	if glob == "" {
		t.Skip("set GNODE_MARKDOWN_CORPUS to a glob of Markdown files to compare them with goldmark")
	}
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("GNODE_MARKDOWN_CORPUS=%s matches no file (%v)", glob, err)
	}
	var differ []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if goldmarkHTML(string(b)) != renderMarkdown(string(b)) {
			differ = append(differ, f)
		}
	}
	t.Logf("%d of %d files render as goldmark renders them", len(files)-len(differ), len(files))
	if len(differ) > 0 {
		t.Errorf("rendered differently from goldmark:\n%s", strings.Join(differ, "\n"))
	}
}

// FuzzMarkdownSafe: whatever the input, no tag but the renderer's own
// comes out, no dangerous link target survives, and nothing panics.
func FuzzMarkdownSafe(f *testing.F) {
	for _, c := range mdCases {
		f.Add(c)
	}
	allowed := map[string]bool{}
	for _, tag := range strings.Fields("p h1 h2 h3 h4 h5 h6 em strong del code pre blockquote ul ol li hr br a img table thead tbody tr th td input") {
		allowed[tag] = true
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := renderMarkdown(src)
		for i := 0; i < len(out); i++ {
			if out[i] != '<' {
				continue
			}
			rest := out[i+1:]
			if strings.HasPrefix(rest, "!-- raw HTML omitted -->") {
				continue
			}
			rest = strings.TrimPrefix(rest, "/")
			n := 0
			for n < len(rest) && rest[n] >= 'a' && rest[n] <= 'z' || n > 0 && n < len(rest) && rest[n] >= '1' && rest[n] <= '6' {
				n++
			}
			if !allowed[rest[:n]] {
				t.Fatalf("%q rendered a <%s tag:\n%s", src, rest[:min(n+10, len(rest))], out)
			}
		}
		low := strings.ToLower(out)
		for _, bad := range []string{`="javascript:`, `="vbscript:`, `="file:`, "<script", " onerror="} {
			if strings.Contains(low, bad) {
				t.Fatalf("%q rendered %q:\n%s", src, bad, out)
			}
		}
		// data: targets only as the images goldmark allowed.
		for rest := low; ; {
			k := strings.Index(rest, `="data:`)
			if k < 0 {
				break
			}
			rest = rest[k+len(`="data:`):]
			ok := false
			for _, img := range []string{"image/png", "image/gif", "image/jpeg", "image/webp"} {
				ok = ok || strings.HasPrefix(rest, img)
			}
			if !ok {
				t.Fatalf("%q rendered a data: target:\n%s", src, out)
			}
		}
	})
}
