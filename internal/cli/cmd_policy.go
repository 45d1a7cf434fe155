package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/trust/capability"
)

var cmdPolicy = &command{
	summary: "generate or show the per-package capability policy (gnode-policy.json)",
	usage:   "gnode policy generate | gnode policy show",
	run:     runPolicy,
}

func runPolicy(s IO, args []string) int {
	if len(args) == 0 {
		return fail(s, errors.New("missing subcommand"), "usage: gnode policy generate|show")
	}
	path := filepath.Join(s.Dir, capability.FileName)
	switch args[0] {
	case "generate":
		p, err := capability.Generate(s.Dir)
		if err != nil {
			return fail(s, err, "")
		}
		if err := p.Save(path); err != nil {
			return fail(s, err, "")
		}
		fmt.Fprintf(s.Stdout, "wrote %s: %d packages\n", capability.FileName, len(p.Packages))
		printPolicy(s, p, true)
		return 0
	case "show":
		p, err := capability.Load(path)
		if err != nil {
			return fail(s, err, "run `gnode policy generate` to create one from node_modules")
		}
		printPolicy(s, p, false)
		return 0
	}
	return fail(s, fmt.Errorf("unknown policy subcommand %q", args[0]), "usage: gnode policy generate|show")
}

// printPolicy lists packages with capabilities (only those with any when
// brief), so what a dependency may do is visible at a glance.
func printPolicy(s IO, p *capability.Policy, brief bool) {
	names := make([]string, 0, len(p.Packages))
	for n := range p.Packages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		caps := p.Packages[n]
		if brief && len(caps) == 0 {
			continue
		}
		fmt.Fprintf(s.Stdout, "  %-40s %s\n", n, strings.Join(caps, ", "))
	}
}
