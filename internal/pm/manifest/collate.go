package manifest

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// npm sorts dependency maps and lockfile keys with JavaScript's
// String.prototype.localeCompare(other, 'en'), which is ICU collation, not
// byte order ('_' sorts before '-', lower case before upper case, ...).
// x/text's collator follows the same CLDR root order. A collator is not safe
// for concurrent use, so calls share one under a lock.
var (
	collMu sync.Mutex
	coll   = collate.New(language.English)
)

// LocaleCompare compares like a.localeCompare(b, 'en') in JavaScript.
func LocaleCompare(a, b string) int {
	collMu.Lock()
	defer collMu.Unlock()
	if c := coll.CompareString(a, b); c != 0 {
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
