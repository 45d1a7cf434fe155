package cli

import "errors"

// cmdUninstall is a placeholder until the package manager lands.
var cmdUninstall = &command{
	summary: "uninstall (not implemented yet)",
	usage:   "gnode uninstall",
	run: func(s IO, args []string) int {
		return fail(s, errors.New("gnode uninstall is not implemented yet"), "")
	},
}
