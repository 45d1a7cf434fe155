package cli

import (
	"context"
	"fmt"
	"strings"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/ls"
	"gnode/internal/registryclient"
)

var cmdOutdated = &command{
	summary: "list dependencies with newer versions, like npm outdated",
	usage: `gnode outdated [<name>...] [--all] [--json] [--parseable] [--long] [--omit dev|optional|peer]

  For each dependency: the installed version (Current), the highest version its
  range allows (Wanted) and the registry's latest. Exits 1 when anything is
  outdated.`,
	run: runOutdated,
}

func runOutdated(s IO, args []string) int {
	fs, err := pmeParseFlags(args, []string{"all", "json", "parseable", "long"}, []string{"omit", "registry", "userconfig"})
	if err != nil {
		return fail(s, err, "run `gnode outdated --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	root, err := ls.Load(s.Dir)
	if err != nil {
		return fail(s, err, "")
	}
	client := registryclient.New(cfg, registryclient.Options{PreferOnline: true, UserAgent: "gnode/" + Version})
	defer client.Close()
	o := ls.OutdatedOptions{Args: fs.args, All: fs.bools["all"], NodeVersion: NodeVersion}
	if om := fs.strs["omit"]; om != "" {
		o.Omit = strings.Split(om, ",")
	} else {
		o.Omit = cfg.Omit()
	}
	list, err := ls.Outdated(context.Background(), root, func(ctx context.Context, name string) (*packument.Packument, error) {
		return client.Packument(ctx, name)
	}, o)
	if err != nil {
		return fail(s, err, "")
	}
	long := fs.bools["long"]
	switch {
	case fs.bools["json"]:
		fmt.Fprint(s.Stdout, ls.OutdatedJSON(list, long)+"\n")
	case fs.bools["parseable"]:
		if out := ls.OutdatedParseable(list, long); out != "" {
			fmt.Fprintln(s.Stdout, out)
		}
	default:
		if out := ls.OutdatedTable(list, long); out != "" {
			fmt.Fprintln(s.Stdout, out)
		}
	}
	if len(list) > 0 {
		return 1
	}
	return 0
}
