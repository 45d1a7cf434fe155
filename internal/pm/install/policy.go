package install

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"gnode/internal/pm/tree"
	"gnode/internal/trust/capability"
)

// policyWarnings checks the packages an install brings in against the
// project's gnode-policy.json, which the runtime enforces: a new or
// updated package whose code uses a capability the policy does not grant
// it is flagged, since that use would throw ERR_GNODE_PERMISSION when the
// app runs. Packages installed before are not re-analysed. Without a
// policy file there is nothing to check and nothing is read.
func policyWarnings(dir string, nodes []*tree.Node, paths map[*tree.Node]string, before *priorInstall) []Decision {
	p, err := capability.Load(filepath.Join(dir, capability.FileName))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return []Decision{{Rule: "policy", Verdict: "flagged", Name: capability.FileName, Detail: "unreadable: " + err.Error()}}
		}
		return nil
	}
	var out []Decision
	for _, n := range nodes {
		if before.ids[n.PackageName+"@"+n.Version] || paths[n] == "" {
			continue
		}
		need, err := capability.AnalyzePackage(paths[n])
		if err != nil {
			continue
		}
		missing := p.Missing(n.PackageName, need)
		if len(missing) == 0 {
			continue
		}
		_, listed := p.Packages[n.PackageName]
		what := "needs " + strings.Join(missing, ", ") + " beyond what " + capability.FileName + " grants it"
		if !listed {
			what = "is not in " + capability.FileName + " (no capabilities) but needs " + strings.Join(missing, ", ")
		}
		out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "policy", Verdict: "flagged",
			Detail: what + "; at run time those uses throw ERR_GNODE_PERMISSION (grant them in the policy or run `gnode policy generate`)"})
	}
	return out
}
