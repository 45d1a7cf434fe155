package manifest

import (
	"bytes"
	"regexp"
	"testing"
)

// indentRef is the expression detectIndent implements (npm's).
var indentRef = regexp.MustCompile(`^\s*[{\[]((?:\r?\n)+)([ \t]*)`)

func indentByRegexp(data []byte) (string, bool, bool) {
	g := indentRef.FindSubmatch(data)
	if g == nil {
		return "", false, false
	}
	return string(g[2]), bytes.Contains(g[1], []byte("\r\n")), true
}

func TestDetectIndentMatchesRegexp(t *testing.T) {
	for _, in := range []string{
		"", "{}", "{\n  \"a\": 1\n}\n", "{\r\n\t\"a\": 1\r\n}", "  \n{\n\n    \"a\"", "[\n\t\t1]", "{\r\"a\"}",
		"{\n\r\n  x", "\f\t{\n \t x", "x{\n  ", "{ \n  ", "\v{\n  ", "{\n", "{\r", "{\r\n", "[\n\n\n",
	} {
		gi, gc, gok := detectIndent([]byte(in))
		wi, wc, wok := indentByRegexp([]byte(in))
		if gi != wi || gc != wc || gok != wok {
			t.Errorf("detectIndent(%q) = %q, %v, %v; the expression gives %q, %v, %v", in, gi, gc, gok, wi, wc, wok)
		}
	}
}

func FuzzDetectIndentMatchesRegexp(f *testing.F) {
	for _, s := range []string{"{\n  \"a\": 1\n}", "{\r\n\t\"a\"", " \n[\n\n x", "{\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		gi, gc, gok := detectIndent([]byte(in))
		wi, wc, wok := indentByRegexp([]byte(in))
		if gi != wi || gc != wc || gok != wok {
			t.Fatalf("detectIndent(%q) = %q, %v, %v; the expression gives %q, %v, %v", in, gi, gc, gok, wi, wc, wok)
		}
	})
}
