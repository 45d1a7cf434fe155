package whatwgurl

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQSStringifyJSON(t *testing.T) {
	for _, c := range []struct {
		json, sep, eq, want string
		keys                int
		ok                  bool
	}{
		// node: qs.stringify({ a: 1, b: 'hello world', c: 7, d: ['x', 'y'], e: '€' })
		{`{"a":1,"b":"hello world","c":7,"d":["x","y"],"e":"€"}`, "&", "=", "a=1&b=hello%20world&c=7&d=x&d=y&e=%E2%82%AC", 5, true},
		{`{}`, "&", "=", "", 0, true},
		// node: qs.stringify({ e: [], a: [], b: null, c: {x: 1}, d: [null, [1], {}, true, 1e+21] }, ';', ':')
		{`{"e":[],"a":[],"b":null,"c":{"x":1},"d":[null,[1],{},true,1e+21]}`, ";", ":", "b:;c:;d:;d:;d:;d:true;d:1e%2B21", 5, true},
		{`{"k\"\\\/\b\f\n\r\t\u0001":"\u00e9"}`, "&", "=", "k%22%5C%2F%08%0C%0A%0D%09%01=%C3%A9", 1, true},
		{`{"a":"\ud800"}`, "&", "=", "", 0, false},
		{`{"a":1`, "&", "=", "", 0, false},
		{`[1]`, "&", "=", "", 0, false},
		{`{"a":1}x`, "&", "=", "", 0, false},
	} {
		out, keys, ok := QSStringifyJSON(nil, []byte(c.json), c.sep, c.eq)
		if ok != c.ok || ok && (string(out) != c.want || keys != c.keys) {
			t.Errorf("QSStringifyJSON(%s) = %q, %d keys, %v; want %q, %d, %v", c.json, out, keys, ok, c.want, c.keys, c.ok)
		}
	}
}

// qsStringifyRef is QSStringifyJSON over encoding/json's tokens: the
// reference FuzzQSStringifyJSON holds the hand-written reader to.
func qsStringifyRef(text, sep, eq string) (string, bool) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	conv := func(tok json.Token) (string, bool) {
		switch v := tok.(type) {
		case string:
			e, _ := QSEscape(v)
			return e, true
		case json.Number:
			e, _ := QSEscape(string(v))
			return e, true
		case bool:
			if v {
				return "true", true
			}
			return "false", true
		case nil:
			return "", true
		case json.Delim:
			// A nested container: skip it.
			for depth := 1; depth > 0; {
				t, err := d.Token()
				if err != nil {
					return "", false
				}
				if dl, ok := t.(json.Delim); ok {
					if dl == '{' || dl == '[' {
						depth++
					} else {
						depth--
					}
				}
			}
			return "", true
		}
		return "", false
	}
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	var out []string
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return "", false
		}
		k, _ := QSEscape(kt.(string))
		vt, err := d.Token()
		if err != nil {
			return "", false
		}
		if vt == json.Delim('[') {
			for d.More() {
				et, err := d.Token()
				if err != nil {
					return "", false
				}
				e, ok := conv(et)
				if !ok {
					return "", false
				}
				out = append(out, k+eq+e)
			}
			if _, err := d.Token(); err != nil {
				return "", false
			}
			continue
		}
		v, ok := conv(vt)
		if !ok {
			return "", false
		}
		out = append(out, k+eq+v)
	}
	return strings.Join(out, sep), true
}

// FuzzQSStringifyJSON: where the reader takes the text, encoding/json
// reads the same pairs.
func FuzzQSStringifyJSON(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"hello world","c":7,"d":["x","y"],"e":"€"}`, `{}`, `{"a":[]}`,
		`{"a":{"b":[1,{"c":"]"}]},"d":[[],{}]}`, `{"\u0041":"\n","b":-1.5e-7,"c":true,"d":false,"e":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out, _, ok := QSStringifyJSON(nil, []byte(text), "&", "=")
		if !ok {
			return
		}
		if !json.Valid([]byte(text)) {
			return // the reader is lenient about what qjs never writes
		}
		want, ok := qsStringifyRef(text, "&", "=")
		if !ok {
			return
		}
		if !bytes.Equal(out, []byte(want)) {
			t.Fatalf("QSStringifyJSON(%s) = %q, encoding/json reads %q", text, out, want)
		}
	})
}

// FuzzSerializeQueryJSON: the JSON of a flat list serializes as
// SerializeQuery serializes its pairs.
func FuzzSerializeQueryJSON(f *testing.F) {
	f.Add("a", "1", "b c", "é&=+*~")
	f.Add("", "", "\u0000\n\"\\", "😀")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string) {
		for _, s := range []string{n1, v1, n2, v2} {
			if !utf8.ValidString(s) {
				return
			}
		}
		pairs := [][2]string{{n1, v1}, {n2, v2}}
		text, err := json.Marshal([]string{n1, v1, n2, v2})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := SerializeQueryJSON(nil, text)
		if want := SerializeQuery(pairs); !ok || string(got) != want {
			t.Fatalf("SerializeQueryJSON(%s) = %q %v, want %q", text, got, ok, want)
		}
		if got, ok := SerializeQueryJSON(nil, []byte("[]")); !ok || len(got) != 0 {
			t.Fatalf("SerializeQueryJSON([]) = %q %v", got, ok)
		}
		// An odd count is not a list.
		odd, _ := json.Marshal([]string{n1, v1, n2})
		if got, ok := SerializeQueryJSON(nil, odd); ok {
			t.Fatalf("SerializeQueryJSON(%s) = %q, want not ok", odd, got)
		}
	})
}
