package install

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodeTrustRecord: the hand-written encoder gives encoding/json's
// bytes, for records with no, empty and several decisions and strings
// needing every kind of escape.
func TestEncodeTrustRecord(t *testing.T) {
	odd := []string{"", "plain", `q"uote\back`, "ctl\x00\x01\x1f\x7f", "\b\f\n\r\t", "<a href=x>&amp;</a>",
		"line\u2028sep\u2029", "bad\xffutf8\xc3", "ünïcödé ✓ 𝄞", "\xed\xa0\x80", "a\u2027b\u202ac"}
	var ds []Decision
	for i, s := range odd {
		ds = append(ds, Decision{Name: s, Version: odd[(i+1)%len(odd)], Rule: "scripts", Verdict: odd[(i+2)%len(odd)], Detail: s + " detail"})
	}
	for _, r := range []TrustRecord{
		{Time: "2026-11-27T03:58:48Z", MinimumAge: "1d"},
		{Time: "2026-11-27T03:58:48Z", MinimumAge: "0s", Strict: true, ReleaseAgeStrict: true, Decisions: []Decision{}},
		{Time: "x", MinimumAge: "3h", Decisions: ds[:1]},
		{Time: "<&>", MinimumAge: "bad\xff", Strict: true, Decisions: ds},
	} {
		// encoding/json with HTML escaping off and the same indent
		// writes the same bytes.
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := encodeTrustRecord(&r); string(got)+"\n" != want.String() {
			t.Errorf("encodeTrustRecord:\n%s\nwant\n%s", got, want.String())
		}
	}
}
