package capability

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPackageOf(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"/app/index.js", ""},
		{"/app/node_modules/x/index.js", "x"},
		{"/app/node_modules/x/lib/deep/a.js", "x"},
		{"/app/node_modules/@s/x/index.js", "@s/x"},
		{"/app/node_modules/a/node_modules/b/index.js", "b"},
		{"/app/node_modules/a/node_modules/@s/b/i.js", "@s/b"},
		{"/app/node_modules/x", ""},
		{"/app/node_modules/@s/x", ""},
		{"/app/node_modules/.bin/tool", ""},
		{"/app/node_modules/.pnpm/x@1/node_modules/x/i.js", "x"},
		{"node_modules/x/i.js", ""},
	} {
		if got := PackageOf(tc.file); got != tc.want {
			t.Errorf("PackageOf(%q) = %q, want %q", tc.file, got, tc.want)
		}
	}
}

func TestFindPolicy(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		FileName:            `{"version":1,"packages":{}}`,
		"src/deep/app.js":   "",
		"other/" + FileName: `{"version":1,"packages":{}}`,
	})
	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(root, "src", "deep"), filepath.Join(root, FileName)},
		{root, filepath.Join(root, FileName)},
		{filepath.Join(root, "other"), filepath.Join(root, "other", FileName)},
	} {
		got, ok := FindPolicy(tc.dir)
		if !ok || got != tc.want {
			t.Errorf("FindPolicy(%s) = %s %v, want %s", tc.dir, got, ok, tc.want)
		}
	}
	if p, ok := FindPolicy(os.TempDir() + "/gnode-no-such-dir-for-policy"); ok && p == filepath.Join(root, FileName) {
		t.Errorf("found a policy outside its project")
	}
}

func FuzzPackageOf(f *testing.F) {
	for _, s := range []string{"/a/node_modules/@s/x/i.js", "/node_modules//", "node_modules/@/", "/x/node_modules/.y/z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name := PackageOf(s)
		if name != "" && (name[0] == '.' || name == "@" || len(name) > len(s)) {
			t.Errorf("PackageOf(%q) = %q", s, name)
		}
	})
}
