package store

import (
	"bytes"
	"encoding/json"
)

// marshalIndex returns json.Marshal(idx), byte for byte, without letting
// encoding/json compact the package.json: json.Marshal runs a json.RawMessage
// through its validating scanner (a function call per byte), which was
// about 4% of putting a cold install's tarballs into the store (~40 ms for
// bench/fixtures/toolchain). The document is already known to be valid
// JSON (newIndex keeps only a package.json that tarball.ScanPackageJSON or
// encoding/json accepted), so appendCompactJSON only has to do what the
// scanner's output amounts to.
func marshalIndex(idx *Index) ([]byte, error) {
	pj := idx.PackageJSON
	if pj == nil {
		return json.Marshal(idx)
	}
	c := *idx
	c.PackageJSON = nil
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, err
	}
	// The key appears once: every string before it (file paths, folders,
	// skipped entries) is escaped, so a quote inside one is never followed
	// by ":null" as a key's closing quote is.
	const key = `"packageJson":null`
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return json.Marshal(idx)
	}
	i += len(key) - len("null")
	out := make([]byte, 0, len(b)+len(pj))
	out = append(out, b[:i]...)
	out = appendCompactJSON(out, pj)
	return append(out, b[i+len("null"):]...), nil
}

// appendCompactJSON appends src, valid JSON, as json.Marshal writes a
// json.RawMessage holding it: whitespace outside strings removed, and
// '<', '>', '&', U+2028 and U+2029 written as \u escapes (its HTML
// escaping); everything else as it is.
func appendCompactJSON(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	inString, escaped := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			start = i + 1
		case c == 0xe2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xa8:
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xf])
			i += 2
			start = i + 1
		case inString:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			dst = append(dst, src[start:i]...)
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}
