package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// TestInstallMigratesForeignLockfile: in a project with only a
// pnpm-lock.yaml, yarn.lock or bun.lock, gnode install installs the
// (older) versions that lockfile pins rather than the newest in range,
// then writes package-lock.json.
func TestInstallMigratesForeignLockfile(t *testing.T) {
	r := gnoderegistry.Start(t)
	for _, v := range []string{"1.0.0", "1.1.0"} {
		r.Publish(gnoderegistry.Pkg{Name: "top", Version: v})
		r.Publish(gnoderegistry.Pkg{Name: "leaf", Version: v})
	}
	r.Publish(gnoderegistry.Pkg{Name: "mid", Version: "1.0.0", Deps: map[string]string{"leaf": "^1.0.0"}})
	locks := map[string]string{
		"pnpm-lock.yaml": `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      mid:
        specifier: ^1.0.0
        version: 1.0.0
      top:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  leaf@1.0.0:
    resolution: {integrity: sha512-AAAA}

  mid@1.0.0:
    resolution: {integrity: sha512-AAAA}

  top@1.0.0:
    resolution: {integrity: sha512-AAAA}

snapshots:

  leaf@1.0.0: {}

  mid@1.0.0:
    dependencies:
      leaf: 1.0.0

  top@1.0.0: {}
`,
		"yarn.lock": `# yarn lockfile v1


leaf@^1.0.0:
  version "1.0.0"

mid@^1.0.0:
  version "1.0.0"
  dependencies:
    leaf "^1.0.0"

top@^1.0.0:
  version "1.0.0"
`,
		"bun.lock": `{
  "lockfileVersion": 1,
  "workspaces": { "": { "name": "app", "dependencies": { "mid": "^1.0.0", "top": "^1.0.0", }, }, },
  "packages": {
    "leaf": ["leaf@1.0.0", "", {}, "sha512-AAAA"],
    "mid": ["mid@1.0.0", "", { "dependencies": { "leaf": "^1.0.0" } }, "sha512-AAAA"],
    "top": ["top@1.0.0", "", {}, "sha512-AAAA"],
  }
}
`,
	}
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GNODE_CACHE_DIR=" + filepath.Join(home, "cache")}
	install := func(dir string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main([]string{"install"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: dir}); code != 0 {
			t.Fatalf("gnode install: %d\n%s\n%s", code, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	version := func(dir, pkg string) string {
		var m struct{ Version string }
		b, _ := os.ReadFile(filepath.Join(dir, "node_modules", pkg, "package.json"))
		json.Unmarshal(b, &m)
		return m.Version
	}
	for _, file := range []string{"pnpm-lock.yaml", "yarn.lock", "bun.lock"} {
		t.Run(file, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"mid":"^1.0.0","top":"^1.0.0"}}`), 0o644)
			os.WriteFile(filepath.Join(dir, file), []byte(locks[file]), 0o644)
			r.WriteNpmrc(dir)
			out := install(dir)
			if !strings.Contains(out, "migrating from "+file) {
				t.Errorf("install did not say it migrates from %s:\n%s", file, out)
			}
			if v := version(dir, "top"); v != "1.0.0" {
				t.Errorf("top: installed %q, the lockfile pins 1.0.0", v)
			}
			if v := version(dir, "leaf"); v != "1.0.0" {
				t.Errorf("leaf: installed %q, the lockfile pins 1.0.0", v)
			}
			var lock struct {
				Packages map[string]struct{ Version string }
			}
			b, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
			if err != nil || json.Unmarshal(b, &lock) != nil {
				t.Fatalf("package-lock.json not written: %v", err)
			}
			if lock.Packages["node_modules/top"].Version != "1.0.0" || lock.Packages["node_modules/leaf"].Version != "1.0.0" {
				t.Errorf("package-lock.json pins other versions:\n%s", b)
			}
			// From now on package-lock.json is the source of truth.
			if out := install(dir); strings.Contains(out, "migrating") {
				t.Errorf("second install migrated again:\n%s", out)
			}
		})
	}
	// Control: without a foreign lockfile the newest versions in range are
	// installed, so the checks above can fail.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"mid":"^1.0.0","top":"^1.0.0"}}`), 0o644)
	r.WriteNpmrc(dir)
	install(dir)
	if version(dir, "top") != "1.1.0" || version(dir, "leaf") != "1.1.0" {
		t.Errorf("control install: top %s leaf %s, want 1.1.0", version(dir, "top"), version(dir, "leaf"))
	}
}
