// Package ls reads an installed node_modules tree the way npm's arborist
// loads an actual tree, and renders `npm ls` (human, --json, --parseable),
// `npm explain` (gnode why) and the data of `npm outdated`.
package ls

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/npm/semver"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/manifest"
)

// Node is one installed package folder (or the project root).
type Node struct {
	Name     string
	Version  string
	Path     string // absolute
	Location string // relative to the root, "" for the root
	Resolved string
	// resolvedFor is the version the hidden lockfile recorded Resolved
	// for; npm drops Resolved when the folder now holds another version.
	resolvedFor string
	Pkg         map[string]any
	Parent      *Node
	Children    map[string]*Node
	IsRoot      bool
	Edges       []*Edge // in arborist's load order, later types override
	// Extraneous is set when no edge from the root reaches the node.
	Extraneous bool
	// Dev, Optional, Peer are arborist's dep flags: reached only through
	// such edges.
	Dev, Optional, Peer bool
	// Link is a symlink to a folder of the project (a workspace or a
	// file: dependency); TargetLocation is that folder relative to the
	// root, and the node's children are the packages inside it.
	Link           bool
	TargetLocation string
	// IsWorkspace marks the link to one of the root's workspaces.
	IsWorkspace bool
}

// Edge is a dependency declared by From.
type Edge struct {
	From *Node
	Name string
	Spec string
	Type string // prod, dev, optional, peer, peerOptional
	To   *Node
}

// PkgID is name@version.
func (n *Node) PkgID() string { return n.Name + "@" + n.Version }

// lsPkgID is arborist's pkgid, which npm ls prints: an alias shows the
// package it points at ("lf@npm:leaf@1.0.0").
func (n *Node) lsPkgID() string {
	if pn, _ := n.Pkg["name"].(string); !n.IsRoot && pn != "" && pn != n.Name {
		return n.Name + "@npm:" + pn + "@" + n.Version
	}
	return n.PkgID()
}

// IsOptionalType reports optional and peerOptional edges.
func (e *Edge) IsOptionalType() bool { return e.Type == "optional" || e.Type == "peerOptional" }

// Dev, Peer report the edge flags npm filters with --omit.
func (e *Edge) isType(t string) bool {
	switch t {
	case "dev":
		return e.Type == "dev"
	case "optional":
		return e.IsOptionalType()
	case "peer":
		return e.Type == "peer" || e.Type == "peerOptional"
	}
	return false
}

// Missing reports an edge whose package is not installed.
func (e *Edge) Missing() bool { return e.To == nil }

// Invalid reports an installed package that does not satisfy the spec.
func (e *Edge) Invalid() bool {
	if e.To == nil {
		return false
	}
	return !specSatisfied(e.Name, e.Spec, e.To)
}

func specSatisfied(name, spec string, n *Node) bool {
	spec = strings.TrimSpace(spec)
	if rest, ok := strings.CutPrefix(spec, "npm:"); ok {
		an, ar := rest, ""
		if at := strings.LastIndexByte(rest, '@'); at > 0 {
			an, ar = rest[:at], rest[at+1:]
		}
		if pn, _ := n.Pkg["name"].(string); pn != an {
			return false
		}
		spec = ar
	}
	if spec == "" || spec == "*" || spec == "latest" {
		return true
	}
	for _, p := range []string{"file:", "link:", "git", "http:", "https:", "github:", "workspace:"} {
		if strings.HasPrefix(spec, p) {
			return true
		}
	}
	if strings.Contains(spec, "/") && !strings.HasPrefix(spec, "@") {
		return true // owner/repo shorthand
	}
	if _, err := semver.ParseRangeLoose(spec); err != nil {
		return true // a dist-tag: npm accepts whatever is installed
	}
	return semver.Satisfies(n.Version, spec, semver.Options{Loose: true})
}

// Load reads the project at dir and its node_modules.
func Load(dir string) (*Node, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root := &Node{Path: abs, IsRoot: true, Children: map[string]*Node{}}
	b, err := os.ReadFile(filepath.Join(abs, "package.json"))
	if err == nil {
		if _, perr := manifest.Parse(filepath.Join(abs, "package.json"), b); perr != nil {
			return nil, perr
		}
		json.Unmarshal(b, &root.Pkg)
	}
	if root.Pkg == nil {
		root.Pkg = map[string]any{}
	}
	root.Name, _ = root.Pkg["name"].(string)
	if root.Name == "" {
		root.Name = filepath.Base(abs)
	}
	root.Version, _ = root.Pkg["version"].(string)
	if linker.IsIsolated(abs) {
		// Folders and symlinks on disk are the isolated layout's; the
		// tree to show is the hoisted one its hidden lockfile records.
		loadIsolated(root)
	} else {
		resolved := hiddenLockResolved(filepath.Join(abs, "node_modules", ".package-lock.json"))
		loadChildren(root, root, resolved)
	}
	var all []*Node
	walk(root, func(n *Node) { all = append(all, n) })
	for _, n := range all {
		loadEdges(n)
	}
	addWorkspaceEdges(root)
	calcFlags(root, all)
	return root, nil
}

func walk(n *Node, f func(*Node)) {
	f(n)
	for _, k := range sortedChildNames(n) {
		walk(n.Children[k], f)
	}
}

func sortedChildNames(n *Node) []string {
	keys := make([]string, 0, len(n.Children))
	for k := range n.Children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// hiddenLockResolved reads resolved URLs (and the versions they were
// recorded for) from a hidden lockfile, node_modules/.package-lock.json.
func hiddenLockResolved(path string) map[string][2]string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var lf struct {
		Packages map[string]struct {
			Resolved string `json:"resolved"`
			Version  string `json:"version"`
		} `json:"packages"`
	}
	if json.Unmarshal(b, &lf) != nil {
		return nil
	}
	out := map[string][2]string{}
	for k, v := range lf.Packages {
		if v.Resolved != "" {
			out[k] = [2]string{v.Resolved, v.Version}
		}
	}
	return out
}

func loadChildren(n, root *Node, resolved map[string][2]string) {
	nm := filepath.Join(n.Path, "node_modules")
	ents, err := os.ReadDir(nm)
	if err != nil {
		return
	}
	add := func(name, dir string) {
		b, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			return
		}
		c := &Node{Name: name, Path: dir, Parent: n, Children: map[string]*Node{}}
		json.Unmarshal(b, &c.Pkg)
		if c.Pkg == nil {
			c.Pkg = map[string]any{}
		}
		c.Version, _ = c.Pkg["version"].(string)
		rel, _ := filepath.Rel(root.Path, dir)
		c.Location = filepath.ToSlash(rel)
		if target, ok := linkTarget(root, dir); ok {
			// A link to a folder of the project: its packages live in
			// the folder, at their real locations.
			setLink(c, target)
			n.Children[name] = c
			c.Path = filepath.Join(root.Path, filepath.FromSlash(target))
			loadChildren(c, root, resolved)
			c.Path = dir
			return
		}
		c.Resolved, c.resolvedFor = resolved[c.Location][0], resolved[c.Location][1]
		if c.Resolved == "" {
			c.Resolved, _ = c.Pkg["_resolved"].(string)
			c.resolvedFor = c.Version
		}
		n.Children[name] = c
		loadChildren(c, root, resolved)
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		full := filepath.Join(nm, name)
		if strings.HasPrefix(name, "@") {
			sub, err := os.ReadDir(full)
			if err != nil {
				continue
			}
			for _, s := range sub {
				if !strings.HasPrefix(s.Name(), ".") {
					add(name+"/"+s.Name(), filepath.Join(full, s.Name()))
				}
			}
			continue
		}
		add(name, full)
	}
}

// linkTarget is where a symlinked package folder points, relative to the
// root ("../x" for a folder outside the project).
func linkTarget(root *Node, dir string) (string, bool) {
	fi, err := os.Lstat(dir)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return "", false
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", false
	}
	rootReal, err := filepath.EvalSymlinks(root.Path)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(rootReal, real)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// setLink makes c a link to target (relative to the root) as arborist
// describes one: resolved is file: relative to the link's folder.
func setLink(c *Node, target string) {
	c.Link, c.TargetLocation = true, target
	from := path.Dir(c.Location)
	rel, err := filepath.Rel(filepath.FromSlash(from), filepath.FromSlash(target))
	if err != nil {
		rel = target
	}
	c.Resolved, c.resolvedFor = "file:"+filepath.ToSlash(rel), c.Version
}

// childLocation is where a package named name inside n lives: inside a
// link's target folder for links.
func childLocation(n *Node, name string) string {
	switch {
	case n.Link:
		return n.TargetLocation + "/node_modules/" + name
	case n.Location == "":
		return "node_modules/" + name
	}
	return n.Location + "/node_modules/" + name
}

// addWorkspaceEdges declares the root's edges to its workspaces, which
// npm loads as "workspace" edges after the others.
func addWorkspaceEdges(root *Node) {
	m, err := manifest.Read(filepath.Join(root.Path, "package.json"))
	if err != nil {
		return
	}
	ws, err := manifest.Workspaces(root.Path, m)
	if err != nil || len(ws) == 0 {
		return
	}
	have := map[string]bool{}
	for _, e := range root.Edges {
		have[e.Name] = true
	}
	for _, w := range ws {
		to := root.Children[w.Name]
		if to != nil && to.Link && to.TargetLocation == w.Path {
			to.IsWorkspace = true
		}
		if have[w.Name] {
			continue // a dependency of the root names it already
		}
		root.Edges = append(root.Edges, &Edge{From: root, Name: w.Name, Spec: "file:" + w.Path, Type: "workspace", To: to})
	}
}

func strMap(v any) [][2]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var out [][2]string
	for k, s := range m {
		if str, ok := s.(string); ok {
			out = append(out, [2]string{k, str})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// loadEdges declares n's dependencies in arborist's order (peer,
// peerOptional, prod, optional, then dev for the root); a later type
// replaces an earlier edge of the same name.
func loadEdges(n *Node) {
	byName := map[string]*Edge{}
	var order []string
	add := func(deps [][2]string, typ string) {
		for _, d := range deps {
			if _, ok := byName[d[0]]; !ok {
				order = append(order, d[0])
			}
			byName[d[0]] = &Edge{From: n, Name: d[0], Spec: d[1], Type: typ}
		}
	}
	meta, _ := n.Pkg["peerDependenciesMeta"].(map[string]any)
	var peer, peerOpt [][2]string
	for _, d := range strMap(n.Pkg["peerDependencies"]) {
		if m, ok := meta[d[0]].(map[string]any); ok && m["optional"] == true {
			peerOpt = append(peerOpt, d)
		} else {
			peer = append(peer, d)
		}
	}
	add(peer, "peer")
	add(peerOpt, "peerOptional")
	add(strMap(n.Pkg["dependencies"]), "prod")
	add(strMap(n.Pkg["optionalDependencies"]), "optional")
	if n.IsRoot {
		add(strMap(n.Pkg["devDependencies"]), "dev")
	}
	for _, name := range order {
		e := byName[name]
		e.To = resolve(n, name)
		n.Edges = append(n.Edges, e)
	}
}

// resolve finds name from n the way Node's module lookup does.
func resolve(n *Node, name string) *Node {
	for p := n; p != nil; p = p.Parent {
		if c, ok := p.Children[name]; ok {
			return c
		}
	}
	return nil
}

// calcFlags marks nodes no edge reaches as extraneous, and the dev /
// optional / peer flags of those reached only through such edges.
func calcFlags(root *Node, all []*Node) {
	type flags struct{ dev, opt, peer bool }
	best := map[*Node]*flags{}
	var visit func(n *Node, f flags)
	visit = func(n *Node, f flags) {
		if cur, ok := best[n]; ok {
			// Keep the weakest restriction: a flag stays only if every
			// path has it.
			nf := flags{cur.dev && f.dev, cur.opt && f.opt, cur.peer && f.peer}
			if nf == *cur {
				return
			}
			*cur = nf
			f = nf
		} else {
			best[n] = &f
		}
		for _, e := range n.Edges {
			if e.To == nil {
				continue
			}
			nf := f
			if n.IsRoot {
				nf = flags{}
			}
			if e.Type == "dev" {
				nf.dev = true
			}
			if e.IsOptionalType() {
				nf.opt = true
			}
			if e.Type == "peer" || e.Type == "peerOptional" {
				nf.peer = true
			}
			visit(e.To, nf)
		}
	}
	visit(root, flags{})
	for _, n := range all {
		if n.IsRoot {
			continue
		}
		f, ok := best[n]
		if !ok {
			n.Extraneous = true
			continue
		}
		n.Dev, n.Optional, n.Peer = f.dev, f.opt, f.peer
	}
}
