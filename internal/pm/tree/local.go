package tree

import (
	"container/heap"
	"context"
	"fmt"
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
	case spec.TypeFile, spec.TypeRemote:
		return sp
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
	n.edgesFromManifest(m)
	r.register(n)
	for _, de := range n.Edges {
		if dds, err := parseDepSpec(de.Name, de.Spec); err == nil && !de.Bundled {
			r.f.prefetch(dds.PackageName, dds)
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
