package runtime

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVMModule covers node:vm behaviour that needs the engine: realms,
// timeouts through the interrupt handler (and that the run goes on
// afterwards), process.exit from inside a context, and no leaked objects
// once the run ends (GNODE_DEBUG_LEAKS makes Close report them).
func TestVMModule(t *testing.T) {
	for _, tc := range []struct {
		name, src, out string
		code           int
	}{
		{"contexts are collected", `
const vm = require('vm');
let n = 0;
for (let i = 0; i < 200; i++) {
  const ctx = vm.createContext({ i });
  n += vm.runInContext('var a = [i, {}]; a.self = a; i', ctx);
}
console.log(n);`, "19900\n", 0},
		{"timeout then more code", `
const vm = require('vm');
for (const fn of [() => vm.runInNewContext('for (;;) {}', {}, { timeout: 20 }),
                  () => vm.runInThisContext('while (true) {}', { timeout: 20 })]) {
  try { fn(); } catch (e) { console.log(e.code, e.message); }
}
setTimeout(() => console.log('loop alive', vm.runInNewContext('6 * 7')), 5);`,
			"ERR_SCRIPT_EXECUTION_TIMEOUT Script execution timed out after 20ms\n" +
				"ERR_SCRIPT_EXECUTION_TIMEOUT Script execution timed out after 20ms\nloop alive 42\n", 0},
		{"timeout catchable inside try/finally", `
const vm = require('vm');
let fin = false;
try { vm.runInNewContext('try { for (;;) {} } finally { globalThis.leaked = 1 }', {}, { timeout: 10 }); }
catch (e) { fin = e.code; }
console.log(fin);`, "ERR_SCRIPT_EXECUTION_TIMEOUT\n", 0},
		{"process.exit inside a context", `
const vm = require('vm');
vm.runInNewContext('p.exit(3); never()', { p: process }, { timeout: 1000 });
console.log('not reached');`, "", 3},
		{"stack names the script file", `
const vm = require('vm');
try { vm.runInNewContext('\n\nnull.x', {}, { filename: 'inner.js' }); }
catch (e) { console.log(/inner\.js:3/.test(e.stack), e instanceof TypeError); }`, "true false\n", 0},
		{"values cross realms", `
const vm = require('vm');
const ctx = vm.createContext({ host: { list: [1, 2] } });
const r = vm.runInContext('host.list.push(3); ({ arr: host.list, own: [4] })', ctx);
console.log(r.arr.length, r.arr instanceof Array, r.own instanceof Array, Array.isArray(r.own));`, "3 true false true\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, map[string]string{"main.js": tc.src}, "main.js")
			if out != tc.out || code != tc.code {
				t.Errorf("stdout %q exit %d, want %q exit %d\nstderr: %s", out, code, tc.out, tc.code, errOut)
			}
			if strings.Contains(errOut, "leaked") {
				t.Errorf("leak reported: %s", errOut)
			}
		})
	}
}

// TestNodeTestExitCode checks node:test's verdicts: the exit code, the
// summary counts and the result lines of the TAP reporter.
func TestNodeTestExitCode(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		code      int
		want      []string
	}{
		{"all pass", `
const { test, describe, it } = require('node:test');
test('a', () => {});
describe('s', () => { it('b', async () => {}); });`, 0,
			[]string{"ok 1 - a", "    ok 1 - b", "ok 2 - s", "# pass 2", "# fail 0", "# suites 1"}},
		{"a failure exits 1", `
const test = require('node:test');
test('bad', () => { throw new Error('nope'); });
test('good', () => {});`, 1,
			[]string{"not ok 1 - bad", "  error: 'nope'", "ok 2 - good", "# fail 1", "# pass 1"}},
		{"plan mismatch fails", `
const test = require('node:test');
test('planned', (t) => { t.plan(2); t.assert.ok(true); });`, 1,
			[]string{"not ok 1 - planned", "plan expected 2 assertions but received 1"}},
		{"pending promise is cancelled at exit", `
const test = require('node:test');
test('hangs', () => new Promise(() => {}));`, 1,
			[]string{"not ok 1 - hangs", "failureType: 'cancelledByParent'", "# cancelled 1"}},
		{"skip and todo do not fail", `
const test = require('node:test');
test('s', { skip: 'why' }, () => { throw new Error('x'); });
test('t', { todo: true }, () => { throw new Error('x'); });`, 0,
			[]string{"ok 1 - s # SKIP why", "not ok 2 - t # TODO", "# skipped 1", "# todo 1", "# fail 0"}},
		{"bare require of test is the npm package", `
try { require('test'); } catch (e) { console.log(e.code); }`, 0,
			[]string{"MODULE_NOT_FOUND"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, map[string]string{"main.js": tc.src}, "main.js")
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w+"\n") && !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestREPLOnStdin runs the REPL the way `gnode` on a terminal does, over a
// reader standing in for stdin.
func TestREPLOnStdin(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(Options{
		HasEval: true, Eval: "require('repl').start()",
		Stdin:  strings.NewReader("1 + 1\nconst s = 'x'.repeat(3)\ns\nfunction f() {\nreturn 7 }\nf() * 6\nthrow new Error('boom')\n"),
		Stdout: &out, Stderr: &errb, Cwd: t.TempDir(),
	})
	want := "> 2\n> undefined\n> 'xxx'\n> ... undefined\n> 42\n> Uncaught Error: boom\n> "
	if out.String() != want || code != 0 {
		t.Errorf("stdout %q exit %d, want %q exit 0\nstderr: %s", out.String(), code, want, errb.String())
	}
}

// TestDomainCatchesTimerErrors: an error thrown by a timer scheduled inside
// a domain reaches the domain, and the process exits 0.
func TestDomainCatchesTimerErrors(t *testing.T) {
	out, errOut, code := run(t, map[string]string{"main.js": `
const d = require('domain').create();
d.on('error', (e) => console.log('domain got', e.message));
d.run(() => setTimeout(() => { throw new Error('late'); }, 1));
setTimeout(() => console.log('still running'), 10);`}, "main.js")
	if out != "domain got late\nstill running\n" || code != 0 {
		t.Errorf("stdout %q exit %d\nstderr: %s", out, code, errOut)
	}
}

// TestNodeTestFiles runs `gnode --test` (each file in a child gnode) and
// `node --test` on the same files and compares the reports, durations and
// stack frames masked. It needs the gnode binary, built here.
func TestNodeTestFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gnode binary: skipped under -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test needs it")
	}
	bin := filepath.Join(t.TempDir(), "gnode")
	build := exec.Command("go", "build", "-o", bin, "gnode/cmd/gnode")
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("cannot build gnode (another package mid-edit?): %v\n%s", err, out)
	}
	dir := t.TempDir()
	for name, src := range map[string]string{
		"test/a.test.js":         "const test = require('node:test');\ntest('a1', () => {});\ntest('a2', () => { throw new Error('x'); });\n",
		"test/b.test.js":         "const { describe, it } = require('node:test');\ndescribe('bs', () => { it('b1', () => {}); });\nconsole.log('stdout line from b');\n",
		"lib/util_test.js":       "const test = require('node:test');\ntest('skipped', { skip: true });\n",
		"crash.test.js":          "process.exit(3);\n",
		"notatest.js":            "throw new Error('never run');\n",
		"node_modules/x/test.js": "throw new Error('never run');\n",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	masked := regexp.MustCompile(`(?m)duration_ms:? [\d.e+-]+|^\s+stack: \|-\n(?:\s{4,}.*\n)*`)
	runIn := func(exe string) (string, int) {
		cmd := exec.Command(exe, "--test")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", exe, err)
		}
		return masked.ReplaceAllString(out.String(), "*"), code
	}
	want, wcode := runIn(node)
	got, gcode := runIn(bin)
	if got != want || gcode != wcode {
		t.Errorf("exit gnode=%d node=%d\n--- node\n%s\n--- gnode\n%s", gcode, wcode, want, got)
	}
}
