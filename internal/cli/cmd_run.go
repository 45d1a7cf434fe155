package cli

import "errors"

// cmdRun runs a file (gnode run app.js) or a package.json script.
var cmdRun = &command{
	summary: "run a JavaScript/TypeScript file or a package.json script",
	usage:   "gnode run FILE|SCRIPT [args]",
	run: func(s IO, args []string) int {
		return runScript(s, args)
	},
}

// runScript runs JavaScript: gnode FILE, gnode -e CODE, gnode -p CODE, stdin.
func runScript(s IO, args []string) int {
	return fail(s, errors.New("the JavaScript runtime is not implemented yet"), "")
}
