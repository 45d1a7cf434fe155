package install

import (
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/tree"
)

// onlyWorkspaces narrows what an install lays out to the selected
// workspaces' dependencies, as `npm install -w NAME` does: the links to
// those workspaces and everything their dependencies (dev ones included)
// reach, plus what is already installed unchanged, so nothing outside the
// selection is added or removed. only holds workspace folders relative to
// the project, "" for the project itself (its workspace links excepted).
// The lockfile stays the whole project's.
func onlyWorkspaces(t *tree.Tree, only []string, install, links []*tree.Node, prev map[string]string) ([]*tree.Node, []*tree.Node) {
	keep := map[*tree.Node]bool{}
	var stack []*tree.Node
	push := func(n *tree.Node) {
		if n != nil && !keep[n] {
			keep[n] = true
			stack = append(stack, n)
		}
	}
	for _, p := range only {
		if p == "" {
			push(t.Root)
			continue
		}
		for _, e := range t.Root.Edges {
			if e.Workspace && e.To != nil && e.To.Resolved == p {
				push(e.To)
			}
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Target != nil {
			push(n.Target)
		}
		for _, e := range n.Edges {
			if n.IsRoot() && e.Workspace {
				continue // the project's own dependencies, not every workspace
			}
			if e.To != nil {
				push(e.To)
			}
		}
		// A nested package needs the folders it sits in.
		for p := n.Parent; p != nil && !p.IsRoot(); p = p.Parent {
			push(p)
		}
	}
	filter := func(ns []*tree.Node) []*tree.Node {
		var out []*tree.Node
		for _, n := range ns {
			if keep[n] || (prev != nil && prev[n.Location()] == nodeKey(n)) {
				out = append(out, n)
			}
		}
		return out
	}
	return filter(install), filter(links)
}

// trimHidden leaves in the hidden lockfile only what is laid out (and the
// folders of the links that are).
func trimHidden(lf *lockfile.Lockfile, install, links []*tree.Node) {
	have := map[string]bool{"": true}
	for _, n := range install {
		have[n.Location()] = true
	}
	for _, n := range links {
		have[n.Location()] = true
		have[n.Resolved] = true
	}
	for loc := range lf.Packages {
		if !have[loc] {
			delete(lf.Packages, loc)
		}
	}
}
