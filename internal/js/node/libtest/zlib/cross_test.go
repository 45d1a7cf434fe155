// Package zlibtest checks gnode's node:zlib against Node's end to end:
// cross.js compresses a set of inputs in every method, form and option set
// under each runtime, the other runtime must decompress all of it (again in
// every form), and the deterministic behaviour (errors, options, crc32,
// stream bookkeeping, reading Node's compressed files) must print the same.
package zlibtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/js/runtime"
)

func needNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found on PATH: install Node.js 20 to run the differential zlib tests")
	}
	return node
}

// writeInputs makes the inputs: empty, one byte, text, random bytes (which
// do not compress) and a long repetitive run.
func writeInputs(t *testing.T, dir string) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 100_000)
	for i := range random {
		random[i] = byte(r.IntN(256))
	}
	var text strings.Builder
	for i := range 2000 {
		text.WriteString("line ")
		text.WriteString(strings.Repeat("x", i%17))
		text.WriteString(" of some text\n")
	}
	// JSON records like an API response: the text deflate is tuned for,
	// long enough (about 200 KB) for several blocks per stream.
	var json strings.Builder
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "the", "of", "and"}
	for i := 0; json.Len() < 200_000; i++ {
		fmt.Fprintf(&json, `{"id":%d,"user":"u%d","score":%d.%02d,"text":"`, i, r.IntN(100000), r.IntN(10000), r.IntN(100))
		for range 3 + r.IntN(10) {
			json.WriteString(words[r.IntN(len(words))] + " ")
		}
		json.WriteString("\"},\n")
	}
	files := map[string][]byte{
		"json":   []byte(json.String()),
		"empty":  nil,
		"one":    []byte("x"),
		"text":   []byte(text.String()),
		"random": random,
		"repeat": bytes.Repeat([]byte("abcabcabd"), 120_000),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runNode(t *testing.T, node string, args ...string) string {
	t.Helper()
	cmd := exec.Command(node, append([]string{"cross.js"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node cross.js %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

func runGnode(t *testing.T, args ...string) string {
	t.Helper()
	script, err := filepath.Abs("cross.js")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runtime.Run(runtime.Options{Script: script, Args: args, Stdout: &out, Stderr: &errb, Env: os.Environ()}); code != 0 {
		t.Fatalf("gnode cross.js %v: exit %d\n%s", args, code, errb.String())
	}
	return out.String()
}

func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

func TestRoundTripAcrossRuntimes(t *testing.T) {
	node := needNode(t)
	in, byNode, byGnode := t.TempDir(), t.TempDir(), t.TempDir()
	writeInputs(t, in)
	runNode(t, node, "compress", in, byNode)
	runGnode(t, "compress", in, byGnode)
	for _, c := range []struct {
		name string
		out  string
	}{
		{"node reads gnode's output", runNode(t, node, "decompress", in, byGnode)},
		{"gnode reads node's output", runGnode(t, "decompress", in, byNode)},
	} {
		ls := lines(c.out)
		bad := 0
		for _, l := range ls {
			if !strings.HasSuffix(l, "\tok") {
				bad++
				if bad <= 20 {
					t.Errorf("%s: %s", c.name, l)
				}
			}
		}
		if len(ls) < 1000 {
			t.Errorf("%s: only %d decompressions ran", c.name, len(ls))
		}
		t.Logf("%s: %d decompressions, %d failures", c.name, len(ls), bad)
	}
}

func TestBehaviour(t *testing.T) {
	node := needNode(t)
	in, byNode := t.TempDir(), t.TempDir()
	writeInputs(t, in)
	runNode(t, node, "compress", in, byNode)
	want := lines(runNode(t, node, "print", in, byNode))
	got := lines(runGnode(t, "print", in, byNode))
	if len(want) != len(got) {
		t.Fatalf("node printed %d lines, gnode %d\nnode:\n%s\ngnode:\n%s", len(want), len(got), strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	bad := 0
	for i := range want {
		if want[i] != got[i] {
			bad++
			t.Errorf("\n  gnode: %.300s\n  node:  %.300s", got[i], want[i])
		}
	}
	t.Logf("zlib behaviour: %d cases, %d mismatches", len(want), bad)
}
