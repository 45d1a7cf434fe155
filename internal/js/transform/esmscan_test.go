package transform

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/js/cjslexer"
	"gnode/internal/js/qjs"
)

func TestMayHaveModuleSyntax(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want bool
	}{
		{"empty", "", false},
		{"plain cjs", "const a = require('a');\nmodule.exports = { a };", false},
		{"import decl", "import a from 'a';", true},
		{"import braces", "import{a}from'a'", true},
		{"import star", "import * as a from 'a'", true},
		{"import bare", `import "a"`, true},
		{"import meta", "console.log(import.meta.url)", true},
		{"import meta in template", "`${import.meta.url}`", true},
		{"spread import meta", "f(...import.meta.x)", true},
		{"dynamic import", "import('a').then(f)", false},
		{"dynamic import spaced", "import ('a')", false},
		{"export const", "export const a = 1", true},
		{"export braces", "var a;export{a}", true},
		{"export star", "export * from 'a'", true},
		{"export default", "export default 1", true},
		{"export equals (ts)", "export = foo", true},
		{"exports object", "exports.a = 1; module.exports.b = 2", false},
		{"in string", `var s = "An export declaration cannot be here"; var t = 'import x from y'`, false},
		{"in line comment", "// export default x\nmodule.exports = 1", false},
		{"in block comment", "/* import a from 'a' */ module.exports = 1", false},
		{"in template", "var s = `export default ${x} import y`", false},
		{"in regex", "var r = /export default/g; module.exports = r", false},
		{"regex with quote then export", `var r = /"/; export { r }`, true},
		{"regex class slash", `var r = /[/"]/; export { r }`, true},
		{"division then export", "var a = b / 2; export { a }", true},
		{"division with quote", `x = a / 2 + "s"; export { x }`, true},
		{"regex after if paren", `if (a) /"/.test(b); export { a }`, true},
		{"division after call paren", `x = f(a) / 2 / 3; export { x }`, true},
		{"member import", "a.import(b); a.export = 1; a?.import", false},
		{"keyword keys", "var k = { import: 1, export: 2 }", false},
		{"method named import", "class A { import() {} export() {} }", false},
		{"identifier prefix", "var important = 1, exported = 2, imports = 3", false},
		{"brace then slash", "{}\n/x/.test(y)", true},
		{"await slash", "await /x/", true},
		{"shebang", "#!/usr/bin/env node export x\nmodule.exports = 1", false},
		{"bom", "\uFEFFexport const a = 1", true},
		{"unterminated string ends at line", "var s = 'abc\nexport { s }", true},
		{"string escape", `var s = "a\"export {x}\""`, false},
		{"hex exponent", "var x = 0x1e-1; export { x }", true},
		{"postfix then division", `x = a++ / 2; var s = "q"`, false},
		{"nested template", "var s = `a${`b${c}`}d` + `export { x }`", false},
		{"template then export", "var s = `a${b}c`; export { s }", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MayHaveModuleSyntax([]byte(c.src)); got != c.want {
				t.Errorf("MayHaveModuleSyntax(%q) = %v, want %v", c.src, got, c.want)
			}
		})
	}
}

// TestMayHaveModuleSyntaxCorpus checks the pre-filter against the full
// lexer over the JavaScript installed on this machine: wherever the lexer
// finds module syntax, the pre-filter must say "maybe".
func TestMayHaveModuleSyntaxCorpus(t *testing.T) {
	var roots []string
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		roots = append(roots, strings.TrimSpace(string(out)))
	}
	if len(roots) == 0 {
		t.Skip("npm is not installed: no corpus of real packages to compare with")
	}
	files, negatives, lexerESM := 0, 0, 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".mjs") || strings.HasSuffix(p, ".cjs")) {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil || len(src) > 4<<20 {
				return nil
			}
			files++
			_, _, lerr := cjslexer.Analyze(src)
			esm := errors.Is(lerr, cjslexer.ErrESMSyntax)
			may := MayHaveModuleSyntax(src)
			if esm {
				lexerESM++
			}
			if !may {
				negatives++
			}
			if esm && !may {
				t.Errorf("%s: the lexer finds module syntax, the pre-filter does not", p)
			}
			return nil
		})
	}
	t.Logf("%d files: %d with module syntax (lexer), %d ruled out by the pre-filter", files, lexerESM, negatives)
	if files > 100 && negatives < files/4 {
		t.Errorf("the pre-filter rules out only %d of %d files", negatives, files)
	}
}

// FuzzMayHaveModuleSyntax: a source the pre-filter rules out must not be
// one the full lexer finds module syntax in and that is truly a module:
// it fails to compile as a CommonJS function body but compiles as a module.
// (Where the lexer is wrong, the file compiling as CommonJS, ruling it out
// is what Node does.)
func FuzzMayHaveModuleSyntax(f *testing.F) {
	for _, s := range []string{
		"export const a = 1", "import a from 'a'", "var r = /x/; export {r}", "`${import.meta.url}`",
		"if (a) /'/.test(b); export default 1", "x = a / b; import 'c'", "var s = 'export {a}'",
		"class A { import() {} }", "label: { export }", "a\n/b/g", "({} / 2)",
	} {
		f.Add(s)
	}
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { vm.Close() })
	compiles := func(src, name string, flags qjs.EvalFlags) bool {
		v, err := vm.Eval(src, name, flags|qjs.CompileOnly)
		if err != nil {
			if je, ok := err.(*qjs.JSError); ok {
				je.Release()
			}
			return false
		}
		vm.Free(v)
		return true
	}
	f.Fuzz(func(t *testing.T, src string) {
		if MayHaveModuleSyntax([]byte(src)) {
			return
		}
		if _, _, err := cjslexer.Analyze([]byte(src)); !errors.Is(err, cjslexer.ErrESMSyntax) {
			return
		}
		if strings.HasPrefix(src, "#!") {
			src = "//" + src[2:] // as the loader reads a file
		}
		if !compiles("(function (exports, require, module, __filename, __dirname) {"+src+"\n})", "cjs.js", qjs.Script) &&
			compiles(src, "esm.mjs", qjs.Module) {
			t.Errorf("ruled out, but only valid as a module: %q", src)
		}
	})
}
