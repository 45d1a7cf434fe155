package scripts

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	proj := t.TempDir()
	dir := filepath.Join(proj, "node_modules", "dep")
	os.MkdirAll(filepath.Join(proj, "node_modules", ".bin"), 0o755)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(proj, "node_modules", ".bin", "hello"), []byte("#!/bin/sh\necho hi-from-bin\n"), 0o755)
	p := &Package{Name: "dep", Version: "1.2.3", Dir: dir, Scripts: map[string]string{
		"postinstall": `hello; echo "$npm_lifecycle_event $npm_package_name@$npm_package_version $INIT_CWD"`,
		"install":     "exit 3",
	}}
	var out bytes.Buffer
	env := Env{Base: []string{"PATH=/usr/bin:/bin"}, ProjectDir: proj, Stdout: &out, Stderr: &out}
	if err := Run(context.Background(), p, "postinstall", env); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "hi-from-bin") || !strings.Contains(s, "postinstall dep@1.2.3 "+proj) || !strings.Contains(s, "> dep@1.2.3 postinstall") {
		t.Fatalf("output: %q", s)
	}
	env.Quiet = true
	err := Run(context.Background(), p, "install", env)
	var se *Error
	if !errors.As(err, &se) || se.Code != 3 {
		t.Fatalf("want exit 3, got %v", err)
	}
}

func TestImplicitGyp(t *testing.T) {
	p := &Package{HasBindingGyp: true}
	if Command(p, "install") != "node-gyp rebuild" || !HasInstallScripts(p) {
		t.Fatal("implicit node-gyp install missing")
	}
	p.Scripts = map[string]string{"preinstall": "x"}
	if Command(p, "install") != "" {
		t.Fatal("preinstall must suppress the implicit install")
	}
}
