package linker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/pm/manifest"
)

// bundledPackages finds the packages laid out inside other packages' folders
// because their tarballs bundle them (bundleDependencies, and what those
// bundle in turn), so their commands get .bin links as npm gives them: in
// the node_modules folder holding each bundled package, with the targets
// made executable. Folders that are packages of their own in pkgs are not
// bundled content and are skipped.
func bundledPackages(root, rootLoc string, pkgs []Package) []Package {
	known := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		known[p.Location] = true
	}
	onDisk := func(loc string) string {
		return filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(loc, rootLoc), "/")))
	}
	var out []Package
	var scan func(loc string)
	scan = func(loc string) {
		nm := loc + "/node_modules"
		ents, err := os.ReadDir(onDisk(nm))
		if err != nil {
			return
		}
		var names []string
		for _, e := range ents {
			n := e.Name()
			if !e.IsDir() || n[0] == '.' {
				continue
			}
			if n[0] == '@' {
				sub, _ := os.ReadDir(onDisk(nm + "/" + n))
				for _, s := range sub {
					if s.IsDir() && s.Name()[0] != '.' {
						names = append(names, n+"/"+s.Name())
					}
				}
				continue
			}
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			cloc := nm + "/" + name
			if known[cloc] {
				continue // placed by the tree, linked as a package of its own
			}
			data, err := os.ReadFile(filepath.Join(onDisk(cloc), "package.json"))
			if err != nil {
				continue
			}
			var pj struct {
				Name string `json:"name"`
				Bin  any    `json:"bin"`
			}
			if json.Unmarshal(data, &pj) != nil {
				continue
			}
			if pj.Name == "" {
				pj.Name = name
			}
			if bin := manifest.NormalizeBin(pj.Name, pj.Bin); len(bin) > 0 {
				out = append(out, Package{Location: cloc, Name: name, Bin: bin})
			}
			scan(cloc)
		}
	}
	for _, p := range pkgs {
		if p.LinkTarget == "" && p.StorePath != "" && !p.NoBundled {
			scan(p.Location)
		}
	}
	return out
}
