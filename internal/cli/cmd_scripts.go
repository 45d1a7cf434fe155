package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/manifest"
	pmscripts "gnode/internal/pm/scripts"
)

// npm's lifecycle shortcuts: `gnode test`, `start`, `stop`, `restart` run
// the package.json script of that name between its pre- and post- scripts,
// with the arguments (after an optional `--`) given to the main script only.
var (
	cmdTest = &command{
		summary: "run the package's test script",
		usage:   "gnode test [-s] [-w NAME|FOLDER]... [--workspaces] [--if-present] [-- args]   (alias: t)",
		run:     func(s IO, args []string) int { return runLifecycle(s, "test", args) },
	}
	cmdStart = &command{
		summary: "run the package's start script (default: node server.js)",
		usage:   "gnode start [-s] [-w NAME|FOLDER]... [--workspaces] [--if-present] [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "start", args) },
	}
	cmdStop = &command{
		summary: "run the package's stop script",
		usage:   "gnode stop [-s] [-w NAME|FOLDER]... [--workspaces] [--if-present] [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "stop", args) },
	}
	cmdRestart = &command{
		summary: "run the package's restart script, or stop then start",
		usage:   "gnode restart [-s] [-w NAME|FOLDER]... [--workspaces] [--if-present] [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "restart", args) },
	}
)

// runLifecycle runs event as npm does its named lifecycle commands.
func runLifecycle(s IO, event string, args []string) int {
	f, _ := parseScriptFlags(s, args, false)
	args = f.rest
	if len(f.workspaces) > 0 || f.allWorkspaces {
		return runInWorkspaces(s, f, append([]string{event}, args...), func(ps IO, p scriptPkg) int {
			return runLifecycleIn(ps, p, event, args, f)
		})
	}
	p, err := nearestPackage(s.Dir)
	if err != nil {
		return fail(s, err, "run the command inside a project, or create one with `gnode init`")
	}
	return runLifecycleIn(s, p, event, args, f)
}

// runLifecycleIn runs a lifecycle command in one package.
func runLifecycleIn(s IO, p scriptPkg, event string, args []string, f scriptFlags) int {
	dir, scripts := p.dir, p.scripts
	ps := s
	ps.Dir = dir
	// one runs a script if the package has it; the main script gets args.
	one := func(name string, args []string) int {
		if _, ok := scripts[name]; !ok {
			return 0
		}
		return runScriptEvent(ps, p, name, args, f.silent, event)
	}
	var steps []func() int
	step := func(name string, args []string) {
		steps = append(steps, func() int { return one(name, args) })
	}
	main := func(name string, args []string) error {
		if _, ok := scripts[name]; ok {
			step(name, args)
			return nil
		}
		if name == "start" {
			if st, err := os.Stat(filepath.Join(dir, "server.js")); err == nil && !st.IsDir() {
				// npm's default start script is `node server.js`: gnode
				// stands in for node.
				steps = append(steps, func() int {
					if !f.silent && !silentByConfig(s, dir) {
						fmt.Fprint(s.Stdout, pmscripts.Banner(p.name, p.version, "start", "node server.js", args))
					}
					return runScript(ps, append([]string{"server.js"}, args...))
				})
				return nil
			}
		}
		if f.ifPresent {
			return nil
		}
		return fmt.Errorf("missing script: %q", name)
	}
	var merr error
	if event == "restart" && scripts["restart"] == "" {
		// Without a restart script npm runs stop then start, each with its
		// own pre/post scripts, inside prerestart/postrestart.
		step("prerestart", nil)
		// npm runs this as a restart script of its own, with its banner.
		steps = append(steps, func() int {
			if !f.silent && !silentByConfig(s, dir) {
				fmt.Fprint(s.Stdout, pmscripts.Banner(p.name, p.version, "restart", "npm stop --if-present && npm start", args))
			}
			return 0
		})
		if _, ok := scripts["stop"]; ok {
			step("prestop", nil)
			step("stop", args)
			step("poststop", nil)
		}
		step("prestart", nil)
		merr = main("start", args)
		step("poststart", nil)
		step("postrestart", nil)
	} else {
		step("pre"+event, nil)
		merr = main(event, args)
		step("post"+event, nil)
	}
	if merr != nil {
		return fail(s, merr, "run `gnode run` to list the scripts of "+filepath.Join(dir, "package.json"))
	}
	for _, run := range steps {
		if code := run(); code != 0 {
			return code
		}
	}
	return 0
}

// scriptFlags are npm's options for running scripts.
type scriptFlags struct {
	silent, ifPresent, ignoreScripts bool
	allWorkspaces, includeRoot       bool
	workspaces                       []string // --workspace/-w values (names or folders)
	rest                             []string // the script name and its arguments
}

// parseScriptFlags takes npm's own options out of args (before a "--";
// after it everything is the script's). leadingOnly reports false when an
// option gnode does not know comes before the script name: that is a
// runtime flag for `gnode run FILE`, not a script run.
func parseScriptFlags(s IO, args []string, leadingOnly bool) (scriptFlags, bool) {
	var f scriptFlags
	if lv := s.Getenv("npm_config_loglevel"); lv == "silent" {
		f.silent = true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			f.rest = append(f.rest, args[i+1:]...)
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		value := func() string {
			if hasVal {
				return val
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch name {
		case "-s", "--silent":
			f.silent = true
		case "--loglevel":
			f.silent = value() == "silent"
		case "--if-present":
			f.ifPresent = true
		case "--ignore-scripts":
			f.ignoreScripts = true
		case "-w", "--workspace":
			f.workspaces = append(f.workspaces, value())
		case "-ws", "--workspaces":
			f.allWorkspaces = !hasVal || val == "true"
		case "--include-workspace-root":
			f.includeRoot = !hasVal || val == "true"
		default:
			if leadingOnly && len(f.rest) == 0 && strings.HasPrefix(a, "-") {
				return f, false
			}
			f.rest = append(f.rest, a)
		}
	}
	return f, true
}

// scriptPkg is what running a script needs of a package.json.
type scriptPkg struct {
	dir, name, version string
	scripts            map[string]string
}

// nearestPackage reads the nearest package.json from dir up.
func nearestPackage(dir string) (scriptPkg, error) {
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "package.json"))
		if err == nil {
			return parseScriptPkg(d, b)
		}
		if filepath.Dir(d) == d {
			return scriptPkg{}, fmt.Errorf("no package.json in %s or any parent folder", dir)
		}
	}
}

func parseScriptPkg(dir string, b []byte) (scriptPkg, error) {
	var pkg struct {
		Name    any            `json:"name"`
		Version any            `json:"version"`
		Scripts map[string]any `json:"scripts"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return scriptPkg{}, fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), err)
	}
	p := scriptPkg{dir: dir, scripts: map[string]string{}}
	p.name, _ = pkg.Name.(string)
	p.version, _ = pkg.Version.(string)
	for k, v := range pkg.Scripts {
		if str, ok := v.(string); ok {
			p.scripts[k] = str
		}
	}
	return p, nil
}

// runPackageScript runs `gnode run NAME [args]` as `npm run NAME` does
// when NAME is a script of the nearest package.json (not a file): its pre
// and post scripts around it, each announced by npm's banner unless
// --silent, through sh -c with every node_modules/.bin above on PATH and
// npm's npm_* variables. With --workspace/-w or --workspaces it runs in
// the selected workspaces instead. ok is false when this is not a script
// run (then NAME is a file to run).
func runPackageScript(s IO, args []string) (code int, ok bool) {
	f, ok := parseScriptFlags(s, args, true)
	if !ok {
		return 0, false
	}
	if len(f.workspaces) > 0 || f.allWorkspaces {
		return runInWorkspaces(s, f, f.rest, func(ps IO, p scriptPkg) int {
			return runWithPrePost(ps, p, f.rest[0], f.rest[1:], f, true)
		}), true
	}
	if len(f.rest) == 0 {
		return listPackageScripts(s), true
	}
	name := f.rest[0]
	if st, err := os.Stat(filepath.Join(s.Dir, name)); err == nil && !st.IsDir() {
		return 0, false
	}
	p, err := nearestPackage(s.Dir)
	if err != nil {
		return 0, false
	}
	if _, found := p.scripts[name]; !found {
		if f.ifPresent {
			return 0, true
		}
		return 0, false
	}
	return runWithPrePost(s, p, name, f.rest[1:], f, false), true
}

// runWithPrePost runs pre<name>, name (with args) and post<name> as npm
// run does; in a workspace a missing script is an error.
func runWithPrePost(s IO, p scriptPkg, name string, args []string, f scriptFlags, inWorkspace bool) int {
	if _, found := p.scripts[name]; !found {
		if f.ifPresent {
			return 0
		}
		id := p.name
		if p.name != "" && p.version != "" {
			id = p.name + "@" + p.version
		}
		msg := fmt.Errorf("missing script: %q in %s", name, filepath.Join(p.dir, "package.json"))
		if inWorkspace {
			msg = fmt.Errorf("missing script: %q in workspace %s (%s)", name, id, p.dir)
		}
		return fail(s, msg, "run `gnode run` in "+p.dir+" to list its scripts, or pass --if-present")
	}
	ps := s
	ps.Dir = p.dir
	events := []string{name}
	if !f.ignoreScripts {
		if _, ok := p.scripts["pre"+name]; ok {
			events = append([]string{"pre" + name}, events...)
		}
		if _, ok := p.scripts["post"+name]; ok {
			events = append(events, "post"+name)
		}
	}
	for _, ev := range events {
		var evArgs []string
		if ev == name {
			evArgs = args // positional arguments go to the main script only
		}
		if code := runScriptEvent(ps, p, ev, evArgs, f.silent, "run-script"); code != 0 {
			return code
		}
	}
	return 0
}

// runScriptEvent runs one script of p through sh -c, after npm's banner.
func runScriptEvent(s IO, p scriptPkg, event string, args []string, silent bool, command string) int {
	script := p.scripts[event]
	if !silent && !silentByConfig(s, p.dir) {
		fmt.Fprint(s.Stdout, pmscripts.Banner(p.name, p.version, event, script, args))
	}
	cmdline := script
	for _, a := range args {
		cmdline += " '" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	var bins []string
	for d := p.dir; ; d = filepath.Dir(d) {
		bins = append(bins, filepath.Join(d, "node_modules", ".bin"))
		if filepath.Dir(d) == d {
			break
		}
	}
	env := append([]string{}, s.Env...)
	env = append(env, "PATH="+strings.Join(bins, string(os.PathListSeparator))+string(os.PathListSeparator)+s.Getenv("PATH"),
		"npm_lifecycle_event="+event, "npm_lifecycle_script="+script, "npm_command="+command,
		"npm_package_json="+filepath.Join(p.dir, "package.json"))
	if p.name != "" {
		env = append(env, "npm_package_name="+p.name)
	}
	if p.version != "" {
		env = append(env, "npm_package_version="+p.version)
	}
	if s.Getenv("INIT_CWD") == "" {
		env = append(env, "INIT_CWD="+s.Dir)
	}
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = p.dir
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return fail(s, err, "")
	}
	return 0
}

// runInWorkspaces runs fn in each workspace the flags select, in the
// order of the root's "workspaces" globs (the root first with
// --include-workspace-root). Like npm, a failure does not stop the
// others; the exit code is the last failure's.
func runInWorkspaces(s IO, f scriptFlags, rest []string, fn func(IO, scriptPkg) int) int {
	root, err := workspaceRoot(s.Dir)
	if err != nil {
		return fail(s, err, "run the command inside a project with \"workspaces\" in its package.json")
	}
	sel, err := selectWorkspaces(s, root, f.workspaces, f.includeRoot)
	if err != nil {
		return fail(s, err, "")
	}
	if len(rest) == 0 {
		for i, w := range sel {
			ps := s
			ps.Dir = w.Dir
			if i > 0 {
				fmt.Fprintln(s.Stdout)
			}
			listPackageScripts(ps)
		}
		return 0
	}
	code := 0
	for _, w := range sel {
		raw, err := os.ReadFile(filepath.Join(w.Dir, "package.json"))
		var p scriptPkg
		if err == nil {
			p, err = parseScriptPkg(w.Dir, raw)
		}
		if err != nil {
			code = fail(s, err, "")
			continue
		}
		ps := s
		ps.Dir = w.Dir
		if c := fn(ps, p); c != 0 {
			code = c
		}
	}
	return code
}

// workspaceRoot is the project whose workspaces the --workspace flags
// select from: the nearest package.json with "workspaces", when the folder
// is the root itself or inside one of its workspaces.
func workspaceRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if m, err := manifest.Read(filepath.Join(d, "package.json")); err == nil {
			if pats, _ := m.WorkspacePatterns(); len(pats) > 0 {
				return d, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no package.json with \"workspaces\" in %s or any parent folder", dir)
		}
	}
}

// selectWorkspaces finds the project's workspaces and applies the filters.
func selectWorkspaces(s IO, root string, filters []string, includeRoot bool) ([]manifest.Workspace, error) {
	m, err := manifest.Read(filepath.Join(root, "package.json"))
	if err != nil {
		return nil, err
	}
	ws, err := manifest.Workspaces(root, m)
	if err != nil {
		return nil, err
	}
	return manifest.SelectWorkspaces(root, m.Name, s.Dir, ws, filters, includeRoot)
}

// silentByConfig reports whether the .npmrc chain (or npm_config_*
// variables) set loglevel=silent, which turns npm's script banner off like
// --silent does.
func silentByConfig(s IO, dir string) bool {
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Env: s.Env, Home: s.Getenv("HOME")})
	return err == nil && cfg.Get("loglevel") == "silent"
}
