package cjslexer

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

var lexCases = []struct {
	name, src       string
	exports, reexps []string
}{
	{"exports dot", `exports.a = 1; exports.b = function () {};`, []string{"a", "b"}, nil},
	{"exports bracket", `exports['a-b'] = 1; exports["c"] = 2;`, []string{"a-b", "c"}, nil},
	{"module exports dot", `module.exports.x = 1; module.exports['y'] = 2`, []string{"x", "y"}, nil},
	{"define value", `Object.defineProperty(exports, '__esModule', { value: true });`, []string{"__esModule"}, nil},
	{"define getter ts", `Object.defineProperty(exports, "foo", { enumerable: true, get: function () { return m.foo; } });`, []string{"foo"}, nil},
	{"define getter unsafe", `Object.defineProperty(exports, "foo", { get: function () { return compute(); } });`, nil, nil},
	{"literal", `module.exports = { a, b: c, 'd': e, "f": g };`, []string{"a", "b", "d", "f"}, nil},
	{"literal stops at non-identifier value", `module.exports = { a, b: 1, c };`, []string{"a"}, nil},
	{"literal spread require", `module.exports = { ...require('./x'), y };`, []string{"y"}, []string{"./x"}},
	{"reexport", `module.exports = require("./impl");`, nil, []string{"./impl"}},
	{"reexport replaced", `module.exports = require("./a"); module.exports = require("./b");`, nil, []string{"./b"}},
	{"esbuild annotation", `var x_exports = {}; __export(x_exports, { a: () => a }); module.exports = __toCommonJS(x_exports);
0 && (module.exports = { a, b });`, []string{"a", "b"}, nil},
	{"tslib exportStar", `__exportStar(require("./types"), exports);`, nil, []string{"./types"}},
	{"ts __export", `function __export(m) {} __export(require('./m'));`, nil, []string{"./m"}},
	{"babel reexport", `"use strict";
var _foo = require("./foo");
Object.keys(_foo).forEach(function (key) {
  if (key === "default" || key === "__esModule") return;
  if (key in exports && exports[key] === _foo[key]) return;
  Object.defineProperty(exports, key, {
    enumerable: true,
    get: function () {
      return _foo[key];
    }
  });
});`, nil, []string{"./foo"}},
	{"babel reexport assign", `var _b = require('./b');
Object.keys(_b).forEach(function (k) { if (k !== 'default') exports[k] = _b[k]; });`, nil, []string{"./b"}},
	{"in string", `var s = "exports.no = 1"; exports.yes = 1;`, []string{"yes"}, nil},
	{"in comment", "// exports.no = 1\n/* exports.no2 = 1 */ exports.yes = 1;", []string{"yes"}, nil},
	{"in template", "var t = `exports.no = ${ exports.yes = 1 }`;", []string{"yes"}, nil},
	{"in regex", `var r = /exports.no = 1/; exports.yes = 1;`, []string{"yes"}, nil},
	{"division not regex", `var a = b / 2; exports.x = a / c; exports.y = 1;`, []string{"x", "y"}, nil},
	{"regex after paren keyword", `if (a) /x"/.test(s); exports.z = 1;`, []string{"z"}, nil},
	{"string escapes", `exports['\u0061b'] = 1; exports['\x63'] = 2;`, []string{"ab", "c"}, nil},
	{"unicode ident", `exports.café = 1; exports.π = 2;`, []string{"café", "π"}, nil},
	{"hashbang", "#!/usr/bin/env node\nexports.a = 1", []string{"a"}, nil},
	{"nested scope still counts", `function f() { exports.inner = 1 }`, []string{"inner"}, nil},
	{"member not exports", `foo.exports.x = 1; myexports.y = 2;`, nil, nil},
	{"comparison is not assignment", `if (exports.a === 1) {}`, []string{"a"}, nil},
	{"class brace regex", "class A {}\n/re/.test(x); exports.q = 1", []string{"q"}, nil},
	{"empty", ``, nil, nil},
}

func TestAnalyzeTable(t *testing.T) {
	for _, c := range lexCases {
		ex, re, err := Analyze([]byte(c.src))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(ex, c.exports) || !reflect.DeepEqual(re, c.reexps) {
			t.Errorf("%s: got exports %q reexports %q, want %q %q", c.name, ex, re, c.exports, c.reexps)
		}
	}
}

func TestAnalyzeErrors(t *testing.T) {
	for _, src := range []string{`import x from "y"`, `export const a = 1`, `import.meta.url`, `"unterminated`, "`tpl", `(`, `}`} {
		if _, _, err := Analyze([]byte(src)); err == nil {
			t.Errorf("Analyze(%q): want an error", src)
		}
	}
	if _, _, err := Analyze([]byte(`import("x"); exports.a = 1`)); err != nil {
		t.Errorf("dynamic import is CommonJS: %v", err)
	}
}

// nodeLexer runs Node's own cjs-module-lexer (reachable with
// --expose-internals) over files, returning per file the exports and
// reexports, or "error" when it throws.
const nodeLexerScript = `
const { parse } = require('internal/deps/cjs-module-lexer/lexer');
const fs = require('fs');
const files = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = files.map((f) => {
  try { const r = parse(fs.readFileSync(f, 'utf8')); return { exports: r.exports, reexports: r.reexports }; }
  catch (e) { return { error: true }; }
});
process.stdout.write(JSON.stringify(out));
`

type nodeLex struct {
	Exports   []string `json:"exports"`
	Reexports []string `json:"reexports"`
	Error     bool     `json:"error"`
}

func runNodeLexer(t *testing.T, files []string) []nodeLex {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping the differential lexer test")
	}
	in, _ := json.Marshal(files)
	cmd := exec.Command(node, "--expose-internals", "--no-warnings", "-e", nodeLexerScript)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("node's internal lexer is unavailable (%v): skipping", err)
	}
	var res []nodeLex
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

func compareWithNode(t *testing.T, files []string) (compared, mismatches int) {
	res := runNodeLexer(t, files)
	for i, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ex, re, err := Analyze(src)
		n := res[i]
		compared++
		if n.Error || err != nil {
			if n.Error != (err != nil) {
				mismatches++
				t.Errorf("%s: node error=%v, gnode error=%v", f, n.Error, err)
			}
			continue
		}
		if !sameSet(ex, n.Exports) || !sameSet(re, n.Reexports) {
			mismatches++
			t.Errorf("%s:\n gnode exports %q reexports %q\n node  exports %q reexports %q", f, ex, re, n.Exports, n.Reexports)
		}
	}
	return
}

func sameSet(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func TestDifferentialTable(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, c := range lexCases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".js")
		_ = i
		if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	n, bad := compareWithNode(t, files)
	t.Logf("differential lexer (table): %d sources, %d mismatches", n, bad)
}

func TestDifferentialNpmFiles(t *testing.T) {
	npmRoot, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm not installed: skipping")
	}
	root := filepath.Join(strings.TrimSpace(string(npmRoot)), "npm", "node_modules")
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".cjs")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no files under " + root)
	}
	// Every file, capped so the test stays quick on a shared machine.
	sort.Strings(files)
	if len(files) > 1500 {
		step := len(files) / 1500
		var s []string
		for i := 0; i < len(files); i += step + 1 {
			s = append(s, files[i])
		}
		files = s
	}
	n, bad := compareWithNode(t, files)
	t.Logf("differential lexer (npm's own files): %d files, %d mismatches", n, bad)
}

func FuzzAnalyze(f *testing.F) {
	for _, c := range lexCases {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		Analyze(src) // must not panic or hang
	})
}

// TestToUTF16 checks the one-pass decoder against the standard library's
// two-step conversion (string to runes, runes to UTF-16), which is what the
// lexer used before, on valid, invalid and astral input.
func TestToUTF16(t *testing.T) {
	for _, in := range []string{
		"", "exports.a = 1", "é ü 漢字 😀 \U0010FFFF", "\xff\xfe bad \xc3", "\xed\xa0\x80 surrogate", "a\x00b", "\xf0\x9f\x98",
	} {
		want := utf16.Encode([]rune(in))
		if got := toUTF16([]byte(in)); !slices.Equal(got, want) {
			t.Errorf("toUTF16(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzToUTF16(f *testing.F) {
	f.Add([]byte("module.exports = { a, b }"))
	f.Add([]byte("\xff\xc3(\xf0\x9f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := toUTF16(b), utf16.Encode([]rune(string(b))); !slices.Equal(got, want) {
			t.Fatalf("toUTF16(%q) = %v, want %v", b, got, want)
		}
	})
}
