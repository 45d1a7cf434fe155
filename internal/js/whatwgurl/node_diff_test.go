package whatwgurl_test

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

// TestURLAPIAgainstNode runs testdata/urlapi.js (the URL class of
// lib/internal/url.js over this package through internalBinding('url'))
// under node and under gnode's runtime and compares every line: parts of
// parsed URLs, failures, setters, searchParams in both directions,
// util.inspect, JSON, property descriptors and receiver errors.
func TestURLAPIAgainstNode(t *testing.T) { diffScript(t, "testdata/urlapi.js", 2000) }

// TestQuerystringAgainstNode does the same for lib/querystring.js, whose
// parse and escape run QSParse and QSEscape.
func TestQuerystringAgainstNode(t *testing.T) { diffScript(t, "testdata/querystring.js", 6000) }

// diffScript runs a script under node and under gnode and compares the
// lines they print; node must print at least minLines.
func diffScript(t *testing.T, file string, minLines int) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test needs it")
	}
	script, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var nout, nerr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Stdout, cmd.Stderr = &nout, &nerr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, nerr.String())
	}
	var gout, gerr bytes.Buffer
	code := runtime.Run(runtime.Options{Script: script, Stdout: &gout, Stderr: &gerr, Env: os.Environ()})
	if code != 0 {
		t.Fatalf("gnode exited %d\n%s", code, gerr.String())
	}
	want := strings.Split(nout.String(), "\n")
	got := strings.Split(gout.String(), "\n")
	if len(want) < minLines {
		t.Fatalf("node printed only %d lines", len(want))
	}
	bad := 0
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			bad++
			if bad <= 15 {
				t.Errorf("line %d:\nnode:  %s\ngnode: %s", i+1, w, g)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d lines differ", bad, len(want))
	}
}
