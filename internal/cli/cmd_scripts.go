package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// npm's lifecycle shortcuts: `gnode test`, `start`, `stop`, `restart` run
// the package.json script of that name between its pre- and post- scripts,
// with the arguments (after an optional `--`) given to the main script only.
var (
	cmdTest = &command{
		summary: "run the package's test script",
		usage:   "gnode test [-- args]   (alias: t)",
		run:     func(s IO, args []string) int { return runLifecycle(s, "test", args) },
	}
	cmdStart = &command{
		summary: "run the package's start script (default: node server.js)",
		usage:   "gnode start [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "start", args) },
	}
	cmdStop = &command{
		summary: "run the package's stop script",
		usage:   "gnode stop [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "stop", args) },
	}
	cmdRestart = &command{
		summary: "run the package's restart script, or stop then start",
		usage:   "gnode restart [-- args]",
		run:     func(s IO, args []string) int { return runLifecycle(s, "restart", args) },
	}
)

// projectScripts finds the nearest package.json from dir up and returns
// its folder and scripts.
func projectScripts(dir string) (string, map[string]string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "package.json"))
		if err == nil {
			var pkg struct {
				Scripts map[string]string `json:"scripts"`
			}
			if err := json.Unmarshal(b, &pkg); err != nil {
				return "", nil, fmt.Errorf("%s: %w", filepath.Join(d, "package.json"), err)
			}
			return d, pkg.Scripts, nil
		}
		if filepath.Dir(d) == d {
			return "", nil, fmt.Errorf("no package.json in %s or any parent folder", dir)
		}
	}
}

// runLifecycle runs event as npm does its named lifecycle commands.
func runLifecycle(s IO, event string, args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	dir, scripts, err := projectScripts(s.Dir)
	if err != nil {
		return fail(s, err, "run the command inside a project, or create one with `gnode init`")
	}
	ps := s
	ps.Dir = dir
	// one runs a script if the package has it; the main script gets args.
	one := func(name string, args []string) (int, bool) {
		if _, ok := scripts[name]; !ok {
			return 0, false
		}
		return runPackageScript(ps, append([]string{name}, args...))
	}
	var steps []func() int
	step := func(name string, args []string) {
		steps = append(steps, func() int { code, _ := one(name, args); return code })
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
				steps = append(steps, func() int { return runScript(ps, append([]string{"server.js"}, args...)) })
				return nil
			}
		}
		return fmt.Errorf("missing script: %q", name)
	}
	var merr error
	if event == "restart" && scripts["restart"] == "" {
		// Without a restart script npm runs stop then start, each with its
		// own pre/post scripts, inside prerestart/postrestart.
		step("prerestart", nil)
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
