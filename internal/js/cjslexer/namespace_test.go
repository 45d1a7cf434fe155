package cjslexer

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestNamespaceKeysAgainstNode checks the lexer the way a user sees it:
// node imports each CommonJS file (`import * as ns`) and lists the
// namespace keys, which must be Analyze's names (plus those of re-exported
// files) and "default".
func TestNamespaceKeysAgainstNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping")
	}
	dir := t.TempDir()
	deps := map[string]string{
		"dep.cjs":  `exports.fromDep = 1; exports.other = 2;`,
		"dep2.cjs": `module.exports = { fromDep2: 1 }; module.exports.x2 = 3;`,
	}
	cases := map[string]string{
		"plain.cjs":    `exports.a = 1; exports['b-c'] = 2; module.exports.d = 3;`,
		"literal.cjs":  `const a = 1, b = 2; module.exports = { a, b, 'q r': a };`,
		"novalue.cjs":  `module.exports = { a: 1 };`,
		"esmodule.cjs": `Object.defineProperty(exports, '__esModule', { value: true }); exports.default = 5; exports.x = 1;`,
		"getter.cjs":   `var m = { y: 1 }; Object.defineProperty(exports, 'y', { enumerable: true, get: function () { return m.y; } });`,
		"reexport.cjs": `module.exports = require('./dep.cjs');`,
		"spread.cjs":   `const z = 1; module.exports = { ...require('./dep2.cjs'), z };`,
		"babel.cjs": `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
var _dep = require("./dep.cjs");
Object.keys(_dep).forEach(function (key) {
  if (key === "default" || key === "__esModule") return;
  if (key in exports && exports[key] === _dep[key]) return;
  Object.defineProperty(exports, key, { enumerable: true, get: function () { return _dep[key]; } });
});`,
		"tslib.cjs":      `function __exportStar(m, o) { for (var p in m) o[p] = m[p]; } __exportStar(require("./dep.cjs"), exports);`,
		"annotation.cjs": `var a = 1, b = 2; module.exports = { a: a, b: b }; 0 && (module.exports = { a, b });`,
		"comments.cjs":   "// exports.no = 1\nvar s = 'exports.no2 = 1'; var r = /exports.no3 = 1/; exports.yes = `${1}`;",
	}
	for name, src := range deps {
		os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
	}
	var names []string
	for name, src := range cases {
		os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		probe := filepath.Join(dir, "probe.mjs")
		os.WriteFile(probe, []byte(`import * as ns from './`+name+`'; console.log(Object.keys(ns).sort().join(','));`), 0o644)
		out, err := exec.Command(node, probe).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: node: %v\n%s", name, err, out)
		}
		want := strings.TrimSpace(string(out))
		got := namespaceKeys(t, dir, name, map[string]bool{})
		got["default"] = true
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if g := strings.Join(keys, ","); g != want {
			t.Errorf("%s: gnode namespace %q, node %q", name, g, want)
		}
	}
}

// namespaceKeys follows reexports the way Node's loader does.
func namespaceKeys(t *testing.T, dir, name string, seen map[string]bool) map[string]bool {
	keys := map[string]bool{}
	if seen[name] {
		return keys
	}
	seen[name] = true
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	ex, re, err := Analyze(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, e := range ex {
		keys[e] = true
	}
	for _, r := range re {
		for k := range namespaceKeys(t, dir, strings.TrimPrefix(r, "./"), seen) {
			if k != "default" {
				keys[k] = true
			}
		}
	}
	return keys
}
