package migrate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pkgKey renders a package for comparison: name@version integrity deps.
func pkgKey(p Package) string {
	var deps []string
	for d, v := range p.Dependencies {
		deps = append(deps, d+"="+v)
	}
	sortStrings(deps)
	return p.Name + "@" + p.Version + " " + p.Integrity + " [" + strings.Join(deps, " ") + "]"
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// The three hand-made fixtures describe the same project (pnpm's adds a
// react dev dependency and mid's peer on it).
func TestFixtures(t *testing.T) {
	common := []string{
		"@team/tool@1.2.0 sha512-dG9vbA== []",
		"leaf@1.0.0 sha512-bGVhZjE= []",
		"leaf@2.0.0 sha512-bGVhZjI= []",
	}
	tests := []struct {
		file     string
		packages []string
		root     map[string]string
		pref     map[string][]string
	}{
		{
			file: "pnpm-lock.yaml",
			packages: append(append([]string{}, common...),
				"mid@1.0.0 sha512-bWlk [@team/tool=1.2.0 leaf=1.0.0 react=18.2.0]",
				"react@18.2.0 sha512-cmVhY3Q= []"),
			root: map[string]string{"@team/tool": "1.2.0", "mid": "1.0.0", "leaf": "2.0.0", "other": "1.0.0", "react": "18.2.0"},
			pref: map[string][]string{"@team/tool": {"1.2.0"}, "leaf": {"2.0.0", "1.0.0"}, "mid": {"1.0.0"}, "react": {"18.2.0"}},
		},
		{
			file:     "yarn.lock",
			packages: append(append([]string{}, common...), "mid@1.0.0 sha512-bWlk [@team/tool=1.2.0 leaf=1.0.0]"),
			root:     map[string]string{},
			pref:     map[string][]string{"@team/tool": {"1.2.0"}, "leaf": {"1.0.0", "2.0.0"}, "mid": {"1.0.0"}},
		},
		{
			file:     "bun.lock",
			packages: append(append([]string{}, common...), "mid@1.0.0 sha512-bWlk [@team/tool=1.2.0 leaf=1.0.0]"),
			root:     map[string]string{"@team/tool": "1.2.0", "mid": "1.0.0", "leaf": "2.0.0", "other": "1.0.0"},
			pref:     map[string][]string{"@team/tool": {"1.2.0"}, "leaf": {"2.0.0", "1.0.0"}, "mid": {"1.0.0"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			l, err := Parse(tc.file, readFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range l.Packages {
				got = append(got, pkgKey(p))
			}
			if !reflect.DeepEqual(got, tc.packages) {
				t.Errorf("packages:\n got %q\nwant %q", got, tc.packages)
			}
			if !reflect.DeepEqual(l.Root, tc.root) {
				t.Errorf("root: got %v want %v", l.Root, tc.root)
			}
			if p := l.Preferred(); !reflect.DeepEqual(p, tc.pref) {
				t.Errorf("preferred: got %v want %v", p, tc.pref)
			}
		})
	}
}

// yarn.lock does not name the project's own dependencies: SetRoot finds
// them through package.json's ranges, and their versions come first.
func TestYarnSetRoot(t *testing.T) {
	l, err := ParseYarn(readFixture(t, "yarn.lock"))
	if err != nil {
		t.Fatal(err)
	}
	l.SetRoot(map[string]string{"leaf": "^2.0.0", "mid": "^1.0.0", "missing": "^1.0.0"})
	if want := map[string]string{"leaf": "2.0.0", "mid": "1.0.0"}; !reflect.DeepEqual(l.Root, want) {
		t.Errorf("root: got %v want %v", l.Root, want)
	}
	if got := l.Preferred()["leaf"]; !reflect.DeepEqual(got, []string{"2.0.0", "1.0.0"}) {
		t.Errorf("leaf preferred: %v", got)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if _, err := Find(dir); err != ErrNone {
		t.Fatalf("empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "bun.lock"), readFixture(t, "bun.lock"), 0o644)
	os.WriteFile(filepath.Join(dir, "yarn.lock"), readFixture(t, "yarn.lock"), 0o644)
	l, err := Find(dir)
	if err != nil || l.File != "yarn.lock" {
		t.Fatalf("got %v, %v; want yarn.lock before bun.lock", l, err)
	}
	os.WriteFile(filepath.Join(dir, "pnpm-lock.yaml"), []byte("lockfileVersion: '5.4'\n"), 0o644)
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "5.4") {
		t.Fatalf("old pnpm lockfile: %v", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ file, data, want string }{
		{"pnpm-lock.yaml", "importers: {}\n", "no lockfileVersion"},
		{"pnpm-lock.yaml", "lockfileVersion: '9.0'\n'unterminated: x\n", "unterminated"},
		{"pnpm-lock.yaml", "lockfileVersion: '9.0'\njust words\n", "key: value"},
		{"yarn.lock", "__metadata:\n  version: 6\n", "berry"},
		{"yarn.lock", "leaf@^1:\n  resolved \"x\"\n", "no version"},
		{"yarn.lock", "  version \"1\"\n", "outside an entry"},
		{"yarn.lock", "leaf@^1\n", "ending with ':'"},
		{"bun.lock", `{"packages": {}}`, "no lockfileVersion"},
		{"bun.lock", `{"lockfileVersion": 1, "packages": {"a": [1]}}`, "not a string"},
		{"bun.lock", `{"lockfileVersion": 1, "x": "unterminated}`, "unterminated string"},
		{"bun.lock", `{"lockfileVersion": 7}`, "version 7"},
		{"npm-shrinkwrap.json", `{}`, "unknown lockfile"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.file, []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: got %v, want an error containing %q", tc.file, tc.data, err, tc.want)
		}
	}
}

func TestSplitNameVersion(t *testing.T) {
	tests := []struct{ in, name, version string }{
		{"a@1.0.0", "a", "1.0.0"},
		{"@s/a@1.0.0", "@s/a", "1.0.0"},
		{"other@npm:leaf@^1.0.0", "other@npm:leaf", "^1.0.0"},
		{"@s/a", "@s/a", ""},
		{"a", "a", ""},
	}
	for _, tc := range tests {
		n, v, _ := splitNameVersion(tc.in)
		if n != tc.name || v != tc.version {
			t.Errorf("%q: got %q %q", tc.in, n, v)
		}
	}
}

func fuzzParser(f *testing.F, file string) {
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(""))
	if real, err := os.ReadFile(filepath.Join("testdata", "real", file)); err == nil {
		f.Add(real)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(file, data)
		if err != nil {
			return
		}
		for name, vs := range l.Preferred() {
			if name == "" || len(vs) == 0 {
				t.Fatalf("empty preferred entry %q %v", name, vs)
			}
		}
	})
}

func FuzzPnpm(f *testing.F) { fuzzParser(f, "pnpm-lock.yaml") }
func FuzzYarn(f *testing.F) { fuzzParser(f, "yarn.lock") }
func FuzzBun(f *testing.F)  { fuzzParser(f, "bun.lock") }

func TestPreferredFor(t *testing.T) {
	dir := t.TempDir()
	if p, f, err := PreferredFor(dir); p != nil || f != "" || err != nil {
		t.Fatalf("empty folder: %v %q %v", p, f, err)
	}
	os.WriteFile(filepath.Join(dir, "yarn.lock"), readFixture(t, "yarn.lock"), 0o644)
	p, f, err := PreferredFor(dir, map[string]string{"leaf": "^2.0.0"}, nil)
	if err != nil || f != "yarn.lock" || !reflect.DeepEqual(p["leaf"], []string{"2.0.0", "1.0.0"}) {
		t.Fatalf("got %v %q %v", p, f, err)
	}
	os.WriteFile(filepath.Join(dir, "yarn.lock"), []byte("junk"), 0o644)
	if _, _, err := PreferredFor(dir); err == nil || !strings.Contains(err.Error(), "yarn.lock") {
		t.Fatalf("bad lockfile: %v", err)
	}
}
