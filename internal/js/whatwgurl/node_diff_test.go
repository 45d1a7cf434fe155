package whatwgurl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// TestURLLegacyAgainstNode does the same for the legacy url.parse (Go's
// LegacyParse for common inputs, lib/url.js for the rest), url.format of
// its results, url.resolve and the DEP0170 warning.
func TestURLLegacyAgainstNode(t *testing.T) { diffScript(t, "testdata/urllegacy.js", 20000) }

// TestImportMetaURLAgainstNode checks import.meta.url (the runtime's Go
// pathToFileURL) for module paths holding each printable ASCII character.
func TestImportMetaURLAgainstNode(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the differential test needs it")
	}
	dir := t.TempDir()
	var entries []string
	for c := byte(0x20); c < 0x7f; c++ {
		if c == '/' || c == '\\' { // node refuses an encoded '\\' in a module URL
			continue
		}
		sub := filepath.Join(dir, "d"+string(c)+"x")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, "m.mjs"), []byte("export const u = import.meta.url;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, filepath.Join(sub, "m.mjs"))
	}
	// Each runtime turns the paths into specifiers with its own
	// url.pathToFileURL; the modules print what their import.meta.url is.
	list, _ := json.Marshal(entries)
	main := fmt.Sprintf("import { pathToFileURL } from 'url';\nfor (const p of %s) console.log((await import(pathToFileURL(p).href)).u);\n", list)
	script := filepath.Join(dir, "main.mjs")
	if err := os.WriteFile(script, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	diffFile(t, script, len(entries))
}

// diffScript runs a script under node and under gnode and compares the
// lines they print; node must print at least minLines.
func diffScript(t *testing.T, file string, minLines int) {
	script, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	diffFile(t, script, minLines)
}

func diffFile(t *testing.T, script string, minLines int) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test needs it")
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
