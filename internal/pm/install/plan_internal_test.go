package install

import (
	"path/filepath"
	"reflect"
	"testing"

	"gnode/internal/pm/linker"
)

// TestLayoutPlanEncoding: a plan decodes to the packages it was made from;
// every truncation and every flipped byte is refused; packages outside
// the store or symlinked folders make no plan.
func TestLayoutPlanEncoding(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	pkgs := []linker.Package{
		{Location: "node_modules/a", StorePath: filepath.Join(dir, "sha512", "aa", "x1", "package")},
		{Location: "node_modules/@s/b", StorePath: filepath.Join(dir, "sha512", "bb", "x2", "package")},
		{Location: "node_modules/a/node_modules/c", StorePath: filepath.Join(dir, "sha512", "cc", "x3", "package")},
	}
	b := encodeLayoutPlan(dir, pkgs)
	if b == nil {
		t.Fatal("no plan")
	}
	got, err := decodeLayoutPlan(dir, b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, pkgs) {
		t.Fatalf("decoded %+v, want %+v", got, pkgs)
	}
	for n := 0; n < len(b); n++ {
		if _, err := decodeLayoutPlan(dir, b[:n]); err == nil {
			t.Fatalf("a plan cut to %d of %d bytes decoded", n, len(b))
		}
	}
	for i := range b {
		for _, bit := range []byte{1, 0x80} {
			c := append([]byte(nil), b...)
			c[i] ^= bit
			if _, err := decodeLayoutPlan(dir, c); err == nil {
				t.Fatalf("a plan with byte %d flipped (%#x) decoded", i, bit)
			}
		}
	}
	if _, err := decodeLayoutPlan(dir, append(append([]byte(nil), b...), 0)); err == nil {
		t.Fatal("a plan with a trailing byte decoded")
	}
	for _, bad := range [][]linker.Package{
		{{Location: "node_modules/a", StorePath: filepath.Join(t.TempDir(), "x")}}, // outside the store
		{{Location: "node_modules/a", StorePath: dir}},                             // the store itself
		{{Location: "node_modules/a", LinkTarget: "../a", StorePath: pkgs[0].StorePath}},
		{{Location: "", StorePath: pkgs[0].StorePath}},
	} {
		if b := encodeLayoutPlan(dir, bad); b != nil {
			t.Fatalf("a plan of %+v was made", bad)
		}
	}
	empty := encodeLayoutPlan(dir, nil)
	if got, err := decodeLayoutPlan(dir, empty); err != nil || len(got) != 0 {
		t.Fatalf("empty plan: %v %v", got, err)
	}
}

// TestLayoutPlanPath: each input of the key gives another plan file.
func TestLayoutPlanPath(t *testing.T) {
	base := layoutPlanPath("/c", "omit=[] platform=x", "app", []byte(`{"a":1}`), []byte(`{"lock":1}`))
	if filepath.Dir(filepath.Dir(base)) != filepath.Join("/c", "install-memo-v1") || filepath.Ext(base) != ".plan" {
		t.Fatalf("plan path %s", base)
	}
	for name, p := range map[string]string{
		"state key":    layoutPlanPath("/c", "omit=[dev] platform=x", "app", []byte(`{"a":1}`), []byte(`{"lock":1}`)),
		"folder name":  layoutPlanPath("/c", "omit=[] platform=x", "app2", []byte(`{"a":1}`), []byte(`{"lock":1}`)),
		"package.json": layoutPlanPath("/c", "omit=[] platform=x", "app", []byte(`{"a":2}`), []byte(`{"lock":1}`)),
		"lockfile":     layoutPlanPath("/c", "omit=[] platform=x", "app", []byte(`{"a":1}`), []byte(`{"lock":2}`)),
		// The boundary between package.json and the lockfile counts.
		"split": layoutPlanPath("/c", "omit=[] platform=x", "app", []byte(`{"a":1}{`), []byte(`"lock":1}`)),
	} {
		if p == base {
			t.Errorf("changing the %s kept the plan path", name)
		}
	}
	if layoutPlanPath("", "k", "app", nil, nil) != "" {
		t.Error("a plan path without a cache folder")
	}
}
