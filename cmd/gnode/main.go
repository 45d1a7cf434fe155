// Command gnode is the Node.js runtime and npm-compatible package manager in
// one static binary. All behaviour lives in internal/cli; this file only wires
// the process to it.
package main

import (
	"os"

	_ "gnode/cmd/gnode/internal/startup" // first: settings for the rest of initialisation
	"gnode/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StdIO()))
}
