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
	"unicode/utf8"

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

// FuzzURLParseAgainstNode runs legacy url.parse (Go's LegacyParse for the
// common inputs, lib/url.js for the rest), its parseQueryString and
// slashesDenoteHost forms, url.format of the result, WHATWG URL and
// querystring.parse over the fuzzed strings and variants of them (behind
// schemes, slashes, auth and ports), once under node and once under
// gnode, and compares what they print. Each input starts two runtimes, so
// fuzzing is slow (a few inputs a second); the seeds run as a test.
func FuzzURLParseAgainstNode(f *testing.F) {
	if _, err := exec.LookPath("node"); err != nil {
		f.Skip("node is not installed: the differential fuzz test needs it")
	}
	f.Add("example.com/a b?x=1&x=2#f", "user:pw@h:8080")
	f.Add("[::1]:3000/p", "javascript:alert(1)")
	f.Add("\\\\host\\share\\x", "ÉXAMPLE.com/ä?ö=ü")
	f.Add("%41%zz@a.b/%2e%2E/c", "xn--nxasmq6b.com:0/")
	f.Add("h/?__proto__=1&constructor=2", " \t//x@y@z/ ")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || len(a)+len(b) > 400 {
			return
		}
		inputs, _ := json.Marshal([]string{a, b})
		script := filepath.Join(t.TempDir(), "fuzz.js")
		if err := os.WriteFile(script, []byte("const inputs = "+string(inputs)+";\n"+fuzzURLScript), 0o644); err != nil {
			t.Fatal(err)
		}
		diffFile(t, script, 1)
	})
}

// fuzzURLScript prints, for each variant of the inputs, what the URL
// parsers make of it (inputs is defined before it).
const fuzzURLScript = `'use strict';
const url = require('url');
const qs = require('querystring');
process.removeAllListeners('warning');
process.on('warning', () => {});
const variants = [];
for (const s of inputs) {
  for (const pre of ['', 'http://', 'https://', 'HTTP://', '//', 'file://', 'mailto:', 'javascript:', 'foo://', 'ws:', '\\\\', '/', '?']) {
    variants.push(pre + s);
  }
  variants.push('http://' + s + '@' + s, 'http://a:' + s + '@h/' + s, 'http://h:' + s + '/p', 'http://h/p?' + s + '#' + s);
}
const show = (v) => JSON.stringify(v, (k, x) => (x === undefined ? '<undef>' : x));
for (const v of variants) {
  const out = [];
  for (const [pq, sdh] of [[false, false], [true, false], [false, true], [true, true]]) {
    try {
      const u = url.parse(v, pq, sdh);
      out.push(show(Object.entries(u)), show(Object.getPrototypeOf(u.query || {}) === null), url.format(u));
    } catch (e) {
      out.push('throws ' + e.name + ' ' + e.code);
    }
  }
  try {
    const w = new URL(v);
    out.push(w.href, w.origin, w.host, w.pathname, w.search, w.hash, [...w.searchParams].join('|'));
  } catch (e) {
    out.push('URL throws ' + e.code);
  }
  try {
    out.push(url.resolve('http://base.example/a/b?q#f', v), url.resolve(v, '../x?y'));
  } catch (e) {
    out.push('resolve throws ' + e.name);
  }
  out.push(show(qs.parse(v)), qs.stringify(qs.parse(v)));
  console.log(JSON.stringify(v), out.join(' '));
}
`
