package runtime

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// diffAgainstNode runs script with args under the real node and under gnode
// (in-process), both in dir, and compares stdout line by line, reporting the
// first 20 differing lines. minLines guards against a broken script: node
// must print at least that many. It skips when node is not installed.
func diffAgainstNode(t *testing.T, script, dir string, minLines int, args ...string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: this differential test compares against it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var nout, nerr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &nout, &nerr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, nerr.String())
	}
	var gout, gerr bytes.Buffer
	if code := Run(Options{Script: script, Args: args, Cwd: dir, Stdout: &gout, Stderr: &gerr}); code != 0 {
		t.Fatalf("gnode exit code %d\n%s", code, gerr.String())
	}
	want := strings.Split(nout.String(), "\n")
	got := strings.Split(gout.String(), "\n")
	if len(want) < minLines {
		t.Fatalf("node printed only %d lines: the script is broken", len(want))
	}
	if len(got) != len(want) {
		t.Errorf("gnode printed %d lines, node %d", len(got), len(want))
	}
	bad := 0
	for i := 0; i < len(want) && i < len(got); i++ {
		if want[i] != got[i] {
			if bad++; bad <= 20 {
				t.Errorf("line %d\n node:  %.400s\n gnode: %.400s", i+1, want[i], got[i])
			}
		}
	}
	if bad > 20 {
		t.Errorf("%d lines differ in all", bad)
	}
}
