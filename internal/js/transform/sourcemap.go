package transform

import (
	"encoding/json"
	"fmt"
	"sort"
)

// SourceMap is a decoded source map (version 3), enough to remap stack
// traces of transformed TypeScript back to the original lines.
type SourceMap struct {
	Sources []string
	Names   []string
	// lines[i] holds the segments of generated line i (0-based), sorted by
	// generated column.
	lines [][]segment
}

type segment struct {
	genCol, source, origLine, origCol int32
	hasSource                         bool
}

// ParseSourceMap decodes a source map's JSON.
func ParseSourceMap(data []byte) (*SourceMap, error) {
	var raw struct {
		Version  int      `json:"version"`
		Sources  []string `json:"sources"`
		Names    []string `json:"names"`
		Mappings string   `json:"mappings"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("source map: %w", err)
	}
	if raw.Version != 3 {
		return nil, fmt.Errorf("source map: unsupported version %d (want 3)", raw.Version)
	}
	sm := &SourceMap{Sources: raw.Sources, Names: raw.Names}
	if err := sm.decode(raw.Mappings); err != nil {
		return nil, err
	}
	return sm, nil
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var base64Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base64Alphabet); i++ {
		t[base64Alphabet[i]] = int8(i)
	}
	return
}()

// decode parses the "mappings" string: lines separated by ';', segments by
// ',', each segment 1, 4 or 5 base64 VLQ fields, all but the generated column
// relative to the previous segment in the whole map (the generated column
// resets on each line).
func (sm *SourceMap) decode(m string) error {
	var line []segment
	var src, oLine, oCol, name int32
	i := 0
	for i <= len(m) {
		if i == len(m) || m[i] == ';' {
			sort.SliceStable(line, func(a, b int) bool { return line[a].genCol < line[b].genCol })
			sm.lines = append(sm.lines, line)
			line = nil
			i++
			continue
		}
		if m[i] == ',' {
			i++
			continue
		}
		var fields [5]int32
		n := 0
		genColBase := int32(0)
		if len(line) > 0 {
			genColBase = line[len(line)-1].genCol
		}
		for i < len(m) && m[i] != ',' && m[i] != ';' {
			v, next, err := readVLQ(m, i)
			if err != nil {
				return err
			}
			if n >= 5 {
				return fmt.Errorf("source map: segment with more than 5 fields at offset %d", i)
			}
			fields[n] = v
			n++
			i = next
		}
		seg := segment{genCol: genColBase + fields[0]}
		switch n {
		case 1:
		case 4, 5:
			src += fields[1]
			oLine += fields[2]
			oCol += fields[3]
			if n == 5 {
				name += fields[4]
			}
			seg.source, seg.origLine, seg.origCol, seg.hasSource = src, oLine, oCol, true
		default:
			return fmt.Errorf("source map: segment with %d fields (want 1, 4 or 5)", n)
		}
		line = append(line, seg)
	}
	return nil
}

func readVLQ(s string, i int) (int32, int, error) {
	var v int64
	shift := uint(0)
	for {
		if i >= len(s) {
			return 0, i, fmt.Errorf("source map: truncated VLQ")
		}
		d := base64Value[s[i]]
		if d < 0 {
			return 0, i, fmt.Errorf("source map: invalid character %q in mappings", s[i])
		}
		i++
		v |= int64(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
		if shift > 31 {
			return 0, i, fmt.Errorf("source map: VLQ value too large")
		}
	}
	neg := v&1 == 1
	v >>= 1
	if neg {
		v = -v
	}
	return int32(v), i, nil
}

// Lookup maps a generated position to the original one. Lines and columns
// are 1-based, as in stack traces ("file.ts:12:5"). It uses the closest
// segment at or before the column on that line; ok is false when the line
// has no mapping.
func (sm *SourceMap) Lookup(genLine, genCol int) (origLine, origCol int, ok bool) {
	_, origLine, origCol, ok = sm.LookupSource(genLine, genCol)
	return
}

// LookupSource is Lookup that also returns the original source's name.
func (sm *SourceMap) LookupSource(genLine, genCol int) (source string, origLine, origCol int, ok bool) {
	if sm == nil || genLine < 1 || genLine > len(sm.lines) {
		return "", 0, 0, false
	}
	segs := sm.lines[genLine-1]
	col := int32(genCol - 1)
	j := sort.Search(len(segs), func(k int) bool { return segs[k].genCol > col }) - 1
	if j < 0 {
		// Before the first segment: the line's first mapping is the best
		// answer for a position in leading whitespace.
		if len(segs) == 0 {
			return "", 0, 0, false
		}
		j = 0
	}
	for ; j >= 0 && !segs[j].hasSource; j-- {
	}
	if j < 0 {
		return "", 0, 0, false
	}
	s := segs[j]
	if int(s.source) >= 0 && int(s.source) < len(sm.Sources) {
		source = sm.Sources[s.source]
	}
	return source, int(s.origLine) + 1, int(s.origCol) + 1, true
}
