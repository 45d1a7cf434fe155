package cli

import (
	"context"
	"errors"
	"fmt"
)

var cmdDeprecate = &command{
	summary: "set or clear the deprecation message of package versions",
	usage: `gnode deprecate <pkg>[@<range>] <message>

  Marks every version matching <range> (all when omitted); an empty message
  ("") un-deprecates.`,
	run: runDeprecate,
}

func runDeprecate(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, pmeRegistryFlags)
	if err != nil {
		return fail(s, err, "run `gnode deprecate --help`")
	}
	if len(fs.args) != 2 {
		return fail(s, errors.New("usage: gnode deprecate <pkg>[@<range>] <message>"), "")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	name, rng := splitNameSpec(fs.args[0])
	changed, err := pmeClient(s, cfg, fs, "deprecate").Deprecate(context.Background(), name, rng, fs.args[1])
	if err != nil {
		return fail(s, err, "")
	}
	verb := "deprecated"
	if fs.args[1] == "" {
		verb = "un-deprecated"
	}
	for _, v := range changed {
		fmt.Fprintf(s.Stderr, "gnode notice %s %s@%s\n", verb, name, v)
	}
	return 0
}
