package cli

import (
	"errors"
	"fmt"
	"strings"

	"gnode/internal/pm/ls"
)

var cmdWhy = &command{
	summary: "explain why a package is installed, like npm explain",
	usage: `gnode why <name>|<name>@<range>|<location>...    (alias: explain)

  Prints every installed copy of the package with each chain of dependents
  that pulls it in, up to the root project.`,
	run: runWhy,
}

func runWhy(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, nil)
	if err != nil {
		return fail(s, err, "run `gnode why --help`")
	}
	if len(fs.args) == 0 {
		return fail(s, errors.New("why needs a package name"), "usage: gnode why <name>")
	}
	root, err := ls.Load(s.Dir)
	if err != nil {
		return fail(s, err, "")
	}
	var nodes []*ls.Node
	seen := map[*ls.Node]bool{}
	for _, a := range fs.args {
		for _, n := range ls.Find(root, a) {
			if !seen[n] {
				seen[n] = true
				nodes = append(nodes, n)
			}
		}
	}
	if len(nodes) == 0 {
		return fail(s, fmt.Errorf("no dependencies found matching %s", strings.Join(fs.args, ", ")), "")
	}
	fmt.Fprint(s.Stdout, ls.Explain(root, nodes))
	return 0
}
