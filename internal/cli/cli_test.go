package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: t.TempDir()})
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		code, out, _ := runCLI(t, flag)
		if code != 0 || strings.TrimSpace(out) != Version {
			t.Errorf("%s: code %d, out %q", flag, code, out)
		}
	}
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != 0 {
		t.Fatalf("help exited %d", code)
	}
	for _, name := range []string{"install", "ci", "uninstall", "run", "registry"} {
		if !strings.Contains(out, "  "+name+" ") {
			t.Errorf("help does not list %q:\n%s", name, out)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	code, out, _ := runCLI(t, "install", "--help")
	if code != 0 || !strings.Contains(out, "Usage: gnode install") {
		t.Errorf("install --help: code %d, out %q", code, out)
	}
	code, out, _ = runCLI(t, "help", "i")
	if code != 0 || !strings.Contains(out, "Usage: gnode install") {
		t.Errorf("help i: code %d, out %q", code, out)
	}
}

func TestUnknownHelpTopic(t *testing.T) {
	code, _, errOut := runCLI(t, "help", "nosuchcommand")
	if code == 0 || !strings.Contains(errOut, `gnode: error: unknown command "nosuchcommand"`) {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestPolicyGenerate(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "node_modules", "netty"), 0o755)
	os.WriteFile(filepath.Join(dir, "node_modules", "netty", "index.js"), []byte("require('https')"), 0o644)
	var out, errb bytes.Buffer
	code := Main([]string{"policy", "generate"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir})
	if code != 0 || !strings.Contains(out.String(), "netty") {
		t.Fatalf("policy generate: %d %s %s", code, out.String(), errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "gnode-policy.json"))
	if err != nil || !strings.Contains(string(b), `"netty": [`) || !strings.Contains(string(b), `"net"`) {
		t.Errorf("policy file: %s %v", b, err)
	}
	code = Main([]string{"policy", "show"}, IO{Stdout: &out, Stderr: &errb, Dir: t.TempDir()})
	if code == 0 || !strings.Contains(errb.String(), "gnode policy generate") {
		t.Errorf("policy show without a policy: %d %s", code, errb.String())
	}
}
