package cli

import "errors"

// cmdInstall is a placeholder until the package manager lands.
var cmdInstall = &command{
	summary: "install (not implemented yet)",
	usage:   "gnode install",
	run: func(s IO, args []string) int {
		return fail(s, errors.New("gnode install is not implemented yet"), "")
	},
}
