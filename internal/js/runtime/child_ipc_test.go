package runtime

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
		{"handles gnode-gnode", "fork_handles.js", nil, "gnode"},
		{"handles node parent, gnode child", "fork_handles.js", []string{"FORK_EXEC_PATH=" + self}, "node"},
		{"cluster gnode primary, gnode workers", "cluster_basic.js", nil, "gnode"},
		{"cluster worker exits, gnode workers", "cluster_worker_exit.js", nil, "gnode"},
	}
	run := func(t *testing.T, bin, script string, env []string) (string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, script, "one", "two")
		cmd.Dir = t.TempDir()
		cmd.Env = append(append(os.Environ(), "GNODE_TEST_AS_GNODE=1"), env...)
		cmd.WaitDelay = 5 * time.Second // a hung grandchild must not hold the pipes forever
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
			// On a loaded machine the order of a child's exit and its last
			// IPC events ('message', 'disconnect') can race (a known gap,
			// docs/COMPATIBILITY.md): a mismatch is retried twice and
			// fails only when every run differs from node.
			for attempt := 1; ; attempt++ {
				got, gotCode := run(t, bin, script, tc.env)
				if got == want && gotCode == wantCode {
					break
				}
				if attempt == 3 {
					t.Errorf("exit code %d, node %d\n--- node\n%s\n--- %s\n%s", gotCode, wantCode, want, tc.name, got)
					break
				}
				t.Logf("attempt %d differs from node (retrying):\n%s", attempt, got)
			}
		})
	}
}

// FuzzSplitIPCLines feeds the channel's line splitter arbitrary bytes cut
// into two reads: every line comes out once, in order, and the rest is
// what follows the last newline.
func FuzzSplitIPCLines(f *testing.F) {
	for _, seed := range []string{"", "\n", "{}\n", "{\"a\":1}\n{\"b\"", "x\n\ny\nz", "{\"cmd\":\"NODE_HANDLE\",\"msg\":{}}\n"} {
		f.Add([]byte(seed), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		at := int(cut) % (len(data) + 1)
		first, acc := splitIPCLines(append([]byte(nil), data[:at]...))
		second, rest := splitIPCLines(append(acc, data[at:]...))
		got := strings.Join(append(first, second...), "\n")
		if len(first)+len(second) > 0 {
			got += "\n"
		}
		if got+string(rest) != string(data) {
			t.Fatalf("lines %q + rest %q do not rebuild %q", append(first, second...), rest, data)
		}
		if bytes.IndexByte(rest, '\n') >= 0 {
			t.Fatalf("rest %q holds a newline", rest)
		}
	})
}

func TestIsHandleLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`{"cmd":"NODE_HANDLE","type":"net.Native","msg":{"cmd":"NODE_CLUSTER","ack":3}}`, true},
		{`{"cmd":"NODE_HANDLE_ACK"}`, false},
		{`{"x":{"cmd":"NODE_HANDLE"}}`, false},
		{`"NODE_HANDLE"`, false},
		{`{"cmd":"NODE_HANDLE"`, false},
	} {
		if got := isHandleLine(tc.line); got != tc.want {
			t.Errorf("isHandleLine(%s) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
