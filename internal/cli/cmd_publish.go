package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/pack"
	"gnode/internal/pm/publish"
)

var cmdPublish = &command{
	summary: "publish a package to the registry, like npm publish",
	usage: `gnode publish [<folder>|<tarball.tgz>] [--tag <tag>] [--access public|restricted] [--dry-run] [--otp <code>] [--registry <url>]

  Packs the package as gnode pack does and uploads it with npm's request.
  publishConfig's registry, tag and access apply; credentials come from .npmrc
  (gnode login writes them).`,
	run: runPublish,
}

// pmeRegistryFlags are the string flags every registry command accepts.
var pmeRegistryFlags = []string{"registry", "otp", "userconfig"}

// pmeConfig loads the npm configuration with the command's flags applied.
func pmeConfig(s IO, fs *pmeFlagSet) (*npmrc.Config, error) {
	flags := map[string]string{}
	for _, k := range []string{"registry", "userconfig", "tag"} {
		if v, ok := fs.strs[k]; ok {
			flags[k] = v
		}
	}
	return npmrc.Load(npmrc.LoadOptions{Cwd: s.Dir, Env: s.Env, Home: s.Getenv("HOME"), Flags: flags})
}

func pmeClient(s IO, cfg *npmrc.Config, fs *pmeFlagSet, command string) *publish.Client {
	c := &publish.Client{Config: cfg, OTP: fs.strs["otp"], Command: command, UserAgent: "gnode/" + Version + " node/" + NodeVersion}
	// On a terminal, a registry asking for a one-time password gets a
	// prompt, as npm does; scripts pass --otp.
	if f, tty := isTerminal(s.Stdin); tty {
		c.AskOTP = func() (string, error) {
			fmt.Fprint(s.Stderr, "This operation requires a one-time password.\nEnter OTP: ")
			return readLine(bufio.NewReader(f))
		}
	}
	return c
}

// userConfigPath is where login writes credentials: --userconfig, the
// userconfig option, else ~/.npmrc.
func userConfigPath(cfg *npmrc.Config) string {
	if p := cfg.Get("userconfig"); p != "" {
		if strings.HasPrefix(p, "~/") {
			return filepath.Join(cfg.Home(), p[2:])
		}
		return p
	}
	return filepath.Join(cfg.Home(), ".npmrc")
}

func runPublish(s IO, args []string) int {
	fs, err := pmeParseFlags(args, []string{"dry-run", "json"}, append([]string{"tag", "access"}, pmeRegistryFlags...))
	if err != nil {
		return fail(s, err, "run `gnode publish --help`")
	}
	dir := s.Dir
	if len(fs.args) == 1 {
		dir = fs.args[0]
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(s.Dir, dir)
		}
	} else if len(fs.args) > 1 {
		return fail(s, fmt.Errorf("publish takes at most one folder"), "")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	var res *pack.Result
	if strings.HasSuffix(dir, ".tgz") || strings.HasSuffix(dir, ".tar.gz") {
		// npm publish <tarball>: upload the file as it is.
		b, rerr := os.ReadFile(dir)
		if rerr != nil {
			return fail(s, rerr, "")
		}
		res, err = pack.FromTarball(b, dir)
	} else {
		res, err = pack.Pack(dir)
	}
	if err != nil {
		return fail(s, err, "")
	}
	c := pmeClient(s, cfg, fs, "publish")
	out, err := c.Publish(context.Background(), res, publish.PublishOptions{
		Tag: fs.strs["tag"], Access: fs.strs["access"], DryRun: fs.bools["dry-run"],
		Registry: fs.strs["registry"], NodeVersion: NodeVersion, ClientVersion: "gnode-" + Version,
	})
	if err != nil {
		hint := ""
		if strings.Contains(err.Error(), "requires you to be logged in") {
			hint = "run `gnode login` first"
		}
		return fail(s, err, hint)
	}
	if !fs.bools["json"] {
		printPackSummary(s.Stderr, res)
	}
	access := out.Access
	if access == "" {
		access = "default"
	}
	verb := "Publishing"
	if fs.bools["dry-run"] {
		verb = "Would publish"
	}
	fmt.Fprintf(s.Stderr, "gnode notice %s to %s with tag %s and %s access\n", verb, out.Registry, out.Tag, access)
	if fs.bools["json"] {
		return runPackJSON(s, res)
	}
	fmt.Fprintf(s.Stdout, "+ %s@%s\n", res.Name, res.Version)
	return 0
}
