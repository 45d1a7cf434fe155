package runtime

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// startProgram runs a JS program in this process on its own goroutine and
// returns the first line it prints (the program prints its port first),
// a function that waits for the end of the run, and the rest of stdout.
func startProgram(t *testing.T, src string) (first string, wait func() (string, int)) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.js"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return startProgramIn(t, dir, "main.js")
}

// startProgramIn is startProgram for a file already in dir.
func startProgramIn(t *testing.T, dir, main string) (first string, wait func() (string, int)) {
	t.Helper()
	p := filepath.Join(dir, main)
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := Run(Options{Script: p, Cwd: dir, Stdout: pw, Stderr: &errb, Env: os.Environ()})
		pw.Close()
		done <- code
	}()
	br := bufio.NewReader(pr)
	lineCh := make(chan string, 1)
	go func() {
		l, _ := br.ReadString('\n')
		lineCh <- strings.TrimSpace(l)
	}()
	select {
	case first = <-lineCh:
	case <-time.After(20 * time.Second):
		t.Fatal("program printed nothing in 20s")
	}
	var rest bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { io.Copy(&rest, br); wg.Done() }()
	return first, func() (string, int) {
		select {
		case code := <-done:
			wg.Wait()
			if errb.Len() > 0 {
				t.Logf("stderr: %s", errb.String())
			}
			return rest.String(), code
		case <-time.After(20 * time.Second):
			t.Fatal("program did not end in 20s")
		}
		return "", -1
	}
}

const serverJS = `
const http = require('http');
let n = 0;
const server = http.createServer((req, res) => {
  n++;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/stop') { res.end('bye'); server.close(); return; }
    if (req.url === '/stream') {
      res.setHeader('content-type', 'text/plain');
      let i = 0;
      const tick = () => { if (i === 3) return res.end('end'); res.write('part' + i++ + ';'); setTimeout(tick, 2); };
      return tick();
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ n, method: req.method, url: req.url, body, ua: req.headers['user-agent'] || '', remote: req.socket.remoteAddress }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`

// TestHTTPServerWithGoClient drives a gnode HTTP server with Go's client:
// keep-alive (one connection for several requests), bodies, chunked
// responses, a malformed request answered with 400 without killing the
// server.
func TestHTTPServerWithGoClient(t *testing.T) {
	port, wait := startProgram(t, serverJS)
	base := "http://127.0.0.1:" + port
	var dials atomic.Int32
	tr := &http.Transport{Dial: func(network, addr string) (net.Conn, error) {
		dials.Add(1)
		return net.Dial(network, addr)
	}}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for _, tc := range []struct {
		name, method, path, body, want string
		chunked                        bool
	}{
		{"get", "GET", "/a?b=1", "", `"method":"GET","url":"/a?b=1","body":""`, false},
		{"post", "POST", "/p", "form=1", `"method":"POST","url":"/p","body":"form=1"`, false},
		{"large post", "POST", "/big", strings.Repeat("x", 200000), `"url":"/big","body":"xxxx`, false},
		{"stream", "GET", "/stream", "", "part0;part1;part2;end", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
			if tc.body == "" {
				req.Body = nil
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(b), tc.want) {
				t.Errorf("status %d body %.200s, want %s", res.StatusCode, b, tc.want)
			}
			if chunked := len(res.TransferEncoding) > 0 && res.TransferEncoding[0] == "chunked"; chunked != tc.chunked {
				t.Errorf("chunked=%v want %v", chunked, tc.chunked)
			}
		})
	}
	if d := dials.Load(); d != 1 {
		t.Errorf("keep-alive: %d connections for 4 requests, want 1", d)
	}
	// Malformed request line: 400 and close, the server keeps serving.
	c, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "NOT A REQUEST\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	raw, _ := io.ReadAll(c)
	c.Close()
	if !strings.HasPrefix(string(raw), "HTTP/1.1 400 Bad Request") {
		t.Errorf("malformed request answered %q", raw)
	}
	if curl, err := exec.LookPath("curl"); err == nil {
		out, err := exec.Command(curl, "-s", "-A", "curl-test", "-d", "x=y", base+"/curl").Output()
		if err != nil || !strings.Contains(string(out), `"body":"x=y","ua":"curl-test","remote":"127.0.0.1"`) {
			t.Errorf("curl: %v %s", err, out)
		}
	}
	res, err := client.Get(base + "/stop")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tr.CloseIdleConnections()
	if _, code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestHTTPClientAgainstGoServer runs http.request/http.get against an
// httptest server: keep-alive reuse through an Agent, chunked responses,
// request bodies, timeouts and refused connections.
func TestHTTPClientAgainstGoServer(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/chunked":
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "c%d,", i)
				w.(http.Flusher).Flush()
			}
		case "/slow":
			time.Sleep(2 * time.Second)
		default:
			w.Header().Set("X-Method", r.Method)
			fmt.Fprintf(w, "%s %s %q te=%v", r.Method, r.URL.Path, b, r.TransferEncoding)
		}
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	t.Setenv("BASE", srv.URL)
	first, wait := startProgram(t, `
const http = require('http');
console.log('start');
const base = process.env.BASE;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(path, opts = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, { agent, ...opts }, (res) => {
      let data = '';
      res.on('data', (d) => data += d);
      res.on('end', () => resolve(res.statusCode + ' ' + (res.headers['x-method'] || '-') + ' ' + data + ' reused=' + req.reusedSocket));
    });
    req.on('error', reject);
    if (body) body.forEach((b) => req.write(b));
    req.end();
  });
}
(async () => {
  console.log(await call('/get'));
  console.log(await call('/post', { method: 'POST', headers: { 'content-length': 5 } }, ['hello']));
  console.log(await call('/put', { method: 'PUT' }, ['chu', 'nked']));
  console.log(await call('/chunked'));
  const r = http.get(base + '/slow', { timeout: 100 });
  r.on('timeout', () => { console.log('timeout'); r.destroy(); });
  await new Promise((res) => r.on('error', (e) => { console.log('error', e.code); res(); }));
  await new Promise((res) => http.get('http://127.0.0.1:1/').on('error', (e) => { console.log('refused', e.code, e.syscall); res(); }));
  agent.destroy();
})();
`)
	out, code := wait()
	want := `200 GET GET /get "" te=[] reused=false
200 POST POST /post "hello" te=[] reused=true
200 PUT PUT /put "chunked" te=[chunked] reused=true
200 - c0,c1,c2, reused=true
timeout
error ECONNRESET
refused ECONNREFUSED connect
`
	if first != "start" || out != want || code != 0 {
		t.Errorf("code %d first %q out:\n%s\nwant:\n%s", code, first, out, want)
	}
	// The four agent requests shared one connection; the slow one went
	// through the global agent on a second.
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// TestHTTPClientReaderStarvedAfterResponse: a reader goroutine that stalls
// right after posting a response's end must not change the socket's mode
// under the next request on the same keep-alive socket (it once reset the
// mode to raw there, and the next response was never parsed: a hang).
func TestHTTPClientReaderStarvedAfterResponse(t *testing.T) {
	afterResponseEnd = func() { time.Sleep(50 * time.Millisecond) }
	defer func() { afterResponseEnd = nil }()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.Path)
	}))
	defer srv.Close()
	t.Setenv("BASE", srv.URL)
	first, wait := startProgram(t, `
const http = require('http');
console.log('start');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(path) {
  return new Promise((resolve, reject) => {
    const req = http.request(process.env.BASE + path, { agent }, (res) => {
      let data = '';
      res.on('data', (d) => data += d);
      res.on('end', () => resolve(data + ' reused=' + req.reusedSocket));
    });
    req.on('error', reject);
    req.end();
  });
}
(async () => {
  for (const p of ['/a', '/b', '/c']) console.log(await call(p));
  agent.destroy();
})();
`)
	out, code := wait()
	want := "GET /a reused=false\nGET /b reused=true\nGET /c reused=true\n"
	if first != "start" || out != want || code != 0 {
		t.Errorf("code %d first %q out:\n%s\nwant:\n%s", code, first, out, want)
	}
}
