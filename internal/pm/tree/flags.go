package tree

// CalcFlags sets dev, optional, devOptional, peer and extraneous on every
// node the way npm's calcDepFlags does: all start set, and walking edges
// out from the root clears the flags each edge proves false. What remains
// is true: a node still "dev" is only reachable through dev edges, and so on.
func CalcFlags(t *Tree) {
	t.Walk(func(n *Node) {
		n.Dev, n.Optional, n.DevOptional, n.Peer, n.Extraneous = true, true, true, true, true
	})
	r := t.Root
	r.Dev, r.Optional, r.DevOptional, r.Peer, r.Extraneous = false, false, false, false, false
	seen := map[*Node]bool{}
	queue := []*Node{r}
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		seen[n] = true
		edges := n.Edges
		if n.Target != nil {
			// A link passes its flags on to the folder it points at.
			edges = append(edges[:len(edges):len(edges)], &Edge{From: n, To: n.Target, Type: Prod})
		}
		for _, e := range edges {
			to := e.To
			if to == nil {
				continue
			}
			dev := e.Type == Dev
			optional := e.Type == Optional || e.Type == PeerOptional
			peer := e.Type == Peer || e.Type == PeerOptional
			changed := false
			if to.Extraneous && !n.Extraneous && !(peer && optional) {
				to.Extraneous, changed = false, true
			}
			if to.Dev && !n.Dev && !dev {
				to.Dev, changed = false, true
			}
			if to.Optional && !n.Optional && !optional {
				to.Optional, changed = false, true
			}
			if to.DevOptional && !n.DevOptional && !n.Dev && !n.Optional && !dev && !optional {
				to.DevOptional, changed = false, true
			}
			if to.Peer && !n.Peer && !peer {
				to.Peer, changed = false, true
			}
			if changed || !seen[to] {
				if !seen[to] || changed {
					queue = append(queue, to)
				}
				seen[to] = true
			}
		}
	}
	t.Walk(func(n *Node) {
		if n.DevOptional && (n.Dev || n.Optional) {
			n.DevOptional = false
		}
	})
}
