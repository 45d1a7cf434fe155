package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

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
      --dry-run         print what would be added, changed and removed
                        (npm's "change NAME FROM => TO" lines); writes
                        nothing and downloads no tarball
      --strict, --allow-young=NAME[@VERSION],...   release-age policy, as
                        for install: versions younger than
                        minimumReleaseAge are not updated to`,
	run: runUpdate,
}

func runUpdate(s IO, args []string) int {
	save, dryRun := false, false
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
			dryRun = true
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
	if dryRun {
		return runUpdateDryRun(s, o, names, f.json)
	}
	return runInstallOp(s, o, f.json, func(ctx context.Context, o install.Options) (*install.Summary, error) {
		return install.Update(ctx, o, names, save)
	})
}

// runUpdateDryRun prints the changes an update would make, as npm's
// `update --dry-run` does, without installing anything.
func runUpdateDryRun(s IO, o install.Options, names []string, asJSON bool) int {
	start := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	changes, err := install.PlanUpdate(ctx, o, names)
	if err != nil {
		return fail(s, err, "")
	}
	sum := &install.Summary{}
	type pkgRef struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Path    string `json:"path"`
	}
	type change struct {
		From pkgRef `json:"from"`
		To   pkgRef `json:"to"`
	}
	add, remove, chg := []pkgRef{}, []pkgRef{}, []change{}
	for _, c := range changes {
		p := filepath.Join(o.Dir, filepath.FromSlash(c.Location))
		switch c.Action {
		case "add":
			sum.Added++
			add = append(add, pkgRef{c.Name, c.To, p})
			if !asJSON {
				fmt.Fprintf(s.Stdout, "add %s %s\n", c.Name, c.To)
			}
		case "remove":
			sum.Removed++
			remove = append(remove, pkgRef{c.Name, c.From, p})
			if !asJSON {
				fmt.Fprintf(s.Stdout, "remove %s %s\n", c.Name, c.From)
			}
		case "change":
			sum.Changed++
			chg = append(chg, change{pkgRef{c.Name, c.From, p}, pkgRef{c.Name, c.To, p}})
			if !asJSON {
				fmt.Fprintf(s.Stdout, "change %s %s => %s\n", c.Name, c.From, c.To)
			}
		}
	}
	if asJSON {
		b, _ := json.MarshalIndent(map[string]any{"add": add, "added": sum.Added, "change": chg, "changed": sum.Changed, "remove": remove, "removed": sum.Removed}, "", "  ")
		fmt.Fprintf(s.Stdout, "%s\n", b)
		return 0
	}
	sum.Seconds = time.Since(start).Seconds()
	fmt.Fprintln(s.Stdout, dryRunLine(sum))
	return 0
}

// dryRunLine is npm's closing line for a run without an audit, which a
// dry run does not do: "added 2 packages, and changed 6 packages in 1s".
func dryRunLine(s *install.Summary) string {
	var b strings.Builder
	if s.Added == 0 && s.Removed == 0 && s.Changed == 0 {
		b.WriteString("up to date")
	}
	if s.Added > 0 {
		b.WriteString("added " + plural(s.Added, "package"))
	}
	if s.Removed > 0 {
		if s.Added > 0 {
			b.WriteString(", ")
			if s.Changed == 0 {
				b.WriteString("and ")
			}
		}
		b.WriteString("removed " + plural(s.Removed, "package"))
	}
	if s.Changed > 0 {
		if s.Added > 0 || s.Removed > 0 {
			b.WriteString(", and ")
		}
		b.WriteString("changed " + plural(s.Changed, "package"))
	}
	fmt.Fprintf(&b, " in %.2fs", s.Seconds)
	return b.String()
}
