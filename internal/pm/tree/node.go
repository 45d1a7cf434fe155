// Package tree resolves a project's dependencies into the hoisted
// node_modules tree npm 11 builds: breadth first, each package placed as
// high as it can go without conflicting with one already there, nested under
// its dependent when it does conflict. The same inputs always give the same
// tree, and packuments are fetched many at a time ahead of the walk.
package tree

import (
	"sort"
	"strings"

	"gnode/internal/npm/packument"
)

// EdgeType is the kind of dependency an edge records.
type EdgeType uint8

// Edge types, as npm names them.
const (
	Prod EdgeType = iota
	Dev
	Optional
	Peer
	PeerOptional
)

func (t EdgeType) String() string {
	return [...]string{"prod", "dev", "optional", "peer", "peerOptional"}[t]
}

// Edge is one declared dependency of a node.
type Edge struct {
	From *Node
	Name string // the folder name it is required as (alias name for npm: specs)
	Spec string // as written in the dependent's manifest, before overrides
	Type EdgeType
	To   *Node // nil while unresolved, or when an optional edge failed

	// Bundled edges are satisfied by the dependent's own tarball.
	Bundled bool
	// Workspace edges go from the root to each workspace package (npm's
	// "workspace" edge type: never dev nor optional); their Spec is
	// "file:<folder>".
	Workspace bool
	// overridden is the spec after overrides were applied ("" when none).
	overridden string
}

// EffectiveSpec is the spec the edge resolves against (after overrides).
func (e *Edge) EffectiveSpec() string {
	if e.overridden != "" {
		return e.overridden
	}
	return e.Spec
}

// Node is a package folder in the tree (or the root project).
type Node struct {
	Name        string // folder name: "a", "@s/a", or the alias
	PackageName string // the real package name
	Version     string
	Resolved    string
	Integrity   string
	Manifest    *packument.Manifest // nil for the root and for lockfile nodes not refreshed

	Parent   *Node            // the node whose node_modules holds this one
	Children map[string]*Node // this node's node_modules
	Edges    []*Edge          // dependencies it declares, sorted by name
	In       []*Edge          // edges resolved to it

	// Dependency flags, computed like npm's calcDepFlags.
	Dev, Optional, DevOptional, Peer, Extraneous bool
	// Inert nodes are optional packages for another platform: they stay in
	// package-lock.json (npm keeps them so the lockfile works everywhere)
	// but are not installed.
	Inert bool
	// InBundle nodes come inside a bundling package's tarball.
	InBundle bool
	// Link nodes are symlinks to a local folder (a file: folder
	// dependency); Target is that folder's node, and Resolved the folder
	// relative to the project, as package-lock.json records it.
	Link   bool
	Target *Node
	// FsChildren are the folders linked to from node_modules (root only).
	FsChildren []*Node

	// loc is a link target's fixed location ("sub", "../lib"); dir its
	// absolute folder, against which its own file: specs resolve.
	loc, dir string
	// workspace marks a workspace package's folder node.
	workspace bool

	// Lock is the lockfile entry the node came from, if any; lockfile-only
	// fields (license, funding, ...) are carried from it.
	Lock *LockInfo

	overrides *overrideSet
	depth     int
}

// LockInfo is what a node carries for the lockfile beyond its manifest.
type LockInfo struct {
	License          string
	Funding          any
	Engines          any
	Deprecated       string
	HasInstallScript bool
	Bin              map[string]string
	Os, CPU, Libc    []string
	Dependencies     map[string]string
	DevDependencies  map[string]string // a linked folder's (it is a top)
	Optional         map[string]string
	Peer             map[string]string
	PeerMeta         map[string]any
	// Extra holds other lockfile fields (workspaces, acceptDependencies, ...)
	// carried through unchanged.
	Extra map[string]any
}

// IsRoot reports whether n is the project itself.
func (n *Node) IsRoot() bool { return n.Parent == nil }

// isMine reports whether n is the project or one of its workspaces: npm
// refuses peer conflicts that involve their own dependencies (ERESOLVE)
// and only warns about the others.
func (n *Node) isMine() bool { return n.Parent == nil || n.workspace }

// Location is the folder relative to the project: "" for the root,
// "node_modules/a/node_modules/@s/b" for a nested package.
func (n *Node) Location() string {
	if n.loc != "" {
		return n.loc
	}
	if n.Parent == nil {
		return ""
	}
	p := n.Parent.Location()
	if p == "" {
		return "node_modules/" + n.Name
	}
	return p + "/node_modules/" + n.Name
}

// ID is name@version (with the real name for aliases).
func (n *Node) ID() string { return n.PackageName + "@" + n.Version }

// Resolve finds the node that name resolves to from n, the way Node's
// require walks up node_modules folders.
func (n *Node) Resolve(name string) *Node {
	for t := n; t != nil; t = t.Parent {
		if c := t.Children[name]; c != nil {
			return c
		}
	}
	return nil
}

// SortedChildren returns the children in name order.
func (n *Node) SortedChildren() []*Node {
	out := make([]*Node, 0, len(n.Children))
	for _, c := range n.Children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Tree is a resolved project.
type Tree struct {
	Root *Node
	// Warnings collected while resolving (deprecations, engines, peers).
	Warnings []string
}

// Walk calls fn for every node below the root in a stable order (parents
// before children, names sorted).
func (t *Tree) Walk(fn func(*Node)) {
	var walk func(n *Node)
	walk = func(n *Node) {
		for _, c := range n.SortedChildren() {
			fn(c)
			walk(c)
		}
	}
	walk(t.Root)
	for _, c := range t.Root.FsChildren {
		fn(c)
		walk(c)
	}
}

// Nodes returns every node below the root, parents first.
func (t *Tree) Nodes() []*Node {
	var out []*Node
	t.Walk(func(n *Node) { out = append(out, n) })
	return out
}

// Omit says which kinds of packages not to install (npm's --omit).
type Omit struct{ Dev, Optional, Peer bool }

// ParseOmit reads npm's omit list ("dev", "optional", "peer").
func ParseOmit(list []string) Omit {
	var o Omit
	for _, s := range list {
		for _, p := range strings.Split(s, ",") {
			switch strings.TrimSpace(p) {
			case "dev":
				o.Dev = true
			case "optional":
				o.Optional = true
			case "peer":
				o.Peer = true
			}
		}
	}
	return o
}

// Omitted reports whether n is left out of node_modules under o, using the
// same rule as npm: dev, optional and peer flags, and devOptional only when
// both dev and optional are omitted.
func (n *Node) Omitted(o Omit) bool {
	return n.Inert ||
		(o.Dev && n.Dev) || (o.Optional && n.Optional) || (o.Peer && n.Peer) ||
		(o.Dev && o.Optional && n.DevOptional)
}
