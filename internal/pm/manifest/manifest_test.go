package manifest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

func TestSyntaxErrorPosition(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
	}{
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}\n", 3, 3},
		{"trailing comma", "{\n  \"a\": 1,\n}\n", 3, 1},
		{"bad token", "{\"a\": tru}", 1, 10},
		{"truncated", "{\n  \"a\": {\n", 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("pkg/package.json", []byte(c.src))
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("got %v, want *SyntaxError", err)
			}
			if se.Line != c.line || se.Col != c.col {
				t.Fatalf("position %d:%d, want %d:%d (%v)", se.Line, se.Col, c.line, c.col, err)
			}
			if !strings.HasPrefix(err.Error(), "pkg/package.json:") {
				t.Fatalf("message %q lacks the file", err)
			}
		})
	}
}

func TestRoundTripKeepsFormat(t *testing.T) {
	cases := []string{
		"{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"z\": [1, 2],\n  \"a\": {}\n}\n",
		"{\n    \"name\": \"x\",\n    \"dependencies\": {\n        \"b\": \"^1\",\n        \"a\": \"^2\"\n    }\n}\n",
		"{\r\n\t\"name\": \"x\",\r\n\t\"s\": \"<&>\\u2028\\n\"\r\n}\r\n",
	}
	// JSON.stringify puts arrays on separate lines; normalize the first case.
	want0 := "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"z\": [\n    1,\n    2\n  ],\n  \"a\": {}\n}\n"
	for i, src := range cases {
		m, err := Parse("package.json", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		want := src
		if i == 0 {
			want = want0
		}
		if i == 2 {
			want = "{\r\n\t\"name\": \"x\",\r\n\t\"s\": \"<&>\u2028\\n\"\r\n}\r\n"
		}
		if got := string(m.Bytes()); got != want {
			t.Errorf("case %d:\n got %q\nwant %q", i, got, want)
		}
	}
}

func TestAddRemoveDependency(t *testing.T) {
	src := "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"zeta\": \"^1.0.0\"\n  },\n  \"devDependencies\": {\n    \"alpha\": \"^1.0.0\"\n  },\n  \"license\": \"MIT\"\n}\n"
	m, err := Parse("package.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m.AddDependency(Dependencies, "alpha", "^2.0.0")
	m.AddDependency(Dependencies, "Beta", "^1.0.0")
	want := "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"alpha\": \"^2.0.0\",\n    \"Beta\": \"^1.0.0\",\n    \"zeta\": \"^1.0.0\"\n  },\n  \"license\": \"MIT\"\n}\n"
	if got := string(m.Bytes()); got != want {
		t.Fatalf("after add:\n%s\nwant:\n%s", got, want)
	}
	if !m.RemoveDependency("zeta") || m.RemoveDependency("nope") {
		t.Fatal("RemoveDependency result wrong")
	}
	m.RemoveDependency("alpha")
	m.RemoveDependency("Beta")
	want = "{\n  \"name\": \"app\",\n  \"license\": \"MIT\"\n}\n"
	if got := string(m.Bytes()); got != want {
		t.Fatalf("after remove:\n%s\nwant:\n%s", got, want)
	}
}

func TestNormalizeBin(t *testing.T) {
	got := NormalizeBin("@s/tool", "./bin/cli.js")
	if got["tool"] != "bin/cli.js" || len(got) != 1 {
		t.Fatalf("string bin: %v", got)
	}
	got = NormalizeBin("x", map[string]any{"a": "./a.js", "../evil": "b.js", "c": 3})
	if got["a"] != "a.js" || got["evil"] != "b.js" || len(got) != 2 {
		t.Fatalf("object bin: %v", got)
	}
}

// TestLocaleCompareMatchesNode sorts names the way npm does and compares with
// node's localeCompare(…, 'en').
func TestLocaleCompareMatchesNode(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH; skipping differential collation test")
	}
	names := []string{"a-b", "a_b", "a.b", "a/b", "A", "a", "b", "@babel/core", "@types/node", "node_modules/a", "node_modules/a/node_modules/b", "node_modules/a-b", "node_modules/@x/y", "Z", "z", "1abc", "abc1", "ab", "a~b", "a$b", "a+b", "é", "e", "f", "node_modules/abc", "node_modules/ab_c", "node_modules/ab-c", "node_modules/ab.c",
		"a@b", "a/b/c", "a@/", "a_-", "a-_", "a.@", "a9", "a0b", "ab", "a", "@", "_", "-x", "node_modules/@a/b", "node_modules/@a-b/c", "node_modules/@ab/c", "node_modules/a/node_modules/@b/c"}
	ours := append([]string(nil), names...)
	sort.SliceStable(ours, func(i, j int) bool { return LocaleCompare(ours[i], ours[j]) < 0 })
	js := `const n = JSON.parse(process.argv[1]); n.sort((a, b) => a.localeCompare(b, 'en')); console.log(n.join('\n'))`
	q := "[\"" + strings.Join(names, "\",\"") + "\"]"
	out, err := exec.Command("node", "-e", js, q).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(out)), "\n")
	if strings.Join(ours, "\n") != strings.Join(want, "\n") {
		t.Fatalf("order differs\n got %q\nwant %q", ours, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"name":"x","dependencies":{"a":"1"}}`))
	f.Add([]byte("{\n  \"a\": [1, {\"b\": null}]\n}"))
	f.Add([]byte(`{"a":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.json", data)
		if err != nil {
			return
		}
		if _, err := Parse("f.json", m.Bytes()); err != nil {
			t.Fatalf("re-parse of our own output failed: %v", err)
		}
	})
}

// nodeSorted sorts names with node's localeCompare(…, 'en').
func nodeSorted(t *testing.T, names []string) []string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH; skipping differential collation test")
	}
	q, _ := json.Marshal(names)
	js := `const n = JSON.parse(require('fs').readFileSync(0, 'utf8')); n.sort((a, b) => a.localeCompare(b, 'en')); process.stdout.write(JSON.stringify(n))`
	cmd := exec.Command("node", "-e", js)
	cmd.Stdin = bytes.NewReader(q)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestLocaleCompareASCIIMatchesNode sorts random strings of printable ASCII
// and whitespace, where LocaleCompare claims CLDR root's exact order, and
// compares with node.
func TestLocaleCompareASCIIMatchesNode(t *testing.T) {
	const alphabet = "aAbBzZ09 \t-_.,;:!?'\"()[]{}@*/\\&#%`^+<=>|~$"
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var names []string
	for len(names) < 3000 {
		b := make([]byte, 1+rng.IntN(5))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if s := string(b); !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	want := nodeSorted(t, names)
	ours := append([]string(nil), names...)
	sort.SliceStable(ours, func(i, j int) bool { return LocaleCompare(ours[i], ours[j]) < 0 })
	for i := range ours {
		if ours[i] != want[i] {
			t.Fatalf("order differs at %d: got %q, node %q (context got %q want %q)", i, ours[i], want[i], ours[max(0, i-3):min(len(ours), i+3)], want[max(0, i-3):min(len(want), i+3)])
		}
	}
}

// TestLocaleCompareNonASCIIMatchesNode covers the approximation for other
// characters on the cases it gets right: accents after their base letter,
// Latin variants and expansions, symbols and currency, other scripts
// after Latin.
func TestLocaleCompareNonASCIIMatchesNode(t *testing.T) {
	names := []string{"a", "A", "á", "Á", "b", "ä", "æ", "ae", "ø", "o", "p", "ß", "ss", "st", "ł", "l", "m",
		"€", "$", "0", "3", "α", "z", "я", "日", "😀", "ﬁ", "fi", "café", "cafe", "cafés", "Café", "packages/é", "packages/e", "packages/f",
		"node_modules/a", "naïve", "naive", "nb"}
	want := nodeSorted(t, names)
	ours := append([]string(nil), names...)
	sort.SliceStable(ours, func(i, j int) bool { return LocaleCompare(ours[i], ours[j]) < 0 })
	if strings.Join(ours, " ") != strings.Join(want, " ") {
		t.Fatalf("order differs\n got %q\nwant %q", ours, want)
	}
}
