package qjs

// SameString reports whether a and b are the same string value (not
// merely equal text): the same engine string, which cannot have changed
// since strings are immutable. It is false for anything but flat strings.
func SameString(a, b Value) bool {
	return a.tag() == tagString && b.tag() == tagString && a.ptr() == b.ptr()
}
