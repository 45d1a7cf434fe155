package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// TestXFromGnodeRegistry: gnode x installs a package from gnode's own
// registry into the cache, runs its bin with the arguments and passes the
// exit code on; a second run reuses the cached install; a project bin wins.
func TestXFromGnodeRegistry(t *testing.T) {
	r := gnoderegistry.Start(t)
	echo := "#!/usr/bin/env node\nconsole.log(require('../package.json').version, process.argv.slice(2).join(','));\nprocess.exit(Number(process.env.XCODE || 0));\n"
	r.Publish(gnoderegistry.Pkg{Name: "hello-cli", Version: "1.0.0", Bin: map[string]string{"hello-cli": "bin/a.js"}, Files: map[string]string{"bin/a.js": echo}})
	r.Publish(gnoderegistry.Pkg{Name: "hello-cli", Version: "2.0.0", Bin: map[string]string{"hello-cli": "bin/a.js", "other": "bin/a.js"}, Files: map[string]string{"bin/a.js": echo}})
	r.Publish(gnoderegistry.Pkg{Name: "@s/only", Version: "1.0.0", Bin: map[string]string{"only-one": "bin/a.js"}, Files: map[string]string{"bin/a.js": echo}})
	r.Publish(gnoderegistry.Pkg{Name: "multi", Version: "1.0.0", Bin: map[string]string{"m1": "bin/a.js", "m2": "bin/a.js"}, Files: map[string]string{"bin/a.js": echo}})

	home := t.TempDir()
	r.WriteNpmrc(home)
	cache := filepath.Join(home, "cache")
	run := func(dir string, extra []string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + cache}, extra...)
		code := Main(args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: dir})
		return code, out.String(), errb.String()
	}
	dir := t.TempDir()
	// A PATH without node: the bin's JavaScript runs in gnode itself.
	noNode := t.TempDir()
	os.Symlink("/bin/sh", filepath.Join(noNode, "sh"))
	tests := []struct {
		name string
		env  []string
		args []string
		out  string
		code int
		err  string
	}{
		{"latest", nil, []string{"x", "hello-cli", "a", "b"}, "2.0.0 a,b\n", 0, ""},
		{"exec alias, pinned version", nil, []string{"exec", "hello-cli@1.0.0", "--flag"}, "1.0.0 --flag\n", 0, ""},
		{"cached again", nil, []string{"x", "hello-cli@1.0.0"}, "1.0.0 \n", 0, ""},
		{"exit code", []string{"XCODE=5"}, []string{"x", "hello-cli@1"}, "1.0.0 \n", 5, ""},
		{"only bin of a scoped package", nil, []string{"x", "@s/only", "z"}, "1.0.0 z\n", 0, ""},
		{"--package and command", nil, []string{"x", "--package=hello-cli@2", "other", "q"}, "2.0.0 q\n", 0, ""},
		{"no node on PATH", []string{"PATH=" + noNode}, []string{"x", "hello-cli@1.0.0", "n"}, "1.0.0 n\n", 0, ""},
		{"no node, exit code", []string{"PATH=" + noNode, "XCODE=4"}, []string{"x", "hello-cli@1.0.0"}, "1.0.0 \n", 4, ""},
		{"several bins", nil, []string{"x", "multi"}, "", 1, "several bins (m1, m2)"},
		{"not a bin", nil, []string{"x", "-p", "multi", "nope"}, "", 1, "not a bin"},
		{"no such package", nil, []string{"x", "does-not-exist"}, "", 1, "does-not-exist"},
		{"nothing to run", nil, []string{"x"}, "", 1, "needs a package"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(dir, tc.env, tc.args...)
			if code != tc.code || out != tc.out || !strings.Contains(errs, tc.err) {
				t.Fatalf("gnode %v: code %d out %q err %q; want %d %q %q", tc.args, code, out, errs, tc.code, tc.out, tc.err)
			}
		})
	}
	if ents, _ := os.ReadDir(filepath.Join(cache, "x")); len(ents) < 3 {
		t.Errorf("expected cached installs under %s, found %d", filepath.Join(cache, "x"), len(ents))
	}

	// A project that has the bin runs its own, without any install.
	proj := t.TempDir()
	bin := filepath.Join(proj, "node_modules", ".bin")
	os.MkdirAll(bin, 0o755)
	os.WriteFile(filepath.Join(proj, "package.json"), []byte(`{"name":"p"}`), 0o644)
	os.WriteFile(filepath.Join(bin, "hello-cli"), []byte("#!/bin/sh\necho project \"$@\"\n"), 0o755)
	sub := filepath.Join(proj, "src")
	os.Mkdir(sub, 0o755)
	if code, out, errs := run(sub, nil, "x", "hello-cli", "1"); code != 0 || out != "project 1\n" {
		t.Fatalf("project bin: %d %q %q", code, out, errs)
	}
}
