package main

import (
	"os"

	"gnode/internal/js/runtime"
)

func main() {
	wd, _ := os.Getwd()
	o := runtime.Options{Env: os.Environ(), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Cwd: wd, CacheDir: os.Getenv("GNODE_CACHE_DIR")}
	a := os.Args[1:]
	if len(a) >= 2 && (a[0] == "-e" || a[0] == "-p") {
		o.Eval, o.HasEval, o.Print = a[1], true, a[0] == "-p"
		o.Args = a[2:]
	} else if len(a) > 0 {
		o.Script = a[0]
		o.Args = a[1:]
	}
	os.Exit(runtime.Run(o))
}
