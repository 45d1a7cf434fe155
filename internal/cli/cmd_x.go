package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/spec"
	"gnode/internal/pm/install"
)

var cmdX = &command{
	summary: "run a package's bin from the project or a cached install (like npx)",
	usage: `gnode x [--package=<spec>]... [--registry URL] <pkg>[@spec]|<command> [args]   (alias: exec)

  Without --package, the first argument is a package: its bin (the one named
  like the package, or its only one) runs with the remaining arguments. A
  bin of that name in the project's node_modules/.bin runs first.
  With --package (repeatable), those packages are installed and the first
  argument is the command to run among their bins.
  Packages not in the project are installed into a cached folder under the
  gnode cache directory, with the same trust policy as gnode install.`,
	run: runX,
}

func runX(s IO, args []string) int {
	var pkgs []string
	flags := map[string]string{}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		needVal := func() (string, bool) {
			if hasVal {
				return val, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch name {
		case "-p", "--package":
			v, ok := needVal()
			if !ok {
				return fail(s, fmt.Errorf("%s needs a package spec", name), "usage: gnode x --package=<spec> <command>")
			}
			pkgs = append(pkgs, v)
		case "--registry":
			v, ok := needVal()
			if !ok {
				return fail(s, errors.New("--registry needs a URL"), "")
			}
			flags["registry"] = v
		case "-y", "--yes", "--no-install", "-q", "--quiet":
			// gnode never prompts; accepted for npx compatibility.
		case "--ignore-scripts", "--offline", "--prefer-offline", "--prefer-online":
			flags[strings.TrimPrefix(name, "--")] = "true"
		default:
			return fail(s, fmt.Errorf("unknown flag %s", a), "run `gnode x --help` for the flags")
		}
	}
	if i >= len(args) {
		return fail(s, errors.New("gnode x needs a package or command to run"), "usage: gnode x <pkg>[@spec] [args]")
	}
	first, rest := args[i], args[i+1:]

	// A command the project already has runs from its node_modules/.bin.
	if len(pkgs) == 0 {
		if sp, err := spec.Parse(first, s.Dir); err == nil && sp.Name != "" && (sp.RawSpec == "" || sp.RawSpec == "*") {
			if bin := projectBin(s.Dir, path.Base(sp.Name)); bin != "" {
				return execBin(s, bin, rest, binDirs(s.Dir))
			}
		}
	}
	command := ""
	if len(pkgs) == 0 {
		pkgs = []string{first}
	} else {
		command = first
	}
	var names []string
	for _, p := range pkgs {
		sp, err := spec.Parse(p, s.Dir)
		if err != nil {
			return fail(s, err, "")
		}
		if sp.Name == "" {
			return fail(s, fmt.Errorf("gnode x runs registry packages; %q names none", p), "use name or name@version")
		}
		names = append(names, sp.Name)
	}
	dir, err := xInstall(s, pkgs, flags)
	if err != nil {
		return fail(s, err, "")
	}
	if command == "" {
		command, err = pickBin(filepath.Join(dir, "node_modules", names[0]), names[0])
		if err != nil {
			return fail(s, err, "name the command with: gnode x --package="+pkgs[0]+" <command>")
		}
	}
	bin := filepath.Join(dir, "node_modules", ".bin", command)
	if _, err := os.Stat(bin); err != nil {
		return fail(s, fmt.Errorf("command %q is not a bin of %s", command, strings.Join(pkgs, ", ")), "")
	}
	return execBin(s, bin, rest, append([]string{filepath.Join(dir, "node_modules", ".bin")}, binDirs(s.Dir)...))
}

// xInstall installs specs into a folder of the gnode cache keyed by the
// specs and returns it. A later run with the same specs finds package.json
// and package-lock.json in place and takes the installer's no-op path.
func xInstall(s IO, specs []string, flags map[string]string) (string, error) {
	if flags["registry"] == "" {
		// The cached folder is outside the project, so the project's
		// .npmrc would not be read there: carry its registry over.
		if cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: s.Dir, Env: s.Env, Home: s.Getenv("HOME")}); err == nil {
			if r := cfg.Get("registry"); r != "" {
				flags["registry"] = r
			}
		}
	}
	root := cacheDir(s)
	if root == "" {
		root = filepath.Join(os.TempDir(), "gnode-x")
	}
	key := append([]string{}, specs...)
	sort.Strings(key)
	for k, v := range flags {
		if k == "registry" {
			key = append(key, "registry="+v)
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(key, "\x00")))
	dir := filepath.Join(root, "x", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the gnode x cache folder: %w", err)
	}
	o := install.Options{Mode: install.ModeInstall, Dir: dir, Env: s.Env, Stdout: s.Stderr, Stderr: s.Stderr,
		Flags: flags, NodeVersion: NodeVersion}
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		o.Add = specs
		// A private package.json so the user's .npmrc chain (registry,
		// trust settings) still applies through HOME and the environment.
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte("{\"private\": true}\n"), 0o644); err != nil {
			return "", err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := install.Run(ctx, o); err != nil {
		if len(o.Add) > 0 {
			os.Remove(filepath.Join(dir, "package.json")) // retry from scratch next time
		}
		return "", fmt.Errorf("installing %s for gnode x: %w", strings.Join(specs, " "), err)
	}
	return dir, nil
}

// pickBin chooses the command of the package installed at pkgDir as npx
// does: the only bin, or the one named like the package (without scope).
func pickBin(pkgDir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return "", err
	}
	var m struct {
		Name string          `json:"name"`
		Bin  json.RawMessage `json:"bin"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(pkgDir, "package.json"), err)
	}
	base := path.Base(m.Name)
	var one string
	if json.Unmarshal(m.Bin, &one) == nil && one != "" {
		return base, nil
	}
	var bins map[string]string
	json.Unmarshal(m.Bin, &bins)
	if len(bins) == 1 {
		for k := range bins {
			return k, nil
		}
	}
	if _, ok := bins[base]; ok {
		return base, nil
	}
	if _, ok := bins[path.Base(name)]; ok {
		return path.Base(name), nil
	}
	if len(bins) == 0 {
		return "", fmt.Errorf("package %s has no bin to run", name)
	}
	var list []string
	for k := range bins {
		list = append(list, k)
	}
	sort.Strings(list)
	return "", fmt.Errorf("package %s has several bins (%s) and none is named %s", name, strings.Join(list, ", "), base)
}

// binDirs lists node_modules/.bin from dir up to the root.
func binDirs(dir string) []string {
	var out []string
	for d := dir; ; d = filepath.Dir(d) {
		out = append(out, filepath.Join(d, "node_modules", ".bin"))
		if filepath.Dir(d) == d {
			return out
		}
	}
}

// projectBin finds command in the project's node_modules/.bin folders.
func projectBin(dir, command string) string {
	for _, d := range binDirs(dir) {
		p := filepath.Join(d, command)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// execBin runs a bin with the bin folders on PATH and returns its exit
// code. A JavaScript bin (a node shebang) runs in gnode itself when there
// is no node on PATH, so gnode x works on a machine with gnode alone.
func execBin(s IO, bin string, args, dirs []string) int {
	env := append([]string{}, s.Env...)
	env = append(env, "PATH="+strings.Join(dirs, string(os.PathListSeparator))+string(os.PathListSeparator)+s.Getenv("PATH"))
	if isNodeScript(bin) && lookPathIn("node", s.Getenv("PATH")) == "" {
		rs := s
		rs.Env = env
		return runScript(rs, append([]string{bin}, args...))
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = s.Dir, env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ee.ExitCode() < 0 {
				return 1
			}
			return ee.ExitCode()
		}
		return fail(s, err, "")
	}
	return 0
}

func isNodeScript(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 128)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.HasPrefix(line, "#!") && strings.Contains(line, "node")
}

func lookPathIn(name, pathList string) string {
	for _, d := range filepath.SplitList(pathList) {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}
