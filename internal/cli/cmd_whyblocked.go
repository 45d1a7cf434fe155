package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"gnode/internal/pm/install"
)

var cmdWhyBlocked = &command{
	summary: "explain which supply-chain rule blocked or passed over a package",
	usage: `gnode why-blocked <name> [--json]

  Replays the decisions the last install recorded for <name> in
  node_modules/.gnode-trust.json: versions the release-age policy passed
  over or accepted by override, signature failures, malicious-package
  advisories, install scripts skipped or jailed, and change signals.`,
	run: runWhyBlocked,
}

func runWhyBlocked(s IO, args []string) int {
	var name string
	asJSON := false
	for _, a := range args {
		switch {
		case a == "--json":
			asJSON = true
		case strings.HasPrefix(a, "-"):
			return fail(s, fmt.Errorf("unknown flag %s", a), "usage: gnode why-blocked <name> [--json]")
		case name == "":
			name = a
		default:
			return fail(s, fmt.Errorf("gnode why-blocked takes one package name"), "usage: gnode why-blocked <name> [--json]")
		}
	}
	if name == "" {
		return fail(s, fmt.Errorf("gnode why-blocked needs a package name"), "usage: gnode why-blocked <name> [--json]")
	}
	rec, err := install.ReadTrustRecord(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return fail(s, fmt.Errorf("no trust record in %s/node_modules", s.Dir), "run `gnode install` first; it records its decisions in node_modules/"+install.TrustRecordName)
	}
	if err != nil {
		return fail(s, err, "")
	}
	var ds []install.Decision
	for _, d := range rec.Decisions {
		if d.Name == name {
			ds = append(ds, d)
		}
	}
	if asJSON {
		b, _ := json.MarshalIndent(map[string]any{"name": name, "installTime": rec.Time, "minimumReleaseAge": rec.MinimumAge, "decisions": ds}, "", "  ")
		fmt.Fprintf(s.Stdout, "%s\n", b)
		return 0
	}
	if len(ds) == 0 {
		fmt.Fprintf(s.Stdout, "%s: no rule blocked or passed over any version in the last install (%s, minimum release age %s)\n", name, rec.Time, rec.MinimumAge)
		return 0
	}
	for _, d := range ds {
		fmt.Fprintf(s.Stdout, "%s@%s  %s: %s (%s)\n", d.Name, d.Version, d.Rule, d.Verdict, d.Detail)
	}
	return 0
}
