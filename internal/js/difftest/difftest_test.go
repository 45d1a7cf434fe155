// The gnode binary takes RSA keys under 1,024 bits as node does
// (cmd/gnode/main.go); the in-process runs here need the same setting.

//go:debug rsa1024min=0

// Package difftest runs each program in testdata under the system node and
// under gnode's runtime (in-process) and compares stdout and the exit code.
// It is skipped when node is not installed.
package difftest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/js/runtime"
)

func TestDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: differential tests need it")
	}
	files, _ := filepath.Glob("testdata/*.js")
	mjs, _ := filepath.Glob("testdata/*.mjs")
	files = append(files, mjs...)
	if len(files) == 0 {
		t.Fatal("no test programs")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			abs, _ := filepath.Abs(f)
			dir := t.TempDir()
			args := []string{"one", "two"}

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, append([]string{abs}, args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "DIFFTEST=1")
			var nout, nerr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &nout, &nerr
			cmd.Stdin = strings.NewReader("stdin data\n")
			nodeCode := 0
			if err := cmd.Run(); err != nil {
				ee, ok := err.(*exec.ExitError)
				if !ok {
					t.Fatalf("node: %v", err)
				}
				nodeCode = ee.ExitCode()
			}

			var gout, gerr bytes.Buffer
			gcode := runtime.Run(runtime.Options{
				Script: abs, Args: args, Cwd: dir,
				Env:    append(os.Environ(), "DIFFTEST=1"),
				Stdin:  strings.NewReader("stdin data\n"),
				Stdout: &gout, Stderr: &gerr,
				ExecPath: node,
			})
			want := normalize(nout.String(), dir, node)
			got := normalize(gout.String(), dir, node)
			if got != want || gcode != nodeCode {
				t.Errorf("exit code gnode=%d node=%d\n--- node stdout\n%s\n--- gnode stdout\n%s\n--- gnode stderr\n%s\n--- node stderr\n%s",
					gcode, nodeCode, want, got, gerr.String(), nerr.String())
			}
		})
	}
}

// normalize hides what legitimately differs between runs: the temp dir.
func normalize(s, dir, node string) string {
	s = strings.ReplaceAll(s, dir, "<tmp>")
	return s
}
