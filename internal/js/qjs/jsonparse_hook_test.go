package qjs_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/js/runtime"
)

// TestJSONParseHookNode runs JSON.parse through gnode's runtime (where
// lib/internal/json_fast.js routes it to qjs.ParseFast or the engine)
// and through node, and compares what the two print: non-string
// arguments, revivers, __proto__, integer-like and duplicate keys,
// repeated shapes, strings, numbers, deep nesting, error names and
// messages. Skipped without node.
func TestJSONParseHookNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test needs it")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "hook.js")
	if err := os.WriteFile(script, []byte(hookScript), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command(node, script).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, want)
	}
	var out, errOut bytes.Buffer
	code := runtime.Run(runtime.Options{
		Script: script, Cwd: dir, Env: os.Environ(),
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, ExecPath: node,
	})
	if code != 0 {
		t.Fatalf("gnode exit code %d\n%s", code, errOut.String())
	}
	w := strings.Split(string(want), "\n")
	g := strings.Split(out.String(), "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			t.Fatalf("line %d:\nnode  %s\ngnode %s", i+1, a, b)
		}
	}
}

const hookScript = `'use strict';
// JSON.parse through gnode's hook (lib/internal/json_fast.js) against node.
const dump = (v) => {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v) : Object.is(v, -0) ? '-0' : String(v);
  const proto = Object.getPrototypeOf(v) === (Array.isArray(v) ? Array.prototype : Object.prototype) ? '' : '!proto';
  if (Array.isArray(v)) return proto + '[' + v.map(dump).join(',') + ']';
  return proto + '{' + Object.getOwnPropertyNames(v).map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return JSON.stringify(k) + (d.writable && d.enumerable && d.configurable ? '' : '!attrs') + ':' + dump(v[k]);
  }).join(',') + '}';
};
const show = (label, f) => {
  try { console.log(label, dump(f())); } catch (e) { console.log(label, 'throws', e.name, e instanceof SyntaxError ? e.message : ''); }
};
console.log(JSON.parse.name, JSON.parse.length, typeof JSON.parse, Object.keys(JSON).length);
show('new', () => new JSON.parse('1'));
show('buffer', () => JSON.parse(Buffer.from('{"a":[1,2,{"b":null}]}')));
show('toString', () => JSON.parse({ toString() { return '[1,"x"]'; } }));
show('number', () => JSON.parse(12.5));
show('null', () => JSON.parse(null));
show('true', () => JSON.parse(true));
show('undefined', () => JSON.parse(undefined));
show('noarg', () => JSON.parse());
show('symbol', () => JSON.parse(Symbol('s')));
show('reviver', () => JSON.parse('{"a":1,"b":[2,3]}', (k, v) => (typeof v === 'number' ? v * 10 : v)));
show('reviver-delete', () => JSON.parse('{"a":1,"b":2}', (k, v) => (k === 'a' ? undefined : v)));
show('non-fn reviver', () => JSON.parse('{"a":1}', {}));
show('proto', () => JSON.parse('{"__proto__":{"x":1},"y":2}'));
show('proto-check', () => Object.getPrototypeOf(JSON.parse('{"__proto__":null}')) === Object.prototype);
show('int keys', () => JSON.parse('{"b":1,"2":2,"1":1,"a":0,"-1":3,"01":4,"4294967295":5,"4294967294":6}'));
show('int keys order', () => Object.keys(JSON.parse('{"b":1,"2":2,"1":1,"a":0,"4294967294":6}')).join());
show('dups', () => JSON.parse('{"a":1,"b":2,"a":3}'));
show('dups repeated', () => JSON.parse('[{"a":1,"a":2},{"a":3,"a":4,"b":5}]'));
show('shapes', () => JSON.parse(JSON.stringify(Array.from({ length: 50 }, (_, i) => (i % 3 ? { id: i, name: 'n' + i } : { id: i, extra: [i], name: 'x' })))));
show('mutate', () => { const a = JSON.parse('[{"p":1,"q":2},{"p":3,"q":4}]'); a[0].r = 5; delete a[1].p; return a; });
show('strings', () => JSON.parse('["\\u00e9\\u0100\\ud83d\\ude00\\ud800x\\udc00", "é Ā 😀", "\\"\\\\\\/\\b\\f\\n\\r\\t"]'));
show('lone raw', () => JSON.parse('"a\ud800b"').charCodeAt(1));
show('numbers', () => JSON.parse('[0,-0,1.5,-1e-7,1e21,1e400,-1e400,9007199254740993,123456789012345678901234567890,2147483648,-2147483649,0.1e1]'));
show('ws', () => JSON.parse(' \t\n\r[ 1 , { "a" : 2 } ] \n'));
show('deep', () => { const n = 100000; const v = JSON.parse('['.repeat(n) + ']'.repeat(n)); let d = 0; for (let x = v; Array.isArray(x) && x.length; x = x[0]) d++; return d; });
for (const bad of ['', ' ', '{', '[1,]', '{"a":1,}', '01', '1.', '.5', '+1', '"\t"', '\v1', '1 2', 'tru', '"\\x"', '"\\u12"', "'a'", '[1]x', '{"a" 1}', '{a:1}', '-', '1e', '0x10', '"\\v"', '/*c*/1', '\ufeff1']) {
  show('bad ' + JSON.stringify(bad), () => JSON.parse(bad));
}
show('stringify-roundtrip', () => JSON.stringify(JSON.parse('{"a":[1,{"b":"é"}],"c":"Ā"}'), null, 'é'));
`
