package tarball

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gnode/internal/npm/integrity"
)

// TestDifferentialPacote extracts the same tarballs with npm's own
// extractor (pacote, shipped inside npm) and with Extract, and compares the
// resulting trees: paths, kinds, permission bits and contents.
//
// Known, deliberate differences are not exercised here: gnode refuses ".."
// and absolute paths where npm skips the entry with a warning, treats
// backslashes as separators, drops setuid/setgid/sticky bits, and ignores
// a leading "./" before the first component (npm strips the "." instead, so
// "./package/x" lands in "package/x" and the install fails).
func TestDifferentialPacote(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH: skipping the differential test against npm's pacote")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm not on PATH: skipping the differential test against npm's pacote")
	}
	pacote := filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules", "pacote")
	if _, err := os.Stat(pacote); err != nil {
		t.Skip("npm's pacote not found: ", err)
	}

	cases := map[string][]ent{
		"modes": {
			file("package/package.json", `{"name":"m","version":"1.0.0"}`),
			{name: "package/a700", body: "a", mode: 0o700},
			{name: "package/a610", body: "b", mode: 0o610},
			{name: "package/a000", body: "c", mode: 0o000},
			{name: "package/a777", body: "d", mode: 0o777},
			{name: "package/a640", body: "e", mode: 0o640},
			{name: "package/d/", typ: tar.TypeDir, mode: 0o700},
			file("package/d/f", "f"),
			{name: "package/empty/", typ: tar.TypeDir},
		},
		"bins": {
			file("package/package.json", `{"name":"b","version":"1.0.0","bin":{"b":"bin/b.js","c":"./bin/c.js","d":"bin//d.js","e":"bin/e.js"}}`),
			file("package/bin/b.js", "#!/usr/bin/env node\n"),
			file("package/bin/c.js", "c"),
			file("package/bin/d.js", "d"),
			{name: "package/bin/e.js", body: "e", mode: 0o700},
			file("package/bin/other.js", "o"),
		},
		"bin-string": {
			file("package/package.json", `{"name":"s","version":"1.0.0","bin":"cli.js"}`),
			file("package/cli.js", "x"),
		},
		"ignores": {
			file("package/package.json", `{"name":"i","version":"1.0.0"}`),
			file("package/.gitignore", "root gitignore"),
			file("package/sub/.npmignore", "sub npmignore"),
			file("package/sub/.gitignore", "sub gitignore, dropped"),
			file("package/late/.gitignore", "renamed, then overwritten"),
			file("package/late/.npmignore", "late npmignore"),
			file("package/gitignore", "no dot: kept"),
		},
		"links-and-specials": {
			file("package/package.json", `{"name":"l","version":"1.0.0"}`),
			{name: "package/sym", typ: tar.TypeSymlink, link: "package.json"},
			{name: "package/hard", typ: tar.TypeLink, link: "package/package.json"},
			file("package/real", "r"),
		},
		"prefixes": {
			file("package/package.json", `{"name":"p","version":"1.0.0"}`),
			file("node-v1/other.js", "other root name"),
			file("package/"+strings.Repeat("long-folder-name/", 12)+"f.js", "long"),
			file("package/./x/./y.js", "dots"),
		},
		"duplicates": {
			file("package/package.json", `{"name":"d","version":"1.0.0"}`),
			file("package/dup.js", "first"),
			{name: "package/dup.js", body: "second", mode: 0o755},
			{name: "package/exe", body: "1", mode: 0o755},
			file("package/exe", "2"),
		},
	}
	root := t.TempDir()
	var names []string
	for name, ents := range cases {
		names = append(names, name)
		if err := os.WriteFile(filepath.Join(root, name+".tgz"), mkTgz(t, ents...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(names)
	script := `
const pacote = require(process.argv[1]);
const [root, ...names] = process.argv.slice(2);
(async () => {
  for (const n of names) {
    await pacote.extract('file:' + root + '/' + n + '.tgz', root + '/npm-' + n, {cache: root + '/cache'});
  }
})().catch(e => { console.error(e); process.exit(1); });`
	cmd := exec.Command("node", append([]string{"-e", script, pacote, root}, names...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pacote: %v\n%s", err, out)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(filepath.Join(root, name+".tgz"))
			dest := filepath.Join(root, "gnode-"+name)
			if _, err := Extract(bytes.NewReader(data), dest, Options{}); err != nil {
				t.Fatal(err)
			}
			want, got := listTree(t, filepath.Join(root, "npm-"+name)), listTree(t, dest)
			if want != got {
				t.Errorf("trees differ\nnpm:\n%s\ngnode:\n%s", want, got)
			}
		})
	}
}

// TestDifferentialRealPackages packs a few real packages that npm ships
// (with npm pack, offline, scripts off) and extracts them with pacote and
// with Extract: the trees must be identical.
func TestDifferentialRealPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs npm pack")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH: skipping the differential test against npm")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm not on PATH: skipping the differential test against npm")
	}
	mods := filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules")
	pacote := filepath.Join(mods, "pacote")
	root := t.TempDir()
	pkgs := []string{"semver", "tar", "@npmcli/arborist", "node-gyp"}
	var dirs []string
	for _, p := range pkgs {
		if _, err := os.Stat(filepath.Join(mods, p, "package.json")); err == nil {
			dirs = append(dirs, filepath.Join(mods, p))
		}
	}
	if len(dirs) == 0 {
		t.Skip("none of the packages found under " + mods)
	}
	args := append([]string{"pack", "--ignore-scripts", "--offline", "--json", "--pack-destination", root}, dirs...)
	cmd := exec.Command("npm", args...)
	cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(root, "cache"), "npm_config_update_notifier=false")
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("npm pack: %v", err)
	}
	var packed []struct {
		Filename  string `json:"filename"`
		Integrity string `json:"integrity"`
	}
	if err := json.Unmarshal(raw, &packed); err != nil {
		t.Fatalf("npm pack --json: %v\n%s", err, raw)
	}
	script := `
const pacote = require(process.argv[1]);
const [root, ...files] = process.argv.slice(2);
(async () => {
  for (const f of files) await pacote.extract('file:' + root + '/' + f, root + '/npm-' + f, {cache: root + '/cache'});
})().catch(e => { console.error(e); process.exit(1); });`
	nodeArgs := []string{"-e", script, pacote, root}
	for _, p := range packed {
		nodeArgs = append(nodeArgs, p.Filename)
	}
	if out, err := exec.Command("node", nodeArgs...).CombinedOutput(); err != nil {
		t.Fatalf("pacote: %v\n%s", err, out)
	}
	for _, p := range packed {
		t.Run(p.Filename, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, p.Filename))
			if err != nil {
				t.Fatal(err)
			}
			// npm's integrity for the bytes it packed is ours too.
			if sha, _ := integrity.FromBytes(data).Get(integrity.SHA512); sha.String() != p.Integrity {
				t.Errorf("integrity: npm %s, gnode %s", p.Integrity, sha)
			}
			dest := filepath.Join(root, "gnode-"+p.Filename)
			res, err := Extract(bytes.NewReader(data), dest, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, got := listTree(t, filepath.Join(root, "npm-"+p.Filename)), listTree(t, dest)
			if want != got {
				t.Errorf("trees differ\nnpm:\n%s\ngnode:\n%s", want, got)
			}
			t.Logf("%d files, %d bytes: same tree as npm", len(res.Files), res.Size)
		})
	}
}

// listTree describes a folder: one line per entry with kind, permission
// bits and, for files, the contents.
func listTree(t *testing.T, dir string) string {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v", rel, fi.Mode())
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			q, _ := json.Marshal(string(b))
			line += " " + string(q)
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
