package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Workspace is one package of a monorepo, found from the root's
// "workspaces" globs.
type Workspace struct {
	Name string // the package name, or the folder's name when package.json has none
	Path string // the folder relative to the root, slash-separated ("packages/a")
	Dir  string // the absolute folder
}

// ErrWorkspacesConfig is a "workspaces" field that is neither an array of
// globs nor an object with a "packages" array (npm's EWORKSPACESCONFIG).
var ErrWorkspacesConfig = errors.New("workspaces config expects an array of folder globs")

// WorkspacePatterns returns the root's workspace globs: the "workspaces"
// array, or the "packages" array of the object form yarn uses. A project
// without workspaces returns nil.
func (m *Manifest) WorkspacePatterns() ([]string, error) {
	v := m.Doc.Get("workspaces")
	if v == nil {
		return nil, nil
	}
	if v.Kind == ObjectKind {
		if p := v.Object.Get("packages"); p != nil && p.Kind == Array {
			v = p
		} else if len(v.Object.Keys) == 0 {
			return nil, nil
		}
	}
	if v.Kind != Array {
		return nil, fmt.Errorf("%s: %w", m.Path, ErrWorkspacesConfig)
	}
	var out []string
	for _, e := range v.Arr {
		if e.Kind != String {
			return nil, fmt.Errorf("%s: %w (found a non-string entry)", m.Path, ErrWorkspacesConfig)
		}
		out = append(out, e.Str)
	}
	return out, nil
}

// DuplicateWorkspaceError is two workspace folders with the same package name.
type DuplicateWorkspaceError struct {
	Name  string
	Paths []string
}

func (e *DuplicateWorkspaceError) Error() string {
	return fmt.Sprintf("must not have multiple workspaces with the same name: package %q is in %s", e.Name, strings.Join(e.Paths, " and "))
}

// Hint says how to fix it.
func (e *DuplicateWorkspaceError) Hint() string {
	return "rename one of the packages, or exclude a folder from \"workspaces\" with a !pattern"
}

// Workspaces finds the project's workspace packages the way npm's
// map-workspaces does: each glob matches folders (never inside
// node_modules or dot folders, unless the glob says so), a folder is a
// workspace when it has a package.json, "!glob" entries exclude, and the
// result is in pattern order, each pattern's matches sorted.
func Workspaces(dir string, m *Manifest) ([]Workspace, error) {
	pats, err := m.WorkspacePatterns()
	if err != nil || len(pats) == 0 {
		return nil, err
	}
	var include [][]string // per pattern, its globs after brace expansion
	var exclude []string
	for _, p := range pats {
		bangs := len(p) - len(strings.TrimLeft(p, "!"))
		p = strings.ReplaceAll(p[bangs:], "\\", "/")
		// npm strips a leading "./" or "/" (the globs are relative to the root).
		if q := strings.TrimPrefix(p, "."); strings.HasPrefix(q, "/") {
			p = strings.TrimLeft(q, "/")
		}
		p = strings.TrimSuffix(p, "/")
		if bangs%2 == 1 {
			exclude = append(exclude, p)
			continue
		}
		// A later pattern re-includes what an earlier negation excluded.
		kept := exclude[:0]
		for _, x := range exclude {
			if !globMatch(x, p) {
				kept = append(kept, x)
			}
		}
		exclude = kept
		include = append(include, expandBraces(p))
	}
	seen := map[string]bool{}
	var found []Workspace
	byName := map[string][]string{}
	for _, globs := range include {
		var matches []string
		for _, g := range globs {
			walkGlob(dir, "", strings.Split(g, "/"), func(rel string) { matches = append(matches, rel) })
		}
		sort.Slice(matches, func(i, j int) bool { return LocaleCompare(matches[i], matches[j]) < 0 })
	matches:
		for _, rel := range matches {
			if seen[rel] {
				continue
			}
			seen[rel] = true
			for _, x := range exclude {
				if globMatch(x, rel) || globMatch(x+"/**", rel) {
					continue matches
				}
			}
			abs := filepath.Join(dir, filepath.FromSlash(rel))
			raw, err := os.ReadFile(filepath.Join(abs, "package.json"))
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					continue // a matching folder without package.json is not a workspace
				}
				return nil, fmt.Errorf("workspace %s: %w", rel, err)
			}
			var pj struct {
				Name any `json:"name"`
			}
			if err := json.Unmarshal(raw, &pj); err != nil {
				return nil, fmt.Errorf("workspace %s: invalid package.json: %w", rel, err)
			}
			name, _ := pj.Name.(string)
			if name == "" {
				name = nameFromFolder(rel)
			}
			if len(byName[name]) == 0 {
				found = append(found, Workspace{Name: name, Path: rel, Dir: abs})
			}
			byName[name] = append(byName[name], rel)
		}
	}
	for _, w := range found {
		if ps := byName[w.Name]; len(ps) > 1 {
			return nil, &DuplicateWorkspaceError{Name: w.Name, Paths: ps}
		}
	}
	return found, nil
}

// nameFromFolder is a nameless package's name: its folder, with the scope
// folder when it sits in one ("@s/x").
func nameFromFolder(rel string) string {
	base := path.Base(rel)
	if parent := path.Base(path.Dir(rel)); strings.HasPrefix(parent, "@") {
		return parent + "/" + base
	}
	return base
}

// walkGlob calls fn with every folder under root/rel matching segs.
func walkGlob(root, rel string, segs []string, fn func(rel string)) {
	if len(segs) == 0 {
		if rel != "" {
			fn(rel)
		}
		return
	}
	seg := segs[0]
	join := func(name string) string {
		if rel == "" {
			return name
		}
		return rel + "/" + name
	}
	if seg == "" || seg == "." {
		walkGlob(root, rel, segs[1:], fn)
		return
	}
	if seg == "**" {
		walkGlob(root, rel, segs[1:], fn) // zero folders
		for _, name := range subdirs(root, rel, false) {
			walkGlob(root, join(name), segs, fn)
		}
		return
	}
	if !strings.ContainsAny(seg, "*?[") {
		if seg == "node_modules" {
			return
		}
		if st, err := os.Stat(filepath.Join(root, filepath.FromSlash(join(seg)))); err == nil && st.IsDir() {
			walkGlob(root, join(seg), segs[1:], fn)
		}
		return
	}
	for _, name := range subdirs(root, rel, strings.HasPrefix(seg, ".")) {
		if ok, _ := path.Match(seg, name); ok {
			walkGlob(root, join(name), segs[1:], fn)
		}
	}
}

// subdirs lists the folders in root/rel, without node_modules and, unless
// dot is set, without dot folders (glob's defaults).
func subdirs(root, rel string, dot bool) []string {
	ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		name := e.Name()
		if name == "node_modules" || (!dot && strings.HasPrefix(name, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			st, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel), name))
			isDir = err == nil && st.IsDir()
		}
		if isDir {
			out = append(out, name)
		}
	}
	return out
}

// globMatch matches a slash path against a glob with ** segments.
func globMatch(glob, p string) bool {
	for _, g := range expandBraces(glob) {
		if matchSegs(strings.Split(g, "/"), strings.Split(p, "/")) {
			return true
		}
	}
	return false
}

func matchSegs(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}

// expandBraces expands {a,b} alternatives (nested ones too).
func expandBraces(s string) []string {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return []string{s}
	}
	depth, close := 0, -1
	var commas []int
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 1 {
				commas = append(commas, i)
			}
		}
		if depth == 0 {
			close = i
			break
		}
	}
	if close < 0 || len(commas) == 0 {
		return []string{s}
	}
	var out []string
	start := open + 1
	for _, c := range append(commas, close) {
		for _, rest := range expandBraces(s[:open] + s[start:c] + s[close+1:]) {
			out = append(out, rest)
		}
		start = c + 1
	}
	return out
}

// NoWorkspacesError is a --workspace filter that selects nothing.
type NoWorkspacesError struct{ Filters []string }

func (e *NoWorkspacesError) Error() string {
	if len(e.Filters) == 0 {
		return "no workspaces found"
	}
	return "no workspaces found: --workspace=" + strings.Join(e.Filters, " --workspace=")
}

// Hint says what a filter may be.
func (e *NoWorkspacesError) Hint() string {
	return "a --workspace value is a workspace's package name or folder (a parent folder selects every workspace inside it)"
}

// SelectWorkspaces applies npm's --workspace filters: each is a package
// name, a workspace folder, or a folder containing workspaces, relative to
// from (the current folder) or the root. No filters select every
// workspace; includeRoot adds the root project first (as a Workspace with
// Path ""). The order is the root's, each workspace once.
func SelectWorkspaces(rootDir, rootName, from string, ws []Workspace, filters []string, includeRoot bool) ([]Workspace, error) {
	var out []Workspace
	seen := map[string]bool{}
	add := func(w Workspace) {
		if !seen[w.Dir] {
			seen[w.Dir] = true
			out = append(out, w)
		}
	}
	if includeRoot {
		add(Workspace{Name: rootName, Path: "", Dir: rootDir})
	}
	if len(filters) == 0 {
		for _, w := range ws {
			add(w)
		}
	}
	for _, f := range filters {
		for _, w := range ws {
			if f == w.Name {
				add(w)
				continue
			}
			for _, base := range []string{from, rootDir} {
				abs := f
				if !filepath.IsAbs(abs) {
					abs = filepath.Join(base, f)
				}
				rel, err := filepath.Rel(filepath.Clean(abs), w.Dir)
				if err == nil && (rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))) {
					add(w)
					break
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, &NoWorkspacesError{Filters: filters}
	}
	return out, nil
}

// ResolveWorkspaceSpecs rewrites the `workspace:` dependency specs of m
// for publishing, as pnpm and yarn do: workspace:* becomes the workspace's
// exact version, workspace:^ and workspace:~ that version with the prefix,
// workspace:<range> the range, and workspace:<other>@<range> an npm: alias.
// versions maps each workspace's name to its version. It reports whether
// anything changed.
func ResolveWorkspaceSpecs(m *Manifest, versions map[string]string) (bool, error) {
	changed := false
	for _, field := range []string{Dependencies, DevDependencies, OptionalDependencies, PeerDependencies} {
		v := m.Doc.Get(field)
		if v == nil || v.Kind != ObjectKind {
			continue
		}
		for _, name := range v.Object.Keys {
			e := v.Object.Get(name)
			if e.Kind != String || !strings.HasPrefix(strings.TrimSpace(e.Str), "workspace:") {
				continue
			}
			rest := strings.TrimPrefix(strings.TrimSpace(e.Str), "workspace:")
			target, alias := name, false
			if at := strings.LastIndexByte(rest, '@'); at > 0 {
				target, rest, alias = rest[:at], rest[at+1:], true
			}
			ver, ok := versions[target]
			if !ok {
				return changed, fmt.Errorf("%s: %s %q: %w: %s", m.Path, field, name+"@"+e.Str, ErrNoWorkspace, target)
			}
			var spec string
			switch rest {
			case "*", "":
				spec = ver
			case "^", "~":
				spec = rest + ver
			default:
				spec = rest
			}
			if spec == "" {
				return changed, fmt.Errorf("%s: workspace %s has no version to publish %s@%s with", m.Path, target, name, e.Str)
			}
			if alias && target != name {
				spec = "npm:" + target + "@" + spec
			}
			v.Object.Set(name, StringValue(spec))
			changed = true
		}
	}
	if changed {
		m.refresh()
	}
	return changed, nil
}

// ErrNoWorkspace is a workspace: spec naming a package that is not a
// workspace of the project.
var ErrNoWorkspace = errors.New("no workspace of that name")
