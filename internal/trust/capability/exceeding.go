package capability

import (
	"fmt"
	"path/filepath"
	"sort"
)

// Excess is an installed package whose code uses capabilities its policy
// entry does not grant: what `gnode install` warns about after an update,
// before the run-time loader refuses them.
type Excess struct {
	Name    string
	Missing []string
	// Unlisted is true when the package has no entry at all (it gets no
	// capabilities at run time).
	Unlisted bool
}

func (e Excess) String() string {
	if e.Unlisted {
		return fmt.Sprintf("%s (not in %s) uses %v", e.Name, FileName, e.Missing)
	}
	return fmt.Sprintf("%s uses %v beyond its policy", e.Name, e.Missing)
}

// Exceeding analyses every package under root/node_modules as Generate
// does and returns those that need more than p grants, sorted by name.
// Packages needing nothing are never reported, listed or not.
func Exceeding(root string, p *Policy) ([]Excess, error) {
	need := map[string][]string{}
	err := forEachPackage(filepath.Join(root, "node_modules"), func(name, dir string) error {
		caps, err := AnalyzePackage(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		need[name] = union(need[name], caps)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Excess
	for name, caps := range need {
		missing := p.Missing(name, caps)
		if len(missing) == 0 {
			continue
		}
		_, listed := p.Packages[name]
		out = append(out, Excess{Name: name, Missing: missing, Unlisted: !listed})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
