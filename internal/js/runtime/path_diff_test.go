package runtime

import (
	"fmt"
	"os"
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

// TestPathDifferentialRepeated runs path_gen.js twice in one process:
// gnode remembers the results of posix slow paths (dot segments, repeated
// separators), so the second pass answers from those maps and must print
// exactly what node prints again.
func TestPathDifferentialRepeated(t *testing.T) {
	gen, err := filepath.Abs(filepath.Join("..", "node", "libtest", "path_gen.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrapper := filepath.Join(dir, "twice.js")
	src := fmt.Sprintf("const gen = %q;\nrequire(gen);\ndelete require.cache[require.resolve(gen)];\nrequire(gen);\n", gen)
	if err := os.WriteFile(wrapper, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	diffAgainstNode(t, wrapper, dir, 2000, "1500")
}
