package modresolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// jsonValue is a JSON value whose objects keep their key order, because
// "exports" and "imports" conditions are tried in the order written.
type jsonValue struct {
	kind  jsonKind
	str   string
	obj   []jsonMember
	arr   []jsonValue
	other string // literal text of numbers and booleans, for messages
}

type jsonKind int

const (
	jsonAbsent jsonKind = iota
	jsonNull
	jsonString
	jsonObject
	jsonArray
	jsonOther // number or boolean
)

type jsonMember struct {
	key string
	val jsonValue
}

func (v jsonValue) get(key string) (jsonValue, bool) {
	// JSON.parse keeps the last duplicate's value.
	for i := len(v.obj) - 1; i >= 0; i-- {
		if v.obj[i].key == key {
			return v.obj[i].val, true
		}
	}
	return jsonValue{}, false
}

// keys returns the object keys in JavaScript property order: array-index
// keys ascending first, then the rest as written, duplicates once.
func (v jsonValue) keys() []string {
	seen := map[string]bool{}
	var idx []uint64
	idxKey := map[uint64]string{}
	var rest []string
	for _, m := range v.obj {
		if seen[m.key] {
			continue
		}
		seen[m.key] = true
		if n, ok := arrayIndex(m.key); ok {
			idx = append(idx, n)
			idxKey[n] = m.key
		} else {
			rest = append(rest, m.key)
		}
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && idx[j] < idx[j-1]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	out := make([]string, 0, len(idx)+len(rest))
	for _, n := range idx {
		out = append(out, idxKey[n])
	}
	return append(out, rest...)
}

func arrayIndex(s string) (uint64, bool) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 1<<32-1 {
		return 0, false
	}
	return n, true
}

// display renders the value as JSON.stringify would, for error messages.
func (v jsonValue) display() string {
	switch v.kind {
	case jsonNull:
		return "null"
	case jsonString:
		b, _ := json.Marshal(v.str)
		return string(bytes.ReplaceAll(b, []byte(`\u0026`), []byte("&")))
	case jsonOther:
		return v.other
	case jsonArray:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(e.display())
		}
		b.WriteByte(']')
		return b.String()
	case jsonObject:
		var b bytes.Buffer
		b.WriteByte('{')
		for i, k := range v.keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			e, _ := v.get(k)
			b.WriteString(e.display())
		}
		b.WriteByte('}')
		return b.String()
	}
	return "undefined"
}

func parseJSON(data []byte) (jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return jsonValue{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return jsonValue{}, fmt.Errorf("unexpected data after the top-level value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (jsonValue, error) {
	t, err := dec.Token()
	if err != nil {
		return jsonValue{}, err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := jsonValue{kind: jsonObject}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return jsonValue{}, err
				}
				k, _ := kt.(string)
				e, err := decodeValue(dec)
				if err != nil {
					return jsonValue{}, err
				}
				v.obj = append(v.obj, jsonMember{k, e})
			}
			_, err := dec.Token()
			return v, err
		case '[':
			v := jsonValue{kind: jsonArray}
			for dec.More() {
				e, err := decodeValue(dec)
				if err != nil {
					return jsonValue{}, err
				}
				v.arr = append(v.arr, e)
			}
			_, err := dec.Token()
			return v, err
		}
		return jsonValue{}, fmt.Errorf("unexpected %v", t)
	case string:
		return jsonValue{kind: jsonString, str: t}, nil
	case nil:
		return jsonValue{kind: jsonNull}, nil
	case json.Number:
		return jsonValue{kind: jsonOther, other: t.String()}, nil
	case bool:
		return jsonValue{kind: jsonOther, other: strconv.FormatBool(t)}, nil
	}
	return jsonValue{}, fmt.Errorf("unexpected token %v", t)
}

// PackageJSON is the part of a package.json the resolver and the loader use.
type PackageJSON struct {
	// Path is the package.json file; Dir its directory.
	Path, Dir string
	Name      string
	Main      string
	// Type is "module", "commonjs" or "" (absent or another value).
	Type string
	// HasExports and HasImports report non-null "exports"/"imports" fields.
	HasExports, HasImports bool

	exports, imports jsonValue
}

func parsePackageJSON(path, dir string, data []byte) (*PackageJSON, error) {
	// A UTF-8 BOM is allowed, as Node strips it.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	v, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	p := &PackageJSON{Path: path, Dir: dir}
	if v.kind != jsonObject {
		return p, nil
	}
	if s, ok := v.get("name"); ok && s.kind == jsonString {
		p.Name = s.str
	}
	if s, ok := v.get("main"); ok && s.kind == jsonString {
		p.Main = s.str
	}
	if s, ok := v.get("type"); ok && s.kind == jsonString && (s.str == "module" || s.str == "commonjs") {
		p.Type = s.str
	}
	if e, ok := v.get("exports"); ok && e.kind != jsonNull {
		p.exports, p.HasExports = e, true
	}
	if e, ok := v.get("imports"); ok && e.kind != jsonNull {
		p.imports, p.HasImports = e, true
	}
	return p, nil
}
