// Package cli is gnode's command line: subcommand dispatch, flags, progress
// output, and the mapping from errors to messages and exit codes. It is the
// only package that touches process arguments, exit codes and the terminal;
// everything it calls takes explicit inputs so it can be tested in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gnode/internal/trust/jail"
)

// Version is gnode's own version. NodeVersion is the Node.js release whose
// behaviour the runtime follows (what process.version reports).
const (
	Version     = "0.1.0"
	NodeVersion = "v22.12.0"
)

// IO is the process's standard streams and environment, passed explicitly so
// tests can run the CLI in-process.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Env    []string // KEY=VALUE, like os.Environ
	Dir    string   // working directory
	// Process is set for the real process (StdIO), not for in-process
	// callers such as tests: process-wide steps apply only then.
	Process bool
}

// StdIO returns the real process streams.
func StdIO() IO {
	wd, _ := os.Getwd()
	return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Env: os.Environ(), Dir: wd, Process: true}
}

// Getenv looks a variable up in io.Env.
func (s IO) Getenv(key string) string {
	for i := len(s.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(s.Env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// command is one subcommand. run returns the exit code.
type command struct {
	summary string
	usage   string
	run     func(s IO, args []string) int
}

// commands is the one table of subcommands. Aliases point at the same entry.
// Each entry's run function lives in a file of its own (cmd_*.go).
var commands map[string]*command

var aliases = map[string]string{
	"i":         "install",
	"add":       "install",
	"remove":    "uninstall",
	"rm":        "uninstall",
	"un":        "uninstall",
	"exec":      "x",
	"adduser":   "login",
	"dist-tags": "dist-tag",
	"list":      "ls",
	"explain":   "why",
	"t":         "test",
	"tst":       "test",
	"up":        "update",
	"upgrade":   "update",
}

func init() {
	commands = map[string]*command{
		"help":        {summary: "show help for gnode or a command", usage: "gnode help [command]", run: runHelp},
		"install":     cmdInstall,
		"ci":          cmdCI,
		"uninstall":   cmdUninstall,
		"run":         cmdRun,
		"registry":    cmdRegistry,
		"policy":      cmdPolicy,
		"audit":       cmdAudit,
		"pack":        cmdPack,
		"publish":     cmdPublish,
		"login":       cmdLogin,
		"logout":      cmdLogout,
		"whoami":      cmdWhoami,
		"dist-tag":    cmdDistTag,
		"deprecate":   cmdDeprecate,
		"unpublish":   cmdUnpublish,
		"init":        cmdInit,
		"version":     cmdVersionBump,
		"ls":          cmdLs,
		"why":         cmdWhy,
		"why-blocked": cmdWhyBlocked,
		"outdated":    cmdOutdated,
		"update":      cmdUpdate,
		"x":           cmdX,
		"test":        cmdTest,
		"start":       cmdStart,
		"stop":        cmdStop,
		"restart":     cmdRestart,
	}
}

// Main runs gnode with args (without the program name) and returns the exit code.
func Main(args []string, s IO) int {
	if len(args) == 0 {
		// Like node: a program piped on stdin runs; a terminal gets the
		// REPL (node:repl).
		_, tty := isTerminal(s.Stdin)
		if !tty && s.Stdin != nil {
			return runScript(s, []string{"-"})
		}
		if tty {
			return runScript(s, []string{"-e", "require('repl').start()"})
		}
		printUsage(s.Stdout)
		return 0
	}
	first := args[0]
	switch first {
	case "-v", "--version":
		return runVersion(s, nil)
	case "-h", "--help":
		printUsage(s.Stdout)
		return 0
	case "-e", "--eval", "-p", "--print", "-":
		return runScript(s, args)
	case jail.Subcommand:
		// Internal: a confined install script (see internal/trust/jail).
		if len(args) != 2 {
			return fail(s, errors.New("internal command used wrongly"), "")
		}
		err := jail.Enter(args[1], func(msg string) { fmt.Fprintf(s.Stderr, "gnode: warning: %s\n", msg) })
		return fail(s, err, "")
	}
	if strings.HasPrefix(first, "-") {
		// Node-style runtime flags before the script (e.g. --enable-source-maps).
		return runScript(s, args)
	}
	name := first
	if a, ok := aliases[name]; ok {
		name = a
	}
	if c, ok := commands[name]; ok {
		rest := args[1:]
		if len(rest) > 0 && (rest[0] == "--help" || rest[0] == "-h") {
			fmt.Fprintf(s.Stdout, "%s\n\nUsage: %s\n", c.summary, c.usage)
			return 0
		}
		return c.run(s, rest)
	}
	// Anything else is a file to run, as `node FILE` does.
	return runScript(s, args)
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "gnode %s: a Node.js runtime and npm-compatible package manager\n\n", Version)
	fmt.Fprintf(w, "Usage:\n  gnode FILE [args]         run a JavaScript or TypeScript file\n  gnode -e CODE | -p CODE   evaluate code\n  gnode <command> [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun `gnode <command> --help` for a command's usage.\n")
}

func runHelp(s IO, args []string) int {
	if len(args) == 0 {
		printUsage(s.Stdout)
		return 0
	}
	name := args[0]
	if a, ok := aliases[name]; ok {
		name = a
	}
	c, ok := commands[name]
	if !ok {
		return fail(s, fmt.Errorf("unknown command %q", args[0]), "run `gnode help` for the list of commands")
	}
	fmt.Fprintf(s.Stdout, "%s\n\nUsage: %s\n", c.summary, c.usage)
	return 0
}

func runVersion(s IO, _ []string) int {
	fmt.Fprintf(s.Stdout, "%s\n", Version)
	return 0
}

// ExitError carries an exit code chosen deeper down.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Hinter is implemented by errors that know how the user can fix them.
type Hinter interface{ Hint() string }

// fail prints `gnode: error: <what>` and an optional hint, and returns the exit code.
func fail(s IO, err error, hint string) int {
	fmt.Fprintf(s.Stderr, "gnode: error: %v\n", err)
	var h Hinter
	if hint == "" && errors.As(err, &h) {
		hint = h.Hint()
	}
	if hint != "" {
		fmt.Fprintf(s.Stderr, "hint: %s\n", hint)
	}
	var ee *ExitError
	if errors.As(err, &ee) && ee.Code != 0 {
		return ee.Code
	}
	return 1
}
