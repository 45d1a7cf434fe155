package runtime

import (
	"os"
	"testing"
)

// TestMain lets the compiled test binary run one program like gnode does
// (GNODE_RTH_RUN=script.js ./runtime.test [args]): handy for benchmarks
// and manual checks while other packages of cmd/gnode are mid-edit.
func TestMain(m *testing.M) {
	if script := os.Getenv("GNODE_RTH_RUN"); script != "" {
		cwd, _ := os.Getwd()
		os.Exit(Run(Options{Script: script, Args: os.Args[1:], Cwd: cwd, Env: os.Environ(),
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, CacheDir: os.Getenv("GNODE_CACHE_DIR")}))
	}
	os.Exit(m.Run())
}
