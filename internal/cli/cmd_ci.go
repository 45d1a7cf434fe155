package cli

import "errors"

// cmdCI is a placeholder until the package manager lands.
var cmdCI = &command{
	summary: "ci (not implemented yet)",
	usage:   "gnode ci",
	run: func(s IO, args []string) int {
		return fail(s, errors.New("gnode ci is not implemented yet"), "")
	},
}
