// Command gnode is the Node.js runtime and npm-compatible package manager in
// one static binary. All behaviour lives in internal/cli; this file only wires
// the process to it.
package main

import (
	"os"

	"gnode/internal/cli"
	"gnode/internal/exepages"
)

func main() {
	// Package initialisation has mapped megabytes of the binary that this
	// command will not run; let them fault back in only where used.
	exepages.Release()
	os.Exit(cli.Main(os.Args[1:], cli.StdIO()))
}
