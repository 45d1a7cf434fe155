package install

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
)

// addBundled adds the packages a bundling package ships in its tarball
// (bundleDependencies) to the tree as inBundle nodes, so the lockfile
// records them as npm does. They are never fetched: the linker lays them
// out with their bundler's files.
func addBundled(t *tree.Tree, st *store.Store, paths map[*tree.Node]string) {
	for n, p := range paths {
		if n.Manifest == nil || len(n.Manifest.Bundled()) == 0 {
			continue
		}
		addBundledUnder(n, filepath.Join(p, "node_modules"))
	}
}

func addBundledUnder(parent *tree.Node, nmDir string) {
	var names []string
	ents, err := os.ReadDir(nmDir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		if e.Name()[0] == '@' {
			sub, _ := os.ReadDir(filepath.Join(nmDir, e.Name()))
			for _, s := range sub {
				if s.IsDir() {
					names = append(names, e.Name()+"/"+s.Name())
				}
			}
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		if parent.Children[name] != nil {
			continue
		}
		dir := filepath.Join(nmDir, filepath.FromSlash(name))
		data, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			continue
		}
		var pj struct {
			Name         string            `json:"name"`
			Version      string            `json:"version"`
			License      any               `json:"license"`
			Dependencies map[string]string `json:"dependencies"`
			Optional     map[string]string `json:"optionalDependencies"`
			Engines      any               `json:"engines"`
			Bin          any               `json:"bin"`
			Bundle       any               `json:"bundleDependencies"`
		}
		if json.Unmarshal(data, &pj) != nil || pj.Version == "" {
			continue
		}
		if pj.Name == "" {
			pj.Name = name
		}
		lic, _ := pj.License.(string)
		c := &tree.Node{
			Name: name, PackageName: pj.Name, Version: pj.Version, Parent: parent, Children: map[string]*tree.Node{},
			InBundle: true, Dev: parent.Dev, Optional: parent.Optional, DevOptional: parent.DevOptional, Peer: parent.Peer,
			Lock: &tree.LockInfo{License: lic, Dependencies: pj.Dependencies, Optional: pj.Optional, Engines: pj.Engines,
				Bin: manifest.NormalizeBin(pj.Name, pj.Bin)},
		}
		if b, ok := pj.Bundle.([]any); ok && len(b) > 0 {
			c.Lock.Extra = map[string]any{"bundleDependencies": b}
		}
		if parent.Children == nil {
			parent.Children = map[string]*tree.Node{}
		}
		parent.Children[name] = c
		addBundledUnder(c, filepath.Join(dir, "node_modules"))
	}
}

// fillFromPackageJSON takes the fields abbreviated packuments lack
// (license, funding) from each package's own package.json, so the lockfile
// carries them like npm's. known holds what the fetch pool already worked
// out for the packages it extracted (see fetchPool.lockInfos); the others
// are read here.
func fillFromPackageJSON(t *tree.Tree, st *store.Store, paths map[*tree.Node]string, known *sync.Map) {
	for n, p := range paths {
		if n.Manifest == nil {
			continue
		}
		if v, ok := known.Load(p); ok {
			li := *v.(*tree.LockInfo) // each node owns its LockInfo
			n.Lock = &li
			continue
		}
		idx, err := st.Index(p)
		if err != nil {
			continue
		}
		n.Lock = lockInfoFor(idx)
	}
}

// lockInfoFor is what a package's package.json adds to its lockfile entry.
func lockInfoFor(idx *store.Index) *tree.LockInfo {
	li := &tree.LockInfo{HasInstallScript: idx.HasInstallScripts}
	var pj struct {
		License    any `json:"license"`
		Funding    any `json:"funding"`
		Engines    any `json:"engines"`
		Workspaces any `json:"workspaces"`
	}
	if json.Unmarshal(idx.PackageJSON, &pj) != nil {
		return li
	}
	// npm copies a non-empty workspaces field into the lockfile.
	switch w := pj.Workspaces.(type) {
	case []any:
		if len(w) > 0 {
			li.Extra = map[string]any{"workspaces": w}
		}
	case map[string]any:
		if len(w) > 0 {
			li.Extra = map[string]any{"workspaces": w}
		}
	}
	// npm records engines as written, arrays included.
	if a, ok := pj.Engines.([]any); ok && len(a) > 0 {
		li.Engines = a
	}
	switch l := pj.License.(type) {
	case string:
		li.License = l
	case map[string]any:
		li.License, _ = l["type"].(string)
	}
	if pj.Funding != nil {
		li.Funding = tree.NormalizeFunding(pj.Funding)
	}
	return li
}
