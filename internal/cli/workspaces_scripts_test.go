package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/pm/scripts"
)

// TestScriptBannerMatchesNpm runs scripts with gnode and with `npm run`
// (and npm test/start) on the same projects and compares stdout and the
// exit code: npm's banner before each script ("> name@version event",
// "> command args"), pre/post scripts, -s/--silent, and runs in
// workspaces (-w NAME|FOLDER, --workspaces, --include-workspace-root,
// --if-present).
func TestScriptBannerMatchesNpm(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name":"root","version":"1.0.0","workspaces":["packages/*"],"scripts":{"build":"echo root build","prebuild":"echo pre root",` +
			`"multi":"echo one\necho two","spaced":"  echo spaced  ","fail":"echo failing; exit 3","test":"echo testing","start":"echo starting"}}`,
		"packages/a/package.json":  `{"name":"a","version":"1.0.0","scripts":{"build":"echo a build","postbuild":"echo post a","test":"echo a test"}}`,
		"packages/b/package.json":  `{"name":"@s/b","version":"2.0.0","scripts":{"lint":"echo b lint"}}`,
		"packages/c/package.json":  `{"name":"c","scripts":{"build":"echo c build; exit 4"}}`,
		"nover/package.json":       `{"name":"nover","scripts":{"x":"echo x"}}`,
		"packages/a/sub/.keep":     "",
		"packages/notws/README.md": "",
		"quiet/package.json":       `{"name":"quiet","version":"1.0.0","scripts":{"x":"echo x"}}`,
		"quiet/.npmrc":             "loglevel=silent\n",
		"restarting/package.json": `{"name":"r","version":"2.0.0","scripts":{"prerestart":"echo pr","prestop":"echo ps","stop":"echo stop",` +
			`"poststop":"echo pos","prestart":"echo pst","start":"echo start","poststart":"echo post","postrestart":"echo prr"}}`,
	}
	cases := []struct {
		dir  string // where the command runs, relative to the project
		args []string
	}{
		{"", []string{"run", "build"}},
		{"", []string{"run", "build", "--", "x", "y z"}},
		{"", []string{"run", "-s", "build"}},
		{"", []string{"run", "build", "--silent"}},
		{"", []string{"run", "build", "--loglevel", "silent"}},
		{"", []string{"run", "multi"}},
		{"", []string{"run", "spaced", "--", "it's"}},
		{"", []string{"run", "fail"}},
		{"", []string{"test"}},
		{"", []string{"start"}},
		{"nover", []string{"run", "x"}},
		{"", []string{"run", "build", "-w", "a"}},
		{"", []string{"run", "build", "--workspace", "packages/a"}},
		{"", []string{"run", "build", "--workspace=a", "--", "arg"}},
		{"", []string{"run", "lint", "-w", "@s/b"}},
		{"", []string{"run", "build", "-w", "packages"}},
		{"", []string{"run", "build", "--workspaces", "--if-present"}},
		{"", []string{"run", "build", "--workspaces", "--if-present", "--include-workspace-root"}},
		{"", []string{"run", "build", "-w", "a", "-w", "c"}},
		{"", []string{"test", "--workspaces", "--if-present"}},
		{"packages/a", []string{"run", "build"}},
		{"packages/a/sub", []string{"run", "build"}},
		{"quiet", []string{"run", "x"}}, // loglevel=silent in its .npmrc
		{"restarting", []string{"restart"}},
	}
	_, npmErr := exec.LookPath("npm")
	dir := t.TempDir()
	for name, body := range files {
		f := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte(body), 0o644)
	}
	home := t.TempDir()
	for _, c := range cases {
		t.Run(c.dir+" "+strings.Join(c.args, " "), func(t *testing.T) {
			cwd := filepath.Join(dir, filepath.FromSlash(c.dir))
			var out, errb bytes.Buffer
			env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=off"}
			code := Main(c.args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: cwd})
			if npmErr != nil {
				t.Skip("npm not installed: no differential check")
			}
			cmd := exec.Command("npm", c.args...)
			cmd.Dir = cwd
			cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false")
			var nout, nerr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &nout, &nerr
			err := cmd.Run()
			ncode := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				ncode = ee.ExitCode()
			}
			if (ncode == 0) != (code == 0) || nout.String() != out.String() {
				t.Errorf("npm %v: exit %d stdout\n%q\ngnode: exit %d stdout\n%q\n(gnode stderr %q, npm stderr %q)", c.args, ncode, nout.String(), code, out.String(), errb.String(), nerr.String())
			}
			if ncode != 0 && ncode != 1 && ncode != code {
				t.Errorf("exit code %d, npm's %d", code, ncode)
			}
		})
	}
}

// TestBanner pins the banner's shape without npm.
func TestBanner(t *testing.T) {
	cases := []struct {
		name, version, event, script string
		args                         []string
		want                         string
	}{
		{"a", "1.0.0", "build", "tsc", nil, "\n> a@1.0.0 build\n> tsc\n\n"},
		{"a", "", "build", "tsc", nil, "\n> build\n> tsc\n\n"},
		{"", "1.0.0", "build", "tsc", nil, "\n> build\n> tsc\n\n"},
		{"@s/a", "2.0.0", "test", " jest \n", []string{"--watch", "a b"}, "\n> @s/a@2.0.0 test\n> jest --watch a b\n\n"},
		{"a", "1.0.0", "x", "echo 1\necho 2", nil, "\n> a@1.0.0 x\n> echo 1\n> echo 2\n\n"},
	}
	for _, c := range cases {
		if got := scripts.Banner(c.name, c.version, c.event, c.script, c.args); got != c.want {
			t.Errorf("Banner(%q, %q, %q, %q, %q) = %q, want %q", c.name, c.version, c.event, c.script, c.args, got, c.want)
		}
	}
}
