package ls

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"gnode/internal/npm/semver"
	"gnode/internal/pm/manifest"
)

// Options are npm ls's flags.
type Options struct {
	All       bool
	Depth     int // -1: unset
	JSON      bool
	Parseable bool
	Long      bool
	Omit      []string // dev, optional, peer
	Unicode   bool
	// Args filter the output to paths leading to matching packages
	// (name or name@range).
	Args []string
}

// Result is a rendered listing.
type Result struct {
	Output   string
	Problems []string
	// ExitCode is 1 when problems other than extraneous packages were
	// found, or when Args matched nothing.
	ExitCode int
}

// entry is a node as npm ls walks it: a real node, a missing dependency,
// or a deduped reference to a node shown elsewhere.
type entry struct {
	node     *Node // nil for missing
	name     string
	pkgid    string
	version  string
	path     string
	missing  string // pkgid of the dependent, for missing entries
	required string
	typ      string
	invalid  string
	dedupe   bool
	depth    int
	include  bool
	filtered bool
	parent   *item
}

type item struct {
	name     string
	label    string
	include  bool
	parent   *item
	children []*item
	json     *orderedJSON
	node     *Node
	dedupe   bool
}

// nodeState is what npm ls writes onto arborist's shared Node objects while
// it maps edges: it accumulates across edges, so it is kept per node.
type nodeState struct {
	required, typ, invalid string
	depth                  int
	include, filtered      bool
	seen                   bool
}

type orderedJSON struct {
	keys []string
	vals map[string]any
}

func (o *orderedJSON) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *orderedJSON) encode(buf *bytes.Buffer, indent string) {
	if len(o.keys) == 0 {
		buf.WriteString("{}")
		return
	}
	buf.WriteString("{\n")
	for i, k := range o.keys {
		buf.WriteString(indent + "  ")
		manifest.QuoteJS(buf, k)
		buf.WriteString(": ")
		switch v := o.vals[k].(type) {
		case *orderedJSON:
			v.encode(buf, indent+"  ")
		case []*orderedJSON:
			buf.WriteString("[\n")
			for j, x := range v {
				buf.WriteString(indent + "    ")
				x.encode(buf, indent+"    ")
				if j < len(v)-1 {
					buf.WriteString(",")
				}
				buf.WriteString("\n")
			}
			buf.WriteString(indent + "  ]")
		case string:
			manifest.QuoteJS(buf, v)
		case bool:
			fmt.Fprintf(buf, "%v", v)
		case []string:
			if len(v) == 0 {
				buf.WriteString("[]")
				break
			}
			buf.WriteString("[\n")
			for j, s := range v {
				buf.WriteString(indent + "    ")
				manifest.QuoteJS(buf, s)
				if j < len(v)-1 {
					buf.WriteString(",")
				}
				buf.WriteString("\n")
			}
			buf.WriteString(indent + "  ]")
		default:
			b, _ := json.Marshal(v)
			buf.Write(b)
		}
		if i < len(o.keys)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString(indent + "}")
}

func matchesArg(n *Node, args []string) bool {
	if n == nil {
		return false
	}
	for _, a := range args {
		name, rng := a, ""
		if at := strings.LastIndexByte(a, '@'); at > 0 {
			name, rng = a[:at], a[at+1:]
		}
		if n.Name != name {
			continue
		}
		if rng == "" || rng == "*" || semver.Satisfies(n.Version, rng, semver.Options{Loose: true}) {
			return true
		}
	}
	return false
}

// List renders root as npm ls does.
func List(root *Node, o Options) *Result {
	depthToPrint := 0
	switch {
	case o.All || len(o.Args) > 0:
		depthToPrint = 1 << 30
		if o.Depth >= 0 {
			depthToPrint = o.Depth
		}
	case o.Depth > 0:
		depthToPrint = o.Depth
	}
	state := map[*Node]*nodeState{}
	st := func(n *Node) *nodeState {
		s := state[n]
		if s == nil {
			s = &nodeState{}
			state[n] = s
		}
		return s
	}
	var problems []string
	seenProblem := map[string]bool{}
	addProblem := func(p string) {
		if !seenProblem[p] {
			seenProblem[p] = true
			problems = append(problems, p)
		}
	}
	seenPaths := map[string]bool{} // seenNodes keyed by path ("" for missing)
	var seenItems []*item
	var seenNodes []*Node

	rootEntry := &entry{node: root, name: root.Name, pkgid: root.PkgID(), version: root.Version, path: root.Path, include: len(o.Args) == 0}
	st(root).depth = 0
	seenPaths[root.Path] = true
	seenNodes = append(seenNodes, root)
	queue := []*entry{rootEntry}
	var rootItem *item
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		// A real node reads the state edges have written onto it so far
		// (npm mutates the shared node); a deduped copy keeps its snapshot.
		if e.node != nil && !e.dedupe {
			s := st(e.node)
			e.required, e.typ, e.invalid = s.required, s.typ, s.invalid
		}
		// visit
		it := visit(e, root, o, addProblem)
		if e.include {
			for _, p := range it.problemsList {
				addProblem(p)
			}
		}
		seenItems = append(seenItems, it.item)
		if rootItem == nil {
			rootItem = it.item
		}
		// children
		depth := e.depth
		if e.node != nil && e.node.IsWorkspace {
			depth = 0 // npm ls lists a workspace's dependencies as the root's
		}
		if e.node == nil || e.dedupe || depth > depthToPrint {
			continue
		}
		var kids []*entry
		mappedPaths := map[string]bool{}
		for _, edge := range e.node.Edges {
			if depth == 0 {
				skip := false
				for _, t := range o.Omit {
					if edge.isType(t) {
						skip = true
					}
				}
				if skip {
					continue
				}
			}
			var ce *entry
			if edge.To == nil {
				ce = &entry{name: edge.Name, pkgid: edge.Name + "@" + edge.Spec, missing: e.node.PkgID()}
			} else {
				mappedPaths[edge.To.Path] = true
				ce = &entry{node: edge.To, name: edge.To.Name, pkgid: edge.To.lsPkgID(), version: edge.To.Version, path: edge.To.Path}
			}
			req := edge.Spec
			if req == "" {
				req = "*"
			}
			if edge.Invalid() {
				from := e.node.Location
				if e.node.IsRoot {
					from = "the root project"
				}
				s := st(edge.To)
				q, _ := json.Marshal(req)
				if s.invalid != "" {
					s.invalid += ", "
				}
				s.invalid += fmt.Sprintf("%s from %s", q, from)
			}
			if edge.To != nil {
				s := st(edge.To)
				s.required, s.typ = req, edge.Type
			} else {
				ce.required, ce.typ = req, edge.Type
			}
			kids = append(kids, ce)
		}
		for _, k := range sortedChildNames(e.node) {
			c := e.node.Children[k]
			if !mappedPaths[c.Path] && c.Extraneous {
				kids = append(kids, &entry{node: c, name: c.Name, pkgid: c.lsPkgID(), version: c.Version, path: c.Path})
			}
		}
		sort.SliceStable(kids, func(i, j int) bool { return manifest.LocaleCompare(kids[i].pkgid, kids[j].pkgid) < 0 })
		for _, ce := range kids {
			if ce.node != nil {
				s := st(ce.node)
				ce.required, ce.typ, ce.invalid = s.required, s.typ, s.invalid
			}
			key := ce.path
			if seenPaths[key] {
				ce.dedupe = ce.missing == ""
				if ce.node != nil {
					ce.invalid = st(ce.node).invalid
				}
				ce.node = dedupeNode(ce.node)
				ce.include = matchesArgOrAll(nodeAtPath(seenNodes, key), o.Args)
			} else {
				seenPaths[key] = true
				if ce.node != nil {
					seenNodes = append(seenNodes, ce.node)
				}
				ce.include = matchesArgOrAll(ce.node, o.Args)
			}
			ce.filtered = ce.include && len(o.Args) > 0
			ce.depth = depth + 1
			ce.parent = it.item
			queue = append(queue, ce)
		}
	}
	_ = seenNodes
	res := &Result{Problems: problems}
	for _, p := range problems {
		if !strings.HasPrefix(p, "extraneous:") {
			res.ExitCode = 1
		}
	}
	if len(o.Args) > 0 && !rootItem.include {
		res.ExitCode = 1
	}
	switch {
	case o.JSON:
		if len(problems) > 0 {
			rootItem.json.set("problems", problems)
		}
		defer func() {
			if res.ExitCode != 0 && len(problems) > 0 && hasReal(problems) {
				// npm's JSON error report for the ELSPROBLEMS it throws.
				e := &orderedJSON{}
				e.set("code", "ELSPROBLEMS")
				e.set("summary", strings.Join(problems, "\n"))
				e.set("detail", "")
				rootItem.json.set("error", e)
				var buf bytes.Buffer
				rootItem.json.encode(&buf, "")
				res.Output = buf.String() + "\n"
			}
		}()
		for _, it := range seenItems {
			if it.include && it.parent != nil {
				d, ok := it.parent.json.vals["dependencies"].(*orderedJSON)
				if !ok {
					d = &orderedJSON{}
					it.parent.json.set("dependencies", d)
				}
				d.set(it.name, it.json)
			}
		}
		var buf bytes.Buffer
		rootItem.json.encode(&buf, "")
		res.Output = buf.String() + "\n"
	case o.Parseable:
		var b strings.Builder
		for _, it := range seenItems {
			if it.include && it.node != nil && !it.dedupe {
				b.WriteString(it.node.Path + "\n")
			}
		}
		res.Output = strings.TrimSpace(b.String()) + "\n"
	default:
		for _, it := range seenItems {
			if it.include && it.parent != nil {
				it.parent.children = append(it.parent.children, it)
			}
		}
		if len(rootItem.children) == 0 {
			rootItem.children = []*item{{label: "(empty)"}}
		}
		// npm prints archy's output (which ends in a newline) with a newline.
		res.Output = archy(rootItem, "", o.Unicode) + "\n"
	}
	return res
}

func matchesArgOrAll(n *Node, args []string) bool {
	if len(args) == 0 {
		return true
	}
	return matchesArg(n, args)
}

func nodeAtPath(nodes []*Node, p string) *Node {
	for _, n := range nodes {
		if n.Path == p {
			return n
		}
	}
	return nil
}

// dedupeNode marks a reference: it is rendered but never expanded.
func dedupeNode(n *Node) *Node { return n }

type visited struct {
	item         *item
	problemsList []string
}

func visit(e *entry, root *Node, o Options, _ func(string)) visited {
	var probs []string
	isOpt := e.typ == "optional" || e.typ == "peerOptional"
	missing := e.missing != "" && !e.dedupe
	if e.missing != "" && !isOpt {
		probs = append(probs, fmt.Sprintf("missing: %s, required by %s", e.pkgid, e.missing))
	}
	if e.invalid != "" {
		probs = append(probs, fmt.Sprintf("invalid: %s %s", e.pkgid, e.path))
	}
	extraneous := e.node != nil && e.node.Extraneous && !e.dedupe
	if extraneous {
		probs = append(probs, fmt.Sprintf("extraneous: %s %s", e.pkgid, e.path))
	}
	it := &item{name: e.name, include: e.include, parent: e.parent, node: e.node, dedupe: e.dedupe}
	if e.include {
		for p := e.parent; p != nil; p = p.parent {
			p.include = true
		}
	}
	if o.JSON {
		j := &orderedJSON{}
		if e.version != "" {
			j.set("version", e.version)
		}
		if e.node != nil && e.node.Resolved != "" && !e.dedupe && e.node.resolvedFor == e.node.Version {
			j.set("resolved", e.node.Resolved)
		}
		if e.node != nil && !e.node.IsRoot && !e.dedupe {
			j.set("overridden", false)
		}
		if e.node != nil && e.node.IsRoot && len(e.node.Pkg) > 0 {
			j.set("name", e.name)
		}
		if extraneous {
			j.set("extraneous", true)
		}
		if e.invalid != "" {
			j.set("invalid", e.invalid)
		}
		if e.missing != "" && !isOpt {
			j.set("required", e.required)
			j.set("missing", true)
		}
		if e.include && len(probs) > 0 {
			j.set("problems", probs)
		}
		it.json = j
	} else {
		label := e.pkgid
		if e.node != nil && e.node.IsRoot {
			label += " " + e.node.Path
		}
		if missing || (e.missing != "") {
			if isOpt {
				label = "UNMET OPTIONAL DEPENDENCY " + label
			} else {
				label = "UNMET DEPENDENCY " + label
			}
		}
		if e.dedupe {
			label += " deduped"
		}
		if e.invalid != "" {
			label += " invalid: " + e.invalid
		}
		if extraneous {
			label += " extraneous"
		}
		if e.node != nil && e.node.Link {
			label += " -> ./" + e.node.TargetLocation
		}
		it.label = label
	}
	return visited{item: it, problemsList: probs}
}

// archy draws the tree as the archy package does.
func archy(it *item, prefix string, unicode bool) string {
	chr := func(s string) string {
		if unicode {
			return s
		}
		return map[string]string{"│": "|", "└": "`", "├": "+", "─": "-", "┬": "-"}[s]
	}
	lines := strings.Split(it.label, "\n")
	bar := " "
	if len(it.children) > 0 {
		bar = chr("│")
	}
	var b strings.Builder
	b.WriteString(prefix + strings.Join(lines, "\n"+prefix+bar+" ") + "\n")
	for i, c := range it.children {
		last := i == len(it.children)-1
		p2 := prefix + chr("│") + " "
		if last {
			p2 = prefix + "  "
		}
		b.WriteString(prefix)
		if last {
			b.WriteString(chr("└"))
		} else {
			b.WriteString(chr("├"))
		}
		b.WriteString(chr("─"))
		if len(c.children) > 0 {
			b.WriteString(chr("┬"))
		} else {
			b.WriteString(chr("─"))
		}
		b.WriteString(" ")
		sub := archy(c, p2, unicode)
		b.WriteString(sub[len(p2):])
	}
	return b.String()
}

func hasReal(problems []string) bool {
	for _, p := range problems {
		if !strings.HasPrefix(p, "extraneous:") {
			return true
		}
	}
	return false
}
