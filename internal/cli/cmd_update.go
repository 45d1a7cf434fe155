package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"

	"gnode/internal/pm/install"
)

var cmdUpdate = &command{
	summary: "update packages to the newest versions their ranges allow",
	usage: `gnode update [<name>...] [flags]      (aliases: up, upgrade)

  Re-resolves the named packages (every package with no names) to the
  newest versions the ranges in package.json, and in their dependents'
  manifests, allow, ignoring what package-lock.json pins for them, then
  rewrites package-lock.json and node_modules. Like npm 11, package.json
  is not changed unless --save is given.

Flags:
  -S, --save            also raise package.json's ranges of the updated
                        direct dependencies to the installed versions
      --no-save         leave package.json alone (the default)
      --omit=dev|optional|peer   leave these packages out of node_modules
      --ignore-scripts  run no lifecycle scripts at all
      --offline, --prefer-offline, --registry URL   as for install
      --linker=hoisted|isolated  node_modules layout (as for install)
      --json            print the summary as JSON
      --strict, --allow-young=NAME[@VERSION],...   release-age policy, as
                        for install: versions younger than
                        minimumReleaseAge are not updated to`,
	run: runUpdate,
}

func runUpdate(s IO, args []string) int {
	save := false
	var rest []string
	for _, a := range args {
		switch a {
		case "-S", "--save":
			save = true
		case "--no-save":
			// npm's update writes package-lock.json even then; only
			// package.json is spared.
			save = false
		case "--dry-run":
			return fail(s, fmt.Errorf("gnode update --dry-run is not supported yet"), "run `gnode outdated` to see what an update would change")
		default:
			rest = append(rest, a)
		}
	}
	f, err := parseInstallFlags(rest, install.ModeUninstall) // specs land in Remove: no save rules apply
	if err != nil {
		return fail(s, err, "run `gnode update --help` for the flags")
	}
	if len(f.workspaces) > 0 || f.allWorkspaces {
		return fail(s, fmt.Errorf("gnode update does not take workspace filters yet"), "run it at the project root, naming the packages to update")
	}
	o := f.opts
	names := o.Remove
	o.Remove = nil
	o.Dir, o.Env, o.Stdout, o.Stderr = s.Dir, s.Env, s.Stdout, s.Stderr
	if root, err := workspaceRoot(s.Dir); err == nil {
		o.Dir = root // inside a workspace: the whole project, as npm does
	}
	o.NodeVersion = NodeVersion
	pr := newProgress(s.Stderr, f.json)
	if pr != nil {
		o.Progress = pr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sum, err := install.Update(ctx, o, names, save)
	if pr != nil {
		pr.finish()
	}
	if err != nil {
		if f.json {
			b, _ := json.MarshalIndent(map[string]any{"error": err.Error()}, "", "  ")
			fmt.Fprintf(s.Stdout, "%s\n", b)
		}
		return fail(s, err, "")
	}
	for _, w := range sum.Warnings {
		fmt.Fprintf(s.Stderr, "gnode warn %s\n", w)
	}
	if f.json {
		b, _ := json.MarshalIndent(sum, "", "  ")
		fmt.Fprintf(s.Stdout, "%s\n", b)
	} else {
		printTrust(s, sum.Trust)
		fmt.Fprintln(s.Stdout, summaryLine(sum))
	}
	if sum.ScriptsNotice != "" {
		fmt.Fprint(s.Stderr, sum.ScriptsNotice)
	}
	return 0
}
