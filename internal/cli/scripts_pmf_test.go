package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLifecycleCommands runs gnode test/start/stop/restart on small
// projects and, where npm is installed, compares stdout and exit code with
// `npm <cmd> --silent` on the same project.
func TestLifecycleCommands(t *testing.T) {
	tests := []struct {
		name    string
		scripts string // package.json "scripts" object
		files   map[string]string
		args    []string
		out     string
		code    int
	}{
		{"test args go to main only", `{"pretest":"echo pre","test":"echo test","posttest":"echo post"}`, nil,
			[]string{"test", "--", "a b", "c"}, "pre\ntest a b c\npost\n", 0},
		{"test without dashdash", `{"test":"echo t"}`, nil, []string{"test", "x"}, "t x\n", 0},
		{"failing pre stops", `{"pretest":"echo pre; exit 3","test":"echo test","posttest":"echo post"}`, nil,
			[]string{"test"}, "pre\n", 3},
		{"failing main code", `{"test":"exit 7","posttest":"echo post"}`, nil, []string{"test"}, "", 7},
		{"missing test", `{}`, nil, []string{"test"}, "", 1},
		{"start script", `{"prestart":"echo a","start":"echo s","poststart":"echo b"}`, nil, []string{"start"}, "a\ns\nb\n", 0},
		{"start defaults to server.js", `{"prestart":"echo a"}`, map[string]string{"server.js": "console.log('srv', process.argv.slice(2).join(','))\n"},
			[]string{"start", "--", "p", "q"}, "a\nsrv p,q\n", 0},
		{"missing start", `{}`, nil, []string{"start"}, "", 1},
		{"stop", `{"stop":"echo stop"}`, nil, []string{"stop"}, "stop\n", 0},
		{"restart script", `{"prerestart":"echo pr","restart":"echo r","stop":"echo no","start":"echo no"}`, nil,
			[]string{"restart"}, "pr\nr\n", 0},
		{"restart as stop then start", `{"prerestart":"echo pr","prestop":"echo ps","stop":"echo stop","poststop":"echo pos","prestart":"echo pst","start":"echo start","poststart":"echo post","postrestart":"echo prr"}`, nil,
			[]string{"restart"}, "pr\nps\nstop\npos\npst\nstart\npost\nprr\n", 0},
	}
	_, npmErr := exec.LookPath("npm")
	_, nodeErr := exec.LookPath("node")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","scripts":`+tc.scripts+`}`), 0o644)
			for n, c := range tc.files {
				os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
			}
			sub := filepath.Join(dir, "sub")
			os.Mkdir(sub, 0o755) // run from a subfolder: the project is found upwards
			var out, errb bytes.Buffer
			home := t.TempDir()
			env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=off"}
			// npm's banner is tested in TestScriptBannerMatchesNpm; here the
			// scripts' own output is compared, as under npm --silent.
			code := Main(append([]string{tc.args[0], "--silent"}, tc.args[1:]...), IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: sub})
			if code != tc.code || out.String() != tc.out {
				t.Fatalf("gnode %v: code %d stdout %q (stderr %q); want %d %q", tc.args, code, out.String(), errb.String(), tc.code, tc.out)
			}
			if tc.code == 1 && !strings.Contains(errb.String(), "missing script") {
				t.Errorf("stderr %q does not say the script is missing", errb.String())
			}
			if npmErr != nil || (tc.files != nil && nodeErr != nil) {
				t.Skip("npm (or node) not installed: no differential check")
			}
			args := append([]string{tc.args[0], "--silent"}, tc.args[1:]...)
			cmd := exec.Command("npm", args...)
			cmd.Dir = sub
			cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false")
			var nout bytes.Buffer
			cmd.Stdout = &nout
			err := cmd.Run()
			ncode := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				ncode = ee.ExitCode()
			}
			if ncode != code || nout.String() != out.String() {
				t.Errorf("npm %v: code %d stdout %q; gnode: %d %q", args, ncode, nout.String(), code, out.String())
			}
		})
	}
}
