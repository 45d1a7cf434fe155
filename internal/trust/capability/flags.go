package capability

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
)

// Flags are the process-wide permissions of one run, set with Deno-style
// flags: --allow-read[=PATH,...], --allow-write, --allow-net[=HOST,...],
// --allow-env[=NAME,...], --allow-run[=PROGRAM,...] and the matching
// --deny-* flags. Without any --allow-* flag everything is allowed except
// what a --deny-* flag names (Node's default, narrowed). With one, the run
// is in permission mode: only what an --allow-* flag names is allowed,
// and --deny-* narrows that further. Application code is subject to these
// flags too; they apply below the per-package policy.
type Flags struct {
	Read, Write, Net, Env, Run Rule
	// Permission is Node's --permission: permission mode without
	// allowing anything by itself.
	Permission bool
}

// Rule is what the flags of one kind allow and deny. All* covers every
// value; the lists hold absolute paths, hosts or names.
type Rule struct {
	AllowAll, DenyAll bool
	Allow, Deny       []string
}

func (r Rule) given() bool { return r.AllowAll || len(r.Allow) > 0 }

// rule maps a flag's suffix to its kind and rule. Node's spellings
// (--allow-fs-read, --allow-fs-write, --allow-child-process) are accepted
// too.
func (f *Flags) rule(suffix string) (string, *Rule) {
	switch suffix {
	case "read", "fs-read":
		return "read", &f.Read
	case "write", "fs-write":
		return "write", &f.Write
	case "net":
		return "net", &f.Net
	case "env":
		return "env", &f.Env
	case "run", "child-process":
		return "run", &f.Run
	}
	return "", nil
}

// ParseFlag reads one command-line argument. handled is false for
// arguments that are not permission flags. Relative paths are taken from
// cwd.
func (f *Flags) ParseFlag(arg, cwd string) (handled bool, err error) {
	name, val, hasVal := strings.Cut(arg, "=")
	if name == "--permission" && !hasVal {
		f.Permission = true
		return true, nil
	}
	suffix, allow := strings.CutPrefix(name, "--allow-")
	if !allow {
		var deny bool
		if suffix, deny = strings.CutPrefix(name, "--deny-"); !deny {
			return false, nil
		}
	}
	kind, r := f.rule(suffix)
	if r == nil {
		return false, nil
	}
	if !hasVal {
		if allow {
			r.AllowAll = true
		} else {
			r.DenyAll = true
		}
		return true, nil
	}
	var items []string
	for _, v := range strings.Split(val, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch kind {
		case "read", "write":
			if !filepath.IsAbs(v) {
				v = filepath.Join(cwd, v)
			}
			v = filepath.Clean(v)
		case "net":
			if _, err := parseHostPort(v); err != nil {
				return true, fmt.Errorf("%s: %w", name, err)
			}
		}
		items = append(items, v)
	}
	if len(items) == 0 {
		return true, fmt.Errorf("%s= needs a value (a comma-separated list), or no = to cover everything", name)
	}
	if allow {
		r.Allow = append(r.Allow, items...)
	} else {
		r.Deny = append(r.Deny, items...)
	}
	return true, nil
}

// Active reports whether any flag was given: without one, no check is
// needed at all.
func (f *Flags) Active() bool {
	if f.Permission {
		return true
	}
	for _, r := range []Rule{f.Read, f.Write, f.Net, f.Env, f.Run} {
		if r.given() || r.DenyAll || len(r.Deny) > 0 {
			return true
		}
	}
	return false
}

// PermissionMode reports whether an --allow-* flag (or --permission) was
// given.
func (f *Flags) PermissionMode() bool {
	return f.Permission || f.Read.given() || f.Write.given() || f.Net.given() || f.Env.given() || f.Run.given()
}

// DeniedError is a use refused by the process-wide flags.
type DeniedError struct {
	Kind   string // read, write, net, env, run
	Target string // the path, host:port, variable or program
	Flag   string // the flag that would allow it
	Denied bool   // true when a --deny-* flag refused it
}

func (e *DeniedError) Error() string {
	if e.Denied {
		return fmt.Sprintf("%s access to %s is denied by --deny-%s", e.Kind, e.Target, e.Kind)
	}
	return fmt.Sprintf("%s access to %s is not allowed: gnode runs in permission mode (an --allow-* flag was given); allow it with %s", e.Kind, e.Target, e.Flag)
}

// check applies rule r of kind to target with match deciding whether a
// list entry covers it.
func (f *Flags) check(kind string, r Rule, target, suggest string, match func(entry string) bool) error {
	matches := func(list []string) bool {
		for _, e := range list {
			if match(e) {
				return true
			}
		}
		return false
	}
	if r.DenyAll || matches(r.Deny) {
		return &DeniedError{Kind: kind, Target: target, Denied: true}
	}
	if f.PermissionMode() && !r.AllowAll && !matches(r.Allow) {
		return &DeniedError{Kind: kind, Target: target, Flag: suggest}
	}
	return nil
}

// CheckRead reports whether the file at the absolute path may be read.
func (f *Flags) CheckRead(path string) error { return f.checkPath("read", f.Read, path) }

// CheckWrite reports whether the file at the absolute path may be written
// (created, changed, removed).
func (f *Flags) CheckWrite(path string) error { return f.checkPath("write", f.Write, path) }

// checkPath checks the path as written and, when it exists (or its
// folder does), as symbolic links resolve it, so a link inside an allowed
// folder cannot reach a file outside it, nor one past a denied folder.
func (f *Flags) checkPath(kind string, r Rule, path string) error {
	path = filepath.Clean(path)
	suggest := "--allow-" + kind + "=" + path
	under := func(p string) func(string) bool {
		return func(e string) bool { return within(p, e) }
	}
	if err := f.check(kind, r, path, suggest, under(path)); err != nil {
		return err
	}
	if real := resolve(path); real != path {
		return f.check(kind, r, path, suggest, under(real))
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	if dir == "/" {
		return true
	}
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// resolve returns path with symbolic links resolved, as far as it exists.
func resolve(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	dir, base := filepath.Split(path)
	if dir == "" || filepath.Clean(dir) == path {
		return path
	}
	if real, err := filepath.EvalSymlinks(filepath.Clean(dir)); err == nil {
		return filepath.Join(real, base)
	}
	return path
}

// CheckNet reports whether a connection to, or a listener on, address
// ("host:port", "host" or ":port") is allowed. Entries are a host (any
// port) or host:port; localhost, 127.0.0.1 and ::1 stand for each other,
// and so do 0.0.0.0, :: and an empty host (every interface).
func (f *Flags) CheckNet(address string) error {
	target, err := parseHostPort(address)
	if err != nil {
		target = hostPort{host: strings.ToLower(address)}
	}
	suggest := target
	if canonHost(suggest.host) == "*" {
		suggest.host = "0.0.0.0"
	}
	if suggest.port == "0" {
		// An ephemeral port cannot be named ahead: suggest the host.
		suggest.port = ""
	}
	return f.check("net", f.Net, address, "--allow-net="+suggest.String(), func(e string) bool {
		want, err := parseHostPort(e)
		if err != nil {
			return false
		}
		if want.port != "" && want.port != target.port {
			return false
		}
		return sameHost(want.host, target.host)
	})
}

// CheckHost reports whether the host name may be resolved (DNS): any
// --allow-net entry for the host allows it, whatever its port.
func (f *Flags) CheckHost(host string) error {
	host = strings.ToLower(strings.Trim(host, "[]"))
	return f.check("net", f.Net, host, "--allow-net="+host, func(e string) bool {
		want, err := parseHostPort(e)
		return err == nil && sameHost(want.host, host)
	})
}

// CheckEnv reports whether the environment variable name may be read.
func (f *Flags) CheckEnv(name string) error {
	return f.check("env", f.Env, name, "--allow-env="+name, func(e string) bool { return e == name })
}

// FilterEnv keeps the NAME=value entries of env that CheckEnv allows.
func (f *Flags) FilterEnv(env []string) []string {
	if !f.Active() {
		return env
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if f.CheckEnv(name) == nil {
			out = append(out, kv)
		}
	}
	return out
}

// CheckRun reports whether program (a name looked up on PATH or a path)
// may be started. Entries match by the name as given or by base name.
func (f *Flags) CheckRun(program string) error {
	return f.check("run", f.Run, program, "--allow-run="+filepath.Base(program), func(e string) bool {
		return e == program || e == filepath.Base(program) || filepath.Base(e) == program
	})
}

type hostPort struct{ host, port string }

func (h hostPort) String() string {
	if h.port == "" {
		return h.host
	}
	return net.JoinHostPort(h.host, h.port)
}

// parseHostPort reads "host", "host:port", "[v6]:port", "v6" or ":port".
func parseHostPort(s string) (hostPort, error) {
	if s == "" {
		return hostPort{}, fmt.Errorf("empty host")
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if port != "" && strings.Trim(port, "0123456789") != "" {
			return hostPort{}, fmt.Errorf("invalid port in %q", s)
		}
		return hostPort{strings.ToLower(host), port}, nil
	}
	if strings.ContainsAny(s, "/ ") {
		return hostPort{}, fmt.Errorf("invalid host %q: want host or host:port", s)
	}
	return hostPort{strings.ToLower(strings.Trim(s, "[]")), ""}, nil
}

func sameHost(a, b string) bool {
	return canonHost(a) == canonHost(b)
}

func canonHost(h string) string {
	switch h {
	case "localhost", "127.0.0.1", "::1":
		return "localhost"
	case "", "0.0.0.0", "::":
		return "*"
	}
	return strings.TrimSuffix(h, ".")
}
