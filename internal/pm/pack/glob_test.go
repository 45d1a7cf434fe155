package pack

import (
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRuleTable(t *testing.T) {
	cases := []struct {
		pat, path string
		partial   bool
		want      bool
	}{
		{"*.js", "a/b/c.js", false, true}, // matchBase
		{"*.js", "c.JS", false, true},     // nocase
		{"/a/b", "/a/b", false, true},
		{"/a/b", "/c/a/b", false, false},
		{"a/b", "a/b/", false, true}, // trailing slash on the path
		{"a/", "a", false, false},
		{"a/", "a/", false, true},
		{"**/x", "/p/q/x", false, true},
		{"docs/*", "docs/a", false, true},
		{"docs/*", "docs", true, true},
		{"docs/*", "docs", false, false},
		{".*.swp", ".a.swp", false, true},
		{"readme{,.*[^~$]}", "README.md", false, true},
		{"readme{,.*[^~$]}", "readme.md~", false, false},
		{"file[0-9].txt", "file5.txt", false, true},
		{"[!a]x", "bx", false, true},
		{"[!a]x", "ax", false, false},
		{"foo{1..3}", "foo2", false, true},
		{"foo{1..3}", "foo4", false, false},
		{"\\*.js", "*.js", false, true},
		{"\\*.js", "a.js", false, false},
		{"*", ".hidden", false, true}, // dot
		{"", "", false, true},
	}
	for _, c := range cases {
		if got := ParseRule(c.pat).Match(c.path, c.partial); got != c.want {
			t.Errorf("%q match %q (partial %v) = %v, want %v", c.pat, c.path, c.partial, got, c.want)
		}
	}
	if !ParseRule("!!x").Negate == false || !ParseRule("!x").Negate {
		t.Errorf("negation parity wrong")
	}
}

// genCases builds random patterns and paths from a small alphabet so that
// matches are frequent.
func genCases(n int, seed int64) (pats, paths []string) {
	rng := rand.New(rand.NewSource(seed))
	segs := []string{"a", "b", "A", "ab", ".x", "a.js", "b.JS", "c.md", "x~", "foo1", "foo2", "lib", "LIB"}
	patSegs := []string{"*", "**", "?", "a*", "*.js", "*.{js,md}", "[ab]", "[!a]*", "[a-c]?", "foo{1..2}", "{a,b}", "lib", "a", ".*", "*~", "\\*", "[[:alpha:]]*", "{,.*}", "a{b,}", "[^x]*"}
	for i := 0; i < n; i++ {
		var p []string
		k := 1 + rng.Intn(3)
		for j := 0; j < k; j++ {
			p = append(p, patSegs[rng.Intn(len(patSegs))])
		}
		pat := strings.Join(p, "/")
		switch rng.Intn(5) {
		case 0:
			pat = "/" + pat
		case 1:
			pat += "/"
		}
		if rng.Intn(6) == 0 {
			pat = "!" + pat
		}
		var f []string
		k = 1 + rng.Intn(4)
		for j := 0; j < k; j++ {
			f = append(f, segs[rng.Intn(len(segs))])
		}
		path := strings.Join(f, "/")
		switch rng.Intn(4) {
		case 0:
			path = "/" + path
		case 1:
			path += "/"
		}
		pats = append(pats, pat)
		paths = append(paths, path)
	}
	return
}

// TestRuleMatchesMinimatch compares Match with the minimatch npm ships,
// using ignore-walk's options, on generated patterns and paths.
func TestRuleMatchesMinimatch(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH")
	}
	root, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm root -g failed")
	}
	mm := filepath.Join(strings.TrimSpace(string(root)), "npm", "node_modules", "minimatch")
	if _, err := os.Stat(mm); err != nil {
		t.Skip("npm's minimatch not found")
	}
	pats, paths := genCases(4000, 7)
	in, _ := json.Marshal(map[string]any{"pats": pats, "paths": paths})
	script := `const {Minimatch}=require(process.argv[1]);let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const {pats,paths}=JSON.parse(d);const o=[];
for(let i=0;i<pats.length;i++){const r=new Minimatch(pats[i],{matchBase:true,dot:true,flipNegate:true,nocase:true});o.push([r.match(paths[i]),r.match(paths[i],true),r.negate])}
process.stdout.write(JSON.stringify(o))})`
	cmd := exec.Command("node", "-e", script, mm)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want [][3]bool
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i := range pats {
		r := ParseRule(pats[i])
		got := [3]bool{r.Match(paths[i], false), r.Match(paths[i], true), r.Negate}
		if got != want[i] {
			bad++
			if bad <= 20 {
				t.Errorf("%q vs %q: gnode %v, minimatch %v", pats[i], paths[i], got, want[i])
			}
		}
	}
	t.Logf("%d pattern/path pairs compared, %d mismatches", len(pats), bad)
}

func FuzzRule(f *testing.F) {
	for _, s := range []string{"*.js", "!a/**/b", "{a,b}/{1..3}", "[a-", "\\", "a{", "}{", "**", "/", "[[:alpha:]]", "{a,{b,c}}"} {
		f.Add(s, "a/b/c.js")
	}
	f.Fuzz(func(t *testing.T, pat, path string) {
		if len(pat) > 64 || len(path) > 64 {
			return
		}
		r := ParseRule(pat)
		a := r.Match(path, false)
		if b := r.Match(path, false); a != b {
			t.Fatalf("non-deterministic")
		}
		// A full match is always a partial match.
		if a && !r.Match(path, true) {
			t.Fatalf("%q matches %q fully but not partially", pat, path)
		}
	})
}
