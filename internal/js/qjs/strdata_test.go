package qjs

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestStringData(t *testing.T) {
	vm := newVM(t)
	cases := []struct {
		src  string
		want string
		wide bool
	}{
		{`"hello"`, "hello", false},
		{`"caf\u00e9"`, "café", false},
		{`""`, "", false},
		{`"snow \u2603"`, "snow ☃", true},
		{`"a\ud83d\ude00b"`, "a😀b", true},
		// A long concatenation is a rope; the view must flatten it.
		{`(() => { let s = ""; for (let i = 0; i < 2000; i++) s += "ab"; return s + "z".repeat(600); })()`, strings.Repeat("ab", 2000) + strings.Repeat("z", 600), false},
	}
	for _, c := range cases {
		v, err := vm.Eval(c.src, "strdata.js", Script)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		l1, w, flat, ok := vm.StringData(v)
		if !ok {
			t.Fatalf("%s: not a string", c.src)
		}
		var got string
		if w != nil {
			got = string(utf16.Decode(w))
		} else {
			r := make([]rune, len(l1))
			for i, b := range l1 {
				r[i] = rune(b)
			}
			got = string(r)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
		if (w != nil) != c.wide && c.want != "" {
			t.Errorf("%s: wide = %v, want %v", c.src, w != nil, c.wide)
		}
		vm.Free(flat)
		vm.Free(v)
	}
	if _, _, _, ok := vm.StringData(Int(3)); ok {
		t.Error("a number is not a string")
	}
}
