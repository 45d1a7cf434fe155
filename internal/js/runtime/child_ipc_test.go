package runtime

import (
	"os"
	"path/filepath"
)

// A test binary started with GNODE_TEST_AS_GNODE=1 runs its first
// argument as gnode would (gnode FILE ARGS...), so the tests' forked
// children and cluster workers are gnode processes too.
func init() {
	if os.Getenv("GNODE_TEST_AS_GNODE") != "1" || len(os.Args) < 2 {
		return
	}
	cwd, _ := os.Getwd()
	script, _ := filepath.Abs(os.Args[1])
	os.Exit(Run(Options{Script: script, Args: os.Args[2:], Cwd: cwd, Env: os.Environ(),
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
