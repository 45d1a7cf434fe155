package zlibtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gnode/internal/js/runtime"
	"gnode/internal/testutil/npmfixture"
)

// TestTarPackage installs the tar package (pinned in
// testdata/packages/package.json) with npm from the configured registry;
// each runtime extracts the .tgz files the other created, synchronously and
// as streams, and the trees must equal the source.
func TestTarPackage(t *testing.T) {
	node := needNode(t)
	dir := npmfixture.Install(t, filepath.Join("testdata", "packages"), "package.json", "app.js")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	src := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	want := map[string][]byte{}
	for i := range 12 {
		n := []int{0, 1, 511, 512, 513, 10_000, 300_000}[i%7]
		b := make([]byte, n)
		for j := range b {
			if i%2 == 0 {
				b[j] = byte('a' + r.IntN(4))
			} else {
				b[j] = byte(r.IntN(256))
			}
		}
		name := filepath.Join(fmt.Sprintf("d%d", i%3), fmt.Sprintf("f%d.bin", i))
		want[name] = b
		os.MkdirAll(filepath.Join(src, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app := filepath.Join(dir, "app.js")
	runNodeApp := func(args ...string) {
		cmd := exec.CommandContext(ctx, node, append([]string{app}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("node app.js %v: %v\n%s", args, err, out)
		}
	}
	runGnodeApp := func(args ...string) {
		var out, errb bytes.Buffer
		if code := runtime.Run(runtime.Options{Script: app, Args: args, Cwd: dir, Stdout: &out, Stderr: &errb, Env: os.Environ()}); code != 0 {
			t.Fatalf("gnode app.js %v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
	check := func(label, root string) {
		for name, b := range want {
			got, err := os.ReadFile(filepath.Join(root, name))
			if err != nil || !bytes.Equal(got, b) {
				t.Errorf("%s: %s differs or is missing (%v)", label, name, err)
			}
		}
	}
	for _, how := range []string{"sync", "stream"} {
		work := t.TempDir()
		byG, byN := filepath.Join(work, "g.tgz"), filepath.Join(work, "n.tgz")
		runGnodeApp("create", src, byG, how)
		runNodeApp("create", src, byN, how)
		runNodeApp("extract", byG, filepath.Join(work, "xn"), how)
		runGnodeApp("extract", byN, filepath.Join(work, "xg"), how)
		check(how+": node extracting gnode's archive", filepath.Join(work, "xn"))
		check(how+": gnode extracting node's archive", filepath.Join(work, "xg"))
	}
}
