package apps

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// knownFailures are the apps that do not work under gnode yet, with what is
// missing. Each is skipped with its reason (set GNODE_APPS_KNOWN_FAILURES=run
// to run them anyway); docs/COMPATIBILITY.md lists the same.
var knownFailures = map[string]string{}

// deps is the shared project every app runs from: installed once with gnode.
const deps = `{
  "name": "gnode-real-apps",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "express": "^4.21.0",
    "express5": "npm:express@^5.1.0",
    "cookie-parser": "^1.4.7",
    "morgan": "^1.10.0",
    "koa": "^2.15.0",
    "@koa/router": "^13.1.0",
    "koa-bodyparser": "^4.4.1",
    "fastify": "^5.0.0",
    "ws": "^8.18.0",
    "socket.io": "^4.8.0",
    "socket.io-client": "^4.8.0",
    "axios": "^1.7.0",
    "node-fetch": "^2.7.0",
    "pg": "^8.13.0"
  }
}
`

// env is what the suite found once: the binaries and the installed project,
// or why it cannot run.
var env struct {
	once     sync.Once
	skip     string // non-empty: every test skips with this
	fail     string // non-empty: every test fails with this
	gnode    string
	node     string
	project  string
	cleanups []func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range env.cleanups {
		f()
	}
	os.Exit(code)
}

// setup builds (or finds) gnode, checks node and the registry, and installs
// the shared project with gnode. It runs once for the whole suite.
func setup(t *testing.T) {
	t.Helper()
	env.once.Do(func() {
		node, err := exec.LookPath("node")
		if err != nil {
			env.skip = "node is not installed: the apps are compared with node"
			return
		}
		env.node = node
		npm, err := exec.LookPath("npm")
		if err != nil {
			env.skip = "npm is not installed: the registry is read from `npm config get registry`"
			return
		}
		out, err := exec.Command(npm, "config", "get", "registry").Output()
		if err != nil {
			env.skip = fmt.Sprintf("npm config get registry failed: %v", err)
			return
		}
		registry := strings.TrimSuffix(strings.TrimSpace(string(out)), "/")
		res, err := (&http.Client{Timeout: 10 * time.Second}).Get(registry + "/express")
		if err != nil {
			env.skip = fmt.Sprintf("registry %s unreachable: %v", registry, err)
			return
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			env.skip = fmt.Sprintf("registry %s answered %s for express", registry, res.Status)
			return
		}
		tmp, err := os.MkdirTemp("", "gnode-apps-")
		if err != nil {
			env.fail = err.Error()
			return
		}
		env.cleanups = append(env.cleanups, func() { os.RemoveAll(tmp) })
		env.gnode = os.Getenv("GNODE_BIN")
		if env.gnode == "" {
			env.gnode = filepath.Join(tmp, "gnode")
			b := exec.Command("go", "build", "-o", env.gnode, "gnode/cmd/gnode")
			if out, err := b.CombinedOutput(); err != nil {
				env.fail = fmt.Sprintf("building gnode: %v\n%s", err, out)
				return
			}
		}
		env.project = filepath.Join(tmp, "project")
		if err := os.CopyFS(env.project, os.DirFS("testdata")); err != nil {
			env.fail = fmt.Sprintf("copying testdata: %v", err)
			return
		}
		if err := os.WriteFile(filepath.Join(env.project, "package.json"), []byte(deps), 0o644); err != nil {
			env.fail = err.Error()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		inst := exec.CommandContext(ctx, env.gnode, "install", "--registry", registry)
		inst.Dir = env.project
		if out, err := inst.CombinedOutput(); err != nil {
			env.fail = fmt.Sprintf("gnode install of the apps' dependencies failed: %v\n%s", err, out)
		}
	})
	if env.skip != "" {
		t.Skip(env.skip)
	}
	if env.fail != "" {
		t.Fatal(env.fail)
	}
}

// knownFailure skips an app listed in knownFailures.
func knownFailure(t *testing.T, app string) {
	t.Helper()
	if why, ok := knownFailures[app]; ok && os.Getenv("GNODE_APPS_KNOWN_FAILURES") != "run" {
		t.Skipf("known failure under gnode: %s", why)
	}
}

// runtimes are the two programs every app runs under; node is the reference.
func runtimes() []string { return []string{"node", "gnode"} }

func bin(rt string) string {
	if rt == "gnode" {
		return env.gnode
	}
	return env.node
}

// proc is an app process: its port and everything it printed after it.
type proc struct {
	cmd  *exec.Cmd
	port int
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

// start runs script under rt in the project folder and waits for the
// "PORT n" line it prints once listening.
func start(t *testing.T, rt, script string, extraEnv ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin(rt), script)
	cmd.Dir = env.project
	cmd.Env = append(os.Environ(), extraEnv...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s %s: %v", rt, script, err)
	}
	portc := make(chan int, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "PORT "); ok && p.port == 0 {
				port, _ := strconv.Atoi(n)
				p.port = port
				portc <- port
				continue
			}
			p.mu.Lock()
			p.out.WriteString(line + "\n")
			p.mu.Unlock()
		}
	}()
	select {
	case <-portc:
	case <-p.done:
		cmd.Wait()
		t.Fatalf("%s %s exited before listening:\n%s%s", rt, script, p.output(), stderr.String())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s %s printed no port within 30s:\n%s%s", rt, script, p.output(), stderr.String())
	}
	t.Cleanup(func() { p.stop() })
	return p
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitLines waits (up to 5s) until the app has printed n lines after its
// port: loggers write after the response is sent.
func (p *proc) waitLines(n int) string {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s := p.output(); strings.Count(s, "\n") >= n {
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p.output()
}

func (p *proc) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// runClient runs a client script to completion under rt and returns its
// stdout (stderr is appended when it fails).
func runClient(t *testing.T, rt, script string, args []string, extraEnv ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin(rt), append([]string{script}, args...)...)
	cmd.Dir = env.project
	cmd.Env = append(os.Environ(), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String() + fmt.Sprintf("[%s exited: %v]\n%s", rt, err, stderr.String())
	}
	return stdout.String()
}

// request is one HTTP exchange the suite sends to a server app.
type request struct {
	method, path string
	headers      map[string]string
	body         string
}

// comparedHeaders are the response headers compared between runtimes;
// Date and connection management differ by nature.
var comparedHeaders = []string{"Content-Type", "Content-Length", "Location", "Set-Cookie",
	"Etag", "Last-Modified", "Cache-Control", "X-Powered-By", "Vary", "Allow", "Accept-Ranges",
	"X-Seen", "X-Hook", "Content-Encoding"}

// exchange sends reqs in order over one keep-alive client and renders each
// response as text: status, compared headers, transfer encoding, body.
func exchange(t *testing.T, port int, reqs []request) []string {
	t.Helper()
	client := &http.Client{
		Timeout:       20 * time.Second,
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	var out []string
	for _, rq := range reqs {
		var body io.Reader
		if rq.body != "" {
			body = strings.NewReader(rq.body)
		}
		req, err := http.NewRequest(rq.method, fmt.Sprintf("http://127.0.0.1:%d%s", port, rq.path), body)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range rq.headers {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			out = append(out, fmt.Sprintf("%s %s -> error %v", rq.method, rq.path, err))
			continue
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s %s -> %d\n", rq.method, rq.path, res.StatusCode)
		for _, h := range comparedHeaders {
			for _, v := range res.Header.Values(h) {
				fmt.Fprintf(&sb, "%s: %s\n", h, v)
			}
		}
		if len(res.TransferEncoding) > 0 {
			fmt.Fprintf(&sb, "Transfer-Encoding: %s\n", strings.Join(res.TransferEncoding, ","))
		}
		if err != nil {
			fmt.Fprintf(&sb, "body error: %v\n", err)
		}
		sb.WriteString("\n" + string(b))
		out = append(out, sb.String())
	}
	return out
}

// compareServer runs a server app under node and gnode, sends both the same
// requests and reports every response that differs. It returns each
// runtime's output after the port line (logs), taken once the app has
// printed logLines lines.
func compareServer(t *testing.T, script string, reqs []request, logLines int, extraEnv ...string) map[string]string {
	t.Helper()
	got := map[string][]string{}
	logs := map[string]string{}
	for _, rt := range runtimes() {
		p := start(t, rt, script, extraEnv...)
		got[rt] = exchange(t, p.port, reqs)
		logs[rt] = p.waitLines(logLines)
		p.stop()
	}
	for i := range reqs {
		if got["node"][i] != got["gnode"][i] {
			t.Errorf("response %d differs\n--- node:\n%s\n--- gnode:\n%s", i, got["node"][i], got["gnode"][i])
		}
	}
	return logs
}

// diffLines reports a difference between node's and gnode's text outputs.
func diffText(t *testing.T, what, node, gnode string) {
	t.Helper()
	if node != gnode {
		t.Errorf("%s differs\n--- node:\n%s\n--- gnode:\n%s", what, node, gnode)
	}
}
