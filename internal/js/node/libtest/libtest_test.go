// Package libtest runs the differential tests of gnode's JavaScript core
// modules (internal/js/node/lib). Every **/*.test.js file below this folder
// is one subtest: it loads gnode's implementation of a module, compares it
// with Node's real module on many inputs, prints its mismatches and exits
// non-zero when there is any.
//
// Runners: today the files run under the system `node`, with gnode's lib
// sources loaded through harness.js and native bindings replaced by the
// shims in shims/. The same files are meant to run under gnode too: a runner
// that defines globalThis.__gnodeLibtest = { loadLib(id) } before the file
// runs (see t.js) is added to runners() below.
package libtest

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// runner runs one test file and returns its combined output.
type runner struct {
	name string
	// command builds the process for file (an absolute path); nil runner
	// commands mean the runner is unavailable and reason says why.
	command func(ctx context.Context, file string) *exec.Cmd
	reason  string
	// golden: run the file under node first with LIBTEST_RECORD, then
	// under this runner with LIBTEST_GOLDEN (runners without Node's
	// modules compare with the recording; see t.js).
	golden bool
}

func runners() []runner {
	node, err := exec.LookPath("node")
	r := runner{name: "node"}
	if err != nil {
		r.reason = "node not found on PATH: install Node.js 20 to run the differential lib tests"
	} else {
		r.command = func(ctx context.Context, file string) *exec.Cmd {
			// --expose-internals lets the shims reach Node's own native
			// helpers (promise state, proxy details, iterator previews)
			// that gnode's bindings provide natively.
			return exec.CommandContext(ctx, node, "--expose-internals", "--no-warnings", file)
		}
	}
	rs := []runner{r}
	// LIBTEST_GNODE is the command that runs a test file under gnode with
	// globalThis.__gnodeLibtest defined, e.g. "/path/to/gnode --libtest";
	// the file path is appended.
	if prefix := strings.Fields(os.Getenv("LIBTEST_GNODE")); len(prefix) > 0 {
		g := runner{name: "gnode", golden: true}
		if r.command == nil {
			g.reason = "LIBTEST_GNODE is set but node is missing: node records the expected results"
		} else {
			g.command = func(ctx context.Context, file string) *exec.Cmd {
				args := append(append([]string{}, prefix[1:]...), file)
				return exec.CommandContext(ctx, prefix[0], args...)
			}
		}
		rs = append(rs, g)
	}
	return rs
}

// testEnv is the environment without color forcing: Node treats any
// FORCE_COLOR (even empty) as "colors on", which would change inspect output.
func testEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FORCE_COLOR=") && !strings.HasPrefix(kv, "NODE_OPTIONS=") {
			env = append(env, kv)
		}
	}
	return append(env, "NO_COLOR=1")
}

// testFiles lists every *.test.js below dir, sorted.
func testFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && p != dir {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".test.js") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing lib tests in %s: %v", dir, err)
	}
	sort.Strings(files)
	return files
}

func TestLib(t *testing.T) {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	files := testFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("no *.test.js files under %s", dir)
	}
	all := runners()
	node := all[0]
	for _, r := range all {
		t.Run(r.name, func(t *testing.T) {
			if r.command == nil {
				t.Skip(r.reason)
			}
			for _, file := range files {
				rel, _ := filepath.Rel(dir, file)
				name := strings.TrimSuffix(filepath.ToSlash(rel), ".test.js")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
					defer cancel()
					env := testEnv()
					if r.golden {
						dir := t.TempDir()
						rec := node.command(ctx, file)
						rec.Dir = filepath.Dir(file)
						rec.Env = append(testEnv(), "LIBTEST_RECORD="+dir)
						if out, err := rec.CombinedOutput(); err != nil {
							t.Logf("recording under node (mismatches there are reported by the node runner):\n%s", out)
						}
						env = append(env, "LIBTEST_GOLDEN="+dir)
					}
					cmd := r.command(ctx, file)
					cmd.Dir = filepath.Dir(file)
					cmd.Env = env
					var out bytes.Buffer
					cmd.Stdout = &out
					cmd.Stderr = &out
					err := cmd.Run()
					if testing.Verbose() || err != nil {
						t.Logf("%s %s:\n%s", r.name, rel, strings.TrimRight(out.String(), "\n"))
					}
					if ctx.Err() != nil {
						t.Fatalf("%s timed out after 3m", rel)
					}
					if err != nil {
						t.Fatalf("%s failed: %v", rel, err)
					}
				})
			}
		})
	}
}
