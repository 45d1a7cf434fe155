package pack

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// fixtures are package folders, as path -> content; "pkg" is the
// package.json written for the case.
var fixtures = map[string]map[string]string{
	"plain": {
		"package.json": `{"name":"plain","version":"1.0.0"}`,
		"index.js":     "x", "lib/a.js": "a", "README.md": "r", ".npmrc": "x=1", "package-lock.json": "{}",
		"yarn.lock": "", "x.orig": "", ".DS_Store": "", "._foo": "", ".foo.swp": "", "npm-debug.log": "",
		".git/config": "", "CVS/x": "", "build/config.gypi": "", "sub/build/config.gypi": "", ".hidden": "h",
		"node_modules/dep/package.json": `{"name":"dep","version":"1.0.0"}`, "archived-packages/a.tgz": "",
		".lock-wscript": "", "sub/.lock-wscript": "",
	},
	"files-globs": {
		"package.json": `{"name":"fg","version":"1.0.0","files":["lib/**/*.js","bin/","!lib/skip.js","docs/*","*.md"]}`,
		"lib/a.js":     "", "lib/b.ts": "", "lib/deep/c.js": "", "lib/skip.js": "", "bin/x": "", "bin/y/z": "",
		"docs/a.txt": "", "docs/sub/b.txt": "", "CHANGES.md": "", "other.js": "", "README": "", "LICENSE.txt": "",
		"readme.md~": "", "Licence": "", "COPYING": "", "copying.bak$": "",
	},
	"files-main-bin-outside": {
		"package.json": `{"name":"mb","version":"1.0.0","main":"main.js","bin":{"tool":"./tools/tool.js"},"browser":"browser.js","files":["lib"]}`,
		"main.js":      "", "tools/tool.js": "", "tools/other.js": "", "browser.js": "", "lib/x.js": "", "other.js": "",
	},
	"npmignore-nested": {
		"package.json": `{"name":"ni","version":"1.0.0"}`,
		".npmignore":   "*.log\n# comment\ntest/\n!important.log\n/root-only.txt\n",
		".gitignore":   "index.js\n",
		"index.js":     "", "a.log": "", "important.log": "", "test/t.js": "", "root-only.txt": "", "sub/root-only.txt": "",
		"sub/.npmignore": "*.tmp\n!keep.tmp\n", "sub/x.tmp": "", "sub/keep.tmp": "", "sub/y.js": "",
		"sub/deep/z.tmp": "", "sub/deep/w.js": "",
	},
	"gitignore-fallback": {
		"package.json": `{"name":"gf","version":"1.0.0"}`,
		".gitignore":   "dist\n*.map\n/coverage\n",
		"dist/a.js":    "", "src/a.js": "", "src/a.js.map": "", "coverage/x": "", "src/coverage/y": "",
		"sub/.gitignore": "secret*\n", "sub/secret.txt": "", "sub/public.txt": "",
		"sub2/.npmignore": "", "sub2/.gitignore": "*\n", "sub2/kept.js": "",
	},
	"negations": {
		"package.json": `{"name":"neg","version":"1.0.0"}`,
		".npmignore":   "*\n!*.js\n!lib/\n!lib/**\nlib/private/\n!!double.txt\n",
		"a.js":         "", "b.txt": "", "double.txt": "", "lib/x.txt": "", "lib/private/p.js": "", "lib/pub/q.js": "",
	},
	"braces-and-classes": {
		"package.json": `{"name":"bc","version":"1.0.0"}`,
		".npmignore":   "*.{log,tmp}\nfile[0-9].txt\n[!a]x.dat\n{a,b}/{c,d}.js\nfoo{1..3}.txt\n",
		"x.log":        "", "y.tmp": "", "z.txt": "", "file1.txt": "", "fileA.txt": "", "ax.dat": "", "bx.dat": "",
		"a/c.js": "", "a/e.js": "", "b/d.js": "", "foo2.txt": "", "foo4.txt": "",
	},
	"nocase-and-dotfiles": {
		"package.json": `{"name":"nc","version":"1.0.0","files":["SRC","*.JS",".config"]}`,
		"src/a.js":     "", "B.js": "", "c.js": "", ".config/x": "", ".other": "", "ReadMe.MD": "", "LICENSE-MIT": "",
	},
	"files-dot-slash-and-star": {
		"package.json": `{"name":"ds","version":"1.0.0","files":["./lib/*","/root.js","nonexistent","*.json"]}`,
		"lib/a.js":     "", "lib/sub/b.js": "", "root.js": "", "sub/root.js": "", "data.json": "", "sub/data.json": "",
	},
	"files-with-npmignore-inside": {
		"package.json": `{"name":"fi","version":"1.0.0","files":["lib"]}`,
		".npmignore":   "lib/a.js\n", "lib/a.js": "", "lib/b.js": "", "lib/.npmignore": "b.js\n", "lib/c.js": "",
	},
	"scoped-and-bin-string": {
		"package.json": `{"name":"@sc/pkg","version":"2.0.0","bin":"./cli.js","files":["index.js"]}`,
		"cli.js":       "", "index.js": "", "other.js": "",
	},
	"bundled": {
		"package.json":                `{"name":"bun","version":"1.0.0","dependencies":{"a":"1","@s/b":"1"},"bundleDependencies":["a","@s/b"]}`,
		"index.js":                    "",
		"node_modules/a/package.json": `{"name":"a","version":"1.0.0","dependencies":{"c":"1"},"files":["index.js"]}`,
		"node_modules/a/index.js":     "", "node_modules/a/other.js": "", "node_modules/a/.npmignore": "index.js\n",
		"node_modules/c/package.json": `{"name":"c","version":"1.0.0"}`,
		"node_modules/c/c.js":         "", "node_modules/c/.gitignore": "c.js\n",
		"node_modules/@s/b/package.json":      `{"name":"@s/b","version":"1.0.0"}`,
		"node_modules/@s/b/b.js":              "",
		"node_modules/unbundled/package.json": `{"name":"unbundled","version":"1.0.0"}`,
	},
	"directories-bin": {
		"package.json": `{"name":"db","version":"1.0.0","directories":{"bin":"./scripts"},"files":["lib"]}`,
		"scripts/a":    "", "scripts/b.js": "", "lib/x.js": "", "other": "",
	},
	"matchbase-and-slashes": {
		"package.json": `{"name":"mbs","version":"1.0.0"}`,
		".npmignore":   "docs/*.md\nfixtures\n**/tmp/**\n/a/b\nz/\n",
		"docs/a.md":    "", "docs/sub/b.md": "", "x/fixtures/f.js": "", "fixtures": "", "p/tmp/q.js": "", "tmp/r.js": "",
		"a/b": "", "c/a/b": "", "z/file": "", "y/z/file": "", "keep.js": "",
	},
	"readme-variants": {
		"package.json":    `{"name":"rv","version":"1.0.0","files":[]}`,
		"README.markdown": "", "readme~": "", "readme.txt$": "", "LICENSE": "", "licence.md": "", "COPYING.txt": "",
		"docs/README.md": "", "CHANGELOG.md": "", "README-extra.md": "",
	},
	"empty-files-field-and-main-dot-slash": {
		"package.json": `{"name":"em","version":"1.0.0","main":"./index.js","files":["lib/"]}`,
		"index.js":     "", "lib/x.js": "", "lib/y/z.js": "",
	},
}

func writeFixture(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// npmPackFiles runs `npm pack --dry-run --json` in dir and returns the
// sorted file list.
func npmPackFiles(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command("npm", "pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=silent")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("npm pack in %s: %v\n%s", dir, err, out)
	}
	var res []struct {
		Files []struct{ Path string }
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res) != 1 {
		t.Fatalf("npm pack output: %v\n%s", err, out)
	}
	var list []string
	for _, f := range res[0].Files {
		list = append(list, f.Path)
	}
	sort.Strings(list)
	return list
}

func needNpm(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: differential pack test skipped")
	}
}

func diffLists(a, b []string) (onlyA, onlyB []string) {
	in := map[string]int{}
	for _, x := range a {
		in[x] |= 1
	}
	for _, x := range b {
		in[x] |= 2
	}
	for k, v := range in {
		switch v {
		case 1:
			onlyA = append(onlyA, k)
		case 2:
			onlyB = append(onlyB, k)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return
}

func TestFilesMatchNpmFixtures(t *testing.T) {
	needNpm(t)
	for name, files := range fixtures {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFixture(t, dir, files)
			got, err := Files(dir)
			if err != nil {
				t.Fatal(err)
			}
			sorted := append([]string{}, got...)
			sort.Strings(sorted)
			want := npmPackFiles(t, dir)
			if onlyG, onlyN := diffLists(sorted, want); len(onlyG)+len(onlyN) > 0 {
				t.Errorf("file lists differ\nonly gnode: %v\nonly npm:   %v", onlyG, onlyN)
			}
		})
	}
}

// TestFilesMatchNpmRealPackages fetches real packages with `npm pack <name>`
// from the configured registry, unpacks them and compares both tools'
// selection on the unpacked folder.
func TestFilesMatchNpmRealPackages(t *testing.T) {
	needNpm(t)
	if testing.Short() {
		t.Skip("-short: real-package comparison needs the registry")
	}
	pkgs := []string{"express", "semver", "typescript", "lodash", "chalk", "debug", "commander", "minimatch", "@babel/core", "uuid", "react", "yargs", "axios", "ms", "glob"}
	if env := os.Getenv("GNODE_PACK_PKGS"); env != "" {
		pkgs = strings.Fields(env)
	}
	work := t.TempDir()
	cmd := exec.Command("npm", append([]string{"pack", "--loglevel=silent", "--json"}, pkgs...)...)
	cmd.Dir = work
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("npm pack of real packages failed (registry unreachable?): %v", err)
	}
	var packed []struct{ Filename string }
	if err := json.Unmarshal(out, &packed); err != nil {
		t.Fatalf("npm pack output: %v", err)
	}
	for _, p := range packed {
		p := p
		t.Run(p.Filename, func(t *testing.T) {
			dir := filepath.Join(work, strings.TrimSuffix(p.Filename, ".tgz"))
			os.MkdirAll(dir, 0o755)
			if out, err := exec.Command("tar", "-xzf", filepath.Join(work, p.Filename), "-C", dir, "--strip-components=1").CombinedOutput(); err != nil {
				t.Fatalf("unpack: %v %s", err, out)
			}
			got, err := Files(dir)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			want := npmPackFiles(t, dir)
			if onlyG, onlyN := diffLists(got, want); len(onlyG)+len(onlyN) > 0 {
				t.Errorf("file lists differ\nonly gnode: %v\nonly npm:   %v", onlyG, onlyN)
			}
			// The uncompressed tar streams are byte-identical too.
			dest := t.TempDir()
			cmd := exec.Command("npm", "pack", "--loglevel=silent", "--ignore-scripts", "--pack-destination", dest)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("npm pack: %v %s", err, out)
			}
			npmTgz, err := os.ReadFile(filepath.Join(dest, p.Filename))
			if err != nil {
				t.Fatal(err)
			}
			r, err := Pack(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gunzip(t, npmTgz), gunzip(t, r.Tarball)) {
				t.Errorf("uncompressed tar stream differs from npm's")
			}
			t.Logf("%s: %d files identical, tar stream identical", p.Filename, len(got))
		})
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTarStreamMatchesNpm packs fixtures with both tools: the uncompressed
// tar streams must be byte-identical (headers, order, modes, mtime, long
// names); only the gzip encoding differs.
func TestTarStreamMatchesNpm(t *testing.T) {
	needNpm(t)
	long := strings.Repeat("d", 60) + "/" + strings.Repeat("e", 70) + "/" + strings.Repeat("f", 90) + ".js"
	cases := map[string]map[string]string{
		"long-names": {
			"package.json": `{"name":"@scope/long","version":"1.0.0","bin":{"x":"bin/x.js"}}`,
			long:           "long", strings.Repeat("g", 99) + ".js": "g", "bin/x.js": "#!/usr/bin/env node\n",
			"a/" + strings.Repeat("h", 120) + ".txt": "pax",
		},
		"plain":           fixtures["plain"],
		"bundled":         fixtures["bundled"],
		"files-globs":     fixtures["files-globs"],
		"readme-variants": fixtures["readme-variants"],
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFixture(t, dir, files)
			os.Chmod(filepath.Join(dir, "index.js"), 0o755)
			dest := t.TempDir()
			cmd := exec.Command("npm", "pack", "--loglevel=silent", "--json", "--pack-destination", dest)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("npm pack: %v", err)
			}
			var res []struct{ Filename string }
			json.Unmarshal(out, &res)
			npmTgz, err := os.ReadFile(filepath.Join(dest, res[0].Filename))
			if err != nil {
				t.Fatal(err)
			}
			r, err := Pack(dir)
			if err != nil {
				t.Fatal(err)
			}
			if r.Filename != res[0].Filename {
				t.Errorf("filename %s, npm %s", r.Filename, res[0].Filename)
			}
			a, b := gunzip(t, npmTgz), gunzip(t, r.Tarball)
			if !bytes.Equal(a, b) {
				i := 0
				for i < len(a) && i < len(b) && a[i] == b[i] {
					i++
				}
				blk := i / 512 * 512
				t.Errorf("tar streams differ at byte %d (block %d): npm %d bytes, gnode %d bytes\nnpm:   %q\ngnode: %q", i, i/512, len(a), len(b), a[blk:blk+160], b[blk:blk+160])
			}
		})
	}
}
