package store

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

type execCmd struct {
	cmd  *exec.Cmd
	err  error
	done chan struct{}
}

func (c *execCmd) Wait() { <-c.done }

// startHelper runs this test binary as TestHelperProcess against dir.
func startHelper(t *testing.T, dir string, out *bytes.Buffer) *execCmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "GNODE_STORE_HELPER_DIR="+dir)
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &execCmd{cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c
}
