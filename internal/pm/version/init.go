package version

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gnode/internal/pm/manifest"
)

// InitOptions are npm init's inputs. Answers, when set, replace the
// defaults the way the prompts would (key -> answer); Yes takes every
// default without asking.
type InitOptions struct {
	Scope      string // --scope / the scope config
	Version    string // init-version ("1.0.0")
	License    string // init-license ("ISC")
	Type       string // init-type ("commonjs")
	AuthorName string // init-author-name
	AuthorMail string // init-author-email
	AuthorURL  string // init-author-url
	SavePrefix string // save-prefix ("^")
	SaveExact  bool
	// Prompt, when non-nil, asks for a value: it gets the question and the
	// default and returns the answer ("" keeps the default).
	Prompt func(question, def string) string
}

var testPkgs = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"coco": true, "coffee-script": true, "expresso": true, "jasmine": true, "jest": true, "mocha": true, "streamline": true, "tap": true}
})

const noTest = `echo "Error: no test specified" && exit 1`

// Init builds (or completes) dir's package.json as `npm init` does and
// writes it. It returns the written bytes.
func Init(dir string, o InitOptions) ([]byte, error) {
	pjPath := filepath.Join(dir, "package.json")
	var m *manifest.Manifest
	if b, err := os.ReadFile(pjPath); err == nil {
		if m, err = manifest.Parse(pjPath, b); err != nil {
			return nil, err
		}
	} else {
		m, _ = manifest.Parse(pjPath, []byte("{}"))
		m.Path, m.Indent, m.Newline = pjPath, "  ", "\n"
	}
	doc := m.Doc
	has := func(k string) bool { return doc.Get(k) != nil }
	ask := func(q, def string) string {
		if o.Prompt == nil {
			return def
		}
		if a := o.Prompt(q, def); a != "" {
			return a
		}
		return def
	}
	set := func(k string, v *manifest.Value) {
		if v != nil {
			doc.Set(k, v)
		}
	}
	str := manifest.StringValue
	base := filepath.Base(dir)

	name := base
	if v := doc.Get("name"); v != nil && v.Kind == manifest.String {
		name = v.Str
	}
	name = regexp.MustCompile(`^node-|[.-]js$`).ReplaceAllString(name, "")
	name = strings.ToLower(strings.ReplaceAll(regexp.MustCompile(`\s+`).ReplaceAllString(name, " "), " ", "-"))
	if o.Scope != "" {
		sc := o.Scope
		if !strings.HasPrefix(sc, "@") {
			sc = "@" + sc
		}
		if i := strings.IndexByte(name, '/'); strings.HasPrefix(name, "@") && i > 0 {
			name = sc + "/" + name[i+1:]
		} else {
			name = sc + "/" + name
		}
	}
	set("name", str(ask("package name", name)))

	ver := o.Version
	if ver == "" {
		ver = "1.0.0"
	}
	if v := doc.Get("version"); v != nil && v.Kind == manifest.String {
		ver = v.Str
	}
	set("version", str(ask("version", ver)))
	if !has("description") {
		set("description", str(ask("description", "")))
	}
	if !has("main") {
		var js []string
		if ents, err := os.ReadDir(dir); err == nil {
			for _, e := range ents {
				if strings.HasSuffix(e.Name(), ".js") {
					js = append(js, e.Name())
				}
			}
		}
		idx := "index.js"
		switch {
		case contains(js, "index.js"):
		case contains(js, "main.js"):
			idx = "main.js"
		case contains(js, base+".js"):
			idx = base + ".js"
		case len(js) > 0:
			idx = js[0]
		}
		set("main", str(ask("entry point", idx)))
	}
	if !has("bin") {
		if ents, err := os.ReadDir(filepath.Join(dir, "bin")); err == nil {
			for _, e := range ents {
				if strings.HasSuffix(e.Name(), ".js") {
					// Normalised as npm does: {<name without scope>: path}.
					bn := manifest.NewObject()
					n := doc.Get("name").Str
					if i := strings.LastIndexByte(n, '/'); i >= 0 {
						n = n[i+1:]
					}
					bn.Set(n, str("bin/"+e.Name()))
					set("bin", manifest.ObjectValue(bn))
					break
				}
			}
		}
	}
	{
		dirs := manifest.NewObject()
		if ents, err := os.ReadDir(dir); err == nil {
			found := map[string]string{}
			for _, e := range ents {
				n := e.Name()
				switch {
				case n == "example" || n == "examples":
					found["example"] = n
				case n == "test" || n == "tests":
					found["test"] = n
				case n == "doc" || n == "docs":
					found["doc"] = n
				case n == "man":
					found["man"] = n
				case n == "lib":
					found["lib"] = n
				}
			}
			// Keys appear in the order npm's reduce first sets them, which
			// follows the directory listing.
			for _, e := range ents {
				for _, k := range []string{"example", "test", "doc", "man", "lib"} {
					if found[k] == e.Name() && dirs.Get(k) == nil {
						dirs.Set(k, str(e.Name()))
					}
				}
			}
		}
		if len(dirs.Keys) > 0 {
			set("directories", manifest.ObjectValue(dirs))
		}
	}
	nm, nmErr := os.ReadDir(filepath.Join(dir, "node_modules"))
	readDeps := func(test bool, excluded *manifest.Value) *manifest.Value {
		if nmErr != nil {
			return nil
		}
		deps := manifest.NewObject()
		for _, e := range nm {
			d := e.Name()
			if strings.HasPrefix(d, ".") || test != testPkgs()[d] {
				continue
			}
			if excluded != nil && excluded.Kind == manifest.ObjectKind && excluded.Object.Get(d) != nil {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, "node_modules", d, "package.json"))
			if err != nil {
				continue
			}
			var p struct{ Version string }
			if json.Unmarshal(b, &p) != nil || p.Version == "" {
				continue
			}
			pre := o.SavePrefix
			if pre == "" && !o.SaveExact {
				pre = "^"
			}
			deps.Set(d, str(pre+p.Version))
		}
		return manifest.ObjectValue(deps)
	}
	if !has("dependencies") {
		set("dependencies", readDeps(false, doc.Get("devDependencies")))
	}
	if !has("devDependencies") {
		set("devDependencies", readDeps(true, doc.Get("dependencies")))
	}
	if !has("scripts") {
		cmd := ""
		for _, k := range []string{"tap", "expresso", "mocha"} {
			for _, e := range nm {
				if e.Name() == k {
					cmd = map[string]string{"tap": "tap test/*.js", "expresso": "expresso test", "mocha": "mocha"}[k]
				}
			}
		}
		def := cmd
		if def == "" {
			def = noTest
		}
		sc := manifest.NewObject()
		sc.Set("test", str(ask("test command", def)))
		set("scripts", manifest.ObjectValue(sc))
	}
	var host []string
	if !has("repository") {
		// Normalisation: a repository string becomes {type, url}; hosted
		// repositories also get bugs and homepage (added last).
		if url := ask("git repository", gitOrigin(dir)); url != "" {
			r := manifest.NewObject()
			r.Set("type", str("git"))
			if host = hostedRe().FindStringSubmatch(url); host != nil {
				url = "git+https://" + host[1] + "/" + host[2] + "/" + host[3] + ".git"
			}
			r.Set("url", str(url))
			doc.Set("repository", manifest.ObjectValue(r))
		}
	}
	if !has("keywords") {
		kw := ask("keywords", "")
		arr := &manifest.Value{Kind: manifest.Array, Arr: []*manifest.Value{}}
		for _, k := range regexp.MustCompile(`[\s,]+`).Split(kw, -1) {
			if k != "" {
				arr.Arr = append(arr.Arr, str(k))
			}
		}
		set("keywords", arr)
	}
	if !has("author") {
		if o.AuthorName != "" {
			a := manifest.NewObject()
			a.Set("name", str(o.AuthorName))
			if o.AuthorMail != "" {
				a.Set("email", str(o.AuthorMail))
			}
			if o.AuthorURL != "" {
				a.Set("url", str(o.AuthorURL))
			}
			set("author", manifest.ObjectValue(a))
		} else {
			set("author", str(ask("author", "")))
		}
	}
	lic := o.License
	if lic == "" {
		lic = "ISC"
	}
	if v := doc.Get("license"); v != nil && v.Kind == manifest.String {
		lic = v.Str
	}
	set("license", str(ask("license", lic)))
	typ := o.Type
	if typ == "" {
		typ = "commonjs"
	}
	if v := doc.Get("type"); v != nil && v.Kind == manifest.String {
		typ = v.Str
	}
	set("type", str(ask("type", typ)))
	if host != nil {
		web := "https://" + host[1] + "/" + host[2] + "/" + host[3]
		if !has("bugs") {
			b := manifest.NewObject()
			b.Set("url", str(web+"/issues"))
			doc.Set("bugs", manifest.ObjectValue(b))
		}
		if !has("homepage") {
			doc.Set("homepage", str(web+"#readme"))
		}
	}
	out := m.Bytes()
	if err := manifest.WriteFileAtomic(pjPath, out); err != nil {
		return nil, err
	}
	return out, nil
}

var hostedRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:git\+)?(?:https?|git|ssh)://(?:[^@/]+@)?(github\.com|gitlab\.com|bitbucket\.org)[:/]([^/]+)/([^/#]+?)(?:\.git)?/?$`)
})

// gitOrigin reads the origin remote from .git/config as npm init does
// (the line after `[remote "origin"]`, or the one after that).
func gitOrigin(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		return ""
	}
	lines := regexp.MustCompile(`\r?\n`).Split(string(b), -1)
	urlRe := regexp.MustCompile(`^\s*url =`)
	for i, l := range lines {
		if l != `[remote "origin"]` {
			continue
		}
		u := ""
		if i+1 < len(lines) && urlRe.MatchString(lines[i+1]) {
			u = lines[i+1]
		} else if i+2 < len(lines) && urlRe.MatchString(lines[i+2]) {
			u = lines[i+2]
		}
		u = regexp.MustCompile(`^\s*url = `).ReplaceAllString(u, "")
		if strings.HasPrefix(u, "git@github.com:") {
			u = "https://github.com/" + strings.TrimPrefix(u, "git@github.com:")
		}
		return u
	}
	return ""
}

func contains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	if i < len(list) && list[i] == s {
		return true
	}
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
