package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Value is a JSON value that remembers the order of object keys, so a
// package.json can be rewritten with only the edited keys changed. Numbers
// keep their source text.
type Value struct {
	Kind   Kind
	Str    string   // String, and Number's source text
	Bool   bool     // Bool
	Arr    []*Value // Array
	Object *Object  // Object
}

// Kind is the JSON type of a Value.
type Kind uint8

// JSON value kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	ObjectKind
)

// Object is a JSON object with its keys in source order.
type Object struct {
	Keys []string
	Vals map[string]*Value
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{Vals: map[string]*Value{}} }

// Get returns the value under key, or nil.
func (o *Object) Get(key string) *Value {
	if o == nil {
		return nil
	}
	return o.Vals[key]
}

// Set replaces key's value in place, or appends key at the end.
func (o *Object) Set(key string, v *Value) {
	if _, ok := o.Vals[key]; !ok {
		o.Keys = append(o.Keys, key)
	}
	o.Vals[key] = v
}

// Delete removes key and reports whether it was there.
func (o *Object) Delete(key string) bool {
	if _, ok := o.Vals[key]; !ok {
		return false
	}
	delete(o.Vals, key)
	for i, k := range o.Keys {
		if k == key {
			o.Keys = append(o.Keys[:i:i], o.Keys[i+1:]...)
			break
		}
	}
	return true
}

// StringValue makes a string Value.
func StringValue(s string) *Value { return &Value{Kind: String, Str: s} }

// ObjectValue wraps an object.
func ObjectValue(o *Object) *Value { return &Value{Kind: ObjectKind, Object: o} }

// parseValue decodes one JSON document keeping key order. The input must
// already be known to be valid JSON (json.Valid), so errors here are rare.
func parseValue(data []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the top-level value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (*Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return decodeFrom(dec, tok)
}

func decodeFrom(dec *json.Decoder, tok json.Token) (*Value, error) {
	switch t := tok.(type) {
	case nil:
		return &Value{Kind: Null}, nil
	case bool:
		return &Value{Kind: Bool, Bool: t}, nil
	case json.Number:
		return &Value{Kind: Number, Str: string(t)}, nil
	case string:
		return &Value{Kind: String, Str: t}, nil
	case json.Delim:
		switch t {
		case '[':
			v := &Value{Kind: Array}
			for dec.More() {
				e, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				v.Arr = append(v.Arr, e)
			}
			_, err := dec.Token()
			return v, err
		case '{':
			o := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				e, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				// Like JSON.parse, a repeated key keeps its first position and last value.
				o.Set(k, e)
			}
			_, err := dec.Token()
			return ObjectValue(o), err
		}
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// Interface converts v to plain Go values (map[string]any loses order).
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Str)
	case String:
		return v.Str
	case Array:
		out := make([]any, len(v.Arr))
		for i, e := range v.Arr {
			out[i] = e.Interface()
		}
		return out
	case ObjectKind:
		out := make(map[string]any, len(v.Object.Keys))
		for _, k := range v.Object.Keys {
			out[k] = v.Object.Vals[k].Interface()
		}
		return out
	}
	return nil
}

// StringMap returns an object of strings as a map; non-string values are skipped.
func (v *Value) StringMap() map[string]string {
	if v == nil || v.Kind != ObjectKind {
		return nil
	}
	out := make(map[string]string, len(v.Object.Keys))
	for _, k := range v.Object.Keys {
		if e := v.Object.Vals[k]; e.Kind == String {
			out[k] = e.Str
		}
	}
	return out
}

// Strings returns an array of strings (or a single string) as a slice.
func (v *Value) Strings() []string {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case String:
		return []string{v.Str}
	case Array:
		var out []string
		for _, e := range v.Arr {
			if e.Kind == String {
				out = append(out, e.Str)
			}
		}
		return out
	}
	return nil
}

// Encode writes v the way JavaScript's JSON.stringify(v, null, indent) does.
func (v *Value) Encode(buf *bytes.Buffer, indent string) {
	v.encode(buf, indent, "")
}

func (v *Value) encode(buf *bytes.Buffer, indent, cur string) {
	switch v.Kind {
	case Null:
		buf.WriteString("null")
	case Bool:
		buf.WriteString(strconv.FormatBool(v.Bool))
	case Number:
		buf.WriteString(v.Str)
	case String:
		QuoteJS(buf, v.Str)
	case Array:
		if len(v.Arr) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteByte('[')
		next := cur + indent
		for i, e := range v.Arr {
			if i > 0 {
				buf.WriteByte(',')
			}
			if indent != "" {
				buf.WriteByte('\n')
				buf.WriteString(next)
			}
			e.encode(buf, indent, next)
		}
		if indent != "" {
			buf.WriteByte('\n')
			buf.WriteString(cur)
		}
		buf.WriteByte(']')
	case ObjectKind:
		if len(v.Object.Keys) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteByte('{')
		next := cur + indent
		for i, k := range v.Object.Keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if indent != "" {
				buf.WriteByte('\n')
				buf.WriteString(next)
			}
			QuoteJS(buf, k)
			buf.WriteByte(':')
			if indent != "" {
				buf.WriteByte(' ')
			}
			v.Object.Vals[k].encode(buf, indent, next)
		}
		if indent != "" {
			buf.WriteByte('\n')
			buf.WriteString(cur)
		}
		buf.WriteByte('}')
	}
}

// QuoteJS writes s as a JSON string exactly as JSON.stringify does: only the
// quote, the backslash and control characters are escaped (unlike Go's
// encoder, which also escapes <, >, & and U+2028/U+2029).
func QuoteJS(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	// Runs of bytes that need no escape are copied at once.
	run := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[run:i])
			switch c {
			case '"':
				buf.WriteString(`\"`)
			case '\\':
				buf.WriteString(`\\`)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hex[c>>4])
				buf.WriteByte(hex[c&0xf])
			}
			i++
			run = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[run:i])
			buf.WriteString(`\ufffd`)
			i++
			run = i
			continue
		}
		i += size
	}
	buf.WriteString(s[run:])
	buf.WriteByte('"')
}
