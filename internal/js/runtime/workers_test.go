package runtime

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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
