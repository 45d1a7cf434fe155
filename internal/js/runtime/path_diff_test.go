package runtime

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPathDifferential runs ../node/libtest/path_gen.js, which prints what
// every posix and win32 path function returns or throws for thousands of
// generated inputs, under the real node and under gnode from the same
// working directory (resolve reads it), and compares the lines.
func TestPathDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the path differential test compares against it")
	}
	script, err := filepath.Abs(filepath.Join("..", "node", "libtest", "path_gen.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cases := range []string{"3000"} {
		dir := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, node, script, cases)
		cmd.Dir = dir
		var nout, nerr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &nout, &nerr
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("node %s: %v\n%s", script, err, nerr.String())
		}
		var gout, gerr bytes.Buffer
		code := Run(Options{Script: script, Args: []string{cases}, Cwd: dir, Stdout: &gout, Stderr: &gerr})
		if code != 0 {
			t.Fatalf("gnode exit code %d\n%s", code, gerr.String())
		}
		want := strings.Split(nout.String(), "\n")
		got := strings.Split(gout.String(), "\n")
		if len(want) < 1000 {
			t.Fatalf("node printed only %d lines: the generator is broken", len(want))
		}
		if len(got) != len(want) {
			t.Errorf("gnode printed %d lines, node %d", len(got), len(want))
		}
		bad := 0
		for i := 0; i < len(want) && i < len(got); i++ {
			if want[i] != got[i] {
				if bad++; bad <= 20 {
					t.Errorf("line %d\n node:  %s\n gnode: %s", i+1, want[i], got[i])
				}
			}
		}
		if bad > 20 {
			t.Errorf("%d lines differ in all", bad)
		}
	}
}
