package tree

import (
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gnode/internal/npm/packument"
	"gnode/internal/npm/spec"
)

// LocalPackage is a dependency that does not come from a registry: a
// file: tarball or a remote tarball URL, already read so its manifest is
// known.
type LocalPackage struct {
	Manifest  *packument.Manifest
	Resolved  string // what package-lock.json records: "file:../x.tgz" or the URL
	Integrity string
}

// LocalResolver fetches file: tarballs and remote tarball URLs during
// resolution (their manifest is only known from the tarball itself).
type LocalResolver func(ctx context.Context, name string, sp *spec.Spec) (*LocalPackage, error)

// nonRegistry parses raw when it can only be a file, folder or URL
// specifier; registry specs (the common case) return nil without the cost
// of a full parse.
func nonRegistry(name, raw, where string) *spec.Spec {
	s := strings.TrimSpace(raw)
	if !(strings.HasPrefix(s, "file:") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") ||
		strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/")) {
		return nil
	}
	sp, err := spec.Resolve(name, s, where)
	if err != nil {
		return nil
	}
	switch sp.Type {
	case spec.TypeFile, spec.TypeRemote, spec.TypeDirectory:
		return sp
	}
	return nil
}

// isLocalSpec reports whether raw is a file: folder or tarball or a URL.
func isLocalSpec(name, raw string) bool { return nonRegistry(name, raw, "") != nil }

// where is the folder from's file: specifiers resolve against: the linked
// folder it belongs to, or the project.
func (r *resolver) where(from *Node) string {
	for n := from; n != nil; n = n.Parent {
		if n.dir != "" {
			return n.dir
		}
	}
	return r.opts.Dir
}

// linkTarget returns the node of the linked folder rel (relative to the
// project; dir is absolute), reading its package.json the first time.
// Like npm, a folder inside the project is a top of its own: its
// devDependencies count, and its dependencies are resolved later (see
// pending); a folder outside the project is left to itself.
func (r *resolver) linkTarget(rel, dir, name string) (*Node, error) {
	if target := r.links[rel]; target != nil {
		return target, nil
	}
	raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if b, ok := r.opts.FolderManifests[filepath.Clean(dir)]; ok {
		raw, err = b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder's package.json: %w", err)
	}
	var m packument.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: invalid package.json: %w", filepath.Join(dir, "package.json"), err)
	}
	if m.Name == "" {
		m.Name = name
	}
	// The folder's node is named for the folder (npm records "name" in its
	// lockfile entry when the package is named otherwise), at depth 0 like
	// the project.
	target := &Node{Name: folderName(rel), PackageName: m.Name, Version: m.Version, Manifest: &m,
		Parent: r.root, Children: map[string]*Node{}, depth: 0, loc: rel, dir: dir}
	r.links[rel] = target
	r.root.FsChildren = append(r.root.FsChildren, target)
	target.edgesFromManifest(&m)
	if !strings.HasPrefix(rel, "../") && rel != ".." && !filepath.IsAbs(rel) {
		for name, spec := range m.DevDependencies {
			target.setEdge(name, spec, Dev)
		}
		target.sortEdges()
		r.register(target)
		r.pending = append(r.pending, target)
	}
	return target, nil
}

// queueInvalidated queues the linked folders not yet resolved that
// placing n gives a version they do not accept: npm processes a node as
// soon as a placement makes one of its edges invalid, so such a folder's
// dependencies are placed before the rest of the queue.
func (r *resolver) queueInvalidated(n *Node) {
	if len(r.pending) == 0 {
		return
	}
	for _, e := range r.byName[n.Name] {
		t := e.From
		if !t.IsLinkTarget() || e.To != nil || !slices.Contains(r.pending, t) {
			continue
		}
		if resolveStart(e).Resolve(e.Name) != n {
			continue
		}
		ds, err := parseDepSpec(e.Name, r.specOf(e))
		if err != nil || satisfiesNode(n, ds) {
			continue // valid, or not a registry spec
		}
		r.pending = slices.DeleteFunc(r.pending, func(x *Node) bool { return x == t })
		heap.Push(&r.queue, t)
	}
}

// resolveLink places a file: folder dependency as npm does: a symlink in
// the dependent's node_modules (or higher, where nothing else is in the
// way) to a node for the folder itself, recorded at its own path. The
// folder's dependencies are resolved only when it is inside the project
// (they hoist into the project's node_modules); npm leaves those of a
// folder outside the project to that folder.
func (r *resolver) resolveLink(e *Edge, sp *spec.Spec) error {
	from := e.From
	rel, err := filepath.Rel(r.opts.Dir, sp.Path)
	if err != nil {
		rel = sp.Path
	}
	rel = filepath.ToSlash(rel)
	start := resolveStart(e)
	if found := start.Resolve(e.Name); found != nil && found.Link && found.Resolved == rel {
		r.link(e, found)
		return nil
	}
	target, err := r.linkTarget(rel, sp.Path, e.Name)
	if err != nil {
		return fmt.Errorf("%s@%s: %w (required by %s)", e.Name, e.Spec, err, joinChain(r.chain(from)))
	}
	var place *Node
	for t := start; t != nil; t = t.Parent {
		if c := t.Children[e.Name]; c != nil {
			if c.Link && c.Resolved == rel {
				r.link(e, c)
				return nil
			}
			break
		}
		if t != from && len(r.affected(t, e.Name)) > 0 {
			break
		}
		place = t
	}
	if place == nil {
		old := start.Children[e.Name]
		if start != from || old == nil {
			return fmt.Errorf("cannot place %s@%s required by %s: a conflicting package is in the way", e.Name, e.Spec, joinChain(r.chain(from)))
		}
		r.detach(old)
		place = start
	}
	n := &Node{Name: e.Name, PackageName: target.PackageName, Version: target.Version, Resolved: rel,
		Link: true, Target: target, Parent: place, Children: map[string]*Node{}, depth: place.depth + 1}
	place.Children[e.Name] = n
	r.via[n] = e
	r.repoint(n)
	r.link(e, n)
	r.queueInvalidated(n)
	if r.opts.OnResolved != nil {
		r.opts.OnResolved(n)
	}
	return nil
}

// resolveLocal places a tarball dependency. It is placed like a registry
// package, but only a node from the same tarball satisfies the edge.
func (r *resolver) resolveLocal(e *Edge, sp *spec.Spec, optional bool) error {
	from := e.From
	if r.opts.Local == nil {
		return fmt.Errorf("%w: %s@%s: tarball dependencies need a fetcher", ErrUnsupportedSpec, e.Name, e.Spec)
	}
	start := resolveStart(e)
	lp, err := r.opts.Local(r.ctx, e.Name, sp)
	if err != nil {
		if optional {
			r.warn = append(r.warn, fmt.Sprintf("skipping optional dependency %s@%s: %v", e.Name, e.Spec, err))
			return nil
		}
		return fmt.Errorf("%w (required by %s)", err, joinChain(r.chain(from)))
	}
	m := lp.Manifest
	if found := start.Resolve(e.Name); found != nil && found.Resolved == lp.Resolved {
		r.link(e, found)
		return nil
	}
	var target *Node
	for t := start; t != nil; t = t.Parent {
		if c := t.Children[e.Name]; c != nil {
			if c.Resolved == lp.Resolved {
				r.link(e, c)
				return nil
			}
			break
		}
		if t != from && len(r.affected(t, e.Name)) > 0 {
			break
		}
		target = t
	}
	if target == nil {
		old := start.Children[e.Name]
		if start != from || old == nil {
			return fmt.Errorf("cannot place %s@%s required by %s: a conflicting package is in the way", e.Name, e.Spec, joinChain(r.chain(from)))
		}
		r.detach(old)
		target = start
	}
	n := &Node{
		Name: e.Name, PackageName: m.Name, Version: m.Version,
		Resolved: lp.Resolved, Integrity: lp.Integrity, Manifest: m,
		Parent: target, Children: map[string]*Node{}, depth: target.depth + 1,
	}
	if n.PackageName == "" {
		n.PackageName = e.Name
	}
	target.Children[e.Name] = n
	r.via[n] = e
	r.repoint(n)
	r.link(e, n)
	r.queueInvalidated(n)
	n.edgesFromManifest(m)
	r.register(n)
	for _, de := range n.Edges {
		if dds, err := parseDepSpec(de.Name, de.Spec); err == nil && !de.Bundled {
			r.f.prefetch(dds.PackageName, dds, de.Type != Peer && de.Type != PeerOptional)
		}
	}
	heap.Push(&r.queue, n)
	if r.opts.OnResolved != nil {
		r.opts.OnResolved(n)
	}
	return nil
}

// fromTarballSpec reports whether n was required by a file: or URL spec:
// its "resolved" is not a registry's and stays in the lockfile even with
// omit-lockfile-registry-resolved, as npm keeps it.
func (n *Node) fromTarballSpec() bool {
	if strings.HasPrefix(n.Resolved, "file:") {
		return true
	}
	for _, e := range n.In {
		if nonRegistry(e.Name, e.EffectiveSpec(), "") != nil {
			return true
		}
	}
	return false
}

// IsLinkTarget reports whether n is a linked folder's own node (recorded
// at the folder's path, never laid out by the installer).
func (n *Node) IsLinkTarget() bool { return n.loc != "" }
