package npmrc

import (
	"encoding/json"
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
	key := unquoteIni(keyRaw).str
	list := false
	if len(key) > 2 && strings.HasSuffix(key, "[]") {
		key, list = key[:len(key)-2], true
	}
	if key == "__proto__" {
		return section
	}
	*out = append(*out, Entry{Key: key, Value: val.str, List: list, Section: section, Line: lineNo})
	return section
}

type iniValue struct {
	str string
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
			return iniValue{str: jsonScalarString(v, raw)}
		}
		return iniValue{str: raw}
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
	return iniValue{str: trimJS(b.String())}
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
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		// Objects and arrays: npm keeps a JS object that no config option
		// accepts; keep the JSON text so the value is at least visible.
		return raw
	}
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
