package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// httpKitProject lays out the acceptance scenario's project: an app that
// requires http-kit, with http-kit at 1.0.0 (uses http only).
func httpKitProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"package.json":                       `{"name":"app","version":"1.0.0","dependencies":{"http-kit":"^1.0.0"}}`,
		"app.js":                             "const kit = require('http-kit');\nconsole.log('app running with http-kit', kit.version);\n",
		"node_modules/http-kit/package.json": `{"name":"http-kit","version":"1.0.0","main":"index.js"}`,
		"node_modules/http-kit/index.js":     "const http = require('node:http');\nmodule.exports = { version: '1.0.0', get: (u, cb) => http.get(u, cb) };\n",
	})
	return dir
}

// upgradeHTTPKit turns the project into http-kit 1.0.1, which adds
// crypto-kit; crypto-kit runs a command with child_process.exec when
// required (here: writing a marker file).
func upgradeHTTPKit(t *testing.T, dir string) string {
	t.Helper()
	marker := filepath.Join(dir, "pwned")
	writeFiles(t, dir, map[string]string{
		"node_modules/http-kit/package.json":   `{"name":"http-kit","version":"1.0.1","main":"index.js","dependencies":{"crypto-kit":"1.0.0"}}`,
		"node_modules/http-kit/index.js":       "const http = require('node:http');\nrequire('crypto-kit');\nmodule.exports = { version: '1.0.1', get: (u, cb) => http.get(u, cb) };\n",
		"node_modules/crypto-kit/package.json": `{"name":"crypto-kit","version":"1.0.0","main":"index.js"}`,
		"node_modules/crypto-kit/index.js":     "const { exec } = require('child_process');\nexec('echo pwned > " + marker + "');\n",
	})
	return marker
}

// gnodeBinary is $GNODE_BIN, or gnode built into a temporary folder.
func gnodeBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("GNODE_BIN"); bin != "" {
		return bin
	}
	if testing.Short() {
		t.Skip("-short: not building gnode (set GNODE_BIN to use a built one)")
	}
	bin := filepath.Join(t.TempDir(), "gnode")
	cmd := exec.Command("go", "build", "-o", bin, "gnode/cmd/gnode")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building gnode: %v\n%s", err, out)
	}
	return bin
}

// TestAcceptanceHTTPKitUnderOldPolicy is the acceptance scenario's run-time
// step with the gnode binary: the policy is generated while http-kit is
// 1.0.0; after the update to 1.0.1, crypto-kit's child_process.exec throws
// ERR_GNODE_PERMISSION naming crypto-kit and nothing runs. With
// --no-policy (Node's behaviour) the command runs.
func TestAcceptanceHTTPKitUnderOldPolicy(t *testing.T) {
	bin := gnodeBinary(t)
	dir := httpKitProject(t)
	gnode := func(args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GNODE_CACHE_DIR=off")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	if out, errOut, code := gnode("policy", "generate"); code != 0 {
		t.Fatalf("policy generate: %d %s %s", code, out, errOut)
	}
	policy, _ := os.ReadFile(filepath.Join(dir, "gnode-policy.json"))
	if !strings.Contains(string(policy), `"http-kit": [`) || strings.Contains(string(policy), "crypto-kit") {
		t.Fatalf("policy for 1.0.0:\n%s", policy)
	}
	if out, errOut, code := gnode("app.js"); code != 0 || out != "app running with http-kit 1.0.0\n" {
		t.Fatalf("1.0.0 under its policy: %d %q %s", code, out, errOut)
	}

	marker := upgradeHTTPKit(t, dir)
	out, errOut, code := gnode("app.js")
	if code == 0 || !strings.Contains(errOut, "ERR_GNODE_PERMISSION") || !strings.Contains(errOut, `package "crypto-kit"`) ||
		!strings.Contains(errOut, "child_process.exec()") || !strings.Contains(errOut, "gnode policy generate") {
		t.Errorf("1.0.1 under the 1.0.0 policy: code %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("crypto-kit's command ran under the policy")
	}

	out, errOut, code = gnode("--no-policy", "app.js")
	if code != 0 || out != "app running with http-kit 1.0.1\n" {
		t.Errorf("--no-policy: code %d %q %s", code, out, errOut)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("--no-policy: crypto-kit's command did not run: %v", err)
	}
}

func TestRunPolicySelection(t *testing.T) {
	dir := httpKitProject(t)
	if _, errOut, code := runJS(t, dir, "", "policy", "generate"); code != 0 {
		t.Fatal(errOut)
	}
	upgradeHTTPKit(t, dir)
	os.WriteFile(filepath.Join(dir, "grant-all.json"), []byte(`{"version":1,"packages":{"http-kit":["net"],"crypto-kit":["child_process"]}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"version":1,"packages":{"x":["teleport"]}}`), 0o644)
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "main.js"), []byte("require('http-kit'); console.log('main ran');"), 0o644)
	for _, tc := range []struct {
		name    string
		env     string
		args    []string
		code    int
		stderr  string // substring
		nostdin bool
	}{
		{"policy beside package.json", "", []string{"app.js"}, 1, "ERR_GNODE_PERMISSION", false},
		{"policy found from a subfolder's script", "", []string{"src/main.js"}, 1, `package "crypto-kit"`, false},
		{"eval uses the working directory's policy", "", []string{"-e", "require('http-kit')"}, 1, "ERR_GNODE_PERMISSION", false},
		{"--no-policy", "", []string{"--no-policy", "app.js"}, 0, "", false},
		{"GNODE_POLICY=off", "GNODE_POLICY=off", []string{"app.js"}, 0, "", false},
		{"--policy FILE", "", []string{"--policy", "grant-all.json", "app.js"}, 0, "", false},
		{"--policy=FILE", "", []string{"--policy=grant-all.json", "app.js"}, 0, "", false},
		{"broken policy", "", []string{"--policy", "broken.json", "app.js"}, 1, "gnode: error: reading the capability policy", false},
		{"missing --policy file", "", []string{"--policy", "nope.json", "app.js"}, 1, "gnode: error:", false},
		{"bad flag value", "", []string{"--allow-net=a b", "app.js"}, 1, "--allow-net", false},
		{"run flag denies app code too", "", []string{"--no-policy", "--deny-run", "app.js"}, 1, "denied by --deny-run", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			env := []string{"GNODE_CACHE_DIR=off", "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
			if tc.env != "" {
				env = append(env, tc.env)
			}
			code := Main(tc.args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: dir})
			if code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("gnode %q: code %d want %d; stderr lacks %q:\n%s", tc.args, code, tc.code, tc.stderr, errb.String())
			}
		})
	}
}

func TestRunAllowFlags(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"data/in.txt": "inside",
		"app.js": `
			const fs = require('fs');
			for (const p of [process.argv[2], '/etc/hostname']) {
				try { fs.readFileSync(p); console.log('read', p === '/etc/hostname' ? 'outside' : 'inside', 'ok'); }
				catch (e) { console.log('read', p === '/etc/hostname' ? 'outside' : 'inside', e.code); }
			}
			console.log('execArgv', process.execArgv.join(' '));`,
	})
	in := filepath.Join(dir, "data", "in.txt")
	out, errOut, code := runJS(t, dir, "", "--allow-read=data", "app.js", in)
	want := "read inside ok\nread outside ERR_GNODE_PERMISSION\nexecArgv --allow-read=data\n"
	if out != want || code != 0 {
		t.Errorf("code %d out:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
	out, _, _ = runJS(t, dir, "", "--deny-read=data", "--policy", "none.json", "--no-policy", "app.js", in)
	if want := "read inside ERR_GNODE_PERMISSION\nread outside ok\nexecArgv --deny-read=data --policy none.json --no-policy\n"; out != want {
		t.Errorf("--deny-read: %q want %q", out, want)
	}
}
