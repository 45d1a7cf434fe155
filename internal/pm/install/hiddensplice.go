package install

import (
	"bytes"

	"gnode/internal/pm/tree"
)

// hiddenFromCanonical returns the hidden lockfile (node_modules/
// .package-lock.json) cut out of the bytes of package-lock.json, for a
// lockfile whose bytes are known to be exactly what encoding its own tree
// gives (memoCanonical): both documents are written by the same encoder
// from the same entries in the same order, and the hidden one only leaves
// out the root entry and the packages that are not installed (skip). On a
// warm install this replaces building and encoding a second copy of every
// entry. ok is false when the bytes are not in the shape the encoder
// writes (CRLF newlines, a key with an escape, an entry it cannot find the
// end of, a kept entry missing): the caller then encodes as usual.
func hiddenFromCanonical(raw []byte, indent string, skip map[string]bool, want int) (out []byte, ok bool) {
	if indent == "" || bytes.IndexByte(raw, '\r') >= 0 {
		return nil, false
	}
	cur := indent + indent
	open := "\n" + indent + `"packages": {`
	i := bytes.Index(raw, []byte(open))
	if i < 0 {
		return nil, false
	}
	head := i + len(open)
	tail := "\n" + indent + "}\n}\n"
	if !bytes.HasSuffix(raw, []byte(tail)) {
		return nil, false
	}
	end := len(raw) - len(tail)
	out = make([]byte, 0, len(raw))
	out = append(out, raw[:head]...)
	closer := []byte("\n" + cur + "}")
	kept := 0
	for p := head; p < end; {
		// An entry: "\n" + cur + "key": {...}, then "," or the end.
		start := p
		if p > head {
			if raw[p] != ',' {
				return nil, false
			}
			start = p + 1
		}
		q := start + 1 + len(cur)
		if q >= end || raw[start] != '\n' || string(raw[start+1:q]) != cur || raw[q] != '"' {
			return nil, false
		}
		k := bytes.IndexByte(raw[q+1:end], '"')
		if k < 0 {
			return nil, false
		}
		key := raw[q+1 : q+1+k]
		if bytes.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		v := q + 1 + k + 1
		var stop int
		switch {
		case bytes.HasPrefix(raw[v:end], []byte(": {}")):
			stop = v + len(": {}")
		case bytes.HasPrefix(raw[v:end], []byte(": {\n")):
			// Deeper lines are indented further, so the first line that is
			// exactly cur + "}" closes this entry.
			c := bytes.Index(raw[v:end], closer)
			if c < 0 {
				return nil, false
			}
			stop = v + c + len(closer)
			if stop < end && raw[stop] != ',' {
				return nil, false
			}
		default:
			return nil, false
		}
		if len(key) > 0 && !skip[string(key)] {
			if kept > 0 {
				out = append(out, ',')
			}
			out = append(out, raw[start:stop]...)
			kept++
		}
		p = stop
	}
	if kept != want || kept == 0 {
		return nil, false
	}
	out = append(out, tail...)
	return out, true
}

// hiddenSkips is what ToLockfile(hidden) leaves out of the tree's
// entries, and how many it keeps.
func hiddenSkips(t *tree.Tree, omit tree.Omit) (skip map[string]bool, keep int) {
	skip = map[string]bool{}
	walkAny(t, func(n *tree.Node) {
		if n.Omitted(omit) || n.Inert ||
			(n.Parent != nil && n.Parent != t.Root && (n.Parent.Inert || n.Parent.Omitted(omit))) {
			skip[n.Location()] = true
			return
		}
		keep++
	})
	return skip, keep
}

// walkAny calls fn for every node tree.Walk visits, in no particular
// order: without Walk's sorting of every node's children, for callers
// that only count or collect into a set.
func walkAny(t *tree.Tree, fn func(*tree.Node)) {
	var walk func(n *tree.Node)
	walk = func(n *tree.Node) {
		for _, c := range n.Children {
			fn(c)
			walk(c)
		}
	}
	walk(t.Root)
	for _, c := range t.Root.FsChildren {
		fn(c)
		walk(c)
	}
}
