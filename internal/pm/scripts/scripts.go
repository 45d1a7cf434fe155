// Package scripts runs lifecycle scripts the way npm does: through
// `sh -c`, in the package folder, with every node_modules/.bin above it on
// PATH and npm's npm_* variables set. Dependencies' install scripts run only
// for packages the project trusts (package.json
// "gnode": {"trustedDependencies": [...]}); the root project's own scripts
// always run unless scripts are disabled altogether.
package scripts

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/trust/jail"
)

// InstallEvents are the scripts an install runs for a dependency, in order.
var InstallEvents = []string{"preinstall", "install", "postinstall"}

// RootEvents are the scripts `npm install` runs for the project itself.
var RootEvents = []string{"preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"}

// Package is what a script needs to know about its package.
type Package struct {
	Name, Version string
	Dir           string // the package folder
	Scripts       map[string]string
	HasBindingGyp bool
}

// Env is the environment scripts start from.
type Env struct {
	Base       []string // KEY=VALUE, normally the process environment
	ProjectDir string   // INIT_CWD and where .bin lookups stop
	NodeExec   string   // npm_node_execpath ("" leaves it out)
	Stdout     io.Writer
	Stderr     io.Writer
	// Quiet captures a script's output and shows it only if it fails, as npm
	// does for dependencies (foreground-scripts off).
	Quiet bool
	// Jail runs the script confined (trust/jail): a scrubbed environment,
	// a temporary HOME, and writes only inside the package folder. Used for
	// dependencies' scripts; the project's own scripts run unconfined.
	Jail bool
	// Self is the gnode executable that enters the jail (`gnode __jail`).
	// Empty runs the script with the scrubbed environment and temp HOME
	// but without Landlock, after a warning on Stderr.
	Self string
}

// Error is a script that exited non-zero.
type Error struct {
	ID, Event, Script string
	Code              int
	Output            string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s %s script failed with exit code %d: %s", e.ID, e.Event, e.Code, e.Script)
	if e.Output != "" {
		msg += "\n" + strings.TrimRight(e.Output, "\n")
	}
	return msg
}

// Command returns the script for event, including npm's implicit
// `node-gyp rebuild` install script for a package with a binding.gyp and
// neither an install nor a preinstall script.
func Command(p *Package, event string) string {
	if s := p.Scripts[event]; s != "" {
		return s
	}
	if event == "install" && p.HasBindingGyp && p.Scripts["install"] == "" && p.Scripts["preinstall"] == "" {
		return "node-gyp rebuild"
	}
	return ""
}

// HasInstallScripts reports whether installing p would run code.
func HasInstallScripts(p *Package) bool {
	for _, ev := range InstallEvents {
		if Command(p, ev) != "" {
			return true
		}
	}
	return false
}

// Banner is what npm prints before a script it runs in the foreground: a
// blank line, "> name@version event" (just "> event" unless package.json
// has both a name and a version), the command with each of its lines
// prefixed by "> " and the arguments appended as given, then a blank line.
func Banner(name, version, event, script string, args []string) string {
	var b strings.Builder
	b.WriteString("\n> ")
	if name != "" && version != "" {
		b.WriteString(name + "@" + version + " ")
	}
	b.WriteString(event + "\n> ")
	b.WriteString(strings.ReplaceAll(strings.TrimSpace(script), "\n", "\n> "))
	if len(args) > 0 {
		b.WriteString(" " + strings.Join(args, " "))
	}
	b.WriteString("\n\n")
	return b.String()
}

// Run runs one event's script for p if it has one.
func Run(ctx context.Context, p *Package, event string, env Env) error {
	script := Command(p, event)
	if script == "" {
		return nil
	}
	id := p.Name + "@" + p.Version
	if !env.Quiet && env.Stdout != nil {
		fmt.Fprint(env.Stdout, Banner(p.Name, p.Version, event, script, nil))
	}
	var cmd *exec.Cmd
	if env.Jail {
		home, err := os.MkdirTemp("", "gnode-script-home-")
		if err != nil {
			return fmt.Errorf("%s %s: temporary HOME: %w", id, event, err)
		}
		defer os.RemoveAll(home)
		scrubbed := jail.ScrubEnv(buildEnv(p, event, script, env), home)
		if env.Self != "" {
			cmd, err = jail.Command(ctx, env.Self, jail.Spec{Script: script, Dir: p.Dir, Writable: []string{home}, Env: scrubbed})
			if err != nil {
				return err
			}
		} else {
			if env.Stderr != nil {
				fmt.Fprintf(env.Stderr, "gnode warn: %s %s runs without Landlock confinement (no gnode executable to enter the jail; set GNODE_BIN)\n", id, event)
			}
			cmd = exec.CommandContext(ctx, "sh", "-c", script)
			cmd.Dir = p.Dir
			cmd.Env = scrubbed
		}
	} else {
		cmd = exec.CommandContext(ctx, "sh", "-c", script)
		cmd.Dir = p.Dir
		cmd.Env = buildEnv(p, event, script, env)
	}
	var buf bytes.Buffer
	if env.Quiet {
		cmd.Stdout, cmd.Stderr = &buf, &buf
	} else {
		cmd.Stdout, cmd.Stderr = env.Stdout, env.Stderr
	}
	if err := cmd.Run(); err != nil {
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return &Error{ID: id, Event: event, Script: script, Code: code, Output: buf.String()}
	}
	return nil
}

func buildEnv(p *Package, event, script string, env Env) []string {
	vars := map[string]string{}
	var order []string
	set := func(k, v string) {
		if _, ok := vars[k]; !ok {
			order = append(order, k)
		}
		vars[k] = v
	}
	for _, kv := range env.Base {
		if k, v, ok := strings.Cut(kv, "="); ok {
			set(k, v)
		}
	}
	// Every node_modules/.bin from the package up to the project, nearest first.
	var bins []string
	for d := p.Dir; ; d = filepath.Dir(d) {
		if filepath.Base(d) != "node_modules" {
			bins = append(bins, filepath.Join(d, "node_modules", ".bin"))
		}
		if d == env.ProjectDir || d == filepath.Dir(d) || !strings.HasPrefix(d, env.ProjectDir) {
			break
		}
	}
	path := strings.Join(bins, string(os.PathListSeparator))
	if cur := vars["PATH"]; cur != "" {
		path += string(os.PathListSeparator) + cur
	}
	set("PATH", path)
	set("npm_lifecycle_event", event)
	set("npm_lifecycle_script", script)
	set("npm_package_name", p.Name)
	set("npm_package_version", p.Version)
	set("npm_package_json", filepath.Join(p.Dir, "package.json"))
	set("npm_config_user_agent", "gnode")
	set("npm_command", "install")
	set("INIT_CWD", env.ProjectDir)
	if env.NodeExec != "" {
		set("npm_node_execpath", env.NodeExec)
		set("NODE", env.NodeExec)
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+vars[k])
	}
	return out
}

// Trusted reports whether name is in the project's trusted list.
func Trusted(list []string, name string) bool {
	for _, t := range list {
		if t == name {
			return true
		}
	}
	return false
}

// SkippedReport formats the end-of-install notice for packages whose
// scripts did not run.
func SkippedReport(ids []string, names []string) string {
	if len(ids) == 0 {
		return ""
	}
	sort.Strings(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "gnode: skipped install scripts of %d package(s) that are not trusted:\n", len(ids))
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s\n", id)
	}
	example := "name"
	if len(names) > 0 {
		sort.Strings(names)
		example = names[0]
	}
	fmt.Fprintf(&b, "To run a package's install scripts, trust it in package.json:\n  \"gnode\": { \"trustedDependencies\": [%q] }\nthen run `gnode install` again.\n", example)
	return b.String()
}
