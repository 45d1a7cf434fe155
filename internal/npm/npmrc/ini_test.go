package npmrc

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{"plain", "registry=http://r/\n", []Entry{{Key: "registry", Value: "http://r/", Line: 1}}},
		{"spaces trimmed", "  key =  value  \n", []Entry{{Key: "key", Value: "value", Line: 1}}},
		{"comments", "; c\n# c\n  ;c\nk=v ; trailing\nk2=v#x\n", []Entry{{Key: "k", Value: "v", Line: 4}, {Key: "k2", Value: "v", Line: 5}}},
		{"escaped comment chars", `k=a\;b\#c\\d\e`, []Entry{{Key: "k", Value: `a;b#c\d\e`, Line: 1}}},
		{"double quoted JSON", `k="a;b # c"`, []Entry{{Key: "k", Value: "a;b # c", Line: 1}}},
		{"double quoted escapes", `k="tab\there"`, []Entry{{Key: "k", Value: "tab\there", Line: 1}}},
		{"single quoted", `k='a;b'`, []Entry{{Key: "k", Value: "a;b", Line: 1}}},
		{"single quoted JSON string", `k='"x"'`, []Entry{{Key: "k", Value: "x", Line: 1}}},
		{"bad JSON keeps quotes", `k="a"b"`, []Entry{{Key: "k", Value: `"a"b"`, Line: 1}}},
		{"quoted number", `k='10'`, []Entry{{Key: "k", Value: "10", Line: 1}}},
		{"bare key is true", "ignore-scripts\n", []Entry{{Key: "ignore-scripts", Value: "true", Line: 1}}},
		{"empty value", "k=\n", []Entry{{Key: "k", Value: "", Line: 1}}},
		{"value keeps =", "//h/:_auth=YTpi==\n", []Entry{{Key: "//h/:_auth", Value: "YTpi==", Line: 1}}},
		{"list", "omit[]=dev\nomit[]=peer\n", []Entry{{Key: "omit", Value: "dev", List: true, Line: 1}, {Key: "omit", Value: "peer", List: true, Line: 2}}},
		{"no key", "=v\n", nil},
		{"crlf", "a=1\r\nb=2\r\n", []Entry{{Key: "a", Value: "1", Line: 1}, {Key: "b", Value: "2", Line: 2}}},
		{"section", "a=1\n[sec]\nb=2\n", []Entry{{Key: "a", Value: "1", Line: 1}, {Key: "b", Value: "2", Section: "sec", Line: 3}}},
		{"not a section", "[a]b=1\n", []Entry{{Key: "[a]b", Value: "1", Line: 1}}},
		{"proto ignored", "__proto__=1\n", nil},
		{"quoted key", `"a b"=1`, []Entry{{Key: "a b", Value: "1", Line: 1}}},
		{"object value", `k='{"a":1}'`, []Entry{{Key: "k", Value: `{"a":1}`, Line: 1, Object: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"A": "x", "EMPTY": "", "B C": "sp"}
	look := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct{ in, want string }{
		{"${A}", "x"},
		{"pre-${A}-post", "pre-x-post"},
		{"${MISSING}", "${MISSING}"},
		{"${MISSING?}", ""},
		{"${A?}", "x"},
		{"${EMPTY}", ""},
		{`\${A}`, "${A}"},
		{`\\${A}`, `\x`},
		{`\\\${A}`, `\${A}`},
		{"${B C}", "sp"},
		{"${}", "${}"},
		{"${A", "${A"},
		{"$${A}", "$x"},
		{"${A}${A}", "xx"},
		{"${${A}}", "${x}"},
		{"${A??}", "${A??}"},
	}
	for _, tt := range tests {
		if got := expandEnv(tt.in, look); got != tt.want {
			t.Errorf("expandEnv(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// npmRoot returns npm's package directory, or skips.
func npmRoot(t testing.TB) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not installed: skipping the differential test")
	}
	real, err := filepath.EvalSymlinks(npm)
	if err != nil {
		t.Skipf("cannot resolve npm: %v", err)
	}
	root := filepath.Dir(filepath.Dir(real))
	if _, err := os.Stat(filepath.Join(root, "node_modules", "ini")); err != nil {
		t.Skipf("npm's ini module not found under %s", root)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	return root
}

// iniObject mirrors what npm's ini.decode builds from top-level entries.
func iniObject(entries []Entry) map[string]any {
	out := map[string]any{}
	for _, e := range entries {
		if e.Section != "" {
			continue
		}
		v := e.Value
		if e.Object {
			v = "<object>"
		}
		old, exists := out[e.Key]
		if e.List {
			if !exists {
				out[e.Key] = []any{}
			} else if _, isList := old.([]any); !isList {
				out[e.Key] = []any{old}
			}
		}
		if l, isList := out[e.Key].([]any); isList {
			out[e.Key] = append(l, v)
		} else {
			out[e.Key] = v
		}
	}
	return out
}

// genIni makes a random .npmrc-like text from tokens that exercise the
// parser's rules (comments, escapes, quotes, =, [] lists, whitespace).
func genIni(r *rand.Rand) string {
	keyTok := []string{"a", "b", "k", "reg", " ", "\t", `\`, ";", "#", "'", `"`, ".", "-", "_", "é", "[]"}
	valTok := []string{"a", "b", "1", "true", "false", "null", " ", "\t", `\`, `\;`, `\#`, `\\`, ";", "#", "=", "'", `"`, "${A}", "é", "x y", "0.5", "1e21", "\u00a0"}
	var b strings.Builder
	lines := 1 + r.IntN(6)
	for i := 0; i < lines; i++ {
		switch r.IntN(8) {
		case 0:
			b.WriteString(";" + valTok[r.IntN(len(valTok))])
		case 1:
			b.WriteString("  #c")
		case 2:
			// a key with no value
			b.WriteString(keyTok[r.IntN(4)])
		default:
			n := 1 + r.IntN(3)
			for j := 0; j < n; j++ {
				b.WriteString(keyTok[r.IntN(len(keyTok))])
			}
			b.WriteString("=")
			n = r.IntN(5)
			if r.IntN(4) == 0 {
				q := []string{`"`, `'`}[r.IntN(2)]
				b.WriteString(q)
				for j := 0; j < n; j++ {
					b.WriteString(valTok[r.IntN(len(valTok))])
				}
				b.WriteString(q)
			} else {
				for j := 0; j < n; j++ {
					b.WriteString(valTok[r.IntN(len(valTok))])
				}
			}
		}
		b.WriteString([]string{"\n", "\r\n", "\n\n", "\r"}[r.IntN(4)])
	}
	return b.String()
}

// TestParseDifferential parses generated files with gnode and with the ini
// module npm itself uses, and compares the results.
func TestParseDifferential(t *testing.T) {
	root := npmRoot(t)
	r := rand.New(rand.NewPCG(1, 2))
	inputs := []string{
		"a=1\nb='2'\nc=\"3\"\nd\ne[]=x\ne[]=y\n",
		"k=v ; c\nk2='a;b'\n",
	}
	for len(inputs) < 3000 {
		inputs = append(inputs, genIni(r))
	}
	dir := t.TempDir()
	in, _ := json.Marshal(inputs)
	os.WriteFile(filepath.Join(dir, "in.json"), in, 0o644)
	script := `
const ini = require(process.argv[1]);
const inputs = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const out = inputs.map(s => {
  const o = ini.decode(s);
  const res = {};
  for (const [k, v] of Object.entries(o)) {
    const conv = x => (x !== null && typeof x === 'object') ? '<object>' : String(x);
    res[k] = Array.isArray(v) ? v.map(conv) : conv(v);
  }
  return res;
});
process.stdout.write(JSON.stringify(out));
`
	cmd := exec.Command("node", "-e", script, filepath.Join(root, "node_modules", "ini"), filepath.Join(dir, "in.json"))
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want []map[string]any
	if err := json.Unmarshal(outb, &want); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, s := range inputs {
		got := iniObject(Parse(s))
		// normalise through JSON so []any/[]string compare equal
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want[i])
		var g2, w2 any
		json.Unmarshal(gb, &g2)
		json.Unmarshal(wb, &w2)
		if !reflect.DeepEqual(g2, w2) {
			bad++
			if bad <= 20 {
				t.Errorf("input %q\n gnode %s\n   npm %s", s, gb, wb)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d inputs differ", bad, len(inputs))
	}
	t.Logf("compared %d generated files with npm's ini", len(inputs))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"registry=http://r/\n", "k='a;b'\n", `k="x\"y"`, "[s]\nk=v", "omit[]=dev\nomit[]=peer",
		"k=a\\;b ; c", "=x", "\r\r\n", "k=${HOME}", "__proto__=1", `k='{"a":[1]}'`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		entries := Parse(s)
		for _, e := range entries {
			if e.Key == "__proto__" {
				t.Fatalf("bad key in %+v", e)
			}
			if e.Line < 1 || e.Line > strings.Count(s, "\n")+1 {
				t.Fatalf("line %d out of range", e.Line)
			}
		}
		// expansion never panics and is the identity without ${
		for _, e := range entries {
			got := expandEnv(e.Value, func(string) (string, bool) { return "", false })
			if !strings.Contains(e.Value, "${") && got != e.Value {
				t.Fatalf("expandEnv changed %q to %q", e.Value, got)
			}
		}
		_ = fmt.Sprint(entries)
	})
}

// TestExpandEnvDifferential compares expandEnv with npm's own env-replace
// on generated strings.
func TestExpandEnvDifferential(t *testing.T) {
	npmRoot(t)
	npm, _ := exec.LookPath("npm")
	real, _ := filepath.EvalSymlinks(npm)
	mod := filepath.Join(filepath.Dir(filepath.Dir(real)), "node_modules", "@npmcli", "config", "lib", "env-replace.js")
	if _, err := os.Stat(mod); err != nil {
		t.Skipf("npm's env-replace.js not found: %v", err)
	}
	env := map[string]string{"A": "x", "EMPTY": "", "B C": "s p", "Q": "${A}"}
	r := rand.New(rand.NewPCG(3, 4))
	toks := []string{"${A}", "${A?}", "${NOPE}", "${NOPE?}", "${EMPTY}", "${B C}", "${Q}", "\\", "\\\\", "$", "{", "}", "?", "a", " ", "${", "${A", "}}"}
	inputs := []string{}
	for len(inputs) < 2000 {
		var b strings.Builder
		for n := r.IntN(8); n >= 0; n-- {
			b.WriteString(toks[r.IntN(len(toks))])
		}
		inputs = append(inputs, b.String())
	}
	dir := t.TempDir()
	data, _ := json.Marshal(map[string]any{"env": env, "inputs": inputs})
	os.WriteFile(filepath.Join(dir, "in.json"), data, 0o644)
	script := `
const replace = require(process.argv[1]);
const {env, inputs} = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
process.stdout.write(JSON.stringify(inputs.map(s => replace(s, env))));
`
	out, err := exec.Command("node", "-e", script, mod, filepath.Join(dir, "in.json")).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	look := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	bad := 0
	for i, in := range inputs {
		if got := expandEnv(in, look); got != want[i] {
			bad++
			if bad <= 10 {
				t.Errorf("expandEnv(%q) = %q, npm %q", in, got, want[i])
			}
		}
	}
	t.Logf("compared %d strings with npm's env-replace", len(inputs))
}
