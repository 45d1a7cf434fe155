package tree

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
)

// FromLockfile rebuilds the tree a lockfile describes, with the root's
// edges taken from the current package.json. Nodes keep their lockfile
// entry (Lock) so writing the tree back reproduces it.
func FromLockfile(lf *lockfile.Lockfile, root *manifest.Manifest, plat Platform) (*Tree, error) {
	return FromLockfileWorkspaces(lf, root, plat, nil)
}

// FromLockfileWorkspaces is FromLockfile for a project with workspaces:
// the root also has an edge to each workspace (found from package.json
// and the folders, not from the lockfile), so a lockfile that does not
// link one is reported by Problems.
func FromLockfileWorkspaces(lf *lockfile.Lockfile, root *manifest.Manifest, plat Platform, ws []manifest.Workspace) (*Tree, error) {
	if plat == (Platform{}) {
		plat = HostPlatform()
	}
	t := &Tree{Root: RootNode(root)}
	AddWorkspaceEdges(t.Root, ws)
	// Parents before children: by depth (counted once per location, not
	// in every comparison), then by location.
	type depthLoc struct {
		depth int
		loc   string
	}
	order := make([]depthLoc, 0, len(lf.Packages))
	for loc := range lf.Packages {
		if loc != "" {
			order = append(order, depthLoc{strings.Count(loc, "node_modules/"), loc})
		}
	}
	slices.SortFunc(order, func(a, b depthLoc) int {
		if a.depth != b.depth {
			return a.depth - b.depth
		}
		return strings.Compare(a.loc, b.loc)
	})
	byLoc := make(map[string]*Node, len(order)+1)
	byLoc[""] = t.Root
	for _, dl := range order {
		loc := dl.loc
		p := lf.Packages[loc]
		i := strings.LastIndex(loc, "node_modules/")
		if i < 0 {
			// A linked folder: its entry is at its own path.
			n := &Node{Name: folderName(loc), PackageName: folderName(loc), Version: p.Version, Parent: t.Root,
				Children: map[string]*Node{}, depth: 0, loc: loc,
				Dev: p.Dev, Optional: p.Optional, DevOptional: p.DevOptional, Peer: p.Peer,
				Lock: &LockInfo{License: p.License, Funding: p.Funding, Engines: p.Engines, Bin: p.Bin,
					Dependencies: p.Dependencies, DevDependencies: p.DevDependencies, Optional: p.OptionalDependencies,
					Peer: p.PeerDependencies, PeerMeta: p.PeerDependenciesMeta, Extra: p.Extra}}
			if p.Name != "" {
				n.PackageName = p.Name
			}
			for name, spec := range p.PeerDependencies {
				typ := Peer
				if m, ok := p.PeerDependenciesMeta[name].(map[string]any); ok && m["optional"] == true {
					typ = PeerOptional
				}
				n.setEdge(name, spec, typ)
			}
			for name, spec := range p.Dependencies {
				n.setEdge(name, spec, Prod)
			}
			for name, spec := range p.OptionalDependencies {
				n.setEdge(name, spec, Optional)
			}
			if !strings.HasPrefix(loc, "../") {
				for name, spec := range p.DevDependencies {
					n.setEdge(name, spec, Dev)
				}
			}
			n.sortEdges()
			t.Root.FsChildren = append(t.Root.FsChildren, n)
			byLoc[loc] = n
			continue
		}
		if p.Link {
			parentLoc := strings.TrimSuffix(loc[:i], "/")
			parent := byLoc[parentLoc]
			target := byLoc[p.Resolved]
			if parent == nil || target == nil {
				return nil, fmt.Errorf("lockfile entry %q links to %q, which has no entry of its own", loc, p.Resolved)
			}
			name := loc[i+len("node_modules/"):]
			n := &Node{Name: name, PackageName: target.PackageName, Version: target.Version, Resolved: p.Resolved,
				Link: true, Target: target, Parent: parent, Children: map[string]*Node{}, depth: parent.depth + 1,
				// npm keeps the flags on the folder's entry: the link shares them.
				Dev: target.Dev, Optional: target.Optional, DevOptional: target.DevOptional, Peer: target.Peer}
			parent.Children[name] = n
			byLoc[loc] = n
			continue
		}
		parentLoc := strings.TrimSuffix(loc[:i], "/")
		parent := byLoc[parentLoc]
		if parent == nil {
			return nil, fmt.Errorf("lockfile entry %q has no parent entry %q", loc, parentLoc)
		}
		name := loc[i+len("node_modules/"):]
		n := &Node{
			Name: name, PackageName: p.PackageName(loc), Version: p.Version,
			Resolved: p.Resolved, Integrity: p.Integrity,
			Parent: parent, Children: map[string]*Node{}, depth: parent.depth + 1,
			Dev: p.Dev, Optional: p.Optional, DevOptional: p.DevOptional, Peer: p.Peer, Extraneous: p.Extraneous,
			InBundle: p.InBundle,
			Lock: &LockInfo{
				License: p.License, Funding: p.Funding, Engines: p.Engines, Deprecated: p.Deprecated,
				HasInstallScript: p.HasInstallScript, Bin: p.Bin, Os: p.Os, CPU: p.CPU, Libc: p.Libc,
				Dependencies: p.Dependencies, Optional: p.OptionalDependencies, Peer: p.PeerDependencies,
				PeerMeta: p.PeerDependenciesMeta, Extra: p.Extra,
			},
		}
		if n.Optional && !plat.Allows(p.Os, p.CPU, p.Libc) {
			n.Inert = true
		}
		for name, spec := range p.PeerDependencies {
			typ := Peer
			if m, ok := p.PeerDependenciesMeta[name].(map[string]any); ok && m["optional"] == true {
				typ = PeerOptional
			}
			n.setEdge(name, spec, typ)
		}
		for name, spec := range p.Dependencies {
			n.setEdge(name, spec, Prod)
		}
		for name, spec := range p.OptionalDependencies {
			n.setEdge(name, spec, Optional)
		}
		n.sortEdges()
		parent.Children[name] = n
		byLoc[loc] = n
	}
	// Bundled dependencies are the entries inside a package marked inBundle.
	for _, n := range byLoc {
		for _, e := range n.Edges {
			if c := n.Children[e.Name]; c != nil && c.InBundle {
				e.Bundled = true
			}
		}
	}
	for _, w := range ws {
		if n := byLoc[w.Path]; n != nil && n.IsLinkTarget() {
			n.workspace = true
		}
	}
	t.Walk(func(n *Node) { linkEdges(n) })
	linkEdges(t.Root)
	MarkUnreachableInert(t)
	return t, nil
}

func linkEdges(n *Node) {
	for _, e := range n.Edges {
		if to := resolveStart(e).Resolve(e.Name); to != nil {
			e.To = to
			to.In = append(to.In, e)
		}
	}
}

// Problems lists why the tree does not satisfy its own edges: missing and
// invalid dependencies, as `npm ls` would report them. Dev edges of
// non-root packages are never followed; optional ones may be missing.
func (t *Tree) Problems() []string {
	var out []string
	check := func(n *Node) {
		if n.Inert || n.InBundle || strings.HasPrefix(n.loc, "../") {
			return // npm leaves the dependencies of folders outside the project to them
		}
		if n.Extraneous {
			return // nothing needs it: npm keeps it as it is until the tree changes
		}
		for _, e := range n.Edges {
			if e.Bundled {
				continue
			}
			who := n.ID()
			if n.IsRoot() {
				who = "the project"
			}
			spec := e.EffectiveSpec()
			if e.To == nil || e.To.Inert {
				if e.Type == Optional || e.Type == PeerOptional {
					continue
				}
				out = append(out, fmt.Sprintf("missing: %s@%s, required by %s", e.Name, spec, who))
				continue
			}
			if e.Workspace {
				if !e.To.Link || e.To.Resolved != strings.TrimPrefix(spec, "file:") {
					out = append(out, fmt.Sprintf("invalid: workspace %s is not linked to %s", e.Name, strings.TrimPrefix(spec, "file:")))
				}
				continue
			}
			if isWorkspaceSpec(spec) {
				if p := workspaceSpecProblem(e, spec); p != "" {
					out = append(out, p+", required by "+who)
				}
				continue
			}
			if isLocalSpec(e.Name, spec) {
				continue // a file: folder or tarball, or a URL: whatever it gave is what it is
			}
			ds, err := parseDepSpec(e.Name, spec)
			if err != nil {
				out = append(out, fmt.Sprintf("invalid: %s@%s, required by %s: %v", e.Name, spec, who, err))
				continue
			}
			if !satisfiesNode(e.To, ds) {
				if (e.Type == Peer || e.Type == PeerOptional) && !n.IsRoot() {
					continue // npm keeps conflicting peers of dependencies with a warning
				}
				out = append(out, fmt.Sprintf("invalid: %s does not satisfy %s@%s, required by %s", e.To.ID(), e.Name, spec, who))
			}
		}
	}
	check(t.Root)
	t.Walk(check)
	return out
}

// ApplyOverrides records the project's overrides on a tree loaded from a
// lockfile so Problems checks edges against the overridden specs.
func (t *Tree) ApplyOverrides(root *manifest.Manifest) error {
	ov, err := parseOverrides(root)
	if err != nil || ov == nil {
		return err
	}
	var visit func(n *Node, set *overrideSet, seen map[*Node]bool)
	visit = func(n *Node, set *overrideSet, seen map[*Node]bool) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, e := range n.Edges {
			r := set.match(e.Name, e.Spec)
			if r != nil && r.value != "" {
				e.overridden = r.value
			}
			if e.To != nil {
				visit(e.To, set.childSet(r), seen)
			}
		}
	}
	visit(t.Root, ov, map[*Node]bool{})
	return nil
}

// Preferred returns the versions each package name has in the lockfile.
func Preferred(lf *lockfile.Lockfile) map[string][]string {
	out := map[string][]string{}
	for _, loc := range lf.Locations() {
		if loc == "" {
			continue
		}
		p := lf.Packages[loc]
		name := p.PackageName(loc)
		out[name] = append(out[name], p.Version)
	}
	return out
}

// LockOptions tune ToLockfile.
type LockOptions struct {
	// OmitRegistryResolved leaves "resolved" out for registry packages
	// (npm's omit-lockfile-registry-resolved).
	OmitRegistryResolved bool
	Indent, Newline      string
	// DirName names the lockfile when package.json has no name (npm uses
	// the project folder's name).
	DirName string
}

// ToLockfile renders the tree as package-lock.json. Hidden selects the
// form of node_modules/.package-lock.json (only installed packages).
func (t *Tree) ToLockfile(root *manifest.Manifest, opts LockOptions, hidden bool, omit Omit) *lockfile.Lockfile {
	lf := lockfile.New()
	if opts.Indent != "" {
		lf.Indent = opts.Indent
	}
	if opts.Newline != "" {
		lf.Newline = opts.Newline
	}
	lf.Name, lf.Version = root.Name, root.Version
	if lf.Name == "" {
		lf.Name = opts.DirName
	}
	lf.Packages[""] = rootEntry(root)
	t.Walk(func(n *Node) {
		if hidden && (n.Omitted(omit) || n.Inert) {
			return
		}
		if hidden && n.Parent != nil && n.Parent != t.Root && (n.Parent.Inert || n.Parent.Omitted(omit)) {
			return
		}
		lf.Packages[n.Location()] = n.entry(opts)
	})
	return lf
}

func rootEntry(m *manifest.Manifest) *lockfile.Package {
	p := &lockfile.Package{Name: m.Name, Version: m.Version}
	if w := workspacesField(m); w != nil {
		p.Extra = map[string]any{"workspaces": w}
	}
	d := m.Doc
	p.Dependencies = m.Dependencies
	p.DevDependencies = m.DevDependencies
	p.OptionalDependencies = m.OptionalDependencies
	p.PeerDependencies = m.PeerDependencies
	if v := d.Get("peerDependenciesMeta"); v != nil {
		p.PeerDependenciesMeta, _ = v.Interface().(map[string]any)
	}
	p.Bin = m.Bin
	if v := d.Get("license"); v != nil {
		switch v.Kind {
		case manifest.String:
			p.License = v.Str
		case manifest.ObjectKind:
			if ty := v.Object.Get("type"); ty != nil && ty.Kind == manifest.String {
				p.License = ty.Str
			}
		}
	}
	if v := d.Get("engines"); v != nil {
		p.Engines = v.Interface()
	}
	if v := d.Get("funding"); v != nil {
		p.Funding = v.Interface()
	}
	p.Os, p.CPU, p.Libc = m.Os, m.CPU, m.Libc
	if s := m.Scripts; s["preinstall"] != "" || s["install"] != "" || s["postinstall"] != "" {
		p.HasInstallScript = true
	}
	return p
}

func (n *Node) entry(opts LockOptions) *lockfile.Package {
	p := &lockfile.Package{
		Version: n.Version, Resolved: n.Resolved, Integrity: n.Integrity,
		Dev: n.Dev, Optional: n.Optional, DevOptional: n.DevOptional, Peer: n.Peer,
		Extraneous: n.Extraneous, InBundle: n.InBundle,
	}
	if n.Extraneous {
		// npm writes only the extraneous flag for such a package.
		p.Dev, p.Optional, p.DevOptional, p.Peer = false, false, false, false
	}
	if n.PackageName != n.Name {
		p.Name = n.PackageName
	}
	if n.Link {
		// npm records flags on the folder's entry, never on the link.
		return &lockfile.Package{Resolved: n.Resolved, Link: true}
	}
	if n.loc != "" {
		p.Resolved, p.Integrity = "", ""
		// npm names a folder's entry when the package is not named for
		// the folder, and records the devDependencies of a top.
		if n.PackageName != "" && n.PackageName != folderName(n.loc) {
			p.Name = n.PackageName
		} else {
			p.Name = ""
		}
		if n.Manifest != nil {
			p.DevDependencies = n.Manifest.DevDependencies
		} else if n.Lock != nil {
			p.DevDependencies = n.Lock.DevDependencies
		}
	}
	if opts.OmitRegistryResolved && !n.InBundle && !n.fromTarballSpec() {
		p.Resolved = ""
	}
	if n.InBundle {
		// Bundled packages come from the bundler's tarball, not the registry.
		p.Resolved, p.Integrity = "", ""
	}
	if m := n.Manifest; m != nil {
		p.Dependencies = m.Dependencies
		p.OptionalDependencies = m.OptionalDependencies
		p.PeerDependencies = m.PeerDependencies
		if len(m.PeerDependenciesMeta) > 0 {
			pm := map[string]any{}
			for k, v := range m.PeerDependenciesMeta {
				if v.Optional {
					pm[k] = map[string]any{"optional": true}
				} else {
					pm[k] = map[string]any{}
				}
			}
			p.PeerDependenciesMeta = pm
		}
		p.Bin = m.Bin
		if len(m.Engines) > 0 {
			e := map[string]any{}
			for k, v := range m.Engines {
				e[k] = v
			}
			p.Engines = e
		}
		p.Os, p.CPU, p.Libc = m.OS, m.CPU, m.Libc
		p.License = string(m.License)
		if len(m.Funding) > 0 {
			var f any
			if json.Unmarshal(m.Funding, &f) == nil {
				p.Funding = NormalizeFunding(f)
			}
		}
		p.Deprecated = string(m.Deprecated)
		p.HasInstallScript = m.HasInstallScript
	}
	if l := n.Lock; l != nil {
		if p.License == "" {
			p.License = l.License
		}
		if p.Funding == nil {
			p.Funding = l.Funding
		}
		if n.Manifest != nil && l.Engines != nil {
			p.Engines = l.Engines
		}
		if len(l.Extra) > 0 {
			p.Extra = l.Extra
		}
		if n.Manifest == nil {
			p.Engines, p.Deprecated, p.HasInstallScript = l.Engines, l.Deprecated, l.HasInstallScript
			p.Bin, p.Os, p.CPU, p.Libc = l.Bin, l.Os, l.CPU, l.Libc
			p.Dependencies, p.OptionalDependencies, p.PeerDependencies = l.Dependencies, l.Optional, l.Peer
			p.PeerDependenciesMeta = l.PeerMeta
		} else if l.HasInstallScript {
			p.HasInstallScript = true
		}
	}
	if m := n.Manifest; m != nil && len(m.Bundled()) > 0 && p.Extra["bundleDependencies"] == nil {
		// npm records the names a package bundles.
		extra := make(map[string]any, len(p.Extra)+1)
		for k, v := range p.Extra {
			extra[k] = v
		}
		names := make([]any, 0, len(m.Bundled()))
		for _, b := range m.Bundled() {
			names = append(names, b)
		}
		extra["bundleDependencies"] = names
		p.Extra = extra
	}
	return p
}

// RootMatches reports whether the lockfile's root entry declares exactly
// the dependencies package.json does; `gnode ci` refuses to run otherwise.
func RootMatches(lf *lockfile.Lockfile, m *manifest.Manifest) []string {
	var out []string
	r := lf.Packages[""]
	if r == nil {
		r = &lockfile.Package{}
	}
	cmp := func(field string, want, got map[string]string) {
		for name, spec := range want {
			if g, ok := got[name]; !ok {
				out = append(out, fmt.Sprintf("missing from lockfile: %s %s@%s", field, name, spec))
			} else if g != spec {
				out = append(out, fmt.Sprintf("%s %s is %q in package.json but %q in the lockfile", field, name, spec, g))
			}
		}
		for name, spec := range got {
			if _, ok := want[name]; !ok {
				out = append(out, fmt.Sprintf("in lockfile but not in package.json: %s %s@%s", field, name, spec))
			}
		}
	}
	cmp("dependencies", m.Dependencies, r.Dependencies)
	cmp("devDependencies", m.DevDependencies, r.DevDependencies)
	cmp("optionalDependencies", m.OptionalDependencies, r.OptionalDependencies)
	cmp("peerDependencies", m.PeerDependencies, r.PeerDependencies)
	sort.Strings(out)
	return out
}

// NormalizeFunding mirrors npm's manifest normalization: a string funding
// becomes {"url": s}; arrays are kept as written.
func NormalizeFunding(f any) any {
	if s, ok := f.(string); ok {
		return map[string]any{"url": s}
	}
	return f
}
