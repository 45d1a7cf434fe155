package registry_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeCommand runs `gnode registry serve` as a user would: it answers
// /-/ping once ready, and SIGTERM stops it cleanly with exit code 0.
// `gnode registry user add` takes the password on stdin.
func TestServeCommand(t *testing.T) {
	bin := os.Getenv("GNODE_BIN")
	if bin == "" {
		t.Skip("GNODE_BIN is not set (scripts/test builds bin/gnode and sets it)")
	}
	data := t.TempDir()
	add := exec.Command(bin, "registry", "user", "add", "carol", "--data", data)
	add.Stdin = strings.NewReader("password123\n")
	if out, err := add.CombinedOutput(); err != nil || !strings.Contains(string(out), "added user carol") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	add = exec.Command(bin, "registry", "user", "add", "carol", "--data", data)
	add.Stdin = strings.NewReader("password123\n")
	if out, err := add.CombinedOutput(); err == nil || !strings.Contains(string(out), "already registered") {
		t.Errorf("adding carol twice: %v\n%s", err, out)
	}

	osv := filepath.Join(t.TempDir(), "mal.json")
	os.WriteFile(osv, []byte(`{"id":"MAL-2026-7","summary":"steals tokens","affected":[{"package":{"ecosystem":"npm","name":"evil-kit"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`), 0o644)
	if out, err := exec.Command(bin, "registry", "advisories", "import", osv, "--data", data).CombinedOutput(); err != nil || !strings.Contains(string(out), "imported 1 advisories") {
		t.Errorf("advisories import: %v\n%s", err, out)
	}

	if out, err := exec.Command(bin, "registry", "serve", "--data", data, "--max-body-mb", "0").CombinedOutput(); err == nil || !strings.Contains(string(out), "--max-body-mb must be positive") {
		t.Errorf("serve --max-body-mb 0: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "registry", "serve", "--listen", "127.0.0.1:0", "--data", data, "--max-body-mb", "1")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatal("no output from registry serve")
	}
	line := sc.Text()
	url := strings.TrimSpace(line[strings.Index(line, "http://"):])
	resp, err := http.Get(url + "-/ping")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("ping: %v %v", resp, err)
	}
	resp, err = http.Post(url+"-/npm/v1/security/advisories/bulk", "application/json", strings.NewReader(`{"evil-kit":["1.0.0"]}`))
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(body), "Malicious package: steals tokens") || !strings.Contains(string(body), `"severity":"critical"`) {
			t.Errorf("imported advisory not served: %s", body)
		}
	}
	req, _ := http.NewRequest("PUT", url+"too-big", strings.NewReader(`{"_attachments":{"x":{"data":"`+strings.Repeat("a", 2<<20)+`"}}}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 413 {
		t.Errorf("2 MB body with --max-body-mb 1: %v %v, want 413", resp, err)
	}
	if _, err := os.Stat(filepath.Join(data, "registry.db")); err != nil {
		t.Errorf("data folder lacks the database: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() {
		for sc.Scan() {
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("registry exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("registry did not stop after SIGTERM")
	}
}
