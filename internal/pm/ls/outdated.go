package ls

import (
	"bytes"
	"context"
	"errors"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
)

// OutdatedEntry is one row of `npm outdated`.
type OutdatedEntry struct {
	Name               string
	Path               string // absolute folder, "" when missing
	Location           string // relative location, "" when missing
	Type               string // dependencies, devDependencies, ...
	Current            string // "" when missing
	Wanted             string
	Latest             string
	Dependent          string
	Homepage           string
	DependedByLocation string
	// workspaceDependent is what npm's table prints for a workspace's
	// dependency: the workspace folder node's pkgid ("a@npm:wa@0.1.0"
	// when the folder is named otherwise than the package).
	workspaceDependent string
}

// OutdatedOptions select the edges to check.
type OutdatedOptions struct {
	Args        []string // package names: check the edges into them
	All         bool     // every node's dependencies, not only the root's
	Omit        []string // dev, optional, peer
	NodeVersion string
}

// Fetcher returns a package's packument.
type Fetcher func(ctx context.Context, name string) (*packument.Packument, error)

// Outdated compares installed versions with what the ranges want and what
// the registry's latest tag is, as npm outdated does.
func Outdated(ctx context.Context, root *Node, fetch Fetcher, o OutdatedOptions) ([]OutdatedEntry, error) {
	var edges []*Edge
	seen := map[*Edge]bool{}
	add := func(e *Edge) {
		if !seen[e] {
			seen[e] = true
			edges = append(edges, e)
		}
	}
	var all []*Node
	walk(root, func(n *Node) { all = append(all, n) })
	if len(o.Args) > 0 {
		for _, a := range o.Args {
			for _, n := range all {
				if n.Name == a && !n.IsRoot {
					for _, e := range edgesIn(root, n) {
						add(e)
					}
				}
			}
		}
	} else {
		if o.All {
			for _, n := range all {
				for _, e := range n.Edges {
					add(e)
				}
			}
		}
		for _, e := range root.Edges {
			add(e)
		}
		// npm checks the workspaces' own dependencies as the root's.
		for _, k := range sortedChildNames(root) {
			if c := root.Children[k]; c.IsWorkspace {
				for _, e := range c.Edges {
					add(e)
				}
			}
		}
	}
	var mu sync.Mutex
	var out []OutdatedEntry
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, e := range edges {
		e := e
		typ := "dependencies"
		switch {
		case e.IsOptionalType():
			typ = "optionalDependencies"
		case e.Type == "peer":
			typ = "peerDependencies"
		case e.Type == "dev":
			typ = "devDependencies"
		}
		skip := false
		for _, t := range o.Omit {
			if e.To != nil {
				skip = skip || (t == "dev" && e.To.Dev) || (t == "optional" && e.To.Optional) || (t == "peer" && e.To.Peer)
			} else {
				skip = skip || e.isType(t)
			}
		}
		if skip {
			continue
		}
		if e.To == nil && !e.IsOptionalType() && typ != "dependencies" {
			continue // npm: a missing non-production dependency is not reported
		}
		name, spec := e.Name, e.Spec
		alias := false
		if rest, ok := strings.CutPrefix(spec, "npm:"); ok {
			alias = true
			name, spec = rest, "*"
			if at := strings.LastIndexByte(rest, '@'); at > 0 {
				name, spec = rest[:at], rest[at+1:]
			}
		}
		if !registrySpec(spec) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := fetch(ctx, name)
			if err != nil {
				var nf *registryclient.NotFoundError
				var he *registryclient.HTTPError
				if errors.As(err, &nf) || (errors.As(err, &he) && (he.Status == 403 || he.Status == 404)) {
					return
				}
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return
			}
			wanted, err := tree.PickManifest(p, spec, o.NodeVersion)
			if err != nil {
				return // ETARGET: npm skips it
			}
			latest, err := tree.PickManifest(p, "*", o.NodeVersion)
			if err != nil {
				return
			}
			ent := OutdatedEntry{Name: e.Name, Type: typ, Wanted: wanted.Version, Latest: latest.Version}
			if alias {
				ent.Name = e.Name + strings.TrimPrefix(e.Spec, "npm")
			}
			if e.To != nil {
				ent.Current, ent.Path, ent.Location = e.To.Version, e.To.Path, e.To.Location
			}
			ent.Dependent = e.From.Name
			if e.From.IsRoot {
				// arborist names the root node after its folder
				ent.Dependent = filepath.Base(e.From.Path)
			}
			if e.From.Link {
				// arborist names a linked folder's node after the folder
				ent.Dependent = path.Base(e.From.TargetLocation)
				if e.From.IsWorkspace {
					target := *e.From
					target.Name = ent.Dependent
					ent.workspaceDependent = target.lsPkgID()
				}
			}
			ent.DependedByLocation = explainLocation(e.From)
			if ent.Current == "" || ent.Current != ent.Wanted || ent.Wanted != ent.Latest {
				mu.Lock()
				out = append(out, ent)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := manifest.LocaleCompare(out[i].Name, out[j].Name); c != 0 {
			return c < 0
		}
		return manifest.LocaleCompare(out[i].Dependent, out[j].Dependent) < 0
	})
	return out, nil
}

// registrySpec reports whether spec is resolved through the registry (a
// range, version or dist-tag), not a file, git or URL spec.
func registrySpec(spec string) bool {
	for _, p := range []string{"file:", "link:", "git", "http:", "https:", "github:", "gitlab:", "bitbucket:", "gist:", "workspace:", ".", "/", "~/"} {
		if strings.HasPrefix(spec, p) {
			return false
		}
	}
	if strings.Contains(spec, "/") && !strings.Contains(spec, " ") {
		return false // owner/repo shorthand
	}
	return true
}

// OutdatedTable renders the entries as npm's text table.
func OutdatedTable(list []OutdatedEntry, long bool) string {
	if len(list) == 0 {
		return ""
	}
	head := []string{"Package", "Current", "Wanted", "Latest", "Location", "Depended by"}
	if long {
		head = append(head, "Package Type", "Homepage", "Depended By Location")
	}
	rows := [][]string{head}
	for _, d := range list {
		cur := d.Current
		if cur == "" {
			cur = "MISSING"
		}
		loc := d.Location
		if loc == "" {
			loc = "-"
		}
		dep := d.Dependent
		if d.workspaceDependent != "" {
			dep = d.workspaceDependent
		}
		r := []string{d.Name, cur, d.Wanted, d.Latest, loc, dep}
		if long {
			r = append(r, d.Type, d.Homepage, d.DependedByLocation)
		}
		rows = append(rows, r)
	}
	align := []byte{'l', 'r', 'r', 'r', 'l'}
	sizes := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			if l := len([]rune(c)); l > sizes[i] {
				sizes[i] = l
			}
		}
	}
	var b strings.Builder
	for ri, r := range rows {
		var cells []string
		for i, c := range r {
			pad := strings.Repeat(" ", sizes[i]-len([]rune(c)))
			if i < len(align) && align[i] == 'r' {
				cells = append(cells, pad+c)
			} else {
				cells = append(cells, c+pad)
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(cells, "  "), " \t"))
		if ri < len(rows)-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// OutdatedParseable is npm outdated --parseable.
func OutdatedParseable(list []OutdatedEntry, long bool) string {
	var lines []string
	for _, d := range list {
		cur := "MISSING"
		if d.Current != "" {
			cur = d.Name + "@" + d.Current
		}
		f := []string{d.Path, d.Name + "@" + d.Wanted, cur, d.Name + "@" + d.Latest, d.Dependent}
		if long {
			f = append(f, d.Type, d.Homepage, d.DependedByLocation)
		}
		lines = append(lines, strings.Join(f, ":"))
	}
	return strings.Join(lines, "\n")
}

// OutdatedJSON is npm outdated --json: an object keyed by package name,
// with an array when several dependents want different copies.
func OutdatedJSON(list []OutdatedEntry, long bool) string {
	obj := &orderedJSON{}
	for _, d := range list {
		dep := &orderedJSON{}
		if d.Current != "" {
			dep.set("current", d.Current)
		}
		dep.set("wanted", d.Wanted)
		dep.set("latest", d.Latest)
		dep.set("dependent", d.Dependent)
		if d.Path != "" {
			dep.set("location", d.Path)
		}
		if long {
			dep.set("type", d.Type)
			if d.Homepage != "" {
				dep.set("homepage", d.Homepage)
			}
			dep.set("dependedByLocation", d.DependedByLocation)
		}
		if prev, ok := obj.vals[d.Name]; ok {
			switch p := prev.(type) {
			case *orderedJSON:
				obj.vals[d.Name] = []*orderedJSON{p, dep}
			case []*orderedJSON:
				obj.vals[d.Name] = append(p, dep)
			}
			continue
		}
		obj.set(d.Name, dep)
	}
	var buf bytes.Buffer
	obj.encode(&buf, "")
	return buf.String()
}
