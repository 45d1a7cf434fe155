package packument

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// sameCompact checks DecodeForInstallCompact on data: it decodes like
// DecodeForInstall, its compacted document decodes to the same result
// (and is valid JSON when data is), compacting that again changes
// nothing, and a document that does not decode is left as it was.
func sameCompact(data []byte) error {
	want, werr := DecodeForInstall(bytes.Clone(data))
	buf := bytes.Clone(data)
	p, lean, err := DecodeForInstallCompact(buf)
	if (err == nil) != (werr == nil) {
		return fmt.Errorf("compact error %v, DecodeForInstall error %v", err, werr)
	}
	if err != nil {
		if !bytes.Equal(buf, data) {
			return fmt.Errorf("a failed decode changed the document")
		}
		return nil
	}
	wb, _ := json.Marshal(want)
	if pb, _ := json.Marshal(p); string(pb) != string(wb) {
		return fmt.Errorf("compact decode differs:\n%s\n%s", pb, wb)
	}
	if json.Valid(data) && !json.Valid(lean) {
		return fmt.Errorf("compacted document is not valid JSON: %s", lean)
	}
	p2, err := DecodeForInstall(bytes.Clone(lean))
	if err != nil {
		return fmt.Errorf("compacted document %q: %v", lean, err)
	}
	if b2, _ := json.Marshal(p2); string(b2) != string(wb) {
		return fmt.Errorf("compacted document decodes differently:\n%s\n%s", b2, wb)
	}
	_, again, err := DecodeForInstallCompact(bytes.Clone(lean))
	if err != nil || !bytes.Equal(again, lean) {
		return fmt.Errorf("compacting twice: %q -> %q (%v)", lean, again, err)
	}
	return nil
}

func TestDecodeForInstallCompact(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"nothing to cut", `{"name":"a","versions":{}}`, `{"name":"a","versions":{}}`},
		{"first member", `{"readme":"x", "name":"a"}`, `{ "name":"a"}`},
		{"last member", `{"name":"a", "readme":"x"}`, `{"name":"a"}`},
		{"middle member", `{"name":"a", "readme":"x", "_id":"a"}`, `{"name":"a", "_id":"a"}`},
		{"first two", `{"readme":"x", "users":{"u":true}, "name":"a"}`, `{  "name":"a"}`},
		{"all members", `{ "readme":"x" , "users":[1,{"a":2}] }`, `{   }`},
		{"alternating", `{"a":1,"name":"a","b":[2],"_id":"a","c":{}}`, `{"name":"a","_id":"a"}`},
		{
			"version fields",
			`{"name":"a","versions":{"1.0.0":{"name":"a","devDependencies":{"x":"1"},"scripts":{"test":"t"},"version":"1.0.0","contributors":[{"name":"c"}]}}}`,
			`{"name":"a","versions":{"1.0.0":{"name":"a","version":"1.0.0"}}}`,
		},
		{
			"install scripts stay, the others go",
			`{"versions":{"1":{"scripts":{"test":"t","postinstall":"p","build":"b"},"exports":"./x"}}}`,
			`{"versions":{"1":{"scripts":{"postinstall":"p"}}}}`,
		},
		{
			"scripts naming install but not as a key",
			`{"versions":{"1":{"version":"1", "scripts":{"test":"npm install", "build":"b"}}}}`,
			`{"versions":{"1":{"version":"1"}}}`,
		},
		{
			"an empty install script stays",
			`{"versions":{"1":{"scripts":{"preinstall":"","x":"install"}}}}`,
			`{"versions":{"1":{"scripts":{"preinstall":""}}}}`,
		},
		{
			"dist keeps what is read",
			`{"versions":{"1":{"dist":{"tarball":"t","npm-signature":"s","shasum":"x","signatures":[{"keyid":"k","sig":"s"}],"attestations":{"url":"u"},"x":[1]}}}}`,
			`{"versions":{"1":{"dist":{"tarball":"t","shasum":"x","signatures":[{"keyid":"k","sig":"s"}],"attestations":{"url":"u"}}}}}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, lean, err := DecodeForInstallCompact([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(lean) != c.want {
				t.Errorf("compacted\n got %s\nwant %s", lean, c.want)
			}
			if err := sameCompact([]byte(c.in)); err != nil {
				t.Error(err)
			}
		})
	}
	for _, bad := range []string{`{"readme":"x", "name":}`, `{"readme":"x" "name":"a"}`, `[1]`, `{"a":1}x`} {
		if err := sameCompact([]byte(bad)); err != nil {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
