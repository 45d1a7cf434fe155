package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// The companion flags need --cpu-prof, as in node: exit 9 and nothing
// written.
func TestCPUProfFlagsNeedCPUProf(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.js"), []byte("console.log('ran')"), 0o644)
	for _, flag := range []string{"--cpu-prof-dir", "--cpu-prof-name", "--cpu-prof-interval"} {
		out, errs, code := runJS(t, dir, "", flag, "100", "app.js")
		if code != 9 || out != "" || !strings.Contains(errs, flag+" must be used with --cpu-prof") {
			t.Errorf("%s without --cpu-prof: exit %d, stdout %q, stderr %q", flag, code, out, errs)
		}
	}
	if _, errs, code := runJS(t, dir, "", "--cpu-prof", "--cpu-prof-interval=abc", "app.js"); code != 9 || !strings.Contains(errs, "--cpu-prof-interval") {
		t.Errorf("bad interval: exit %d, stderr %q", code, errs)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files written: %v", ents)
	}
}

// --cpu-prof-dir (created, relative to the cwd) and --cpu-prof-name in
// both spellings; the flags are in process.execArgv as node puts them;
// `gnode run` takes them too and names the file as node does.
func TestCPUProfFlags(t *testing.T) {
	if testing.Short() || cpuProfRace {
		t.Skip("runs programs; the sampler races by design")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.js"), []byte("console.log(JSON.stringify(process.execArgv))"), 0o644)
	out, errs, code := runJS(t, dir, "", "--cpu-prof", "--cpu-prof-dir", "out/profs", "--cpu-prof-name=p.cpuprofile", "--cpu-prof-interval", "500", "app.js")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `["--cpu-prof","--cpu-prof-dir","out/profs","--cpu-prof-name=p.cpuprofile","--cpu-prof-interval","500"]` + "\n"
	if out != want {
		t.Errorf("execArgv %s, want %s", out, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "profs", "p.cpuprofile"))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil || p["nodes"] == nil || p["samples"] == nil || p["timeDeltas"] == nil {
		t.Fatalf("not a profile (%v): %.200s", err, data)
	}
	if _, errs, code := runJS(t, dir, "", "run", "--cpu-prof", "app.js"); code != 0 {
		t.Fatalf("gnode run --cpu-prof: exit %d: %s", code, errs)
	}
	m, _ := filepath.Glob(filepath.Join(dir, "CPU.*.cpuprofile"))
	if len(m) != 1 || !regexp.MustCompile(`^CPU\.\d{8}\.\d{6}\.\d+\.0\.\d{3}\.cpuprofile$`).MatchString(filepath.Base(m[0])) {
		t.Fatalf("profiles in the cwd: %v", m)
	}
}

// A server stopped by SIGTERM still writes its profile (node does not:
// it dies without one; a profile of a server is what --cpu-prof is for),
// and still dies by the signal.
func TestCPUProfOnSIGTERM(t *testing.T) {
	bin := gnodeBinary(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "srv.js"), []byte(
		"function work() { let s = 0; for (let i = 0; i < 1e5; i++) s += i; return s }\n"+
			"let n = 0\nsetInterval(() => { work(); if (++n === 200) console.log('ready') }, 1)\n"), 0o644)
	cmd := exec.Command(bin, "--cpu-prof", "--cpu-prof-name", "srv.cpuprofile", "srv.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GNODE_CACHE_DIR=off")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("printed %q", line)
	}
	// 'ready' comes after 200 interval callbacks, each at least a
	// millisecond (one sampling interval) after the one before: the loop
	// looked at the profile's clock in at least 200 slots. A fixed 200 ms
	// sleep instead left fewer than 50 samples when the machine was busy.
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("ended with %v, want killed by SIGTERM", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "srv.cpuprofile"))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Nodes []struct {
			CallFrame struct{ FunctionName, URL string } `json:"callFrame"`
			HitCount  int                                `json:"hitCount"`
		} `json:"nodes"`
		Samples []int `json:"samples"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("profile: %v", err)
	}
	work := 0
	for _, n := range p.Nodes {
		if n.CallFrame.FunctionName == "work" && strings.HasSuffix(n.CallFrame.URL, "/srv.js") {
			work += n.HitCount
		}
	}
	if len(p.Samples) < 50 || work == 0 {
		t.Fatalf("%d samples, %d in work", len(p.Samples), work)
	}
}
