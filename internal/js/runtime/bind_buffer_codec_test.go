package runtime

import (
	"bytes"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// refBase64 is the lenient decode spelled out one character at a time:
// skip what is outside both alphabets, stop at '=', a final group of 2 or
// 3 characters gives 1 or 2 bytes.
func refBase64(src []byte) []byte {
	var vals []byte
	for _, c := range src {
		var v byte
		switch {
		case c >= 'A' && c <= 'Z':
			v = c - 'A'
		case c >= 'a' && c <= 'z':
			v = c - 'a' + 26
		case c >= '0' && c <= '9':
			v = c - '0' + 52
		case c == '+' || c == '-':
			v = 62
		case c == '/' || c == '_':
			v = 63
		case c == '=':
			goto done
		default:
			continue
		}
		vals = append(vals, v)
	}
done:
	var out []byte
	for len(vals) >= 4 {
		n := uint32(vals[0])<<18 | uint32(vals[1])<<12 | uint32(vals[2])<<6 | uint32(vals[3])
		out = append(out, byte(n>>16), byte(n>>8), byte(n))
		vals = vals[4:]
	}
	switch len(vals) {
	case 2:
		out = append(out, vals[0]<<2|vals[1]>>4)
	case 3:
		n := uint32(vals[0])<<18 | uint32(vals[1])<<12 | uint32(vals[2])<<6
		out = append(out, byte(n>>16), byte(n>>8))
	}
	return out
}

// checkBase64 decodes src into destinations of several sizes filled with
// a marker and checks the bytes written, the count, and that nothing after
// them changed.
func checkBase64(t *testing.T, src []byte) {
	t.Helper()
	want := refBase64(src)
	for _, room := range []int{len(want) + 9, len(want), len(want) / 2, 1, 0} {
		dst := bytes.Repeat([]byte{0xaa}, room+8)
		n := decodeBase64Into(dst[:room], src)
		exp := want[:min(room, len(want))]
		if n != len(exp) || !bytes.Equal(dst[:n], exp) {
			t.Fatalf("decodeBase64Into(%q) into %d bytes = %x, want %x", src, room, dst[:n], exp)
		}
		for i := n; i < len(dst); i++ {
			if dst[i] != 0xaa {
				t.Fatalf("decodeBase64Into(%q) into %d bytes changed byte %d after the result", src, room, i)
			}
		}
	}
}

func TestDecodeBase64Into(t *testing.T) {
	for _, s := range []string{"", "QQ", "QQ=", "QQ==", "QUI", "QUJD", "QUJDRA", "Q", " Q U J D ", "QUJD\r\nREVG",
		"QUJD=REVG", "QUJDREVGR0hJ=QUJD", "-_-_", "+/+/", "a-b_c+d/", "====", "!!!!QUJD", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY",
		"QUJDREVGR0hJSktMTU5PUFFSU1RVVldY!"} {
		checkBase64(t, []byte(s))
	}
}

func FuzzDecodeBase64Into(f *testing.F) {
	for _, s := range []string{"QUJD", "QUJD REVG", "QQ==", "a-b_", "QUJD=x", "\xff\x00QUJD"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkBase64(t, src) })
}

func refHex(src []byte) []byte {
	var out []byte
	for i := 0; i+1 < len(src); i += 2 {
		h, ok1 := unhex(src[i])
		l, ok2 := unhex(src[i+1])
		if !ok1 || !ok2 {
			break
		}
		out = append(out, h<<4|l)
	}
	return out
}

func FuzzDecodeHex(f *testing.F) {
	for _, s := range []string{"", "0", "00", "0g", "abCDef", "12zz34", "zz12", "123"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		want := refHex(src)
		dst := make([]byte, len(src))
		if n := decodeHex(dst, src); !bytes.Equal(dst[:n], want) {
			t.Fatalf("decodeHex(%q) = %x, want %x", src, dst[:n], want)
		}
		half := make([]byte, len(want)/2)
		if n := decodeHex(half, src); !bytes.Equal(half[:n], want[:len(half)]) {
			t.Fatalf("decodeHex(%q) into %d bytes = %x", src, len(half), half[:n])
		}
		enc := make([]byte, 2*len(want))
		encodeHex(enc, want)
		if !bytes.Equal(refHex(enc), want) {
			t.Fatalf("encodeHex(%x) = %q does not decode back", want, enc)
		}
	})
}

// refUTF16 encodes code units with lone surrogates as U+FFFD, keeping
// only whole characters that fit in room bytes.
func refUTF16(u []uint16, room int) []byte {
	var out []byte
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if utf16.IsSurrogate(c) {
			if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				c = utf16.DecodeRune(c, rune(u[i+1]))
				i++
			} else {
				c = utf8.RuneError
			}
		}
		if len(out)+utf8.RuneLen(c) > room {
			break
		}
		out = utf8.AppendRune(out, c)
	}
	return out
}

func FuzzUTF16ToUTF8(f *testing.F) {
	for _, s := range []string{"", "a", "é", "✓", "\xd8\x3d\xde\x00", "\x00\xd8", "\x00\xdc\x41\x00", "\x3d\xd8\x00\xde\x00\xd8"} {
		f.Add([]byte(s), 5)
	}
	f.Fuzz(func(t *testing.T, raw []byte, room int) {
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
		}
		full := refUTF16(u, 1<<30)
		if n := utf8LenUTF16(u); n != len(full) {
			t.Fatalf("utf8LenUTF16(%x) = %d, want %d", u, n, len(full))
		}
		room = min(max(room, 0), len(full)+3)
		want := refUTF16(u, room)
		dst := make([]byte, room)
		if n := utf16ToUTF8(dst, u); !bytes.Equal(dst[:n], want) {
			t.Fatalf("utf16ToUTF8(%x) into %d = %x, want %x", u, room, dst[:n], want)
		}
		// appendWTF8 differs from the UTF-8 form only at lone surrogates.
		w := appendWTF8(nil, u)
		if utf8.Valid(w) && !bytes.Equal(w, full) {
			t.Fatalf("appendWTF8(%x) = %x, want %x", u, w, full)
		}
	})
}

func FuzzLatin1ToUTF8(f *testing.F) {
	for _, s := range []string{"", "abc", "\xe9", "plain ascii text, longer than a word \xff", "\x80\x80\x80\x80\x80\x80\x80\x80\x80"} {
		f.Add([]byte(s), 4)
	}
	f.Fuzz(func(t *testing.T, src []byte, room int) {
		var full []byte
		for _, c := range src {
			full = utf8.AppendRune(full, rune(c))
		}
		if n := len(src) + countHigh(src); n != len(full) {
			t.Fatalf("countHigh(%x): length %d, want %d", src, n, len(full))
		}
		room = min(max(room, 0), len(full)+3)
		var want []byte
		for _, c := range src {
			if len(want)+utf8.RuneLen(rune(c)) > room {
				break
			}
			want = utf8.AppendRune(want, rune(c))
		}
		dst := make([]byte, room)
		if n := latin1ToUTF8(dst, src); !bytes.Equal(dst[:n], want) {
			t.Fatalf("latin1ToUTF8(%x) into %d = %x, want %x", src, room, dst[:n], want)
		}
		p := asciiPrefix(src)
		if bytes.IndexFunc(src[:p], func(r rune) bool { return r >= 0x80 }) >= 0 || (p < len(src) && src[p] < 0x80) {
			t.Fatalf("asciiPrefix(%x) = %d", src, p)
		}
	})
}

// latin1ToUTF8Read's read count is the number of characters whose bytes
// it wrote: unitsForBytes's answer for the same output, for every string
// of up to 7 characters over {a, é, ÿ} and every destination size.
func TestLatin1ToUTF8Read(t *testing.T) {
	alphabet := []byte{'a', 0xE9, 0xFF}
	var src []byte
	var walk func(depth int)
	walk = func(depth int) {
		for room := 0; room <= 2*len(src)+1; room++ {
			dst := make([]byte, room)
			n, read := latin1ToUTF8Read(dst, src)
			if want := latin1ToUTF8(make([]byte, room), src); n != want {
				t.Fatalf("latin1ToUTF8Read(%x) into %d wrote %d, latin1ToUTF8 %d", src, room, n, want)
			}
			if want := unitsForBytes(src, nil, n); read != want {
				t.Fatalf("latin1ToUTF8Read(%x) into %d read %d, want %d", src, room, read, want)
			}
		}
		if depth == 7 {
			return
		}
		for _, c := range alphabet {
			src = append(src, c)
			walk(depth + 1)
			src = src[:len(src)-1]
		}
	}
	walk(0)
}
