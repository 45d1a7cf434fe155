// Command gnode is the Node.js runtime and npm-compatible package manager in
// one static binary. All behaviour lives in internal/cli; this file only wires
// the process to it.

// Node (OpenSSL) accepts RSA keys under 1,024 bits, which Go refuses by
// default; programs and packages (public-encrypt's tests, old fixtures)
// use them, so gnode takes them as node does.
//
//go:debug rsa1024min=0
package main

import (
	"os"

	_ "gnode/cmd/gnode/internal/startup" // first: settings for the rest of initialisation
	"gnode/internal/cli"
	"gnode/internal/pm/early"
)

func main() {
	code := cli.Main(os.Args[1:], cli.StdIO())
	early.Discard(os.RemoveAll) // a layout begun at start-up that no install took
	os.Exit(code)
}
