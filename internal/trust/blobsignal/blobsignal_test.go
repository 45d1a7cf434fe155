package blobsignal

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// readable is ordinary hand-written CommonJS, long enough to be judged.
var readable = strings.Repeat(`'use strict'

// parse reads one record of the configuration file.
function parse (line, options) {
  const [key, value] = line.split('=')
  if (!key || options.strict && value === undefined) {
    throw new Error('invalid line: ' + line)
  }
  return { key: key.trim(), value: (value || '').trim() }
}

module.exports = { parse }
`, 12)

func TestClassify(t *testing.T) {
	machO64 := []byte{0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1}
	fat := []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 0, 0, 0, 0}
	javaClass := []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 0, 0, 0} // version 61: Java 17
	pe := make([]byte, 0x100)
	pe[0], pe[1] = 'M', 'Z'
	binary.LittleEndian.PutUint32(pe[0x3c:], 0x80)
	copy(pe[0x80:], "PE\x00\x00")
	mzOnly := append([]byte(nil), pe...)
	copy(mzOnly[0x80:], "NOPE")
	obfuscated := "var " + strings.Repeat("_0x1f2e3d=function(_0x4a5b6c){return _0x4a5b6c+1};", 20) + strings.Repeat(" ", 3000)
	escaped := "var s='" + strings.Repeat(`\x68\x65\x6c\x6c\x6f`, 200) + "';"
	minifiedLine := "var a=" + strings.Repeat("b(c,d)&&e.f(g)||h[i]=j;", 200)
	cases := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"elf", "prebuilds/addon.node", []byte("\x7fELF\x02\x01\x01\x00rest"), ELF},
		{"elf without extension", "bin/tool", []byte("\x7fELF\x02\x01"), ELF},
		{"wasm", "lib/x.wasm", []byte("\x00asm\x01\x00\x00\x00"), Wasm},
		{"mach-o 64", "addon.node", machO64, MachO},
		{"mach-o universal", "addon.node", fat, MachO},
		{"java class is not mach-o", "A.class", javaClass, ""},
		{"pe", "tool.exe", pe, PE},
		{"mz without pe header", "readme.txt", mzOnly, ""},
		{"readable js", "index.js", []byte(readable), ""},
		{"obfuscated identifiers", "index.js", []byte(obfuscated), Obfuscated},
		{"hex escaped strings", "lib/a.cjs", []byte(escaped), Obfuscated},
		{"minified", "dist/x.mjs", []byte(minifiedLine), Minified},
		{"minified but not a script", "data.txt", []byte(minifiedLine), ""},
		{"long regexp string is not minification", "re.js", []byte(readable + "const re = \"" + strings.Repeat("(?:[a-f\\\\d]{1,4}:)", 80) + "\"\n"), ""},
		{"base64 blob", "wasm.js", []byte("module.exports = '" + strings.Repeat("AGFzbQEAAAAB", 500) + "'\n"), Encoded},
		{"apostrophe in a comment", "c.js", []byte("// it's fine\n" + readable), ""},
		{"short minified script is not judged", "x.js", []byte("var a=1;b(c);"), ""},
		{"empty", "x.js", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, why := Classify(c.file, c.data, int64(len(c.data)))
			if got != c.want {
				t.Errorf("Classify(%s) = %q (%s), want %q", c.file, got, why, c.want)
			}
			if got != "" && why == "" {
				t.Error("no reason given")
			}
		})
	}
}

// esbuild's minifier is the real thing: readable sources are not
// flagged, and the same sources minified are.
func TestMinifiedByEsbuild(t *testing.T) {
	sources := map[string]string{"readable": readable}
	var classes strings.Builder
	for i := range 15 {
		fmt.Fprintf(&classes, `
class Queue%d {
  constructor (limit) {
    this.limit = limit
    this.items = []
  }

  push (item) {
    if (this.items.length >= this.limit) {
      this.items.shift()
    }
    this.items.push(item)
    return this
  }
}
module.exports.Queue%d = Queue%d
`, i, i, i)
	}
	sources["class"] = classes.String()
	for name, src := range sources {
		if k, why := Classify(name+".js", []byte(src), int64(len(src))); k != "" {
			t.Errorf("%s source flagged as %s (%s)", name, k, why)
		}
		res := api.Transform(src, api.TransformOptions{MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true, Loader: api.LoaderJS})
		if len(res.Errors) > 0 {
			t.Fatalf("esbuild: %v", res.Errors)
		}
		min := res.Code
		if len(min) < minJSSize {
			min = []byte(strings.Repeat(strings.TrimSpace(string(min)), minJSSize/len(min)+1))
		}
		if k, why := Classify(name+".min.js", min, int64(len(min))); k != Minified {
			t.Errorf("%s minified by esbuild: %q (%s), want %q", name, k, why, Minified)
		}
	}
}

// npm ships real packages: its *.min.js files are minified, its other
// scripts are readable (no false positives on ~1,000 real files).
func TestNpmsOwnPackages(t *testing.T) {
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm is not installed: no real packages to check against")
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no npm packages at %s", root)
	}
	blobs, err := ScanDir(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]Blob{}
	for _, b := range blobs {
		flagged[b.Path] = b
	}
	var mins, scripts, encoded int
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || !strings.HasSuffix(p, ".js") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		st, _ := d.Info()
		scripts++
		b, isFlagged := flagged[rel]
		switch {
		case strings.HasSuffix(rel, ".min.js") && st.Size() >= minJSSize:
			mins++
			if !isFlagged {
				t.Errorf("%s (%d bytes) not recognised as minified", rel, st.Size())
			}
		case isFlagged && b.Kind == Encoded:
			// Embedded files are flagged on purpose (undici ships its
			// HTTP parser as base64 WebAssembly); check independently.
			data, _ := os.ReadFile(p)
			if !hasBase64Run(data, 4000) {
				t.Errorf("%s flagged as %s without a long base64 run", rel, b.Kind)
			}
			encoded++
		case isFlagged:
			t.Errorf("%s flagged as %s (%s)", rel, b.Kind, b.Why)
		}
		return nil
	})
	if mins == 0 {
		t.Fatal("no .min.js files found: the check proved nothing")
	}
	t.Logf("%d scripts, %d minified recognised, %d with embedded base64 files", scripts, mins, encoded)
}

// hasBase64Run reports a run of n base64 characters (regexp cannot
// repeat more than 1000 times).
func hasBase64Run(b []byte, n int) bool {
	run := 0
	for _, c := range b {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func TestAdded(t *testing.T) {
	prev := []Blob{{Path: "dist/a.min.js", Kind: Minified}, {Path: "dist/b.js", Kind: Minified}, {Path: "bin/x", Kind: ELF}}
	next := []Blob{
		{Path: "dist/a.min.js", Kind: Minified},  // same: not new
		{Path: "dist/b.js", Kind: Obfuscated},    // minified became obfuscated
		{Path: "bin/x", Kind: ELF},               // same binary path
		{Path: "lib/setup.js", Kind: Obfuscated}, // new file
		{Path: "prebuilds/y.node", Kind: MachO},  // new binary
	}
	got := Added(prev, next)
	var paths []string
	for _, b := range got {
		paths = append(paths, b.Path)
	}
	if want := "dist/b.js lib/setup.js prebuilds/y.node"; strings.Join(paths, " ") != want {
		t.Errorf("Added = %v, want %s", paths, want)
	}
	if Added(next, prev) != nil {
		t.Errorf("an update that removes blobs flags %v", Added(next, prev))
	}
}

func TestDescribe(t *testing.T) {
	var bs []Blob
	for i := range 5 {
		bs = append(bs, Blob{Path: fmt.Sprintf("f%d.js", i), Kind: Minified, Why: "w"})
	}
	got := Describe(bs)
	want := "new minified JavaScript f0.js (w), new minified JavaScript f1.js (w), new minified JavaScript f2.js (w), and 2 more"
	if got != want {
		t.Errorf("Describe = %q", got)
	}
}

func TestScanDir(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.js"), []byte(readable), 0o644)
	os.WriteFile(filepath.Join(dir, "lib", "x.js"), []byte("var a="+strings.Repeat("b(c,d)&&e.f(g)||h[i]=j;", 200)), 0o644)
	os.WriteFile(filepath.Join(dir, "lib", "a.node"), []byte("\x7fELF\x02\x01\x01"), 0o644)
	got, err := ScanDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Blob{Path: "lib/a.node", Kind: ELF, Why: "magic number"}) || got[1].Path != "lib/x.js" || got[1].Kind != Minified {
		t.Errorf("ScanDir = %+v", got)
	}
	// An explicit file list is honoured.
	got, _ = ScanDir(dir, []string{"index.js", "lib/a.node"})
	if len(got) != 1 || got[0].Path != "lib/a.node" {
		t.Errorf("ScanDir(list) = %+v", got)
	}
	if _, err := ScanDir(dir, []string{"missing.js"}); err == nil {
		t.Error("a listed file that is missing is not an error")
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("a.js", []byte(readable))
	f.Add("a.exe", []byte("MZ"+strings.Repeat("\x00", 0x3a)+"\xff\xff\xff\x7f"))
	f.Add("a.node", []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0})
	f.Add("a.js", []byte("_0x_0x1234\\x"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		k, why := Classify(name, data, int64(len(data)))
		if (k == "") != (why == "") {
			t.Fatalf("kind %q with reason %q", k, why)
		}
	})
}
