package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"gnode/internal/exepages"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gnode/internal/js/runtime"
	"gnode/internal/trust/capability"
)

// cmdRun runs a file (gnode run app.js) or a package.json script.
var cmdRun = &command{
	summary: "run a JavaScript/TypeScript file or a package.json script",
	usage: `gnode run [FILE|SCRIPT [args]]

A FILE runs as ` + "`gnode FILE`" + ` does. A SCRIPT runs from package.json's
"scripts" with its pre/post scripts and node_modules/.bin on PATH; with no
argument the scripts are listed.

Script flags:
  -s, --silent          no "> name@version script" banner
  -w, --workspace NAME|FOLDER   run in this workspace (repeatable)
      --workspaces      run in every workspace
      --include-workspace-root   with -w/--workspaces, run in the root too
      --if-present      no error when a selected package lacks the script

Runtime flags (for a FILE):
      --workers N|auto  N event loops in one process sharing listening
                        sockets (default $GNODE_WORKERS, else 1)
      --policy FILE | --no-policy   per-package capability policy
                        (default: gnode-policy.json beside the app)
      --allow-read[=PATH] --allow-write[=PATH] --allow-net[=HOST]
      --allow-env[=NAME] --allow-run[=PROGRAM] and --deny-*: process-wide
                        permissions; any --allow-* denies what it omits`,
	run: func(s IO, args []string) int {
		if len(args) == 0 {
			return listPackageScripts(s)
		}
		if code, ok := runPackageScript(s, args); ok {
			return code
		}
		return runScript(s, args)
	},
}

// flagWithValue reports whether a Node runtime flag takes the next argument
// as its value. (A switch, not a map: package-level maps are built at
// start-up by every gnode command.)
func flagWithValue(name string) bool {
	switch name {
	case "-r", "--require", "--import", "-C", "--conditions",
		"--input-type", "--loader", "--experimental-loader", "--title",
		"--stack-size", "--max-old-space-size", "--env-file",
		"--cpu-prof-dir", "--cpu-prof-name", "--cpu-prof-interval":
		return true
	}
	return false
}

// runScript runs JavaScript: gnode FILE, gnode -e CODE, gnode -p CODE,
// gnode - (stdin), with Node's runtime flags before the script and the
// script's own arguments after it.
func runScript(s IO, args []string) int {
	if s.Process {
		// Package initialisation has mapped megabytes of the binary that a
		// script will not run; let them fault back in only where used. The
		// package-manager commands skip this: they are short-lived, and
		// faulting their code back in cost them more than the resident
		// memory it saves (hot install 1-2 ms of 10).
		exepages.Release()
	}
	opts := runtime.Options{
		Env:         s.Env,
		Stdin:       s.Stdin,
		Stdout:      s.Stdout,
		Stderr:      s.Stderr,
		Cwd:         s.Dir,
		NodeVersion: NodeVersion,
		CacheDir:    cacheDir(s),
	}
	workers := s.Getenv("GNODE_WORKERS")
	var cpuProf cpuProfFlags
	perm := permissionArgs{flags: &capability.Flags{}}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			if i < len(args) && !opts.HasEval {
				opts.Script = args[i]
				i++
			}
			break
		}
		if a == "-" {
			opts.StdinScript = true
			i++
			break
		}
		if !strings.HasPrefix(a, "-") {
			if !opts.HasEval {
				opts.Script = a
				i++
			}
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		start := i
		if handled, err := perm.parse(args, &i, s.Dir); handled || err != nil {
			if err != nil {
				return fail(s, err, "example: gnode --allow-read=. --allow-net=127.0.0.1:8080 app.js")
			}
			// In execArgv as Node's permission flags are, so a forked
			// child runs under the same ones.
			opts.ExecArgv = append(opts.ExecArgv, args[start:i+1]...)
			continue
		}
		if name == "--workers" {
			// gnode's own flag: not a Node flag, so not in execArgv.
			if !hasVal {
				if i+1 >= len(args) {
					return fail(s, errors.New("--workers requires a number or auto"), "example: gnode run --workers auto app.js")
				}
				i++
				val = args[i]
			}
			workers = val
			continue
		}
		switch name {
		case "-e", "--eval", "-p", "--print", "-pe", "-ep":
			opts.Print = opts.Print || name == "-p" || name == "--print" || name == "-pe" || name == "-ep"
			if !hasVal {
				if i+1 >= len(args) {
					return fail(s, errors.New(a+" requires an argument"), "")
				}
				i++
				val = args[i]
			}
			opts.Eval, opts.HasEval = val, true
			opts.ExecArgv = append(opts.ExecArgv, a, val)
			continue
		}
		opts.ExecArgv = append(opts.ExecArgv, a)
		if flagWithValue(name) && !hasVal && i+1 < len(args) {
			i++
			val = args[i]
			opts.ExecArgv = append(opts.ExecArgv, val)
		}
		switch name {
		case "-r", "--require":
			opts.Preload = append(opts.Preload, val)
		case "--cpu-prof", "--cpu-prof-dir", "--cpu-prof-name", "--cpu-prof-interval":
			cpuProf.set(name, val)
		case "--input-type":
			opts.InputType = val
		}
	}
	opts.Args = append([]string{}, args[i:]...)
	if slices.Contains(opts.ExecArgv, "--test") && !opts.HasEval {
		// node --test [files]: node:test runs each file in a child process.
		files := opts.Args
		if opts.Script != "" {
			files = append([]string{opts.Script}, files...)
		}
		q, _ := json.Marshal(files)
		opts.HasEval, opts.Eval = true, "require('node:test')[Symbol.for('gnode.test.runMain')]("+string(q)+")"
		opts.Script, opts.Args, opts.StdinScript = "", nil, false
	}
	if opts.Script == "" && !opts.HasEval && !opts.StdinScript {
		if f, ok := s.Stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				// No script on a terminal: the REPL, as node does.
				opts.HasEval, opts.Eval = true, "require('repl').start()"
			}
		}
		opts.StdinScript = !opts.HasEval
	}
	prof, err := cpuProf.profile()
	if err != nil {
		fmt.Fprintf(s.Stderr, "gnode: %v\n", err)
		return 9 // node's exit code for a bad option
	}
	opts.CPUProfile = prof
	n, err := workerCount(workers)
	if err != nil {
		return fail(s, err, "use a number of event loops or auto (one per core): gnode run --workers auto app.js")
	}
	opts.Workers = n
	if opts.Permissions, err = perm.resolve(s, opts.Script); err != nil {
		return fail(s, err, "fix the file or regenerate it with `gnode policy generate`; `gnode --no-policy FILE` runs without it")
	}
	// GNODE_CPUPROFILE=FILE writes a Go CPU profile of the run: the
	// engine is Go code, so `go tool pprof` shows which QuickJS
	// operations a slow program spends its time in.
	// A server is usually stopped with Ctrl-C or kill, which ends the
	// process before any defer runs: a signal that ends the process
	// (one no JavaScript listener handles) writes the profile first.
	var beforeSignalDeath func()
	if opts.CPUProfile != nil {
		beforeSignalDeath = runtime.WriteCPUProfiles
	}
	if p := s.Getenv("GNODE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				var once sync.Once
				stop := func() { once.Do(func() { pprof.StopCPUProfile(); f.Close() }) }
				defer stop()
				if also := beforeSignalDeath; also != nil {
					beforeSignalDeath = func() { also(); stop() }
				} else {
					beforeSignalDeath = stop
				}
			}
		}
	}
	// Old bytecode and transform entries go at most once a day, off the
	// loop goroutine; a run that ends first leaves the rest for later.
	go runtime.PruneCacheDaily(opts.CacheDir)
	runtime.InstallSignalDefaults(beforeSignalDeath)
	return runtime.Run(opts)
}

// workerCount reads --workers / GNODE_WORKERS: empty is 1 (Node's single
// loop), "auto" one loop per core.
func workerCount(v string) (int, error) {
	switch v {
	case "":
		return 1, nil
	case "auto":
		return goruntime.NumCPU(), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid --workers value %q: want a positive number or auto", v)
	}
	return n, nil
}

// cacheDir is where compiled bytecode is kept: $GNODE_CACHE_DIR, or
// gnode/ in the user cache directory. GNODE_CACHE_DIR=off disables it.
func cacheDir(s IO) string {
	if d := s.Getenv("GNODE_CACHE_DIR"); d != "" {
		if d == "off" {
			return ""
		}
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "gnode")
	}
	return ""
}

// runPackageScript (`gnode run NAME` for a package.json script) is in
// cmd_scripts.go with the other script commands.

// lifecycleScripts are the script names npm runs itself at some step
// (install, publish, start, test, version...): `npm run` lists them apart.
var lifecycleScripts = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`prepare prepublishOnly prepack postpack dependencies
preinstall install postinstall prepublish publish postpublish prerestart restart postrestart
prestart start poststart prestop stop poststop pretest test posttest
preuninstall uninstall postuninstall preversion version postversion`) {
		m[n] = true
	}
	return m
})

// listPackageScripts is `gnode run` without arguments: like `npm run`, it
// lists the scripts of the nearest package.json, lifecycle scripts first,
// each in package.json order, and prints nothing when there are none.
func listPackageScripts(s IO) int {
	var file string
	var data []byte
	for dir := s.Dir; ; dir = filepath.Dir(dir) {
		file = filepath.Join(dir, "package.json")
		b, err := os.ReadFile(file)
		if err == nil {
			data = b
			break
		}
		if filepath.Dir(dir) == dir {
			return fail(s, fmt.Errorf("no package.json in %s or any parent directory: gnode run without arguments lists its scripts", s.Dir),
				"create one with `gnode init`, or name a file to run: gnode run FILE [args]")
		}
	}
	pkg, err := readScripts(data)
	if err != nil {
		return fail(s, fmt.Errorf("reading %s: %w", file, err), "fix the JSON syntax of package.json")
	}
	id := pkg.name
	if pkg.name != "" && pkg.version != "" {
		id = pkg.name + "@" + pkg.version
	}
	var life, other [][2]string
	for _, kv := range pkg.scripts {
		if lifecycleScripts()[kv[0]] {
			life = append(life, kv)
		} else {
			other = append(other, kv)
		}
	}
	var b strings.Builder
	list := func(scripts [][2]string) {
		for _, kv := range scripts {
			fmt.Fprintf(&b, "  %s\n    %s\n", kv[0], kv[1])
		}
	}
	if len(life) > 0 {
		fmt.Fprintf(&b, "Lifecycle scripts included in %s:\n", id)
		list(life)
	}
	if len(other) > 0 {
		if len(life) == 0 {
			fmt.Fprintf(&b, "Scripts available in %s via `gnode run`:\n", id)
		} else {
			b.WriteString("available via `gnode run`:\n")
		}
		list(other)
	}
	fmt.Fprint(s.Stdout, b.String())
	return 0
}

// pkgScripts is what listPackageScripts needs of a package.json, with the
// scripts in file order (a Go map would lose it).
type pkgScripts struct {
	name, version string
	scripts       [][2]string
}

func readScripts(data []byte) (pkgScripts, error) {
	var p pkgScripts
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return p, err
	}
	json.Unmarshal(top["name"], &p.name)
	json.Unmarshal(top["version"], &p.version)
	raw, ok := top["scripts"]
	if !ok {
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		// npm ignores a scripts field that is not an object.
		return p, nil
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return p, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return p, err
		}
		// A non-string script is no command: npm drops it when normalizing.
		if str, ok := v.(string); ok {
			p.scripts = append(p.scripts, [2]string{kt.(string), str})
		}
	}
	return p, nil
}

// permissionArgs are gnode's permission flags of a run: --policy FILE,
// --no-policy, and the process-wide --allow-*/--deny-* flags. They are
// gnode's own, so they stay out of process.execArgv.
type permissionArgs struct {
	flags      *capability.Flags
	policyFile string
	noPolicy   bool
}

// parse reads args[*i] when it is a permission flag (advancing *i past a
// separate value).
func (p *permissionArgs) parse(args []string, i *int, cwd string) (bool, error) {
	a := args[*i]
	name, val, hasVal := strings.Cut(a, "=")
	switch name {
	case "--no-policy":
		p.noPolicy = true
		return true, nil
	case "--policy":
		if !hasVal {
			if *i+1 >= len(args) {
				return true, errors.New("--policy requires a file")
			}
			*i++
			val = args[*i]
		}
		if !filepath.IsAbs(val) {
			val = filepath.Join(cwd, val)
		}
		p.policyFile = val
		return true, nil
	}
	return p.flags.ParseFlag(a, cwd)
}

// resolve finds the policy of the run: --policy FILE, else the nearest
// gnode-policy.json at or above the script's folder (the working
// directory for -e and stdin). --no-policy and GNODE_POLICY=off turn it
// off; without a file nothing is restricted, as in Node.
func (p *permissionArgs) resolve(s IO, script string) (runtime.Permissions, error) {
	perm := runtime.Permissions{}
	if p.flags.Active() {
		perm.Flags = p.flags
	}
	if p.noPolicy || s.Getenv("GNODE_POLICY") == "off" {
		return perm, nil
	}
	file := p.policyFile
	if file == "" {
		dir := s.Dir
		if script != "" {
			if !filepath.IsAbs(script) {
				script = filepath.Join(s.Dir, script)
			}
			dir = filepath.Dir(script)
		}
		found, ok := capability.FindPolicy(dir)
		if !ok {
			return perm, nil
		}
		file = found
	}
	pol, err := capability.Load(file)
	if err != nil {
		return perm, fmt.Errorf("reading the capability policy: %w", err)
	}
	perm.Policy, perm.PolicyFile = pol, file
	return perm, nil
}
