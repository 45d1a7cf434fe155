package ls

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/pm/linker"
	"gnode/internal/pm/lockfile"
)

// The isolated layout (node_modules/.gnode/<name>@<version>/node_modules/<name>,
// dependencies as symlinks) is derived from the hoisted tree npm would lay
// out, and its hidden lockfile (node_modules/.gnode/lock.json) records
// that tree by hoisted location. ls, why and outdated show that tree, so
// the same lockfile lists the same way in either layout: each location
// becomes a node whose package.json is read from the folder holding its
// files, and Path stays the hoisted path (the node's identity in ls's
// dedupe, and what the hoisted layout prints). Links to the project's
// folders and the packages inside those folders are described as the
// hoisted loader describes them (see setLink, childLocation).

// loadIsolated fills root's children from the isolated hidden lockfile.
func loadIsolated(root *Node) {
	hidden := linker.IsolatedLockfilePath(root.Path)
	lf, err := lockfile.Read(hidden)
	if err != nil {
		return // nothing readable is installed
	}
	v := &virtualTree{root: root, lf: lf, resolved: hiddenLockResolved(hidden), kids: map[string][]string{}}
	for loc := range lf.Packages {
		if parent, name, ok := splitLocation(loc); ok {
			v.kids[parent] = append(v.kids[parent], name)
		}
	}
	for _, names := range v.kids {
		sort.Strings(names)
	}
	v.children(root, "", root.Path)
}

type virtualTree struct {
	root     *Node
	lf       *lockfile.Lockfile
	resolved map[string][2]string
	// kids lists the package names directly under each lockfile location's
	// node_modules ("" is the project).
	kids map[string][]string
}

// splitLocation splits "a/node_modules/@s/b" into its parent location and
// package name; false for locations that are not inside a node_modules
// (the project's linked folders, "packages/a").
func splitLocation(loc string) (parent, name string, ok bool) {
	rest := loc
	if i := strings.LastIndex(loc, "/node_modules/"); i >= 0 {
		parent, rest = loc[:i], loc[i+len("/node_modules/"):]
	} else if r, found := strings.CutPrefix(loc, "node_modules/"); found {
		rest = r
	} else {
		return "", "", false
	}
	if strings.HasPrefix(rest, "@") {
		if strings.Count(rest, "/") != 1 {
			return "", "", false
		}
	} else if strings.Contains(rest, "/") || rest == "" {
		return "", "", false
	}
	return parent, rest, true
}

// children adds the packages the lockfile places under lockLoc's
// node_modules to n. real is the folder holding n's files, where its
// bundled dependencies live.
func (v *virtualTree) children(n *Node, lockLoc, real string) {
	for _, name := range v.kids[lockLoc] {
		loc := "node_modules/" + name
		if lockLoc != "" {
			loc = lockLoc + "/node_modules/" + name
		}
		p := v.lf.Packages[loc]
		target, dir := loc, ""
		switch {
		case p.Link:
			// A workspace or file: folder: its own files, and the
			// packages the lockfile places inside it.
			target = path.Clean(filepath.ToSlash(p.Resolved))
			dir = filepath.Join(v.root.Path, filepath.FromSlash(target))
		case p.InBundle:
			dir = filepath.Join(real, "node_modules", filepath.FromSlash(name))
		default:
			dir = isolatedFolder(v.root.Path, p.PackageName(loc), p.Version)
		}
		b, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			continue // not on disk: missing, as the hoisted walk would find it
		}
		c := &Node{Name: name, Parent: n, Children: map[string]*Node{}}
		json.Unmarshal(b, &c.Pkg)
		if c.Pkg == nil {
			c.Pkg = map[string]any{}
		}
		c.Version, _ = c.Pkg["version"].(string)
		c.Location = childLocation(n, name)
		c.Path = filepath.Join(v.root.Path, filepath.FromSlash(c.Location))
		if p.Link {
			setLink(c, target)
		} else {
			c.Resolved, c.resolvedFor = v.resolved[c.Location][0], v.resolved[c.Location][1]
			if c.Resolved == "" {
				c.Resolved, _ = c.Pkg["_resolved"].(string)
				c.resolvedFor = c.Version
			}
		}
		n.Children[name] = c
		if p.Link && (target == ".." || strings.HasPrefix(target, "../")) {
			// A folder outside the project: the lockfile records nothing
			// inside it, so its packages are read from disk, as the
			// hoisted loader does.
			c.Path = dir
			loadChildren(c, v.root, v.resolved)
			c.Path = filepath.Join(v.root.Path, filepath.FromSlash(c.Location))
			continue
		}
		v.children(c, target, dir)
	}
}

// isolatedFolder is where the isolated layout keeps name@version's files.
// Copies whose dependencies resolve differently get a suffixed folder
// (<name>@<version>_<hash>); their package.json is the same, so any copy
// will do.
func isolatedFolder(projectDir, name, version string) string {
	base := linker.IsolatedDir(name, version)
	nm := filepath.Join(projectDir, "node_modules", linker.IsolatedDirName)
	dir := filepath.Join(nm, base, "node_modules", filepath.FromSlash(name))
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	matches, _ := filepath.Glob(filepath.Join(nm, globEscape(base)+"_*"))
	sort.Strings(matches)
	for _, m := range matches {
		d := filepath.Join(m, "node_modules", filepath.FromSlash(name))
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	return dir
}

func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`)
	return r.Replace(s)
}
