package npmrc

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Entry is one `key=value` line of an .npmrc file.
//
// npm reads .npmrc with the `ini` package, whose rules this file follows:
// a line is `key` or `key=value`; `;` and `#` start a comment at the start of
// a line or at an unescaped position in an unquoted value; a value wrapped in
// matching single or double quotes is taken as a JSON literal when it parses
// as one; `key[]=value` appends to a list; a bare `key` means true. Values
// are never expanded here: `${VAR}` expansion happens per layer, because npm
// expands keys and values when it loads a file, not when it parses it.
type Entry struct {
	Key   string
	Value string
	// List is true for `key[]=value` lines.
	List bool
	// Section is the `[section]` the line appeared under, "" at top level.
	Section string
	// Line is the 1-based line number, for messages.
	Line int
	// Object is true when the value is a JavaScript object in npm: a
	// quoted JSON object or array, or what npm's ini nests a dotted key
	// with a null value into. No option accepts one; Load ignores them.
	Object bool

	null bool
}

// Parse splits .npmrc text into entries in file order. It never fails: like
// npm, it skips lines it cannot read.
func Parse(data string) []Entry {
	var out []Entry
	section := ""
	for n, physical := range strings.Split(data, "\n") {
		// npm splits on runs of \r and \n; a lone \r also ends a line.
		for _, line := range strings.Split(physical, "\r") {
			section = parseLine(line, section, n+1, &out)
		}
	}
	out = nestNulls(out)
	for i := range out {
		out[i].null = false
	}
	return out
}

// parseLine reads one line, appending an entry to out, and returns the
// section in effect after it.
func parseLine(line, section string, lineNo int, out *[]Entry) string {
	trimmed := strings.TrimLeftFunc(line, isJSSpace)
	if trimmed == "" || trimmed[0] == ';' || trimmed[0] == '#' {
		return section
	}
	if line[0] == '[' {
		if end := strings.IndexByte(line, ']'); end >= 0 && trimJS(line[end+1:]) == "" {
			return unquoteIni(line[1:end]).str
		}
	}
	eq := strings.IndexByte(line, '=')
	if eq == 0 {
		// `=value`: the ini grammar needs at least one key character.
		return section
	}
	keyRaw, val := line, iniValue{str: "true"}
	if eq > 0 {
		if strings.ContainsAny(line[eq+1:], "\u2028\u2029") {
			// npm's line pattern uses `.`, which does not match these.
			return section
		}
		keyRaw, val = line[:eq], unquoteIni(line[eq+1:])
	}
	key := unquoteIni(keyRaw).key
	list := false
	if len(key) > 2 && strings.HasSuffix(key, "[]") {
		key, list = key[:len(key)-2], true
	}
	if key == "__proto__" {
		return section
	}
	*out = append(*out, Entry{Key: key, Value: val.str, List: list, Section: section, Line: lineNo, Object: val.object, null: val.null})
	return section
}

// nestNulls mimics a quirk of npm's ini: after parsing, every top-level
// value that is an object (sections, and also null, since typeof null is
// "object" in JavaScript) and whose key has a `.` is moved into nested
// objects split at unescaped dots. For a null value that means the key
// vanishes and its first part becomes an object; with only escaped dots
// the key is renamed (`a\.b` → `a.b`).
func nestNulls(entries []Entry) []Entry {
	// the final shape of each top-level key: the last entry wins unless
	// the key became a list
	last := map[string]int{}
	isList := map[string]bool{}
	for i, e := range entries {
		if e.Section != "" {
			continue
		}
		last[e.Key] = i
		if e.List {
			isList[e.Key] = true
		}
	}
	drop := map[string]bool{}
	rename := map[string]string{}
	var moved []Entry
	for key, i := range last {
		e := entries[i]
		if !e.null || isList[key] || !strings.Contains(key, ".") {
			continue
		}
		parts := splitUnescaped(key)
		if len(parts) == 1 {
			if strings.Contains(key, "\\.") {
				rename[key] = strings.ReplaceAll(key, "\\.", ".")
			}
			continue
		}
		drop[key] = true
		if parts[0] != "__proto__" {
			moved = append(moved, Entry{Key: parts[0], Line: e.Line, Object: true})
		}
	}
	out := entries[:0]
	for i, e := range entries {
		if e.Section == "" && drop[e.Key] {
			continue
		}
		if to, ok := rename[e.Key]; ok && e.Section == "" {
			if i != last[e.Key] {
				continue
			}
			e.Key = to
		}
		out = append(out, e)
	}
	sort.Slice(moved, func(i, j int) bool { return moved[i].Line < moved[j].Line })
	return append(out, moved...)
}

// splitUnescaped splits s at dots not preceded by a backslash.
func splitUnescaped(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' && !(i > 0 && s[i-1] == '\\') {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

type iniValue struct {
	str    string
	object bool
	null   bool
	// key is the string JavaScript makes of the value when it is used as a
	// property name (String(value)).
	key string
}

// unquoteIni reads one key or value the way npm's ini does: trimmed; quoted
// text is a JSON literal when it parses (single quotes are removed first);
// otherwise an unescaped ; or # ends the value and \; \# \\ are escapes.
func unquoteIni(s string) iniValue {
	s = trimJS(s)
	if len(s) >= 1 && ((s[0] == '"' && strings.HasSuffix(s, "\"")) || (s[0] == '\'' && strings.HasSuffix(s, "'"))) {
		raw := s
		if s[0] == '\'' {
			if len(s) >= 2 {
				raw = s[1 : len(s)-1]
			} else {
				raw = ""
			}
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err == nil {
			switch v.(type) {
			case map[string]any, []any:
				return iniValue{str: raw, object: true, key: jsString(v)}
			}
			str := jsonScalarString(v, raw)
			return iniValue{str: str, null: v == nil, key: str}
		}
		return iniValue{str: raw, key: raw}
	}
	var b strings.Builder
	esc := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if esc {
			if c == '\\' || c == ';' || c == '#' {
				b.WriteByte(c)
			} else {
				b.WriteByte('\\')
				b.WriteByte(c)
			}
			esc = false
			continue
		}
		if c == ';' || c == '#' {
			break
		}
		if c == '\\' {
			esc = true
			continue
		}
		b.WriteByte(c)
	}
	if esc {
		b.WriteByte('\\')
	}
	str := trimJS(b.String())
	return iniValue{str: str, null: str == "null", key: str}
}

// jsString is JavaScript's String(v) for a parsed JSON value.
func jsString(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "[object Object]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	case string:
		return x
	case nil:
		return "null"
	}
	return jsonScalarString(v, "")
}

// jsonScalarString renders a JSON value parsed from a quoted .npmrc value as
// the string npm would end up using.
func jsonScalarString(v any, raw string) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	case float64:
		return jsNumber(x)
	default:
		// Objects and arrays: npm keeps a JS object that no config option
		// accepts; keep the JSON text so the value is at least visible.
		return raw
	}
}

// jsNumber formats a number as JavaScript's String(n) does for the values
// JSON can produce.
func jsNumber(x float64) string {
	a := x
	if a < 0 {
		a = -a
	}
	if a != 0 && (a >= 1e21 || a < 1e-6) {
		s := strconv.FormatFloat(x, 'e', -1, 64) // 1e+21, 1.5e-07
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + exp
	}
	if x == 0 {
		return "0" // also -0
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// trimJS trims what JavaScript's String.prototype.trim trims (ASCII
// whitespace, line terminators, NBSP, BOM and Unicode spaces).
func trimJS(s string) string {
	return strings.TrimFunc(s, isJSSpace)
}

func isJSSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}
