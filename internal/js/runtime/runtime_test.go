package runtime

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, files map[string]string, main string, args ...string) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	code := Run(Options{Script: filepath.Join(dir, main), Args: args, Cwd: dir, Stdout: &out, Stderr: &errb, Env: []string{"GNODE_DEBUG_LEAKS=1"}})
	return strings.ReplaceAll(out.String(), dir, "<dir>"), strings.ReplaceAll(errb.String(), dir, "<dir>"), code
}

func TestTypeScript(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		main  string
		out   string
	}{
		{"enum and types", map[string]string{"a.ts": "enum C { A, B }\nconst n: number = C.B;\nconsole.log(n);\n"}, "a.ts", "1\n"},
		{"cts requires ts", map[string]string{
			"main.cts": "const { h } = require('./lib.ts');\nconsole.log(h(2));\n",
			"lib.ts":   "export function h(n: number): number { return n * 3 }\n",
		}, "main.cts", "6\n"},
		// Node 22 never guesses a .ts extension: './lib' is not found.
		{"no ts extension guessing", map[string]string{
			"main.cts": "try { require('./lib') } catch (e) { console.log(e.code) }\n",
			"lib.ts":   "export const h = 1;\n",
		}, "main.cts", "MODULE_NOT_FOUND\n"},
		{"mts imports ts", map[string]string{
			"main.mts": "import { h } from './lib.ts';\nconsole.log(h(5));\n",
			"lib.ts":   "export const h = (n: number) => n + 1;\n",
		}, "main.mts", "6\n"},
		{"stack points at ts lines", map[string]string{
			"s.ts": "// one\ntype T = { a: string };\nenum E { A = 1 }\nfunction f(x: T): string {\n  return new Error(x.a).stack!.split('\\n')[1].replace(/:\\d+\\)$/, ')');\n}\nconsole.log(f({ a: 'x' }));\n",
		}, "s.ts", "    at f (<dir>/s.ts:5)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, tc.files, tc.main)
			if out != tc.out || code != 0 {
				t.Errorf("out=%q code=%d want %q\nstderr: %s", out, code, tc.out, errOut)
			}
		})
	}
}

func TestNoLeaksAfterRun(t *testing.T) {
	// GNODE_DEBUG_LEAKS makes close report leaked objects on stderr.
	_, errOut, code := run(t, map[string]string{"m.js": `
		const fs = require('fs');
		setTimeout(() => {}, 1);
		setImmediate(() => {});
		fs.readFile(__filename, () => Promise.reject(new Error('x')).catch(() => {}));
		import('./e.mjs').then((m) => console.log(m.v));
		class A extends Error {}
		try { throw new A('a'); } catch (e) { e.stack; }
	`, "e.mjs": "export const v = 1;"}, "m.js")
	if code != 0 || strings.Contains(errOut, "leaked") {
		t.Errorf("code %d stderr %s", code, errOut)
	}
}

func TestSignalListener(t *testing.T) {
	out, errOut, code := run(t, map[string]string{"s.js": `
		const t = setTimeout(() => console.log('timed out'), 5000);
		process.on('SIGUSR2', (name) => { console.log('got', name); clearTimeout(t); });
		setImmediate(() => process.kill(process.pid, 'SIGUSR2'));
	`}, "s.js")
	if out != "got SIGUSR2\n" || code != 0 {
		t.Errorf("out %q code %d stderr %s", out, code, errOut)
	}
}
