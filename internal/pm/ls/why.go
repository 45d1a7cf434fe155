package ls

import (
	"fmt"
	"sort"
	"strings"

	"gnode/internal/npm/pkgname"
	"gnode/internal/npm/semver"
	"gnode/internal/pm/manifest"
)

// Find returns the installed nodes an argument names: a package name, a
// location (node_modules/a/node_modules/b) or name@range, in tree order.
func Find(root *Node, arg string) []*Node {
	var all []*Node
	walk(root, func(n *Node) {
		if !n.IsRoot {
			all = append(all, n)
		}
	})
	var out []*Node
	if pkgname.Check(arg) == nil {
		for _, n := range all {
			if pn, _ := n.Pkg["name"].(string); pn == arg {
				out = append(out, n)
			}
		}
		return out
	}
	loc := strings.TrimRight(strings.ReplaceAll(arg, "\\", "/"), "/")
	for _, n := range all {
		if n.Location == loc {
			return []*Node{n}
		}
	}
	at := strings.LastIndexByte(arg, '@')
	if at <= 0 {
		return nil
	}
	name, rng := arg[:at], arg[at+1:]
	for _, n := range all {
		pn, _ := n.Pkg["name"].(string)
		pv, _ := n.Pkg["version"].(string)
		if pn == name && semver.Satisfies(pv, rng, semver.Options{}) {
			out = append(out, n)
		}
	}
	return out
}

// edgesIn lists the edges that point at n, root's first, then by the
// dependent's location. In a project with workspaces npm lists the root's
// last: arborist declares the root's edges again once the workspaces are
// loaded, after every other edge.
func edgesIn(root, n *Node) []*Edge {
	rootLast := false
	for _, e := range root.Edges {
		if e.Type == "workspace" {
			rootLast = true
		}
	}
	var out []*Edge
	walk(root, func(f *Node) {
		for _, e := range f.Edges {
			if e.To == n {
				out = append(out, e)
			}
		}
	})
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].From, out[j].From
		if a.IsRoot != b.IsRoot {
			return a.IsRoot != rootLast
		}
		// arborist loads linked folders after node_modules, so their
		// edges come later.
		if a.Link != b.Link {
			return b.Link
		}
		return manifest.LocaleCompare(explainLocation(a), explainLocation(b)) < 0
	})
	return out
}

// Explain renders `npm explain` for nodes: each node with its flags and
// location, then every chain of dependents up to the root project.
func Explain(root *Node, nodes []*Node) string {
	var parts []string
	for _, n := range nodes {
		parts = append(parts, explainNode(root, n, nil, true))
	}
	return strings.Join(parts, "\n\n") + "\n"
}

func printNode(n *Node, withFlags bool) string {
	s := n.PkgID()
	if withFlags {
		if n.Extraneous {
			s += " extraneous"
		} else {
			if n.Dev {
				s += " dev"
			}
			if n.Optional {
				s += " optional"
			}
			if n.Peer {
				s += " peer"
			}
		}
		if n.inBundle() {
			s += " bundled"
		}
	}
	if n.Location != "" {
		s += "\n" + n.Location
	}
	return s
}

func indent(msgs []string) string {
	if len(msgs) == 0 {
		return ""
	}
	return strings.ReplaceAll("\n"+strings.Join(msgs, "\n"), "\n", "\n  ")
}

func explainNode(root, n *Node, seen []*Node, top bool) string {
	if n.Link {
		return explainLink(root, n, seen, top)
	}
	return printNode(n, top) + explainDependents(root, n, seen)
}

// explainLocation is where npm says a dependent is: a link's edges belong
// to its target folder.
func explainLocation(n *Node) string {
	if n.Link {
		return n.TargetLocation
	}
	return n.Location
}

// explainLink explains a link as npm does its target: the folder's own
// name@version and location, then the link into it (linksIn), whose
// dependents are the link's.
func explainLink(root, link *Node, seen []*Node, withFlags bool) string {
	target := *link
	target.Link, target.Location = false, link.TargetLocation
	in := *link
	in.Link = false
	return printNode(&target, withFlags) + indent([]string{printNode(&in, false) + explainDependents(root, link, seen)})
}

func explainDependents(root, n *Node, seen []*Node) string {
	for _, s := range seen {
		if s == n {
			return ""
		}
	}
	seen = append(append([]*Node{}, seen...), n)
	var msgs []string
	for _, e := range edgesIn(root, n) {
		if e.Invalid() && !e.From.IsRoot {
			continue
		}
		prefix := ""
		if e.Type != "prod" {
			prefix = e.Type + " "
		}
		if bundles(e.From, e.Name) {
			prefix += "bundled "
		}
		from := "the root project"
		if !e.From.IsRoot {
			from = explainNode(root, e.From, seen, false)
		}
		if e.Type == "workspace" {
			// npm names a workspace by its folder, relative to the dependent.
			msgs = append(msgs, fmt.Sprintf("%s%s from %s", prefix, strings.TrimPrefix(e.Spec, "file:"), from))
			continue
		}
		msgs = append(msgs, fmt.Sprintf("%s%s@%q from %s", prefix, e.Name, e.Spec, from))
	}
	return indent(msgs)
}

// bundles reports whether n's package.json lists name in its bundled
// dependencies.
func bundles(n *Node, name string) bool {
	for _, k := range []string{"bundleDependencies", "bundledDependencies"} {
		switch v := n.Pkg[k].(type) {
		case []any:
			for _, x := range v {
				if x == name {
					return true
				}
			}
		case bool:
			if deps, ok := n.Pkg["dependencies"].(map[string]any); ok && v {
				_, dep := deps[name]
				return dep
			}
		}
	}
	return false
}

// inBundle reports whether n came inside another package's tarball: its
// parent bundles it, or its parent came in a bundle itself.
func (n *Node) inBundle() bool {
	for c := n; c.Parent != nil && !c.Parent.IsRoot; c = c.Parent {
		if bundles(c.Parent, c.Name) {
			return true
		}
	}
	return false
}
