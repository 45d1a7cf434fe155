package runtime

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gnode/internal/js/qjs"
)

// runCached runs main in dir with the bytecode cache in cacheDir.
func runCached(t *testing.T, dir, cacheDir, main string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(Options{Script: filepath.Join(dir, main), Cwd: dir, CacheDir: cacheDir, Stdout: &out, Stderr: &errb, Env: []string{"GNODE_DEBUG_LEAKS=1"}})
	return strings.ReplaceAll(out.String(), dir, "<dir>"), strings.ReplaceAll(errb.String(), dir, "<dir>"), code
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// bigModule is a CommonJS module over the large-source threshold whose
// text mentions module syntax only in strings and comments, holds
// non-Latin-1 text when wide is set, and throws from a known line.
func bigModule(wide bool) string {
	var b strings.Builder
	b.WriteString("'use strict';\n// export default nothing: this is CommonJS\nconst s = 'import x from \"y\"; export { x }';\n")
	b.WriteString("function where() { return new Error('here').stack.split('\\n')[1]; }\n") // line 4
	text := "é"
	if wide {
		text = "☃ 😀"
	}
	b.WriteString("module.exports = { where, s, text: '" + text + "', sum: 0 };\n")
	for i := 0; b.Len() < 2*largeSourceMin; i++ {
		b.WriteString("module.exports.sum += " + strings.Repeat("1 + ", 20) + "1; // padding line with a / division / and 'quotes'\n")
	}
	return b.String()
}

// compileModes runs f with big modules compiled in the loader's VM and
// compiled in a runtime of their own (readWrapped).
func compileModes(t *testing.T, f func(t *testing.T)) {
	for _, isolated := range []bool{false, true} {
		name := "in-vm"
		if isolated {
			name = "isolated"
		}
		t.Run(name, func(t *testing.T) {
			defer func(v int64) { isolatedCompileMin = v }(isolatedCompileMin)
			if isolated {
				isolatedCompileMin = largeSourceMin
			}
			before := isolatedCompiles.Load()
			f(t)
			if n := isolatedCompiles.Load() - before; isolated != (n > 0) {
				t.Errorf("%d isolated compiles", n)
			}
		})
	}
}

func TestLargeModuleCache(t *testing.T) { compileModes(t, testLargeModuleCache) }

func testLargeModuleCache(t *testing.T) {
	for _, wide := range []bool{false, true} {
		name := "latin1"
		if wide {
			name = "wide"
		}
		t.Run(name, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			big := bigModule(wide)
			lines := strings.Count(big, "\n") - 5
			small := big[:strings.Index(big, "module.exports.sum +=")]
			writeFiles(t, dir, map[string]string{
				"big.js":   big,
				"small.js": small,
				"main.js":  "const m = require('./big.js');\nconsole.log(m.where(), m.text, m.sum, m.s.length);\n",
				"ref.js":   "const m = require('./small.js');\nconsole.log(m.where().replace('small.js', 'big.js'));\n",
			})
			// The small module takes the ordinary compile: the stack frame
			// must read the same.
			ref, _, _ := runCached(t, dir, "", "ref.js")
			if !strings.Contains(ref, "big.js:4:") {
				t.Fatalf("reference frame %q", ref)
			}
			text := "é"
			if wide {
				text = "☃ 😀"
			}
			want := strings.TrimSuffix(ref, "\n") + " " + text + " " + strconv.Itoa(21*lines) + " 31\n"
			for _, pass := range []string{"cold", "warm"} {
				out, errOut, code := runCached(t, dir, cache, "main.js")
				if out != want || code != 0 || errOut != "" {
					t.Errorf("%s: out %q code %d stderr %q, want %q", pass, out, code, errOut, want)
				}
			}
			entries, _ := filepath.Glob(filepath.Join(cache, "bytecode", "*.qbc"))
			if len(entries) == 0 {
				t.Fatal("no bytecode cached for the large module")
			}
			// A damaged cache entry is compiled again, not trusted.
			for _, e := range entries {
				os.WriteFile(e, []byte("garbage"), 0o644)
			}
			if out, errOut, code := runCached(t, dir, cache, "main.js"); out != want || code != 0 {
				t.Errorf("damaged cache: out %q code %d stderr %q", out, code, errOut)
			}
		})
	}
}

// A hook that rewrites a module's text in _compile gets its text compiled,
// not the cached bytecode of the file as read.
func TestLargeModuleCompileHook(t *testing.T) { compileModes(t, testLargeModuleCompileHook) }

func testLargeModuleCompileHook(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		"big.js": bigModule(false),
		"main.js": `const Module = require('module');
const orig = Module.prototype._compile;
let hooked = false;
Module.prototype._compile = function (content, filename) {
  if (hooked) return orig.call(this, content.replace("text: 'é'", "text: 'hooked'"), filename);
  return orig.call(this, content, filename);
};
console.log(require('./big.js').text);
delete require.cache[require.resolve('./big.js')];
hooked = true;
console.log(require('./big.js').text);
`,
	})
	for _, pass := range []string{"cold", "warm"} {
		out, errOut, code := runCached(t, dir, cache, "main.js")
		if out != "é\nhooked\n" || code != 0 {
			t.Errorf("%s: out %q code %d stderr %q", pass, out, code, errOut)
		}
	}
}

// Module detection of large files without a package type: module syntax
// makes an ES module, syntax only mentioned in strings does not.
func TestLargeModuleDetection(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	esm := "export const kind = typeof require === 'undefined' ? 'esm' : 'cjs';\n" + strings.Repeat("// padding\n", largeSourceMin/10)
	writeFiles(t, dir, map[string]string{
		"package.json": `{"name": "p"}`,
		"cjs.js":       bigModule(false),
		"esm.js":       esm,
		"main.js":      "console.log(typeof require('./cjs.js').where, require('./esm.js').kind);\n",
	})
	for _, pass := range []string{"cold", "warm"} {
		out, errOut, code := runCached(t, dir, cache, "main.js")
		if out != "function esm\n" || code != 0 {
			t.Errorf("%s: out %q code %d stderr %q", pass, out, code, errOut)
		}
	}
}

// A large ES module is compiled from its file's mapping: imports, exports,
// import.meta and stack positions are those of the ordinary load.
func TestLargeESModule(t *testing.T) {
	dir := t.TempDir()
	body := "export const url = import.meta.url.slice(-7);\nexport function where() { return new Error('here').stack.split('\\n')[1]; }\nexport const text = 'é ☃';\n"
	writeFiles(t, dir, map[string]string{
		"big.mjs":   body + strings.Repeat("// padding line, not code: export default 1\n", 2*largeSourceMin/45),
		"small.mjs": body,
		"main.mjs":  "import * as b from './big.mjs';\nimport * as s from './small.mjs';\nconsole.log(b.url, b.text, b.where().replace('big.mjs', 'X') === s.where().replace('small.mjs', 'X'));\n",
	})
	out, errOut, code := runCached(t, dir, "", "main.mjs")
	if out != "big.mjs é ☃ true\n" || code != 0 {
		t.Errorf("out %q code %d stderr %q", out, code, errOut)
	}
}

// A large CommonJS file with a syntax error fails as it does without the
// cache (the isolated compile gives up and the loader's compile reports
// it), cold and warm; a #! line or a BOM keeps working through the cache.
func TestLargeModuleCompileOutcomes(t *testing.T) { compileModes(t, testLargeModuleCompileOutcomes) }

func testLargeModuleCompileOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		code       int
	}{
		{"syntax error", bigModule(false) + "\nlet broken = ;\n", 1},
		{"shebang", "#!/usr/bin/env node\n" + bigModule(false), 0},
		{"bom", "\uFEFF" + bigModule(false), 0},
		{"wide", bigModule(true), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			writeFiles(t, dir, map[string]string{
				"big.js":  tc.text,
				"main.js": "const m = require('./big.js');\nconsole.log(m.where(), m.text, m.sum);\n",
			})
			wantOut, wantErr, wantCode := runCached(t, dir, "", "main.js")
			if wantCode != tc.code {
				t.Fatalf("without cache: code %d, want %d (stderr %q)", wantCode, tc.code, wantErr)
			}
			for _, pass := range []string{"cold", "warm"} {
				out, errOut, code := runCached(t, dir, cache, "main.js")
				if out != wantOut || errOut != wantErr || code != wantCode {
					t.Errorf("%s: out %q stderr %q code %d, want %q %q %d", pass, out, errOut, code, wantOut, wantErr, wantCode)
				}
			}
		})
	}
}

// The cache key of a wrapper body is the same whether it is computed from
// the file's UTF-8 bytes (readWrapped, before the text is a string) or
// from the string the loader passes (compileWrapperValue).
func TestWrapperKeyIsUTF8(t *testing.T) {
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	r := &rt{opts: Options{CacheDir: "/cache"}, vm: vm}
	for _, tc := range []struct{ name, js, utf8 string }{
		{"ascii", `'let a = 1;\n'`, "let a = 1;\n"},
		{"latin1", `'const s = "é\u00ff";'`, "const s = \"é\u00ff\";"},
		{"wide", `'"☃ 😀"'`, "\"☃ 😀\""},
		{"lone surrogate", `'a\ud800b\udc00'`, "a\uFFFDb\uFFFD"},
		{"empty", `''`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := vm.Eval(tc.js, "k.js", qjs.Script)
			if err != nil {
				t.Fatal(err)
			}
			defer vm.Free(v)
			latin1, wide, flat, ok := vm.StringData(v)
			defer vm.Free(flat)
			if !ok {
				t.Fatal("not a string")
			}
			got := r.bytecodePathOf("/m/big.js", cjsParams, latin1, wide)
			h := r.wrapperHash("/m/big.js", cjsParams)
			h.Write([]byte(tc.utf8))
			want := filepath.Join("/cache", "bytecode", hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
			if got != want {
				t.Errorf("key from the string %s, from the bytes %s", got, want)
			}
			if other := r.bytecodePathOf("/m/other.js", cjsParams, latin1, wide); other == got {
				t.Error("file name not in the key")
			}
		})
	}
}

// Large ES modules through the bytecode cache, compiled in the VM or in a
// runtime of their own: the same output cold and warm as without the
// cache, a syntax error included.
func TestLargeESModuleCache(t *testing.T) { compileModes(t, testLargeESModuleCache) }

func testLargeESModuleCache(t *testing.T) {
	body := "export const url = import.meta.url.slice(-7);\nexport function where() { return new Error('here').stack.split('\\n')[1]; }\nexport const text = 'é ☃';\n"
	pad := strings.Repeat("// padding line, not code: export default 1\n", 2*largeSourceMin/45)
	for _, tc := range []struct{ name, big string }{
		{"ok", body + pad},
		{"syntax error", body + pad + "export const broken = ;\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			writeFiles(t, dir, map[string]string{
				"big.mjs":  tc.big,
				"main.mjs": "import * as b from './big.mjs';\nconsole.log(b.url, b.text, b.where());\n",
			})
			wantOut, wantErr, wantCode := runCached(t, dir, "", "main.mjs")
			for _, pass := range []string{"cold", "warm"} {
				out, errOut, code := runCached(t, dir, cache, "main.mjs")
				if out != wantOut || errOut != wantErr || code != wantCode {
					t.Errorf("%s: out %q stderr %q code %d, want %q %q %d", pass, out, errOut, code, wantOut, wantErr, wantCode)
				}
			}
		})
	}
}
