package runtime

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// A test binary started with GNODE_TEST_AS_GNODE=1 runs its first
// argument as gnode would (gnode FILE ARGS...), so the tests' forked
// children and cluster workers are gnode processes too.
func init() {
	if os.Getenv("GNODE_TEST_AS_GNODE") != "1" || len(os.Args) < 2 {
		return
	}
	cwd, _ := os.Getwd()
	script, _ := filepath.Abs(os.Args[1])
	os.Exit(Run(Options{Script: script, Args: os.Args[2:], Cwd: cwd, Env: os.Environ(),
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}

// TestIPCProcesses runs the difftest programs for fork and cluster with
// gnode processes on both ends of the channel (and a node parent with a
// gnode child) and compares their output with node's. The difftest suite
// itself covers a gnode parent with node children, because it runs gnode
// in-process with node as process.execPath.
func TestIPCProcesses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential IPC tests need it")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs("../difftest/testdata")
	cases := []struct {
		name    string
		program string
		env     []string
		parent  string // "node" or "gnode"
	}{
		{"fork gnode-gnode", "fork_basic.js", nil, "gnode"},
		{"fork node parent, gnode child", "fork_basic.js", []string{"FORK_EXEC_PATH=" + self}, "node"},
		{"fork lifecycle gnode-gnode", "fork_lifecycle.js", nil, "gnode"},
		{"cluster gnode primary, gnode workers", "cluster_basic.js", nil, "gnode"},
	}
	run := func(t *testing.T, bin, script string, env []string) (string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, script, "one", "two")
		cmd.Dir = t.TempDir()
		cmd.Env = append(append(os.Environ(), "GNODE_TEST_AS_GNODE=1"), env...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", bin, err)
		}
		if errb.Len() > 0 {
			t.Logf("%s stderr:\n%s", filepath.Base(bin), errb.String())
		}
		return out.String(), code
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(testdata, tc.program)
			want, wantCode := run(t, node, script, nil)
			bin := self
			if tc.parent == "node" {
				bin = node
			}
			got, gotCode := run(t, bin, script, tc.env)
			if got != want || gotCode != wantCode {
				t.Errorf("exit code %d, node %d\n--- node\n%s\n--- %s\n%s", gotCode, wantCode, want, tc.name, got)
			}
		})
	}
}
