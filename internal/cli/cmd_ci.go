package cli

import "gnode/internal/pm/install"

var cmdCI = &command{
	summary: "clean install exactly what package-lock.json says",
	usage: `gnode ci [flags]

  Fails when package.json and package-lock.json disagree, and lays out
  node_modules from scratch. Takes --omit, --ignore-scripts, --offline,
  --prefer-offline, --registry and --json like gnode install.

  The release-age policy does not filter the lockfile again: it was vetted
  when it was written (see docs/SECURITY.md). Malicious-package advisories
  are still checked, and dependency scripts still need trust.`,
	run: func(s IO, args []string) int { return runInstall(s, args, install.ModeCI) },
}
