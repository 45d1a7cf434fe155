// Package jail runs a dependency's install script confined: a scrubbed
// environment (no tokens, no cloud credentials), a temporary HOME, and,
// where the kernel offers Landlock, writes confined to the package's own
// folder and a temp folder, and no TCP connections or listening sockets.
//
// Landlock restricts the calling thread and its descendants, so the
// restriction is applied in a fresh gnode process (`gnode __jail SPEC`)
// that then executes the script's shell: the installer itself is never
// restricted.
package jail

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"

	"github.com/landlock-lsm/go-landlock/landlock"
)

// Subcommand is the hidden CLI word that enters the jail.
const Subcommand = "__jail"

// Spec describes one confined script run.
type Spec struct {
	Script   string   // run with /bin/sh -c
	Dir      string   // working directory, writable (the package's folder)
	Writable []string // further writable folders (the temp HOME, TMPDIR)
	Env      []string // the complete environment of the script
	AllowNet bool     // let the script open network connections
}

// Command returns the command that runs spec confined. self is the path of
// the gnode executable (os.Executable()).
func Command(ctx context.Context, self string, spec Spec) (*exec.Cmd, error) {
	b, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, Subcommand, base64.RawURLEncoding.EncodeToString(b))
	cmd.Dir = spec.Dir
	cmd.Env = spec.Env
	return cmd, nil
}

// Enter is the body of `gnode __jail SPEC`: it confines this process and
// replaces it with the script's shell. It returns only on failure. warn
// receives a message when the kernel cannot confine (the script still runs,
// with the scrubbed environment).
func Enter(arg string, warn func(string)) error {
	raw, err := base64.RawURLEncoding.DecodeString(arg)
	if err != nil {
		return fmt.Errorf("jail: bad spec: %w", err)
	}
	var spec Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("jail: bad spec: %w", err)
	}
	rw := append([]string{spec.Dir}, spec.Writable...)
	rules := []landlock.Rule{
		landlock.RODirs("/").IgnoreIfMissing(),
		landlock.RWDirs(rw...).IgnoreIfMissing(),
		landlock.RWFiles("/dev/null", "/dev/tty", "/dev/zero", "/dev/urandom").IgnoreIfMissing(),
	}
	cfg := landlock.V5.BestEffort()
	if err := cfg.RestrictPaths(rules...); err != nil {
		warn("Landlock is not available (" + err.Error() + "): the install script runs without file-system confinement")
	}
	if !spec.AllowNet {
		// No rules: every TCP bind and connect is denied (Landlock ABI 4+).
		if err := landlock.V5.BestEffort().RestrictNet(); err != nil {
			warn("Landlock network rules are not available (" + err.Error() + "): the install script may open connections")
		}
	}
	if abi, _ := landlockABI(); abi < 4 && warn != nil {
		warn(fmt.Sprintf("this kernel's Landlock (ABI %d) cannot confine network access of install scripts", abi))
	}
	if err := os.Chdir(spec.Dir); err != nil {
		return fmt.Errorf("jail: %w", err)
	}
	return syscall.Exec("/bin/sh", []string{"sh", "-c", spec.Script}, spec.Env)
}

// landlockABI reports the kernel's Landlock ABI version (0: none).
func landlockABI() (int, error) {
	const sysLandlockCreateRuleset = 444
	const versionFlag = 1
	v, _, errno := syscall.Syscall(sysLandlockCreateRuleset, 0, 0, versionFlag)
	if errno != 0 {
		return 0, errno
	}
	return int(v), nil
}

// keptEnv are the variables a script may see from the user's environment.
var keptEnv = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"PATH": true, "LANG": true, "LC_ALL": true, "LC_CTYPE": true, "LC_MESSAGES": true, "TERM": true, "TZ": true,
		"SHELL": true, "USER": true, "LOGNAME": true, "CI": true, "NODE_ENV": true, "COLUMNS": true, "LINES": true,
	}
})

// secretWords mark a variable as a credential even under a kept prefix.
var secretWords = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "AUTH", "CREDENTIAL", "PRIVATE", "_KEY", "KEY_", "SESSION", "COOKIE"}

// ScrubEnv builds a script's environment from the user's: only harmless
// variables and npm's lifecycle variables survive, never anything that
// looks like a credential; HOME and TMPDIR point at home.
func ScrubEnv(env []string, home string) []string {
	out := []string{"HOME=" + home, "TMPDIR=" + home, "TMP=" + home, "TEMP=" + home}
	for _, kv := range env {
		k, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		uk := strings.ToUpper(k)
		keep := keptEnv()[k] || strings.HasPrefix(k, "npm_package_") || strings.HasPrefix(k, "npm_lifecycle_") ||
			strings.HasPrefix(k, "npm_config_") || k == "npm_node_execpath" || k == "npm_execpath" || k == "INIT_CWD"
		if !keep {
			continue
		}
		for _, w := range secretWords {
			if strings.Contains(uk, w) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
