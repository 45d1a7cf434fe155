// Package archtest keeps the dependency edges of docs/ARCHITECTURE.md honest:
// the runtime never imports the package manager or the registry, the
// registry never imports the package manager, and the npm domain stays pure.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden maps a package prefix to the prefixes it must not depend on.
var forbidden = map[string][]string{
	"gnode/internal/js/":       {"gnode/internal/pm/", "gnode/internal/registry/", "gnode/internal/registryclient", "gnode/internal/cli"},
	"gnode/internal/registry/": {"gnode/internal/pm/", "gnode/internal/js/", "gnode/internal/cli"},
	"gnode/internal/pm/":       {"gnode/internal/js/", "gnode/internal/registry/", "gnode/internal/cli"},
	"gnode/internal/npm/":      {"gnode/internal/pm/", "gnode/internal/js/", "gnode/internal/registry/", "gnode/internal/registryclient", "gnode/internal/cli", "net/http"},
}

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "gnode/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pkg, deps := fields[0], fields[1:]
		if strings.Contains(pkg, "/testutil/") {
			continue
		}
		for prefix, bans := range forbidden {
			if !strings.HasPrefix(pkg+"/", prefix) {
				continue
			}
			checked++
			for _, d := range deps {
				for _, ban := range bans {
					if strings.HasPrefix(d, ban) || d == strings.TrimSuffix(ban, "/") {
						t.Errorf("%s imports %s, which docs/ARCHITECTURE.md forbids", pkg, d)
					}
				}
			}
		}
	}
	t.Logf("checked %d packages", checked)
}
