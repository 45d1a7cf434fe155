package cli

import "gnode/internal/pm/install"

var cmdCI = &command{
	summary: "clean install exactly what package-lock.json says",
	usage: `gnode ci [flags]

  Fails when package.json and package-lock.json disagree, and lays out
  node_modules from scratch. Takes --omit, --ignore-scripts, --offline,
  --prefer-offline, --registry and --json like gnode install.`,
	run: func(s IO, args []string) int { return runInstall(s, args, install.ModeCI) },
}
