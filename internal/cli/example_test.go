package cli

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleServer runs the README's main job server as a user would:
// gnode examples/hello-server/server.js prints its address and answers JSON.
func TestExampleServer(t *testing.T) {
	bin := os.Getenv("GNODE_BIN")
	if bin == "" {
		t.Skip("GNODE_BIN is not set (scripts/test builds bin/gnode and sets it)")
	}
	cmd := exec.Command(bin, filepath.Join("..", "..", "examples", "hello-server", "server.js"))
	cmd.Env = append(os.Environ(), "PORT=0")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatal("server printed nothing")
	}
	line := sc.Text()
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("unexpected first line %q", line)
	}
	resp, err := http.Get(line[i:] + "/abc")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"hello":"world","path":"/abc"}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("answer: %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

// TestExampleServerTwoWorkers: gnode run --workers 2 runs two event loops
// that share one listening socket (port 0 included) and both serve.
func TestExampleServerTwoWorkers(t *testing.T) {
	bin := os.Getenv("GNODE_BIN")
	if bin == "" {
		t.Skip("GNODE_BIN is not set (scripts/test builds bin/gnode and sets it)")
	}
	cmd := exec.Command(bin, "run", "--workers", "2", filepath.Join("..", "..", "examples", "hello-server", "server.js"))
	cmd.Env = append(os.Environ(), "PORT=0")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	var addrs []string
	for len(addrs) < 2 && sc.Scan() {
		if i := strings.Index(sc.Text(), "http://"); i >= 0 {
			addrs = append(addrs, sc.Text()[i:])
		}
	}
	if len(addrs) != 2 || addrs[0] != addrs[1] {
		t.Fatalf("two workers should listen on one shared address, got %v", addrs)
	}
	for i := 0; i < 6; i++ {
		resp, err := http.Get(addrs[0] + "/w")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("request %d: %d", i, resp.StatusCode)
		}
	}
}
