package packument

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString: AppendJSONString writes the bytes encoding/json
// writes for a string with HTML escaping off (the packument encoder and
// the install's trust record rely on it).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a", "<>&", "\u2028\u2029", "\xff", "\x00\"\\", "\b\f\n\r\t\x1f\x7f", "ünï 𝄞", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := AppendJSONString(nil, s); string(got)+"\n" != want.String() {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want.String())
		}
	})
}
