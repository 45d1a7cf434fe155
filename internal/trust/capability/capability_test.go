package capability

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGenerate(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"node_modules/http-kit/package.json":                 `{"name":"http-kit"}`,
		"node_modules/http-kit/index.js":                     "const http = require('node:http');\nconst kit = require('crypto-kit');\nmodule.exports = () => process.env.PORT;",
		"node_modules/crypto-kit/package.json":               `{"name":"crypto-kit"}`,
		"node_modules/crypto-kit/index.mjs":                  "import { exec } from 'child_process';\nimport fs from \"fs\";\nexport default 1;",
		"node_modules/pure/index.js":                         "// require('child_process') in a comment still counts: the analysis errs towards granting\nmodule.exports = 'requirements'",
		"node_modules/@scope/native/index.js":                "module.exports = require('./build/Release/addon.node')",
		"node_modules/@scope/native/binding.gyp":             "{}",
		"node_modules/pure/node_modules/nested-net/index.js": "require(`net`)",
		"node_modules/.bin/tool":                             "#!/bin/sh",
	})
	p, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"http-kit":      {Net, Env},
		"crypto-kit":    {FSRead, FSWrite, ChildProcess},
		"pure":          {ChildProcess},
		"@scope/native": {Native},
		"nested-net":    {Net},
	}
	if !reflect.DeepEqual(p.Packages, want) {
		t.Errorf("policy = %v\nwant     %v", p.Packages, want)
	}
	path := filepath.Join(root, FileName)
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil || !reflect.DeepEqual(q.Packages, want) {
		t.Errorf("round trip: %v %v", q, err)
	}
	if !q.Grants("crypto-kit", ChildProcess) || q.Grants("http-kit", ChildProcess) || q.Grants("unknown", FSRead) {
		t.Errorf("Grants wrong")
	}
	if m := q.Missing("http-kit", []string{Net, ChildProcess}); !reflect.DeepEqual(m, []string{ChildProcess}) {
		t.Errorf("Missing = %v", m)
	}
}

func TestLoadRejectsUnknownCapability(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(`{"version":1,"packages":{"x":["fs.read","teleport"]}}`), 0o644)
	if _, err := Load(path); err == nil {
		t.Errorf("unknown capability accepted")
	}
	os.WriteFile(path, []byte(`{"version":2,"packages":{}}`), 0o644)
	if _, err := Load(path); err == nil {
		t.Errorf("unknown version accepted")
	}
}

func FuzzAnalyzeSource(f *testing.F) {
	f.Add([]byte("require('fs'); import x from 'net'; process.env.X"))
	f.Fuzz(func(t *testing.T, b []byte) {
		AnalyzeSource(b, map[string]bool{})
	})
}
