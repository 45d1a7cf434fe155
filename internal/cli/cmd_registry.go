package cli

import "errors"

// cmdRegistry is a placeholder until the registry server lands.
var cmdRegistry = &command{
	summary: "run an npm-compatible registry (not implemented yet)",
	usage:   "gnode registry serve --listen ADDR --data DIR",
	run: func(s IO, args []string) int {
		return fail(s, errors.New("gnode registry is not implemented yet"), "")
	},
}
