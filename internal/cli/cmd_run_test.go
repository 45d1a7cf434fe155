package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runJS(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	s := IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Env: []string{"GNODE_CACHE_DIR=off", "HOME=" + dir}, Dir: dir}
	code := Main(args, s)
	return out.String(), errb.String(), code
}

func TestRunScriptForms(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.js"), []byte("console.log(process.argv.slice(2).join('|'), require('path').basename(process.argv[1]))"), 0o644)
	os.WriteFile(filepath.Join(dir, "fail.js"), []byte("throw new Error('x')"), 0o644)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		out   string
		code  int
	}{
		{"file", []string{"app.js", "a", "b"}, "", "a|b app.js\n", 0},
		{"run", []string{"run", "app.js", "--flag"}, "", "--flag app.js\n", 0},
		{"dashdash", []string{"--", "app.js", "x"}, "", "x app.js\n", 0},
		{"runtime flag", []string{"--no-warnings", "app.js", "y"}, "", "y app.js\n", 0},
		{"eval", []string{"-e", "console.log(1 + 1)"}, "", "2\n", 0},
		{"eval argv", []string{"-e", "console.log(process.argv.length, process.argv[1])", "q"}, "", "2 q\n", 0},
		{"print", []string{"-p", "[1, 'a']"}, "", "[ 1, 'a' ]\n", 0},
		{"print string", []string{"-p", "'plain'"}, "", "plain\n", 0},
		{"stdin", []string{"-"}, "console.log('from stdin')", "from stdin\n", 0},
		{"eval esm detected", []string{"-e", "import path from 'node:path'; console.log(path.sep, await 1)"}, "", "/ 1\n", 0},
		{"input-type module", []string{"--input-type=module", "-e", "console.log(typeof require)"}, "", "undefined\n", 0},
		{"exit code", []string{"-e", "process.exit(4)"}, "", "", 4},
		{"uncaught", []string{"fail.js"}, "", "", 1},
		{"missing", []string{"nope.js"}, "", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runJS(t, dir, tc.stdin, tc.args...)
			if out != tc.out || code != tc.code {
				t.Errorf("gnode %q: out=%q code=%d, want %q %d\nstderr: %s", tc.args, out, code, tc.out, tc.code, errOut)
			}
		})
	}
}

func TestUncaughtBanner(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "fail.js"), []byte("const a = 1;\nthrow new TypeError('bad input');\n"), 0o644)
	_, errOut, code := runJS(t, dir, "", "fail.js")
	want := filepath.Join(dir, "fail.js") + ":2\nthrow new TypeError('bad input');\n"
	if code != 1 || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, "TypeError: bad input\n    at ") || !strings.HasSuffix(errOut, "\nNode.js "+NodeVersion+"\n") {
		t.Errorf("code %d, stderr:\n%s", code, errOut)
	}
}

func TestRunPackageScript(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"scripts":{"hello":"echo hello from script","fail":"exit 3"}}`), 0o644)
	var out, errb bytes.Buffer
	s := IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: []string{"PATH=" + os.Getenv("PATH")}, Dir: dir}
	if code := Main([]string{"run", "-s", "hello", "it's"}, s); code != 0 || out.String() != "hello from script it's\n" {
		t.Errorf("code %d out %q stderr %q", code, out.String(), errb.String())
	}
	if code := Main([]string{"run", "fail"}, s); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
}

func TestPreloadRequire(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pre.js"), []byte("globalThis.preloaded = 'yes';"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.js"), []byte("console.log(globalThis.preloaded)"), 0o644)
	out, errOut, code := runJS(t, dir, "", "-r", "./pre.js", "main.js")
	if out != "yes\n" || code != 0 {
		t.Errorf("out %q code %d stderr %s", out, code, errOut)
	}
}
