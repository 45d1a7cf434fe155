package capability

import (
	"reflect"
	"testing"
)

func TestExceeding(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"node_modules/http-kit/index.js": "require('node:http');",
	})
	p, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	if ex, err := Exceeding(root, p); err != nil || len(ex) != 0 {
		t.Fatalf("fresh policy: %v %v", ex, err)
	}
	// The update: http-kit now also reads the environment, and brings
	// crypto-kit, which spawns processes; a pure new package is fine.
	write(t, root, map[string]string{
		"node_modules/http-kit/index.js":   "require('node:http'); require('crypto-kit'); process.env.X;",
		"node_modules/crypto-kit/index.js": "require('child_process').exec('x');",
		"node_modules/pure/index.js":       "module.exports = 1;",
	})
	ex, err := Exceeding(root, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Excess{
		{Name: "crypto-kit", Missing: []string{ChildProcess}, Unlisted: true},
		{Name: "http-kit", Missing: []string{Env}},
	}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("Exceeding = %+v\nwant %+v", ex, want)
	}
	if s := ex[0].String(); s != "crypto-kit (not in gnode-policy.json) uses [child_process]" {
		t.Errorf("String() = %q", s)
	}
}
