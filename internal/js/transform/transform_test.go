package transform

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runNode executes JavaScript under node and returns stdout; it skips the
// test when node is absent.
func runNode(t *testing.T, code []byte, ext string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping execution check")
	}
	p := filepath.Join(t.TempDir(), "out"+ext)
	if err := os.WriteFile(p, code, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, p).CombinedOutput()
	if err != nil {
		t.Fatalf("node failed: %v\n%s\n--- code ---\n%s", err, out, code)
	}
	return string(out)
}

func TestTransformRuns(t *testing.T) {
	cases := []struct {
		name, file, src string
		format          Format
		ext, want       string
	}{
		{"enum", "e.ts", `enum Color { Red, Green = 5, Blue }
enum S { A = "a", B = "b" }
const enum K { X = 2 }
console.log(Color.Red, Color.Green, Color.Blue, Color[6], S.B, K.X);`, FormatPreserve, ".js", "0 5 6 Blue b 2\n"},
		{"namespace", "n.ts", `namespace Geo { export const pi = 3; export function area(r: number): number { return pi * r * r; } }
namespace Geo { export const e = 2; }
console.log(Geo.area(2), Geo.e);`, FormatPreserve, ".js", "12 2\n"},
		{"parameter properties", "p.ts", `class P { constructor(public x: number, private y: string = "d") {} show() { return this.x + this.y; } }
console.log(new P(1).show());`, FormatPreserve, ".js", "1d\n"},
		{"type-only imports dropped", "t.ts", `import type { Foo } from "./does-not-exist";
import { Bar } from "./also-missing";
let v: Foo | Bar = 1 as any;
console.log(typeof v);`, FormatPreserve, ".mjs", "number\n"},
		{"cts converts imports to require", "c.cts", `import * as path from "node:path";
export const j = path.posix.join("a", "b");
console.log(j, typeof module, typeof exports);`, FormatCommonJS, ".cjs", "a/b object object\n"},
		{"mts stays esm", "m.mts", `import { sep } from "node:path";
export const s: string = sep;
console.log(s, typeof import.meta.url);`, FormatESM, ".mjs", "/ string\n"},
		{"standard decorators lowered", "d.ts", `function logged(value: any, ctx: ClassMethodDecoratorContext) {
  return function (this: any, ...args: any[]) { console.log("call " + String(ctx.name)); return value.apply(this, args); };
}
class A { @logged hi() { return 7; } }
console.log(new A().hi());`, FormatPreserve, ".js", "call hi\n7\n"},
		{"satisfies and generics", "g.ts", `const cfg = { a: 1 } satisfies Record<string, number>;
function id<T>(x: T): T { return x; }
console.log(id<number>(cfg.a));`, FormatPreserve, ".js", "1\n"},
	}
	tr := New("-")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, sm, err := tr.TS(c.file, []byte(c.src), c.format)
			if err != nil {
				t.Fatal(err)
			}
			if len(sm) == 0 {
				t.Fatal("no source map")
			}
			if strings.Contains(string(code), "sourceMappingURL") {
				t.Error("external source map must not be linked from the code")
			}
			if got := runNode(t, code, c.ext); got != c.want {
				t.Errorf("output %q, want %q\n--- code ---\n%s", got, c.want, code)
			}
		})
	}
}

func TestLegacyDecorators(t *testing.T) {
	tr := New("-").WithTsconfig(`{"compilerOptions":{"experimentalDecorators":true}}`)
	src := `function sealed(ctor: Function) { Object.seal(ctor); Object.seal(ctor.prototype); }
@sealed class B { x = 1 }
console.log(Object.isSealed(B));`
	code, _, err := tr.TS("b.ts", []byte(src), FormatPreserve)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(code), "__decorateClass") {
		t.Errorf("legacy decorators should use esbuild's __decorateClass helper:\n%s", code)
	}
	if got := runNode(t, code, ".js"); got != "true\n" {
		t.Errorf("got %q", got)
	}
}

func TestSyntaxError(t *testing.T) {
	_, _, err := New("-").TS("/src/bad.ts", []byte("let x: number = ;\n"), FormatPreserve)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	if e.File != "/src/bad.ts" || e.Line != 1 || !strings.HasPrefix(err.Error(), "/src/bad.ts:1:17: ") {
		t.Errorf("error %q (%+v)", err, e)
	}
}

func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	src := []byte("export const a: number = 1;\n")
	c1, m1, err := New(dir).TS("/x/a.ts", src, FormatESM)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 2 {
		t.Fatalf("cache files %v, want code and map", files)
	}
	for _, f := range files {
		if strings.Contains(filepath.Base(f), ".tmp-") {
			t.Errorf("temporary file left behind: %s", f)
		}
	}
	// Poison the cached code: a fresh Transformer must serve it from disk,
	// proving the cache is read.
	var jsFile string
	for _, f := range files {
		if strings.HasSuffix(f, ".js") {
			jsFile = f
		}
	}
	if err := os.WriteFile(jsFile, []byte("// from cache\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c2, m2, err := New(dir).TS("/x/a.ts", src, FormatESM)
	if err != nil || string(c2) != "// from cache\n" || string(m2) != string(m1) {
		t.Errorf("second transform did not come from the disk cache: %q %v", c2, err)
	}
	// A different format or content is a different key.
	c3, _, _ := New(dir).TS("/x/a.ts", src, FormatCommonJS)
	if string(c3) == string(c1) || string(c3) == "// from cache\n" {
		t.Errorf("format must be part of the key")
	}
}

func TestSourceMapLookup(t *testing.T) {
	src := `interface Big {
  a: string;
  b: number;
}
type T = Big | null;

function f(x: T): string {
  throw new Error("boom");
}
export { f };
`
	code, smJSON, err := New("-").TS("/src/f.ts", []byte(src), FormatESM)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := ParseSourceMap(smJSON)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(code), "\n")
	genLine, genCol := 0, 0
	for i, l := range lines {
		if j := strings.Index(l, "throw"); j >= 0 {
			genLine, genCol = i+1, j+1
		}
	}
	if genLine == 0 {
		t.Fatalf("no throw in output:\n%s", code)
	}
	src2, line, col, ok := sm.LookupSource(genLine, genCol)
	if !ok || line != 8 || col != 3 || src2 != "/src/f.ts" {
		t.Errorf("Lookup(%d,%d) = %s:%d:%d %v, want /src/f.ts:8:3", genLine, genCol, src2, line, col, ok)
	}
	if _, _, ok := sm.Lookup(1000, 1); ok {
		t.Error("a line past the end must not map")
	}
}

func TestSourceMapDecode(t *testing.T) {
	// Hand-written: line 1 col 0 -> src 0 line 0 col 0; col 4 -> line 1
	// col 2; line 3 (after an empty line) col 2 -> line 5 col 0.
	sm, err := ParseSourceMap([]byte(`{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA,IACE;;EAIF"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ gl, gc, ol, oc int }{{1, 1, 1, 1}, {1, 4, 1, 1}, {1, 5, 2, 3}, {1, 99, 2, 3}, {3, 3, 6, 1}} {
		l, col, ok := sm.Lookup(c.gl, c.gc)
		if !ok || l != c.ol || col != c.oc {
			t.Errorf("Lookup(%d,%d) = %d,%d,%v want %d,%d", c.gl, c.gc, l, col, ok, c.ol, c.oc)
		}
	}
	if _, _, ok := sm.Lookup(2, 1); ok {
		t.Error("empty line must not map")
	}
	for _, bad := range []string{`{"version":2,"mappings":""}`, `{"version":3,"mappings":"A!"}`, `{"version":3,"mappings":"AA"}`, `nope`} {
		if _, err := ParseSourceMap([]byte(bad)); err == nil {
			t.Errorf("ParseSourceMap(%s): want error", bad)
		}
	}
}

func TestFormatForPath(t *testing.T) {
	for _, c := range []struct {
		path, typ string
		want      Format
	}{{"a.cts", "module", FormatCommonJS}, {"a.mts", "", FormatESM}, {"a.ts", "module", FormatESM}, {"a.ts", "commonjs", FormatPreserve}, {"a.tsx", "", FormatPreserve}} {
		if got := FormatForPath(c.path, c.typ); got != c.want {
			t.Errorf("FormatForPath(%s, %s) = %v, want %v", c.path, c.typ, got, c.want)
		}
	}
}

func FuzzParseSourceMap(f *testing.F) {
	f.Add(`{"version":3,"sources":["a"],"mappings":"AAAA,IACE;;EAIF"}`, 1, 5)
	f.Add(`{"version":3,"mappings":"gggggg;A"}`, 2, 1)
	f.Fuzz(func(t *testing.T, js string, l, c int) {
		sm, err := ParseSourceMap([]byte(js))
		if err != nil {
			return
		}
		sm.Lookup(l, c)
	})
}
