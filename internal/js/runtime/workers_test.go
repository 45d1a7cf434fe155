package runtime

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two runs of one --workers group listening on the same address share one
// socket; connections alternate between them; the socket stays open until
// the last run closes it.
func TestSharedListenerRoundRobin(t *testing.T) {
	g := &runGroup{listeners: map[string]*sharedListener{}}
	r1, r2 := &rt{opts: Options{group: g}}, &rt{opts: Options{group: g}}
	l1, err := r1.listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l2, err := r2.listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if l1.Addr().String() != l2.Addr().String() {
		t.Fatalf("port 0 not shared: %v vs %v", l1.Addr(), l2.Addr())
	}
	counts := make([]int, 2)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, l := range []net.Listener{l1, l2} {
		wg.Add(1)
		go func(i int, l net.Listener) {
			defer wg.Done()
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				counts[i]++
				mu.Unlock()
				c.Write([]byte("hi\n"))
				c.Close()
			}
		}(i, l)
	}
	// Round-robin is among the runs that pull connections: wait until
	// both do.
	for _, l := range []net.Listener{l1, l2} {
		for !l.(*sharedHandle).pulls.Load() {
			time.Sleep(time.Millisecond)
		}
	}
	dial := func() error {
		c, err := net.Dial("tcp", l1.Addr().String())
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = bufio.NewReader(c).ReadString('\n')
		return err
	}
	for i := 0; i < 6; i++ {
		if err := dial(); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	if counts[0] != 3 || counts[1] != 3 {
		t.Errorf("connections per run = %v, want [3 3]", counts)
	}
	mu.Unlock()
	l1.Close()
	if err := dial(); err != nil {
		t.Fatalf("after one run closed, the other must still accept: %v", err)
	}
	l2.Close()
	wg.Wait()
	if err := dial(); err == nil {
		t.Errorf("dial succeeded after every run closed the listener")
	}
	if len(g.listeners) != 0 {
		t.Errorf("registry keeps %d listeners", len(g.listeners))
	}
}

// Without a group, listen is a plain listener: two listens on one port
// conflict as in Node.
func TestListenWithoutGroup(t *testing.T) {
	r := &rt{}
	l, err := r.listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := r.listen("tcp", l.Addr().String()); err == nil {
		t.Errorf("second listen on %v succeeded, want EADDRINUSE", l.Addr())
	}
}

// Workers > 1 runs the program that many times in one process.
func TestRunWorkers(t *testing.T) {
	out, errOut, code := runOpts(t, map[string]string{"w.js": `console.log('run ' + process.env.GNODE_WORKER_INDEX)`}, "w.js", 3)
	if code != 0 || len(out) != len("run 0\n")*3 {
		t.Fatalf("out %q code %d stderr %s", out, code, errOut)
	}
	for _, want := range []string{"run 0\n", "run 1\n", "run 2\n"} {
		if !contains(out, want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
}

func runOpts(t *testing.T, files map[string]string, main string, workers int) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	code := Run(Options{Script: filepath.Join(dir, main), Cwd: dir, Stdout: &out, Stderr: &errb, Workers: workers})
	return out.String(), errb.String(), code
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A worker thread round trip inside one Run (run with -race to check the
// cross-goroutine paths: spawn, post before start, messages, exit).
func TestWorkerThreadRoundTrip(t *testing.T) {
	out, errOut, code := runOpts(t, map[string]string{"w.js": `
		const { Worker } = require('worker_threads');
		const w = new Worker('const { parentPort, workerData } = require("worker_threads");' +
			'parentPort.on("message", (m) => { parentPort.postMessage(m * workerData); parentPort.close(); })',
			{ eval: true, workerData: 3 });
		w.postMessage(14);
		w.on('message', (m) => console.log('got', m));
		w.on('exit', (c) => console.log('exit', c));
	`}, "w.js", 1)
	if out != "got 42\nexit 0\n" || code != 0 {
		t.Errorf("out %q code %d stderr %s", out, code, errOut)
	}
}

// gnode run --workers 2 with a plain TCP server: the runs accept on their
// own loops from the one shared socket, every connection is answered by
// one of them, neither holds much more than its share, and a run that
// closed its server stops accepting while the other goes on (so two
// "close" requests reach two different runs).
func TestWorkersAcceptOnLoops(t *testing.T) {
	script := `
const net = require('net');
const idx = process.env.GNODE_WORKER_INDEX;
const srv = net.createServer((c) => {
  c.on('data', (d) => {
    if (d.toString().trim() !== 'close') return c.write('run ' + idx + '\n');
    c.end('run ' + idx + '\n');
    srv.close();
  });
});
srv.listen(0, '127.0.0.1', () => console.log('port ' + srv.address().port));
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.js"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	code := make(chan int, 1)
	go func() {
		c := Run(Options{Script: filepath.Join(dir, "s.js"), Cwd: dir, Stdout: pw, Stderr: &errb, Workers: 2})
		pw.Close()
		code <- c
	}()
	// Both runs listen before either serves: each prints the port once
	// its loop watches the shared socket (a fixed 100 ms wait for the
	// second one flaked under load).
	lines := bufio.NewScanner(pr)
	var ports []string
	for len(ports) < 2 && lines.Scan() {
		if p, ok := strings.CutPrefix(lines.Text(), "port "); ok {
			ports = append(ports, p)
		}
	}
	go io.Copy(io.Discard, pr)
	if len(ports) != 2 || ports[0] != ports[1] {
		t.Fatalf("ports printed %q, want the same one from each run; stderr %s", ports, errb.String())
	}
	port := ports[0]
	open := func(msg string) (net.Conn, string, error) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 5*time.Second)
		if err != nil {
			return nil, "", err
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write([]byte(msg + "\n")); err != nil {
			c.Close()
			return nil, "", err
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			c.Close()
		}
		return c, line, err
	}
	ask := func(msg string) (string, error) {
		c, line, err := open(msg)
		if err == nil {
			c.Close()
		}
		return line, err
	}
	// 20 connections held open: a run stops accepting once it holds
	// acceptSlack more than the other, so neither holds fewer than
	// (20-acceptSlack-1)/2.
	per := map[string]int{}
	var conns []net.Conn
	for i := 0; i < 20; i++ {
		c, got, err := open("hi")
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if got != "run 0\n" && got != "run 1\n" {
			t.Fatalf("connection %d answered %q", i, got)
		}
		per[got]++
	}
	if lo := (20 - acceptSlack - 1) / 2; per["run 0\n"] < lo || per["run 1\n"] < lo {
		t.Errorf("open connections per run %v, want at least %d each", per, lo)
	}
	for _, c := range conns {
		c.Close()
	}
	var closers []string
	for i := 0; i < 5 && len(closers) < 3; i++ {
		got, err := ask("close")
		if err != nil {
			break
		}
		closers = append(closers, got)
	}
	if len(closers) != 2 || closers[0] == closers[1] {
		t.Errorf("close requests answered by %q, want one from each run", closers)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit code %d, stderr %s", c, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("runs did not end after both servers closed")
	}
}
