package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gnode/internal/pm/ls"
)

var cmdLs = &command{
	summary: "list installed packages, like npm ls",
	usage: `gnode ls [<name>[@<range>]...] [--all] [--depth <n>] [--json] [--parseable] [--omit dev|optional|peer]

  Prints the installed tree (top level by default, --all for everything) with
  npm's markers: deduped, UNMET DEPENDENCY, invalid, extraneous. Exits 1 when
  dependencies are missing or invalid. --json prints npm ls --json's shape.`,
	run: runLs,
}

var utf8Locale = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)UTF-?8$`) })

func runLs(s IO, args []string) int {
	fs, err := pmeParseFlags(args, []string{"all", "json", "parseable", "long", "unicode", "a"}, []string{"depth", "omit"})
	if err != nil {
		return fail(s, err, "run `gnode ls --help`")
	}
	o := ls.Options{All: fs.bools["all"] || fs.bools["a"], JSON: fs.bools["json"], Parseable: fs.bools["parseable"], Long: fs.bools["long"], Depth: -1, Args: fs.args}
	if d, ok := fs.strs["depth"]; ok {
		if d == "Infinity" {
			o.Depth = 1 << 30
		} else if o.Depth, err = strconv.Atoi(d); err != nil || o.Depth < 0 {
			return fail(s, fmt.Errorf("--depth must be a number, not %q", d), "")
		}
	}
	if om := fs.strs["omit"]; om != "" {
		o.Omit = strings.Split(om, ",")
	} else if strings.EqualFold(s.Getenv("NODE_ENV"), "production") {
		o.Omit = []string{"dev"}
	}
	if u, ok := fs.bools["unicode"]; ok {
		o.Unicode = u
	} else {
		loc := s.Getenv("LC_ALL")
		if loc == "" {
			loc = s.Getenv("LC_CTYPE")
		}
		if loc == "" {
			loc = s.Getenv("LANG")
		}
		o.Unicode = utf8Locale().MatchString(loc)
	}
	root, err := ls.Load(s.Dir)
	if err != nil {
		return fail(s, err, "")
	}
	res := ls.List(root, o)
	fmt.Fprint(s.Stdout, res.Output)
	if res.ExitCode != 0 {
		var real []string
		for _, p := range res.Problems {
			if !strings.HasPrefix(p, "extraneous:") {
				real = append(real, p)
			}
		}
		if len(real) > 0 {
			fmt.Fprintf(s.Stderr, "gnode: error: %s\n", strings.Join(real, "\ngnode: error: "))
		}
	}
	return res.ExitCode
}
