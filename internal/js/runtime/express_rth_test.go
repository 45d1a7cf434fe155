package runtime

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const expressApp = `
const express = require('express');
const app = express();
app.use(express.json());
app.get('/', (req, res) => res.send('home'));
app.get('/users/:id', (req, res) => res.json({ id: req.params.id, q: req.query }));
app.post('/echo', (req, res) => res.status(201).json({ got: req.body, type: req.get('content-type') }));
app.get('/redirect', (req, res) => res.redirect('/users/7'));
app.get('/boom', () => { throw new Error('boom'); });
app.use((req, res) => res.status(404).json({ error: 'not found', path: req.path }));
app.use((err, req, res, next) => res.status(err.status || 500).json(err.type ? { type: err.type } : { error: err.message }));
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
`

// TestExpressAgainstNode installs express@4 and ws@8 from the configured registry
// (npm config get registry; skipped when npm, node or the registry are
// unavailable), compares an express app's responses under gnode and node,
// then a ws WebSocket echo round trip (server and client) under both.
func TestExpressAgainstNode(t *testing.T) {
	npm, err1 := exec.LookPath("npm")
	node, err2 := exec.LookPath("node")
	if err1 != nil || err2 != nil {
		t.Skip("npm and node are needed to install express and compare")
	}
	reg, err := exec.Command(npm, "config", "get", "registry").Output()
	if err != nil {
		t.Skip("npm config get registry failed")
	}
	registry := strings.TrimSpace(string(reg))
	if res, err := (&http.Client{Timeout: 5 * time.Second}).Get(strings.TrimSuffix(registry, "/") + "/express"); err != nil {
		t.Skipf("registry %s unreachable: %v", registry, err)
	} else {
		res.Body.Close()
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(expressApp), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	inst := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "express@4", "ws@8")
	inst.Dir = dir
	if out, err := inst.CombinedOutput(); err != nil {
		t.Skipf("npm install express@4 failed: %v\n%s", err, out)
	}

	type probe struct{ method, path, ctype, body string }
	probes := []probe{
		{"GET", "/", "", ""},
		{"GET", "/users/42?x=1&y=2", "", ""},
		{"GET", "/redirect", "", ""},
		{"GET", "/boom", "", ""},
		{"GET", "/nope", "", ""},
		{"POST", "/echo", "application/json", `{"a":[1,2],"b":"x"}`},
		{"POST", "/echo", "application/json", `{bad`},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	collect := func(port string) []string {
		var out []string
		for _, p := range probes {
			req, _ := http.NewRequest(p.method, "http://127.0.0.1:"+port+p.path, strings.NewReader(p.body))
			if p.ctype != "" {
				req.Header.Set("Content-Type", p.ctype)
			}
			res, err := client.Do(req)
			if err != nil {
				out = append(out, "error "+err.Error())
				continue
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			body := string(b)
			if res.StatusCode == 500 || (res.StatusCode == 400 && strings.Contains(body, "JSON")) {
				// Error messages come from the engine's JSON.parse and
				// stacks; compare their presence only.
				body = fmt.Sprintf("<%d bytes>", len(b))
			}
			out = append(out, fmt.Sprintf("%s %s -> %d %s %s %q", p.method, p.path, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("Location"), body))
		}
		return out
	}

	// node
	cmd := exec.Command(node, "app.js")
	cmd.Dir = dir
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	port, _ := bufio.NewReader(stdout).ReadString('\n')
	want := collect(strings.TrimSpace(port))
	cmd.Process.Kill()
	cmd.Wait()

	// gnode (in process); the app keeps running, so the program is ended
	// by a request handled in a wrapper.
	os.WriteFile(filepath.Join(dir, "main.js"), []byte(`
const http = require('http');
const orig = http.Server.prototype.listen;
http.Server.prototype.listen = function (...a) {
  this.prependListener('request', (req) => { if (req.url === '/__stop') { this.closeAllConnections(); this.close(); } });
  return orig.apply(this, a);
};
require('./app.js');
`), 0o644)
	first, wait := startProgramIn(t, dir, "main.js")
	got := collect(first)
	client.Get("http://127.0.0.1:" + first + "/__stop")
	wait()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("\ngnode %s\nnode  %s", got[i], want[i])
		}
	}

	os.WriteFile(filepath.Join(dir, "ws.js"), []byte(wsApp), 0o644)
	nout, err := exec.Command(node, filepath.Join(dir, "ws.js")).Output()
	if err != nil {
		t.Fatalf("node ws.js: %v", err)
	}
	wsFirst, wsWait := startProgramIn(t, dir, "ws.js")
	gout, code := wsWait()
	if g := wsFirst + "\n" + gout; g != string(nout) || code != 0 {
		t.Errorf("ws under gnode (exit %d):\n%s\nnode:\n%s", code, g, nout)
	}
}

const wsApp = `
const { WebSocketServer, WebSocket } = require('ws');
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => {
  const ws = new WebSocket('ws://127.0.0.1:' + wss.address().port + '/path');
  ws.on('open', () => { ws.send('hello'); ws.send(Buffer.from([1, 2, 3])); });
  let n = 0;
  ws.on('message', (data, isBinary) => {
    console.log('client got', isBinary ? [...data] : data.toString());
    if (++n === 2) ws.close(1000, 'done');
  });
  ws.on('close', (code, reason) => { console.log('client close', code, reason.toString()); wss.close(() => console.log('server closed')); });
});
wss.on('connection', (sock, req) => {
  console.log('server connection', req.url);
  sock.on('message', (d, isBinary) => sock.send(isBinary ? d : 'echo:' + d, { binary: isBinary }));
});
`
