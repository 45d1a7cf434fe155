package jail

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary doubles as the jail entry point, as gnode does.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == Subcommand {
		if err := Enter(os.Args[2], func(msg string) { fmt.Fprintln(os.Stderr, "warning:", msg) }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(127)
		}
	}
	os.Exit(m.Run())
}

func landlockOK(t *testing.T) int {
	abi, err := landlockABI()
	if err != nil || abi == 0 {
		t.Skipf("Landlock is not available on this kernel (%v): confinement is tested where it is", err)
	}
	return abi
}

func run(t *testing.T, spec Spec) (string, error) {
	t.Helper()
	self, _ := os.Executable()
	cmd, err := Command(context.Background(), self, spec)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestJailConfinesWrites(t *testing.T) {
	landlockOK(t)
	pkg, home, outside := t.TempDir(), t.TempDir(), t.TempDir()
	env := ScrubEnv(os.Environ(), home)
	out, err := run(t, Spec{Script: "echo ok > inside.txt && echo ok > \"$HOME/home.txt\"", Dir: pkg, Writable: []string{home}, Env: env})
	if err != nil {
		t.Fatalf("writes inside the package and HOME failed: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(pkg, "inside.txt")); err != nil {
		t.Errorf("inside write missing: %v", err)
	}
	target := filepath.Join(outside, "payload")
	out, err = run(t, Spec{Script: "echo pwned > " + target, Dir: pkg, Writable: []string{home}, Env: env})
	if err == nil {
		t.Errorf("write outside the package succeeded:\n%s", out)
	}
	if _, err := os.Stat(target); err == nil {
		t.Errorf("the payload was written outside the package")
	}
	// Reading the rest of the system still works (scripts need node, sh...).
	if out, err := run(t, Spec{Script: "cat /etc/hostname >/dev/null && ls / >/dev/null", Dir: pkg, Env: env}); err != nil {
		t.Errorf("reads were blocked: %v\n%s", err, out)
	}
}

func TestJailDeniesNetwork(t *testing.T) {
	if landlockOK(t) < 4 {
		t.Skip("Landlock ABI < 4: no network rules on this kernel")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is needed for /dev/tcp")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	pkg, home := t.TempDir(), t.TempDir()
	script := fmt.Sprintf("bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d' && echo connected", port)
	out, err := run(t, Spec{Script: script, Dir: pkg, Writable: []string{home}, Env: ScrubEnv(os.Environ(), home)})
	if err == nil || strings.Contains(out, "connected") {
		t.Errorf("a jailed script connected to 127.0.0.1:%d:\n%s", port, out)
	}
	out, err = run(t, Spec{Script: script, Dir: pkg, Writable: []string{home}, Env: ScrubEnv(os.Environ(), home), AllowNet: true})
	if err != nil || !strings.Contains(out, "connected") {
		t.Errorf("AllowNet did not allow the connection: %v\n%s", err, out)
	}
}

func TestScrubEnv(t *testing.T) {
	in := []string{"PATH=/usr/bin", "NPM_TOKEN=secret", "AWS_SECRET_ACCESS_KEY=x", "GITHUB_TOKEN=y", "HOME=/root", "LANG=C",
		"npm_package_name=foo", "npm_config__authToken=z", "npm_config_registry=http://r/", "SSH_AUTH_SOCK=/tmp/s", "MY_API_KEY=k", "CI=true"}
	got := strings.Join(ScrubEnv(in, "/tmp/h"), "\n")
	for _, want := range []string{"PATH=/usr/bin", "HOME=/tmp/h", "LANG=C", "npm_package_name=foo", "npm_config_registry=http://r/", "CI=true", "TMPDIR=/tmp/h"} {
		if !strings.Contains(got, want) {
			t.Errorf("scrubbed env lacks %s", want)
		}
	}
	for _, bad := range []string{"secret", "AWS_", "GITHUB_TOKEN", "HOME=/root", "_authToken", "SSH_AUTH_SOCK", "MY_API_KEY"} {
		if strings.Contains(got, bad) {
			t.Errorf("scrubbed env keeps %s:\n%s", bad, got)
		}
	}
}
