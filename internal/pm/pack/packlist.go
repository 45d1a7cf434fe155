// Package pack selects a package's files the way npm-packlist does and
// writes npm's tarball layout (package/ prefix, portable headers, fixed
// mtime, 0644/0755 modes), so `gnode pack` and `gnode publish` produce what
// `npm pack` would.
package pack

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/pm/manifest"
)

// Synthetic ignore-file names for the rule sets npm-packlist injects.
const (
	defaultRules = "\x00default"
	strictRules  = "\x00strict"
)

// defaults are npm-packlist's rules applied in every directory.
var defaults = []string{
	".npmignore", ".gitignore",
	"**/.git", "**/.svn", "**/.hg", "**/CVS",
	"**/.git/**", "**/.svn/**", "**/.hg/**", "**/CVS/**",
	"/.lock-wscript", "/.wafpickle-*", "/build/config.gypi",
	"npm-debug.log", "**/.npmrc", ".*.swp", ".DS_Store", "**/.DS_Store/**",
	"._*", "**/._*/**", "*.orig", "/archived-packages/**",
}

var strictDefaults = []string{"/.git"}

// pkgJSON is the part of package.json the file selection reads.
type pkgJSON struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Main                 any               `json:"main"`
	Browser              any               `json:"browser"`
	Bin                  any               `json:"bin"`
	Files                any               `json:"files"`
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	BundleDependencies   any               `json:"bundleDependencies"`
	BundledDependencies  any               `json:"bundledDependencies"`
	Directories          struct {
		Bin string `json:"bin"`
	} `json:"directories"`
}

func readPkg(dir string) (*pkgJSON, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	var p pkgJSON
	if err := json.Unmarshal(b, &p); err != nil {
		if _, perr := manifest.Parse(filepath.Join(dir, "package.json"), b); perr != nil {
			return nil, perr
		}
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), err)
	}
	return &p, nil
}

// bins returns the normalised bin map (name -> path), expanding
// directories.bin as npm's normalisation does when bin is absent.
func (p *pkgJSON) bins(dir string) map[string]string {
	if p.Bin == nil && p.Directories.Bin != "" {
		base := filepath.Join(dir, filepath.FromSlash(p.Directories.Bin))
		out := map[string]string{}
		filepath.WalkDir(base, func(fp string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(base, fp)
			rel = filepath.ToSlash(rel)
			if strings.HasPrefix(rel, ".") {
				return nil
			}
			out[path.Base(rel)] = strings.TrimPrefix(path.Clean("/"+p.Directories.Bin+"/"+rel), "/")
			return nil
		})
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return manifest.NormalizeBin(p.Name, p.Bin)
}

func (p *pkgJSON) filesList() ([]string, bool) {
	switch f := p.Files.(type) {
	case []any:
		var out []string
		for _, e := range f {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

func (p *pkgJSON) bundled() []string {
	v := p.BundleDependencies
	if v == nil {
		v = p.BundledDependencies
	}
	switch b := v.(type) {
	case bool:
		if b {
			var out []string
			for k := range p.Dependencies {
				out = append(out, k)
			}
			sort.Strings(out)
			return out
		}
	case []any:
		var out []string
		for _, e := range b {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// walker is one directory of ignore-walk's walk.
type walker struct {
	path        string // absolute, with forward slashes
	basename    string
	parent      *walker
	root        string
	result      map[string]bool
	ignoreFiles []string
	rules       map[string][]*Rule
	exact       bool
	isPackage   bool
	required    []string
	pkg         *pkgJSON
	ctx         *walkCtx
}

type walkCtx struct {
	projectRoot string
	seen        map[string]bool
}

func parseRules(data string) []*Rule {
	var out []*Rule
	for _, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, ParseRule(t))
	}
	if out == nil {
		out = []*Rule{}
	}
	return out
}

func newWalker(dir string, parent *walker, ignoreFiles []string, isPackage bool, required []string, ctx *walkCtx) *walker {
	w := &walker{
		path:        filepath.ToSlash(dir),
		basename:    filepath.Base(dir),
		parent:      parent,
		ignoreFiles: ignoreFiles,
		rules:       map[string][]*Rule{},
		isPackage:   isPackage,
		required:    required,
		ctx:         ctx,
	}
	if parent != nil {
		w.root = parent.root
		w.result = parent.result
	} else {
		w.root = w.path
		w.result = map[string]bool{}
	}
	w.rules[defaultRules] = parseRules(strings.Join(defaults, "\n"))
	if !isPackage {
		var strict []string
		strict = append(strict, strictDefaults...)
		for _, f := range required {
			strict = append(strict, "!"+f)
		}
		w.rules[strictRules] = parseRules(strings.Join(strict, "\n"))
	}
	return w
}

func (w *walker) isIgnoreFile(e string) bool {
	for _, f := range w.ignoreFiles {
		if f == e {
			return true
		}
	}
	return false
}

func (w *walker) walk() error {
	ents, err := os.ReadDir(filepath.FromSlash(w.path))
	if err != nil {
		return err
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	for _, e := range names {
		if !w.isIgnoreFile(e) {
			continue
		}
		if e == "package.json" && w.isPackage {
			if err := w.processPackage(); err != nil {
				return err
			}
			continue
		}
		b, err := os.ReadFile(filepath.FromSlash(w.path + "/" + e))
		if err != nil {
			return err
		}
		w.rules[e] = parseRules(string(b))
	}
	// Precedence: files in package.json, then .npmignore, then .gitignore.
	// An empty ignore file still counts (an empty rule list is truthy in JS).
	if _, ok := w.rules["package.json"]; ok {
		delete(w.rules, ".npmignore")
		delete(w.rules, ".gitignore")
	} else if _, ok := w.rules[".npmignore"]; ok {
		delete(w.rules, ".gitignore")
	}
	for _, e := range names {
		passFile := w.filterEntry(e, false, "", false)
		passDir := w.filterEntry(e, true, "", false)
		if !passFile && !passDir {
			continue
		}
		if strings.Contains(e, "*") {
			continue // npm refuses names that are bad on Windows
		}
		abs := w.path + "/" + e
		st, err := os.Lstat(filepath.FromSlash(abs))
		if err != nil {
			return err
		}
		switch {
		case st.Mode().IsRegular():
			if passFile {
				w.result[abs[len(w.root)+1:]] = true
			}
		case st.IsDir():
			if passDir {
				exact := passFile || w.filterEntry(e+"/", false, "", false)
				if err := w.child(e, exact).walk(); err != nil {
					return err
				}
			}
		}
	}
	if w.isPackage {
		return w.gatherBundles()
	}
	return nil
}

func (w *walker) child(entry string, exact bool) *walker {
	var req []string
	for _, f := range w.required {
		// files under entry, relative to it
		if rel, ok := strings.CutPrefix(f, entry+"/"); ok && !strings.Contains(rel, "/") {
			req = append(req, rel)
		}
	}
	c := newWalker(w.path+"/"+entry, w, []string{defaultRules, ".npmignore", ".gitignore", strictRules}, false, req, w.ctx)
	c.exact = exact
	return c
}

func (w *walker) filterEntry(entry string, partial bool, entryBasename string, hasBase bool) bool {
	included := true
	if w.parent != nil {
		pb := entry
		if hasBase {
			pb = entryBasename
		}
		included = w.parent.filterEntry(w.basename+"/"+entry, partial, pb, true)
		if !included && !w.exact {
			return false
		}
	}
	for _, f := range w.ignoreFiles {
		rules := w.rules[f]
		for _, rule := range rules {
			if rule.Negate == included {
				continue
			}
			isRel := hasBase && entryBasename != "" && rule.isRelative()
			match := rule.Match("/"+entry, false) || rule.Match(entry, false) ||
				(partial && (rule.Match("/"+entry+"/", false) || rule.Match(entry+"/", false) ||
					(rule.Negate && (rule.Match("/"+entry, true) || rule.Match(entry, true))) ||
					(isRel && (rule.Match("/"+entryBasename+"/", false) || rule.Match(entryBasename+"/", false) ||
						(rule.Negate && (rule.Match("/"+entryBasename, true) || rule.Match(entryBasename, true)))))))
			if match {
				included = rule.Negate
			}
		}
	}
	return included
}

func (w *walker) processPackage() error {
	p, err := readPkg(filepath.FromSlash(w.path))
	if err != nil {
		return err
	}
	w.pkg = p
	var ignores []string
	strict := append([]string{}, strictDefaults...)
	strict = append(strict,
		"!/package.json", "!/readme{,.*[^~$]}", "!/copying{,.*[^~$]}",
		"!/license{,.*[^~$]}", "!/licence{,.*[^~$]}",
		"/.git", "/node_modules", ".npmrc",
		"/package-lock.json", "/yarn.lock", "/pnpm-lock.yaml", "/bun.lockb")
	if files, ok := p.filesList(); ok {
		for _, file := range files {
			if strings.HasPrefix(file, "./") {
				file = file[1:]
			}
			if strings.HasSuffix(file, "/*") {
				file += "*"
			}
			inverse := "!" + file
			st, err := os.Lstat(filepath.Join(filepath.FromSlash(w.path), filepath.FromSlash(strings.TrimLeft(file, "!"))))
			if err != nil {
				ignores = append(ignores, inverse)
				continue
			}
			if st.Mode().IsRegular() {
				strict = append([]string{inverse}, strict...)
				w.required = append(w.required, strings.TrimPrefix(file, "/"))
			} else if st.IsDir() {
				ignores = append(ignores, inverse, inverse+"/**")
			}
		}
		w.rules["package.json"] = parseRules(strings.Join(append([]string{"*"}, ignores...), "\n"))
	}
	if s, ok := p.Browser.(string); ok && s != "" {
		strict = append(strict, "!/"+s)
	}
	if s, ok := p.Main.(string); ok && s != "" {
		strict = append(strict, "!/"+s)
	}
	for _, target := range sortedValues(p.bins(filepath.FromSlash(w.path))) {
		strict = append(strict, "!/"+target)
	}
	w.rules[strictRules] = parseRules(strings.Join(strict, "\n"))
	return nil
}

func sortedValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// gatherBundles adds bundled dependencies (and, for a bundled package, its
// production and optional dependencies) found in node_modules.
func (w *walker) gatherBundles() error {
	if w.ctx.seen[w.path] {
		return nil
	}
	w.ctx.seen[w.path] = true
	if w.pkg == nil {
		return nil
	}
	var toBundle []string
	if w.path == w.ctx.projectRoot {
		for _, d := range w.pkg.bundled() {
			if _, dev := w.pkg.DevDependencies[d]; dev {
				if _, prod := w.pkg.Dependencies[d]; !prod {
					if _, opt := w.pkg.OptionalDependencies[d]; !opt {
						continue
					}
				}
			}
			if _, peer := w.pkg.PeerDependencies[d]; peer {
				if _, prod := w.pkg.Dependencies[d]; !prod {
					continue
				}
			}
			toBundle = append(toBundle, d)
		}
	} else {
		toBundle = append(toBundle, sortedKeys(w.pkg.Dependencies)...)
		toBundle = append(toBundle, sortedKeys(w.pkg.OptionalDependencies)...)
	}
	for _, dep := range toBundle {
		dir := resolveDep(w.path, w.ctx.projectRoot, dep)
		if dir == "" {
			continue
		}
		bw := newWalker(dir, nil, []string{"package.json", strictRules}, true, nil, w.ctx)
		if err := bw.walk(); err != nil {
			return err
		}
		rel, err := filepath.Rel(filepath.FromSlash(w.root), filepath.FromSlash(dir))
		if err != nil {
			return err
		}
		for f := range bw.result {
			w.result[path.Join(filepath.ToSlash(rel), f)] = true
		}
	}
	return nil
}

// resolveDep finds dep the way Node would from dir, without leaving root.
func resolveDep(dir, root, dep string) string {
	for d := dir; ; d = path.Dir(d) {
		cand := d + "/node_modules/" + dep
		if st, err := os.Stat(filepath.FromSlash(cand)); err == nil && st.IsDir() {
			if _, err := os.Stat(filepath.FromSlash(cand + "/package.json")); err == nil {
				return cand
			}
		}
		if d == root || !strings.HasPrefix(d, root) || path.Dir(d) == d {
			return ""
		}
		if path.Base(path.Dir(d)) == "node_modules" {
			d = path.Dir(d) // skip to the folder holding node_modules
			if strings.HasPrefix(path.Base(d), "@") {
				d = path.Dir(d)
			}
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Files lists the files npm would pack from dir, relative and with forward
// slashes, in npm's tarball order.
func Files(dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, "package.json")); err != nil {
		return nil, fmt.Errorf("no package.json in %s: %w", abs, err)
	}
	ctx := &walkCtx{projectRoot: filepath.ToSlash(abs), seen: map[string]bool{}}
	w := newWalker(abs, nil, []string{defaultRules, "package.json", ".npmignore", ".gitignore", strictRules}, true, nil, ctx)
	if err := w.walk(); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(w.result))
	for f := range w.result {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return packSort(out[i], out[j]) < 0 })
	return out, nil
}

// packSort is npm-packlist's order, chosen for compressibility: extension,
// then basename, then the whole path (paths starting with '@' compare as
// "./@...").
func packSort(a, b string) int {
	if strings.HasPrefix(a, "@") {
		a = "./" + a
	}
	if strings.HasPrefix(b, "@") {
		b = "./" + b
	}
	if c := manifest.LocaleCompare(strings.ToLower(nodeExt(a)), strings.ToLower(nodeExt(b))); c != 0 {
		return c
	}
	if c := manifest.LocaleCompare(strings.ToLower(path.Base(a)), strings.ToLower(path.Base(b))); c != 0 {
		return c
	}
	return manifest.LocaleCompare(a, b)
}

// nodeExt is Node's path.extname: a leading dot does not start an extension.
func nodeExt(p string) string {
	b := path.Base(p)
	i := strings.LastIndexByte(b, '.')
	if i <= 0 {
		return ""
	}
	return b[i:]
}
