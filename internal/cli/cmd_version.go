package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"gnode/internal/pm/manifest"
	"gnode/internal/pm/scripts"
	"gnode/internal/pm/version"
)

var cmdVersionBump = &command{
	summary: "bump the package version, commit and tag it, like npm version",
	usage: `gnode version [<newversion> | major | minor | patch | premajor | preminor | prepatch | prerelease | release] [flags]

  Flags: --preid <id>, --no-git-tag-version, --allow-same-version, --force,
  --no-commit-hooks, --sign-git-tag, --sign-git-commit, -m/--message <msg>
  (%s is the version), --tag-version-prefix <p>, --ignore-scripts, --json.
  Edits package.json, package-lock.json and npm-shrinkwrap.json keeping their
  formatting; in a git repository commits and tags v<version>. Without an
  argument prints the versions as JSON.`,
	run: runVersionBump,
}

func runVersionBump(s IO, args []string) int {
	for i, a := range args {
		if a == "-m" {
			args[i] = "--message"
		}
	}
	fs, err := pmeParseFlags(args,
		[]string{"git-tag-version", "allow-same-version", "commit-hooks", "sign-git-tag", "sign-git-commit", "force", "json", "ignore-scripts"},
		[]string{"preid", "message", "tag-version-prefix", "registry", "userconfig"})
	if err != nil {
		return fail(s, err, "run `gnode version --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	boolOpt := func(k string, def bool) bool {
		if v, ok := fs.bools[k]; ok {
			return v
		}
		switch cfg.Get(k) {
		case "true":
			return true
		case "false":
			return false
		}
		return def
	}
	strOpt := func(k, def string) string {
		if v, ok := fs.strs[k]; ok {
			return v
		}
		if v, _, ok := cfg.Lookup(k); ok {
			return v
		}
		return def
	}
	dir := s.Dir
	if len(fs.args) == 0 {
		out := map[string]string{}
		if m, err := manifest.Read(filepath.Join(dir, "package.json")); err == nil && m.Name != "" && m.Version != "" {
			out[m.Name] = m.Version
		}
		out["gnode"] = Version
		out["node"] = NodeVersion[1:]
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(s.Stdout, "%s\n", b)
		return 0
	}
	if len(fs.args) > 1 {
		return fail(s, errors.New("version takes one argument"), "run `gnode version --help`")
	}
	m, err := manifest.Read(filepath.Join(dir, "package.json"))
	if err != nil {
		return fail(s, err, "")
	}
	opts := version.Options{
		Preid:            strOpt("preid", ""),
		GitTagVersion:    boolOpt("git-tag-version", true),
		AllowSameVersion: boolOpt("allow-same-version", false),
		Force:            boolOpt("force", false),
		CommitHooks:      boolOpt("commit-hooks", true),
		SignGitCommit:    boolOpt("sign-git-commit", false),
		SignGitTag:       boolOpt("sign-git-tag", false),
		Message:          strOpt("message", "%s"),
		TagVersionPrefix: strOpt("tag-version-prefix", "v"),
		Env:              s.Env,
	}
	if !boolOpt("ignore-scripts", false) {
		pkg := &scripts.Package{Name: m.Name, Dir: dir, Scripts: m.Scripts}
		opts.Script = func(ev, oldV, newV string) error {
			pkg.Version = newV
			env := append(append([]string{}, s.Env...), "npm_old_version="+oldV, "npm_new_version="+newV)
			return scripts.Run(context.Background(), pkg, ev, scripts.Env{Base: env, ProjectDir: dir, Stdout: s.Stderr, Stderr: s.Stderr})
		}
	}
	newV, err := version.Bump(dir, fs.args[0], opts)
	if err != nil {
		return fail(s, err, "")
	}
	fmt.Fprintf(s.Stdout, "%s%s\n", opts.TagVersionPrefix, newV)
	return 0
}
