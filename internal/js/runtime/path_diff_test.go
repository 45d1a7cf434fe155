package runtime

import (
	"path/filepath"
	"testing"
)

// TestPathDifferential runs ../node/libtest/path_gen.js, which prints what
// every posix and win32 path function returns or throws for thousands of
// generated inputs, under the real node and under gnode from the same
// working directory (resolve reads it), and compares the lines.
func TestPathDifferential(t *testing.T) {
	script, err := filepath.Abs(filepath.Join("..", "node", "libtest", "path_gen.js"))
	if err != nil {
		t.Fatal(err)
	}
	diffAgainstNode(t, script, t.TempDir(), 1000, "3000")
}
