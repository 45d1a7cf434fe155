package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gnode/internal/pm/linker"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
)

// The isolated layout (`--linker isolated`) is derived from the hoisted
// tree the resolver builds anyway, so package-lock.json stays npm's and
// `npm ci` keeps working on it. What a package requires in the hoisted
// layout is what Node's walk-up from its location finds; that same package
// becomes the symlink next to it in the isolated layout. Peer dependencies
// are therefore the versions the hoisted tree gives the requirer (npm's
// peer placement), not pnpm's per-peer-set copies; when the same
// name@version resolves its dependencies or peers differently at two
// places in the tree, it gets one folder per distinct set of resolutions.

// Linker names, as --linker and package.json's "gnode": {"linker": ...} spell them.
const (
	LinkerHoisted  = "hoisted"
	LinkerIsolated = "isolated"
)

// resolveLinker decides the layout: the command line's --linker when
// given, else package.json's "gnode": {"linker": ...}, else hoisted.
func resolveLinker(flag string, pkgRaw []byte) (string, error) {
	v, from := flag, "--linker"
	if v == "" {
		var pj struct {
			Gnode struct {
				Linker string `json:"linker"`
			} `json:"gnode"`
		}
		if mayHaveKey(pkgRaw, "gnode") && json.Unmarshal(pkgRaw, &pj) == nil {
			v, from = pj.Gnode.Linker, `package.json "gnode": {"linker"}`
		}
	}
	switch v {
	case "":
		return LinkerHoisted, nil
	case LinkerHoisted, LinkerIsolated:
		return v, nil
	}
	return "", fmt.Errorf("invalid linker %q in %s: use %q (npm's layout, the default) or %q (each package sees only its declared dependencies)", v, from, LinkerHoisted, LinkerIsolated)
}

// isolatedLayout is what linkIsolated laid out.
type isolatedLayout struct {
	Result linker.Result
	// Packages are the package folders, each Location being its place in
	// the isolated layout (what the install state file lists).
	Packages []linker.Package
	// Dirs maps each installed node to its folder on disk, where its
	// install scripts run. Nodes sharing a folder share a path.
	Dirs map[*tree.Node]string
}

// linkIsolated lays out node_modules in the isolated layout. install and
// links are the nodes Run collected (packages to lay out, file: folder
// symlinks), paths their store folders; lo carries the Store (Run's
// linkStore), the hidden lockfile (written to node_modules/.gnode/lock.json)
// and the progress callback.
func linkIsolated(ctx context.Context, o Options, t *tree.Tree, install, links []*tree.Node, paths map[*tree.Node]string, st *store.Store, lo linker.Options) (*isolatedLayout, error) {
	bin := func(n *tree.Node) map[string]string {
		idx, _ := st.Index(paths[n])
		return binOf(n, idx)
	}
	plan := planIsolated(o.Dir, t, install, links, paths, bin)
	res, err := linker.ApplyIsolated(ctx, o.Dir, plan.pkgs, plan.direct, plan.folders, lo)
	if err != nil {
		return nil, err
	}
	out := &isolatedLayout{Result: res, Dirs: map[*tree.Node]string{}}
	for _, p := range plan.pkgs {
		out.Packages = append(out.Packages, linker.Package{Location: linker.IsolatedLocation(p.Dir, p.Name), Name: p.Name, StorePath: p.StorePath, Key: p.Key, Bin: p.Bin})
	}
	for n, d := range plan.dirOf {
		out.Dirs[n] = filepath.Join(o.Dir, filepath.FromSlash(d))
	}
	return out, nil
}

type isolatedPlan struct {
	pkgs    []linker.IsolatedPackage
	direct  []linker.DirectDep
	folders []linker.LinkedFolder
	dirOf   map[*tree.Node]string // node -> location of its folder
}

type depLink struct {
	name string
	to   *tree.Node
}

// planIsolated decides the folders of the isolated layout from the tree.
func planIsolated(projectDir string, t *tree.Tree, install, links []*tree.Node, paths map[*tree.Node]string, bin func(*tree.Node) map[string]string) isolatedPlan {
	inst := make(map[*tree.Node]bool, len(install))
	for _, n := range install {
		inst[n] = true
	}
	// deps lists what n requires, found as require finds it in the hoisted
	// layout (a peer from the requirer's parent, as npm places peers next
	// to their dependent). Bundled dependencies ship inside the package's
	// own folder, and dependencies that are not installed (omitted,
	// optional for another platform) have nothing to link to.
	deps := func(n *tree.Node) []depLink {
		var out []depLink
		for _, e := range n.Edges {
			if e.Bundled || (e.Type == tree.Dev && !n.IsRoot()) {
				continue
			}
			start := n
			if (e.Type == tree.Peer || e.Type == tree.PeerOptional) && n.Parent != nil {
				start = n.Parent
			}
			to := start.Resolve(e.Name)
			if to == nil || !inst[to] {
				continue
			}
			out = append(out, depLink{e.Name, to})
		}
		return out
	}
	// Shallowest first, so the copy of a name@version nearest the top keeps
	// the plain folder name.
	order := append([]*tree.Node(nil), install...)
	depth := func(n *tree.Node) int { return strings.Count(n.Location(), "node_modules/") }
	sort.SliceStable(order, func(i, j int) bool {
		di, dj := depth(order[i]), depth(order[j])
		if di != dj {
			return di < dj
		}
		return order[i].Location() < order[j].Location()
	})
	edges := make(map[*tree.Node][]depLink, len(order))
	for _, n := range order {
		edges[n] = deps(n)
	}

	// Copies of a package share a folder unless what they require differs.
	// This is partition refinement: start from name@version and contents,
	// split classes whose members' dependencies fall in different classes,
	// until nothing splits (cycles included).
	label := make(map[*tree.Node]int, len(order))
	classes := map[string]int{}
	for _, n := range order {
		k := packageName(n) + "@" + n.Version + "#" + nodeKey(n)
		if _, ok := classes[k]; !ok {
			classes[k] = len(classes)
		}
		label[n] = classes[k]
	}
	for {
		next := map[string]int{}
		nl := make(map[*tree.Node]int, len(order))
		for _, n := range order {
			var b strings.Builder
			b.WriteString(strconv.Itoa(label[n]))
			for _, d := range edges[n] {
				b.WriteString("|" + d.name + "=" + strconv.Itoa(label[d.to]))
			}
			k := b.String()
			if _, ok := next[k]; !ok {
				next[k] = len(next)
			}
			nl[n] = next[k]
		}
		label = nl
		if len(next) == len(classes) {
			break
		}
		classes = next
	}

	// One folder per class, named by its first (shallowest) member.
	rep := map[int]*tree.Node{}
	var reps []*tree.Node
	for _, n := range order {
		if rep[label[n]] == nil {
			rep[label[n]] = n
			reps = append(reps, n)
		}
	}
	dirOfClass := map[int]string{}
	taken := map[string]bool{}
	for _, r := range reps {
		base := linker.IsolatedDir(packageName(r), r.Version)
		d := base
		if taken[d] {
			// Another copy of the same name@version: a suffix from what
			// tells it apart, so the name stays put across installs.
			h := sha256.New()
			h.Write([]byte(nodeKey(r)))
			for _, e := range edges[r] {
				h.Write([]byte("\x00" + e.name + "=" + linker.IsolatedDir(packageName(e.to), e.to.Version) + "#" + nodeKey(e.to)))
			}
			d = base + "_" + hex.EncodeToString(h.Sum(nil))[:8]
			for i := 2; taken[d]; i++ {
				d = base + "_" + hex.EncodeToString(h.Sum(nil))[:8] + "_" + strconv.Itoa(i)
			}
		}
		taken[d] = true
		dirOfClass[label[r]] = d
	}

	plan := isolatedPlan{dirOf: map[*tree.Node]string{}}
	for _, r := range reps {
		d := dirOfClass[label[r]]
		ip := linker.IsolatedPackage{Dir: d, Name: packageName(r), StorePath: paths[r], Key: nodeKey(r), Bin: bin(r), Deps: map[string]string{}}
		for _, e := range edges[r] {
			ip.Deps[e.name] = dirOfClass[label[e.to]]
		}
		plan.pkgs = append(plan.pkgs, ip)
	}
	for _, n := range order {
		d := dirOfClass[label[n]]
		plan.dirOf[n] = linker.IsolatedLocation(d, packageName(n))
	}

	// The project's own dependencies, and every folder linked at the top
	// (file: folders, workspaces) as the hoisted layout links them.
	seen := map[string]bool{}
	addLink := func(n *tree.Node) {
		if seen[n.Name] {
			return
		}
		seen[n.Name] = true
		lp := linkPackage(projectDir, n)
		plan.direct = append(plan.direct, linker.DirectDep{Name: n.Name, LinkTarget: lp.LinkTarget, Bin: lp.Bin})
	}
	for _, e := range t.Root.Edges {
		to := t.Root.Children[e.Name]
		switch {
		case to == nil:
		case to.Link:
			if linkInstalled(to, links) {
				addLink(to)
			}
		case inst[to]:
			seen[e.Name] = true
			plan.direct = append(plan.direct, linker.DirectDep{Name: e.Name, Dir: dirOfClass[label[to]]})
		}
	}
	for _, n := range links {
		if n.Parent == t.Root {
			addLink(n)
		}
	}
	// A linked folder requires its dependencies from its own real path:
	// they are linked into its node_modules.
	for _, f := range t.Root.FsChildren {
		lf := linker.LinkedFolder{Folder: f.Location(), Deps: map[string]string{}}
		for _, e := range deps(f) {
			lf.Deps[e.name] = dirOfClass[label[e.to]]
		}
		if len(lf.Deps) > 0 {
			plan.folders = append(plan.folders, lf)
		}
	}
	return plan
}

func linkInstalled(n *tree.Node, links []*tree.Node) bool {
	for _, l := range links {
		if l == n {
			return true
		}
	}
	return false
}

// packageName is the real name a node's folder is laid out as (not an
// alias it is required by).
func packageName(n *tree.Node) string {
	if n.PackageName != "" {
		return n.PackageName
	}
	return n.Name
}
