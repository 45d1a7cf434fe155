package tree

import (
	"container/heap"
	"fmt"

	"gnode/internal/npm/semver"
)

// This file holds the parts of npm's placement that change nodes already
// in the tree: replacing a shallower node with a newer version every
// dependent of it accepts (can-place-dep's REPLACE), removing deeper
// copies a placement makes unnecessary (place-dep's pruneDedupable), and
// remembering the nodes a placement shadowed, which npm leaves in a fresh
// tree as extraneous.

// edgesInto lists the edges, resolved or still queued, whose lookup reaches
// x now: npm's edgesIn, which an edge joins as soon as its dependent is in
// the tree, processed or not.
func (r *resolver) edgesInto(x *Node) []*Edge {
	var out []*Edge
	for _, e := range r.byName[x.Name] {
		if e.Bundled || !r.attached(e.From) {
			continue
		}
		if e.To == x || (e.To == nil && resolveStart(e).Resolve(x.Name) == x) {
			out = append(out, e)
		}
	}
	return out
}

// accepts reports whether e's spec (overrides applied) takes pkg@version.
func (r *resolver) accepts(e *Edge, pkg, version string) bool {
	ds, err := parseDepSpec(e.Name, r.specOf(e))
	if err != nil || ds.PackageName != pkg {
		return false
	}
	return ds.satisfies(version)
}

// canReplace reports whether pkg@version could take cur's place: every
// edge reaching cur from outside the packages only cur needs accepts it
// (npm's canReplaceWith).
func (r *resolver) canReplace(cur *Node, pkg, version string) bool {
	if cur.Link || cur.InBundle || cur.IsLinkTarget() || cur.PackageName != pkg {
		return false
	}
	own := r.depSet([]*Node{cur}, func(e *Edge, to *Node) bool { return to != cur && r.valid(e) })
	for _, e := range r.edgesInto(cur) {
		if own[e.From] {
			continue
		}
		if !r.accepts(e, pkg, version) {
			return false
		}
	}
	return true
}

// valid reports whether e is resolved to a node its spec accepts.
func (r *resolver) valid(e *Edge) bool {
	if e.To == nil {
		return false
	}
	if e.To.Link || e.To.IsLinkTarget() {
		return true
	}
	return r.accepts(e, e.To.PackageName, e.To.Version)
}

// depSet is npm's gatherDepSet: the nodes of set and those reachable from
// them through edges keep accepts, less every node something outside the
// set (through an edge keep accepts) depends on. keep sees each edge with
// the node it reaches, queued edges included.
func (r *resolver) depSet(set []*Node, keep func(e *Edge, to *Node) bool) map[*Node]bool {
	deps := map[*Node]bool{}
	order := append([]*Node(nil), set...)
	for _, n := range set {
		deps[n] = true
	}
	for i := 0; i < len(order); i++ {
		for _, e := range order[i].Edges {
			if e.To != nil && !deps[e.To] && keep(e, e.To) {
				deps[e.To] = true
				order = append(order, e.To)
			}
		}
	}
	for changed := true; changed && len(deps) > 0; {
		changed = false
		for _, n := range order {
			if !deps[n] {
				continue
			}
			for _, e := range r.edgesInto(n) {
				if !deps[e.From] && keep(e, n) {
					delete(deps, n)
					changed = true
					break
				}
			}
		}
	}
	return deps
}

// newer reports whether version a is at least b.
func newer(a, b string) bool {
	va, vb := parseVersion(a), parseVersion(b)
	return va != nil && vb != nil && semver.Compare(va, vb) >= 0
}

// pruneDedupable removes copies of name below target that the placement
// there made unnecessary, with what only they needed, and looks once at the
// children of those it keeps (npm's pruneDedupable after each placement).
func (r *resolver) pruneDedupable(target *Node, placed *Node) {
	// The nodes of that name in the order they were placed, as npm's
	// inventory gives them.
	for _, d := range append([]*Node(nil), r.placed[placed.Name]...) {
		if d == placed || !r.attached(d) || d.Parent == target || !isAncestorOrSelf(target, d) {
			continue
		}
		if r.dedupeOne(d) {
			continue
		}
		for _, kid := range d.SortedChildren() {
			r.dedupeOne(kid)
		}
	}
}

// dedupeOne removes n when nothing needs it, or when what its dependents
// would reach without it (from its parent's parent) serves them as well and
// is the same or a newer version (npm's canDedupe). It reports whether n
// was removed.
func (r *resolver) dedupeOne(n *Node) bool {
	if !r.attached(n) || n.InBundle || n.Link || n.IsLinkTarget() || n.Parent == nil || n.Parent.IsRoot() || n.Parent.Parent == nil {
		return false
	}
	in := r.edgesInto(n)
	var other *Node
	if len(in) > 0 {
		other = n.Parent.Parent.Resolve(n.Name)
		if other == nil || other.Link || other.PackageName != n.PackageName {
			return false
		}
		same := other.Version == n.Version
		if !same {
			if !r.canReplace(n, other.PackageName, other.Version) || !newer(other.Version, n.Version) {
				return false
			}
		}
	}
	gone := r.depSet([]*Node{n}, func(e *Edge, to *Node) bool { return to != n && r.valid(e) })
	for d := range gone {
		if d == n || !r.attached(d) {
			continue
		}
		if !isAncestorOrSelf(n, d) {
			r.remove(d)
		}
	}
	r.remove(n)
	for _, e := range in {
		if e.To == n {
			r.unlink(e)
			if other != nil {
				r.link(e, other)
			}
		}
	}
	return true
}

// remove takes n (and its folder) out of the tree without re-queueing
// anything: its dependents are dealt with by the caller.
func (r *resolver) remove(n *Node) {
	if n.Parent != nil && n.Parent.Children[n.Name] == n {
		delete(n.Parent.Children, n.Name)
	}
	n.Parent = nil
}

// noteShadowed records the nodes a placement took every dependent from:
// npm leaves them in a tree built from scratch (as extraneous) and only
// prunes them when it started from a lockfile.
func (r *resolver) noteShadowed(old []*Node) {
	for _, o := range old {
		if o == nil || !r.attached(o) || o.Link || o.IsLinkTarget() {
			continue
		}
		if len(r.edgesInto(o)) == 0 {
			r.shadowed[o] = true
		}
	}
}

// deepestNestingTarget is the deepest folder where name can go for a
// dependent at start: above every package with a peer dependency on it.
func deepestNestingTarget(start *Node, name string) *Node {
	t := start
	for t.Parent != nil && !t.IsLinkTarget() && t.hasPeerEdge(name) {
		t = t.Parent
	}
	return t
}

func isPeer(e *Edge) bool { return e.Type == Peer || e.Type == PeerOptional }

// peerReplaceable reports whether a peer dependency e, meeting cur in the
// folder it must go to, may replace cur with pkg@version: when cur's
// dependents accept the new version, or when every peer set cur belongs
// to can be nested deeper, under the dependents that brought it (npm's
// checkCanPlaceCurrent for a peer at its deepest target).
func (r *resolver) peerReplaceable(e *Edge, cur *Node, pkg, version string) bool {
	if cur.PackageName == pkg && r.canReplace(cur, pkg, version) {
		return true
	}
	target := cur.Parent
	for entry, set := range r.peerEntrySets(cur) {
		if entry == e {
			continue
		}
		if entry.To.Name == e.Name && entry.To.PackageName == pkg && r.canReplace(entry.To, pkg, version) {
			continue
		}
		for _, member := range set {
			deep := deepestNestingTarget(entry.From, member.Name)
			if isAncestorOrSelf(deep, target) {
				return false
			}
		}
	}
	return true
}

// peerEntrySets maps each edge that brings a peer set containing n into
// the tree (a non-peer edge, or one from the project or a linked folder)
// to the members of that set.
func (r *resolver) peerEntrySets(n *Node) map[*Edge][]*Node {
	union := []*Node{n}
	inUnion := map[*Node]bool{n: true}
	for i := 0; i < len(union); i++ {
		u := union[i]
		for _, e := range u.Edges {
			if isPeer(e) && e.To != nil && !inUnion[e.To] && r.valid(e) {
				inUnion[e.To] = true
				union = append(union, e.To)
			}
		}
		for _, e := range r.edgesInto(u) {
			if isPeer(e) && !inUnion[e.From] && r.valid(e) {
				inUnion[e.From] = true
				union = append(union, e.From)
			}
		}
	}
	out := map[*Edge][]*Node{}
	for _, peer := range union {
		for _, e := range r.edgesInto(peer) {
			if !r.valid(e) || (isPeer(e) && !e.From.IsRoot() && !e.From.IsLinkTarget()) {
				continue
			}
			sub := []*Node{peer}
			seen := map[*Node]bool{peer: true}
			for i := 0; i < len(sub); i++ {
				for _, pe := range sub[i].Edges {
					if isPeer(pe) && pe.To != nil && !seen[pe.To] && r.valid(pe) {
						seen[pe.To] = true
						sub = append(sub, pe.To)
					}
				}
			}
			if seen[n] {
				out[e] = sub
			}
		}
	}
	return out
}

// peerSetsToPrune lists, before old gives way to pkg@version at target,
// the peer sets beside it that depended on it through a peer edge the new
// version does not satisfy and that can be placed again deeper, under the
// packages that brought them: each such set goes, with what only it
// needed, and its dependents resolve again (npm's replaceOldDep). A set
// the project brought stays, with a warning.
func (r *resolver) peerSetsToPrune(old, target *Node, pkg, version string) []*Node {
	var out []*Node
	for _, in := range r.edgesInto(old) {
		if !isPeer(in) || in.From.Parent != target || r.accepts(in, pkg, version) {
			continue
		}
		for entry := range r.peerEntrySets(in.From) {
			en := entry.To
			if en == target || entry.From.isMine() {
				r.warn = append(r.warn, fmt.Sprintf("ERESOLVE overriding peer dependency: %s wants %s@%s, getting %s@%s", in.From.ID(), in.Name, in.Spec, pkg, version))
				continue
			}
			for d := range r.depSet([]*Node{en}, func(e *Edge, to *Node) bool { return to != en }) {
				out = append(out, d)
			}
		}
	}
	return out
}

// removePeerSets takes the nodes peerSetsToPrune chose out of the tree;
// whatever depended on them from outside resolves again.
func (r *resolver) removePeerSets(nodes []*Node) {
	gone := map[*Node]bool{}
	for _, d := range nodes {
		gone[d] = true
	}
	var in []*Edge
	for _, d := range nodes {
		if r.attached(d) {
			in = append(in, r.edgesInto(d)...)
		}
	}
	for _, d := range nodes {
		if r.attached(d) {
			r.remove(d)
		}
	}
	for _, e := range in {
		if e.To != nil && gone[e.To] {
			r.unlink(e)
		}
		if r.attached(e.From) {
			heap.Push(&r.queue, e.From)
		}
	}
}
