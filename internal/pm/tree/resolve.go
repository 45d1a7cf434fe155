package tree

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/packument"
	npmspec "gnode/internal/npm/spec"
	"gnode/internal/pm/manifest"
)

// Source provides packuments. A missing package's error must wrap ErrNotFound.
type Source interface {
	Packument(ctx context.Context, name string) (*packument.Packument, error)
}

// Options configure Build.
type Options struct {
	Source      Source
	Platform    Platform
	NodeVersion string // e.g. "v22.12.0", for engines checks
	// Preferred maps a package name to versions to keep when they still
	// satisfy (the versions a previous lockfile had), so an install after a
	// package.json edit changes only what it must.
	Preferred map[string][]string
	// Concurrency bounds packument fetches in flight (default 64); a
	// quarter of it is kept for the packuments the resolver is waiting on,
	// so they never queue behind speculative ones.
	Concurrency int
	// OnResolved, when set, is called (from the resolving goroutine) each
	// time a package is placed.
	OnResolved func(n *Node)
	// OnSpeculated, when set, is called (from fetching goroutines, several
	// at once) with the version a dependency's range picks as soon as its
	// packument arrives, long before the resolver places it: an installer
	// starts downloading it there, so tarballs arrive while the rest of the
	// packuments are still on their way instead of after the whole tree is
	// known. The node is detached (no parent, no edges) and may end up
	// unused (a range the tree satisfies with another version); it is
	// never an optional peer, never for another platform, and speculation
	// is off when the project has overrides (they change versions deep in
	// the tree). Each name@version is reported once.
	OnSpeculated func(n *Node)
	// Dir is the project folder relative file: specifiers resolve against.
	Dir string
	// Local fetches file: tarballs and remote tarball URLs; without it they
	// are refused.
	Local LocalResolver
	// Workspaces are the project's workspace packages: each is linked into
	// the root node_modules, its dependencies (dev ones too) resolved and
	// hoisted like the project's, and `workspace:` specs resolve to them.
	Workspaces []manifest.Workspace
	// FolderManifests are package.json contents by absolute folder, used
	// instead of the files (workspaces an install is editing).
	FolderManifests map[string][]byte
	// Explicit are versions the command line asked for (name -> version):
	// the edges the command saved (from the project or a workspace) get
	// exactly them; other dependents keep their preferred versions, as npm
	// does.
	Explicit map[string]string
}

type resolver struct {
	ctx         context.Context
	opts        Options
	f           *fetcher
	root        *Node
	queue       nodeQueue
	byName      map[string][]*Edge // every edge by dependency name, for placement checks
	warn        []string
	via         map[*Node]*Edge // the edge that first created each node, for error chains
	badPlatform map[*Node]bool
	extra       map[*Edge]*depSpec // a second spec the version should also satisfy
	links       map[string]*Node   // linked folders by path relative to the project
	workspaces  map[string]manifest.Workspace
	// pending are linked folders whose dependencies are resolved when the
	// queue next runs dry (or sooner, see queueInvalidated).
	pending []*Node
	// shadowed are nodes a placement took every dependent from; a tree
	// built without a lockfile keeps them (extraneous), as npm's does.
	shadowed map[*Node]bool
	// placed lists the nodes placed under each folder name, in order.
	placed map[string][]*Node
	// asPeer is a dependent's own edge being resolved for a peer of
	// one of its dependencies: it is placed as that peer would be.
	asPeer *Edge
}

// Build resolves root's dependencies into a tree.
func Build(ctx context.Context, root *manifest.Manifest, opts Options) (*Tree, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 64
	}
	if opts.Platform == (Platform{}) {
		opts.Platform = HostPlatform()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops speculative fetches still in flight
	ov, err := parseOverrides(root)
	if err != nil {
		return nil, err
	}
	r := &resolver{
		ctx: ctx, opts: opts,
		f:           newFetcher(ctx, opts, ov == nil),
		byName:      map[string][]*Edge{},
		via:         map[*Node]*Edge{},
		badPlatform: map[*Node]bool{},
		extra:       map[*Edge]*depSpec{},
		links:       map[string]*Node{},
		shadowed:    map[*Node]bool{},
		placed:      map[string][]*Node{},
	}
	r.root = RootNode(root)
	r.root.overrides = ov
	// npm refuses an override that would change one of the project's own
	// dependency specs (assertRootOverrides).
	if ov != nil {
		for _, e := range r.root.Edges {
			if rule := ov.match(e.Name, e.Spec); rule != nil && rule.value != "" && rule.value != e.Spec {
				return nil, &OverrideConflictError{Name: e.Name, Spec: e.Spec, Override: rule.value}
			}
		}
	}
	r.workspaces = AddWorkspaceEdges(r.root, opts.Workspaces)
	// npm loads the workspace folders before resolving anything, so their
	// edges are there to be invalidated by the first placements.
	for _, w := range opts.Workspaces {
		t, err := r.linkTarget(w.Path, filepath.Join(opts.Dir, filepath.FromSlash(w.Path)), w.Name)
		if err != nil {
			return nil, fmt.Errorf("workspace %s: %w", w.Path, err)
		}
		t.workspace = true
	}
	r.register(r.root)
	for _, e := range r.root.Edges {
		if ds, err := parseDepSpec(e.Name, e.Spec); err == nil {
			peer := e.Type == Peer || e.Type == PeerOptional
			r.f.prefetchAs(ds.PackageName, ds, !peer, peer, 1)
		}
	}
	heap.Push(&r.queue, r.root)
	pops := 0
	for {
		for r.queue.Len() > 0 {
			n := heap.Pop(&r.queue).(*Node)
			if !r.attached(n) {
				continue // replaced while queued
			}
			// Replacements requeue what they displace; a set of placements
			// that keep undoing each other would never drain the queue.
			// A real tree needs a few visits per package name: stop with
			// an error long before an install would seem to hang.
			if pops++; pops > resolveBudget(len(r.byName)) {
				return nil, &NoConvergenceError{Last: n.ID()}
			}
			for _, e := range n.Edges {
				if e.To != nil || e.Bundled {
					continue
				}
				if err := r.resolveEdge(e); err != nil {
					return nil, err
				}
			}
		}
		// Like npm, linked folders (workspaces, file: folders) resolve
		// their dependencies only once everything else queued is placed.
		if len(r.pending) == 0 {
			break
		}
		for _, t := range r.pending {
			heap.Push(&r.queue, t)
		}
		r.pending = nil
	}
	t := &Tree{Root: r.root}
	var keep []*Node
	if opts.Preferred == nil {
		// Without a lockfile npm never prunes its ideal tree: a package
		// every dependent of which a later placement took away stays in
		// node_modules and package-lock.json, marked extraneous.
		for n := range r.shadowed {
			if r.attached(n) {
				keep = append(keep, n)
			}
		}
	}
	prune(t, keep...)
	CalcFlags(t)
	if err := r.markInert(t); err != nil {
		return nil, err
	}
	r.collectWarnings(t)
	t.Warnings = r.warn
	return t, nil
}

// RootNode makes the project node and its edges from package.json.
func RootNode(m *manifest.Manifest) *Node {
	n := &Node{Name: m.Name, PackageName: m.Name, Version: m.Version, Children: map[string]*Node{}}
	add := func(deps map[string]string, typ EdgeType) {
		for name, spec := range deps {
			n.setEdge(name, spec, typ)
		}
	}
	// Later kinds replace earlier ones for the same name, in npm's edge
	// loading order: peer, prod, optional, then dev for the project.
	for name, spec := range m.PeerDependencies {
		typ := Peer
		if m.PeerOptional[name] {
			typ = PeerOptional
		}
		n.setEdge(name, spec, typ)
	}
	add(m.Dependencies, Prod)
	add(m.OptionalDependencies, Optional)
	add(m.DevDependencies, Dev)
	n.sortEdges()
	return n
}

func (n *Node) setEdge(name, spec string, typ EdgeType) {
	for _, e := range n.Edges {
		if e.Name == name {
			e.Spec, e.Type = spec, typ
			return
		}
	}
	n.Edges = append(n.Edges, &Edge{From: n, Name: name, Spec: spec, Type: typ})
}

func (n *Node) sortEdges() {
	sort.Slice(n.Edges, func(i, j int) bool { return n.Edges[i].Name < n.Edges[j].Name })
}

// edgesFromManifest declares a package's own dependencies (never its dev ones).
func (n *Node) edgesFromManifest(m *packument.Manifest) {
	for name, spec := range m.PeerDependencies {
		typ := Peer
		if m.PeerDependenciesMeta[name].Optional {
			typ = PeerOptional
		}
		n.setEdge(name, spec, typ)
	}
	for name, spec := range m.Dependencies {
		n.setEdge(name, spec, Prod)
	}
	for name, spec := range m.OptionalDependencies {
		n.setEdge(name, spec, Optional)
	}
	// Peer metadata without a peer range declares an optional peer on any version.
	bundled := map[string]bool{}
	if m.BundleDependencies != nil {
		for _, b := range m.Bundled() {
			bundled[b] = true
		}
	}
	for _, e := range n.Edges {
		if bundled[e.Name] && e.Type != Peer && e.Type != PeerOptional {
			e.Bundled = true
		}
	}
	n.sortEdges()
}

// chain is the list of name@version from the root to n along the edges
// that created each node.
func (r *resolver) chain(n *Node) []string {
	var out []string
	seen := map[*Node]bool{}
	for cur := n; cur != nil && !seen[cur]; {
		seen[cur] = true
		if cur.IsRoot() {
			id := cur.Name
			if id == "" {
				id = "the root project"
			} else if cur.Version != "" {
				id += "@" + cur.Version
			}
			out = append(out, id)
			break
		}
		out = append(out, cur.ID())
		e := r.via[cur]
		if e == nil {
			break
		}
		cur = e.From
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (r *resolver) link(e *Edge, n *Node) {
	e.To = n
	n.In = append(n.In, e)
}

func (r *resolver) unlink(e *Edge) {
	if e.To == nil {
		return
	}
	in := e.To.In
	for i, x := range in {
		if x == e {
			e.To.In = append(in[:i:i], in[i+1:]...)
			break
		}
	}
	e.To = nil
}

// resolveStart is where an edge's lookup begins: the dependent's own
// node_modules, or for a peer dependency its parent's (a peer must be
// visible to the dependent from beside it).
func resolveStart(e *Edge) *Node {
	if (e.Type == Peer || e.Type == PeerOptional) && e.From.Parent != nil {
		return e.From.Parent
	}
	return e.From
}

func satisfiesNode(n *Node, ds depSpec) bool {
	if n.PackageName != ds.PackageName {
		return false
	}
	if ds.Range == nil {
		return true // a tag is satisfied by whatever the tree already chose
	}
	return ds.satisfies(n.Version)
}

func (r *resolver) resolveEdge(e *Edge) error {
	from := e.From
	spec := e.Spec
	var rule *overrideRule
	if from.overrides != nil {
		rule = from.overrides.match(e.Name, spec)
		if rule != nil && rule.value != "" {
			e.overridden = rule.value
			spec = rule.value
		}
	}
	optional := e.Type == Optional || e.Type == PeerOptional
	if isWorkspaceSpec(spec) {
		return r.resolveWorkspaceSpec(e, spec)
	}
	if sp := nonRegistry(e.Name, spec, r.where(from)); sp != nil {
		if sp.Type == npmspec.TypeDirectory {
			return r.resolveLink(e, sp)
		}
		return r.resolveLocal(e, sp, optional)
	}
	ds, err := parseDepSpec(e.Name, spec)
	if err != nil {
		if optional {
			r.warn = append(r.warn, fmt.Sprintf("skipping optional dependency %s@%s: %v", e.Name, spec, err))
			return nil
		}
		return fmt.Errorf("%w (required by %s)", err, joinChain(r.chain(from)))
	}
	start := resolveStart(e)
	found := start.Resolve(e.Name)
	if found != nil && satisfiesNode(found, ds) {
		r.link(e, found)
		return nil
	}
	if e.Type == PeerOptional && found == nil {
		// An optional peer is installed only when something else brought
		// the name; present in a version it does not accept, it is
		// placed like any peer (npm's problem edge), conflicts included.
		return nil
	}
	// A conflicting node beside the dependent: npm replaces it when its
	// own dependents can have it nested deeper (or accept this version),
	// and otherwise reports the conflict.
	peerAtStart := found != nil && isPeer(e) && found.Parent == deepestNestingTarget(start, e.Name)
	if peerAtStart && (found.Link || found.IsLinkTarget() || found.InBundle) {
		return r.peerConflict(e, found, spec)
	}
	p, err := r.f.wait(ds.PackageName)
	if err != nil && peerAtStart {
		return r.peerConflict(e, found, spec)
	}
	if err != nil {
		if optional {
			r.warn = append(r.warn, fmt.Sprintf("skipping optional dependency %s@%s: %v", e.Name, spec, err))
			return nil
		}
		if errors.Is(err, ErrNotFound) {
			return &NotFoundError{Name: ds.PackageName, Spec: ds.Raw, Chain: r.chain(from), Err: err}
		}
		return err
	}
	m := r.pick(p, ds, r.extra[e])
	if v, ok := r.opts.Explicit[ds.PackageName]; ok && (from.IsRoot() || from.IsLinkTarget()) && ds.satisfies(v) && p.HasVersion(v) {
		m = p.Manifest(v)
	}
	if peerAtStart && (m == nil || !r.peerReplaceable(e, found, ds.PackageName, m.Version)) {
		return r.peerConflict(e, found, spec)
	}
	if m == nil {
		if optional {
			r.warn = append(r.warn, fmt.Sprintf("skipping optional dependency %s@%s: no matching version", e.Name, spec))
			return nil
		}
		return &NoVersionError{Name: ds.PackageName, Spec: ds.Raw, Chain: r.chain(from), Nearest: nearestVersions(p, ds.Raw), Latest: p.DistTags["latest"]}
	}
	var target, replace *Node
	if peerAtStart {
		target, replace = found.Parent, found
	}
	for t := start; t != nil && !peerAtStart; t = t.Parent {
		// A package with a peer dependency on this name needs it beside
		// itself, never inside it: look higher (as npm's placeDep does).
		if t.Parent != nil && t.hasPeerEdge(e.Name) {
			continue
		}
		if c := t.Children[e.Name]; c != nil {
			if c.PackageName == ds.PackageName && c.Version == m.Version {
				r.link(e, c)
				return nil
			}
			// An older version every dependent of which accepts this one
			// gives way to it, and the walk goes on upward (npm's REPLACE).
			if newer(m.Version, c.Version) && r.canReplace(c, ds.PackageName, m.Version) &&
				(t == start || !r.peersConflict(t, m, r.peerSource(e))) {
				target, replace = t, c
				continue
			}
			// A peer prefers deduplication (npm checks peers with
			// preferDedupe): an older version every dependent of the one
			// there accepts replaces it too.
			if (isPeer(e) || r.asPeer == e) && !satisfiesNode(c, ds) && r.canReplace(c, ds.PackageName, m.Version) &&
				(t == start || !r.peersConflict(t, m, r.peerSource(e))) {
				target, replace = t, c
				continue
			}
			break
		}
		// A package's own (non-peer) dependency may always go in its own
		// node_modules; descendants it shadows resolve again (npm's REPLACE).
		own := t == from && e.Type != Peer && e.Type != PeerOptional
		if !own && r.wouldBreak(t, e.Name, ds.PackageName, m.Version) {
			break
		}
		// Its peers must be satisfiable from beside it: a package is not
		// hoisted to where a conflicting version of one of its peers is
		// visible (npm places the whole peer set together).
		if t != start && r.peersConflict(t, m, r.peerSource(e)) {
			break
		}
		target, replace = t, nil
	}
	if target == nil {
		if isPeer(e) && found != nil {
			return r.peerConflict(e, found, spec)
		}
		old := start.Children[e.Name]
		if e.Type == Peer || e.Type == PeerOptional || start != from || old == nil {
			return fmt.Errorf("cannot place %s@%s required by %s: a conflicting %s is in the way", ds.PackageName, m.Version, joinChain(r.chain(from)), found.ID())
		}
		// A package's own dependency must sit in its node_modules: the
		// package hoisted there by a deeper dependent gives way and its
		// dependents resolve again (npm's REPLACE).
		r.detach(old)
		target = start
	}
	n := &Node{
		Name: e.Name, PackageName: ds.PackageName, Version: m.Version,
		Resolved: m.Dist.Tarball, Integrity: m.Dist.Integrity, Manifest: m,
		Parent: target, Children: map[string]*Node{}, depth: target.depth + 1,
	}
	if n.PackageName == "" {
		n.PackageName = m.Name
	}
	if n.Integrity == "" && m.Dist.Shasum != "" {
		if sri, err := integrity.FromShasum(m.Dist.Shasum); err == nil {
			n.Integrity = sri.String()
		}
	}
	if from.overrides != nil {
		n.overrides = from.overrides.childSet(rule)
	}
	var prunePeers []*Node
	if replace != nil {
		prunePeers = r.peerSetsToPrune(replace, target, ds.PackageName, m.Version)
		// The new version takes the old one's folder and keeps what is
		// inside it (npm's Node.replace); what it no longer needs goes
		// when the tree is pruned.
		delete(target.Children, e.Name)
		replace.Parent = nil
		for name, c := range replace.Children {
			c.Parent = n
			n.Children[name] = c
		}
		replace.Children = map[string]*Node{}
	}
	target.Children[e.Name] = n
	r.placed[e.Name] = append(r.placed[e.Name], n)
	r.via[n] = e
	if debugPlacement {
		fmt.Fprintf(os.Stderr, "gnode tree: %s -> %s@%s (%s) placed at %q\n", from.ID(), e.Name, spec, m.Version, n.Location())
	}
	r.repoint(n)
	r.link(e, n)
	r.queueInvalidated(n)
	r.requeueOptionalPeers(n)
	r.removePeerSets(prunePeers)
	r.pruneDedupable(target, n)
	if !r.opts.Platform.Allows(m.OS, m.CPU, m.Libc) {
		r.badPlatform[n] = true
	}
	n.edgesFromManifest(m)
	r.register(n)
	for _, de := range n.Edges {
		if de.Bundled {
			continue
		}
		if dds, err := parseDepSpec(de.Name, de.Spec); err == nil {
			peer := de.Type == Peer || de.Type == PeerOptional
			r.f.prefetchAs(dds.PackageName, dds, !peer, peer, n.depth+1)
		}
	}
	heap.Push(&r.queue, n)
	if r.opts.OnResolved != nil {
		r.opts.OnResolved(n)
	}
	// npm places a package's peer set together with it, before anything
	// else in the queue gets a chance to take those names.
	// When the dependent declares the peer's name itself, its own spec picks
	// the version (npm builds the peer set from the dependent's edge), so
	// that edge is resolved first and the peer then reuses it.
	src := r.peerSource(e)
	for _, pe := range n.Edges {
		if pe.To != nil || !(pe.Type == Peer || pe.Type == PeerOptional && resolveStart(pe).Resolve(pe.Name) != nil) {
			continue
		}
		if de := src.edge(pe.Name); de != nil && de.To == nil && !de.Bundled && de.Type != PeerOptional {
			// npm picks a version that satisfies both specs when one exists.
			if pds, err := parseDepSpec(pe.Name, pe.Spec); err == nil {
				r.extra[de] = &pds
			}
			// npm places that version through the peer edge, so with a
			// peer's placement rules.
			saved := r.asPeer
			r.asPeer = de
			err := r.resolveEdge(de)
			r.asPeer = saved
			delete(r.extra, de)
			if err != nil {
				return err
			}
		}
		if pe.To == nil {
			if err := r.resolveEdge(pe); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinChain(c []string) string {
	s := ""
	for i, x := range c {
		if i > 0 {
			s += " > "
		}
		s += x
	}
	return s
}

// isAncestorOrSelf reports whether a is t or above it.
func isAncestorOrSelf(a, t *Node) bool {
	for x := t; x != nil; x = x.Parent {
		if x == a {
			return true
		}
	}
	return false
}

// affectedEdge is a dependency whose lookup would reach a node placed in
// some node_modules folder, and what it reaches now.
type affectedEdge struct {
	e   *Edge
	cur *Node
}

// affected lists the edges named name (resolved or still queued) whose
// lookup would reach a new node placed in t's node_modules instead of what
// they reach now. Queued edges count too: npm's edges always resolve
// through the folders, so a dependent not yet processed still objects to a
// placement that would hand it a version it does not accept.
func (r *resolver) affected(t *Node, name string) []affectedEdge {
	var out []affectedEdge
	for _, e := range r.byName[name] {
		if e.Bundled || !r.attached(e.From) {
			continue
		}
		s := resolveStart(e)
		if !isAncestorOrSelf(t, s) {
			continue
		}
		shadowed := false
		for x := s; x != t; x = x.Parent {
			if x.Children[name] != nil {
				shadowed = true
				break
			}
		}
		if shadowed {
			continue
		}
		cur := e.To
		if cur == nil {
			cur = t.Resolve(name)
		}
		if cur != nil {
			out = append(out, affectedEdge{e, cur})
		}
	}
	return out
}

// specOf is the spec an edge resolves against, overrides applied.
func (r *resolver) specOf(e *Edge) string {
	if e.overridden != "" || e.To != nil || e.From.overrides == nil {
		return e.EffectiveSpec()
	}
	if rule := e.From.overrides.match(e.Name, e.Spec); rule != nil && rule.value != "" {
		return rule.value
	}
	return e.Spec
}

// wouldBreak reports whether placing pkg@version in t's node_modules would
// hand a dependent below t, now satisfied, a version it does not accept.
func (r *resolver) wouldBreak(t *Node, name, pkg, version string) bool {
	for _, a := range r.affected(t, name) {
		ds, err := parseDepSpec(a.e.Name, r.specOf(a.e))
		if err != nil || !satisfiesNode(a.cur, ds) {
			continue // already unmet: no objection, as in npm
		}
		if ds.PackageName != pkg || (ds.Range != nil && !ds.satisfies(version)) || (ds.Range == nil && a.cur.Version != version) {
			return true
		}
	}
	return false
}

// repoint moves resolved edges that now reach n (it shadows what they had).
func (r *resolver) repoint(n *Node) {
	t := n.Parent
	delete(t.Children, n.Name)
	aff := r.affected(t, n.Name)
	t.Children[n.Name] = n
	var old []*Node
	defer func() { r.noteShadowed(old) }()
	for _, a := range aff {
		if a.e.To == nil {
			continue
		}
		old = append(old, a.e.To)
		r.unlink(a.e)
		if ds, err := parseDepSpec(a.e.Name, r.specOf(a.e)); err == nil && !satisfiesNode(n, ds) {
			heap.Push(&r.queue, a.e.From) // shadowed by an incompatible version: resolve again
			continue
		}
		a.e.To = n
		n.In = append(n.In, a.e)
	}
}

// requeueOptionalPeers links to n the optional peers that were missing
// and that n satisfies, and queues again the dependents whose optional
// peer was missing (so valid) and now meets n, a version it does not accept:
// npm 11 re-queues an already processed node whose edge a later placement
// makes invalid (npm/cli#8726), and the peer is then placed as a problem
// edge, which may replace n.
func (r *resolver) requeueOptionalPeers(n *Node) {
	for _, e := range r.byName[n.Name] {
		if e.To != nil || e.Bundled || e.Type != PeerOptional || !r.attached(e.From) {
			continue
		}
		if resolveStart(e).Resolve(e.Name) != n {
			continue
		}
		ds, err := parseDepSpec(e.Name, r.specOf(e))
		if err != nil {
			continue
		}
		if satisfiesNode(n, ds) {
			// npm's edges always point at what the folders resolve to:
			// the peer now counts among n's dependents.
			r.link(e, n)
			continue
		}
		heap.Push(&r.queue, e.From)
	}
}

// register records a node's edges for placement checks.
func (r *resolver) register(n *Node) {
	for _, e := range n.Edges {
		r.byName[e.Name] = append(r.byName[e.Name], e)
	}
}

// prune removes nodes no longer reachable from the root (or from keep).
func prune(t *Tree, keep ...*Node) {
	reach := map[*Node]bool{t.Root: true}
	stack := []*Node{t.Root}
	for _, k := range keep {
		reach[k] = true
		stack = append(stack, k)
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range n.Edges {
			if e.To != nil && !reach[e.To] {
				reach[e.To] = true
				stack = append(stack, e.To)
			}
		}
		if n.Target != nil && !reach[n.Target] {
			reach[n.Target] = true
			stack = append(stack, n.Target)
		}
	}
	var walk func(n *Node)
	walk = func(n *Node) {
		for name, c := range n.Children {
			if !reach[c] && !c.InBundle {
				delete(n.Children, name)
				c.Parent = nil
				continue
			}
			walk(c)
		}
	}
	walk(t.Root)
}

// markInert excludes packages built for other platforms. An optional one
// stays in the lockfile but is not installed, nor is anything only it needs;
// a required one is an EBADPLATFORM error.
func (r *resolver) markInert(t *Tree) error {
	var nodes []*Node
	t.Walk(func(n *Node) { nodes = append(nodes, n) })
	for _, n := range nodes {
		if !r.badPlatform[n] {
			continue
		}
		if !n.Optional {
			m := n.Manifest
			return &PlatformError{ID: n.ID(), Os: m.OS, CPU: m.CPU, Libc: m.Libc, Host: r.opts.Platform, Chain: r.chain(n)}
		}
		n.Inert = true
	}
	MarkUnreachableInert(t)
	return nil
}

// MarkUnreachableInert marks inert every node reachable only through inert ones.
func MarkUnreachableInert(t *Tree) {
	reach := map[*Node]bool{t.Root: true}
	stack := []*Node{t.Root}
	// Extraneous packages (left by a placement that shadowed them) are
	// installed all the same, as npm installs them.
	t.Walk(func(n *Node) {
		if n.Extraneous && !n.Inert && !reach[n] {
			reach[n] = true
			stack = append(stack, n)
		}
	})
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range n.Edges {
			if e.To != nil && !reach[e.To] && !e.To.Inert {
				reach[e.To] = true
				stack = append(stack, e.To)
			}
		}
		if n.Target != nil && !reach[n.Target] {
			reach[n.Target] = true
			stack = append(stack, n.Target)
		}
	}
	t.Walk(func(n *Node) {
		if !reach[n] && !n.InBundle {
			n.Inert = true
		}
	})
}

func (r *resolver) collectWarnings(t *Tree) {
	t.Walk(func(n *Node) {
		if n.Inert || n.Manifest == nil {
			return
		}
		if d := string(n.Manifest.Deprecated); d != "" {
			r.warn = append(r.warn, fmt.Sprintf("deprecated %s: %s", n.ID(), d))
		}
		if !enginesOK(n.Manifest.Engines, r.opts.NodeVersion) {
			r.warn = append(r.warn, fmt.Sprintf("EBADENGINE unsupported engine for %s: wanted node %q (current: %s)", n.ID(), n.Manifest.Engines["node"], r.opts.NodeVersion))
		}
	})
}

// nodeQueue orders pending nodes like npm's depsQueue: shallow first, then by location.
type nodeQueue []*Node

func (q nodeQueue) Len() int { return len(q) }
func (q nodeQueue) Less(i, j int) bool {
	if q[i].depth != q[j].depth {
		return q[i].depth < q[j].depth
	}
	return q[i].Location() < q[j].Location()
}
func (q nodeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)   { *q = append(*q, x.(*Node)) }
func (q *nodeQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}

// fetcher loads packuments concurrently. When a packument arrives it
// speculatively prefetches the dependencies of the version each requested
// range would pick, so the breadth-first walk rarely waits on the network.
type fetcher struct {
	ctx  context.Context
	src  Source
	opts Options
	// slots bound the requests in flight; a quarter of them is kept for
	// packuments the resolver waits on: a cold install's crawl keeps
	// every slot busy with speculative fetches, and a packument on the
	// resolver's path (es-abstract, typed-array-...) queued 0.6-0.7 s
	// behind them (bench/fixtures/toolchain). See slotQueue for the order.
	slots *slotQueue
	// tarballs: OnSpeculated is called (set, and no overrides).
	tarballs bool
	// gate orders the decoding of received documents.
	gate *decodeGate

	mu    sync.Mutex
	items map[string]*fetchItem
	// specd is how far each name@range has been speculated on (see
	// prefetchAs).
	specd map[string]specLevel
	// told are the name@version already given to OnSpeculated.
	told map[string]bool
	// versions are the packuments' sorted versions.
	versions sortedCache
}

type fetchItem struct {
	done   chan struct{}
	needed chan struct{} // closed when the resolver waits for it
	waited bool          // needed is closed (under fetcher.mu)
	// turn is the item's place in the decode gate's line while it waits
	// there (under the gate's lock).
	turn *gateTurn
	// depth is how many packuments speculation went through to find it
	// (1 for the project's dependencies); slot is its place in the slot
	// queue.
	depth   int
	slot    slotWaiter
	p       *packument.Packument
	err     error
	pending []wanted // ranges to speculate on once loaded
}

// wanted is a range to speculate on; tarball says whether the version it
// picks is worth downloading early: not for a peer or anything reached
// through one; leaf, that the dependencies of the version it picks are not
// prefetched (a peer's range).
type wanted struct {
	ds      depSpec
	tarball bool
	leaf    bool
	depth   int // the packument's (see fetchItem.depth)
}

// specLevel orders what speculation on a range has done: a range seen
// again at a higher level is speculated on again.
type specLevel int8

const (
	specLeaf    specLevel = iota + 1 // the packument only
	specDeps                         // and its dependencies'
	specTarball                      // and the tarball of the version picked
)

func newFetcher(ctx context.Context, opts Options, tarballs bool) *fetcher {
	reserve := max(1, opts.Concurrency/4)
	return &fetcher{ctx: ctx, src: opts.Source, opts: opts,
		slots:    newSlotQueue(opts.Concurrency-reserve, reserve),
		tarballs: tarballs && opts.OnSpeculated != nil, gate: newDecodeGate(runtime.GOMAXPROCS(0)),
		items: map[string]*fetchItem{}, specd: map[string]specLevel{}, told: map[string]bool{}}
}

// start begins fetching name, found depth packuments deep, unless it is
// already under way; f.mu is held.
func (f *fetcher) start(name string, depth int) *fetchItem {
	it := f.items[name]
	if it != nil {
		return it
	}
	it = &fetchItem{done: make(chan struct{}), needed: make(chan struct{}), depth: depth}
	it.slot.index = -1
	f.items[name] = it
	go func() {
		reserved, ok := f.slots.acquire(f.ctx, it.depth, it.isNeeded, &it.slot)
		if !ok {
			it.err = f.ctx.Err()
			close(it.done)
			return
		}
		// The slot bounds requests in flight, not decoding: the source
		// frees it when the document's bytes are in (packument.Received)
		// so the next request starts while this one decodes, which is
		// where a cold install's crawl waited (each packument queued
		// ~0.5 s for a slot while the holders decoded or waited for a
		// core).
		// Decoding then waits for its turn at the gate (see decodeGate).
		var freed, entered atomic.Bool
		free := func() {
			if freed.CompareAndSwap(false, true) {
				f.slots.release(reserved)
			}
		}
		received := func() {
			free()
			if entered.CompareAndSwap(false, true) {
				f.gate.enter(it.isNeeded, &it.turn)
			}
		}
		// it.needed closes when the resolver blocks on this document, so
		// that a request still queued for a connection goes first.
		ctx := packument.WithNeeded(packument.WithReceived(f.ctx, received), it.needed)
		p, err := f.src.Packument(ctx, name)
		free()
		if entered.Load() {
			f.gate.leave()
		}
		f.mu.Lock()
		it.p, it.err = p, err
		pend := it.pending
		it.pending = nil
		f.mu.Unlock()
		// The versions are picked (and told to OnSpeculated) before the
		// resolver can have the packument, so a package it places has
		// always been reported first; the dependencies are walked after.
		picks := make([]*packument.Manifest, len(pend))
		if err == nil {
			for i, w := range pend {
				picks[i] = f.pick(p, w)
			}
		}
		close(it.done)
		for i, w := range pend {
			if picks[i] != nil {
				f.speculateDeps(picks[i], w)
			}
		}
	}()
	return it
}

// prefetch starts loading name and remembers ds for speculation.
func (f *fetcher) prefetch(name string, ds depSpec, tarball bool) {
	f.prefetchAs(name, ds, tarball, false, 1)
}

// prefetchAs is prefetch; leaf leaves out the dependencies of the version
// ds picks, but not its peers (see speculateDeps). A peer's range is a
// leaf: the tree usually meets it with a
// version already placed (its packument is still read to check), and a
// wide one (">=7") picks a major nothing else uses, whose dependencies
// were a tenth of a cold install's documents (bench/fixtures/toolchain:
// ~135 of ~1,020, 13 of 117 MB: optional peers such as @types/react and
// @rspack/core, eslint@9 for eslint plugins' peer range, canvas and its
// native build helpers) that the resolver never asked for. A peer the
// tree places gets its dependencies prefetched when it is placed.
// depth is the packument's depth (see fetchItem.depth).
func (f *fetcher) prefetchAs(name string, ds depSpec, tarball, leaf bool, depth int) {
	level := specDeps
	switch {
	case tarball && f.tarballs:
		level = specTarball
	case leaf:
		level = specLeaf
	}
	key := name + "@" + ds.Raw
	f.mu.Lock()
	if f.specd[key] >= level {
		f.mu.Unlock()
		return
	}
	f.specd[key] = level
	w := wanted{ds: ds, tarball: tarball, leaf: level == specLeaf, depth: depth}
	it := f.start(name, depth)
	select {
	case <-it.done:
		f.mu.Unlock()
		if it.err == nil {
			if m := f.pick(it.p, w); m != nil {
				f.speculateDeps(m, w)
			}
		}
		return
	default:
	}
	it.pending = append(it.pending, w)
	f.mu.Unlock()
}

// pick is the version w's range will most likely resolve to (nil when
// none matches), told to OnSpeculated when w is worth a download.
func (f *fetcher) pick(p *packument.Packument, w wanted) *packument.Manifest {
	m := pickVersionFrom(p, &f.versions, w.ds, f.opts.Preferred[w.ds.PackageName], f.opts.NodeVersion)
	if m != nil && w.tarball && f.tarballs {
		f.tell(w.ds, m)
	}
	return m
}

// speculateDeps starts loading the packuments of m's dependencies; for a
// leaf (a peer's range), only of its peers, as leaves too: placing a peer
// set checks the peers of its peers (peerSetConflicts), and a toolchain
// install waited on @swc/core, @swc/helpers and @swc/wasm (ts-node's
// optional peers and theirs) when they were not prefetched.
func (f *fetcher) speculateDeps(m *packument.Manifest, w wanted) {
	bundled := map[string]bool{}
	for _, b := range m.Bundled() {
		bundled[b] = true
	}
	for _, deps := range []map[string]string{m.Dependencies, m.OptionalDependencies, m.PeerDependencies} {
		for name, spec := range deps {
			if bundled[name] {
				continue
			}
			if d, err := parseDepSpec(name, spec); err == nil {
				// A peer is usually met by a version already in the
				// tree, and its range is often wide (">=7" picks a major
				// nothing else uses): only regular dependencies of
				// packages themselves expected in the tree are downloaded
				// early.
				peer := !hasKey(m.Dependencies, name) && !hasKey(m.OptionalDependencies, name)
				if w.leaf && !peer {
					continue
				}
				f.prefetchAs(d.PackageName, d, w.tarball && !peer, peer, w.depth+1)
			}
		}
	}
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// tell gives OnSpeculated the version ds picked, once per name@version,
// unless the resolver has finished or the package is for another platform.
func (f *fetcher) tell(ds depSpec, m *packument.Manifest) {
	if f.ctx.Err() != nil || !f.opts.Platform.Allows(m.OS, m.CPU, m.Libc) || m.Dist.Tarball == "" {
		return
	}
	name := ds.PackageName
	if name == "" {
		name = m.Name
	}
	key := name + "@" + m.Version
	f.mu.Lock()
	seen := f.told[key]
	f.told[key] = true
	f.mu.Unlock()
	if seen {
		return
	}
	n := &Node{Name: name, PackageName: name, Version: m.Version, Resolved: m.Dist.Tarball, Integrity: m.Dist.Integrity, Manifest: m, Children: map[string]*Node{}}
	if n.Integrity == "" && m.Dist.Shasum != "" {
		if sri, err := integrity.FromShasum(m.Dist.Shasum); err == nil {
			n.Integrity = sri.String()
		}
	}
	if n.Integrity == "" {
		return // fetched when placed, with the lockfile's bookkeeping
	}
	f.opts.OnSpeculated(n)
}

// isNeeded reports whether the resolver waits for the item.
func (it *fetchItem) isNeeded() bool {
	select {
	case <-it.needed:
		return true
	default:
		return false
	}
}

func (f *fetcher) wait(name string) (*packument.Packument, error) {
	f.mu.Lock()
	it := f.start(name, 0)
	promote := !it.waited
	if !it.waited {
		it.waited = true
		close(it.needed)
	}
	f.mu.Unlock()
	if promote {
		f.slots.promote(&it.slot)
		f.gate.promote(&it.turn)
	}
	select {
	case <-it.done:
	case <-f.ctx.Done():
		return nil, f.ctx.Err()
	}
	return it.p, it.err
}

// peersConflict reports whether m's peer set could not be placed with it
// in t's node_modules (npm's canPlacePeers): each peer, in the version the
// set holds, must be able to go at t (or above a package with a peer
// dependency on it) without taking its name from a dependent below that
// it does not suit, and so must the peers of those peers. A peer the
// dependent itself needs in an incompatible version (npm's
// peerConflicted) is checked in the dependent's version.
func (r *resolver) peersConflict(t *Node, m *packument.Manifest, dependent *Node) bool {
	return r.peerSetConflicts(t, m, dependent, map[string]bool{m.Name + "@" + m.Version: true})
}

func (r *resolver) peerSetConflicts(t *Node, m *packument.Manifest, dependent *Node, seen map[string]bool) bool {
	for name, spec := range m.PeerDependencies {
		if _, ok := m.Dependencies[name]; ok {
			continue // a regular dependency of the same name replaces the peer edge
		}
		if _, ok := m.OptionalDependencies[name]; ok {
			continue
		}
		ds, err := parseDepSpec(name, spec)
		if err != nil {
			continue
		}
		pkg, v := ds.PackageName, ""
		if de := dependent.edge(name); de != nil {
			v = r.versionFor(de, &ds)
			if v != "" && !ds.satisfies(v) {
				if dependent.isMine() {
					v = "" // the project's own conflict: ERESOLVE when placed
				} else if dds, err := parseDepSpec(de.Name, r.specOf(de)); err == nil {
					pkg = dds.PackageName
				}
			}
		}
		if v == "" {
			if p, err := r.f.wait(ds.PackageName); err == nil {
				if pm := r.pick(p, ds, nil); pm != nil {
					v = pm.Version
				}
			}
		}
		if v == "" {
			if found := t.Resolve(name); found != nil && !satisfiesNode(found, ds) {
				return true
			}
			continue
		}
		conflict, keep := r.peerCannotGo(t, name, pkg, v, ds)
		if conflict {
			return true
		}
		// A peer kept as it is brings no peers of its own; one that would
		// be placed must have room for its peers too.
		if key := pkg + "@" + v; !keep && !seen[key] {
			seen[key] = true
			if p, err := r.f.wait(pkg); err == nil && p.HasVersion(v) {
				if r.peerSetConflicts(deepestNestingTarget(t, name), p.Manifest(v), dependent, seen) {
					return true
				}
			}
		}
	}
	return false
}

func (n *Node) edge(name string) *Edge {
	for _, e := range n.Edges {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func (n *Node) hasPeerEdge(name string) bool {
	for _, e := range n.Edges {
		if e.Name == name {
			return e.Type == Peer || e.Type == PeerOptional
		}
	}
	return false
}

// peerConflict handles a peer dependency that cannot be met. Like npm
// without --strict-peer-deps, it is an ERESOLVE error only when the
// project's own dependencies are involved (the peer set was pulled in by an
// edge from the root); deeper in the tree npm warns and keeps what is
// there, and so does gnode.
func (r *resolver) peerConflict(e *Edge, found *Node, spec string) error {
	if r.peerSetIsMine(e) {
		return &PeerConflictError{Name: e.Name, Found: found.ID(), FoundBy: r.chain(found), Peer: spec, RequiredBy: r.chain(e.From)}
	}
	r.warn = append(r.warn, fmt.Sprintf("ERESOLVE overriding peer dependency: %s wants %s@%s, keeping %s (required by %s)",
		e.From.ID(), e.Name, spec, found.ID(), joinChain(r.chain(found))))
	r.link(e, found)
	return nil
}

// peerSetIsMine follows the edges that placed e's dependent back through
// peer edges to the first regular edge and reports whether it comes from
// the project itself.
func (r *resolver) peerSetIsMine(e *Edge) bool {
	cur := e
	for i := 0; cur != nil && i < 1000; i++ {
		if cur.From.isMine() {
			return true
		}
		if cur.Type != Peer && cur.Type != PeerOptional {
			return false
		}
		cur = r.via[cur.From]
	}
	return false
}

// pick chooses a version for ds, preferring one that also satisfies extra.
func (r *resolver) pick(p *packument.Packument, ds depSpec, extra *depSpec) *packument.Manifest {
	pref := r.opts.Preferred[ds.PackageName]
	if extra != nil && extra.Range != nil && extra.PackageName == ds.PackageName {
		for _, pv := range pref {
			if p.HasVersion(pv) && ds.satisfies(pv) && extra.satisfies(pv) {
				return p.Manifest(pv)
			}
		}
		if lt := p.DistTags["latest"]; lt != "" && p.HasVersion(lt) && ds.satisfies(lt) && extra.satisfies(lt) {
			return p.Manifest(lt)
		}
		vs := r.f.versions.sorted(p)
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i].String()
			if p.HasVersion(v) && ds.satisfies(v) && extra.satisfies(v) {
				return p.Manifest(v)
			}
		}
	}
	return pickVersionFrom(p, &r.f.versions, ds, pref, r.opts.NodeVersion)
}

// versionFor is the version de's spec picks (preferring one that satisfies
// extra), whatever de resolves to in the tree now: npm builds a peer set
// in a virtual root holding only the set, from the dependent's specs.
// "" when unknown.
func (r *resolver) versionFor(de *Edge, extra *depSpec) string {
	ds, err := parseDepSpec(de.Name, r.specOf(de))
	if err != nil {
		if de.To != nil {
			return de.To.Version
		}
		return ""
	}
	p, err := r.f.wait(ds.PackageName)
	if err != nil {
		return ""
	}
	if m := r.pick(p, ds, extra); m != nil {
		return m.Version
	}
	return ""
}

// attached reports whether n is still in the tree (not under a replaced node).
func (r *resolver) attached(n *Node) bool {
	for x := n; x != nil; x = x.Parent {
		if x == r.root {
			return true
		}
	}
	return false
}

// detach removes old (and its subtree) from the tree; edges from the rest
// of the tree that resolved into it are unlinked and their dependents
// queued again.
func (r *resolver) detach(old *Node) {
	delete(old.Parent.Children, old.Name)
	old.Parent = nil
	var walk func(n *Node)
	walk = func(n *Node) {
		for _, in := range append([]*Edge(nil), n.In...) {
			if r.attached(in.From) {
				r.unlink(in)
				heap.Push(&r.queue, in.From)
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(old)
}

// debugPlacement (GNODE_DEBUG_TREE=1) logs every placement to stderr.
var debugPlacement = os.Getenv("GNODE_DEBUG_TREE") != ""

// peerCannotGo reports whether a peer pkg@version, wanted by an edge with
// spec ds, could not be placed at t (or above t's own peer dependency on
// name): npm's CanPlaceDep for a member of a peer set. keep says that what
// is there already serves (npm's KEEP).
func (r *resolver) peerCannotGo(t *Node, name, pkg, version string, ds depSpec) (conflict, keep bool) {
	for t.Parent != nil && !t.IsLinkTarget() && t.hasPeerEdge(name) {
		t = t.Parent
	}
	if cur := t.Children[name]; cur != nil {
		switch {
		case cur.PackageName == pkg && cur.Version == version:
			return false, true // KEEP
		case newer(version, cur.Version) && r.canReplace(cur, pkg, version):
			return false, false // REPLACE
		case satisfiesNode(cur, ds):
			return false, true // KEEP: what is there serves the peer edge
		case r.canReplace(cur, pkg, version):
			return false, false // peers prefer deduplication: REPLACE with an older one
		}
		return true, false
	}
	if te := t.edge(name); te != nil && !r.accepts(te, pkg, version) {
		return true, false
	}
	return r.wouldBreak(t, name, pkg, version), false
}

// peerSource is the package whose dependency brought e's peer set into the
// tree: e's dependent, or for a peer edge the first dependent up the chain
// of peer edges that placed it through a regular one. npm resolves a whole
// peer set against that package's own dependencies (its virtual root).
func (r *resolver) peerSource(e *Edge) *Node {
	cur := e
	for i := 0; i < 1000 && isPeer(cur); i++ {
		via := r.via[cur.From]
		if via == nil {
			break
		}
		cur = via
	}
	return cur.From
}

// resolveBudget is how many queue visits resolution may make for a tree
// reaching names package names before it is taken to be cycling.
func resolveBudget(names int) int { return 20000 + 500*names }
