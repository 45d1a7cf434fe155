package packument

import (
	"bytes"
	"encoding/json"
	"strings"
)

// StringList is a list of strings that also accepts a single string
// (`"os": "linux"`) and ignores other shapes.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
	case '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(StringList, 0, len(raw))
		for _, r := range raw {
			var s string
			if json.Unmarshal(r, &s) == nil {
				out = append(out, s)
			}
		}
		*l = out
	default:
		*l = nil
	}
	return nil
}

// Bin maps command names to file paths. A string `bin` decodes to the
// single entry stringBinKey → path until Normalize names it after the
// package.
type Bin map[string]string

// stringBinKey holds a string bin until Normalize; names with a NUL are
// dropped from object bins, so it cannot collide.
const stringBinKey = "\x00"

// UnmarshalJSON implements json.Unmarshaler.
func (m *Bin) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = Bin{stringBinKey: s}
	case '{':
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(Bin, len(raw))
		for k, v := range raw {
			if s, ok := v.(string); ok && !strings.Contains(k, stringBinKey) {
				out[k] = s
			}
		}
		*m = out
	default:
		*m = nil
	}
	return nil
}

// Deprecated is a deprecation message; "" when not deprecated. A boolean
// true (seen in old documents) becomes "deprecated".
type Deprecated string

// UnmarshalJSON implements json.Unmarshaler.
func (d *Deprecated) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Deprecated(s)
	case bytes.Equal(b, []byte("true")):
		*d = "deprecated"
	default:
		*d = ""
	}
	return nil
}

// Engines maps an engine name to its range. The old array form
// (["node >= 0.6"]) is split at the first space.
type Engines map[string]string

// UnmarshalJSON implements json.Unmarshaler.
func (e *Engines) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '{':
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(Engines, len(raw))
		for k, v := range raw {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
		*e = out
	case '[':
		var raw []any
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := Engines{}
		for _, v := range raw {
			s, ok := v.(string)
			if !ok {
				continue
			}
			s = strings.TrimSpace(s)
			name, rng, _ := strings.Cut(s, " ")
			if name != "" {
				out[name] = strings.TrimSpace(rng)
			}
		}
		*e = out
	default:
		*e = nil
	}
	return nil
}

// Bundle is bundleDependencies: a list of names, or true for "all of
// dependencies" (All). Normalize expands All.
type Bundle struct {
	All   bool
	Names []string
}

// UnmarshalJSON implements json.Unmarshaler.
func (bd *Bundle) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*bd = Bundle{}
	switch {
	case bytes.Equal(b, []byte("true")):
		bd.All = true
	case len(b) > 0 && b[0] == '[':
		var l StringList
		if err := l.UnmarshalJSON(b); err != nil {
			return err
		}
		bd.Names = l
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (bd Bundle) MarshalJSON() ([]byte, error) {
	if bd.All {
		return []byte("true"), nil
	}
	if bd.Names == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(bd.Names)
}

// License is the license identifier. Old documents use an object
// ({"type": "MIT"}) or an array of them; the types are joined with " OR ".
type License string

// UnmarshalJSON implements json.Unmarshaler.
func (l *License) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*l = ""
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = License(s)
	case '{':
		var o struct {
			Type any `json:"type"`
		}
		if json.Unmarshal(b, &o) == nil {
			if s, ok := o.Type.(string); ok {
				*l = License(s)
			}
		}
	case '[':
		var arr []License
		if json.Unmarshal(b, &arr) == nil {
			var parts []string
			for _, x := range arr {
				if x != "" {
					parts = append(parts, string(x))
				}
			}
			*l = License(strings.Join(parts, " OR "))
		}
	}
	return nil
}
