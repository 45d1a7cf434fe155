package cli

import (
	"bufio"
	"fmt"
	"path/filepath"

	"gnode/internal/pm/version"
)

var cmdInit = &command{
	summary: "create a package.json, like npm init",
	usage: `gnode init [-y|--yes] [--scope <@scope>]

  Writes package.json with npm init's fields (name from the folder, version
  1.0.0, main, scripts.test, repository from .git/config, dependencies found
  in node_modules, ...). Without -y it asks for each value on standard input
  (an empty answer keeps the default shown in parentheses).`,
	run: runInit,
}

func runInit(s IO, args []string) int {
	for i, a := range args {
		if a == "-y" {
			args[i] = "--yes"
		}
	}
	fs, err := pmeParseFlags(args, []string{"yes", "force"}, []string{"scope", "registry", "userconfig"})
	if err != nil {
		return fail(s, err, "run `gnode init --help`")
	}
	if len(fs.args) > 0 {
		return fail(s, fmt.Errorf("gnode init does not run initializers (%s)", fs.args[0]), "use `gnode x create-"+fs.args[0]+"`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	get := func(keys ...string) string {
		for _, k := range keys {
			if v := cfg.Get(k); v != "" {
				return v
			}
		}
		return ""
	}
	o := version.InitOptions{
		Scope:      fs.strs["scope"],
		Version:    get("init.version", "init-version"),
		License:    get("init.license", "init-license"),
		Type:       get("init.type", "init-type"),
		AuthorName: get("init.author.name", "init-author-name"),
		AuthorMail: get("init.author.email", "init-author-email"),
		AuthorURL:  get("init.author.url", "init-author-url"),
		SavePrefix: cfg.Get("save-prefix"),
		SaveExact:  cfg.GetBool("save-exact"),
	}
	if o.Scope == "" {
		o.Scope = cfg.Get("scope")
	}
	if !fs.bools["yes"] {
		in := bufio.NewReader(s.Stdin)
		o.Prompt = func(q, def string) string {
			if def != "" {
				fmt.Fprintf(s.Stderr, "%s: (%s) ", q, def)
			} else {
				fmt.Fprintf(s.Stderr, "%s: ", q)
			}
			l, _ := readLine(in)
			return l
		}
	}
	out, err := version.Init(s.Dir, o)
	if err != nil {
		return fail(s, err, "")
	}
	fmt.Fprintf(s.Stdout, "Wrote to %s:\n\n%s\n\n", filepath.Join(s.Dir, "package.json"), out)
	return 0
}
