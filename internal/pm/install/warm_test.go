package install

import (
	"encoding/json"
	"testing"
)

// TestMayHaveBin: the shortcut never says "no bin" for a package.json
// that encoding/json reads a "bin" key from.
func TestMayHaveBin(t *testing.T) {
	cases := []struct {
		pj   string
		want bool
	}{
		{`{"name":"a"}`, false},
		{`{"name":"a","bin":"cli.js"}`, true},
		{`{"name":"a","bin":{"a":"cli.js"}}`, true},
		{`{"name":"a","description":"a \"bin\" helper"}`, false},
		{`{"name":"a","description":"bin"}`, true}, // a false positive is only slower
		{`{"name":"a","BIN":"cli.js"}`, true},      // encoding/json matches keys in any case
		{`{"name":"a","\u0062in":"cli.js"}`, true},
		{`{"name":"a","b\u0069n":"cli.js"}`, true},
		{`{"name":"a","bi\u006E":"cli.js"}`, true},
		{`{"name":"a","\u0042IN":"cli.js"}`, true},
		{`{"name":"a","scripts":{"t":"a \u0026\u0026 b \u003e c"}}`, false},
		{`{"name":"a","binary":"x"}`, false},
		{`{"name":"a","directories":{"bin":"./b"}}`, true},
	}
	for _, c := range cases {
		if got := mayHaveBin([]byte(c.pj)); got != c.want {
			t.Errorf("mayHaveBin(%s) = %v, want %v", c.pj, got, c.want)
		}
		var m struct {
			Bin any `json:"bin"`
		}
		if err := json.Unmarshal([]byte(c.pj), &m); err != nil {
			t.Fatal(err)
		}
		if m.Bin != nil && !mayHaveBin([]byte(c.pj)) {
			t.Errorf("%s has a bin key but mayHaveBin says no", c.pj)
		}
	}
}

func FuzzMayHaveBin(f *testing.F) {
	f.Add(`{"bin":"x"}`)
	f.Add(`{"\u0062in":"x"}`)
	f.Add(`{"name":"x"}`)
	f.Fuzz(func(t *testing.T, pj string) {
		var m struct {
			Bin any `json:"bin"`
		}
		if json.Unmarshal([]byte(pj), &m) != nil {
			return
		}
		if m.Bin != nil && !mayHaveBin([]byte(pj)) {
			t.Fatalf("%q has a bin key but mayHaveBin says no", pj)
		}
	})
}

func TestMayHaveKey(t *testing.T) {
	cases := []struct {
		pj   string
		want bool
	}{
		{`{"name":"a"}`, false},
		{`{"name":"a","gnode":{"linker":"isolated"}}`, true},
		{`{"name":"a","GNode":{}}`, true}, // encoding/json matches keys in any case
		{`{"name":"a","\u0067node":{}}`, true},
		{`{"name":"a","description":"gnode"}`, true}, // a false positive is only slower
		{`{"name":"a","gnodes":{}}`, false},
		{`{"name":"a","xgnode":{}}`, false},
		{`{"name":"a","gnod":{}}`, false},
		{`{"name":"gnode`, false},
		{`"gnode"`, true},
		{``, false},
	}
	for _, c := range cases {
		if got := mayHaveKey([]byte(c.pj), "gnode"); got != c.want {
			t.Errorf("mayHaveKey(%s) = %v, want %v", c.pj, got, c.want)
		}
	}
}

// FuzzMayHaveKey: mayHaveKey never says no for a document encoding/json
// finds the key in.
func FuzzMayHaveKey(f *testing.F) {
	f.Add(`{"gnode":{"linker":"isolated"}}`)
	f.Add(`{"\u0067node":1}`)
	f.Add(`{"GNODE":1}`)
	f.Add(`{"name":"x"}`)
	f.Fuzz(func(t *testing.T, pj string) {
		var m struct {
			Gnode any `json:"gnode"`
		}
		if json.Unmarshal([]byte(pj), &m) != nil {
			return
		}
		if m.Gnode != nil && !mayHaveKey([]byte(pj), "gnode") {
			t.Fatalf("%q has a gnode key but mayHaveKey says no", pj)
		}
	})
}
