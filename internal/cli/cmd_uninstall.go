package cli

import "gnode/internal/pm/install"

var cmdUninstall = &command{
	summary: "remove packages from package.json and node_modules",
	usage: `gnode uninstall <name>... [flags]      (aliases: remove, rm, un)

  Removes the packages from every dependency field of package.json, then
  installs the rest. --no-save leaves package.json alone.`,
	run: func(s IO, args []string) int { return runInstall(s, args, install.ModeUninstall) },
}
