package cli

import (
	"bufio"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// signalOutcome runs prog (a JavaScript program printing "ready" once its
// handlers are set) under runtime with the named signal ignored by the
// parent when ignored is set, sends the signal and reports how the process
// ended: "signal SIGX", "exit N", or what it printed after "ready".
func signalOutcome(t *testing.T, runtime, prog string, sig syscall.Signal, ignored bool) string {
	t.Helper()
	trap := ""
	if ignored {
		trap = fmt.Sprintf("trap '' %d; ", int(sig))
	}
	cmd := exec.Command("sh", "-c", trap+`exec "$0" -e "$1"`, runtime, prog)
	cmd.Env = append(cmd.Environ(), "GNODE_CACHE_DIR=off")
	cmd.Dir = t.TempDir() // SIGQUIT may leave a core file
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(out)
	ready := make(chan string, 1)
	go func() {
		l, _ := br.ReadString('\n')
		ready <- l
	}()
	select {
	case l := <-ready:
		if strings.TrimSpace(l) != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s printed %q, want ready", runtime, l)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s did not start in 20s", runtime)
	}
	cmd.Process.Signal(sig)
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		bufio.NewReader(br).WriteTo(&b)
		rest <- b.String()
	}()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
		return "still running 5s after the signal"
	}
	printed := strings.TrimSpace(<-rest)
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	res := fmt.Sprintf("exit %d", ws.ExitStatus())
	if ws.Signaled() {
		res = "signal " + ws.Signal().String()
	}
	if printed != "" {
		res += " after " + printed
	}
	return res
}

// TestSignalsEndLikeNode: a signal nothing listens to ends gnode as it
// ends node — by that signal, also when the parent ignored SIGINT or
// SIGHUP (node resets dispositions at start; Go kept them ignored), and
// for SIGQUIT without Go's goroutine dump; a listener keeps the process
// in charge.
func TestSignalsEndLikeNode(t *testing.T) {
	bin := gnodeBinary(t)
	node, _ := exec.LookPath("node")
	idle := `console.log('ready'); setInterval(() => {}, 1000);`
	handled := `process.on('SIGUSR2', () => { console.log('got SIGUSR2'); process.exit(7); }); ` + idle
	cases := []struct {
		name    string
		prog    string
		sig     syscall.Signal
		ignored bool
		want    string // without node on the machine
	}{
		{"SIGINT", idle, syscall.SIGINT, false, "signal interrupt"},
		{"SIGINT ignored by the parent", idle, syscall.SIGINT, true, "signal interrupt"},
		{"SIGHUP ignored by the parent", idle, syscall.SIGHUP, true, "signal hangup"},
		{"SIGTERM", idle, syscall.SIGTERM, false, "signal terminated"},
		{"SIGQUIT", idle, syscall.SIGQUIT, false, "signal quit"},
		{"SIGUSR2", idle, syscall.SIGUSR2, false, "signal user defined signal 2"},
		{"SIGALRM", idle, syscall.SIGALRM, false, "signal alarm clock"},
		{"SIGUSR2 with a listener", handled, syscall.SIGUSR2, false, "exit 7 after got SIGUSR2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if node != "" {
				want = signalOutcome(t, node, c.prog, c.sig, c.ignored)
				if want != c.want {
					t.Logf("node: %s (table: %s)", want, c.want)
				}
			}
			if got := signalOutcome(t, bin, c.prog, c.sig, c.ignored); got != want {
				t.Errorf("gnode: %s, want %s (node's)", got, want)
			}
		})
	}
}

// epipeOutcome runs prog under runtime with stdout a pipe the test closes
// after the first line, and reports the exit and stderr's last line.
func epipeOutcome(t *testing.T, runtime, prog string) string {
	t.Helper()
	cmd := exec.Command(runtime, "-e", prog)
	cmd.Env = append(cmd.Environ(), "GNODE_CACHE_DIR=off")
	cmd.Dir = t.TempDir()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	bufio.NewReader(out).ReadString('\n')
	out.Close()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		return "still running 20s after stdout closed"
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	res := fmt.Sprintf("exit %d", ws.ExitStatus())
	if ws.Signaled() {
		res = "signal " + ws.Signal().String()
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last := lines[len(lines)-1]
	if strings.HasPrefix(last, "Node.js ") {
		last = "an uncaught error" // the banner names the version: compare the shape only
	}
	return res + ": " + last
}

// TestStdoutEPIPELikeNode: writing to a stdout whose reader went away is
// an EPIPE 'error' on process.stdout, as in node (which ignores SIGPIPE):
// handled, the program goes on; unhandled, it ends with exit status 1.
// gnode used to die by SIGPIPE either way.
func TestStdoutEPIPELikeNode(t *testing.T) {
	bin := gnodeBinary(t)
	node, _ := exec.LookPath("node")
	writer := `let i = 0; const t = setInterval(() => { console.log('x'); if (++i > 200) { clearInterval(t); console.error('done'); } }, 1);`
	cases := []struct{ name, prog, want string }{
		{"handled", `process.stdout.on('error', (e) => { console.error('handled', e.code, e.errno, e.syscall, e.message); process.exit(3); }); ` + writer, "exit 3: handled EPIPE -32 write write EPIPE"},
		{"unhandled", writer, "exit 1: an uncaught error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if node != "" {
				want = epipeOutcome(t, node, c.prog)
			}
			if got := epipeOutcome(t, bin, c.prog); got != want {
				t.Errorf("gnode: %s, want %s", got, want)
			}
		})
	}
}
