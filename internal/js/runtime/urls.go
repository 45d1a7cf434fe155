package runtime

import "strings"

func fileURLToPath(u string) string {
	p := strings.TrimPrefix(u, "file://")
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			h, ok1 := unhex(p[i+1])
			l, ok2 := unhex(p[i+2])
			if ok1 && ok2 {
				b.WriteByte(h<<4 | l)
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// pathToFileURL percent-encodes a path as Node 20's url.pathToFileURL does
// on POSIX (everything but ASCII letters, digits and -._!$&'()*+,;=:@/;
// Node also encodes '~', '[', ']', '^' and '|'), for import.meta.url and
// the module loader.
func pathToFileURL(p string) string {
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("/-._!$&'()*+,;=:@", c) >= 0:
			b.WriteByte(c)
		default:
			const hexd = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}
