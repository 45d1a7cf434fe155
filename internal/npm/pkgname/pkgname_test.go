package pkgname

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		new, old bool
	}{
		{"express", true, true},
		{"@babel/core", true, true},
		{"some-package.js", true, true},
		{"", false, false},
		{".hidden", false, false},
		{"_private", false, false},
		{"-dash", false, false},
		{" space", false, false},
		{"node_modules", false, false},
		{"FAVICON.ICO", false, false},
		{"http", false, true},
		{"fs/promises", false, false},
		{"node:test", false, false},
		{"JSONStream", false, true},
		{"crazy!", false, true},
		{"@scope/.dot", false, false},
		{"@scope/", false, false},
		{"a/b", false, false},
		{"ünïcode", false, false},
		{strings.Repeat("a", 215), false, true},
		{strings.Repeat("a", 214), true, true},
	}
	for _, tt := range tests {
		r := Validate(tt.name)
		if r.ValidForNewPackages != tt.new || r.ValidForOldPackages != tt.old {
			t.Errorf("Validate(%q) = new %v old %v (%q %q), want new %v old %v", tt.name, r.ValidForNewPackages, r.ValidForOldPackages, r.Errors, r.Warnings, tt.new, tt.old)
		}
		if err := Check(tt.name); (err == nil) != tt.old {
			t.Errorf("Check(%q) = %v, want valid=%v", tt.name, err, tt.old)
		} else if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Errorf("Check(%q) error does not wrap ErrInvalidName", tt.name)
		}
		if err := CheckNew(tt.name); (err == nil) != tt.new {
			t.Errorf("CheckNew(%q) = %v, want valid=%v", tt.name, err, tt.new)
		}
	}
}

func randomName(r *rand.Rand) string {
	pieces := []string{"a", "b", "z", "A", "Q", "0", "9", "-", "_", ".", "~", "'", "!", "(", ")", "*", "@", "/", " ", "%", "é", "İ", "\u00a0", "http", "node_modules", "favicon.ico", "fs", "promises", "node:", "test", "scope", "pkg"}
	n := r.Intn(6)
	var b strings.Builder
	if r.Intn(3) == 0 {
		b.WriteString("@")
	}
	for i := 0; i < n; i++ {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	if r.Intn(40) == 0 {
		b.WriteString(strings.Repeat("x", 200+r.Intn(30)))
	}
	return b.String()
}

func TestDifferentialValidateNpmPackageName(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: skipping the differential test against validate-npm-package-name")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skipf("npm root -g failed (%v): skipping the differential test", err)
	}
	mod := filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules", "validate-npm-package-name")
	if _, err := os.Stat(filepath.Join(mod, "package.json")); err != nil {
		t.Skipf("validate-npm-package-name is not at %s: skipping the differential test", mod)
	}
	r := rand.New(rand.NewSource(7))
	names := []string{"express", "@babel/core", "HTTP", "Fs/Promises", "@a/b/c", "@/x", "@.a/b", "@a/.b", "x\ty", "  ", "node_modules", "\ufeffx"}
	for i := 0; i < 5000; i++ {
		names = append(names, randomName(r))
	}
	in, _ := json.Marshal(names)
	cmd := exec.Command("node", filepath.Join("testdata", "oracle.js"), mod)
	cmd.Stdin = bytes.NewReader(in)
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node oracle failed: %v", err)
	}
	var want [][4]any
	if err := json.Unmarshal(res, &want); err != nil {
		t.Fatal(err)
	}
	fails, newOK := 0, 0
	for i, n := range names {
		got := Validate(n)
		g := [4]any{got.ValidForNewPackages, got.ValidForOldPackages, toAny(got.Warnings), toAny(got.Errors)}
		if g[0].(bool) {
			newOK++
		}
		if !reflect.DeepEqual(g, want[i]) {
			fails++
			if fails < 30 {
				t.Errorf("Validate(%q) = %v, validate-npm-package-name says %v", n, g, want[i])
			}
		}
	}
	t.Logf("compared %d names (%d valid for new packages), %d mismatches", len(names), newOK, fails)
}

func toAny(ss []string) []any {
	out := []any{}
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"express", "@babel/core", ".x", "@a/.b", "HTTP", "a b", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		r := Validate(name)
		if r.ValidForNewPackages && !r.ValidForOldPackages {
			t.Fatalf("%q valid for new but not old packages", name)
		}
		if r.ValidForOldPackages != (len(r.Errors) == 0) {
			t.Fatalf("%q: validity and errors disagree", name)
		}
		if r.ValidForNewPackages {
			if strings.ToLower(name) != name || len(name) > MaxLength || name == "" {
				t.Fatalf("%q accepted for new packages", name)
			}
			if IsScoped(name) {
				return
			}
			if !urlSafe(name) {
				t.Fatalf("%q accepted with URL-unsafe characters", name)
			}
		}
	})
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{"@scope/name": "@scope%2fname", "plain": "plain", "@a/b.c": "@a%2fb.c", "@bad": "@bad"} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTarballPath: npm's registry layout for plain and scoped names (the
// scope stays in the folder, not in the file name).
func TestTarballPath(t *testing.T) {
	for _, c := range []struct{ name, version, want string }{
		{"express", "4.21.2", "express/-/express-4.21.2.tgz"},
		{"@babel/core", "7.26.0", "@babel/core/-/core-7.26.0.tgz"},
		{"a", "1.0.0-beta.1+build", "a/-/a-1.0.0-beta.1+build.tgz"},
	} {
		if got := TarballPath(c.name, c.version); got != c.want {
			t.Errorf("TarballPath(%q, %q) = %q, want %q", c.name, c.version, got, c.want)
		}
	}
}
