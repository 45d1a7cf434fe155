package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunListsScripts checks `gnode run` without arguments against
// `npm run`: the same listing (lifecycle scripts first, package.json order
// kept, nothing for no scripts), with gnode's command named instead of npm's.
func TestRunListsScripts(t *testing.T) {
	for _, tc := range []struct {
		name, pkg, want string
	}{
		{"lifecycle and others", `{"name":"demo","version":"1.2.3","scripts":{"build":"tsc -p .","test":"node t.js","start":"node s.js","prepare":"echo p","lint":"eslint ."}}`,
			"Lifecycle scripts included in demo@1.2.3:\n  test\n    node t.js\n  start\n    node s.js\n  prepare\n    echo p\navailable via `gnode run`:\n  build\n    tsc -p .\n  lint\n    eslint .\n"},
		{"only others, no version, non-string dropped", `{"name":"only","scripts":{"z":"echo z","a":"echo a","n":1}}`,
			"Scripts available in only via `gnode run`:\n  z\n    echo z\n  a\n    echo a\n"},
		{"only lifecycle", `{"name":"l","version":"0.1.0","scripts":{"posttest":"echo done","pretest":"echo first"}}`,
			"Lifecycle scripts included in l@0.1.0:\n  posttest\n    echo done\n  pretest\n    echo first\n"},
		{"no scripts", `{"name":"x","version":"1.0.0"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(tc.pkg), 0o644); err != nil {
				t.Fatal(err)
			}
			sub := filepath.Join(dir, "src")
			os.Mkdir(sub, 0o755)
			// From a subdirectory: the nearest package.json is listed.
			out, errOut, code := runJS(t, sub, "", "run")
			if out != tc.want || code != 0 {
				t.Errorf("gnode run: out=%q code=%d, want %q code 0\nstderr: %s", out, code, tc.want, errOut)
			}
			npm, err := exec.LookPath("npm")
			if err != nil {
				t.Log("npm not on PATH: not compared with npm run")
				return
			}
			cmd := exec.Command(npm, "run", "--color=false")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
			b, err := cmd.Output()
			if err != nil {
				t.Fatalf("npm run: %v", err)
			}
			if npmOut := strings.ReplaceAll(string(b), "`npm run`", "`gnode run`"); npmOut != out {
				t.Errorf("npm run printed %q, gnode run %q", npmOut, out)
			}
		})
	}
	t.Run("no package.json", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "package.json")); err == nil {
			t.Skip("a package.json above the temp directory")
		}
		out, errOut, code := runJS(t, dir, "", "run")
		if code != 1 || out != "" || !strings.Contains(errOut, "no package.json in "+dir) {
			t.Errorf("out=%q code=%d stderr=%q, want code 1 and a no package.json error", out, code, errOut)
		}
	})
}
