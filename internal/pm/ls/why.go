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
// dependent's location.
func edgesIn(root, n *Node) []*Edge {
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
			return a.IsRoot
		}
		return manifest.LocaleCompare(a.Location, b.Location) < 0
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
	return printNode(n, top) + explainDependents(root, n, seen)
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
		from := "the root project"
		if !e.From.IsRoot {
			from = printNode(e.From, false) + explainDependents(root, e.From, seen)
		}
		msgs = append(msgs, fmt.Sprintf("%s%s@%q from %s", prefix, e.Name, e.Spec, from))
	}
	return indent(msgs)
}
