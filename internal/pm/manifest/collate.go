package manifest

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// npm sorts dependency maps and lockfile keys with JavaScript's
// String.prototype.localeCompare(other, 'en'), which is ICU collation, not
// byte order ('_' sorts before '-', '@' before '/', lower case before upper
// case, ...). x/text's collator follows the same CLDR root order. It is slow
// and not safe for concurrent use, so the common case — package names and
// paths made of lower-case letters, digits and _-.@/ — is compared with a
// table of those characters' primary weights (each is one distinct primary
// weight in CLDR, so the order is plain lexicographic over the table), and
// only other strings go to a shared collator under a lock.
var (
	collOnce sync.Once
	collMu   sync.Mutex
	coll     *collate.Collator
	rank     [256]byte
)

func init() {
	r := byte(1)
	for _, c := range "_-.@/" {
		rank[c] = r
		r++
	}
	for c := '0'; c <= '9'; c++ {
		rank[c] = r
		r++
	}
	for c := 'a'; c <= 'z'; c++ {
		rank[c] = r
		r++
	}
}

func fastComparable(s string) bool {
	for i := 0; i < len(s); i++ {
		if rank[s[i]] == 0 {
			return false
		}
	}
	return true
}

// LocaleFast reports whether s takes LocaleCompare's table path (lower-case
// letters, digits and _-.@/ only): a sort can ask once per string and
// compare two such strings with LocaleCompareFast.
func LocaleFast(s string) bool { return fastComparable(s) }

// LocaleCompareFast is LocaleCompare for two strings LocaleFast accepts.
func LocaleCompareFast(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if ra, rb := rank[a[i]], rank[b[i]]; ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// LocaleCompare compares like a.localeCompare(b, 'en') in JavaScript.
func LocaleCompare(a, b string) int {
	if fastComparable(a) && fastComparable(b) {
		return LocaleCompareFast(a, b)
	}
	collOnce.Do(func() { coll = collate.New(language.English) })
	collMu.Lock()
	c := coll.CompareString(a, b)
	collMu.Unlock()
	if c != 0 {
		return c
	}
	// ICU breaks full ties by code point so distinct strings never compare equal.
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
