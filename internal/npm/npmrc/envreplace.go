package npmrc

import "strings"

// expandEnv replaces `${NAME}` and `${NAME?}` in s the way npm does when it
// loads a config key or value:
//
//   - `${NAME}` becomes the variable's value; when NAME is unset the text is
//     left as it is (npm keeps the literal `${NAME}`).
//   - `${NAME?}` becomes the value, or "" when NAME is unset.
//   - A run of backslashes before `$` escapes: an odd run keeps the
//     expression literal, and in both cases half of the backslashes remain.
//
// NAME is any run of characters other than `$`, `{`, `}` and `?`.
func expandEnv(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] has been written
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '$' || s[i+1] != '{' {
			continue
		}
		// parse NAME[?]}
		j := i + 2
		for j < len(s) && s[j] != '$' && s[j] != '{' && s[j] != '}' && s[j] != '?' {
			j++
		}
		if j == i+2 || j >= len(s) {
			continue
		}
		name := s[i+2 : j]
		optional := false
		if s[j] == '?' {
			optional = true
			j++
		}
		if j >= len(s) || s[j] != '}' {
			continue
		}
		end := j + 1
		// the backslash run right before the `$`, not crossing text already written
		start := i
		for start > last && s[start-1] == '\\' {
			start--
		}
		nesc := i - start
		b.WriteString(s[last:start])
		if nesc%2 == 1 {
			b.WriteString(strings.Repeat("\\", (nesc-1)/2))
			b.WriteString(s[i:end])
		} else {
			b.WriteString(strings.Repeat("\\", nesc/2))
			if v, ok := lookup(name); ok {
				b.WriteString(v)
			} else if !optional {
				b.WriteString(s[i:end])
			}
		}
		last = end
		i = end - 1
	}
	b.WriteString(s[last:])
	return b.String()
}
