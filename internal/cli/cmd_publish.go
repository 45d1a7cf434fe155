package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/pack"
	"gnode/internal/pm/publish"
)

var cmdPublish = &command{
	summary: "publish a package to the registry, like npm publish",
	usage: `gnode publish [<folder>|<tarball.tgz>] [--tag <tag>] [--access public|restricted] [--dry-run] [--otp <code>] [--registry <url>]
       gnode publish -w <name|folder> [-w ...] | --workspaces [--include-workspace-root]

  Packs the package as gnode pack does and uploads it with npm's request.
  publishConfig's registry, tag and access apply; credentials come from .npmrc
  (gnode login writes them). With -w/--workspaces it publishes the selected
  workspaces of a monorepo; workspace: dependency specs are published as
  the version they name (workspace:^ as ^version, as pnpm does).`,
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
	wf, args := takeWorkspaceFlags(args)
	fs, err := pmeParseFlags(args, []string{"dry-run", "json"}, append([]string{"tag", "access"}, pmeRegistryFlags...))
	if err != nil {
		return fail(s, err, "run `gnode publish --help`")
	}
	if len(wf.workspaces) > 0 || wf.allWorkspaces {
		if len(fs.args) > 0 {
			return fail(s, fmt.Errorf("publish takes no folder with --workspace"), "")
		}
		root, err := workspaceRoot(s.Dir)
		if err != nil {
			return fail(s, err, "")
		}
		sel, err := selectWorkspaces(s, root, wf.workspaces, wf.includeRoot)
		if err != nil {
			return fail(s, err, "")
		}
		code := 0
		for _, w := range sel {
			if c := publishFolder(s, fs, w.Dir); c != 0 {
				code = c
			}
		}
		return code
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
	return publishFolder(s, fs, dir)
}

// publishFolder publishes one package folder (or tarball).
func publishFolder(s IO, fs *pmeFlagSet, dir string) int {
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
		if err == nil {
			res, err = resolveWorkspaceProtocol(s, dir, res)
		}
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

// workspaceFlags are npm's workspace filters for commands other than run
// and install.
type workspaceFlags struct {
	workspaces                 []string
	allWorkspaces, includeRoot bool
}

// takeWorkspaceFlags removes -w/--workspace, --workspaces and
// --include-workspace-root from args.
func takeWorkspaceFlags(args []string) (workspaceFlags, []string) {
	var f workspaceFlags
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "-w", "--workspace":
			if !hasVal && i+1 < len(args) {
				i++
				val = args[i]
			}
			f.workspaces = append(f.workspaces, val)
		case "-ws", "--workspaces":
			f.allWorkspaces = !hasVal || val == "true"
		case "--include-workspace-root":
			f.includeRoot = !hasVal || val == "true"
		default:
			rest = append(rest, a)
		}
	}
	return f, rest
}

// resolveWorkspaceProtocol rewrites the packed package.json when it has
// `workspace:` dependencies, which no registry client understands: like
// pnpm and yarn, each becomes the version (or range) of the workspace it
// names. The tarball is rebuilt with the rewritten file.
func resolveWorkspaceProtocol(s IO, dir string, res *pack.Result) (*pack.Result, error) {
	m := res.Manifest
	has := false
	for _, deps := range []map[string]string{m.Dependencies, m.DevDependencies, m.OptionalDependencies, m.PeerDependencies} {
		for _, spec := range deps {
			if strings.HasPrefix(strings.TrimSpace(spec), "workspace:") {
				has = true
			}
		}
	}
	if !has {
		return res, nil
	}
	root, err := workspaceRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%s uses workspace: dependencies but is in no workspace project: %w", m.Path, err)
	}
	ws, err := selectWorkspaces(s, root, nil, false)
	if err != nil {
		return nil, err
	}
	versions := map[string]string{}
	for _, w := range ws {
		wm, err := manifest.Read(filepath.Join(w.Dir, "package.json"))
		if err != nil {
			return nil, err
		}
		versions[w.Name] = wm.Version
	}
	if _, err := manifest.ResolveWorkspaceSpecs(m, versions); err != nil {
		return nil, err
	}
	tgz, err := replaceInTarball(res.Tarball, "package.json", m.Bytes())
	if err != nil {
		return nil, err
	}
	return pack.FromTarball(tgz, res.Filename)
}

// replaceInTarball rewrites one file of a package tarball, keeping the
// other entries and their headers.
func replaceInTarball(tgz []byte, rel string, data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		if _, p, ok := strings.Cut(h.Name, "/"); ok && p == rel {
			body = data
			h.Size = int64(len(data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
