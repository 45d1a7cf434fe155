package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/pm/install"
	"gnode/internal/pm/manifest"
)

var cmdInstall = &command{
	summary: "install the project's dependencies, or add packages",
	usage: `gnode install [<spec>...] [flags]      (alias: i, add)

  With no spec, installs what package.json and package-lock.json say.
  With specs (name, name@range, name@tag, alias@npm:name@range), adds them
  to package.json (with a ^ prefix, like npm) and installs.

Flags:
  -w, --workspace NAME|FOLDER   install only this workspace's dependencies
                        and save the specs in its package.json (repeatable);
                        package-lock.json stays the whole project's
      --workspaces      the same for every workspace
      --include-workspace-root   with -w/--workspaces, save in the root too
  -D, --save-dev        save to devDependencies
  -O, --save-optional   save to optionalDependencies
  -E, --save-exact      save the exact version instead of ^version
      --no-save         do not change package.json or package-lock.json
      --omit=dev|optional|peer   leave these packages out of node_modules
      --production      same as --omit=dev
      --ignore-scripts  run no lifecycle scripts at all
      --offline         use only the cache
      --prefer-offline  use cached metadata without revalidating it
      --registry URL    use this registry
      --json            print the summary as JSON
      --allow-provenance-change=NAME[@VERSION],...  accept a version whose
                        Sigstore provenance was dropped or comes from
                        another repository or workflow (logged override)
      --linker=hoisted|isolated  node_modules layout: npm's hoisted tree
                        (default) or one folder per package with only its
                        declared dependencies reachable (also package.json
                        "gnode": {"linker": "isolated"})
      --strict          fail on young versions and change signals instead of
                        falling back or warning
      --allow-young=NAME[@VERSION],...  accept versions younger than the
                        minimum release age (logged override)

Supply-chain checks (see docs/SECURITY.md): versions younger than
minimumReleaseAge (default 1d) are passed over, registry signatures are
verified, malicious-package advisories refuse the install, and trusted
dependency scripts run jailed. ` + "`gnode why-blocked NAME`" + ` explains.`,
	run: func(s IO, args []string) int { return runInstall(s, args, install.ModeInstall) },
}

// installFlags is what the package-manager commands accept.
type installFlags struct {
	specs []string
	opts  install.Options
	json  bool
	// npm's workspace filters: where `install <spec>` saves.
	workspaces                 []string
	allWorkspaces, includeRoot bool
}

func parseInstallFlags(args []string, mode install.Mode) (*installFlags, error) {
	f := &installFlags{opts: install.Options{Mode: mode, Flags: map[string]string{}}}
	var omit []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() (string, error) {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "--") {
				return v, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		name := a
		if k, _, ok := strings.Cut(a, "="); ok {
			name = k
		}
		switch name {
		case "-D", "--save-dev":
			f.opts.SaveType = manifest.DevDependencies
		case "-O", "--save-optional":
			f.opts.SaveType = manifest.OptionalDependencies
		case "-P", "--save-prod":
			f.opts.SaveType = manifest.Dependencies
		case "-E", "--save-exact":
			f.opts.SaveExact = true
		case "--no-save":
			f.opts.NoSave = true
		case "-S", "--save":
		case "--production":
			omit = append(omit, "dev")
		case "--omit":
			v, err := val()
			if err != nil {
				return nil, err
			}
			for _, o := range strings.Split(v, ",") {
				switch o {
				case "dev", "optional", "peer":
					omit = append(omit, o)
				default:
					return nil, fmt.Errorf("invalid --omit value %q: use dev, optional or peer", o)
				}
			}
		case "--ignore-scripts", "--offline", "--prefer-offline", "--prefer-online":
			f.opts.Flags[strings.TrimPrefix(name, "--")] = "true"
		case "--registry":
			v, err := val()
			if err != nil {
				return nil, err
			}
			f.opts.Flags["registry"] = v
		case "--json":
			f.json = true
		case "-w", "--workspace":
			v, err := val()
			if err != nil {
				return nil, err
			}
			f.workspaces = append(f.workspaces, v)
		case "-ws", "--workspaces":
			f.allWorkspaces = true
		case "--include-workspace-root":
			f.includeRoot = true
		case "--strict":
			f.opts.Strict = true
		case "--allow-provenance-change":
			v, err := val()
			if err != nil {
				return nil, err
			}
			f.opts.Flags["allow-provenance-change"] = v
		case "--linker":
			v, err := val()
			if err != nil {
				return nil, err
			}
			f.opts.Linker = v
		case "--allow-young":
			v, err := val()
			if err != nil {
				return nil, err
			}
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x != "" {
					f.opts.AllowYoung = append(f.opts.AllowYoung, x)
				}
			}
		case "--no-audit", "--no-fund", "--no-progress", "--silent", "--quiet", "--loglevel", "--legacy-peer-deps", "--no-package-lock":
			if name == "--loglevel" && !strings.Contains(a, "=") {
				i++
			}
			if name == "--no-package-lock" {
				f.opts.Flags["package-lock"] = "false"
			}
		default:
			if strings.HasPrefix(a, "-") {
				return nil, fmt.Errorf("unknown flag %s", a)
			}
			f.specs = append(f.specs, a)
		}
	}
	if len(omit) > 0 {
		f.opts.Flags["omit"] = strings.Join(omit, "\n\n")
	}
	switch mode {
	case install.ModeInstall:
		f.opts.Add = f.specs
	case install.ModeUninstall:
		f.opts.Remove = f.specs
	case install.ModeCI:
		if len(f.specs) > 0 {
			return nil, fmt.Errorf("gnode ci takes no package names (got %s)", strings.Join(f.specs, " "))
		}
	}
	return f, nil
}

func runInstall(s IO, args []string, mode install.Mode) int {
	f, err := parseInstallFlags(args, mode)
	if err != nil {
		return fail(s, err, "run `gnode "+modeName(mode)+" --help` for the flags")
	}
	if mode == install.ModeUninstall && len(f.specs) == 0 {
		return fail(s, fmt.Errorf("gnode uninstall needs at least one package name"), "usage: gnode uninstall <name>...")
	}
	o := f.opts
	o.Dir, o.Env, o.Stdout, o.Stderr = s.Dir, s.Env, s.Stdout, s.Stderr
	if err := installTargets(s, f, &o); err != nil {
		return fail(s, err, "")
	}
	o.NodeVersion = NodeVersion
	return runInstallOp(s, o, f.json, install.Run)
}

// runInstallOp runs an install-like operation (install, ci, uninstall,
// update) with the progress line, Ctrl-C cancellation, and the summary or
// --json output they share.
func runInstallOp(s IO, o install.Options, asJSON bool, op func(context.Context, install.Options) (*install.Summary, error)) int {
	pr := newProgress(s.Stderr, asJSON)
	if pr != nil {
		o.Progress = pr
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupted, disarm := cancelOnSignal(interruptGrace, cancel, os.Interrupt)
	sum, err := op(ctx, o)
	disarm()
	if pr != nil {
		pr.finish()
	}
	if err != nil {
		if asJSON {
			b, _ := json.MarshalIndent(map[string]any{"error": err.Error()}, "", "  ")
			fmt.Fprintf(s.Stdout, "%s\n", b)
		}
		if interrupted() {
			// As a shell reports a process that SIGINT ended.
			err = &ExitError{Code: 130, Err: errors.New("interrupted (Ctrl-C): install cancelled")}
		}
		return fail(s, err, "")
	}
	for _, w := range sum.Warnings {
		fmt.Fprintf(s.Stderr, "gnode warn %s\n", w)
	}
	if asJSON {
		b, _ := json.MarshalIndent(sum, "", "  ")
		fmt.Fprintf(s.Stdout, "%s\n", b)
	} else {
		printTrust(s, sum.Trust)
		fmt.Fprintln(s.Stdout, summaryLine(sum))
	}
	if sum.ScriptsNotice != "" {
		fmt.Fprint(s.Stderr, sum.ScriptsNotice)
	}
	return 0
}

// interruptGrace is how long an install runs before Ctrl-C cancels it
// instead of ending the process at once. Both leave nothing half-written
// (the install stages and renames; the next one removes a killed one's
// staging), but the handler costs a warm install 0.1–0.2 ms of its 9–11 (the
// signal goroutine takes a thread of its own), and most warm installs are
// over before the grace ends.
const interruptGrace = 20 * time.Millisecond

// cancelOnSignal calls cancel when sig arrives once after has passed, as
// signal.NotifyContext would; interrupted tells whether it did, and disarm
// stops listening and restores the default action.
func cancelOnSignal(after time.Duration, cancel context.CancelFunc, sig os.Signal) (interrupted func() bool, disarm func()) {
	var mu sync.Mutex
	disarmed := false
	var got atomic.Bool
	var c chan os.Signal
	t := time.AfterFunc(after, func() {
		mu.Lock()
		defer mu.Unlock()
		if disarmed {
			return
		}
		c = make(chan os.Signal, 1)
		signal.Notify(c, sig)
		go func(c chan os.Signal) {
			if _, ok := <-c; ok {
				got.Store(true)
				cancel()
			}
		}(c)
	})
	disarm = func() {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		if disarmed {
			return
		}
		disarmed = true
		if c != nil {
			signal.Stop(c)
			close(c) // no delivery after Stop: ends the goroutine
		}
	}
	return got.Load, disarm
}

// printTrust prints what the supply-chain checks decided: versions the
// release-age policy passed over and the change signals worth a look.
func printTrust(s IO, r *install.TrustReport) {
	if r == nil {
		return
	}
	for _, p := range r.PassedOver {
		fmt.Fprintf(s.Stdout, "gnode trust: %s\n", p)
	}
	if len(r.Signals) > 0 {
		fmt.Fprintln(s.Stdout, "gnode trust: changes worth a look:")
		for _, sig := range r.Signals {
			fmt.Fprintf(s.Stdout, "  %s\n", sig)
		}
	}
}

func modeName(m install.Mode) string {
	switch m {
	case install.ModeCI:
		return "ci"
	case install.ModeUninstall:
		return "uninstall"
	}
	return "install"
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// summaryLine is npm's closing line: "added 3 packages, removed 1 package in 1.20s".
func summaryLine(s *install.Summary) string {
	var parts []string
	if s.Added > 0 {
		parts = append(parts, "added "+plural(s.Added, "package"))
	}
	if s.Removed > 0 {
		parts = append(parts, "removed "+plural(s.Removed, "package"))
	}
	if s.Changed > 0 {
		parts = append(parts, "changed "+plural(s.Changed, "package"))
	}
	if len(parts) == 0 {
		parts = append(parts, "up to date")
	}
	return fmt.Sprintf("%s, audited %s in %.2fs", strings.Join(parts, ", "), plural(s.Audited, "package"), s.Seconds)
}

// progress shows resolved / fetched / linked counts: a live line redrawn in
// place on a terminal, a plain line per phase when piped.
type progress struct {
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	res  int
	done int
	tot  int
	lnk  int
	last time.Time
	said map[string]bool
	drew bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	if quiet {
		return nil
	}
	p := &progress{w: w, said: map[string]bool{}}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) Resolved(n int) { p.update(func() { p.res = n }, "") }
func (p *progress) Fetched(d, t int) {
	p.update(func() { p.done, p.tot = d, t }, "")
}
func (p *progress) Linked(n int) { p.update(func() { p.lnk = n }, "linking") }

func (p *progress) update(set func(), phase string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	set()
	if !p.tty {
		return
	}
	if time.Since(p.last) < 80*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\x1b[Kresolved %d, fetched %d/%d, linked %d", p.res, p.done, p.tot, p.lnk)
	p.drew = true
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		if p.drew {
			fmt.Fprint(p.w, "\r\x1b[K")
		}
		return
	}
	if p.res > 0 || p.tot > 0 || p.lnk > 0 {
		fmt.Fprintf(p.w, "resolved %d, fetched %d/%d, linked %d\n", p.res, p.done, p.tot, p.lnk)
	}
}

// installTargets applies the workspace flags: the install runs at the
// workspace root (also when started inside a workspace folder, as npm
// does) and `install <spec>` saves into the selected workspaces.
func installTargets(s IO, f *installFlags, o *install.Options) error {
	filtered := len(f.workspaces) > 0 || f.allWorkspaces
	if !filtered && !mayBeInWorkspaces(s.Dir) {
		return nil // not a monorepo: install where we are
	}
	root, err := workspaceRoot(s.Dir)
	if err != nil {
		if filtered {
			return err
		}
		return nil // not a monorepo: install where we are
	}
	if !filtered {
		if root == s.Dir {
			return nil
		}
		// Inside a workspace folder: npm installs the whole project and
		// saves new specs into that workspace.
		sel, err := selectWorkspaces(s, root, []string{s.Dir}, false)
		if err != nil {
			return nil // a folder of the project that is no workspace: as before
		}
		o.Dir = root
		o.Targets = []string{sel[0].Path}
		o.Only = o.Targets
		return nil
	}
	sel, err := selectWorkspaces(s, root, f.workspaces, f.includeRoot)
	if err != nil {
		return err
	}
	o.Dir = root
	for _, w := range sel {
		o.Targets = append(o.Targets, w.Path)
	}
	// Like npm, only the selected workspaces' dependencies are laid out
	// (the lockfile stays the whole project's).
	o.Only = o.Targets
	return nil
}

// mayBeInWorkspaces reports whether a package.json in dir or above could
// declare workspaces: one that never spells the key (escapes aside) cannot,
// so the common install decodes no package.json here (workspaceRoot parses
// each one it finds).
func mayBeInWorkspaces(dir string) bool {
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "package.json")); err == nil {
			if bytes.Contains(b, []byte("workspaces")) || bytes.Contains(b, []byte(`\u`)) {
				return true
			}
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}
