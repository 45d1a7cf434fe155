package registry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"gnode/internal/registry"
)

// openPTY opens a pseudo-terminal pair: npm reads its login prompts'
// answers with readline, which behaves as a user expects only on a TTY.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pseudo-terminal: %v", err)
	}
	return m, s
}

// ptyTranscript collects what the program writes to the terminal.
type ptyTranscript struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptyTranscript) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// runNPMInteractive runs npm on a terminal and types each answer once the
// output (since the previous answer) matches its prompt. It returns the
// transcript and npm's exit error.
func runNPMInteractive(t *testing.T, env []string, dir string, answers [][2]string, args ...string) (string, error) {
	t.Helper()
	return runInteractive(t, "npm", env, dir, answers, args...)
}

// runInteractive is runNPMInteractive for any program.
func runInteractive(t *testing.T, prog string, env []string, dir string, answers [][2]string, args ...string) (string, error) {
	t.Helper()
	master, slave := openPTY(t)
	defer master.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		slave.Close()
		t.Fatalf("start npm: %v", err)
	}
	slave.Close()
	var tr ptyTranscript
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			tr.mu.Lock()
			tr.buf.Write(b[:n])
			tr.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	from := 0
	for _, a := range answers {
		re := regexp.MustCompile(a[0])
		for {
			out := tr.String()
			if loc := re.FindStringIndex(out[from:]); loc != nil {
				from += loc[1]
				break
			}
			select {
			case <-ctx.Done():
				cmd.Process.Kill()
				cmd.Wait()
				return tr.String(), fmt.Errorf("no prompt matching %q: %w", a[0], ctx.Err())
			case <-done:
				err := cmd.Wait()
				return tr.String(), errors.Join(fmt.Errorf("%s ended before the prompt %q", prog, a[0]), err)
			case <-time.After(20 * time.Millisecond):
			}
		}
		// readline puts the terminal in raw mode: Enter is a carriage return.
		if _, err := master.Write([]byte(a[1] + "\r")); err != nil {
			t.Fatalf("type answer: %v", err)
		}
	}
	err := cmd.Wait()
	// The reader ends with EIO once the last process on the terminal exits.
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return tr.String(), err
}

var loginPrompts = func(user, password, email string) [][2]string {
	a := [][2]string{{`Username:`, user}, {`Password:`, password}}
	if email != "" {
		a = append(a, [2]string{`Email`, email})
	}
	return a
}

// TestRealNPMAdduserAndLogin drives the real npm's interactive adduser and
// login on a terminal against a registry started with --signup: the token
// lands in the user's .npmrc and npm whoami answers; a wrong password is
// refused with npm's E401; without --signup, adduser of a new name is
// refused with the administrator's command in the message.
func TestRealNPMAdduserAndLogin(t *testing.T) {
	haveTool(t, "npm")
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	r := startRegistry(t, registry.Config{Signup: true})
	home := t.TempDir()
	userrc := filepath.Join(home, ".npmrc")
	os.WriteFile(userrc, []byte("registry="+r.URL+"\nupdate-notifier=false\naudit=false\nfund=false\n"), 0o600)
	env := append(os.Environ(), "HOME="+home, "npm_config_userconfig="+userrc, "npm_config_cache="+filepath.Join(home, "cache"), "NO_COLOR=1", "TERM=dumb")
	work := t.TempDir()
	host := strings.TrimPrefix(r.URL, "http:")
	tokenLine := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(host) + `:_authToken=(\S+)$`)

	// npm adduser tries web login first; gnode answers 404 there and npm
	// falls back to the couch flow with its three prompts.
	out, err := runNPMInteractive(t, env, work, loginPrompts("carol", "carol-secret-1", "carol@example.com"), "adduser")
	if err != nil || !strings.Contains(out, "Logged in on "+r.URL) {
		t.Fatalf("npm adduser: %v\n%s", err, out)
	}
	rc, _ := os.ReadFile(userrc)
	m := tokenLine.FindSubmatch(rc)
	if m == nil {
		t.Fatalf("no token for %s in the user's .npmrc:\n%s", host, rc)
	}
	first := string(m[1])
	whoami := func() (string, error) {
		cmd := exec.Command("npm", "whoami")
		cmd.Dir, cmd.Env = work, env
		b, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(b)), err
	}
	if who, err := whoami(); err != nil || who != "carol" {
		t.Errorf("npm whoami after adduser: %q %v", who, err)
	}
	if st, _ := r.do("GET", "-/whoami", first, "", nil); st != 200 {
		t.Errorf("token written by npm adduser is refused by the registry: %d", st)
	}

	// npm login with a wrong password: refused, and no new token written.
	out, err = runNPMInteractive(t, env, work, loginPrompts("carol", "not-the-password", ""), "login", "--auth-type=legacy")
	if err == nil || !strings.Contains(out, "E401") {
		t.Errorf("npm login with a wrong password: %v\n%s", err, out)
	}
	rc, _ = os.ReadFile(userrc)
	if m := tokenLine.FindSubmatch(rc); m == nil || string(m[1]) != first {
		t.Errorf("a failed login changed the user's .npmrc:\n%s", rc)
	}

	// npm login with the right password issues a new token.
	out, err = runNPMInteractive(t, env, work, loginPrompts("carol", "carol-secret-1", ""), "login")
	if err != nil || !strings.Contains(out, "Logged in on "+r.URL) {
		t.Fatalf("npm login: %v\n%s", err, out)
	}
	rc, _ = os.ReadFile(userrc)
	if m := tokenLine.FindSubmatch(rc); m == nil || string(m[1]) == first {
		t.Errorf("npm login did not store a new token:\n%s", rc)
	}
	if who, err := whoami(); err != nil || who != "carol" {
		t.Errorf("npm whoami after login: %q %v", who, err)
	}

	// npm logout revokes the token on the registry.
	rc, _ = os.ReadFile(userrc)
	last := string(tokenLine.FindSubmatch(rc)[1])
	cmd := exec.Command("npm", "logout")
	cmd.Dir, cmd.Env = work, env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("npm logout: %v\n%s", err, b)
	}
	if st, _ := r.do("GET", "-/whoami", last, "", nil); st != 401 {
		t.Errorf("token still accepted after npm logout: %d", st)
	}
	if who, err := whoami(); err == nil {
		t.Errorf("npm whoami after logout: %q", who)
	}

	// Without --signup a new name cannot be registered.
	closed := startRegistry(t, registry.Config{})
	home2 := t.TempDir()
	rc2 := filepath.Join(home2, ".npmrc")
	os.WriteFile(rc2, []byte("registry="+closed.URL+"\nupdate-notifier=false\n"), 0o600)
	env2 := append(os.Environ(), "HOME="+home2, "npm_config_userconfig="+rc2, "npm_config_cache="+filepath.Join(home2, "cache"), "NO_COLOR=1", "TERM=dumb")
	out, err = runNPMInteractive(t, env2, work, loginPrompts("dave", "dave-secret-1", "dave@example.com"), "adduser")
	if err == nil || !strings.Contains(out, "E403") || !strings.Contains(out, "gnode registry user add dave") {
		t.Errorf("npm adduser without --signup: %v\n%s", err, out)
	}
}
